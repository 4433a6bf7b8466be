from unittest.mock import patch

from odoo.tests import tagged
from odoo.tests.common import users, warmup

from odoo.addons.crm_order_unified.models.res_partner import PENDING_REFRESH_KEY

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
        # warm-up: ormcaches, user and company records, and the refresh of the
        # figures pending since the setup's writes (which a read runs first;
        # the transaction that wrote runs it at its commit)
        self.env.invalidate_all()
        func()
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
        # (orders, revenue, deliveries, overdue), flushes of pending
        # computations, the update
        with self.assertQueryCount(10):
            fifty._cou_refresh_customer_360()

    def test_contacts_index_covers_the_figure_lookups(self):
        """The figure queries find a customer's contacts with an index on
        (commercial partner, id), not by filtering one on (id, ...)."""
        self.env.cr.execute(
            """SELECT pg_get_indexdef(indexrelid) FROM pg_index
                WHERE indexrelid = 'cou_res_partner_contacts_idx'::regclass"""
        )
        self.assertIn("(commercial_partner_id, id)", self.env.cr.fetchone()[0])

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
        self._cou_create_order(self.customer_contact)  # both contacts in the lists
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


@tagged("post_install", "-at_install")
class TestCustomer360RefreshOnce(CouCommon):
    """Business events mark customers dirty; the figures are recomputed once
    per transaction (precommit), or as soon as a figure is read."""

    def _count_refreshes(self, func):
        Partner = type(self.env["res.partner"])
        original = Partner._cou_refresh_customer_360
        calls = []

        def counting(records, families=None):
            calls.append((set(records.ids), set(families or ())))
            return original(records, families)

        with patch.object(Partner, "_cou_refresh_customer_360", counting):
            func()
            self.env.cr.flush()  # runs the precommit hooks, as a commit does
        return calls

    def test_one_confirmation_one_refresh(self):
        order = self._cou_create_order(self.customer_contact, confirm=False)
        calls = self._count_refreshes(order.action_confirm)
        self.assertEqual(len(calls), 1, "one confirmation, one refresh")
        self.assertIn(self.customer_company.id, calls[0][0])
        self.assertNotIn(PENDING_REFRESH_KEY, self.env.cr.precommit.data)
        self.assertEqual(self.customer_company.customer_order_count, 1)

    def test_confirm_deliver_invoice_pay_one_refresh(self):
        """A whole order flow in one transaction refreshes once at the end."""

        def flow():
            order = self._cou_create_order(self.customer_company)
            self._cou_deliver(order)
            invoice = self._cou_invoice(order)
            self._cou_pay(invoice)

        calls = self._count_refreshes(flow)
        self.assertEqual(len(calls), 1)
        self.assertEqual(self.customer_company.customer_order_count, 1)
        self.assertEqual(self.customer_company.customer_open_delivery_count, 0)
        self.assertEqual(self.customer_company.customer_lifetime_revenue, 100.0)

    def test_read_in_the_same_transaction_is_current(self):
        """An automated action reading a figure right after the event sees it."""
        self.assertEqual(self.customer_company.customer_order_count, 0)  # cached
        self._cou_create_order(self.customer_company)
        self.assertIn(PENDING_REFRESH_KEY, self.env.cr.precommit.data)
        self.assertEqual(self.customer_company.customer_order_count, 1)
        self.assertNotIn(PENDING_REFRESH_KEY, self.env.cr.precommit.data)
        self.assertEqual(
            self.env["res.partner"].search_count(
                [
                    ("id", "=", self.customer_company.id),
                    ("customer_order_count", "=", 1),
                ]
            ),
            1,
        )

    def test_confirmation_query_budget(self):
        """Confirming one order, its refresh included, costs a bounded number
        of queries, the same for a customer with a long history."""

        def confirm_and_flush(partner):
            order = self._cou_create_order(partner, confirm=False)
            self.env.flush_all()
            before = self.env.cr.sql_log_count
            order.action_confirm()
            self.env.cr.flush()
            return self.env.cr.sql_log_count - before

        def add_history(count):
            for _i in range(count):
                self._cou_create_order(self.customer_individual)
            self.env.cr.flush()

        add_history(2)
        confirm_and_flush(self.customer_individual)  # warm-up
        small = confirm_and_flush(self.customer_individual)
        add_history(20)
        big = confirm_and_flush(self.customer_individual)
        self.assertEqual(big, small, "the refresh is set-based: no query per order")


