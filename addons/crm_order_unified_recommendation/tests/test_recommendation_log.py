from odoo.exceptions import UserError
from odoo.tests import tagged, users

from .common import CouRecommendationCommon


@tagged("post_install", "-at_install")
class TestRecommendationLog(CouRecommendationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Recommendation._rebuild(cls.company_a)
        cls.quotation = cls._cou_create_order(
            cls.bakers[3], [(cls.bread, 1, 2.0)], confirm=False, user=cls.user_salesman
        )

    @users("cou_salesman")
    def test_panel_shows_logs_and_adds(self):
        order = self.env["sale.order"].browse(self.quotation.id)
        data = order.cou_recommendation_panel_data()
        self.assertTrue(data["can_add"])
        names = [s["name"] for s in data["suggestions"]]
        self.assertIn("COU Jam", names)
        self.assertNotIn("COU Bread", names, "already on the order")
        jam = next(s for s in data["suggestions"] if s["product_id"] == self.jam.id)
        self.assertEqual(jam["kind_label"], "Cross-sell")
        self.assertTrue(jam["reason"])
        logs = self.env["cou.recommendation.log"].search([("order_id", "=", order.id)])
        self.assertEqual(len(logs), len(data["suggestions"]))
        self.assertFalse(any(logs.mapped("added")))
        # shown again: still one row per product
        order.cou_recommendation_panel_data()
        self.assertEqual(
            self.env["cou.recommendation.log"].search_count(
                [("order_id", "=", order.id)]
            ),
            len(logs),
        )
        line_id = order.action_cou_recommendation_add(self.jam.id, "cross_sell")
        line = self.env["sale.order.line"].browse(line_id)
        self.assertEqual(line.product_id, self.jam)
        log = logs.filtered(lambda entry: entry.product_id == self.jam)
        self.assertTrue(log.added)
        self.assertEqual(log.added_amount, line.price_subtotal)
        self.assertEqual(log.user_id, self.user_salesman)
        # the added product is no longer suggested on this order
        data = order.cou_recommendation_panel_data()
        self.assertNotIn(self.jam.id, [s["product_id"] for s in data["suggestions"]])

    def test_report_groups_by_kind_and_salesperson(self):
        order = self.quotation
        order.cou_recommendation_panel_data()
        order.action_cou_recommendation_add(self.jam.id, "cross_sell")
        groups = self.env["cou.recommendation.log"]._read_group(
            [("order_id", "=", order.id)],
            ["kind", "user_id"],
            ["shown_count:sum", "added_count:sum", "added_amount:sum"],
        )
        cross = [g for g in groups if g[0] == "cross_sell"][0]
        self.assertEqual(cross[1], self.user_salesman)
        self.assertEqual(cross[3], 1)
        self.assertEqual(cross[4], 4.0)

    def test_confirmed_order_cannot_get_lines(self):
        order = self.quotation
        order.action_confirm()
        self.assertFalse(order.cou_recommendation_panel_data()["can_add"])
        order.locked = True
        with self.assertRaises(UserError):
            order.action_cou_recommendation_add(self.jam.id)

    def test_partner_panel(self):
        data = self.bakers[3].cou_recommendation_panel_data()
        self.assertFalse(data["can_add"])
        self.assertIn(self.jam.id, [s["product_id"] for s in data["suggestions"]])

    def test_portal_suggestions_follow_the_setting(self):
        self.assertEqual(self.quotation._cou_recommendation_portal_suggestions(), [])
        self.company_a.cou_recommendation_portal = True
        names = [
            s["name"] for s in self.quotation._cou_recommendation_portal_suggestions()
        ]
        self.assertIn("COU Jam", names)
        self.assertNotIn("COU Bread", names)
