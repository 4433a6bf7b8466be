"""Access: forecasts per company; users read, planners recompute."""

from datetime import date

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import FIRST_MONTH, CouForecastCommon


@tagged("post_install", "-at_install")
class TestCouForecastAccess(CouForecastCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._cou_history(cls._cou_monthly_rows(cls.product_tea, FIRST_MONTH, [5] * 14))
        cls._cou_history(
            cls._cou_monthly_rows(cls.product_tea, FIRST_MONTH, [7] * 14),
            company=cls.company_b,
        )
        cls.as_of = date(2023, 3, 5)
        cls.Forecast._run_forecast(cls.company_a, as_of=cls.as_of)
        cls.Forecast._run_forecast(cls.company_b, as_of=cls.as_of)

    def test_users_see_their_companies_only(self):
        rows = self.Forecast.with_user(self.user_salesman).search([])
        self.assertTrue(rows)
        self.assertEqual(rows.company_id, self.company_a)
        both = (
            self.Forecast.with_user(self.user_hub_manager)
            .with_context(allowed_company_ids=(self.company_a | self.company_b).ids)
            .search([])
        )
        self.assertEqual(both.company_id, self.company_a | self.company_b)

    def test_users_read_planners_recompute(self):
        row = self.Forecast.with_user(self.user_salesman).search([], limit=1)
        self.assertTrue(row.forecast_qty >= 0)
        with self.assertRaises(AccessError):
            row.write({"method": "x"})
        with self.assertRaises(AccessError):
            self.Forecast.with_user(self.user_salesman).action_recompute()
        with self.assertRaises(AccessError):
            self.Forecast.with_user(self.user_employee).search([])
        self.Forecast.with_user(self.user_planner).action_recompute()
        self.assertTrue(
            self.Forecast.search(
                [("company_id", "=", self.company_a.id), ("as_of", "=", date.today())]
            )
        )

    def test_manager_is_planner(self):
        self.assertTrue(
            self.user_hub_manager.has_group(
                "crm_order_unified_forecast.group_cou_forecast_planner"
            )
        )
