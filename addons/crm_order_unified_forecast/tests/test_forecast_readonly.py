from odoo.tests import TransactionCase, tagged

from odoo.addons.crm_order_unified.tests.common_readonly import ReadonlyCaseMixin


@tagged("post_install", "-at_install")
class TestForecastReadonly(ReadonlyCaseMixin, TransactionCase):
    """What the forecast shows (the dashboard's forecast section, the
    forecast figures of the customer overview, its list and graph) reads a
    read replica (read-only cursor): same results, nothing written. On the
    demo data."""

    def test_dashboard_overview_and_lists(self):
        admin = self.env.ref("base.user_admin")
        data = self.cou_assert_same_on_readonly(
            self.env["cou.dashboard"].with_user(admin), "get_dashboard_data"
        )
        self.assertTrue(data["sections"])
        partner = self.env["res.partner"].search(
            [("customer_order_count", ">", 0)], limit=1
        )
        self.assertTrue(partner, "the demo data has customers with orders")
        overview = self.cou_assert_same_on_readonly(
            partner.with_user(admin), "get_customer_overview"
        )
        self.assertTrue(overview["figures"])
        Forecast = self.env["cou.forecast"].with_user(admin)
        self.cou_assert_same_on_readonly(
            Forecast,
            "web_read_group",
            [("is_latest", "=", True)],
            ["forecast_revenue:sum"],
            ["period_start:month"],
        )
        self.cou_assert_same_on_readonly(
            Forecast,
            "web_search_read",
            [("is_latest", "=", True)],
            {"display_name": {}, "forecast_qty": {}, "forecast_revenue": {}},
            limit=40,
        )
