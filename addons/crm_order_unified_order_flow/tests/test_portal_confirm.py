from odoo import fields
from odoo.tests import tagged

from .common import CouOrderFlowCommon


@tagged("post_install", "-at_install")
class TestPortalConfirm(CouOrderFlowCommon):
    """What happens when the customer signs a quotation in the portal (the
    portal controller signs, then calls ``_validate_order`` as superuser)."""

    def _sign(self, order):
        order.write({"signed_by": "Alice", "signed_on": fields.Datetime.now()})
        order.sudo()._validate_order()

    def _activity(self, order):
        return order.activity_ids.filtered(
            lambda a: a.summary == "Accepted by the customer: check and confirm"
        )

    def test_trusted_customer_confirms_itself(self):
        self.customer_company.cou_flow_trusted = True
        order = self._quotation(self.customer_company, [(self.product_storable, 1, 50)])
        self._sign(order)
        self.assertEqual(order.state, "sale")
        self.assertFalse(self._activity(order))

    def test_other_customer_waits_for_the_salesperson(self):
        order = self._quotation(
            self.customer_company,
            [(self.product_storable, 1, 50)],
            user=self.user_salesman,
        )
        self._sign(order)
        self.assertIn(order.state, ("draft", "sent"))
        activity = self._activity(order)
        self.assertEqual(activity.user_id, self.user_salesman)
        self.assertIn("not a trusted customer", activity.note)

    def test_company_setting_all_customers(self):
        self.company_a.cou_flow_portal_confirm = "all"
        order = self._quotation(self.customer_company, [(self.product_storable, 1, 50)])
        self._sign(order)
        self.assertEqual(order.state, "sale")

    def test_trusted_but_short_of_stock_waits(self):
        self.customer_company.cou_flow_trusted = True
        order = self._quotation(self.customer_company, [(self.product_storable, 9, 50)])
        self._sign(order)
        self.assertNotEqual(order.state, "sale")
        self.assertIn("Not enough stock", self._activity(order).note)

    def test_trusted_but_overdue_waits(self):
        self.customer_company.cou_flow_trusted = True
        self._overdue_invoice(self.customer_company, 300, days_overdue=60)
        order = self._quotation(self.customer_company, [(self.product_order, 1, 50)])
        self._sign(order)
        self.assertNotEqual(order.state, "sale")
        self.assertIn("overdue", self._activity(order).note)

    def test_trust_is_per_company(self):
        self.customer_company.with_company(self.company_b).cou_flow_trusted = True
        order = self._quotation(self.customer_company, [(self.product_order, 1, 50)])
        self._sign(order)
        self.assertNotEqual(order.state, "sale", "trusted in company B only")

    def test_unsigned_orders_keep_odoo_behaviour(self):
        """website_sale's free orders are validated without a signature."""
        order = self._quotation(self.customer_company, [(self.product_order, 1, 0)])
        order.sudo()._validate_order()
        self.assertEqual(order.state, "sale")
