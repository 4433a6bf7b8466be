from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import CouCommon


@tagged("post_install", "-at_install")
class TestCustomer360Access(CouCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order_1 = cls._cou_create_order(cls.customer_company, user=cls.user_salesman)
        cls.order_2 = cls._cou_create_order(cls.customer_contact, user=cls.user_salesman_2)

    def test_user_without_hub_group_cannot_read_figures(self):
        partner = self.customer_company.with_user(self.user_employee)
        self.assertEqual(partner.name, "COU Acme Corp")
        for fname in ("customer_order_count", "customer_lifetime_revenue", "customer_recent_order_ids"):
            with self.assertRaises(AccessError, msg=fname):
                partner.read([fname])
        self.assertNotIn(
            "customer_order_count", partner.fields_get(attributes=["type"]),
        )

    def test_staff_roles_see_figures(self):
        for user in (self.user_salesman, self.user_stock, self.user_invoice):
            partner = self.customer_company.with_user(user)
            self.assertEqual(partner.read(["customer_order_count"])[0]["customer_order_count"], 2)

    def test_salesman_sees_only_own_sources(self):
        """The figures are the customer's; the documents behind them follow the
        salesman's record rules."""
        order = self.order_1.with_user(self.user_salesman)
        self.assertEqual(order.cou_customer_order_count, 2)
        self.assertEqual(order.cou_customer_recent_order_ids, self.order_1)
        partner = self.customer_company.with_user(self.user_salesman_2)
        self.assertEqual(partner.customer_recent_order_ids, self.order_2)
        manager_view = self.customer_company.with_user(self.user_sale_manager)
        self.assertEqual(manager_view.customer_recent_order_ids, self.order_1 | self.order_2)
        # the smart button of the salesman opens only what he may read
        action = self.customer_company.with_user(self.user_salesman).action_cou_view_orders()
        visible = self.env["sale.order"].with_user(self.user_salesman).search(action["domain"])
        self.assertEqual(visible, self.order_1)

    def test_customer_context_on_documents(self):
        self._cou_invoice(self.order_1)
        order = self.order_1.with_user(self.user_sale_manager)
        self.assertEqual(order.cou_customer_id, self.customer_company)
        self.assertEqual(len(order.cou_customer_open_picking_ids), 2)
        self.assertEqual(len(order.cou_customer_unpaid_invoice_ids), 1)
        self.assertIn("Prefers mornings", order.cou_customer_comment)
        picking = self.order_2.picking_ids.with_user(self.user_stock)
        self.assertEqual(picking.cou_customer_order_count, 2)
        self.assertEqual(picking.action_cou_view_customer()["res_id"], self.customer_company.id)
        invoice = self.order_1.invoice_ids.with_user(self.user_invoice)
        self.assertEqual(invoice.cou_customer_lifetime_revenue, 100.0)
        self.assertEqual(invoice.cou_delivery_count, 1)
        self.assertEqual(self.order_1.picking_ids.cou_invoice_count, 1)
