import psycopg2

from odoo.tests import tagged

from odoo.addons.crm_order_unified.tests.common_readonly import ReadonlyCaseMixin

from .common import CouRecommendationCommon


@tagged("post_install", "-at_install")
class TestRecommendationReadonly(ReadonlyCaseMixin, CouRecommendationCommon):
    """Suggestions are served from a read replica (``@api.readonly``): the
    same on a read-only cursor. A quotation's panel logs what it shows: on
    a replica, that first showing makes Odoo run the call again on the
    primary; once logged, the replica serves it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Recommendation._rebuild(cls.company_a)
        cls.quotation = cls._cou_create_order(
            cls.bakers[3], [(cls.bread, 1, 2.0)], confirm=False, user=cls.user_salesman
        )

    def test_get_recommendations(self):
        result = self.cou_assert_same_on_readonly(
            self.Recommendation.with_user(self.user_salesman),
            "get_recommendations",
            self.bakers.ids,
        )
        self.assertIn(self.jam.id, [s["product_id"] for s in result[self.bakers[3].id]])

    def test_customer_and_document_panels(self):
        partner = self.bakers[3].with_user(self.user_salesman)
        data = self.cou_assert_same_on_readonly(
            partner, "cou_recommendation_panel_data"
        )
        self.assertIn(self.jam.id, [s["product_id"] for s in data["suggestions"]])
        order = self._cou_create_order(self.bakers[3], [(self.bread, 1, 2.0)])
        picking = order.picking_ids[:1].with_user(self.user_sale_manager)
        data = self.cou_assert_same_on_readonly(
            picking, "cou_recommendation_panel_data"
        )
        self.assertIn(self.jam.id, [s["product_id"] for s in data["suggestions"]])
        # a confirmed order's panel logs nothing
        data = self.cou_assert_same_on_readonly(
            order.with_user(self.user_sale_manager), "cou_recommendation_panel_data"
        )
        self.assertFalse(data["can_add"])

    def test_quotation_panel_logs_on_the_primary(self):
        self.cou_assert_readonly_method("sale.order", "cou_recommendation_panel_data")
        order = self.quotation.with_user(self.user_salesman)
        Log = self.env["cou.recommendation.log"]
        # first showing on a replica: ReadOnlySqlTransaction, which Odoo's
        # HTTP layer answers by running the call again on the primary
        with (
            self.assertRaises(psycopg2.errors.ReadOnlySqlTransaction),
            self.cou_readonly_env() as env,
        ):
            order.with_env(order.env(cr=env.cr)).cou_recommendation_panel_data()
        self.assertFalse(Log.search_count([("order_id", "=", order.id)]))
        data = order.cou_recommendation_panel_data()  # on the primary
        logged = Log.search_count([("order_id", "=", order.id)])
        self.assertEqual(logged, len(data["suggestions"]))
        # shown again: nothing to write, the replica answers
        again = self.cou_assert_same_on_readonly(order, "cou_recommendation_panel_data")
        self.assertEqual(again, data)
        self.assertEqual(Log.search_count([("order_id", "=", order.id)]), logged)
