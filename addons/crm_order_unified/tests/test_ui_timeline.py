from datetime import datetime, timedelta

from odoo import Command

from odoo.addons.crm_order_unified.tests.common_tour import CouTourCase


class TestTimelineTour(CouTourCase):
    """Open a customer's timeline from its form, load more, search, filter by
    kind and click through to an invoice."""

    def test_timeline_tour(self):
        env = self.env(
            context=dict(self.env.context, tracking_disable=True, mail_notrack=True)
        )
        customer = env["res.partner"].create(
            {"name": "Tour Timeline Customer", "is_company": True}
        )
        product = env["product.product"].create(
            {
                "name": "Tour Timeline Product",
                "type": "consu",
                "invoice_policy": "order",
                "list_price": 10.0,
            }
        )
        order = env["sale.order"].create(
            {
                "partner_id": customer.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "product_uom_qty": 1,
                            "price_unit": 10.0,
                        }
                    )
                ],
            }
        )
        order.action_confirm()
        invoice = order._create_invoices()
        invoice.invoice_date = "2023-12-15"
        invoice.action_post()
        start = datetime(2024, 1, 1, 8, 0)
        messages = env["mail.message"]
        for index in range(1, 61):
            messages |= customer.message_post(
                body=f"Tour body {index:02d}",
                subject=f"Tour message {index:02d}",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        for index, message in enumerate(messages):
            message.date = start + timedelta(hours=index)
        # the order's own events are recent: keep them on top, messages below
        self.start_tour(
            f"/odoo/res.partner/{customer.id}",
            "crm_order_unified_timeline_tour",
            login="admin",
        )
