import re

from odoo import Command
from odoo.tests import HttpCase, tagged

from odoo.addons.crm_order_unified.tests.common_tour import CouTourCase


@tagged("post_install", "-at_install", "cou_tour")
class TestCareTour(CouTourCase):
    """Enter an order for the sensitive-skin demo customer and see the warning
    (needs the demo data: Hana Sato, her derived attribute and the rule)."""

    def test_care_tour(self):
        hana = self.env.ref(
            "crm_order_unified_care.cou_care_customer_hana", raise_if_not_found=False
        )
        if not hana:
            self.skipTest("needs the demo data of crm_order_unified_care")
        self.env["cou.care.derivation"]._recompute(hana)
        self.assertTrue(
            hana.care_attribute_ids, "the demo history derives sensitive skin"
        )
        self.start_tour("/odoo", "crm_order_unified_care_tour", login="admin")
        order = self.env["sale.order"].search(
            [("partner_id", "=", hana.id)], order="id desc", limit=1
        )
        events = self.env["cou.care.event"].search([("order_id", "=", order.id)])
        self.assertEqual(set(events.mapped("event_type")), {"swapped"})
        self.assertEqual(order.order_line.product_id.default_code, "COS-SEN-01")


@tagged("post_install", "-at_install", "cou_tour")
class TestSaleOrderPortalCare(HttpCase):
    """The customer's quotation page shows the care message of matching lines
    (an HTTP test: Odoo's runner runs it with the tours)."""

    def test_portal_quotation_shows_the_care_message(self):
        attribute = self.env["cou.care.attribute"].create(
            {"name": "COU Portal nut allergy"}
        )
        tag = self.env["product.tag"].create({"name": "COU Portal nuts"})
        butter = self.env["product.product"].create(
            {
                "name": "COU Portal Almond Butter",
                "type": "consu",
                "list_price": 12.0,
                "product_tag_ids": [Command.link(tag.id)],
            }
        )
        lotion = self.env["product.product"].create(
            {"name": "COU Portal Oat Lotion", "type": "consu"}
        )
        rule = self.env["cou.care.rule"].create(
            {
                "attribute_id": attribute.id,
                "product_tag_id": tag.id,
                "level": "warning",
                "message": "COU portal: contains nut oil.",
                "alternative_product_ids": [Command.set(lotion.ids)],
            }
        )
        customer = self.env["res.partner"].create(
            {"name": "COU Portal Customer", "care_attribute_ids": attribute.ids}
        )
        order = self.env["sale.order"].create(
            {
                "partner_id": customer.id,
                "order_line": [
                    Command.create({"product_id": butter.id, "product_uom_qty": 1})
                ],
            }
        )
        order.action_quotation_sent()
        response = self.url_open(order.get_portal_url())
        self.assertEqual(response.status_code, 200)
        self.assertIn("COU portal: contains nut oil.", response.text)
        self.assertIn("COU Portal Oat Lotion", response.text)
        # a message written for the customer replaces the staff's one
        rule.portal_message = (
            "COU portal: this product contains nut oil, please contact us."
        )
        response = self.url_open(order.get_portal_url())
        self.assertIn(
            "this product contains nut oil, please contact us.", response.text
        )
        self.assertNotIn("COU portal: contains nut oil.", response.text)

    def test_portal_customer_swaps_to_an_alternative(self):
        attribute = self.env["cou.care.attribute"].create({"name": "COU Swap vegan"})
        honey = self.env["product.product"].create(
            {"name": "COU Swap Honey Balm", "type": "consu", "list_price": 9.0}
        )
        oat = self.env["product.product"].create(
            {"name": "COU Swap Oat Balm", "type": "consu", "list_price": 8.0}
        )
        self.env["cou.care.rule"].create(
            {
                "attribute_id": attribute.id,
                "product_id": honey.id,
                "level": "warning",
                "message": "COU swap: contains honey.",
                "alternative_product_ids": [Command.set(oat.ids)],
            }
        )
        customer = self.env["res.partner"].create(
            {"name": "COU Swap Customer", "care_attribute_ids": attribute.ids}
        )
        order = self.env["sale.order"].create(
            {
                "partner_id": customer.id,
                "order_line": [
                    Command.create({"product_id": honey.id, "product_uom_qty": 2})
                ],
            }
        )
        order.action_quotation_sent()
        page = self.url_open(order.get_portal_url())
        self.assertIn("o_crm_order_unified_care_portal_swap", page.text)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        url = f"/my/orders/{order.id}/care_swap?access_token={order.access_token}"
        # an unrelated product is refused, nothing changes
        response = self.url_open(
            url,
            data={
                "csrf_token": token,
                "line_id": str(order.order_line.id),
                "product_id": str(honey.id + oat.id + 1000),
            },
        )
        self.assertIn("cou_care_swap_refused", response.url)
        self.assertEqual(order.order_line.product_id, honey)
        response = self.url_open(
            url,
            data={
                "csrf_token": token,
                "line_id": str(order.order_line.id),
                "product_id": str(oat.id),
            },
        )
        self.assertEqual(response.status_code, 200)
        order.invalidate_recordset()
        self.assertEqual(order.order_line.product_id, oat)
        self.assertEqual(order.order_line.product_uom_qty, 2)
        events = self.env["cou.care.event"].search([("order_id", "=", order.id)])
        self.assertIn("swapped", events.mapped("event_type"), "on the timeline")
        # a wrong token gets no access
        response = self.url_open(
            f"/my/orders/{order.id}/care_swap?access_token=wrong",
            data={"csrf_token": token, "line_id": "1", "product_id": "1"},
        )
        self.assertNotIn("/my/orders/", response.url)
