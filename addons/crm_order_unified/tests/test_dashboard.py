from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import SQL

from .common import CouCommon

TODAY = "2026-03-15 12:00:00"


def negative_orders_are_returns(self, alias):
    """A stand-in return hook: an order with a negative amount is a return."""
    return SQL("(%s < 0)", SQL.identifier(alias, "amount_untaxed"))


@tagged("post_install", "-at_install")
class TestDashboard(CouCommon):
    """Each figure of the dashboard on a hand-built case (today is
    2026-03-15, user in UTC): its value, and the list its action opens gives
    the same number."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.tz = "UTC"
        (cls.user_sale_manager | cls.user_stock | cls.user_salesman).tz = "UTC"
        cls.env["sale.order"].search([("state", "=", "sale")])._action_cancel()
        Partner = cls.env["res.partner"]
        # new: first order this year; two orders in the last 12 months (repeat)
        cls.new_customer = cls.customer_company
        cls._cou_create_order(cls.customer_company, date="2026-02-10 09:00:00")
        cls._cou_create_order(
            cls.customer_contact,
            lines=[(cls.product_order, 10, 10.0)],
            date="2026-03-05 09:00:00",
        )
        # returning: ordered in the previous 12 months and this year (in EUR:
        # 800 EUR = 400 in company currency)
        cls.returning_customer = Partner.create(
            {"name": "COU Returning", "is_company": True}
        )
        cls._cou_create_order(
            cls.returning_customer,
            lines=[(cls.product_order, 3, 100.0)],
            date="2024-06-01 09:00:00",
        )
        cls._cou_create_order(
            cls.returning_customer,
            lines=[(cls.product_order, 8, 100.0)],
            pricelist=cls.pricelist_eur,
            date="2026-01-20 09:00:00",
        )
        # a return order of the returning customer this month: not counted
        cls.return_order = cls._cou_create_order(
            cls.returning_customer,
            lines=[(cls.product_order, 1, -30.0)],
            date="2026-03-06 09:00:00",
        )
        # lapsed: ordered in March last year only
        cls.lapsed_customer = Partner.create({"name": "COU Lapsed", "is_company": True})
        cls._cou_create_order(
            cls.lapsed_customer,
            lines=[(cls.product_order, 5, 100.0)],
            date="2025-03-10 09:00:00",
        )
        # older than two years: none of the statuses
        cls.old_customer = Partner.create({"name": "COU Old", "is_company": True})
        cls._cou_create_order(
            cls.old_customer,
            lines=[(cls.product_order, 5, 10.0)],
            date="2023-01-10 09:00:00",
        )
        # an order of company B this month, and a cancelled order
        cls._cou_create_order(
            cls.customer_other_company,
            lines=[(cls.product_order, 10, 100.0)],
            company=cls.company_b,
            date="2026-03-03 09:00:00",
        )
        cancelled = cls._cou_create_order(
            cls.customer_individual,
            lines=[(cls.product_order, 7, 100.0)],
            date="2026-03-04 09:00:00",
        )
        cancelled._action_cancel()

    def setUp(self):
        super().setUp()
        patcher = patch.object(
            type(self.env["sale.order"]),
            "_cou_return_order_sql",
            negative_orders_are_returns,
        )
        patcher.start()
        self.addCleanup(patcher.stop)

    def _data(self, user=None, companies=None):
        user = user or self.user_sale_manager
        companies = companies or self.company_a
        env = self.env(user=user, context={"allowed_company_ids": companies.ids})
        return env, env["cou.dashboard"].get_dashboard_data()

    def _cards(self, data):
        return {
            card["key"]: card
            for section in data["sections"]
            for card in section["cards"]
        }

    def _charts(self, data):
        return {
            chart["key"]: chart
            for section in data["sections"]
            for chart in section["charts"]
        }

    def _open(self, env, action):
        return env[action["res_model"]].search(action["domain"])

    def _revenue(self, orders):
        return sum(order.amount_untaxed / order.currency_rate for order in orders)

    @freeze_time(TODAY)
    def test_revenue_figures(self):
        env, data = self._data()
        cards = self._cards(data)
        expected = {
            # March 2026 to date: the new customer's 100 (company B's order, the
            # cancelled one and the return order left out)
            "revenue_month": (100.0, 1, 500.0),
            # 2026 to date: 100 + 100 + 400 (800 EUR); last year to 15 March: 500
            "revenue_year": (600.0, 3, 500.0),
        }
        for key, (value, count, last_year) in expected.items():
            card = cards[key]
            self.assertAlmostEqual(card["value"], value, msg=key)
            self.assertAlmostEqual(card["compare"]["value"], last_year, msg=key)
            orders = self._open(env, card["action"])
            self.assertEqual(len(orders), count, key)
            self.assertAlmostEqual(self._revenue(orders), value, msg=key)
            orders_ly = self._open(env, card["compare"]["action"])
            self.assertAlmostEqual(self._revenue(orders_ly), last_year, msg=key)
        self.assertNotIn(
            self.return_order, self._open(env, cards["revenue_month"]["action"])
        )

    @freeze_time(TODAY)
    def test_revenue_by_month_chart(self):
        env, data = self._data()
        chart = self._charts(data)["revenue_by_month"]
        this_year, last_year = chart["datasets"]
        self.assertEqual(len(chart["labels"]), 12)
        # last point: March 2026 to date, beside March 2025
        self.assertEqual(this_year["data"][-1], 100.0)
        self.assertEqual(last_year["data"][-1], 500.0)
        self.assertEqual(this_year["data"][-2], 100.0)  # February 2026
        self.assertEqual(this_year["data"][-3], 400.0)  # January 2026
        self.assertEqual(sum(this_year["data"]), 600.0)
        # April 2024 to March 2025: June 2024 (300) and March 2025 (500)
        self.assertEqual(sum(last_year["data"]), 800.0)
        for dataset in (this_year, last_year):
            for value, action in zip(dataset["data"], dataset["actions"], strict=True):
                self.assertAlmostEqual(self._revenue(self._open(env, action)), value)

    @freeze_time(TODAY)
    def test_customer_figures(self):
        env, data = self._data()
        cards = self._cards(data)
        expected = {
            "customers_active": self.new_customer | self.returning_customer,
            "customers_new": self.new_customer,
            "customers_returning": self.returning_customer,
            "customers_lapsed": self.lapsed_customer,
            "repeat_rate": self.new_customer,
        }
        for key, customers in expected.items():
            # the list shows the customers (commercial entities) themselves
            partners = self._open(env, cards[key]["action"])
            self.assertEqual(partners, customers, key)
            if key != "repeat_rate":
                self.assertEqual(cards[key]["value"], len(partners), key)
        self.assertEqual(cards["repeat_rate"]["value"], 0.5)
        self.assertEqual(cards["repeat_rate"]["count"], 1)
        partner = self.returning_customer.with_env(env)
        self.assertEqual(partner.cou_customer_status, "returning")
        self.assertFalse(partner.cou_repeat_buyer)
        self.assertEqual(self.customer_contact.with_env(env).cou_customer_status, "new")
        self.assertFalse(self.old_customer.with_env(env).cou_customer_status)

    @freeze_time(TODAY)
    def test_companies_of_the_switcher(self):
        _env, data = self._data(companies=self.company_a | self.company_b)
        cards = self._cards(data)
        self.assertEqual(cards["revenue_month"]["value"], 1100.0)
        self.assertEqual(cards["customers_new"]["value"], 2)
        _env, data = self._data(companies=self.company_b)
        cards = self._cards(data)
        self.assertEqual(cards["revenue_month"]["value"], 1000.0)
        self.assertEqual(cards["customers_active"]["value"], 1)

    @freeze_time(TODAY)
    def test_rights(self):
        # a warehouse user sees the customer figures but no revenue
        _env, data = self._data(user=self.user_stock)
        keys = {section["key"] for section in data["sections"]}
        self.assertNotIn("revenue", keys)
        self.assertNotIn("revenue_month", self._cards(data))
        # a salesman sees the revenue of the orders he may read (his own)
        _env, data = self._data(user=self.user_salesman)
        self.assertEqual(self._cards(data)["revenue_year"]["value"], 0.0)
        with self.assertRaises(AccessError):
            self._data(user=self.user_employee)

    @freeze_time(TODAY)
    def test_queries_do_not_depend_on_the_orders(self):
        env = self.env(user=self.user_sale_manager)

        def count():
            # warm-up: ormcaches (record rules, actions), user and companies
            env.flush_all()
            env["cou.dashboard"].get_dashboard_data()
            env.flush_all()
            env.invalidate_all()
            before = env.cr.sql_log_count
            env["cou.dashboard"].get_dashboard_data()
            return env.cr.sql_log_count - before

        count()  # the first read after the class setup fills the rule caches
        queries = count()
        for day in range(1, 6):
            self._cou_create_order(
                self.lapsed_customer, date=f"2026-03-{day:02d} 08:00:00"
            )
        self.assertEqual(count(), queries)
        with self.assertQueryCount(queries):
            env["cou.dashboard"].get_dashboard_data()
