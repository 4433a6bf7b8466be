from odoo.tests import tagged

from .common import ComplaintCommon


@tagged("post_install", "-at_install")
class TestCouDashboardComplaints(ComplaintCommon):
    """The complaint section of the Customer Hub dashboard: open complaints,
    SLA breaches, by category and by stage; each figure's list gives it."""

    def _section(self, user=None):
        env = self.env(user=user or self.user_manager)
        data = env["cou.dashboard"].get_dashboard_data()
        section = next(s for s in data["sections"] if s["key"] == "complaints")
        cards = {card["key"]: card for card in section["cards"]}
        charts = {chart["key"]: chart for chart in section["charts"]}
        return env, cards, charts

    def _count(self, env, action):
        return env[action["res_model"]].search_count(action["domain"])

    def test_complaint_figures(self):
        self.user_manager.groups_id |= self.env.ref(
            "crm_order_unified.group_crm_order_unified_user"
        )
        _env, before, _charts = self._section()
        self._create_complaint(category_id=self.category_damaged.id)
        breached = self._create_complaint(name="Late answer")
        self._create_complaint(name="Solved", stage_id=self.stage_resolved.id)
        breached.flush_recordset()
        self.env.cr.execute(
            "UPDATE cou_complaint SET sla_breached = TRUE WHERE id = %s", [breached.id]
        )
        self.env.invalidate_all()
        env, cards, charts = self._section()
        self.assertEqual(
            cards["complaints_open"]["value"], before["complaints_open"]["value"] + 2
        )
        self.assertEqual(
            cards["complaints_sla_breached"]["value"],
            before["complaints_sla_breached"]["value"] + 1,
        )
        for card in cards.values():
            self.assertEqual(
                self._count(env, card["action"]), card["value"], card["key"]
            )
        for chart in charts.values():
            dataset = chart["datasets"][0]
            self.assertEqual(sum(dataset["data"]), cards["complaints_open"]["value"])
            for value, action in zip(dataset["data"], dataset["actions"], strict=True):
                self.assertEqual(self._count(env, action), value, chart["key"])
        by_category = charts["complaints_by_category"]
        index = by_category["labels"].index(self.category_damaged.display_name)
        self.assertGreaterEqual(by_category["datasets"][0]["data"][index], 1)

    def test_no_section_without_complaint_rights(self):
        user = self.env["res.users"].create(
            {
                "name": "COU Hub only",
                "login": "cou_hub_only",
                "groups_id": [
                    (
                        6,
                        0,
                        [
                            self.env.ref(
                                "crm_order_unified.group_crm_order_unified_user"
                            ).id
                        ],
                    )
                ],
            }
        )
        data = self.env(user=user)["cou.dashboard"].get_dashboard_data()
        self.assertNotIn("complaints", [s["key"] for s in data["sections"]])
