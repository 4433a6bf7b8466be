import math

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .cou_complaint import COMPLAINT_PRIORITIES

# a year of working days: beyond it, a deadline is no target (and overflows dates)
MAX_SLA_HOURS = 2000


class CouComplaintSla(models.Model):
    """SLA policy of a team: first-response and resolution targets in working
    hours of the team's calendar, for a priority and/or some categories.

    The most specific active policy applies to a complaint (see
    ``cou.complaint._get_sla_policy``): same team, matching priority (or any),
    matching category (or any); priority and category matches win over "any".
    """

    _name = "cou.complaint.sla"
    _description = "Complaint SLA Policy"
    _order = "team_id, sequence, id"

    # === FIELDS === #
    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    team_id = fields.Many2one(
        comodel_name="cou.complaint.team",
        string="Team",
        required=True,
        ondelete="cascade",
        index=True,
    )
    company_id = fields.Many2one(related="team_id.company_id", store=True)
    priority = fields.Selection(
        selection=COMPLAINT_PRIORITIES,
        help="Priority the policy applies to; empty: any priority.",
    )
    category_ids = fields.Many2many(
        comodel_name="cou.complaint.category",
        string="Categories",
        help="Categories the policy applies to; empty: any category.",
    )
    first_response_hours = fields.Float(
        string="First Response Target (working hours)",
        help="Working hours of the team's calendar within which the customer must get "
        "a first answer. "
        "0 means no first-response target.",
    )
    resolution_hours = fields.Float(
        string="Resolution Target (working hours)",
        help="Working hours of the team's calendar within which the complaint must be "
        "closed. "
        "0 means no resolution target.",
    )

    # === CONSTRAINT METHODS === #
    @api.constrains("first_response_hours", "resolution_hours")
    def _check_targets(self):
        for sla in self:
            hours = (sla.first_response_hours, sla.resolution_hours)
            if any(math.isnan(h) or math.isinf(h) for h in hours):
                raise ValidationError(
                    self.env._("SLA targets must be numbers of hours.")
                )
            if sla.first_response_hours < 0 or sla.resolution_hours < 0:
                raise ValidationError(self.env._("SLA targets cannot be negative."))
            if max(hours) > MAX_SLA_HOURS:
                raise ValidationError(
                    self.env._(
                        "SLA targets are limited to %(hours)s working hours.",
                        hours=MAX_SLA_HOURS,
                    )
                )
            if sla.resolution_hours and sla.first_response_hours > sla.resolution_hours:
                raise ValidationError(
                    self.env._(
                        "The first-response target of the SLA policy %(name)s cannot exceed its resolution target.",  # noqa: E501 (one translatable literal)
                        name=sla.name,
                    )
                )
