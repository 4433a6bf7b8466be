from datetime import date

from freezegun import freeze_time
from lxml import etree

from odoo import Command
from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .common import CouCommon


@tagged("post_install", "-at_install")
class TestCustomer360(CouCommon):
    """Hand-built scenarios with known answers (company A currency: USD)."""

    def assertFigures(self, partner, company=None, **expected):
        partner = partner.with_company(company or self.company_a)
        partner.invalidate_recordset()
        for fname, value in expected.items():
            field = "customer_" + fname
            if isinstance(value, float):
                self.assertAlmostEqual(partner[field], value, places=2, msg=field)
            else:
                self.assertEqual(partner[field], value, field)

    def test_orders_rhythm(self):
        """Three confirmed orders 10 days apart, one quotation: counts, dates,
        interval, next order, average value; deliveries open until done."""
        for when, qty in (
            ("2024-01-01 10:00", 10),
            ("2024-01-11 10:00", 20),
            ("2024-01-31 10:00", 30),
        ):
            self._cou_create_order(
                self.customer_company, [(self.product_order, qty, 10.0)], date=when
            )
        self._cou_create_order(self.customer_company, confirm=False)
        self.assertFigures(
            self.customer_company,
            order_count=3,
            first_order_date=date(2024, 1, 1),
            last_order_date=date(2024, 1, 31),
            order_interval_days=15.0,
            next_order_date=date(2024, 2, 15),
            avg_order_value=200.0,
            lifetime_revenue=0.0,
            open_delivery_count=3,
            overdue_amount=0.0,
        )

    def test_single_order_has_no_rhythm(self):
        self._cou_create_order(self.customer_individual, date="2024-03-05 08:00")
        self.assertFigures(
            self.customer_individual,
            order_count=1,
            first_order_date=date(2024, 3, 5),
            last_order_date=date(2024, 3, 5),
            order_interval_days=0.0,
            next_order_date=False,
            avg_order_value=100.0,
        )

    def test_multi_currency_order(self):
        """An order of 200 EUR (1 USD = 2 EUR) counts 100 USD; its invoice too."""
        order = self._cou_create_order(
            self.customer_company,
            [(self.product_order, 10, 20.0)],
            pricelist=self.pricelist_eur,
        )
        self.assertEqual(order.currency_id, self.currency_eur)
        self.assertEqual(order.amount_untaxed, 200.0)
        self.assertFigures(self.customer_company, order_count=1, avg_order_value=100.0)
        self._cou_invoice(order)
        self.assertFigures(self.customer_company, lifetime_revenue=100.0)

    def test_cancelled_order(self):
        kept = self._cou_create_order(self.customer_company, date="2024-01-01 10:00")
        cancelled = self._cou_create_order(
            self.customer_company,
            [(self.product_order, 5, 10.0)],
            date="2024-02-01 10:00",
        )
        self.assertFigures(self.customer_company, order_count=2, open_delivery_count=2)
        cancelled._action_cancel()
        self.assertFigures(
            self.customer_company,
            order_count=1,
            last_order_date=date(2024, 1, 1),
            avg_order_value=100.0,
            open_delivery_count=1,
            next_order_date=False,
        )
        self._cou_deliver(kept)
        self.assertFigures(self.customer_company, open_delivery_count=0)

    def test_return_and_refund(self):
        """10 delivered and invoiced at 10.0, 4 returned and refunded: revenue 60."""
        order = self._cou_create_order(
            self.customer_company, [(self.product_delivery, 10, 10.0)]
        )
        self._cou_deliver(order)
        invoice = self._cou_invoice(order)
        self.assertFigures(
            self.customer_company, lifetime_revenue=100.0, open_delivery_count=0
        )
        self._cou_return(order, 4)
        self.assertEqual(order.order_line.qty_delivered, 6)
        refund = self._cou_invoice(order)
        self.assertEqual(refund.move_type, "out_refund")
        self.assertFigures(
            self.customer_company,
            lifetime_revenue=60.0,
            order_count=1,
            avg_order_value=100.0,
        )
        # a full credit note of the invoice on top: net -40
        self._cou_refund(invoice)
        self.assertFigures(self.customer_company, lifetime_revenue=-40.0)

    def test_contact_rolls_up_to_company(self):
        """Orders of a contact and of a delivery address count for the company,
        and every contact of the company shows (and filters by) the figures."""
        self._cou_create_order(self.customer_contact, date="2024-01-01 10:00")
        self._cou_create_order(
            self.customer_company,
            shipping_partner=self.customer_delivery,
            date="2024-01-05 10:00",
        )
        self._cou_create_order(self.customer_delivery, date="2024-01-09 10:00")
        for partner in (
            self.customer_company,
            self.customer_contact,
            self.customer_delivery,
        ):
            self.assertFigures(
                partner,
                order_count=3,
                order_interval_days=4.0,
                next_order_date=date(2024, 1, 13),
            )
        found = self.env["res.partner"].search(
            [("customer_order_count", "=", 3), ("name", "like", "COU ")]
        )
        self.assertEqual(
            found,
            self.customer_company | self.customer_contact | self.customer_delivery,
        )
        # a new contact shows the company's figures at once
        newcomer = self.env["res.partner"].create(
            {"name": "COU Newcomer", "parent_id": self.customer_company.id}
        )
        self.assertFigures(newcomer, order_count=3, last_order_date=date(2024, 1, 9))

    def test_contact_moves_to_another_company(self):
        self._cou_create_order(self.customer_contact, date="2024-01-01 10:00")
        self._cou_create_order(self.customer_company, date="2024-01-02 10:00")
        self.assertFigures(self.customer_company, order_count=2)
        self.customer_contact.parent_id = self.customer_other_company
        self.assertFigures(
            self.customer_company, order_count=1, last_order_date=date(2024, 1, 2)
        )
        self.assertFigures(self.customer_other_company, order_count=1)
        self.assertFigures(
            self.customer_contact, order_count=1, last_order_date=date(2024, 1, 1)
        )
        self.assertFigures(
            self.customer_delivery, order_count=1, last_order_date=date(2024, 1, 2)
        )

    def test_two_companies_do_not_see_each_other(self):
        self._cou_create_order(self.customer_company, [(self.product_order, 1, 30.0)])
        order_b = self._cou_create_order(
            self.customer_company,
            [(self.product_order, 1, 70.0), (self.product_order, 1, 7.0)],
            company=self.company_b,
        )
        self._cou_invoice(order_b)
        self.assertFigures(
            self.customer_company,
            company=self.company_a,
            order_count=1,
            avg_order_value=30.0,
            lifetime_revenue=0.0,
            open_delivery_count=1,
        )
        self.assertFigures(
            self.customer_company,
            company=self.company_b,
            order_count=1,
            avg_order_value=77.0,
            lifetime_revenue=77.0,
            open_delivery_count=1,
        )
        # a user of company A only sees company A's figures
        partner = self.customer_company.with_user(self.user_salesman)
        self.assertEqual(partner.customer_avg_order_value, 30.0)
        # list filters and sorting work per company
        Partner = self.env["res.partner"].with_company(self.company_b)
        self.assertIn(
            self.customer_company,
            Partner.search([("customer_lifetime_revenue", ">", 50)]),
        )
        self.assertNotIn(
            self.customer_company,
            Partner.with_company(self.company_a).search(
                [("customer_lifetime_revenue", ">", 50)]
            ),
        )

    def test_overdue_invoice_and_payment(self):
        with freeze_time("2024-01-01"):
            order = self._cou_create_order(
                self.customer_contact, date="2024-01-01 10:00"
            )
            invoice = self._cou_invoice(order, date=date(2024, 1, 1))
            # immediate payment term: the due date is read on purpose
            invoice.invoice_date_due  # noqa: B018  # pylint: disable=pointless-statement
            self.assertFigures(
                self.customer_company, lifetime_revenue=100.0, overdue_amount=0.0
            )
        with freeze_time("2024-03-01"):
            self.env["res.partner"]._cron_cou_refresh_overdue()
            self.assertFigures(self.customer_company, overdue_amount=100.0)
            self.assertFigures(self.customer_contact, overdue_amount=100.0)
            self._cou_pay(invoice, amount=40.0)
            self.assertFigures(self.customer_company, overdue_amount=60.0)
            self._cou_pay(invoice)
            self.assertFigures(
                self.customer_company, overdue_amount=0.0, lifetime_revenue=100.0
            )

    def test_list_filters_and_sorting(self):
        """The partner list filters "no order for 90 days" and sorts by revenue."""
        old = self.customer_individual
        recent = self.customer_company
        with freeze_time("2024-06-30"):
            self._cou_invoice(self._cou_create_order(old, date="2024-01-01 10:00"))
            self._cou_invoice(
                self._cou_create_order(
                    recent, [(self.product_order, 50, 10.0)], date="2024-06-01 10:00"
                )
            )
            Partner = self.env["res.partner"]
            domain = [("id", "in", (old | recent).ids)]
            self.assertEqual(
                Partner.search(
                    domain + [("customer_last_order_date", "<", "2024-04-01")]
                ),
                old,
            )
            self.assertEqual(
                Partner.search(domain, order="customer_lifetime_revenue desc").ids,
                [recent.id, old.id],
            )
            groups = Partner._read_group(
                domain, ["customer_last_order_date:month"], ["__count"]
            )
            self.assertEqual(len(groups), 2)

    def test_sorting_puts_customers_without_figures_last(self):
        """A customer that never ordered has no stored figure: sorting by
        revenue descending lists it after the customers that bought, and
        ascending before them, as if its figure were 0."""
        buyer = self.customer_company
        never = self.env["res.partner"].create(
            {"name": "COU Never Ordered", "is_company": True}
        )
        self._cou_invoice(self._cou_create_order(buyer))
        Partner = self.env["res.partner"]
        domain = [("id", "in", (buyer | never).ids)]
        self.assertEqual(
            Partner.search(domain, order="customer_lifetime_revenue desc").ids,
            [buyer.id, never.id],
        )
        self.assertEqual(
            Partner.search(domain, order="customer_lifetime_revenue asc").ids,
            [never.id, buyer.id],
        )
        self.assertEqual(
            Partner.search(domain, order="customer_order_count desc").ids,
            [buyer.id, never.id],
        )

    def test_refresh_all(self):
        order = self._cou_create_order(self.customer_company)
        self.env.cr.flush()  # the refresh of the confirmation (precommit) has run
        self.env.cr.execute(
            "UPDATE res_partner SET customer_order_count = NULL WHERE id = %s",
            [self.customer_company.id],
        )
        self.env.invalidate_all()
        self.assertFigures(self.customer_company, order_count=0)
        self.env["res.partner"]._cou_refresh_customer_360_all(batch_size=50)
        self.assertFigures(self.customer_company, order_count=1)
        self.assertTrue(order)

    def test_refresh_writes_changed_rows_only(self):
        """A refresh writes the rows whose figures change (a stale value is
        repaired, on the company and its contacts) and leaves the others."""
        self._cou_create_order(self.customer_company, [(self.product_order, 2, 10.0)])
        self._cou_create_order(self.customer_individual)
        partners = self.customer_company | self.customer_individual
        partners._cou_refresh_customer_360()
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE res_partner SET customer_order_count ="
            " jsonb_build_object(%s::text, 7) WHERE commercial_partner_id = %s",
            [self.company_a.id, self.customer_company.id],
        )
        self.env.cr.execute(
            "SELECT ctid::text FROM res_partner WHERE id = %s",
            [self.customer_individual.id],
        )
        version = self.env.cr.fetchone()[0]
        self.env.invalidate_all()
        partners._cou_refresh_customer_360()
        self.assertFigures(self.customer_company, order_count=1)
        self.assertFigures(self.customer_contact, order_count=1)
        self.assertFigures(self.customer_individual, order_count=1)
        self.env.cr.execute(
            "SELECT ctid::text FROM res_partner WHERE id = %s",
            [self.customer_individual.id],
        )
        # a row version written again would have moved (same transaction)
        self.assertEqual(self.env.cr.fetchone()[0], version, "unchanged: not written")

    def test_line_changes_on_confirmed_order(self):
        """Lines added or changed on a confirmed order, whichever way (the
        order form or the line itself, e.g. an extra product delivered), change
        the average order value."""
        order = self._cou_create_order(
            self.customer_company, [(self.product_order, 10, 10.0)]
        )
        self.assertFigures(self.customer_company, order_count=1, avg_order_value=100.0)
        line = self.env["sale.order.line"].create(
            {
                "order_id": order.id,
                "product_id": self.product_order.id,
                "product_uom_qty": 5,
                "price_unit": 10.0,
            }
        )
        self.assertFigures(self.customer_company, avg_order_value=150.0)
        line.product_uom_qty = 20
        self.assertFigures(self.customer_company, avg_order_value=300.0)
        order.write({"order_line": [Command.update(line.id, {"price_unit": 5.0})]})
        self.assertFigures(self.customer_company, order_count=1, avg_order_value=200.0)

    def test_overdue_never_negative(self):
        """An unapplied credit note past its date lowers what is overdue, but a
        customer in credit owes nothing."""
        with freeze_time("2024-01-01"):
            refund = self.init_invoice(
                "out_refund",
                self.customer_individual,
                "2024-01-01",
                amounts=[50.0],
                taxes=[],
                post=True,
            )
            self.assertEqual(refund.amount_residual, 50.0)
        with freeze_time("2024-02-01"):
            self.env["res.partner"]._cron_cou_refresh_overdue()
            self.assertFigures(
                self.customer_individual, overdue_amount=0.0, lifetime_revenue=-50.0
            )
            self.init_invoice(
                "out_invoice",
                self.customer_individual,
                "2024-02-01",
                amounts=[120.0],
                taxes=[],
                post=True,
            )
        with freeze_time("2024-03-01"):
            self.env["res.partner"]._cron_cou_refresh_overdue()
            self.assertFigures(
                self.customer_individual, overdue_amount=70.0, lifetime_revenue=70.0
            )

    def test_recent_orders_are_the_last_five(self):
        orders = self.env["sale.order"]
        for day in range(1, 8):
            orders |= self._cou_create_order(
                self.customer_contact,
                date=f"2024-01-{day:02d} 10:00",
                confirm=day % 2 == 0,
            )
        expected = orders.sorted("date_order", reverse=True)[:5]
        self.assertEqual(
            self.customer_delivery.customer_recent_order_ids.ids, expected.ids
        )
        # several customers at once: five each
        self._cou_create_order(self.customer_individual)
        both = (self.customer_company | self.customer_individual).with_context(
            prefetch_fields=False
        )
        both.invalidate_recordset()
        self.assertEqual(both[0].customer_recent_order_ids.ids, expected.ids)
        self.assertEqual(len(both[1].customer_recent_order_ids), 1)

    def test_customer_accounts_filter(self):
        """The Customers menu lists customer accounts: companies and individuals,
        not the contacts and addresses that roll up into them."""
        arch = self.env["res.partner"].get_views([(False, "search")])["views"][
            "search"
        ]["arch"]
        node = etree.fromstring(arch).xpath("//filter[@name='cou_customer_accounts']")[
            0
        ]
        domain = safe_eval(node.get("domain"), {"context_today": date.today})
        self._cou_create_order(self.customer_contact)
        self._cou_create_order(self.customer_individual)
        found = self.env["res.partner"].search(
            domain + [("customer_order_count", ">", 0)]
        )
        self.assertIn(self.customer_company, found)
        self.assertIn(self.customer_individual, found)
        self.assertNotIn(self.customer_contact, found)
        self.assertNotIn(self.customer_delivery, found)
