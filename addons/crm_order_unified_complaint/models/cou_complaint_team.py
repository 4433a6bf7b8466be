from ast import literal_eval
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.rating.models import rating_data

# The team overview's time figures (response and resolution times, satisfaction)
# cover this many past days.
DASHBOARD_DAYS = 30


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
        string="Breached Complaints",
        compute="_compute_complaint_counts",
        help="Open complaints that missed a first-response or resolution deadline.",
    )
    overdue_complaint_count = fields.Integer(
        string="Overdue Complaints",
        compute="_compute_overdue_complaint_count",
        help="Open complaints whose SLA clock runs (not paused) and whose pending "
        "deadline has passed: not answered after the first-response deadline, or "
        "not solved after the resolution deadline.",
    )
    avg_first_response_hours = fields.Float(
        string="Average First Response (working hours)",
        compute="_compute_avg_times",
        help="Average working hours (the team's calendar, as the SLA counts them) "
        "from the opening to the first response, over the complaints first answered "
        "in the last 30 days (cancelled ones excluded).",
    )
    first_response_count = fields.Integer(
        string="Answered (30 days)", compute="_compute_avg_times"
    )
    avg_resolution_hours = fields.Float(
        string="Average Resolution (working hours)",
        compute="_compute_avg_times",
        help="Average working hours (the team's calendar, paused hours left out, as "
        "the SLA counts them) from the opening to the closing, over the complaints "
        "closed in the last 30 days (cancelled ones excluded).",
    )
    resolution_count = fields.Integer(
        string="Solved (30 days)", compute="_compute_avg_times"
    )
    satisfaction_rate = fields.Integer(
        string="Satisfaction (%)",
        compute="_compute_satisfaction",
        help="Share of satisfied answers (4 or 5 out of 5) among the customers' "
        "ratings given in the last 30 days on the team's complaints of your current "
        "companies; -1 when there is none.",
    )
    satisfaction_rating_count = fields.Integer(
        string="Ratings (30 days)", compute="_compute_satisfaction"
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

    def _compute_overdue_complaint_count(self):
        counts = dict(
            self.env["cou.complaint"]._read_group(
                self._get_dashboard_domain("overdue"), ["team_id"], ["__count"]
            )
        )
        for team in self:
            team.overdue_complaint_count = counts.get(team, 0)

    def _compute_avg_times(self):
        Complaint = self.env["cou.complaint"]
        first = {
            team: (avg, count)
            for team, avg, count in Complaint._read_group(
                self._get_dashboard_domain("first_response"),
                ["team_id"],
                ["first_response_hours:avg", "__count"],
            )
        }
        resolution = {
            team: (avg, count)
            for team, avg, count in Complaint._read_group(
                self._get_dashboard_domain("resolution"),
                ["team_id"],
                ["resolution_hours:avg", "__count"],
            )
        }
        for team in self:
            team.avg_first_response_hours, team.first_response_count = first.get(
                team, (0.0, 0)
            )
            team.avg_resolution_hours, team.resolution_count = resolution.get(
                team, (0.0, 0)
            )

    def _compute_satisfaction(self):
        groups = self.env["rating.rating"]._read_group(
            self._get_satisfaction_domain(), ["parent_res_id", "rating"], ["__count"]
        )
        satisfied = dict.fromkeys(self.ids, 0)
        total = dict.fromkeys(self.ids, 0)
        for team_id, rating, count in groups:
            if team_id not in total:
                continue
            total[team_id] += count
            if rating_data._rating_to_grade(rating) == "great":
                satisfied[team_id] += count
        for team in self:
            count = total.get(team.id, 0)
            team.satisfaction_rating_count = count
            team.satisfaction_rate = (
                round(satisfied[team.id] * 100 / count) if count else -1
            )

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
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_order_unified_complaint.cou_complaint_action"
        )
        action["domain"] = [("team_id", "=", self.id)]
        action["context"] = {
            "default_team_id": self.id,
            "search_default_filter_open": 1,
        }
        return action

    def _action_view_dashboard_figure(self, figure, name):
        self.ensure_one()
        action = self.env["cou.complaint"]._get_action_for(
            self._get_dashboard_domain(figure),
            context={"default_team_id": self.id},
            name=self.env._(
                "%(team)s: %(figure)s", team=self.display_name, figure=name
            ),
        )
        if figure in ("first_response", "resolution"):
            # the list's footer averages are the overview's figures
            times_view = self.env.ref(
                "crm_order_unified_complaint.cou_complaint_view_list_times"
            )
            action["views"] = [(times_view.id, "list"), (False, "form")]
            action["view_mode"] = "list,form"
        return action

    def action_view_open_complaints(self):
        return self._action_view_dashboard_figure("open", self.env._("Open"))

    def action_view_overdue_complaints(self):
        return self._action_view_dashboard_figure("overdue", self.env._("Overdue"))

    def action_view_breached_complaints(self):
        return self._action_view_dashboard_figure(
            "breached", self.env._("SLA Breached")
        )

    def action_view_first_responses(self):
        return self._action_view_dashboard_figure(
            "first_response",
            self.env._(
                "First responses of the last %(days)s days", days=DASHBOARD_DAYS
            ),
        )

    def action_view_resolutions(self):
        return self._action_view_dashboard_figure(
            "resolution",
            self.env._(
                "Complaints solved in the last %(days)s days", days=DASHBOARD_DAYS
            ),
        )

    def action_view_satisfaction(self):
        self.ensure_one()
        return self.env["cou.complaint"]._get_ratings_action(
            self._get_satisfaction_domain(),
            self.env._(
                "%(team)s: ratings of the last %(days)s days",
                team=self.display_name,
                days=DASHBOARD_DAYS,
            ),
        )

    def action_view_ratings(self):
        self.ensure_one()
        return self.env["cou.complaint"]._get_ratings_action(
            [("parent_res_model", "=", self._name), ("parent_res_id", "=", self.id)],
            self.env._("Ratings of %(team)s", team=self.display_name),
        )

    # === BUSINESS METHODS === #
    def _get_dashboard_domain(self, figure, now=None):
        """Domain on ``cou.complaint`` of a figure of the team overview, for the teams
        of ``self``: both the figure and the list it opens use it.

        * ``open``: not in a closing stage;
        * ``overdue``: open, SLA clock running, its pending deadline passed (the
          first response if not answered yet, else the resolution);
        * ``breached``: open and flagged by the SLA (a deadline was missed);
        * ``first_response``: first answered in the last ``DASHBOARD_DAYS`` days;
        * ``resolution``: closed in the last ``DASHBOARD_DAYS`` days;
        the last two leave cancelled complaints out."""
        now = now or fields.Datetime.now()
        since = fields.Datetime.to_string(now - timedelta(days=DASHBOARD_DAYS))
        now = fields.Datetime.to_string(now)  # the domain goes to the web client
        domain = [("team_id", "in", self.ids)]
        is_open = [("is_closed", "=", False)]
        not_cancelled = [("stage_id.is_cancelled", "=", False)]
        figures = {
            "open": is_open,
            "overdue": is_open
            + [
                ("sla_pause_start", "=", False),
                "|",
                ("sla_resolution_deadline", "<", now),
                "&",
                ("first_response_date", "=", False),
                ("sla_first_response_deadline", "<", now),
            ],
            "breached": is_open + [("sla_breached", "=", True)],
            "first_response": not_cancelled
            + [
                ("first_response_date", ">=", since),
                ("first_response_date", "<=", now),
            ],
            "resolution": not_cancelled
            + [
                ("is_closed", "=", True),
                ("date_closed", ">=", since),
                ("date_closed", "<=", now),
            ],
        }
        return domain + figures[figure]

    def _get_satisfaction_domain(self, now=None):
        """Domain on ``rating.rating`` of the satisfaction figure: the customers'
        answers of the last ``DASHBOARD_DAYS`` days (dated as Odoo's
        rating.parent.mixin dates them) on the teams' complaints. A team belongs to
        one company and its complaints to the same (``check_company``): the teams the
        user's current companies show give each company its own figure."""
        now = now or fields.Datetime.now()
        return [
            ("res_model", "=", "cou.complaint"),
            ("parent_res_model", "=", self._name),
            ("parent_res_id", "in", self.ids),
            ("consumed", "=", True),
            ("rating", ">=", rating_data.RATING_LIMIT_MIN),
            (
                "write_date",
                ">=",
                fields.Datetime.to_string(now - timedelta(days=DASHBOARD_DAYS)),
            ),
        ]

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
