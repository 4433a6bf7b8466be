from odoo import api, fields, models
from odoo.tools import SQL

# mailing.trace fields a recipient row is computed from
TRACE_FIELDS = (
    "campaign_id",
    "model",
    "res_id",
    "sent_datetime",
    "trace_status",
    "links_click_datetime",
)


class CouCampaignRecipient(models.Model):
    """A record a mailing of a campaign was sent to (the test group, as
    cou.campaign.holdout is the control group): one row per campaign and
    recipient (``model``, ``res_id``) however many of the campaign's mailings
    it got, as marketing automation keeps one participant per record.

    Kept current from the mailing traces (``_cou_refresh``): when traces are
    created, change (sent, opened, replied, bounced, clicked), are deleted or
    their mailing changes campaign. A row exists when at least one trace has
    a sent date; its flags say whether any trace was delivered (status sent,
    open or reply), opened (open or reply) or clicked (click date), as stock
    mass_mailing counts its statistics. Bulk loaders that write traces with
    SQL call ``_cou_refresh_campaigns`` once at the end.
    """

    _name = "cou.campaign.recipient"
    _description = "Campaign Recipient"
    _order = "first_sent_datetime desc, id desc"
    _rec_name = "res_id"
    # rewritten from the traces: the first/last sent dates say when
    _log_access = False

    # === FIELDS === #
    campaign_id = fields.Many2one(
        comodel_name="utm.campaign",
        string="Campaign",
        required=True,
        readonly=True,
        ondelete="cascade",
    )
    model = fields.Char(string="Document Model", required=True, readonly=True)
    res_id = fields.Many2oneReference(
        string="Document ID", model_field="model", required=True, readonly=True
    )
    company_id = fields.Many2one(
        related="campaign_id.company_id", store=True, readonly=True, index=True
    )
    # the contact and its customer (commercial entity) when the recipient is
    # a contact: the campaign's order figures look recipients up by customer
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Contact",
        compute="_compute_partner_id",
        store=True,
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
    )
    customer_id = fields.Many2one(
        related="partner_id.commercial_partner_id",
        string="Customer",
        store=True,
        readonly=True,
        index="btree_not_null",
    )
    first_sent_datetime = fields.Datetime(string="First Sent", readonly=True)
    last_sent_datetime = fields.Datetime(string="Last Sent", readonly=True)
    is_delivered = fields.Boolean(string="Delivered", readonly=True)
    is_opened = fields.Boolean(string="Opened", readonly=True)
    is_clicked = fields.Boolean(string="Clicked", readonly=True)

    _sql_constraints = [
        (
            "cou_campaign_recipient_uniq",
            "UNIQUE(campaign_id, model, res_id)",
            "A record is a recipient of a campaign once.",
        ),
    ]

    # === COMPUTE METHODS === #
    @api.depends("model", "res_id")
    def _compute_partner_id(self):
        contacts = self.filtered(lambda recipient: recipient.model == "res.partner")
        existing = set(
            self.env["res.partner"]
            .browse(contacts.mapped("res_id"))
            .with_context(active_test=False)
            .exists()
            .ids
        )
        for recipient in self:
            recipient.partner_id = (
                recipient.res_id
                if recipient.model == "res.partner" and recipient.res_id in existing
                else False
            )

    # === BUSINESS METHODS === #
    @api.model
    def _cou_refresh(self, keys):
        """Recompute the rows of ``keys`` (``(campaign id, model, res id)``)
        from their traces in one statement (each key's traces read through
        the index on campaign and recipient): rows whose traces have no sent
        date any more are deleted, the others inserted or updated (only when
        a value changed); what changed is appended to the campaigns' running
        counts (cou.campaign.recipient.count)."""
        keys = {key for key in keys if key[0]}
        if not keys:
            return
        self._cou_flush()
        campaign_ids, model_names, res_ids = zip(*sorted(keys), strict=True)
        self.env.cr.execute(
            SQL(
                """
                WITH k AS MATERIALIZED (
                    SELECT DISTINCT k.campaign_id, k.model, k.res_id
                      FROM unnest(%(campaign_ids)s::int[], %(models)s::varchar[],
                                  %(res_ids)s::int[]) AS k(campaign_id, model, res_id)
                ),
                fresh AS MATERIALIZED (
                    SELECT k.campaign_id, k.model, k.res_id, t.*
                      FROM k
                     CROSS JOIN LATERAL (%(aggregates)s
                              FROM mailing_trace t
                             WHERE t.campaign_id = k.campaign_id
                               AND t.model = k.model AND t.res_id = k.res_id
                               AND t.sent_datetime IS NOT NULL) t
                ),
                -- the rows as they were (the statement's snapshot), for the
                -- running counts' deltas
                old AS MATERIALIZED (
                    SELECT r.campaign_id, r.model, r.res_id, r.first_sent_datetime,
                           r.last_sent_datetime, r.is_delivered, r.is_opened,
                           r.is_clicked
                      FROM k
                      JOIN cou_campaign_recipient r
                        ON r.campaign_id = k.campaign_id AND r.model = k.model
                       AND r.res_id = k.res_id
                ),
                counted AS (%(counted)s),
                gone AS (
                    DELETE FROM cou_campaign_recipient r
                     USING fresh f
                     WHERE f.first_sent IS NULL
                       AND r.campaign_id = f.campaign_id AND r.model = f.model
                       AND r.res_id = f.res_id
                )
                %(upsert)s
                 WHERE f.first_sent IS NOT NULL
                ON CONFLICT (campaign_id, model, res_id) DO UPDATE
                   SET first_sent_datetime = EXCLUDED.first_sent_datetime,
                       last_sent_datetime = EXCLUDED.last_sent_datetime,
                       is_delivered = EXCLUDED.is_delivered,
                       is_opened = EXCLUDED.is_opened,
                       is_clicked = EXCLUDED.is_clicked
                 WHERE (r.first_sent_datetime, r.last_sent_datetime, r.is_delivered,
                        r.is_opened, r.is_clicked)
                       IS DISTINCT FROM
                       (EXCLUDED.first_sent_datetime, EXCLUDED.last_sent_datetime,
                        EXCLUDED.is_delivered, EXCLUDED.is_opened,
                        EXCLUDED.is_clicked)
                """,
                campaign_ids=list(campaign_ids),
                models=list(model_names),
                res_ids=list(res_ids),
                aggregates=self._cou_aggregates_sql(),
                upsert=self._cou_insert_sql(),
                counted=self.env["cou.campaign.recipient.count"]._cou_delta_sql(
                    "old", "fresh"
                ),
            )
        )
        self.invalidate_model()
        self.env["cou.campaign.recipient.count"].invalidate_model()

    @api.model
    def _cou_refresh_campaigns(self, campaign_ids):
        """Recompute every row of ``campaign_ids`` (after traces were written
        with SQL): the campaigns' rows deleted, then inserted from their
        traces grouped by recipient; their running counts rebuilt."""
        if not campaign_ids:
            return
        self._cou_flush()
        cr = self.env.cr
        cr.execute(
            SQL(
                "DELETE FROM cou_campaign_recipient WHERE campaign_id = ANY(%s)",
                list(campaign_ids),
            )
        )
        cr.execute(
            SQL(
                """
                WITH fresh AS (
                    %(aggregates)s, t.campaign_id, t.model, t.res_id
                      FROM mailing_trace t
                     WHERE t.campaign_id = ANY(%(ids)s)
                       AND t.sent_datetime IS NOT NULL
                     GROUP BY t.campaign_id, t.model, t.res_id
                )
                %(upsert)s
                """,
                ids=list(campaign_ids),
                aggregates=self._cou_aggregates_sql(),
                upsert=self._cou_insert_sql(),
            )
        )
        self.invalidate_model()
        self.env["cou.campaign.recipient.count"]._cou_rebuild(campaign_ids)

    def _cou_flush(self):
        """Flush what the refreshes read with SQL: the traces, the contacts'
        customers, the rows themselves."""
        self.env["mailing.trace"].flush_model(TRACE_FIELDS)
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        self.flush_model()

    def _cou_aggregates_sql(self):
        """A recipient's figures over its traces ``t`` (sent ones)."""
        return SQL(
            """
            SELECT MIN(t.sent_datetime) AS first_sent,
                   MAX(t.sent_datetime) AS last_sent,
                   BOOL_OR(t.trace_status IN ('sent', 'open', 'reply')) AS delivered,
                   BOOL_OR(t.trace_status IN ('open', 'reply')) AS opened,
                   BOOL_OR(t.links_click_datetime IS NOT NULL) AS clicked
            """
        )

    def _cou_insert_sql(self):
        """INSERT of the rows of CTE ``fresh``, the company their campaign's,
        the contact and customer of a contact's (``_compute_partner_id``)."""
        return SQL(
            """
            INSERT INTO cou_campaign_recipient AS r
                   (campaign_id, model, res_id, company_id, partner_id, customer_id,
                    first_sent_datetime, last_sent_datetime,
                    is_delivered, is_opened, is_clicked)
            SELECT f.campaign_id, f.model, f.res_id, c.company_id,
                   p.id, p.commercial_partner_id,
                   f.first_sent, f.last_sent, f.delivered, f.opened, f.clicked
              FROM fresh f
              JOIN utm_campaign c ON c.id = f.campaign_id
              LEFT JOIN res_partner p ON f.model = 'res.partner' AND p.id = f.res_id
            """
        )
