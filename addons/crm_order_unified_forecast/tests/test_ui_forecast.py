from odoo.tests import new_test_user, tagged

from odoo.addons.crm_order_unified.tests.common_tour import CouTourCase


@tagged("post_install", "-at_install", "cou_tour")
class TestUiForecast(CouTourCase):
    """A planner on the demo data: the actual-versus-forecast views of the
    heat-wave category with its method and backtest errors, a call for the
    customer most likely to reorder, and the replenishment proposal."""

    def test_forecast_tour(self):
        env = self.env
        company = env.ref("base.main_company")
        planner = new_test_user(
            env,
            login="cou_tour_planner",
            groups="base.group_user,sales_team.group_sale_salesman_all_leads,"
            "stock.group_stock_user,"
            "crm_order_unified_forecast.group_cou_forecast_planner",
            company_id=company.id,
            company_ids=company.ids,
        )
        category = env["product.category"].search(
            [("name", "=", "Ice Cream & Cold Drinks")], limit=1
        )
        self.assertTrue(category, "the demo's heat-wave category")
        forecast = env["cou.forecast"].search(
            [
                ("is_latest", "=", True),
                ("company_id", "=", company.id),
                ("granularity", "=", "month"),
                ("level", "=", "category"),
                ("categ_id", "=", category.id),
                ("row_type", "=", "forecast"),
            ]
        )
        self.assertTrue(forecast, "the demo computed the forecasts")
        Partner = env["res.partner"].with_company(company)
        learnt = Partner.search_count(
            [("is_company", "=", True), ("customer_reorder_probability", ">", 0)]
        )
        self.assertTrue(learnt, "the demo learnt the reorder probabilities")
        # whether a demo customer is due on the day the tests run depends on
        # that day (the demo's orders are dated from it; the model is tested
        # in test_reorder): one more customer, due as the model would store it
        Partner.create(
            {"name": "Tour Reorder Trading", "is_company": True}
        ).customer_reorder_probability = 0.95
        due = Partner.search(
            [
                ("is_company", "=", True),
                ("customer_reorder_probability", ">=", 0.5),
            ],
            order="customer_reorder_probability desc, id",
        )
        # the list shows each customer's first activity: none before the tour's
        due.activity_ids.unlink()
        self.start_tour(
            "/odoo/action-crm_order_unified_forecast.cou_forecast_action",
            "crm_order_unified_forecast_tour",
            login=planner.login,
        )
        # one call planned, with the customer the list showed first
        calls = due.activity_ids.filtered(
            lambda activity: activity.summary == "Due to reorder: call the customer"
        )
        self.assertEqual(len(calls), 1)
        self.assertEqual(
            calls.activity_type_id, env.ref("mail.mail_activity_data_call")
        )
        orderpoint = env["stock.warehouse.orderpoint"].search(
            [
                ("company_id", "=", company.id),
                ("product_id.categ_id", "=", category.id),
            ]
        )
        self.assertTrue(orderpoint, "the proposal made reordering rules")
        self.assertTrue(all(op.product_max_qty > 0 for op in orderpoint))
