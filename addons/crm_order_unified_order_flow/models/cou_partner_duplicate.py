from odoo import api, fields, models
from odoo.tools import SQL


class CouPartnerDuplicate(models.Model):
    """A pair of customers that are likely the same: same email, phone (in its
    normalised form), tax ID or normalised name. Found set-based by a scheduled
    job; a manager merges them with Odoo's own merge wizard or dismisses them."""

    _name = "cou.partner.duplicate"
    _description = "Likely Duplicate Customers"
    _order = "match_count desc, id desc"
    _rec_name = "partner_id"

    # === FIELDS === #

    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    duplicate_id = fields.Many2one(
        comodel_name="res.partner",
        string="Likely Duplicate",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    match_email = fields.Boolean(string="Same Email", readonly=True)
    match_phone = fields.Boolean(string="Same Phone", readonly=True)
    match_vat = fields.Boolean(string="Same Tax ID", readonly=True)
    match_name = fields.Boolean(string="Same Name", readonly=True)
    match_count = fields.Integer(
        string="Matches",
        readonly=True,
        help="How many of email, phone, tax ID and name match.",
    )
    state = fields.Selection(
        selection=[("open", "To Review"), ("dismissed", "Not a Duplicate")],
        default="open",
        required=True,
        readonly=True,
    )
    partner_company_id = fields.Many2one(
        related="partner_id.company_id", string="Company"
    )

    _sql_constraints = [
        (
            "pair_unique",
            "UNIQUE(partner_id, duplicate_id)",
            "A pair of customers is listed once.",
        ),
    ]

    # === ACTION METHODS === #

    def action_merge(self):
        self.ensure_one()
        return self._cou_merge_action((self.partner_id | self.duplicate_id).ids)

    def action_dismiss(self):
        self.write({"state": "dismissed"})

    def action_reopen(self):
        self.write({"state": "open"})

    # === BUSINESS METHODS === #

    @api.model
    def _cou_merge_action(self, partner_ids):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "base.action_partner_merge"
        )
        action["context"] = {
            "active_model": "res.partner",
            "active_ids": partner_ids,
            "active_id": partner_ids[0],
        }
        return action

    @api.model
    def _cou_keys_query(self, table):
        """``(id, cp, kind, key)`` of every active contact's keys, from the key
        table of res.partner (``_cou_duplicate_key_table``): the same
        definition as the form's search."""
        return SQL(" UNION ALL ").join(
            SQL(
                """SELECT id, commercial_partner_id AS cp, %(kind)s AS kind,
                          %(key)s AS key
                     FROM res_partner
                    WHERE active AND type = 'contact'
                          AND %(key)s IS NOT NULL AND %(key)s != ''""",
                kind=kind,
                key=SQL.identifier(name),
            )
            for kind, names in table
            for name in names
        )

    @api.model
    def _cou_refresh(self):
        """Find the pairs anew, in three statements: add the new ones, update the
        matches of the known ones (a dismissed pair stays dismissed), drop those
        that no longer match (merged, archived or edited)."""
        Partner = self.env["res.partner"]
        table = Partner._cou_duplicate_key_table()
        Partner.flush_model(
            ["active", "type", "commercial_partner_id"]
            + [name for _kind, names in table for name in names]
        )
        self.flush_model()
        cr = self.env.cr
        cr.execute(
            SQL(
                """
                CREATE TEMPORARY TABLE cou_duplicate_pairs ON COMMIT DROP AS
                WITH keys AS (%s)
                SELECT a.id AS partner_id, b.id AS duplicate_id,
                       bool_or(a.kind = 'email') AS match_email,
                       bool_or(a.kind = 'phone') AS match_phone,
                       bool_or(a.kind = 'vat') AS match_vat,
                       bool_or(a.kind = 'name') AS match_name,
                       count(DISTINCT a.kind) AS match_count
                  FROM keys a
                  JOIN keys b ON b.kind = a.kind AND b.key = a.key AND a.id < b.id
                             AND a.cp != b.cp
                 GROUP BY a.id, b.id
                """,
                self._cou_keys_query(table),
            )
        )
        cr.execute(
            SQL(
                """
                INSERT INTO cou_partner_duplicate
                       (partner_id, duplicate_id, match_email, match_phone, match_vat,
                        match_name, match_count, state,
                        create_uid, create_date, write_uid, write_date)
                SELECT partner_id, duplicate_id, match_email, match_phone, match_vat,
                       match_name, match_count, 'open',
                       %(uid)s, now() AT TIME ZONE 'UTC',
                       %(uid)s, now() AT TIME ZONE 'UTC'
                  FROM cou_duplicate_pairs
                ON CONFLICT (partner_id, duplicate_id) DO UPDATE
                   SET match_email = EXCLUDED.match_email,
                       match_phone = EXCLUDED.match_phone,
                       match_vat = EXCLUDED.match_vat,
                       match_name = EXCLUDED.match_name,
                       match_count = EXCLUDED.match_count
                 WHERE (cou_partner_duplicate.match_email,
                        cou_partner_duplicate.match_phone,
                        cou_partner_duplicate.match_vat,
                        cou_partner_duplicate.match_name)
                       IS DISTINCT FROM
                       (EXCLUDED.match_email, EXCLUDED.match_phone,
                        EXCLUDED.match_vat, EXCLUDED.match_name)
                """,
                uid=self.env.uid,
            )
        )
        cr.execute(
            SQL(
                """
                DELETE FROM cou_partner_duplicate d
                 WHERE NOT EXISTS (SELECT 1 FROM cou_duplicate_pairs p
                                    WHERE p.partner_id = d.partner_id
                                      AND p.duplicate_id = d.duplicate_id)
                """
            )
        )
        cr.execute(SQL("DROP TABLE cou_duplicate_pairs"))
        self.invalidate_model()
