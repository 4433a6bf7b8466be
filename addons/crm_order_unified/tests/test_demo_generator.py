from collections import Counter
from datetime import date, timedelta

from odoo import fields
from odoo.tests import TransactionCase, tagged

from odoo.addons.crm_order_unified.models.cou_demo_generator import (
    ANCHOR_PARAM,
    DEMO_SEED,
    SCENARIO_MINIMUM,
)


@tagged("post_install", "-at_install")
class TestDemoPlan(TransactionCase):
    """The plan is pure Python: deterministic and complete for any anchor day."""

    def test_plan_is_deterministic(self):
        gen = self.env["cou.demo.generator"]
        day = date(2025, 3, 14)
        plan_a = gen._get_demo_plan(seed=DEMO_SEED, today=day)
        plan_b = gen._get_demo_plan(seed=DEMO_SEED, today=day)
        self.assertEqual(plan_a, plan_b)
        # names do not depend on the anchor day; another seed is another company
        later = gen._get_demo_plan(seed=DEMO_SEED, today=day + timedelta(days=100))
        self.assertEqual(
            [c["name"] for c in plan_a["customers"]],
            [c["name"] for c in later["customers"]],
        )
        other = gen._get_demo_plan(seed=DEMO_SEED + 1, today=day)
        self.assertNotEqual(
            [c["name"] for c in plan_a["customers"]],
            [c["name"] for c in other["customers"]],
        )
        # key facts of the default seed
        self.assertEqual(plan_a["customers"][0]["name"], "Sakura Trading Co., Ltd.")
        self.assertEqual(plan_a["customers"][0]["ref"], "cou_demo_customer_01")
        self.assertEqual(len(plan_a["customers"]), 64)
        self.assertEqual(len(plan_a["products"]), 44)

    def test_plan_has_every_lifecycle_on_any_day(self):
        gen = self.env["cou.demo.generator"]
        for offset in range(0, 366, 30):
            day = date(2025, 1, 5) + timedelta(days=offset)
            plan = gen._get_demo_plan(today=day)
            counts = Counter(o["scenario"] for o in plan["orders"])
            for scenario, minimum in SCENARIO_MINIMUM.items():
                self.assertGreaterEqual(
                    counts[scenario], minimum, f"{scenario} on {day}"
                )
            for order in plan["orders"]:
                self.assertLessEqual(order["date_order"].date(), day)
                self.assertLessEqual(order["date_payment"], day)
            ages = [o["age"] for o in plan["orders"]]
            self.assertGreater(max(ages), 680, "two years of history")
            self.assertLessEqual(min(ages), 3, "orders up to today")


