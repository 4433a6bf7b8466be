from unittest.mock import patch

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import SQL

from odoo.addons.crm_order_unified.models.res_partner import (
    OVERVIEW_AFTER_PAINT_PARTS,
    OVERVIEW_PARTS,
)
from odoo.addons.crm_order_unified.models.sale_order import SaleOrder

from .common import CouCommon


@tagged("post_install", "-at_install")
class TestCustomerOverview(CouCommon):
    """The two revenue figures on a hand-built case, and the customer overview
    that shows them (company A currency: USD, no taxes)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        customer = cls.customer_company
        # delivered and invoiced 100, then 4 of 10 returned and credited (-40)
        cls.order_returned = cls._cou_create_order(
            cls.customer_contact, [(cls.product_delivery, 10, 10.0)]
        )
        cls._cou_deliver(cls.order_returned)
        cls.invoice = cls._cou_invoice(cls.order_returned)
        cls._cou_return(cls.order_returned, 4)
        cls.credit_note = cls._cou_invoice(cls.order_returned)
        # confirmed, not invoiced yet: 50
        cls.order_open = cls._cou_create_order(customer, [(cls.product_order, 5, 10.0)])
        # a quotation (200) and another company's order (70): not company A's
        cls._cou_create_order(customer, [(cls.product_order, 20, 10.0)], confirm=False)
        cls.order_other_company = cls._cou_create_order(
            customer, [(cls.product_order, 7, 10.0)], company=cls.company_b
        )

    def test_invoiced_and_ordered_revenue(self):
        """Ordered Revenue: confirmed orders of the company (100 + 50), whatever
        was invoiced or returned; Invoiced Revenue: invoices minus credit
        notes (100 - 40); the average order value follows the ordered one."""
        self.assertEqual(self.credit_note.move_type, "out_refund")
        self.assertEqual(self.credit_note.amount_untaxed, 40.0)
        for partner in (self.customer_company, self.customer_contact):
            partner.invalidate_recordset()
            self.assertEqual(partner.customer_order_count, 2)
            self.assertEqual(partner.customer_ordered_revenue, 150.0)
            self.assertEqual(partner.customer_lifetime_revenue, 60.0)
            self.assertEqual(partner.customer_avg_order_value, 75.0)
        in_b = self.customer_company.with_company(self.company_b)
        self.assertEqual(in_b.customer_ordered_revenue, 70.0)
        self.assertEqual(in_b.customer_lifetime_revenue, 0.0)
        # searchable and sortable like every figure
        Partner = self.env["res.partner"]
        self.assertIn(
            self.customer_company,
            Partner.search([("customer_ordered_revenue", ">", 149)]),
        )
        self.assertNotIn(
            self.customer_company,
            Partner.search([("customer_lifetime_revenue", ">", 61)]),
        )
        labels = {
            fname: Partner._fields[fname].string
            for fname in ("customer_ordered_revenue", "customer_lifetime_revenue")
        }
        self.assertEqual(
            labels,
            {
                "customer_ordered_revenue": "Ordered Revenue",
                "customer_lifetime_revenue": "Invoiced Revenue",
            },
        )

    def test_return_orders_left_out_of_ordered_revenue(self):
        """An order the return hook flags (imported return orders) is no
        order: neither counted nor in the Ordered Revenue."""
        self._cou_create_order(
            self.customer_company, [(self.product_order, 3, 10.0)]
        ).client_order_ref = "COU RETURN"
        self.env.flush_all()

        def is_return(self, alias):
            return SQL(
                "COALESCE(%s = 'COU RETURN', FALSE)",
                SQL.identifier(alias, "client_order_ref"),
            )

        with patch.object(SaleOrder, "_cou_return_order_sql", is_return):
            self.customer_company._cou_refresh_customer_360(["orders"])
            self.customer_company.invalidate_recordset()
            self.assertEqual(self.customer_company.customer_order_count, 2)
            self.assertEqual(self.customer_company.customer_ordered_revenue, 150.0)
            overview = self.customer_company.get_customer_overview()
        self.assertEqual(overview["orders"]["count"], 2)
        self.assertEqual(sum(overview["revenue_by_month"]["ordered"]), 150.0)
        self.customer_company._cou_refresh_customer_360(["orders"])
        self.customer_company.invalidate_recordset()
        self.assertEqual(self.customer_company.customer_ordered_revenue, 180.0)

    def test_overview_content(self):
        overview = self.customer_contact.get_customer_overview()
        self.assertEqual(overview["customer"]["id"], self.customer_company.id)
        self.assertTrue(overview["customer"]["is_contact"])
        figures = {figure["name"]: figure for figure in overview["figures"]}
        self.assertEqual(figures["customer_ordered_revenue"]["value"], 150.0)
        self.assertEqual(
            figures["customer_ordered_revenue"]["label"], "Ordered Revenue"
        )
        self.assertIn(
            "confirmed sale orders", figures["customer_ordered_revenue"]["help"]
        )
        self.assertEqual(figures["customer_lifetime_revenue"]["value"], 60.0)
        self.assertEqual(
            figures["customer_lifetime_revenue"]["label"], "Invoiced Revenue"
        )
        self.assertEqual(figures["customer_order_count"]["value"], 2)
        self.assertEqual(
            figures["customer_last_order_date"]["value"],
            fields.Date.to_string(fields.Date.context_today(self.customer_company)),
        )
        # 24 months, the current one last, with both revenues
        months = overview["revenue_by_month"]
        self.assertEqual(len(months["months"]), 24)
        self.assertEqual(
            months["months"][-1],
            fields.Date.to_string(
                fields.Date.context_today(self.env.user).replace(day=1)
            ),
        )
        self.assertEqual((months["ordered"][-1], months["invoiced"][-1]), (150.0, 60.0))
        self.assertEqual(sum(months["ordered"][:-1]), 0.0)
        # the last confirmed orders: their number and totals explain the figure
        orders = overview["orders"]
        self.assertEqual(
            (orders["count"], orders["total"], orders["shown_total"]), (2, 150.0, 150.0)
        )
        self.assertEqual(
            [row["id"] for row in orders["records"]],
            [self.order_open.id, self.order_returned.id],
        )
        items = {item["key"]: item for item in overview["open_items"]}
        self.assertEqual(
            [row["id"] for row in items["deliveries"]["records"]],
            self.order_open.picking_ids.ids,
        )
        self.assertEqual(items["deliveries"]["action"], "action_cou_view_deliveries")
        self.assertEqual(
            {row["id"] for row in items["invoices"]["records"]},
            set((self.invoice | self.credit_note).ids),
        )
        self.assertEqual(items["invoices"]["count"], 2)
        # the last events of the timeline, newest first, with their icon
        events = self.customer_contact.get_customer_overview_events()
        self.assertTrue(events)
        self.assertTrue(all(event["icon"] for event in events))
        dates = [event["date"] for event in events]
        self.assertEqual(dates, sorted(dates, reverse=True))

    def test_overview_with_user_rights(self):
        """A salesman on his own documents lists only his orders, and the
        overview is for Customer Hub users only."""
        salesman = self.user_salesman
        salesman.groups_id |= self.env.ref(
            "crm_order_unified.group_crm_order_unified_user"
        )
        overview = self.customer_company.with_user(salesman).get_customer_overview()
        self.assertEqual(overview["orders"]["count"], 0)
        self.assertEqual(
            {f["name"]: f["value"] for f in overview["figures"]}[
                "customer_ordered_revenue"
            ],
            150.0,
            "the figures are the customer's, whoever sold",
        )
        with self.assertRaises(AccessError):
            self.customer_company.with_user(self.user_employee).get_customer_overview()

    def test_overview_queries_do_not_depend_on_history(self):
        """The same number of queries for a customer with 2 orders and one
        with 30 (orders, deliveries, invoices)."""
        big = self.env["res.partner"].create({"name": "COU Big", "is_company": True})
        for _i in range(30):
            order = self._cou_create_order(big, [(self.product_order, 1, 10.0)])
            self._cou_invoice(order)

        def count(partner):
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            partner.get_customer_overview()
            return self.env.cr.sql_log_count - before

        for partner in (self.customer_company, big):  # warm-up (ormcaches)
            count(partner)
        small_count = count(self.customer_company)
        self.assertEqual(small_count, count(big))
        # figures, currency, revenue by month, orders (with their access
        # subquery), deliveries, invoices (+ counts), the timeline page, and
        # the capabilities' parts when installed (segments, care, complaints)
        self.assertLessEqual(small_count, 30)

    def test_parts_first_paint_then_lists(self):
        """The client reads the figures and the chart first, the badges and
        the lists after the first paint: together the whole overview."""
        first = [
            part for part in OVERVIEW_PARTS if part not in OVERVIEW_AFTER_PAINT_PARTS
        ]
        top = self.customer_contact.get_customer_overview(parts=first)
        lists = self.customer_contact.get_customer_overview(
            parts=list(OVERVIEW_AFTER_PAINT_PARTS)
        )
        self.assertEqual(set(top) - {"customer", "currency_id"}, set(first))
        self.assertEqual(
            set(lists) - {"customer", "currency_id"}, set(OVERVIEW_AFTER_PAINT_PARTS)
        )
        self.assertEqual(
            {**top, **lists}, self.customer_contact.get_customer_overview()
        )
        for parts in ("figures", ["figures", "nothing"], [{"a": 1}], 3):
            with self.assertRaises(UserError):
                self.customer_contact.get_customer_overview(parts=parts)

    def test_first_paint_queries_do_not_depend_on_history(self):
        """The first paint: the same queries for 2 orders as for 30."""
        first = [
            part for part in OVERVIEW_PARTS if part not in OVERVIEW_AFTER_PAINT_PARTS
        ]
        big = self.env["res.partner"].create({"name": "COU Big", "is_company": True})
        for _i in range(30):
            self._cou_invoice(
                self._cou_create_order(big, [(self.product_order, 1, 10.0)])
            )

        def count(partner):
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            partner.get_customer_overview(parts=first)
            return self.env.cr.sql_log_count - before

        for partner in (self.customer_company, big):  # warm-up (ormcaches)
            count(partner)
        small_count = count(self.customer_company)
        self.assertEqual(small_count, count(big))
        # the figures (stored, not recomputed), the customer, the user, the
        # revenue by month
        self.assertLessEqual(small_count, 10)

    def test_order_amounts_are_the_ordered_revenue_everywhere(self):
        """A taxed order (100 + 10% tax): the figure, the overview's chart and
        last orders, and the timeline (its page and the overview's last
        events) all show its ordered revenue, untaxed: 100."""
        tax = self.env["account.tax"].create(
            {
                "name": "COU Sales 10%",
                "amount": 10.0,
                "amount_type": "percent",
                "type_tax_use": "sale",
                "company_id": self.company_a.id,
            }
        )
        customer = self.env["res.partner"].create(
            {"name": "COU Taxed Customer", "is_company": True}
        )
        order = self._cou_create_order(
            customer, [(self.product_order, 10, 10.0)], confirm=False
        )
        order.order_line.tax_id = [Command.set(tax.ids)]
        order.action_confirm()
        self.assertEqual((order.amount_untaxed, order.amount_total), (100.0, 110.0))
        customer.invalidate_recordset()
        overview = customer.get_customer_overview()
        figures = {f["name"]: f["value"] for f in overview["figures"]}
        self.assertEqual(figures["customer_ordered_revenue"], 100.0)
        self.assertEqual(sum(overview["revenue_by_month"]["ordered"]), 100.0)
        self.assertEqual(
            [row["amount"] for row in overview["orders"]["records"]], [100.0]
        )
        self.assertEqual(overview["orders"]["total"], 100.0)
        page = self.env["cou.timeline.event"].get_timeline_page(
            customer.id, categories=["sale"]
        )["events"]
        self.assertEqual(
            {(e["event_type"], e["amount"], e["currency_id"]) for e in page},
            {
                ("sale_quotation", 100.0, self.company_a.currency_id.id),
                ("sale_confirmed", 100.0, self.company_a.currency_id.id),
            },
        )
        events = customer.get_customer_overview_events()
        self.assertEqual(
            {e["amount"] for e in events if e["res_model"] == "sale.order"}, {100.0}
        )
