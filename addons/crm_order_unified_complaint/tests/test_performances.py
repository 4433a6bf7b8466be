from datetime import timedelta

from lxml import etree

from odoo import fields
from odoo.tests import tagged

from .common import ComplaintCommon

DASHBOARD_FIELDS = [
    "open_complaint_count",
    "breached_complaint_count",
    "overdue_complaint_count",
    "avg_first_response_hours",
    "first_response_count",
    "avg_resolution_hours",
    "resolution_count",
    "satisfaction_rate",
    "satisfaction_rating_count",
]


@tagged("post_install", "-at_install")
class TestComplaintPerformance(ComplaintCommon):
    def _read_overview(self, count):
        Team = self.env["cou.complaint.team"]
        teams = Team.create(
            [
                {"name": f"Perf team {i}", "member_ids": [(4, self.user_manager.id)]}
                for i in range(count)
            ]
        )
        for team in teams:
            self.Complaint.create(
                [
                    {
                        "name": f"{team.name} {i}",
                        "team_id": team.id,
                        "partner_id": self.contact.id,
                    }
                    for i in range(3)
                ]
            )
        self.env.flush_all()
        teams = teams.with_user(self.user_manager)
        teams.read(["name"] + DASHBOARD_FIELDS)  # warm the caches (rules, groups)
        teams.env.invalidate_all()
        teams.read(["name"])  # the kanban reads the records first
        return teams

    def test_overview_queries_do_not_grow_with_teams(self):
        """The team overview computes each family of figures in one query over all
        teams: 2 teams or 8, the same number of queries."""
        for count in (2, 8):
            teams = self._read_overview(count)
            with self.assertQueryCount(6):  # 5 figure families + the record rules
                teams.read(DASHBOARD_FIELDS)


