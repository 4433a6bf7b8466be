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
