from odoo import fields, models


class CouComplaintStage(models.Model):
    """Stage of a complaint, configurable per team (shared when no team is set)."""

    _name = "cou.complaint.stage"
    _description = "Complaint Stage"
    _order = "sequence, id"

    # === FIELDS === #
    name = fields.Char(string="Stage Name", required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)
    team_ids = fields.Many2many(
        comodel_name="cou.complaint.team",
        relation="cou_complaint_stage_team_rel",
        string="Teams",
        help="Teams using this stage. A stage without team is used by every team.",
    )
    fold = fields.Boolean(
        string="Folded in Kanban",
        help="Folded stages are collapsed in the kanban view (typically closed "
        "stages).",
    )
    is_closed = fields.Boolean(
        string="Closing Stage",
        help="Complaints in this stage are closed: the SLA clock stops and the closing "
        "date is set.",
    )
    is_cancelled = fields.Boolean(
        string="Cancelled Stage",
        help="Closing stage for complaints that were withdrawn or are not valid; "
        "they do not count in the SLA success rate.",
    )
    pause_sla = fields.Boolean(
        string="Pause SLA",
        help="While a complaint is in this stage (e.g. waiting for the customer), "
        "its SLA clock is paused.",
    )
    template_id = fields.Many2one(
        comodel_name="mail.template",
        string="Email Template",
        domain=[("model", "=", "cou.complaint")],
        help="Email sent to the customer when a complaint reaches this stage.",
    )
    rating_template_id = fields.Many2one(
        comodel_name="mail.template",
        string="Rating Email Template",
        domain=[("model", "=", "cou.complaint")],
        help="On a closing stage: email asking the customer to rate how the complaint "
        "was handled, "
        "sent when a complaint reaches this stage (if its team collects customer "
        "ratings).",
    )
