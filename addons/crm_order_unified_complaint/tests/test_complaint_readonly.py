from odoo.tests import tagged

from odoo.addons.crm_order_unified.tests.common_readonly import ReadonlyCaseMixin

from .common import ComplaintCommon


@tagged("post_install", "-at_install")
class TestComplaintReadonly(ReadonlyCaseMixin, ComplaintCommon):
    """The team overview (kanban of teams with their figures), the complaint
    list and the dashboard's complaint section read a read replica
    (read-only cursor): same results, nothing written."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for name in ("COU Replica 1", "COU Replica 2"):
            cls.Complaint.create(
                {"name": name, "team_id": cls.team.id, "partner_id": cls.contact.id}
            )

    def test_team_overview(self):
        Team = self.env["cou.complaint.team"].with_user(self.user_manager)
        spec = {
            "open_complaint_count": {},
            "overdue_complaint_count": {},
            "breached_complaint_count": {},
            "avg_first_response_hours": {},
            "avg_resolution_hours": {},
            "satisfaction_rate": {},
        }
        result = self.cou_assert_same_on_readonly(
            Team, "web_search_read", [("id", "=", self.team.id)], spec
        )
        self.assertEqual(result["records"][0]["open_complaint_count"], 2)
        Complaint = self.Complaint.with_user(self.user_manager)
        result = self.cou_assert_same_on_readonly(
            Complaint,
            "web_search_read",
            [("team_id", "=", self.team.id)],
            {"name": {}, "stage_id": {"fields": {"display_name": {}}}},
        )
        self.assertEqual(result["length"], 2)

    def test_dashboard_section(self):
        admin = self.env.ref("base.user_admin")
        data = self.cou_assert_same_on_readonly(
            self.env["cou.dashboard"].with_user(admin), "get_dashboard_data"
        )
        self.assertIn("complaints", [section["key"] for section in data["sections"]])
