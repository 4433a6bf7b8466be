from datetime import timedelta

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import Form, new_test_user, tagged

from odoo.addons.crm_order_unified_order_flow.tests.common import CouOrderFlowCommon


@tagged("post_install", "-at_install")
class TestSegmentInvoicePolicy(CouOrderFlowCommon):
    """A customer without a policy of its own is invoiced as its segment says."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer_company.email = "acme@example.com"
        cls.segment = cls._segment("COU Key accounts", "on_delivery", 10)

    @classmethod
    def _segment(cls, name, policy, sequence, partners=None, company=None):
        return cls.env["cou.segment"].create(
            {
                "name": name,
                "segment_type": "static",
                "sequence": sequence,
                "auto_invoice_policy": policy,
                "company_id": (company or cls.company_a).id,
                "static_partner_ids": [
                    Command.set((partners or cls.customer_company).ids)
                ],
            }
        )

    def _delivered_order(self, partner=None, qty=1):
        order = self._cou_create_order(
            partner or self.customer_company, [(self.product_delivery, qty, 40)]
        )
        self._cou_deliver(order)
        self.env.flush_all()  # the automated action runs at the end of the request
        return order

    def _run_job(self):
        self.env["sale.order"]._cou_flow_cron_auto_invoice()

    def test_segment_policy_invoices_the_delivery(self):
        self.assertFalse(self.customer_company.auto_invoice_policy, "no own policy")
        order = self._delivered_order()
        self.assertEqual(order.cou_flow_invoice_due, fields.Date.today())
        self._run_job()
        self.assertEqual(order.invoice_ids.state, "posted")
        self.assertTrue(order.invoice_ids.is_move_sent)

    def test_contact_follows_its_company_segment(self):
        order = self._delivered_order(partner=self.customer_contact)
        self._run_job()
        self.assertEqual(order.invoice_ids.state, "posted")

    def test_customer_outside_the_segment_is_not_invoiced(self):
        order = self._delivered_order(partner=self.customer_individual)
        self.assertFalse(order.cou_flow_invoice_due)

    def test_own_policy_wins(self):
        self.customer_company.auto_invoice_policy = "none"
        order = self._delivered_order()
        self.assertFalse(order.cou_flow_invoice_due, "own 'no automatic invoicing'")
        self.customer_company.auto_invoice_policy = "on_delivery_daily"
        order = self._delivered_order()
        self.assertEqual(
            order.cou_flow_invoice_due,
            fields.Date.today() + timedelta(days=1),
            "own daily policy, not the segment's on delivery",
        )

    def test_daily_segment_policy_groups_the_day(self):
        self.segment.auto_invoice_policy = "on_delivery_daily"
        first = self._delivered_order()
        second = self._delivered_order(qty=2)
        self._run_job()
        self.assertFalse(first.invoice_ids, "waits for the end of the day")
        with freeze_time(fields.Date.today() + timedelta(days=1)):
            self._run_job()
        self.assertEqual(len(first.invoice_ids), 1)
        self.assertEqual(first.invoice_ids, second.invoice_ids, "one invoice a day")
        self.assertEqual(first.invoice_ids.amount_untaxed, 120.0)

    def test_first_segment_in_sequence_decides(self):
        self._segment("COU Later", "none", 20)
        early = self._segment("COU Earlier", "on_delivery_daily", 5)
        self.assertEqual(
            self.customer_company.cou_invoice_policy_segment_id, early, "sequence 5"
        )
        order = self._delivered_order()
        self.assertEqual(
            order.cou_flow_invoice_due, fields.Date.today() + timedelta(days=1)
        )
        early.sequence = 30  # now "COU Key accounts" (10) comes first
        self.customer_company.invalidate_recordset()
        self.assertEqual(
            self.customer_company.cou_invoice_policy_segment_id, self.segment
        )
        self.assertEqual(
            self._delivered_order().cou_flow_invoice_due, fields.Date.today()
        )

    def test_explicit_none_of_the_first_segment_stops_it(self):
        self._segment("COU Never", "none", 1)
        self.assertEqual(self.customer_company.cou_effective_invoice_policy, "none")
        self.assertFalse(self._delivered_order().cou_flow_invoice_due)

    def test_segment_without_policy_archived_or_left_does_not_apply(self):
        self.segment.auto_invoice_policy = False
        self.assertFalse(self._delivered_order().cou_flow_invoice_due, "no policy")
        self.segment.auto_invoice_policy = "on_delivery"
        self.segment.active = False
        self.assertFalse(self._delivered_order().cou_flow_invoice_due, "archived")
        self.segment.active = True
        self.segment.static_partner_ids = [Command.clear()]
        self.assertFalse(self._delivered_order().cou_flow_invoice_due, "left")

    def test_other_company_segment_does_not_apply(self):
        self.segment.auto_invoice_policy = False
        self._segment("COU B accounts", "on_delivery", 1, company=self.company_b)
        self.assertFalse(self._delivered_order().cou_flow_invoice_due)

    def test_partner_form_shows_the_policy_and_where_it_comes_from(self):
        partner = self.customer_company.with_user(self.user_salesman)
        form = Form(partner)
        self.assertEqual(form.cou_effective_invoice_policy, "on_delivery")
        self.assertEqual(form.cou_invoice_policy_source, "segment")
        self.assertEqual(partner.cou_invoice_policy_segment_id, self.segment)
        self.assertEqual(
            self.customer_contact.cou_invoice_policy_source, "segment", "contacts"
        )
        self.customer_company.auto_invoice_policy = "on_delivery_daily"
        partner.invalidate_recordset()
        self.assertEqual(partner.cou_effective_invoice_policy, "on_delivery_daily")
        self.assertEqual(partner.cou_invoice_policy_source, "customer")
        self.assertFalse(partner.cou_invoice_policy_segment_id)
        self.assertEqual(self.customer_individual.cou_invoice_policy_source, "unset")
        self.assertFalse(self.customer_individual.cou_effective_invoice_policy)

    def test_only_a_sales_manager_sets_a_segment_policy(self):
        marketer = new_test_user(
            self.env,
            login="cou_marketer_policy",
            groups="base.group_user,mass_mailing.group_mass_mailing_user",
        )
        segment = self.segment.with_user(marketer)
        self.assertFalse(segment.cou_can_set_invoice_policy)
        segment.name = "COU Key accounts (renamed)"  # other fields stay editable
        with self.assertRaises(AccessError):
            segment.auto_invoice_policy = "none"
        with self.assertRaises(AccessError):
            self.env["cou.segment"].with_user(marketer).create(
                {
                    "name": "COU mine",
                    "segment_type": "static",
                    "auto_invoice_policy": "on_delivery",
                }
            )
        manager = self.user_sale_manager
        manager.groups_id = [
            Command.link(self.env.ref("mass_mailing.group_mass_mailing_user").id)
        ]
        self.segment.with_user(manager).auto_invoice_policy = "none"
        self.assertEqual(self.segment.auto_invoice_policy, "none")

    def _policy_queries(self, orders):
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        policies = orders._cou_flow_invoice_policies()
        return self.env.cr.sql_log_count - before, policies

    def test_policies_of_many_orders_in_constant_queries(self):
        """The segments' policies of 1 or 10 orders of different customers:
        the same queries (one search of the memberships for all)."""
        customers = self.env["res.partner"].create(
            [{"name": f"COU Policy {i}"} for i in range(11)]
        )
        self.segment.static_partner_ids = [Command.set(customers.ids)]
        orders = self.env["sale.order"].browse()
        for customer in customers:
            orders |= self._cou_create_order(customer, [(self.product_delivery, 1, 1)])
        self._policy_queries(orders[:1])  # warm-up (registry caches)
        one, policies = self._policy_queries(orders[1:2])
        self.assertEqual(policies, {orders[1].id: "on_delivery"})
        ten, policies = self._policy_queries(orders[1:])
        self.assertEqual(set(policies.values()), {"on_delivery"})
        self.assertEqual(len(policies), 10)
        self.assertEqual(ten, one)
        self.env.invalidate_all()
        with self.assertQueryCount(one):
            orders[1:]._cou_flow_invoice_policies()
