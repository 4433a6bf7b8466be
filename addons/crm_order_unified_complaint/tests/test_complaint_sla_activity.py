from datetime import datetime

from freezegun import freeze_time
from lxml import etree

from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .common import ComplaintCommon


@tagged("post_install", "-at_install")
class TestComplaintSlaActivity(ComplaintCommon):
    """The "SLA breached" reminder: created once, only for an open complaint that
    really breached, gone when it is closed or no longer late; the flags, the
    reminder and the kanban card tell the same. 2024-03-01 is a Friday; the test
    calendar works Mon-Fri 8-12, 13-17 UTC; answer in 4, solve in 16 hours."""

    def _breach_activities(self, complaints):
        return complaints._get_breach_activities()

    def test_cron_schedules_once_then_resolution_breach_adds_none(self):
        with freeze_time("2024-03-01 15:00:00"):
            complaint = self._create_complaint(user_id=self.user_agent.id)
            self.env.flush_all()
        with freeze_time("2024-03-04 10:30:00"):  # answer due Mon 10:00
            self.Complaint._cron_check_sla()
            self.Complaint._cron_check_sla()
            self.assertTrue(complaint.sla_first_response_breached)
            self.assertFalse(complaint.sla_resolution_breached)
            self.assertEqual(len(self._breach_activities(complaint)), 1)
            complaint.first_response_date = datetime(2024, 3, 4, 10, 30)
            self.env.flush_all()
        with freeze_time("2024-03-05 16:00:00"):  # solve due Tue 15:00
            flagged = self.Complaint._cron_check_sla()
            self.assertIn(complaint, flagged, "the resolution breach is flagged too")
            self.assertTrue(complaint.sla_resolution_breached)
            self.assertEqual(
                len(self._breach_activities(complaint)), 1, "no second reminder"
            )
            self.assertFalse(self.Complaint._cron_check_sla() & complaint)

    def test_closing_removes_the_reminder(self):
        with freeze_time("2024-03-01 09:00:00"):
            complaint = self._create_complaint(user_id=self.user_agent.id)
        with freeze_time("2024-03-11 09:00:00"):
            self.Complaint._cron_check_sla()
            self.assertTrue(self._breach_activities(complaint))
            complaint.action_close()
            self.assertTrue(complaint.sla_breached, "the missed deadline stays")
            self.assertFalse(self._breach_activities(complaint))

    def test_no_longer_late_removes_the_reminder(self):
        urgent = self.env["cou.complaint.sla"].create(
            {
                "name": "Urgent",
                "team_id": self.team.id,
                "priority": "3",
                "first_response_hours": 1,
            }
        )
        with freeze_time("2024-03-01 09:00:00"):
            complaint = self._create_complaint(priority="3")
        with freeze_time("2024-03-01 11:00:00"):
            self.Complaint._cron_check_sla()
            self.assertEqual(complaint.sla_id, urgent)
            self.assertTrue(self._breach_activities(complaint))
            complaint.priority = "1"  # the standard policy: answer by 13:00
            self.assertFalse(complaint.sla_breached)
            self.assertFalse(self._breach_activities(complaint))

    def test_done_reminder_is_not_recreated(self):
        with freeze_time("2024-03-01 09:00:00"):
            complaint = self._create_complaint(user_id=self.user_agent.id)
        with freeze_time("2024-03-11 09:00:00"):
            self.Complaint._cron_check_sla()
            self._breach_activities(complaint).action_done()
            complaint.name = "Broken kettle, called the customer"
            self.Complaint._cron_check_sla()
            self.assertFalse(self._breach_activities(complaint))

    def test_demo_reminders_match_the_breaches(self):
        """Demo complaints: only some breach; each open breached one has exactly one
        reminder, no other has any; ratings are spread over the past months."""
        self.Complaint._demo_create_complaints()
        demo = self.env.ref("crm_order_unified_complaint.cou_demo_complaint_01")
        complaints = self.Complaint.search(
            [("id", ">=", demo.id), ("team_id", "=", demo.team_id.id)]
        )
        self.assertGreaterEqual(len(complaints), 14)
        breached = complaints.filtered("sla_breached")
        self.assertTrue(breached, "the demo shows breaches")
        self.assertLess(len(breached), len(complaints) / 2, "only some breach")
        self.assertTrue(breached.filtered("is_closed"), "some were closed late")
        self.assertTrue(breached.filtered(lambda c: not c.is_closed))
        activities = self._breach_activities(complaints)
        counts = {c: 0 for c in complaints}
        for activity in activities:
            counts[self.Complaint.browse(activity.res_id)] += 1
        for complaint, count in counts.items():
            expected = int(
                complaint._is_breach_pending()
                and bool(complaint._get_sla_responsible())
            )
            self.assertEqual(count, expected, complaint.name)
        ratings = self.env["rating.rating"].search(
            [
                ("res_model", "=", "cou.complaint"),
                ("res_id", "in", complaints.ids),
                ("consumed", "=", True),
            ]
        )
        self.assertGreaterEqual(len(ratings), 5)
        months = {rating.write_date.strftime("%Y-%m") for rating in ratings}
        self.assertGreaterEqual(len(months), 3, "spread over the past months")
        for rating in ratings:
            complaint = self.Complaint.browse(rating.res_id)
            self.assertGreater(rating.write_date, complaint.date_closed)

    def _card_deadline_shown(self, complaint):
        """Names of the kanban card's deadline lines visible for ``complaint``."""
        view = self.env.ref("crm_order_unified_complaint.cou_complaint_view_kanban")
        arch = etree.fromstring(view.arch)
        values = {
            fname: complaint[fname]
            for fname in (
                "is_closed",
                "sla_pause_start",
                "first_response_date",
                "sla_first_response_deadline",
                "sla_resolution_deadline",
                "sla_breached",
                "sla_first_response_breached",
                "sla_resolution_breached",
            )
        }
        shown = []
        for node in arch.xpath("//div[starts-with(@name, 'deadline_')]"):
            if not safe_eval(node.get("invisible"), values):
                shown.append(node.get("name"))
        ribbons = [
            node.get("title")
            for node in arch.xpath("//widget[@name='web_ribbon']")
            if not safe_eval(node.get("invisible"), values)
        ]
        return shown, ribbons

    def test_card_deadline_agrees_with_the_breach(self):
        with freeze_time("2024-03-01 15:00:00"):
            complaint = self._create_complaint()
            self.env.flush_all()
            self.assertEqual(
                self._card_deadline_shown(complaint), (["deadline_answer"], [])
            )
        with freeze_time("2024-03-04 10:30:00"):  # not answered by Mon 10:00
            self.Complaint._cron_check_sla()
            # late to answer: the card shows the missed answer deadline, not the
            # resolution one still days ahead
            self.assertEqual(
                self._card_deadline_shown(complaint),
                (["deadline_answer"], ["Answer Late"]),
            )
            complaint.first_response_date = datetime(2024, 3, 4, 10, 30)
            self.assertEqual(
                self._card_deadline_shown(complaint),
                (["deadline_resolution"], ["Answer Late"]),
            )
        with freeze_time("2024-03-05 16:00:00"):
            self.Complaint._cron_check_sla()
            self.assertEqual(
                self._card_deadline_shown(complaint),
                (["deadline_resolution"], ["Overdue"]),
            )
            complaint.stage_id = self.stage_waiting
            self.assertEqual(
                self._card_deadline_shown(complaint), (["deadline_paused"], ["Overdue"])
            )
            complaint.action_close()
            self.assertEqual(
                self._card_deadline_shown(complaint), ([], ["Solved Late"])
            )
