from datetime import datetime

from freezegun import freeze_time

from odoo.tests import tagged

from .common import ComplaintCommon


@tagged("post_install", "-at_install")
class TestComplaintTeamDashboard(ComplaintCommon):
    """The team overview's figures on a hand-built week. The test calendar works
    Mon-Fri 8-12 and 13-17 UTC; the team's SLA: answer in 4, solve in 16 working
    hours. 2024-03-11 is a Monday; the overview is read on Friday 2024-03-15 at
    noon."""

    NOW = "2024-03-15 12:00:00"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team.use_rating = True
        create = cls._create_at
        # open, answer due at 14:00 today: not overdue, not breached
        cls.fresh = create("2024-03-15 09:00:00")
        # open, never answered, answer was due Thursday 14:00: overdue and breached
        cls.unanswered = create("2024-03-14 09:00:00")
        # answered late (due Fri 10:00, answered 11:00), to be solved by Mon 15:00:
        # breached but not overdue
        cls.answered_late = create("2024-03-14 15:00:00")
        with freeze_time("2024-03-15 11:00:00"):
            cls.answered_late.first_response_date = datetime(2024, 3, 15, 11, 0)
        # answered, then waiting for the customer since Wednesday 10:00: its
        # resolution deadline (Fri 09:00) passed while paused: neither
        cls.paused = create("2024-03-13 09:00:00")
        with freeze_time("2024-03-13 10:00:00"):
            cls.paused.first_response_date = datetime(2024, 3, 13, 9, 30)
            cls.paused.stage_id = cls.stage_waiting
        # solved in the window: answered after 1 h, paused Mon 13:00 - Tue 13:00 (8
        # working hours), closed Wed 09:00: 16 working hours open, 8 without the pause
        cls.solved = create("2024-03-11 09:00:00")
        with freeze_time("2024-03-11 10:00:00"):
            cls.solved.first_response_date = datetime(2024, 3, 11, 10, 0)
        with freeze_time("2024-03-11 13:00:00"):
            cls.solved.stage_id = cls.stage_waiting
        with freeze_time("2024-03-12 13:00:00"):
            cls.solved.stage_id = cls.stage_progress
        with freeze_time("2024-03-13 09:00:00"):
            cls.solved.action_close()
        # solved before the window, and cancelled in it: in no time figure
        cls.old = create("2024-01-08 09:00:00")
        with freeze_time("2024-01-09 09:00:00"):
            cls.old.action_close()
        cls.cancelled = create("2024-03-12 09:00:00")
        with freeze_time("2024-03-12 10:00:00"):
            cls.cancelled.stage_id = cls.stage_cancelled
        with freeze_time(cls.NOW):
            cls.Complaint._cron_check_sla()
            cls.env.flush_all()

    @classmethod
    def _create_at(cls, when):
        with freeze_time(when):
            complaint = cls.Complaint.create(
                {
                    "name": f"Dashboard {when}",
                    "team_id": cls.team.id,
                    "partner_id": cls.contact.id,
                }
            )
            cls.env.flush_all()
        return complaint

    def _figure(self, fname):
        self.team.invalidate_recordset()
        return self.team[fname]

    def _listed(self, action):
        return self.Complaint.search(action["domain"])

    @freeze_time(NOW)
    def test_open(self):
        expected = self.fresh | self.unanswered | self.answered_late | self.paused
        self.assertEqual(self._figure("open_complaint_count"), 4)
        self.assertEqual(
            self._listed(self.team.action_view_open_complaints()), expected
        )

    @freeze_time(NOW)
    def test_overdue(self):
        self.assertEqual(self._figure("overdue_complaint_count"), 1)
        self.assertEqual(
            self._listed(self.team.action_view_overdue_complaints()), self.unanswered
        )

    @freeze_time(NOW)
    def test_breached(self):
        self.assertEqual(self._figure("breached_complaint_count"), 2)
        self.assertEqual(
            self._listed(self.team.action_view_breached_complaints()),
            self.unanswered | self.answered_late,
        )

    @freeze_time(NOW)
    def test_average_first_response_in_working_hours(self):
        # answered_late: Thu 15-17 + Fri 8-11 = 5 h; paused: 0.5 h; solved: 1 h
        self.assertAlmostEqual(self.answered_late.first_response_hours, 5.0)
        self.assertAlmostEqual(self._figure("avg_first_response_hours"), 6.5 / 3)
        self.assertEqual(self.team.first_response_count, 3)
        action = self.team.action_view_first_responses()
        self.assertEqual(
            self._listed(action), self.answered_late | self.paused | self.solved
        )
        self.assertEqual(
            action["views"][0][0],
            self.env.ref(
                "crm_order_unified_complaint.cou_complaint_view_list_times"
            ).id,
        )

    @freeze_time(NOW)
    def test_average_resolution_without_paused_hours(self):
        self.assertAlmostEqual(self.solved.sla_paused_hours, 8.0)
        self.assertAlmostEqual(self.solved.resolution_hours, 8.0)
        self.assertAlmostEqual(self._figure("avg_resolution_hours"), 8.0)
        self.assertEqual(self.team.resolution_count, 1)
        self.assertEqual(self._listed(self.team.action_view_resolutions()), self.solved)
        report = self.env["cou.complaint.report"].search(
            [("complaint_id", "=", self.solved.id)]
        )
        self.assertAlmostEqual(
            report.resolution_hours, 8.0, msg="the analysis counts the same hours"
        )

    def test_satisfaction_of_the_last_30_days(self):
        Rating = self.env["rating.rating"]
        ratings = Rating
        for complaint, value in (
            (self.solved, 5),
            (self.old, 4),
            (self.cancelled, 1),
            (self.fresh, 1),  # given two months ago: out of the period
        ):
            ratings |= Rating.create(
                {
                    "res_model_id": self.env["ir.model"]._get_id("cou.complaint"),
                    "res_id": complaint.id,
                    "parent_res_model_id": self.env["ir.model"]._get_id(
                        "cou.complaint.team"
                    ),
                    "parent_res_id": self.team.id,
                    "partner_id": self.contact.id,
                    "rating": value,
                    "consumed": True,
                }
            )
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE rating_rating SET write_date = %s WHERE id IN %s",
            [datetime(2024, 3, 10, 12, 0), tuple(ratings[:3].ids)],
        )
        self.env.cr.execute(
            "UPDATE rating_rating SET write_date = %s WHERE id = %s",
            [datetime(2024, 1, 10, 12, 0), ratings[3].id],
        )
        Rating.invalidate_model()
        with freeze_time(self.NOW):
            self.assertEqual(self._figure("satisfaction_rate"), 67)  # 2 of 3
            self.assertEqual(self.team.satisfaction_rating_count, 3)
            action = self.team.action_view_satisfaction()
            self.assertEqual(Rating.search(action["domain"]), ratings[:3])
        with freeze_time("2024-06-01 12:00:00"):
            self.assertEqual(self._figure("satisfaction_rate"), -1, "none: no figure")

    def test_satisfaction_per_company(self):
        company_b = self.env["res.company"].create({"name": "COU Overview B"})
        self.env.user.company_ids |= company_b
        team_b = self.env["cou.complaint.team"].create(
            {"name": "Care B", "company_id": company_b.id}
        )
        complaint_b = self.Complaint.with_company(company_b).create(
            {
                "name": "B: late parcel",
                "team_id": team_b.id,
                "partner_id": self.contact.id,
                "company_id": company_b.id,
            }
        )
        self.env["rating.rating"].create(
            {
                "res_model_id": self.env["ir.model"]._get_id("cou.complaint"),
                "res_id": complaint_b.id,
                "parent_res_model_id": self.env["ir.model"]._get_id(
                    "cou.complaint.team"
                ),
                "parent_res_id": team_b.id,
                "partner_id": self.contact.id,
                "rating": 1,
                "consumed": True,
            }
        )
        self.assertEqual(team_b.satisfaction_rate, 0)
        self.assertEqual(self._figure("satisfaction_rate"), -1)
        in_a = self.env["cou.complaint.team"].with_user(self.user_manager)
        self.assertNotIn(
            team_b, in_a.search([]), "company B's team is not shown in company A"
        )

    def test_overview_is_the_first_complaint_menu(self):
        menu = self.env.ref("crm_order_unified_complaint.cou_complaint_menu_main")
        first = menu.child_id.sorted("sequence")[:1]
        self.assertEqual(
            first,
            self.env.ref(
                "crm_order_unified_complaint.cou_complaint_team_menu_dashboard"
            ),
        )
        self.assertEqual(
            first.action,
            self.env.ref(
                "crm_order_unified_complaint.cou_complaint_team_action_dashboard"
            ),
        )

    def test_agent_sees_figures_of_own_complaints_only(self):
        """Record rules apply: an agent outside the team sees none of its complaints
        (hence figures of zero), no error."""
        team = self.team.with_user(self.user_outsider)
        self.assertEqual(team.open_complaint_count, 0)
        self.assertEqual(team.overdue_complaint_count, 0)
        self.team.invalidate_recordset()
        self.assertEqual(
            self.team.with_user(self.user_agent).open_complaint_count,
            4,
            "a member sees the team's",
        )
