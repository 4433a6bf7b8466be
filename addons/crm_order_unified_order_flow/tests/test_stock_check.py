import sys

from odoo import Command
from odoo.tests import tagged

from odoo.addons.crm_order_unified_order_flow.models.sale_order import SaleOrder

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

    def _stock_check_steps(self, count):
        """Lines of Python the stock check runs for an order of ``count`` short
        products, each with two planned receipts (the second covers it)."""
        products = self.env["product.product"].create(
            [
                {
                    "name": f"COU Short {count} {i}",
                    "type": "consu",
                    "is_storable": True,
                    "list_price": 10.0,
                    "taxes_id": [Command.clear()],
                }
                for i in range(count)
            ]
        )
        for product in products:
            self._receipt(product, 1, days=5)
            self._receipt(product, 10, days=9)
        order = self._quotation(self.customer_company, [(p, 3, 10) for p in products])
        order.order_line.mapped("virtual_available_at_date")  # computed beforehand
        code = SaleOrder._cou_flow_stock_issues.__code__
        steps = [0]

        def local(frame, event, _arg):
            if event == "line":
                steps[0] += 1
            return local

        def tracer(frame, _event, _arg):
            return local if frame.f_code is code else None

        sys.settrace(tracer)
        try:
            issues = order._cou_flow_stock_issues()
        finally:
            sys.settrace(None)
        receipts = {
            product: self.env["stock.move"].search(
                [("product_id", "=", product.id), ("product_uom_qty", "=", 10)]
            )
            for product in products
        }
        self.assertEqual(
            {line.product_id: date for line, _qty, date in issues[order.id]},
            {product: receipts[product].date for product in products},
            "each line: the date of the receipt that covers it",
        )
        return steps[0]

    def test_stock_check_is_linear_in_lines_and_receipts(self):
        """4x the lines and receipts: about 4x the work, not 16x (no loop over
        lines x receipts)."""
        small = self._stock_check_steps(5)
        large = self._stock_check_steps(20)
        self.assertLess(large, 6 * small, f"{small} steps for 5 lines, {large} for 20")
