from datetime import datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import ComplaintCommon


@tagged("post_install", "-at_install")
class TestComplaintSla(ComplaintCommon):
    """The test calendar works Mon-Fri 8-12 and 13-17 UTC (8 hours a day).
    2024-03-01 is a Friday."""

    def test_policy_selection_most_specific(self):
        urgent = self.env["cou.complaint.sla"].create(
            {
                "name": "Urgent",
                "team_id": self.team.id,
                "priority": "3",
                "first_response_hours": 1,
                "resolution_hours": 4,
            }
        )
        damaged = self.env["cou.complaint.sla"].create(
            {
                "name": "Damaged",
                "team_id": self.team.id,
                "category_ids": [Command.link(self.category_damaged.id)],
                "resolution_hours": 24,
            }
        )
        urgent_damaged = self.env["cou.complaint.sla"].create(
            {
                "name": "Urgent damaged",
                "team_id": self.team.id,
                "priority": "3",
                "category_ids": [Command.link(self.category_damaged.id)],
                "resolution_hours": 2,
            }
        )
        complaint = self._create_complaint()
        self.assertEqual(complaint.sla_id, self.sla)
        complaint.priority = "3"
        self.assertEqual(complaint.sla_id, urgent)
        complaint.category_id = self.category_damaged
        self.assertEqual(complaint.sla_id, urgent_damaged)
        complaint.priority = "1"
        self.assertEqual(complaint.sla_id, damaged)
        self.assertFalse(
            self._create_complaint(team_id=self.other_team.id).sla_id,
            "no policy, no deadline",
        )

    @freeze_time("2024-03-01 15:00:00")
    def test_deadlines_skip_the_weekend(self):
        complaint = self._create_complaint()
        self.env.flush_all()
        self.assertEqual(complaint.date_open, datetime(2024, 3, 1, 15, 0))
        # 4 working hours: 2 on Friday (15-17), 2 on Monday (8-10)
        self.assertEqual(
            complaint.sla_first_response_deadline, datetime(2024, 3, 4, 10, 0)
        )
        # 16 working hours: 2 Friday + 8 Monday + 6 Tuesday (8-12, 13-15)
        self.assertEqual(complaint.sla_resolution_deadline, datetime(2024, 3, 5, 15, 0))
        self.assertFalse(complaint.sla_breached)

    def test_cron_flags_breach_and_schedules_activity(self):
        with freeze_time("2024-03-01 15:00:00"):
            complaint = self._create_complaint(user_id=self.user_agent.id)
            answered = self._create_complaint()
            answered.first_response_date = datetime(2024, 3, 1, 16, 0)
            self.env.flush_all()
        with freeze_time("2024-03-02 12:00:00"):  # Saturday: no working hour passed
            self.assertFalse(self.Complaint._cron_check_sla() & (complaint | answered))
        with freeze_time(
            "2024-03-04 10:30:00"
        ):  # Monday, after the first-response deadline
            flagged = self.Complaint._cron_check_sla()
            self.assertIn(complaint, flagged)
            self.assertNotIn(answered, flagged, "answered in time")
            self.assertTrue(complaint.sla_breached)
            self.assertTrue(complaint.sla_first_response_breached)
            self.assertFalse(complaint.sla_resolution_breached)
            self.assertEqual(complaint.sla_breach_date, datetime(2024, 3, 4, 10, 0))
            self.assertEqual(complaint.activity_ids.user_id, self.user_agent)
            self.assertFalse(
                self.Complaint._cron_check_sla() & complaint, "flagged once"
            )
        with freeze_time("2024-03-05 16:00:00"):
            self.Complaint._cron_check_sla()
            self.assertTrue(answered.sla_resolution_breached)
            self.assertEqual(
                answered.activity_ids.user_id,
                self.user_manager,
                "no assignee: the team leader",
            )
            answered.action_close()
            self.env.flush_all()
        self.assertTrue(answered.sla_breached)
        self.assertEqual(
            self.env["cou.complaint.report"]
            .search([("complaint_id", "=", answered.id)])
            .sla_success,
            0.0,
        )

    def test_paused_stage_over_weekend_moves_deadline(self):
        with freeze_time("2024-03-01 15:00:00"):
            complaint = self._create_complaint()
            complaint.first_response_date = datetime(2024, 3, 1, 15, 30)
            self.env.flush_all()
        with freeze_time("2024-03-01 16:00:00"):  # Friday: waiting for the customer
            complaint.stage_id = self.stage_waiting
            self.env.flush_all()
            self.assertEqual(complaint.sla_pause_start, datetime(2024, 3, 1, 16, 0))
        with freeze_time(
            "2024-03-05 16:00:00"
        ):  # Tuesday: past the original deadline (Tue 15:00), but paused
            self.assertFalse(self.Complaint._cron_check_sla() & complaint)
            self.assertFalse(complaint.sla_breached)
            complaint.stage_id = self.stage_progress
            self.env.flush_all()
        # paused: Fri 16-17 (1h) + Mon (8h) + Tue 8-12, 13-16 (7h) = 16 working hours
        self.assertAlmostEqual(complaint.sla_paused_hours, 16.0)
        self.assertFalse(complaint.sla_pause_start)
        # 16 + 16 = 32 working hours from Fri 15:00: 2 Fri + 8 Mon + 8 Tue + 8 Wed + 6
        # Thu -> Thu 15:00
        self.assertEqual(complaint.sla_resolution_deadline, datetime(2024, 3, 7, 15, 0))
        self.assertFalse(complaint.sla_breached)
        with freeze_time("2024-03-07 14:59:00"):
            complaint.action_close()
            self.env.flush_all()
        self.assertFalse(complaint.sla_breached)

    def test_closing_while_paused_stops_the_clock(self):
        with freeze_time("2024-03-01 15:00:00"):
            complaint = self._create_complaint()
            complaint.stage_id = self.stage_waiting
            self.env.flush_all()
        with freeze_time("2024-03-11 09:00:00"):
            complaint.action_close()
            self.env.flush_all()
        self.assertFalse(complaint.sla_pause_start)
        self.assertFalse(
            complaint.sla_resolution_breached, "the week spent waiting does not count"
        )

    def test_cron_is_set_based(self):
        with freeze_time("2024-03-01 09:00:00"):
            complaints = self.Complaint.create(
                [
                    {
                        "name": f"Bulk {i}",
                        "team_id": self.team.id,
                        "partner_id": self.contact.id,
                    }
                    for i in range(30)
                ]
            )
            self.env.flush_all()
        with freeze_time("2024-03-11 09:00:00"):
            flagged = self.Complaint._cron_check_sla(batch_size=20)
            self.assertEqual(len(flagged & complaints), 20, "one batch per call")
            flagged |= self.Complaint._cron_check_sla(batch_size=20)
            self.assertEqual(complaints.filtered("sla_breached"), complaints)


@tagged("post_install", "-at_install")
class TestComplaintSlaBounds(ComplaintCommon):
    def test_sla_targets_are_bounded(self):
        """SLA hours of 1e9, NaN or infinity would break every complaint of the
        team: they are refused with a clear message."""
        sla = self.env["cou.complaint.sla"].create(
            {"name": "Bounded", "team_id": self.team.id, "resolution_hours": 8.0}
        )
        for value in (1e9, float("nan"), float("inf"), -1.0):
            with self.assertRaises(ValidationError), self.env.cr.savepoint():
                sla.resolution_hours = value
                sla.flush_recordset()
        self.assertEqual(sla.resolution_hours, 8.0)
