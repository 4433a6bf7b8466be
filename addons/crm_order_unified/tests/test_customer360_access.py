from lxml import etree

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import CouCommon


@tagged("post_install", "-at_install")
class TestCustomer360Access(CouCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order_1 = cls._cou_create_order(
            cls.customer_company, user=cls.user_salesman
        )
        cls.order_2 = cls._cou_create_order(
            cls.customer_contact, user=cls.user_salesman_2
        )

    def test_user_without_hub_group_cannot_read_figures(self):
        partner = self.customer_company.with_user(self.user_employee)
        self.assertEqual(partner.name, "COU Acme Corp")
        for fname in (
            "customer_order_count",
            "customer_lifetime_revenue",
            "customer_recent_order_ids",
        ):
            with self.assertRaises(AccessError, msg=fname):
                partner.read([fname])
        self.assertNotIn(
            "customer_order_count",
            partner.fields_get(attributes=["type"]),
        )

    def test_staff_roles_see_figures(self):
        for user in (self.user_salesman, self.user_stock, self.user_invoice):
            partner = self.customer_company.with_user(user)
            self.assertEqual(
                partner.read(["customer_order_count"])[0]["customer_order_count"], 2
            )

    def test_salesman_sees_only_own_sources(self):
        """The figures are the customer's; the documents behind them follow the
        salesman's record rules."""
        order = self.order_1.with_user(self.user_salesman)
        self.assertEqual(order.cou_customer_order_count, 2)
        self.assertEqual(order.cou_customer_recent_order_ids, self.order_1)
        partner = self.customer_company.with_user(self.user_salesman_2)
        self.assertEqual(partner.customer_recent_order_ids, self.order_2)
        manager_view = self.customer_company.with_user(self.user_sale_manager)
        self.assertEqual(
            manager_view.customer_recent_order_ids, self.order_1 | self.order_2
        )
        # the smart button of the salesman opens only what he may read
        action = self.customer_company.with_user(
            self.user_salesman
        ).action_cou_view_orders()
        visible = (
            self.env["sale.order"]
            .with_user(self.user_salesman)
            .search(action["domain"])
        )
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
        self.assertEqual(
            picking.action_cou_view_customer()["res_id"], self.customer_company.id
        )
        invoice = self.order_1.invoice_ids.with_user(self.user_invoice)
        self.assertEqual(invoice.cou_customer_lifetime_revenue, 100.0)
        self.assertEqual(invoice.cou_delivery_count, 1)
        self.assertEqual(self.order_1.picking_ids.cou_invoice_count, 1)

    def _form_arch(self, model, user):
        """Names of the buttons and fields the user gets in the form view."""
        arch = (
            self.env[model]
            .with_user(user)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        tree = etree.fromstring(arch)
        return {
            node.get("name")
            for node in tree.xpath("//button | //field[not(@data-used-by)]")
        }

    def test_links_follow_read_rights(self):
        """Each role only gets the buttons and lists of documents it may read
        (stock users cannot read invoices, invoicing users cannot read
        transfers), so no link ends on an access error."""
        stock = self._form_arch("res.partner", self.user_stock)
        self.assertIn("action_cou_view_deliveries", stock)
        self.assertNotIn("action_cou_view_invoices", stock)
        invoicing = self._form_arch("res.partner", self.user_invoice)
        self.assertNotIn("action_cou_view_deliveries", invoicing)

        # the customer overview links what the user may read
        def links(user):
            overview = self.customer_company.with_user(user).get_customer_overview()
            return {item["action"] for item in overview["open_items"]} | (
                {"action_cou_view_orders"} if overview["orders"] else set()
            )

        self.assertEqual(
            links(self.user_stock),
            {"action_cou_view_deliveries", "action_cou_view_orders"},
        )
        self.assertNotIn("action_cou_view_deliveries", links(self.user_invoice))
        self.assertIn("action_cou_view_invoices", links(self.user_invoice))
        picking = self._form_arch("stock.picking", self.user_stock)
        self.assertIn("action_cou_view_sale_order", picking)
        self.assertNotIn("action_cou_view_invoices", picking)
        self.assertNotIn("cou_customer_unpaid_invoice_ids", picking)
        # salespeople without inventory rights still link the order to its deliveries
        order = self._form_arch("sale.order", self.user_salesman)
        self.assertIn("action_view_delivery", order)
        self.assertIn("action_cou_view_customer", order)
        self.assertIn(
            "action_cou_view_invoices",
            self._form_arch("stock.picking", self.user_salesman),
        )
        action = self.order_1.with_user(self.user_salesman).action_view_delivery()
        self.assertEqual(action["res_id"], self.order_1.picking_ids.id)

    def test_links_from_an_invoice_of_several_orders(self):
        """One invoice billing orders of two contacts opens all their deliveries."""
        self.order_2.partner_invoice_id = self.customer_company
        self.order_1.partner_invoice_id = self.customer_company
        invoice = (self.order_1 | self.order_2)._create_invoices()
        self.assertEqual(len(invoice), 1)
        self.assertEqual(invoice.cou_delivery_count, 2)
        action = invoice.with_user(self.user_sale_manager).action_cou_view_deliveries()
        self.assertEqual(
            self.env["stock.picking"].search(action["domain"]),
            (self.order_1 | self.order_2).picking_ids,
        )
        self.assertEqual(
            invoice.action_cou_view_customer()["res_id"], self.customer_company.id
        )

    def test_links_without_target_give_clear_errors(self):
        picking = self.order_1.picking_ids
        manual_picking = self.env["stock.picking"].create(
            {
                "partner_id": self.customer_company.id,
                "picking_type_id": picking.picking_type_id.id,
            }
        )
        with self.assertRaisesRegex(UserError, "does not come from a sale order"):
            manual_picking.action_cou_view_sale_order()
        with self.assertRaisesRegex(UserError, "has no invoice yet"):
            picking.action_cou_view_invoices()
        invoice = self.init_invoice(
            "out_invoice", self.customer_company, amounts=[10.0], taxes=[]
        )
        with self.assertRaisesRegex(UserError, "has no delivery"):
            invoice.action_cou_view_deliveries()
        invoice.partner_id = False
        with self.assertRaisesRegex(UserError, "Set a customer"):
            invoice.action_cou_view_customer()

    def test_figures_cannot_be_written(self):
        """Only the refresh writes the figures: not a user who may edit
        contacts, not an import, not the superuser through the ORM."""
        partner = self.customer_company.with_user(self.user_sale_manager)
        for fname, value in (
            ("customer_lifetime_revenue", 1e9),
            ("customer_order_count", 42),
            ("customer_overdue_amount", 0.0),
        ):
            with self.assertRaises(AccessError):
                partner.write({fname: value})
        with self.assertRaises(AccessError):
            self.env["res.partner"].sudo().create(
                {"name": "Forged", "customer_order_count": 5}
            )
        self.customer_company.invalidate_recordset()
        self.assertNotEqual(self.customer_company.customer_lifetime_revenue, 1e9)
        # the name and the rest of the contact stay editable
        partner.write({"comment": "<p>Call before noon</p>"})