@tagged("post_install", "-at_install")
class TestComplaintKanbanPerformance(ComplaintCommon):
    """The kanban's progress bar counts the complaints with an activity only,
    with the same result as the generic read_progress_bar."""

    def test_progress_bar_counts_activity_states(self):
        today = fields.Date.context_today(self.Complaint)
        planned, late, due, idle, done = (
            self._create_complaint(name=f"Bar {i}") for i in range(5)
        )
        activity_type = self.env.ref("mail.mail_activity_data_todo")
        for complaint, deadline in (
            (planned, today + timedelta(days=3)),
            (late, today - timedelta(days=2)),
            (due, today),
            (done, today),
        ):
            complaint.activity_schedule(
                activity_type_id=activity_type.id,
                date_deadline=deadline,
                user_id=self.user_agent.id,
            )
        done.activity_ids.action_feedback(feedback="Called")
        self.env.flush_all()
        progress_bar = {
            "field": "activity_state",
            "colors": {"planned": "success", "today": "warning", "overdue": "danger"},
            "help": "",
        }
        domain = [("id", "in", (planned | late | due | idle | done).ids)]
        result = self.Complaint.read_progress_bar(domain, "stage_id", progress_bar)
        # what the generic implementation counts (every complaint's state)
        expected = {}
        for group in self.Complaint.read_group(
            domain, ["__count"], ["stage_id", "activity_state"], lazy=False
        ):
            counts = expected.setdefault(
                str(group["stage_id"][0]), dict.fromkeys(progress_bar["colors"], 0)
            )
            if group["activity_state"] in counts:
                counts[group["activity_state"]] += group["__count"]
        self.assertEqual(result, expected)
        self.assertEqual(
            result[str(self.stage_new.id)], {"planned": 1, "today": 1, "overdue": 1}
        )

    def test_has_open_activity_follows_activities(self):
        """The stored flag the progress bar reads follows the complaint's open
        activities: scheduled, done (kept archived or deleted), cancelled,
        and the progress bar counts a complaint again once it has one."""
        complaint = self._create_complaint(name="Flag")
        self.assertFalse(complaint.has_open_activity)
        activity_type = self.env.ref("mail.mail_activity_data_todo")
        first = complaint.activity_schedule(
            activity_type_id=activity_type.id, user_id=self.user_agent.id
        )
        second = complaint.activity_schedule(
            activity_type_id=activity_type.id, user_id=self.user_agent.id
        )
        self.env.flush_all()
        self.assertTrue(complaint.has_open_activity)
        # one of two done: still one open
        first.action_feedback(feedback="Called")
        self.assertTrue(complaint.has_open_activity)
        # the last one cancelled: none open
        second.unlink()
        self.assertFalse(complaint.has_open_activity)
        progress_bar = {
            "field": "activity_state",
            "colors": {"planned": "success", "today": "warning", "overdue": "danger"},
            "help": "",
        }
        domain = [("id", "=", complaint.id)]
        self.assertEqual(
            self.Complaint.read_progress_bar(domain, "stage_id", progress_bar), {}
        )
        # scheduled in the same transaction, not flushed yet: counted
        complaint.activity_schedule(
            activity_type_id=activity_type.id,
            date_deadline=fields.Date.context_today(complaint) - timedelta(days=1),
            user_id=self.user_agent.id,
        )
        self.assertEqual(
            self.Complaint.read_progress_bar(domain, "stage_id", progress_bar),
            {str(complaint.stage_id.id): {"planned": 0, "today": 0, "overdue": 1}},
        )

    def test_card_customer_name_follows_the_customer(self):
        """The card's stored customer name is the customer's display name,
        and follows a rename."""
        complaint = self._create_complaint(name="Named")
        customer = complaint.commercial_partner_id
        self.assertEqual(complaint.commercial_partner_name, customer.display_name)
        customer.name = "Renamed Customer"
        self.env.flush_all()
        complaint.invalidate_recordset()
        self.assertEqual(complaint.commercial_partner_name, "Renamed Customer")

    def test_columns_in_stage_order(self):
        """The columns (grouped by stage) come in the stages' order, the
        complaints without a stage last, with offset and limit applied in
        that order; what the ORM's ordered grouping returns."""
        stages = self.env["cou.complaint.stage"].create(
            [
                {"name": f"Order {sequence}", "sequence": sequence}
                for sequence in (30, 10, 20)
            ]
        )
        for stage in stages:
            self._create_complaint(name=stage.name).stage_id = stage
        staged = self.Complaint.search([("stage_id", "in", stages.ids)])
        (staged[:1]).with_context(tracking_disable=True).write({"stage_id": False})
        self.env.flush_all()
        domain = [("id", "in", staged.ids)]
        expected = sorted(
            staged.stage_id, key=lambda stage: (stage.sequence, stage.id)
        ) + [self.env["cou.complaint.stage"]]
        rows = self.Complaint._read_group(
            domain, ["stage_id"], ["__count"], order="stage_id"
        )
        self.assertEqual([stage for stage, _count in rows], expected)
        self.assertEqual(
            [
                stage
                for stage, _count in self.Complaint._read_group(
                    domain,
                    ["stage_id"],
                    ["__count"],
                    offset=1,
                    limit=1,
                    order="stage_id ASC",
                )
            ],
            expected[1:2],
        )
        # another order: the ORM's own (the stages' order reversed)
        rows = self.Complaint._read_group(
            domain, ["stage_id"], ["__count"], order="stage_id desc"
        )
        self.assertEqual([stage for stage, _count in rows if stage], expected[-2::-1])

    def test_kanban_cards_one_fetch(self):
        """The kanban's cards (the fields of its arch) are fetched with the
        search: the multi-company rule's check reads no second row set."""
        self._create_complaint(name="Card")
        arch = self.Complaint.get_views([(False, "kanban")])["views"]["kanban"]["arch"]
        self.assertIn('name="company_id"', arch)
        spec = {
            "company_id": {"fields": {"display_name": {}}},
            "name": {},
            "stage_id": {"fields": {"display_name": {}}},
            "activity_state": {},
        }
        Complaint = self.Complaint.with_user(self.user_agent)
        Complaint.web_search_read([], spec, limit=40)  # warm-up
        Complaint.env.invalidate_all()
        # the cards with their columns (one fetch), the relations they show
        with self.assertQueryCount(8):
            Complaint.web_search_read([], spec, limit=40)


