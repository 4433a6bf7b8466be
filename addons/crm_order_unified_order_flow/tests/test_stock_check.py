from odoo.tests import tagged

from .common import CouOrderFlowCommon


@tagged("post_install", "-at_install")
class TestStockCheck(CouOrderFlowCommon):
    def _confirm_from_form(self, order):
        return order.with_context(cou_flow_interactive=True).action_confirm()

    def test_enough_stock_confirms(self):
        order = self._quotation(self.customer_company, [(self.product_storable, 2, 50)])
        self.assertIs(self._confirm_from_form(order), True)
        self.assertEqual(order.state, "sale")

    def test_short_line_is_listed_without_a_receipt(self):
        order = self._quotation(self.customer_company, [(self.product_storable, 5, 50)])
        action = self._confirm_from_form(order)
        self.assertEqual(action["res_model"], "cou.order.flow.check")
        self.assertEqual(order.state, "draft", "not confirmed while the check shows")
        check = self.env["cou.order.flow.check"].browse(action["res_id"])
        self.assertEqual(check.line_ids.product_id, self.product_storable)
        self.assertEqual(check.line_ids.qty_forecast, 2.0)
        self.assertFalse(check.line_ids.date_available, "no receipt planned")
        self.assertFalse(check.date_all_available)
        self.assertFalse(check.credit_message)

    def test_receipt_gives_the_date_and_move_date_confirms_then(self):
        receipt = self._receipt(self.product_storable, 10, days=7)
        self._receipt(self.product_storable, 10, days=20)
        order = self._quotation(self.customer_company, [(self.product_storable, 5, 50)])
        check = self.env["cou.order.flow.check"].browse(
            self._confirm_from_form(order)["res_id"]
        )
        self.assertEqual(
            check.line_ids.date_available,
            receipt.move_ids.date,
            "the first receipt that covers the missing 3 units",
        )
        check.action_move_date()
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.commitment_date, receipt.move_ids.date)
        self.assertEqual(order.picking_policy, "one")

    def test_receipt_too_small_is_not_enough(self):
        self._receipt(self.product_storable, 1, days=7)
        order = self._quotation(self.customer_company, [(self.product_storable, 5, 50)])
        check = self.env["cou.order.flow.check"].browse(
            self._confirm_from_form(order)["res_id"]
        )
        self.assertFalse(check.line_ids.date_available)

    def test_split_ships_what_is_there(self):
        order = self._quotation(self.customer_company, [(self.product_storable, 5, 50)])
        check = self.env["cou.order.flow.check"].browse(
            self._confirm_from_form(order)["res_id"]
        )
        check.action_split()
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.picking_policy, "direct")
        picking = order.picking_ids
        self.assertEqual(picking.move_ids.product_uom_qty, 5)
        self.assertEqual(picking.move_ids.quantity, 2, "the 2 in stock are reserved")

    def test_confirm_anyway(self):
        order = self._quotation(self.customer_company, [(self.product_storable, 5, 50)])
        check = self.env["cou.order.flow.check"].browse(
            self._confirm_from_form(order)["res_id"]
        )
        check.action_confirm_anyway()
        self.assertEqual(order.state, "sale")

    def test_check_off_for_the_company(self):
        self.company_a.cou_flow_stock_check = False
        order = self._quotation(self.customer_company, [(self.product_storable, 5, 50)])
        self.assertIs(self._confirm_from_form(order), True)
        self.assertEqual(order.state, "sale")

    def test_consumables_and_services_are_not_checked(self):
        order = self._quotation(
            self.customer_company,
            [(self.product_order, 500, 10), (self.product_service, 1, 30)],
        )
        self.assertIs(self._confirm_from_form(order), True)

    def test_confirming_in_code_is_not_interrupted(self):
        """Automated actions and imports confirm without the dialog."""
        order = self._quotation(self.customer_company, [(self.product_storable, 5, 50)])
        order.action_confirm()
        self.assertEqual(order.state, "sale")
