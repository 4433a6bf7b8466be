import re

from odoo import Command, fields
from odoo.tests import tagged

from .common import CouJapanCommon


@tagged("post_install", "-at_install")
class TestJapaneseCompany(CouJapanCommon):
    """The Japanese demo company: yen without decimals, consumption tax at 10%
    and the reduced 8%, 月末締め翌月末払い, and qualified invoices that print
    its registration number and mark the reduced-rate items."""

    def _invoice(self, lines, invoice_date="2026-01-15", term=None):
        env = self.env(
            context=dict(self.env.context, allowed_company_ids=[self.company.id])
        )
        invoice = (
            env["account.move"]
            .with_company(self.company)
            .create(
                {
                    "move_type": "out_invoice",
                    "company_id": self.company.id,
                    "partner_id": self.hanako.id,
                    "invoice_date": invoice_date,
                    "invoice_payment_term_id": term.id if term else False,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "product_id": product.id,
                                "quantity": qty,
                                "tax_ids": [Command.set(product.taxes_id.ids)],
                            }
                        )
                        for product, qty in lines
                    ],
                }
            )
        )
        return invoice

    def _product(self, name):
        return self.env.ref(f"crm_order_unified_jp.cou_jp_product_{name}")

    def test_currency_is_yen_without_decimals(self):
        self.assertEqual(self.company.currency_id.name, "JPY")
        self.assertEqual(self.company.currency_id.decimal_places, 0)
        self.assertEqual(self.company.chart_template, "jp")
        self.assertEqual(self.company.account_fiscal_country_id.code, "JP")
        orders = self.env["sale.order"].search([("company_id", "=", self.company.id)])
        self.assertTrue(orders, "the Japanese company has orders")
        self.assertEqual(set(orders.currency_id.mapped("name")), {"JPY"})

    def test_consumption_tax_standard_and_reduced(self):
        self.assertEqual(self._product("foundation_radiance").taxes_id.amount, 10.0)
        self.assertEqual(self._product("rooibos_tea").taxes_id.amount, 8.0)
        self.assertEqual(self._product("rooibos_tea").taxes_id.company_id, self.company)
        # ¥4,400 at 10% and 2 × ¥1,080 at 8%: ¥440 + ¥173 (172.8 rounded)
        invoice = self._invoice(
            [
                (self._product("foundation_radiance"), 1),
                (self._product("rooibos_tea"), 2),
            ]
        )
        self.assertEqual(invoice.currency_id.name, "JPY")
        self.assertEqual(invoice.amount_untaxed, 6560)
        self.assertEqual(invoice.amount_tax, 613)
        self.assertEqual(invoice.amount_total, 7173)
        groups = {
            group["group_name"]: group["tax_amount_currency"]
            for subtotal in invoice.tax_totals["subtotals"]
            for group in subtotal["tax_groups"]
        }
        self.assertEqual(sorted(groups.values()), [173, 440])

    def test_payment_term_end_of_next_month(self):
        term = self.env.ref("crm_order_unified_jp.cou_jp_payment_term_eom_next_eom")
        self.assertEqual(term.with_context(lang="ja_JP").name, "月末締め翌月末払い")
        product = self._product("hand_cream_yuzu")
        for invoice_date, due in (
            ("2026-01-05", "2026-02-28"),
            ("2026-01-31", "2026-02-28"),
            ("2026-02-01", "2026-03-31"),
            ("2026-12-20", "2027-01-31"),
        ):
            invoice = self._invoice([(product, 1)], invoice_date, term)
            self.assertEqual(
                invoice.invoice_date_due, fields.Date.to_date(due), invoice_date
            )
        midori = self.env.ref("crm_order_unified_jp.cou_jp_customer_midori")
        self.assertEqual(
            midori.with_company(self.company).property_payment_term_id, term
        )

    def test_registration_number_on_company_and_invoice(self):
        self.assertRegex(self.company.vat, r"^T\d{13}$")
        invoice = self._invoice(
            [
                (self._product("foundation_radiance"), 1),
                (self._product("rooibos_tea"), 1),
            ]
        )
        invoice.action_post()
        self.assertTrue(invoice._cou_jp_is_qualified_invoice())
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("account.account_invoices", invoice.ids)[0]
            .decode()
        )
        self.assertIn(self.company.vat, html)
        self.assertIn("o_cou_jp_registration_number", html)
        # one reduced-rate item, marked, and the legend of the mark
        self.assertEqual(len(re.findall(r'class="o_cou_jp_reduced_rate"', html)), 1)
        self.assertIn("o_cou_jp_reduced_rate_legend", html)

    def test_invoice_of_another_country_is_not_qualified(self):
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.env["res.partner"].create({"name": "COU US"}).id,
                "invoice_line_ids": [
                    Command.create({"name": "Service", "quantity": 1, "price_unit": 10})
                ],
            }
        )
        self.assertNotEqual(invoice.company_id, self.company)
        self.assertFalse(invoice._cou_jp_is_qualified_invoice())

    def test_admin_works_in_both_companies(self):
        admin = self.env.ref("base.user_admin")
        self.assertIn(self.company, admin.company_ids)
        self.assertIn(self.env.ref("base.main_company"), admin.company_ids)

    def test_customers_have_prefectures_and_japanese(self):
        customers = self.env["res.partner"].search(
            [("company_id", "=", self.company.id), ("parent_id", "=", False)]
        )
        self.assertGreaterEqual(len(customers), 5)
        self.assertTrue(all(customers.mapped("state_id")))
        self.assertEqual(set(customers.state_id.country_id.mapped("code")), {"JP"})
        self.assertEqual(set(customers.mapped("lang")), {"ja_JP"})
        self.assertTrue(self.hanako.care_attribute_ids)
        self.assertEqual(
            self.hanako.care_attribute_ids.with_context(lang="ja_JP").name, "敏感肌"
        )
