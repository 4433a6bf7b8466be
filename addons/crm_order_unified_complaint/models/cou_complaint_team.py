from ast import literal_eval

from odoo import api, fields, models
from odoo.exceptions import UserError


class CouComplaintTeam(models.Model):
    """Customer care team: members, stages, SLA policies, working calendar and
    an email alias whose incoming mails open complaints."""

    _name = "cou.complaint.team"
    _description = "Complaint Team"
    _inherit = ["mail.alias.mixin", "mail.thread", "rating.parent.mixin"]
    _order = "sequence, name, id"

    # === FIELDS === #
    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        comodel_name="res.company",
        string="Company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Team Leader",
        domain=[("share", "=", False)],
        tracking=True,
        help="Receives escalations of complaints that breached their SLA.",
    )
    member_ids = fields.Many2many(
        comodel_name="res.users",
        relation="cou_complaint_team_member_rel",
        column1="team_id",
        column2="user_id",
        string="Members",
        domain=[("share", "=", False)],
    )
    stage_ids = fields.Many2many(
        comodel_name="cou.complaint.stage",
        relation="cou_complaint_stage_team_rel",
        string="Own Stages",
        help="Stages used only by this team, in addition to the shared stages (stages "
        "without team).",
    )
    sla_ids = fields.One2many(
        comodel_name="cou.complaint.sla", inverse_name="team_id", string="SLA Policies"
    )
    resource_calendar_id = fields.Many2one(
        comodel_name="resource.calendar",
        string="Working Hours",
        default=lambda self: self.env.company.resource_calendar_id,
        help="SLA targets count in working hours of this calendar.",
    )
    unknown_sender_policy = fields.Selection(
        selection=[
            ("create", "Create a contact"),
            ("refuse", "Refuse the email"),
        ],
        string="Unknown Senders",
        required=True,
        default="create",
        help="What to do with an email from an address that matches no contact: create "
        "a new "
        "contact for it, or bounce it back to the sender.",
    )
    portal_company_visible = fields.Boolean(
        string="Customers See Their Company's Complaints",
        help="When set, portal users see all complaints of their company; otherwise "
        "only their own.",
    )
    use_rating = fields.Boolean(
        string="Customer Ratings",
        default=True,
        help="Ask customers to rate the handling of their complaint when it reaches a "
        "closing "
        "stage that has a rating email template.",
    )
    complaint_ids = fields.One2many(
        comodel_name="cou.complaint", inverse_name="team_id", string="Complaints"
    )
    open_complaint_count = fields.Integer(
        string="Open Complaints", compute="_compute_complaint_counts"
    )
    breached_complaint_count = fields.Integer(
        string="Breached Complaints", compute="_compute_complaint_counts"
    )

    # === COMPUTE METHODS === #
    def _compute_complaint_counts(self):
        groups = self.env["cou.complaint"]._read_group(
            [("team_id", "in", self.ids), ("is_closed", "=", False)],
            ["team_id", "sla_breached"],
            ["__count"],
        )
        open_counts = dict.fromkeys(self.ids, 0)
        breached_counts = dict.fromkeys(self.ids, 0)
        for team, breached, count in groups:
            open_counts[team.id] += count
            if breached:
                breached_counts[team.id] += count
        for team in self:
            team.open_complaint_count = open_counts.get(team.id, 0)
            team.breached_complaint_count = breached_counts.get(team.id, 0)

    # === CRUD METHODS === #
    def write(self, vals):
        res = super().write(vals)
        if "unknown_sender_policy" in vals:
            self._sync_alias_contact()
        return res

    @api.model_create_multi
    def create(self, vals_list):
        teams = super().create(vals_list)
        teams._sync_alias_contact()
        return teams

    @api.ondelete(at_uninstall=False)
    def _unlink_except_with_complaints(self):
        """A team that has complaints (archived ones included) keeps them:
        deleting it would orphan their stages and SLA deadlines."""
        counts = dict(
            self.env["cou.complaint"]
            .with_context(active_test=False)
            .sudo()
            ._read_group([("team_id", "in", self.ids)], ["team_id"], ["__count"])
        )
        teams = [team for team in self if counts.get(team)]
        if teams:
            raise UserError(
                self.env._(
                    "The team %(teams)s has complaints: archive the team instead "
                    "of deleting it.",
                    teams=", ".join(team.display_name for team in teams),
                )
            )

    # === ACTION METHODS === #
    def action_view_complaints(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_order_unified_complaint.cou_complaint_action"
        )
        action["domain"] = [("team_id", "=", self.id)]
        action["context"] = {
            "default_team_id": self.id,
            "search_default_filter_open": 1,
        }
        return action

    def action_view_ratings(self):
        self.ensure_one()
        return self.env["cou.complaint"]._get_ratings_action(
            [("parent_res_model", "=", self._name), ("parent_res_id", "=", self.id)],
            self.env._("Ratings of %(team)s", team=self.display_name),
        )

    # === BUSINESS METHODS === #
    def _alias_get_creation_values(self):
        values = super()._alias_get_creation_values()
        values["alias_model_id"] = self.env["ir.model"]._get("cou.complaint").id
        if self.id:
            values["alias_defaults"] = defaults = literal_eval(
                self.alias_defaults or "{}"
            )
            defaults["team_id"] = self.id
            defaults["company_id"] = self.company_id.id
        return values

    def _sync_alias_contact(self):
        """Unknown senders are refused by the mail gateway itself (bounced, not lost)
        when the team refuses them: the alias then accepts known partners only."""
        for team in self.filtered("alias_id"):
            contact = (
                "partners" if team.unknown_sender_policy == "refuse" else "everyone"
            )
            if team.alias_id.alias_contact != contact:
                team.alias_id.sudo().alias_contact = contact

    def _get_first_stage(self):
        """First open stage of the team (its own stages, else the shared ones)."""
        self.ensure_one()
        return self._get_stages().filtered(lambda s: not s.is_closed)[:1]

    def _get_stages(self):
        """Stages of the team: its own and the shared ones, in kanban order."""
        return self.env["cou.complaint.stage"].search(
            ["|", ("team_ids", "=", False), ("team_ids", "in", self.ids)]
        )