@tagged("post_install", "-at_install")
class TestComplaintKanbanFirstPage(ComplaintCommon):
    """What the web client loads when the complaints kanban opens: the stage
    columns with their counts, the progress bars, the first 40 cards of every
    open column with the card's fields (as bench complaint_kanban_first_page
    sends them). A fixed number of queries, whatever the number of cards,
    tags and activities."""

    def _kanban_spec(self, Complaint):
        arch = etree.fromstring(
            Complaint.get_views([(False, "kanban")])["views"]["kanban"]["arch"]
        )
        fields_info = Complaint.fields_get(attributes=["type"])
        spec = {}
        for node in arch.iter("field"):
            name = node.get("name")
            ftype = fields_info[name]["type"]
            if ftype == "many2one":
                invisible = node.get("invisible") in ("1", "True")
                spec[name] = {"fields": {} if invisible else {"display_name": {}}}
            elif node.get("widget") == "many2many_tags":
                spec[name] = {"fields": {"display_name": {}, "color": {}}}
            else:
                spec[name] = {}
        # the kanban_activity widget's dependencies
        for name in (
            "activity_exception_decoration",
            "activity_exception_icon",
            "activity_state",
            "activity_summary",
            "activity_type_icon",
            "activity_type_id",
        ):
            spec.setdefault(name, {})
        spec["activity_type_id"] = {"fields": {"display_name": {}}}
        return spec

    def _open_kanban(self, Complaint, spec):
        groups = Complaint.web_read_group(
            [], ["rating_last_value:avg"], ["stage_id"], limit=80, lazy=True
        )["groups"]
        Complaint.read_progress_bar(
            [],
            "stage_id",
            {
                "field": "activity_state",
                "colors": {
                    "planned": "success",
                    "today": "warning",
                    "overdue": "danger",
                },
                "help": "",
            },
        )
        columns = []
        for group in groups:
            if group["__fold"] or not group["stage_id_count"]:
                continue
            result = Complaint.with_context(
                default_stage_id=group["stage_id"][0]
            ).web_search_read(group["__domain"], spec, limit=40, count_limit=10001)
            columns.append((len(result["records"]), result["length"]))
        return columns

    def _create_cards(self, count):
        tag = self.env["cou.complaint.tag"].create({"name": f"Perf tag {count}"})
        complaints = self.Complaint.create(
            [
                {
                    "name": f"Card {count} {i}",
                    "team_id": self.team.id,
                    "partner_id": self.contact.id,
                    "user_id": self.user_agent.id,
                    "tag_ids": [(4, tag.id)],
                }
                for i in range(count)
            ]
        )
        (complaints[: count // 3]).write({"stage_id": self.stage_progress.id})
        for complaint in complaints[::2]:
            complaint.activity_schedule(
                act_type_xmlid="mail.mail_activity_data_todo",
                user_id=self.user_agent.id,
                summary="Call back",
            )
        self.env.flush_all()

    def test_kanban_first_page_queries(self):
        """10 cards or 90 (more than a column's first page: the column's
        count is queried too), the same queries, as an agent (team record
        rule): the columns, their stages, the progress bars, then per open
        column the cards, their tags, their activities (mail.activity's
        access check reads the complaints again) and the count; once, the
        team and members of the rule, the tags, activity types and the
        users' names (the cards show the customers' stored names)."""
        Complaint = self.Complaint.with_user(self.user_agent)
        spec = self._kanban_spec(Complaint)
        self.assertEqual(spec["company_id"], {"fields": {}})
        for count in (10, 90):
            self._create_cards(count)
            self._open_kanban(Complaint, spec)  # warm-up (rules, groups, views)
            Complaint.env.invalidate_all()
            with self.assertQueryCount(25):
                columns = self._open_kanban(Complaint, spec)
            self.assertTrue(columns)
        # a column longer than its first page: 40 cards and its count
        self.assertIn(40, [cards for cards, _length in columns])
        self.assertGreater(max(length for _cards, length in columns), 40)
