from datetime import timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import CouOrderFlowCommon

SaleOrder = "odoo.addons.sale.models.sale_order.SaleOrder"


@tagged("post_install", "-at_install")
class TestAutoInvoice(CouOrderFlowCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer_company.email = "acme@example.com"
        cls.customer_company.auto_invoice_policy = "on_delivery"

    def _delivered_order(self, partner=None, qty=1):
        order = self._cou_create_order(
            partner or self.customer_company, [(self.product_delivery, qty, 40)]
        )
        self._cou_deliver(order)
        # the end of the request: the transfer's state is recomputed, which runs
        # the automated action
        self.env.flush_all()
        return order

    def _run_job(self):
        self.env["sale.order"]._cou_flow_cron_auto_invoice()

    def test_delivery_done_invoices_posts_and_sends(self):
        order = self._delivered_order()
        self.assertEqual(
            order.cou_flow_invoice_due,
            fields.Date.today(),
            "the automated action queued the order",
        )
        self._run_job()
        invoice = order.invoice_ids
        self.assertEqual(len(invoice), 1)
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(invoice.amount_untaxed, 40.0)
        self.assertFalse(order.cou_flow_invoice_due)
        self.assertTrue(invoice.is_move_sent, "sent to the customer")
        self.assertIn(
            "Invoiced automatically", " ".join(order.message_ids.mapped("body"))
        )

    def test_automation_records_are_visible_and_can_be_switched_off(self):
        automation = self.env.ref(
            "crm_order_unified_order_flow.base_automation_cou_flow_delivery_done"
        )
        automation.active = False
        try:
            order = self._delivered_order()
            self.assertFalse(order.cou_flow_invoice_due)
        finally:
            # switching an automation re-patches the models in the registry (not
            # rolled back with the test): switch it on again
            automation.active = True

    def test_no_policy_no_invoice(self):
        order = self._delivered_order(partner=self.customer_individual)
        self.assertFalse(order.cou_flow_invoice_due)
        self._run_job()
        self.assertFalse(order.invoice_ids)

    def test_contact_follows_its_company(self):
        order = self._delivered_order(partner=self.customer_contact)
        self._run_job()
        self.assertEqual(order.invoice_ids.state, "posted")

    def test_daily_policy_groups_the_day(self):
        self.customer_company.auto_invoice_policy = "on_delivery_daily"
        first = self._delivered_order()
        second = self._delivered_order(qty=2)
        self._run_job()
        self.assertFalse(first.invoice_ids, "waits for the end of the day")
        with freeze_time(fields.Date.today() + timedelta(days=1)):
            self._run_job()
        self.assertEqual(len(first.invoice_ids), 1)
        self.assertEqual(first.invoice_ids, second.invoice_ids, "one invoice a day")
        self.assertEqual(first.invoice_ids.amount_untaxed, 120.0)

    def test_services_are_invoiced_on_confirmation(self):
        order = self._cou_create_order(
            self.customer_company, [(self.product_service, 1, 30)]
        )
        self.assertEqual(order.cou_flow_invoice_due, fields.Date.today())
        self._run_job()
        self.assertEqual(order.invoice_ids.state, "posted")

    def test_goods_wait_for_their_delivery(self):
        order = self._cou_create_order(
            self.customer_company, [(self.product_order, 1, 30)]
        )
        self.assertFalse(order.cou_flow_invoice_due, "goods: invoiced on delivery")

    def test_job_twice_invoices_once(self):
        order = self._delivered_order()
        self._run_job()
        order.cou_flow_invoice_due = fields.Date.today()  # queued again by mistake
        self._run_job()
        self.assertEqual(len(order.invoice_ids), 1)

    def test_failing_invoice_leaves_delivery_done_and_tells(self):
        order = self._delivered_order()
        with patch(
            f"{SaleOrder}._create_invoices",
            side_effect=UserError("No income account for COU Gadget"),
        ):
            self._run_job()
        self.assertFalse(order.invoice_ids)
        self.assertEqual(order.picking_ids.state, "done")
        self.assertIn("No income account", " ".join(order.message_ids.mapped("body")))
        activity = order.activity_ids.filtered(
            lambda a: a.summary == "Automatic invoicing failed"
        )
        self.assertTrue(activity)
        self.assertTrue(
            self.env["cou.timeline.event"].search_count(
                [
                    ("partner_id", "=", self.customer_company.id),
                    ("summary", "ilike", "Automatic invoicing failed"),
                ]
            ),
            "the failure shows on the customer's timeline",
        )

    def test_customer_without_email_is_posted_not_sent(self):
        self.customer_company.email = False
        order = self._delivered_order()
        self._run_job()
        invoice = order.invoice_ids
        self.assertEqual(invoice.state, "posted")
        self.assertIn("no email", " ".join(invoice.message_ids.mapped("body")))
