"""Shared test base of crm_order_unified.

``CouCommon`` builds two accounting companies (A, the default one, and B),
a second currency (EUR, 1 USD = 2 EUR in company A), products, customers
(a company with a contact and a delivery address, an individual), one user per
role, and helpers to create, confirm, deliver, invoice, pay, return and refund.
Other features may import it::

    from odoo.addons.crm_order_unified.tests.common import CouCommon
"""

from freezegun import freeze_time

from odoo import Command, fields
from odoo.tests import Form, new_test_user, tagged

from odoo.addons.account.tests.common import AccountTestInvoicingCommon


@tagged("post_install", "-at_install")
class CouCommon(AccountTestInvoicingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.env.company
        cls.company_b = cls.setup_other_company(name="COU Company B")["company"]
        cls.env.user.company_ids = [Command.set((cls.company_a | cls.company_b).ids)]
        cls.currency_usd = cls.company_a.currency_id
        # 1 company currency = 2 EUR in company A, from 2000 on
        cls.currency_eur = cls.setup_other_currency("EUR", rates=[("2000-01-01", 2.0)])
        cls.pricelist_eur = cls.env["product.pricelist"].create(
            {"name": "COU EUR", "currency_id": cls.currency_eur.id, "company_id": False}
        )

        # ---- products: consumables (deliverable without stock), no taxes ----
        product_vals = {
            "type": "consu",
            "list_price": 10.0,
            "taxes_id": [Command.clear()],
            "supplier_taxes_id": [Command.clear()],
            "company_id": False,
        }
        cls.product_order = cls.env["product.product"].create(
            {
                **product_vals,
                "name": "COU Widget (invoiced on order)",
                "invoice_policy": "order",
            }
        )
        cls.product_delivery = cls.env["product.product"].create(
            {
                **product_vals,
                "name": "COU Gadget (invoiced on delivery)",
                "invoice_policy": "delivery",
            }
        )

        # ---- users, one per role ----
        company_ids = (cls.company_a | cls.company_b).ids

        def user(login, groups, **kw):
            return new_test_user(
                cls.env,
                login=login,
                groups=groups,
                company_id=cls.company_a.id,
                company_ids=kw.pop("company_ids", [cls.company_a.id]),
                **kw,
            )

        cls.user_salesman = user(
            "cou_salesman", "base.group_user,sales_team.group_sale_salesman"
        )
        cls.user_salesman_2 = user(
            "cou_salesman_2", "base.group_user,sales_team.group_sale_salesman"
        )
        cls.user_sale_manager = user(
            "cou_sale_manager",
            "base.group_user,sales_team.group_sale_manager",
            company_ids=company_ids,
        )
        cls.user_stock = user("cou_stock", "base.group_user,stock.group_stock_user")
        cls.user_invoice = user(
            "cou_invoice", "base.group_user,account.group_account_invoice"
        )
        cls.user_employee = user("cou_employee", "base.group_user")
        cls.user_hub_manager = user(
            "cou_hub_manager",
            "base.group_user,sales_team.group_sale_manager,"
            "crm_order_unified.group_crm_order_unified_manager",
            company_ids=company_ids,
        )

        # ---- customers ----
        Partner = cls.env["res.partner"]
        cls.customer_company = Partner.create(
            {
                "name": "COU Acme Corp",
                "is_company": True,
                "comment": "<p>Prefers mornings</p>",
            }
        )
        cls.customer_contact = Partner.create(
            {
                "name": "COU Alice Acme",
                "parent_id": cls.customer_company.id,
                "type": "contact",
            }
        )
        cls.customer_delivery = Partner.create(
            {
                "name": "COU Acme Warehouse",
                "parent_id": cls.customer_company.id,
                "type": "delivery",
            }
        )
        cls.customer_other_company = Partner.create(
            {"name": "COU Globex", "is_company": True}
        )
        cls.customer_individual = Partner.create({"name": "COU Bob Individual"})

    # === HELPERS === #

    @classmethod
    def _cou_create_order(
        cls,
        partner,
        lines=None,
        company=None,
        pricelist=None,
        user=None,
        confirm=True,
        date=None,
        shipping_partner=None,
    ):
        """Create (and confirm) a sale order.

        :param lines: list of ``(product, quantity, unit price)``;
            default one line of 10 x product_order at 10.0
        :param date: confirmation datetime (string or datetime), frozen
        """
        company = company or cls.company_a
        lines = lines or [(cls.product_order, 10, 10.0)]
        vals = {
            "partner_id": partner.id,
            "company_id": company.id,
            "order_line": [
                Command.create(
                    {
                        "product_id": product.id,
                        "product_uom_qty": qty,
                        "price_unit": price,
                    }
                )
                for product, qty, price in lines
            ],
        }
        if shipping_partner:
            vals["partner_shipping_id"] = shipping_partner.id
        if pricelist:
            vals["pricelist_id"] = pricelist.id
        if user:
            vals["user_id"] = user.id
        with freeze_time(date or fields.Datetime.now()):
            order = cls.env["sale.order"].with_company(company).create(vals)
            if confirm:
                order.action_confirm()
        return order

    @classmethod
    def _cou_deliver(cls, order, quantities=None):
        """Validate the open outgoing transfers of ``order`` (all demanded
        quantities unless ``quantities`` maps products to quantities)."""
        pickings = order.picking_ids.filtered(
            lambda p: p.picking_type_code == "outgoing"
            and p.state not in ("done", "cancel")
        )
        for move in pickings.move_ids:
            qty = (quantities or {}).get(move.product_id, move.product_uom_qty)
            move.write({"quantity": qty, "picked": True})
        pickings.with_context(skip_backorder=True, skip_sms=True).button_validate()
        return pickings

    @classmethod
    def _cou_invoice(cls, order, post=True, date=None):
        """Invoice what is invoiceable on ``order`` (invoice or credit note)."""
        moves = order._create_invoices(final=True)
        if date:
            moves.invoice_date = date
        if post:
            moves.action_post()
        return moves

    @classmethod
    def _cou_pay(cls, invoices, amount=None, date=None):
        vals = {"payment_date": date or fields.Date.today()}
        if amount is not None:
            vals.update(amount=amount, payment_difference_handling="open")
        return (
            cls.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=invoices.ids)
            .create(vals)
            ._create_payments()
        )

    @classmethod
    def _cou_return(cls, order, quantity):
        """Return ``quantity`` of the first product of the done delivery of
        ``order`` (to refund) and validate the return."""
        picking = order.picking_ids.filtered(
            lambda p: p.picking_type_code == "outgoing" and p.state == "done"
        )[:1]
        wizard = Form(
            cls.env["stock.return.picking"].with_context(
                active_ids=picking.ids,
                active_id=picking.id,
                active_model="stock.picking",
            )
        ).save()
        for i, line in enumerate(wizard.product_return_moves):
            line.quantity = quantity if i == 0 else 0
        action = wizard.action_create_returns()
        returned = cls.env["stock.picking"].browse(action["res_id"])
        returned.move_ids.write({"picked": True})
        for move in returned.move_ids:
            move.quantity = move.product_uom_qty
        returned.button_validate()
        return returned

    @classmethod
    def _cou_refund(cls, invoice, date=None):
        """Full credit note of ``invoice``, posted."""
        refund = invoice._reverse_moves(
            [{"invoice_date": date or fields.Date.today(), "ref": "COU refund"}]
        )
        refund.action_post()
        return refund
