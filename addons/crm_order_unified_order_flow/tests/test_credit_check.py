from unittest.mock import patch

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import CouOrderFlowCommon


@tagged("post_install", "-at_install")
class TestCreditCheck(CouOrderFlowCommon):
    def _salesman_order(self, partner=None):
        order = self._quotation(
            partner or self.customer_company,
            [(self.product_order, 1, 100)],
            user=self.user_salesman,
        )
        return order.with_user(self.user_salesman)

    def test_overdue_past_grace_needs_a_manager(self):
        self._overdue_invoice(self.customer_company, 500, days_overdue=40)
        order = self._salesman_order()
        with self.assertRaisesRegex(UserError, "sales manager must confirm"):
            order.action_confirm()
        self.assertEqual(order.state, "draft")

    def test_overdue_of_a_contact_counts_for_the_company(self):
        self._overdue_invoice(self.customer_contact, 500, days_overdue=40)
        order = self._salesman_order()
        self.assertIn(order.id, order._cou_flow_credit_issues())

    def test_within_grace_or_tolerance_passes(self):
        self._overdue_invoice(self.customer_company, 500, days_overdue=10)
        self._salesman_order().action_confirm()
        self.company_a.cou_flow_overdue_tolerance = 1000.0
        self._overdue_invoice(self.customer_company, 500, days_overdue=40)
        order = self._salesman_order()
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_other_company_receivable_does_not_count(self):
        self._overdue_invoice(self.customer_company, 500, days_overdue=40)
        order = self._quotation(self.customer_company, [(self.product_order, 1, 100)])
        order.company_id = self.company_b
        self.assertNotIn(order.id, order._cou_flow_credit_issues())

    def test_request_approval_then_salesman_confirms(self):
        self._overdue_invoice(self.customer_company, 500, days_overdue=40)
        order = self._salesman_order()
        action = order.with_context(cou_flow_interactive=True).action_confirm()
        check = (
            self.env["cou.order.flow.check"]
            .with_user(self.user_salesman)
            .browse(action["res_id"])
        )
        self.assertIn("overdue", check.credit_message)
        self.assertFalse(check.is_manager)
        with self.assertRaisesRegex(UserError, "needs a sales manager"):
            check.action_confirm_anyway()
        with self.assertRaisesRegex(UserError, "Only a sales manager"):
            check.action_approve()
        check.action_request_approval()
        activity = order.activity_ids.filtered(
            lambda a: a.summary == "Approve the credit check"
        )
        self.assertTrue(activity)
        self.assertTrue(activity.user_id.has_group("sales_team.group_sale_manager"))
        # the manager approves from the same dialog
        manager_check = (
            self.env["cou.order.flow.check"]
            .with_user(self.user_sale_manager)
            ._open_for(order, [], check.credit_message)
        )
        self.env["cou.order.flow.check"].with_user(self.user_sale_manager).browse(
            manager_check["res_id"]
        ).action_approve()
        self.assertEqual(order.cou_flow_credit_approved_uid, self.user_sale_manager)
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_manager_confirms_and_it_is_logged(self):
        self._overdue_invoice(self.customer_company, 500, days_overdue=40)
        order = self._quotation(
            self.customer_company, [(self.product_order, 1, 100)]
        ).with_user(self.user_sale_manager)
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        bodies = " ".join(order.message_ids.mapped("body"))
        self.assertIn("over the credit check", bodies)

    def test_credit_limit_of_odoo(self):
        self.company_a.account_use_credit_limit = True
        self.customer_company.credit_limit = 50.0
        order = self._salesman_order()
        issues = order._cou_flow_credit_issues()
        self.assertIn("credit limit", issues[order.id])
        with self.assertRaises(UserError):
            order.action_confirm()

    def test_check_off(self):
        self.company_a.cou_flow_credit_check = False
        self._overdue_invoice(self.customer_company, 500, days_overdue=40)
        order = self._salesman_order()
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def _credit_check_queries(self, orders):
        """Confirm ``orders`` (as the salesman, from a cold cache) and return
        the queries the credit check made."""
        Orders = type(orders)
        check = Orders._cou_flow_credit_issues
        counted = []

        def counting(records):
            before = records.env.cr.sql_log_count
            result = check(records)
            counted.append(records.env.cr.sql_log_count - before)
            return result

        self.env.invalidate_all()
        with patch.object(Orders, "_cou_flow_credit_issues", counting):
            orders.with_user(self.user_salesman).action_confirm()
        self.assertTrue(all(o.state == "sale" for o in orders))
        return sum(counted)

    def test_credit_check_once_for_all_the_orders(self):
        """Confirming 10 orders of several customers costs the credit check as
        many queries as confirming one (one check for the recordset, not one
        per order in _confirmation_error_message)."""
        customers = self.env["res.partner"].create(
            [{"name": f"COU Credit Customer {i}"} for i in range(4)]
        )
        self._overdue_invoice(customers[0], 5, days_overdue=1)  # within grace
        orders = self.env["sale.order"].browse()
        for i in range(12):
            orders |= self._quotation(
                customers[i % 4],
                [(self.product_order, 1, 100)],
                user=self.user_salesman,
            )
        self._credit_check_queries(orders[:1])  # warm-up (registry caches)
        one = self._credit_check_queries(orders[1:2])
        ten = self._credit_check_queries(orders[2:])
        self.assertGreater(one, 0, "the check ran")
        self.assertEqual(ten, one)

    def test_credit_issue_in_a_batch_still_refuses(self):
        self._overdue_invoice(self.customer_company, 500, days_overdue=40)
        orders = self._salesman_order(self.customer_individual) | self._salesman_order()
        with self.assertRaisesRegex(UserError, "sales manager must confirm"):
            orders.action_confirm()
        self.assertEqual(set(orders.mapped("state")), {"draft"})

    def test_checks_dialog_of_another_user_is_refused(self):
        """The transient checks dialog is its creator's only."""
        self._overdue_invoice(self.customer_company, 500, days_overdue=40)
        order = self._salesman_order()
        action = order.with_context(cou_flow_interactive=True).action_confirm()
        Check = self.env["cou.order.flow.check"]
        mine = Check.with_user(self.user_salesman).browse(action["res_id"])
        self.assertIn("overdue", mine.credit_message)
        other = Check.with_user(self.user_salesman_2).browse(action["res_id"])
        with self.assertRaises(AccessError):
            other.read(["credit_message"])
        with self.assertRaises(AccessError):
            other.action_confirm_anyway()
        self.assertFalse(Check.with_user(self.user_salesman_2).search([]))
