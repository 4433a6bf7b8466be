from odoo.tests import tagged

from .common import CouCommon


@tagged("post_install", "-at_install")
class TestCustomer360Performance(CouCommon):
    """The figures of 1 and of 50 customers cost the same number of queries."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customers = cls.env["res.partner"].create(
            [{"name": f"COU Perf {i}", "is_company": True} for i in range(50)]
        )
        for customer in cls.customers[:5]:
            order = cls._cou_create_order(customer)
            cls._cou_invoice(order)
        cls.env.invalidate_all()

    def _count_queries(self, func):
        """Queries of ``func`` with a warm registry and a cold record cache."""
        func()  # warm-up: ormcaches, user and company records
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        func()
        return self.env.cr.sql_log_count - before

    def test_refresh_queries_do_not_depend_on_size(self):
        one, fifty = self.customers[:1], self.customers
        count_one = self._count_queries(lambda: one._cou_refresh_customer_360())
        count_fifty = self._count_queries(lambda: fifty._cou_refresh_customer_360())
        self.assertEqual(count_one, count_fifty)
        self.env.invalidate_all()
        # budget: partners' commercial entities, one grouped query per family
        # (orders, revenue incl. imported history, deliveries, overdue,
        # complaints), flushes of pending computations, the update
        with self.assertQueryCount(10):
            fifty._cou_refresh_customer_360()

    def test_read_figures_queries_do_not_depend_on_size(self):
        fnames = [
            "customer_order_count",
            "customer_lifetime_revenue",
            "customer_avg_order_value",
            "customer_first_order_date",
            "customer_last_order_date",
            "customer_order_interval_days",
            "customer_next_order_date",
            "customer_open_delivery_count",
            "customer_overdue_amount",
            "customer_open_complaint_count",
        ]
        one, fifty = self.customers[:1], self.customers
        count_one = self._count_queries(lambda: one.read(fnames))
        count_fifty = self._count_queries(lambda: fifty.read(fnames))
        self.assertEqual(count_one, count_fifty)
        self.env.invalidate_all()
        # one fetch of the jsonb values (current company), one fallback lookup
        with self.assertQueryCount(2):
            fifty.read(fnames)

    def test_order_context_queries_do_not_depend_on_history(self):
        """The customer context of an order: one query per list, whatever the
        size of the customer's history."""
        order = self._cou_create_order(self.customer_company)
        fnames = [
            "cou_customer_order_count",
            "cou_customer_recent_order_ids",
            "cou_customer_open_picking_ids",
            "cou_customer_unpaid_invoice_ids",
        ]
        count_small = self._count_queries(lambda: order.read(fnames))
        for _i in range(8):
            self._cou_create_order(self.customer_contact)
        count_big = self._count_queries(lambda: order.read(fnames))
        self.assertLessEqual(count_big, count_small)
