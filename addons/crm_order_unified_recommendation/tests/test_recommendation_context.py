from odoo import Command
from odoo.tests import tagged, users

from .common import CouRecommendationCommon


@tagged("post_install", "-at_install")
class TestRecommendationContext(CouRecommendationCommon):
    """Suggestions in the customer context panels of deliveries and invoices,
    and the order's pricelist on the Suggested tab."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Recommendation._rebuild(cls.company_a)
        cls.baker = cls.bakers[3]
        order = cls._cou_create_order(cls.baker, [(cls.bread, 1, 2.0)])
        cls.picking = order.picking_ids[:1]
        cls.invoice = cls.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": cls.baker.id,
                "company_id": cls.company_a.id,
                "invoice_line_ids": [
                    Command.create(
                        {"product_id": cls.bread.id, "quantity": 1, "price_unit": 2.0}
                    )
                ],
            }
        )
        cls.pricelist = cls.env["product.pricelist"].create(
            {
                "name": "COU Reco bakers' pricelist",
                "currency_id": cls.company_a.currency_id.id,
                "company_id": cls.company_a.id,
                "item_ids": [
                    Command.create(
                        {
                            "applied_on": "0_product_variant",
                            "product_id": cls.jam.id,
                            "compute_price": "fixed",
                            "fixed_price": 3.25,
                        }
                    )
                ],
            }
        )

    def _ids(self, data):
        return [s["product_id"] for s in data["suggestions"]]

    @users("cou_sale_manager")
    def test_delivery_and_invoice_panels(self):
        """The customer's top suggestions, read-only, with their reasons."""
        expected = self._ids(self.baker.cou_recommendation_panel_data())[:5]
        for document in (
            self.env["stock.picking"].browse(self.picking.id),
            self.env["account.move"].browse(self.invoice.id),
        ):
            data = document.cou_recommendation_panel_data()
            self.assertFalse(data["can_add"])
            self.assertEqual(self._ids(data), expected)
            jam = next(s for s in data["suggestions"] if s["product_id"] == self.jam.id)
            self.assertIn("COU Bread", jam["reason"])
            self.assertTrue(jam["price_display"])

    def test_panels_in_the_customer_context_views(self):
        for model in ("stock.picking", "account.move"):
            arch = self.env[model].get_view(view_type="form")["arch"]
            self.assertIn('name="cou_recommendation_panel"', arch, model)

    def test_panel_without_customer(self):
        picking = self.picking.copy({"partner_id": False})
        self.assertEqual(
            picking.cou_recommendation_panel_data(),
            {"suggestions": [], "can_add": False},
        )

    def test_panel_uses_the_customer_pricelist(self):
        self.baker.property_product_pricelist = self.pricelist
        data = self.invoice.cou_recommendation_panel_data()
        jam = next(s for s in data["suggestions"] if s["product_id"] == self.jam.id)
        self.assertEqual(jam["price"], 3.25)

    def test_order_pricelist_price_shown_and_added(self):
        quotation = self._cou_create_order(
            self.baker, [(self.bread, 1, 2.0)], confirm=False, pricelist=self.pricelist
        )
        data = quotation.cou_recommendation_panel_data()
        jam = next(s for s in data["suggestions"] if s["product_id"] == self.jam.id)
        self.assertEqual(
            jam["price"], 3.25, "the order's pricelist, not the list price"
        )
        line = self.env["sale.order.line"].browse(
            quotation.action_cou_recommendation_add(self.jam.id, "cross_sell")
        )
        self.assertEqual(line.price_unit, 3.25, "the line added has the price shown")

    def test_order_panel_leaves_unsaleable_products_out(self):
        """A product no longer sold is not suggested on an order."""
        self.sourdough.product_tmpl_id.sale_ok = False
        quotation = self._cou_create_order(
            self.baker, [(self.bread, 1, 2.0)], confirm=False
        )
        ids = self._ids(quotation.cou_recommendation_panel_data())
        self.assertNotIn(self.sourdough.id, ids)
        self.assertIn(self.jam.id, ids)
