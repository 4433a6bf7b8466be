from odoo import Command

from odoo.addons.crm_order_unified.tests.common_tour import CouTourCase


class TestUiCustomer360(CouTourCase):
    """Open a sale order, see its customer context, click through to the customer.
    The tour builds its own data (it does not rely on the demo generator)."""

    def test_customer360_tour(self):
        env = self.env(
            context=dict(self.env.context, tracking_disable=True, mail_notrack=True)
        )
        customer = env["res.partner"].create(
            {
                "name": "COU Tour Customer",
                "is_company": True,
                "comment": "<p>Tour note: call before delivery</p>",
            }
        )
        contact = env["res.partner"].create(
            {"name": "COU Tour Buyer", "parent_id": customer.id}
        )
        product = env["product.product"].create(
            {
                "name": "COU Tour Product",
                "type": "consu",
                "invoice_policy": "order",
                "list_price": 10.0,
                "taxes_id": [Command.clear()],
            }
        )
        orders = env["sale.order"]
        for ref, partner, qty in (("A", customer, 10), ("B", contact, 5)):
            orders |= env["sale.order"].create(
                {
                    "partner_id": partner.id,
                    "client_order_ref": f"Tour Customer Order {ref}",
                    "order_line": [
                        Command.create(
                            {
                                "product_id": product.id,
                                "product_uom_qty": qty,
                                "price_unit": 10.0,
                            }
                        )
                    ],
                }
            )
        orders.action_confirm()
        invoices = orders._create_invoices()
        invoices.action_post()
        self.assertEqual(customer.customer_lifetime_revenue, 150.0)
        self.start_tour(
            f"/odoo/action-sale.action_orders/{orders[0].id}",
            "crm_order_unified_customer360_tour",
            login="admin",
        )
