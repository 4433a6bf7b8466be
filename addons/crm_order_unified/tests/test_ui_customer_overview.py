from odoo import Command

from odoo.addons.crm_order_unified.tests.common_tour import CouTourCase


class TestUiCustomerOverview(CouTourCase):
    """Open a customer's overview and follow the link of one of its orders.
    The tour builds its own data (it does not rely on the demo generator)."""

    def test_customer_overview_tour(self):
        env = self.env(
            context=dict(self.env.context, tracking_disable=True, mail_notrack=True)
        )
        customer = env["res.partner"].create(
            {"name": "COU Overview Customer", "is_company": True}
        )
        product = env["product.product"].create(
            {
                "name": "COU Overview Product",
                "type": "consu",
                "invoice_policy": "order",
                "list_price": 10.0,
                "taxes_id": [Command.clear()],
            }
        )
        orders = env["sale.order"].create(
            [
                {
                    "partner_id": customer.id,
                    "client_order_ref": f"Tour Overview Order {ref}",
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
                for ref, qty in (("A", 10), ("B", 5))
            ]
        )
        orders.action_confirm()
        orders[0]._create_invoices().action_post()
        self.assertEqual(customer.customer_ordered_revenue, 150.0)
        self.assertEqual(customer.customer_lifetime_revenue, 100.0)
        self.start_tour(
            f"/odoo/res.partner/{customer.id}",
            "crm_order_unified_customer_overview_tour",
            login="admin",
        )
