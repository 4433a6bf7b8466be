from freezegun import freeze_time

from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestCouDashboardForecast(TransactionCase):
    """The forecast section of the Customer Hub dashboard: none without
    forecasts; the company total's next months with their interval."""

    def _section(self):
        admin = self.env.ref("base.user_admin")
        data = self.env(user=admin)["cou.dashboard"].get_dashboard_data()
        return next((s for s in data["sections"] if s["key"] == "forecast"), None)

    @freeze_time("2026-03-15 12:00:00")
    def test_forecast_section(self):
        Forecast = self.env["cou.forecast"]
        Forecast.search([]).unlink()
        self.assertIsNone(self._section())
        company = self.env.ref("base.user_admin").company_id
        rows = []
        for month, revenue in (("2026-03-01", 1000.0), ("2026-04-01", 1200.0)):
            rows.append(
                {
                    "company_id": company.id,
                    "as_of": "2026-03-14",
                    "is_latest": True,
                    "granularity": "month",
                    "level": "total",
                    "row_type": "forecast",
                    "period_start": month,
                    "forecast_revenue": revenue,
                    "forecast_qty": 100.0,
                    "lower_qty": 80.0,
                    "upper_qty": 130.0,
                }
            )
        # a past month and a category row are not the company total's future
        rows.append({**rows[0], "period_start": "2026-02-01", "forecast_revenue": 5.0})
        rows.append({**rows[0], "level": "category", "forecast_revenue": 7.0})
        Forecast.create(rows)
        section = self._section()
        chart = section["charts"][0]
        forecast, low, high = chart["datasets"]
        self.assertEqual(forecast["data"], [1000.0, 1200.0])
        self.assertEqual(low["data"], [800.0, 960.0])
        self.assertEqual(high["data"], [1300.0, 1560.0])
        self.assertEqual(section["cards"][0]["value"], 1000.0)
        for value, action in zip(forecast["data"], forecast["actions"], strict=True):
            listed = Forecast.search(action["domain"])
            self.assertEqual(sum(listed.mapped("forecast_revenue")), value)
