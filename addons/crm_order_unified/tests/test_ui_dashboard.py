from odoo import Command

from odoo.addons.crm_order_unified.tests.common_tour import CouTourCase


class TestUiDashboard(CouTourCase):
    """Open the app, see its dashboard (demo data plus a new customer's order
    of today), click a figure through to its list, open the customer's
    overview."""

    def test_dashboard_tour(self):
        env = self.env(
            context=dict(self.env.context, tracking_disable=True, mail_notrack=True)
        )
        customer = env["res.partner"].create(
            {"name": "COU Dashboard Tour Customer", "is_company": True}
        )
        product = env["product.product"].create(
            {
                "name": "COU Dashboard Tour Product",
                "type": "consu",
                "list_price": 10.0,
                "taxes_id": [Command.clear()],
            }
        )
        order = env["sale.order"].create(
            {
                "partner_id": customer.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "product_uom_qty": 3,
                            "price_unit": 10,
                        }
                    )
                ],
            }
        )
        order.action_confirm()
        self.assertEqual(customer.customer_ordered_revenue, 30.0)
        self.start_tour("/odoo", "crm_order_unified_dashboard_tour", login="admin")
