from odoo import api, fields, models
from odoo.tools import SQL

from ..models.cou_complaint import COMPLAINT_PRIORITIES


class CouComplaintReport(models.Model):
    """Complaint analysis: one row per complaint, with the durations and the SLA
    outcome as NULL when they do not apply yet, so that averages only count the
    complaints they make sense for (answered, closed, closed with an SLA)."""

    _name = "cou.complaint.report"
    _description = "Complaint Analysis"
    _auto = False
    _rec_name = "complaint_id"
    _order = "date_open desc"

    # === FIELDS === #
    complaint_id = fields.Many2one(
        comodel_name="cou.complaint", string="Complaint", readonly=True
    )
    date_open = fields.Datetime(string="Opened On", readonly=True)
    date_closed = fields.Datetime(string="Closed On", readonly=True)
    company_id = fields.Many2one(
        comodel_name="res.company", string="Company", readonly=True
    )
    team_id = fields.Many2one(
        comodel_name="cou.complaint.team", string="Team", readonly=True
    )
    user_id = fields.Many2one(
        comodel_name="res.users", string="Assigned to", readonly=True
    )
    stage_id = fields.Many2one(
        comodel_name="cou.complaint.stage", string="Stage", readonly=True
    )
    category_id = fields.Many2one(
        comodel_name="cou.complaint.category", string="Category", readonly=True
    )
    product_id = fields.Many2one(
        comodel_name="product.product", string="Main Product", readonly=True
    )
    commercial_partner_id = fields.Many2one(
        comodel_name="res.partner", string="Customer", readonly=True
    )
    priority = fields.Selection(selection=COMPLAINT_PRIORITIES, readonly=True)
    channel = fields.Selection(
        selection=lambda self: self.env["cou.complaint"]._fields["channel"].selection,
        readonly=True,
    )
    resolution_type = fields.Selection(
        selection=lambda self: self.env["cou.complaint"]
        ._fields["resolution_type"]
        .selection,
        readonly=True,
    )
    is_closed = fields.Boolean(string="Closed", readonly=True)
    sla_breached = fields.Boolean(string="SLA Breached", readonly=True)
    first_response_hours = fields.Float(
        string="First Response Time (working hours)",
        readonly=True,
        aggregator="avg",
        help="Working hours of the team's calendar, as the SLA counts them.",
    )
    resolution_hours = fields.Float(
        string="Resolution Time (working hours)",
        readonly=True,
        aggregator="avg",
        help="Working hours of the team's calendar less the paused hours, as the SLA "
        "counts them.",
    )
    sla_success = fields.Float(
        string="SLA Success Rate (%)",
        readonly=True,
        aggregator="avg",
        help="Share of closed complaints with an SLA policy that met it (cancelled "
        "ones excluded).",
    )
    complaint_count = fields.Integer(string="# Complaints", readonly=True)

    _depends = {
        "cou.complaint": [
            "date_open",
            "date_closed",
            "first_response_date",
            "first_response_hours",
            "resolution_hours",
            "company_id",
            "team_id",
            "user_id",
            "stage_id",
            "category_id",
            "product_id",
            "commercial_partner_id",
            "priority",
            "channel",
            "resolution_type",
            "is_closed",
            "sla_breached",
            "sla_id",
            "active",
        ],
        "cou.complaint.stage": ["is_cancelled"],
    }

    # === BUSINESS METHODS === #
    @property
    def _table_query(self) -> SQL:
        return SQL("%s %s %s", self._select(), self._from(), self._where())

    @api.model
    def _select(self) -> SQL:
        return SQL(
            """
            SELECT c.id AS id,
                   c.id AS complaint_id,
                   c.date_open,
                   c.date_closed,
                   c.company_id,
                   c.team_id,
                   c.user_id,
                   c.stage_id,
                   c.category_id,
                   c.product_id,
                   c.commercial_partner_id,
                   c.priority,
                   c.channel,
                   c.resolution_type,
                   c.is_closed,
                   c.sla_breached,
                   CASE WHEN c.first_response_date IS NOT NULL
                        THEN c.first_response_hours END AS first_response_hours,
                   CASE WHEN c.date_closed IS NOT NULL
                        THEN c.resolution_hours END AS resolution_hours,
                   CASE WHEN c.date_closed IS NOT NULL AND c.sla_id IS NOT NULL
                             AND stage.is_cancelled IS NOT TRUE
                        THEN CASE WHEN c.sla_breached THEN 0.0 ELSE 100.0 END
                   END AS sla_success,
                   1 AS complaint_count
            """
        )

    @api.model
    def _from(self) -> SQL:
        return SQL(
            "FROM %s c LEFT JOIN %s stage ON stage.id = c.stage_id",
            SQL.identifier(self.env["cou.complaint"]._table),
            SQL.identifier(self.env["cou.complaint.stage"]._table),
        )

    @api.model
    def _where(self) -> SQL:
        return SQL("WHERE c.active")