@tagged("post_install", "-at_install")
class TestDemoCompany(TransactionCase):
    """The demo company installed with the addon's demo data."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.first = cls.env.ref(
            "crm_order_unified.cou_demo_customer_01", raise_if_not_found=False
        )
        if not cls.first:
            return
        anchor = cls.env["ir.config_parameter"].sudo().get_param(ANCHOR_PARAM)
        cls.anchor = fields.Date.to_date(anchor)
        cls.plan = cls.env["cou.demo.generator"]._get_demo_plan(today=cls.anchor)
        cls.customers = cls.env["res.partner"].browse(
            cls.env.ref(f"crm_order_unified.{c['ref']}").id
            for c in cls.plan["customers"]
        )
        cls.orders = cls.env["sale.order"].search(
            [("partner_id", "child_of", cls.customers.ids)], order="date_order, id"
        )

    def setUp(self):
        super().setUp()
        if not self.first:
            self.skipTest("the addon is installed without demo data")

    def test_master_data(self):
        self.assertEqual(self.first.name, "Sakura Trading Co., Ltd.")
        self.assertGreaterEqual(len(self.customers), 60)
        companies = self.customers.filtered("is_company")
        self.assertGreaterEqual(len(companies), 20)
        self.assertTrue(all(len(c.child_ids) >= 2 for c in companies))
        self.assertGreaterEqual(len(self.customers - companies), 30)
        products = self.env["product.product"].browse(
            self.env.ref(f"crm_order_unified.{p['ref']}").id
            for p in self.plan["products"]
        )
        self.assertGreaterEqual(len(products), 40)
        self.assertGreaterEqual(len(products.categ_id), 4)
        salespeople = self.orders.user_id
        self.assertGreaterEqual(len(salespeople), 4)
        self.assertTrue(
            self.env.ref("crm_order_unified.cou_demo_user_salesman_1").has_group(
                "sales_team.group_sale_salesman"
            )
        )

    def test_orders_follow_the_plan(self):
        self.assertEqual(len(self.orders), len(self.plan["orders"]))
        self.assertEqual(
            sorted(self.orders.mapped("date_order")),
            sorted(o["date_order"] for o in self.plan["orders"]),
        )
        first, last = (
            self.orders[0].date_order.date(),
            self.orders[-1].date_order.date(),
        )
        self.assertGreaterEqual((last - first).days, 680)
        self.assertLessEqual(last, self.anchor)
        self.assertGreaterEqual(last, self.anchor - timedelta(days=5))
        planned = Counter(o["scenario"] for o in self.plan["orders"])
        self.assertEqual(
            len(self.orders.filtered(lambda o: o.state == "cancel")), planned["cancel"]
        )
        self.assertEqual(
            len(self.orders.filtered(lambda o: o.state == "draft")), planned["draft"]
        )
        self.assertEqual(
            len(self.orders.filtered(lambda o: o.state == "sent")), planned["sent"]
        )
        foreign = self.orders.filtered(
            lambda o: o.currency_id != o.company_id.currency_id
        )
        self.assertTrue(foreign, "some orders are in another currency")
        self.assertTrue(
            all(
                o.currency_rate != 1.0
                for o in foreign.filtered(lambda o: o.state == "sale")
            )
        )

    def test_every_state_is_present(self):
        orders = self.orders
        today = self.anchor
        confirmed = orders.filtered(lambda o: o.state == "sale")
        self.assertTrue(
            orders.filtered(lambda o: o.state == "draft"), "draft quotation"
        )
        self.assertTrue(orders.filtered(lambda o: o.state == "sent"), "sent quotation")
        self.assertTrue(orders.filtered(lambda o: o.state == "cancel"), "cancelled")
        self.assertTrue(
            confirmed.filtered(lambda o: o.delivery_status == "pending"), "confirmed"
        )
        partial = confirmed.filtered(lambda o: o.delivery_status == "partial")
        self.assertTrue(partial, "partly delivered")
        self.assertTrue(partial.picking_ids.filtered("backorder_id"), "backorder open")
        self.assertTrue(
            confirmed.filtered(
                lambda o: o.delivery_status == "full" and not o.invoice_ids
            ),
            "delivered, not invoiced",
        )
        invoices = orders.invoice_ids.filtered(lambda m: m.move_type == "out_invoice")
        self.assertTrue(
            invoices.filtered(lambda m: m.state == "draft"), "draft invoice"
        )
        posted = invoices.filtered(lambda m: m.state == "posted")
        self.assertTrue(
            posted.filtered(
                lambda m: m.payment_state == "not_paid" and m.invoice_date_due >= today
            ),
            "invoiced, not due",
        )
        self.assertTrue(
            posted.filtered(
                lambda m: m.payment_state == "not_paid" and m.invoice_date_due < today
            ),
            "overdue",
        )
        self.assertTrue(
            posted.filtered(lambda m: m.payment_state == "partial"), "partially paid"
        )
        self.assertTrue(
            posted.filtered(lambda m: m.payment_state in ("paid", "in_payment")), "paid"
        )
        returns = orders.picking_ids.filtered(
            lambda p: p.return_id and p.state == "done"
        )
        self.assertTrue(returns, "returned")
        refunds = orders.invoice_ids.filtered(
            lambda m: m.move_type == "out_refund" and m.state == "posted"
        )
        self.assertTrue(refunds, "refunded")
        self.assertTrue(all(r.payment_state in ("paid", "in_payment") for r in refunds))
        self.assertTrue(
            confirmed.filtered(
                lambda o: o.picking_ids.filtered("return_id")
                and not o.invoice_ids.filtered(lambda m: m.move_type == "out_refund")
            ),
            "returned, credit note still to make",
        )

    def test_dates_are_consistent(self):
        for order in self.orders.filtered(lambda o: o.state == "sale"):
            for picking in order.picking_ids.filtered(lambda p: p.state == "done"):
                self.assertGreaterEqual(picking.date_done, order.date_order)
                self.assertLessEqual(picking.date_done.date(), self.anchor)
            for move in order.invoice_ids.filtered(lambda m: m.state == "posted"):
                self.assertGreaterEqual(move.invoice_date, order.date_order.date())
                self.assertEqual(move.date, move.invoice_date)
                self.assertEqual(move.create_date.date(), move.invoice_date)
            self.assertEqual(order.create_date, order.date_order)

    def test_seasonal_sales(self):
        lines = self.orders.filtered(lambda o: o.state == "sale").order_line
        summer = self.env.ref("crm_order_unified.cou_demo_category_1")
        winter = self.env.ref("crm_order_unified.cou_demo_category_2")

        def qty(categ, months):
            return sum(
                line.product_uom_qty
                for line in lines
                if line.product_id.categ_id == categ
                and line.order_id.date_order.month in months
            )

        self.assertGreater(qty(summer, (6, 7, 8)), 2 * qty(summer, (12, 1, 2)))
        self.assertGreater(qty(winter, (12, 1, 2)), 2 * qty(winter, (6, 7, 8)))

    def test_generating_again_does_nothing(self):
        count = self.env["sale.order"].search_count([])
        self.assertFalse(self.env["cou.demo.generator"]._generate_demo_data())
        self.assertEqual(self.env["sale.order"].search_count([]), count)

    def test_customer_360_figures_on_demo(self):
        Partner = self.env["res.partner"]
        if "customer_order_count" not in Partner._fields:
            self.skipTest("Customer 360 fields not there yet")
        customer = self.first
        confirmed = self.orders.filtered(
            lambda o: o.state == "sale"
            and o.partner_id.commercial_partner_id == customer
        )
        self.assertEqual(customer.customer_order_count, len(confirmed))
        self.assertEqual(
            customer.customer_last_order_date,
            max(confirmed.mapped("date_order")).date(),
        )
