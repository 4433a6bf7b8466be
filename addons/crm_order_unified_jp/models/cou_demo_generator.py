from datetime import date, timedelta

from markupsafe import Markup

from odoo import Command, api, fields, models

DEMO_MODULE = "crm_order_unified_jp"

# the Japanese customers' orders: (customer, contact, lines, days ago, scenario)
# scenarios: quotation, confirmed (not shipped), delivered (not invoiced),
# invoiced (posted, unpaid), paid
JP_DEMO_ORDERS = [
    (
        "hanako",
        None,
        [("cleansing_sensitive", 1), ("day_cream_sensitive", 1)],
        150,
        "paid",
    ),
    ("hanako", None, [("foundation_sensitive", 1), ("rooibos_tea", 2)], 70, "paid"),
    (
        "hanako",
        None,
        [("day_cream_sensitive", 2), ("collagen_drink", 1)],
        12,
        "invoiced",
    ),
    ("ichiro", None, [("hand_cream_yuzu", 3), ("rooibos_tea", 1)], 95, "paid"),
    ("ichiro", None, [("foundation_matte", 1)], 4, "confirmed"),
    ("misaki", None, [("foundation_radiance", 1), ("hand_cream_yuzu", 1)], 40, "paid"),
    ("misaki", None, [("collagen_drink", 2)], 1, "quotation"),
    (
        "midori",
        "kenta",
        [("cleansing_sensitive", 12), ("day_cream_sensitive", 12)],
        120,
        "paid",
    ),
    (
        "midori",
        "kenta",
        [("foundation_sensitive", 10), ("rooibos_tea", 24)],
        55,
        "paid",
    ),
    (
        "midori",
        "kenta",
        [("collagen_drink", 20), ("hand_cream_yuzu", 30)],
        20,
        "invoiced",
    ),
    ("midori", None, [("foundation_sensitive", 6)], 6, "delivered"),
    (
        "hanamaru",
        None,
        [("foundation_radiance", 8), ("foundation_matte", 8)],
        80,
        "paid",
    ),
    ("hanamaru", None, [("hand_cream_yuzu", 20)], 25, "invoiced"),
]

# products sold at the reduced consumption tax rate (food and drinks)
JP_REDUCED_RATE_PRODUCTS = ("rooibos_tea", "collagen_drink")


