from odoo import api, fields, models
from odoo.tools import SQL, create_index


class CouSegmentMember(models.Model):
    """Membership of a customer in a segment, with history.

    A row per stay: ``date_from`` when the customer entered, ``date_to`` when
    they left; the current membership is the row whose ``date_to`` is empty
    (at most one per segment and customer, enforced by a partial unique
    index). Rows are written set-based by cou.segment._swap_members, which
    also runs the automated actions (base.automation) defined on this model:
    "on creation" when a customer enters, "on update" of ``date_to`` when
    they leave.
    """

    _name = "cou.segment.member"
    _description = "Customer Segment Membership"
    _order = "date_from desc, id desc"
    _rec_name = "partner_id"
    # written by the job only (date_from and date_to say when): no
    # create/write user and date, whose foreign keys every recomputation
    # checked for each row
    _log_access = False

    # === FIELDS === #
    segment_id = fields.Many2one(
        comodel_name="cou.segment",
        string="Segment",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    # indexed by cou_segment_member_partner_current_idx (partner_id, segment_id)
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        required=True,
        readonly=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(
        comodel_name="res.company", string="Company", required=True, readonly=True
    )
    segment_type = fields.Selection(
        related="segment_id.segment_type", string="Segment Type"
    )
    rfm_code = fields.Selection(related="segment_id.rfm_code", string="RFM Segment")
    date_from = fields.Datetime(string="Entered On", required=True, readonly=True)
    date_to = fields.Datetime(string="Left On", readonly=True)
    is_current = fields.Boolean(
        string="Current", compute="_compute_is_current", search="_search_is_current"
    )
    salesperson_id = fields.Many2one(related="partner_id.user_id", string="Salesperson")

    # === COMPUTE METHODS === #
    @api.depends("date_to")
    def _compute_is_current(self):
        for member in self:
            member.is_current = not member.date_to

    def _search_is_current(self, operator, value):
        if operator not in ("=", "!="):
            return NotImplemented
        current = (operator == "=") == bool(value)
        return [("date_to", "=" if current else "!=", False)]

    # === CRUD METHODS === #
    def init(self):
        res = super().init()
        # at most one current membership per segment and customer: the last
        # line of defence of concurrent recomputations
        self.env.cr.execute(
            SQL(
                """
                CREATE UNIQUE INDEX IF NOT EXISTS cou_segment_member_current_uniq
                    ON cou_segment_member (segment_id, partner_id) WHERE date_to IS NULL
                """
            )
        )
        create_index(
            self.env.cr,
            "cou_segment_member_partner_current_idx",
            self._table,
            ["partner_id", "segment_id"],
        )
        # single-column indexes of an earlier version (company_id, partner_id
        # with index=True): covered by the indexes above, they only slowed
        # down the bulk writes of the recomputation
        for name in (
            "cou_segment_member__company_id_index",
            "cou_segment_member__partner_id_index",
        ):
            self.env.cr.execute(SQL("DROP INDEX IF EXISTS %s", SQL.identifier(name)))
        return res