@tagged("post_install", "-at_install")
class TestCustomerContextQueryBudget(CouCommon):
    """Query budgets of the hot paths, per role, as sale_stock's
    test_create_perf.py measures them: warm caches, then a fixed count."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order = cls._cou_create_order(cls.customer_contact, user=cls.user_salesman)
        for _i in range(5):
            cls._cou_create_order(cls.customer_contact, user=cls.user_salesman)
        cls.env.flush_all()
        cls.env.cr.flush()

    CONTEXT_FIELDS = [
        "cou_customer_order_count",
        "cou_customer_lifetime_revenue",
        "cou_customer_overdue_amount",
        "cou_customer_recent_order_ids",
        "cou_customer_open_picking_ids",
        "cou_customer_unpaid_invoice_ids",
    ]

    # one login per test: pytest runs no subTest (what @users does for several)
    @users("cou_salesman")
    @warmup
    def test_order_customer_context_budget_salesman(self):
        order = self.env["sale.order"].browse(self.order.id)
        # the order, its customer, the figures, the company, one per list
        with self.assertQueryCount(cou_salesman=8):
            order.read(self.CONTEXT_FIELDS)

    @users("cou_sale_manager")
    @warmup
    def test_order_customer_context_budget_manager(self):
        order = self.env["sale.order"].browse(self.order.id)
        with self.assertQueryCount(cou_sale_manager=8):
            order.read(self.CONTEXT_FIELDS)

    # The Customer tab of the order form as the web client reads it (the
    # fields of sale_order_view_form_inherit_crm_order_unified, the lists with
    # their columns).
    FORM_CONTEXT_SPEC = {
        "partner_id": {"fields": {"display_name": {}}},
        "cou_customer_id": {"fields": {"display_name": {}}},
        "cou_customer_currency_id": {"fields": {}},
        **dict.fromkeys(
            [
                "cou_customer_order_count",
                "cou_customer_avg_order_value",
                "cou_customer_first_order_date",
                "cou_customer_last_order_date",
                "cou_customer_order_interval_days",
                "cou_customer_next_order_date",
                "cou_customer_ordered_revenue",
                "cou_customer_lifetime_revenue",
                "cou_customer_overdue_amount",
                "cou_customer_open_delivery_count",
                "cou_customer_comment",
            ],
            {},
        ),
        "cou_customer_recent_order_ids": {
            "fields": {
                "name": {},
                "date_order": {},
                "client_order_ref": {},
                "user_id": {"fields": {"display_name": {}}},
                "currency_id": {"fields": {}},
                "amount_untaxed": {},
                "state": {},
            },
            "limit": 40,
        },
        "cou_customer_open_picking_ids": {
            "fields": {"name": {}, "origin": {}, "scheduled_date": {}, "state": {}},
            "limit": 40,
        },
        "cou_customer_unpaid_invoice_ids": {
            "fields": {
                "name": {},
                "invoice_date": {},
                "invoice_date_due": {},
                "company_currency_id": {"fields": {}},
                "currency_id": {"fields": {}},
                "amount_residual_signed": {},
                "payment_state": {},
            },
            "limit": 40,
        },
    }

    @users("cou_salesman")
    @warmup
    def test_order_form_customer_tab_budget_salesman(self):
        """The Customer tab costs one query per list, which also fetches the
        list's columns (no search of the contacts, no second read of the
        rows), beside the order, its customer and the figures."""
        order = self.env["sale.order"].browse(self.order.id)
        # the read's 8 and the salespeople's names of the last orders
        with self.assertQueryCount(cou_salesman=9):
            order.web_read(self.FORM_CONTEXT_SPEC)