class CouDemoGenerator(models.AbstractModel):
    """The Japanese demo company (demo/crm_order_unified_jp_demo.xml)."""

    _inherit = "cou.demo.generator"

    # === DEMO: JAPANESE COMPANY === #

    @api.model
    def _jp_demo_prepare_company(self, company_ids):
        """JPY, the Japanese chart of accounts (when l10n_jp's demo did not load
        it), the Japanese language with the Customer Hub's terms, and the demo
        users allowed in the company."""
        company = self.env["res.company"].browse(company_ids)
        jpy = self.env.ref("base.JPY")
        jpy.active = True
        if not company.chart_template:
            if company.currency_id != jpy:
                company.currency_id = jpy
            self.env["account.chart.template"].try_loading(
                "jp", company, install_demo=True
            )
        users = self.env.ref("base.user_admin") | self.env.ref("base.user_root")
        demo_user = self.env.ref("base.user_demo", raise_if_not_found=False)
        users |= demo_user or users.browse()
        users.write({"company_ids": [Command.link(company.id)]})
        self.env["res.lang"]._activate_lang("ja_JP")
        self._jp_demo_load_japanese()
        return True

    @api.model
    def _jp_demo_load_japanese(self):
        """The Japanese terms of the installed Customer Hub addons (the others'
        and Odoo's load with them when Japanese is installed from Settings)."""
        modules = self.env["ir.module.module"].search(
            [
                ("name", "=like", "crm_order_unified%"),
                ("state", "in", ("installed", "to install", "to upgrade")),
            ]
        )
        self.env["ir.module.module"]._load_module_terms(
            modules.mapped("name"), ["ja_JP"]
        )

    @api.model
    def _jp_generate_demo_data(self, company_ids):
        """Taxes, payment terms, the Tokyo holidays, orders, deliveries, invoices,
        payments and complaints of the Japanese company. Runs once."""
        company = self.env["res.company"].browse(company_ids)
        if self.env.ref(f"{DEMO_MODULE}.cou_jp_order_01", raise_if_not_found=False):
            return False
        gen = self.with_company(company).with_context(
            tracking_disable=True,
            mail_create_nolog=True,
            mail_create_nosubscribe=True,
            mail_notrack=True,
            no_reset_password=True,
        )
        ref = gen.env.ref
        products = {
            name: ref(f"{DEMO_MODULE}.cou_jp_product_{name}")
            for line in JP_DEMO_ORDERS
            for name, _qty in line[2]
        }
        partners = {
            name: ref(f"{DEMO_MODULE}.cou_jp_customer_{name}")
            for name in ("hanako", "ichiro", "misaki", "midori", "hanamaru")
        }
        contacts = {"kenta": ref(f"{DEMO_MODULE}.cou_jp_customer_midori_kenta")}
        pricelist = gen._jp_demo_pricelist(company, partners)
        gen._jp_demo_set_taxes(company, products)
        term = ref(f"{DEMO_MODULE}.cou_jp_payment_term_eom_next_eom")
        (partners["midori"] | partners["hanamaru"]).with_company(
            company
        ).property_payment_term_id = term
        (partners["hanako"] | partners["ichiro"] | partners["misaki"]).with_company(
            company
        ).property_payment_term_id = ref("account.account_payment_term_immediate")
        gen._jp_demo_calendar(ref(f"{DEMO_MODULE}.cou_jp_calendar_tokyo"))
        orders = gen._jp_demo_orders(company, partners, contacts, products, pricelist)
        gen._jp_demo_complaints(company, orders)
        customers = gen.env["res.partner"].union(*partners.values())
        customers._cou_refresh_customer_360()
        return True

    def _jp_demo_xmlids(self, pairs):
        self.env["ir.model.data"]._update_xmlids(
            [
                {"xml_id": f"{DEMO_MODULE}.{name}", "record": record, "noupdate": True}
                for name, record in pairs
            ]
        )

    def _jp_demo_pricelist(self, company, partners):
        pricelist = self.env["product.pricelist"].create(
            {
                "name": "Standard prices (JPY)",
                "currency_id": self.env.ref("base.JPY").id,
                "company_id": company.id,
            }
        )
        self._jp_demo_xmlids([("cou_jp_pricelist", pricelist)])
        for partner in partners.values():
            partner.with_company(company).property_product_pricelist = pricelist
        return pricelist

    def _jp_demo_set_taxes(self, company, products):
        """Consumption tax: 10%, and the reduced 8% on food and drinks."""
        chart = self.env["account.chart.template"].with_company(company)
        standard = chart.ref("l10n_jp_tax_sale_exc_10")
        reduced = chart.ref("l10n_jp_tax_sale_exc_8")
        for name, product in products.items():
            tax = reduced if name in JP_REDUCED_RATE_PRODUCTS else standard
            product.product_tmpl_id.taxes_id = [Command.set(tax.ids)]

    def _jp_demo_calendar(self, calendar):
        """The public holidays of last year, this year and next year, and the
        year-end closure (年末年始休業, 29 December to 3 January)."""
        year = fields.Date.context_today(self).year
        calendar._cou_jp_add_public_holidays(range(year - 1, year + 2))
        self.env["resource.calendar.leaves"].create(
            [
                calendar._cou_jp_leave_vals(
                    "年末年始休業", date(y, 12, 29), date(y + 1, 1, 3)
                )
                for y in (year - 1, year)
            ]
        )

    def _jp_demo_orders(self, company, partners, contacts, products, pricelist):
        now = fields.Datetime.now()
        warehouse = self.env["stock.warehouse"].search(
            [("company_id", "=", company.id)], limit=1
        )
        vals_list = []
        for customer, contact, lines, days_ago, _scenario in JP_DEMO_ORDERS:
            partner = contacts[contact] if contact else partners[customer]
            vals_list.append(
                {
                    "company_id": company.id,
                    "partner_id": partner.id,
                    "partner_invoice_id": partners[customer].id,
                    "partner_shipping_id": partner.id,
                    "pricelist_id": pricelist.id,
                    "warehouse_id": warehouse.id,
                    "user_id": self.env.ref("base.user_admin").id,
                    "date_order": now - timedelta(days=days_ago, hours=3),
                    "order_line": [
                        Command.create(
                            {"product_id": products[name].id, "product_uom_qty": qty}
                        )
                        for name, qty in lines
                    ],
                }
            )
        orders = self.env["sale.order"].create(vals_list)
        self._jp_demo_xmlids(
            [
                (f"cou_jp_order_{index:02d}", order)
                for index, order in enumerate(orders, 1)
            ]
        )
        plan = dict(zip(orders, JP_DEMO_ORDERS, strict=True))
        confirmed = orders.filtered(lambda o: plan[o][4] != "quotation")
        confirmed.action_confirm()
        for order in orders:
            order.date_order = now - timedelta(days=plan[order][3], hours=3)
        delivered = confirmed.filtered(lambda o: plan[o][4] != "confirmed")
        pickings = delivered.picking_ids
        pickings.action_assign()
        for move in pickings.move_ids:
            move.quantity = move.product_uom_qty
        pickings.move_ids.picked = True
        pickings.with_context(
            skip_backorder=True, picking_ids_not_to_backorder=pickings.ids
        ).button_validate()
        for picking in pickings:
            picking.date_done = now - timedelta(days=plan[picking.sale_id][3] - 2)
        invoiced = delivered.filtered(lambda o: plan[o][4] in ("invoiced", "paid"))
        invoices = invoiced._create_invoices()
        for invoice in invoices:
            order = invoice.invoice_line_ids.sale_line_ids.order_id[:1]
            invoice.invoice_date = (now - timedelta(days=plan[order][3] - 3)).date()
        invoices.sorted("invoice_date").action_post()
        for invoice in invoices:
            order = invoice.invoice_line_ids.sale_line_ids.order_id[:1]
            if plan[order][4] != "paid":
                continue
            self.env["account.payment.register"].with_context(
                active_model="account.move", active_ids=invoice.ids
            ).create(
                {"payment_date": min(invoice.invoice_date_due, now.date())}
            )._create_payments()
        return orders

    def _jp_demo_complaints(self, company, orders):
        """A sensitive-skin reaction (new: the acknowledgement goes out with 様)
        and a late delivery to a pharmacy (resolved and rated, 御中)."""
        ref = self.env.ref
        team = ref(f"{DEMO_MODULE}.cou_jp_complaint_team")
        hanako_order = ref(f"{DEMO_MODULE}.cou_jp_order_02")
        midori_order = ref(f"{DEMO_MODULE}.cou_jp_order_09")
        Complaint = self.env["cou.complaint"].with_context(cou_skip_breach_check=True)
        now = fields.Datetime.now()
        reaction = Complaint.create(
            {
                "name": "ファンデーションを使用したところ、頬に赤みが出ました",
                "company_id": company.id,
                "team_id": team.id,
                "partner_id": hanako_order.partner_id.id,
                "sale_order_id": hanako_order.id,
                "category_id": ref(
                    "crm_order_unified_complaint.cou_complaint_category_quality"
                ).id,
                "priority": "2",
                "channel": "email",
                "date_open": now - timedelta(hours=5),
                "description": Markup(
                    "<p>敏感肌用と伺って購入しましたが、使用後に頬が赤くなりました。"
                    "成分を確認していただけますでしょうか。</p>"
                ),
            }
        )
        late = Complaint.create(
            {
                "name": "納品が予定日より3日遅れました",
                "company_id": company.id,
                "team_id": team.id,
                "partner_id": midori_order.partner_id.commercial_partner_id.id,
                "picking_id": midori_order.picking_ids[:1].id,
                "category_id": ref(
                    "crm_order_unified_complaint.cou_complaint_category_late"
                ).id,
                "priority": "1",
                "channel": "phone",
                "user_id": ref("base.user_admin").id,
                "date_open": now - timedelta(days=40),
                "description": Markup(
                    "<p>店頭の在庫が切れてしまい、お客様をお待たせしました。</p>"
                ),
            }
        )
        closed = now - timedelta(days=38)
        late.write(
            {
                "stage_id": ref(
                    "crm_order_unified_complaint.cou_complaint_stage_resolved"
                ).id,
                "first_response_date": now - timedelta(days=40) + timedelta(hours=2),
                "date_closed": closed,
                "date_last_stage_update": closed,
                "resolution_type": "explanation",
                "resolution_note": Markup(
                    "<p>配送業者の遅延でした。次回の納品分の送料を当社で負担いたします。</p>"
                ),
            }
        )
        if late.partner_id:
            late.rating_apply(
                5,
                token=late._rating_get_access_token(),
                feedback="迅速にご対応いただきありがとうございました。",
            )
        self._jp_demo_xmlids(
            [("cou_jp_complaint_reaction", reaction), ("cou_jp_complaint_late", late)]
        )
