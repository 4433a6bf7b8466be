"""cou.forecast._run_forecast on real orders: levels, as_of, the partial
current month, cancelled orders, storage, worker safety, replenishment."""

from datetime import date, datetime

import numpy as np
from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

from odoo.tests import tagged

from .common import FIRST_MONTH, CouForecastCommon

AS_OF = date(2023, 7, 15)  # 18 full months of history, mid-July


@tagged("post_install", "-at_install")
class TestCouForecast(CouForecastCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # lemonade sells in summer, tea in winter, 2022-01 .. 2023-06
        summer = [
            10,
            10,
            20,
            40,
            80,
            120,
            150,
            140,
            60,
            20,
            10,
            10,
            12,
            12,
            25,
            45,
            90,
            130,
        ]
        winter = [90, 80, 60, 30, 10, 5, 5, 5, 20, 50, 80, 100, 95, 85, 60, 30, 12, 6]
        cls._cou_history(
            cls._cou_monthly_rows(cls.product_lemonade, FIRST_MONTH, summer)
            + cls._cou_monthly_rows(cls.product_tea, FIRST_MONTH, winter, price=5.0)
        )
        cls.count = cls.Forecast._run_forecast(cls.company_a, as_of=AS_OF)

    def test_levels_and_rows(self):
        self.assertGreaterEqual(self.count, 5, "total, 2 categories, 2 products")
        total = self._cou_rows(AS_OF, level="total")
        self.assertEqual(len(total), 6)
        self.assertEqual(
            total[0].period_start, date(2023, 7, 1), "starts with the current month"
        )
        self.assertEqual(total[-1].period_start, date(2023, 12, 1))
        lemonade = self._cou_rows(AS_OF, product_id=self.product_lemonade)
        self.assertEqual(len(lemonade), 6)
        self.assertTrue(all(row.method for row in lemonade))
        self.assertTrue(
            all(row.lower_qty <= row.forecast_qty <= row.upper_qty for row in lemonade)
        )
        self.assertGreater(lemonade[0].forecast_revenue, 0)
        self.assertEqual(lemonade[0].categ_id, self.env["product.category"])
        category = self._cou_rows(AS_OF, level="category", categ_id=self.categ_drinks)
        self.assertEqual(len(category), 6)
        self.assertTrue(all(row.is_latest for row in category))
        # seasonal: lemonade forecast for July above December, tea the reverse
        self.assertGreater(lemonade[0].forecast_qty, lemonade[5].forecast_qty)
        tea = self._cou_rows(AS_OF, product_id=self.product_tea)
        self.assertLess(tea[0].forecast_qty, tea[5].forecast_qty)

    def test_actuals_exclude_the_partial_month(self):
        """Actual rows stop at the month before as_of's month: a July order
        dated before as_of is neither fitted nor shown as an actual."""
        self._cou_history([(datetime(2023, 7, 3), self.product_lemonade, 5000, 2.0)])
        self.Forecast._run_forecast(self.company_a, as_of=AS_OF)
        actuals = self._cou_rows(
            AS_OF, row_type="actual", product_id=self.product_lemonade
        )
        self.assertEqual(actuals[-1].period_start, date(2023, 6, 1))
        self.assertEqual(actuals[-1].actual_qty, 130)
        forecast = self._cou_rows(AS_OF, product_id=self.product_lemonade)
        self.assertLess(forecast[0].forecast_qty, 1000)

    def test_as_of_never_lets_a_later_order_in(self):
        before = self._cou_rows(AS_OF, level="total").mapped("forecast_qty")
        self._cou_history([(datetime(2023, 7, 20), self.product_lemonade, 99999, 2.0)])
        self._cou_history(
            [(datetime(2023, 5, 20), self.product_tea, 7, 5.0)],
            partner=self.customer_other_company,
        )
        self.env["sale.order"].search(
            [("partner_id", "=", self.customer_other_company.id)]
        ).date_order = datetime(2023, 8, 1)
        self.Forecast._run_forecast(self.company_a, as_of=AS_OF)
        self.assertEqual(
            self._cou_rows(AS_OF, level="total").mapped("forecast_qty"), before
        )

    def test_cancelled_and_quotation_orders_do_not_count(self):
        """One huge order cancelled minutes later, and a quotation, change nothing."""
        before = self._cou_rows(AS_OF, row_type="actual", level="total").mapped(
            "actual_qty"
        )
        huge = self._cou_history(
            [(datetime(2023, 6, 5, 10, 0), self.product_lemonade, 100000, 2.0)]
        )
        huge._action_cancel()
        quotation = self.env["sale.order"].create(
            {
                "partner_id": self.customer_company.id,
                "order_line": [
                    (0, 0, {"product_id": self.product_tea.id, "product_uom_qty": 500})
                ],
            }
        )
        quotation.date_order = datetime(2023, 6, 6)
        self.Forecast._run_forecast(self.company_a, as_of=AS_OF)
        self.assertEqual(
            self._cou_rows(AS_OF, row_type="actual", level="total").mapped(
                "actual_qty"
            ),
            before,
        )

    def test_rerun_replaces_and_past_runs_are_kept(self):
        n = self.Forecast.search_count([("as_of", "=", AS_OF)])
        self.Forecast._run_forecast(self.company_a, as_of=AS_OF)
        self.assertEqual(self.Forecast.search_count([("as_of", "=", AS_OF)]), n)
        earlier = date(2023, 3, 10)
        self.Forecast._run_forecast(self.company_a, as_of=earlier)
        self.assertTrue(self._cou_rows(earlier, level="total"))
        self.assertTrue(self._cou_rows(AS_OF, level="total"), "the other run is kept")
        self.assertTrue(all(self._cou_rows(earlier, level="total").mapped("is_latest")))
        self.assertFalse(any(self._cou_rows(AS_OF, level="total").mapped("is_latest")))

    def test_weekly(self):
        self.Forecast._run_forecast(
            self.company_a, as_of=AS_OF, granularity="week", horizon=4
        )
        total = self._cou_rows(AS_OF, level="total", granularity="week")
        self.assertEqual(len(total), 4)
        self.assertEqual(
            total[0].period_start, date(2023, 7, 10), "the Monday of as_of's week"
        )

    def test_one_year_of_history_company(self):
        """Company B has one year of history: forecasts without error."""
        self._cou_history(
            self._cou_monthly_rows(
                self.product_tea,
                date(2022, 7, 1),
                [5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16],
            ),
            company=self.company_b,
        )
        self.Forecast._run_forecast(self.company_b, as_of=date(2023, 7, 2))
        rows = self._cou_rows(
            date(2023, 7, 2), company=self.company_b, product_id=self.product_tea
        )
        self.assertEqual(len(rows), 6)
        self.assertTrue(all(row.forecast_qty > 0 for row in rows))

    def test_segment_level(self):
        segment = self.env["cou.segment"].create(
            {
                "name": "COU Forecast Static",
                "segment_type": "static",
                "static_partner_ids": [(6, 0, self.customer_company.ids)],
                "company_id": self.company_a.id,
            }
        )
        segment.action_recompute()
        members = (
            self.env["cou.segment.member"]
            .sudo()
            .search([("segment_id", "=", segment.id)])
        )
        members.date_from = datetime(2020, 1, 1)
        self.Forecast._run_forecast(self.company_a, as_of=AS_OF)
        rows = self._cou_rows(AS_OF, level="segment", segment_id=segment)
        self.assertEqual(len(rows), 6)
        self.assertEqual(
            sum(
                self._cou_rows(AS_OF, level="segment", row_type="actual").mapped(
                    "actual_qty"
                )
            ),
            sum(
                self._cou_rows(AS_OF, level="total", row_type="actual").mapped(
                    "actual_qty"
                )
            ),
        )
        # a customer who joined the segment after as_of is not in its series then
        members.date_from = datetime(2023, 8, 1)
        self.Forecast._run_forecast(self.company_a, as_of=AS_OF)
        self.assertFalse(self._cou_rows(AS_OF, level="segment", segment_id=segment))

    def test_reorder_probability_per_company(self):
        partner = self.customer_company
        value = partner.with_company(self.company_a).customer_reorder_probability
        self.assertGreater(value, 0.5, "orders every month, last one 5 weeks ago")
        self.assertLessEqual(value, 1.0)
        self.assertEqual(
            self.customer_contact.with_company(
                self.company_a
            ).customer_reorder_probability,
            value,
        )
        self.assertEqual(
            partner.with_company(self.company_b).customer_reorder_probability, 0.0
        )

    def test_worker_safety_lock(self):
        """A second worker finds the company's run locked and skips it."""
        from ..models.cou_forecast import LOCK_NAMESPACE

        with self.env.registry.cursor() as other:
            other.execute(
                "SELECT pg_try_advisory_lock(%s, %s)",
                (LOCK_NAMESPACE, self.company_a.id * 2),
            )
            self.assertTrue(other.fetchone()[0])
            self.assertFalse(self.Forecast._run_forecast(self.company_a, as_of=AS_OF))
            other.execute(
                "SELECT pg_advisory_unlock(%s, %s)",
                (LOCK_NAMESPACE, self.company_a.id * 2),
            )
        self.assertTrue(self.Forecast._run_forecast(self.company_a, as_of=AS_OF))

    def test_batches(self):
        """Chunks of one series give the same rows as one chunk."""
        rows = sorted(
            self._cou_rows(AS_OF, level="product").mapped(
                lambda r: (r.product_id.id, r.forecast_qty)
            )
        )
        self.Forecast._run_forecast(self.company_a, as_of=AS_OF, chunk_size=1)
        again = sorted(
            self._cou_rows(AS_OF, level="product").mapped(
                lambda r: (r.product_id.id, r.forecast_qty)
            )
        )
        self.assertEqual(rows, again)

    @freeze_time("2023-07-15")
    def test_replenishment_proposal(self):
        self.Forecast._run_forecast(self.company_a)  # as of today
        action = (
            self.env["stock.warehouse.orderpoint"]
            .with_company(self.company_a)
            .action_cou_propose_from_forecast()
        )
        orderpoints = self.env["stock.warehouse.orderpoint"].search(action["domain"])
        self.assertIn(self.product_lemonade, orderpoints.product_id)
        orderpoint = orderpoints.filtered(
            lambda op: op.product_id == self.product_lemonade
        )
        self.assertEqual(orderpoint.trigger, "manual")
        self.assertGreater(orderpoint.product_max_qty, 0)
        self.assertGreaterEqual(orderpoint.product_max_qty, orderpoint.product_min_qty)
        self.assertAlmostEqual(
            orderpoint.cou_forecast_demand, orderpoint.product_max_qty, delta=1
        )

    def test_driver_on_category(self):
        """A temperature driver of the drinks category: the category and
        its product get the driver candidate; a run without the driver's
        future values ignores it."""
        temperatures = [4, 5, 7, 9, 12, 15, 17, 17, 14, 11, 7, 5] * 2
        driver = (
            self.env["cou.forecast.driver"]
            .with_user(self.user_planner)
            .create(
                {
                    "name": "COU Temperature",
                    "categ_id": self.categ_drinks.id,
                    "value_ids": [
                        (
                            0,
                            0,
                            {
                                "period_start": date(2022, 1, 1)
                                + relativedelta(months=k),
                                "value": v,
                            },
                        )
                        for k, v in enumerate(temperatures)
                    ],
                }
            )
        )
        self.assertEqual(driver.value_ids[0].period_start, date(2022, 1, 1))
        self.Forecast._run_forecast(self.company_a, as_of=AS_OF)
        rows = self._cou_rows(AS_OF, level="category", categ_id=self.categ_drinks)
        self.assertEqual(len(rows), 6)
        self.assertTrue(all(row.forecast_qty >= 0 for row in rows))

    def test_driver_aligned_to_weeks(self):
        """A monthly driver over weekly periods: a week inside a month gets
        its value, a week across two months the mean of its days' values, a
        week touching a month without value none."""
        self.env["cou.forecast.driver"].with_user(self.user_planner).create(
            {
                "name": "COU Temperature",
                "categ_id": self.categ_drinks.id,
                "value_ids": [
                    (0, 0, {"period_start": date(2023, 5, 1), "value": 10.0}),
                    (0, 0, {"period_start": date(2023, 6, 1), "value": 17.0}),
                ],
            }
        )
        weeks = [date(2023, 5, 8), date(2023, 5, 29), date(2023, 6, 26)]
        arrays = self.env["cou.forecast.driver"]._cou_driver_arrays(
            self.company_a, weeks, "week"
        )
        values = arrays[self.categ_drinks.id]
        self.assertEqual(values[0], 10.0)
        # Monday 29 May to Sunday 4 June: 3 days of May, 4 of June
        self.assertAlmostEqual(values[1], (3 * 10.0 + 4 * 17.0) / 7)
        # 26 June to 2 July: July has no value
        self.assertTrue(np.isnan(values[2]))

    def test_weekly_driver_used_where_it_helps(self):
        """Weekly orders of a category that follow a monthly temperature
        (a heat wave in the last weeks before as_of): the weekly forecast of
        the category uses the driver, aligned to weeks, and sees the
        expected warm spell of August."""
        rng = np.random.default_rng(3)
        categ = self.env["product.category"].create({"name": "COU Iced Drinks"})
        first = date(2021, 7, 5)  # a Monday, two years before AS_OF
        months = [date(2021, 7, 1) + relativedelta(months=k) for k in range(31)]
        temperature = {
            month: 12
            + 7 * np.sin(2 * np.pi * (month.month - 4) / 12)
            + rng.normal(0, 2.5)
            for month in months
        }
        temperature[date(2023, 6, 1)] += 6  # a heat wave before AS_OF
        temperature[date(2023, 8, 1)] += 8  # the expected warm spell
        self.env["cou.forecast.driver"].with_user(self.user_planner).create(
            {
                "name": "COU Temperature",
                "categ_id": categ.id,
                "value_ids": [
                    (0, 0, {"period_start": month, "value": round(value, 2)})
                    for month, value in temperature.items()
                ],
            }
        )
        drink = self.env["product.product"].create(
            {"name": "COU Iced Tea", "categ_id": categ.id}
        )
        rows = []
        for k in range(105):
            day = first + relativedelta(weeks=k, days=2)
            qty = max(1, round(4 * temperature[day.replace(day=1)]))
            rows.append((datetime.combine(day, datetime.min.time()), drink, qty, 1.0))
        self._cou_history(rows)
        self.Forecast._run_forecast(
            self.company_a, as_of=AS_OF, granularity="week", horizon=6
        )
        rows = self._cou_rows(
            AS_OF, level="category", granularity="week", categ_id=categ
        )
        self.assertEqual(len(rows), 6)
        self.assertEqual(rows[0].period_start, date(2023, 7, 10))
        self.assertIn("arima_x", rows[0].method)
        july, august = rows[:2].mapped("forecast_qty"), rows[4:].mapped("forecast_qty")
        self.assertGreater(sum(august) / 2, sum(july) / 2 + 15)

    def test_queries_do_not_grow_with_products(self):
        """Set-based: the run's query count does not depend on the number
        of products."""

        def count():
            self.env.flush_all()
            before = self.env.cr.sql_log_count
            self.Forecast._run_forecast(self.company_a, as_of=AS_OF)
            return self.env.cr.sql_log_count - before

        count()  # warm caches
        few = count()
        more = self.env["product.product"].create(
            [
                {"name": f"COU Extra {i}", "categ_id": self.categ_tea.id}
                for i in range(5)
            ]
        )
        self._cou_history(
            [
                (datetime(2023, 1 + i, 10), product, 3, 1.0)
                for i, product in enumerate(more)
            ]
        )
        count()  # warm the caches the creations cleared (record rules)
        self.assertEqual(count(), few)

    def test_due_to_reorder_actions_and_context(self):
        partner = self.customer_company.with_user(self.user_salesman)
        partner.action_cou_schedule_reorder_call()
        activity = self.customer_company.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(
            activity.activity_type_id, self.env.ref("mail.mail_activity_data_call")
        )
        action = self.customer_company.action_cou_send_reorder_mailing()
        self.assertEqual(action["res_model"], "mailing.mailing")
        segment = self.env["cou.segment"].browse(
            action["context"]["default_cou_segment_id"]
        )
        self.assertEqual(segment.static_partner_ids, self.customer_company)
        order = self.env["sale.order"].search(
            [("partner_id", "=", self.customer_company.id)], limit=1
        )
        self.assertEqual(
            order.with_company(self.company_a).cou_customer_reorder_probability,
            self.customer_company.with_company(
                self.company_a
            ).customer_reorder_probability,
        )
        # a figure card of the customer overview (Customer 360 tab)
        customer = self.customer_company.with_company(self.company_a)
        figures = {
            figure["name"]: figure
            for figure in customer.with_user(
                self.user_salesman
            ).get_customer_overview()["figures"]
        }
        probability = customer.customer_reorder_probability
        self.assertEqual(
            figures["customer_reorder_probability"]["value"],
            f"{round(probability * 100)} %" if probability else "–",
        )

    @freeze_time("2023-07-15")
    def test_cron_runs_every_company_and_granularity(self):
        self.Forecast._cron_run_forecast(horizon=2)
        for company in (self.company_a, self.company_b):
            for granularity in ("month", "week"):
                rows = self._cou_rows(
                    date(2023, 7, 15),
                    level="total",
                    granularity=granularity,
                    company=company,
                )
                self.assertEqual(len(rows), 2)
