from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from .common import ComplaintCommon


@tagged("post_install", "-at_install")
class TestComplaint(ComplaintCommon):
    def test_reference_from_sequence(self):
        first = self._create_complaint()
        second = self._create_complaint()
        self.assertTrue(first.reference.startswith("CMP/"))
        self.assertNotEqual(first.reference, second.reference)
        self.assertIn(first.reference, first.display_name)
        self.assertEqual(
            self.Complaint.search([("reference", "=", first.reference)]), first
        )
        self.assertEqual(self.Complaint.name_search(first.reference)[0][0], first.id)

    def test_order_fills_delivery_customer_and_products(self):
        complaint = self.Complaint.create(
            {"name": "Late", "team_id": self.team.id, "sale_order_id": self.order.id}
        )
        self.assertEqual(complaint.partner_id, self.contact)
        self.assertEqual(complaint.commercial_partner_id, self.customer)
        self.assertEqual(complaint.picking_id, self.delivery)
        self.assertEqual(complaint.product_ids, self.product)
        self.assertEqual(complaint.product_id, self.product)
        self.assertEqual(complaint.email_from, self.contact.email)

    def test_invoice_fills_order_and_delivery_in_form(self):
        with Form(self.Complaint.with_context(default_team_id=self.team.id)) as form:
            form.name = "Wrong price"
            form.invoice_id = self.invoice
            self.assertEqual(form.sale_order_id, self.order)
            self.assertEqual(form.picking_id, self.delivery)
            self.assertEqual(form.partner_id, self.contact)
        complaint = form.save()
        self.assertEqual(complaint.invoice_id, self.invoice)

    def test_delivery_fills_order(self):
        complaint = self._create_complaint(picking_id=self.delivery.id)
        self.assertEqual(complaint.sale_order_id, self.order)

    def test_keeps_contact_of_same_customer(self):
        complaint = self._create_complaint(
            partner_id=self.customer.id, sale_order_id=self.order.id
        )
        self.assertEqual(
            complaint.partner_id, self.customer, "a contact of the same company is kept"
        )

    def test_document_of_other_customer_refused(self):
        other_order = self._create_order(self.other_customer)
        complaint = self._create_complaint()
        with self.assertRaisesRegex(ValidationError, "customer: Someone Else Ltd"):
            complaint.write(
                {"sale_order_id": other_order.id, "partner_id": self.contact.id}
            )
        with self.assertRaisesRegex(ValidationError, "Not a document of the"):
            self._create_complaint(
                invoice_id=self.invoice.id, partner_id=self.other_customer.id
            )

    def test_delivery_of_other_order_refused(self):
        second_order = self._create_order(self.contact)
        with self.assertRaisesRegex(
            ValidationError, "is not a delivery of the sale order"
        ):
            self._create_complaint(
                sale_order_id=second_order.id, picking_id=self.delivery.id
            )

    def test_vendor_bill_refused(self):
        bill = self.env["account.move"].create(
            {"move_type": "in_invoice", "partner_id": self.customer.id}
        )
        with self.assertRaisesRegex(ValidationError, "not a customer invoice"):
            self._create_complaint(invoice_id=bill.id)

    def test_stage_follows_team_and_closing(self):
        own_stage = self.env["cou.complaint.stage"].create(
            {
                "name": "Other team triage",
                "sequence": 0,
                "team_ids": [Command.link(self.other_team.id)],
            }
        )
        complaint = self._create_complaint()
        self.assertEqual(complaint.stage_id, self.stage_new)
        self.assertFalse(complaint.is_closed)
        with self.assertRaisesRegex(ValidationError, "is not used by the team"):
            complaint.stage_id = own_stage
        other = self._create_complaint(team_id=self.other_team.id)
        self.assertEqual(other.stage_id, own_stage)
        complaint.action_close()
        self.assertEqual(complaint.stage_id, self.stage_resolved)
        self.assertTrue(complaint.is_closed)
        self.assertTrue(complaint.date_closed)
        self.assertTrue(complaint.first_response_date, "closing answers the customer")
        complaint.stage_id = self.stage_progress
        self.assertFalse(complaint.date_closed, "reopening clears the closing date")

    def test_kanban_shows_team_stages_folded(self):
        groups = self.Complaint.with_context(
            default_team_id=self.team.id
        ).web_read_group([("team_id", "=", self.team.id)], ["stage_id"], ["stage_id"])[
            "groups"
        ]
        names = [g["stage_id"][1] for g in groups]
        self.assertEqual(names[:3], ["New", "In Progress", "Waiting for Customer"])
        self.assertTrue(self.stage_resolved.fold)

    def test_acknowledgement_and_resolution_mails(self):
        complaint = self.Complaint.with_context(tracking_disable=False).create(
            {"name": "Dented", "team_id": self.team.id, "partner_id": self.contact.id}
        )
        self.env.cr.precommit.run()
        ack = complaint.message_ids.filtered(
            lambda m: "we received your complaint" in (m.subject or "")
        )
        self.assertTrue(ack, "the acknowledgement is sent on creation")
        self.assertIn(self.contact, ack.partner_ids)
        complaint.with_context(tracking_disable=False).write(
            {"stage_id": self.stage_resolved.id}
        )
        self.env.cr.precommit.run()
        self.assertTrue(
            complaint.message_ids.filtered(lambda m: "is resolved" in (m.subject or ""))
        )

    def test_first_response_on_public_reply_only(self):
        complaint = self._create_complaint()
        complaint.with_user(self.user_agent).message_post(
            body="internal", subtype_xmlid="mail.mt_note"
        )
        self.assertFalse(complaint.first_response_date)
        complaint.message_post(
            body="from the customer",
            author_id=self.contact.id,
            message_type="email",
            subtype_xmlid="mail.mt_comment",
        )
        self.assertFalse(complaint.first_response_date)
        complaint.with_user(self.user_agent).message_post(
            body="We are on it", subtype_xmlid="mail.mt_comment", message_type="comment"
        )
        self.assertTrue(complaint.first_response_date)

    def test_reporting_measures(self):
        with freeze_time("2024-03-04 09:00:00"):
            met = self._create_complaint()
            cancelled = self._create_complaint()
            still_open = self._create_complaint()
            no_sla = self._create_complaint(team_id=self.other_team.id)
            self.env.flush_all()
        with freeze_time("2024-03-04 11:00:00"):
            met.action_close()
            cancelled.stage_id = self.stage_cancelled
            no_sla.action_close()
            self.env.flush_all()
        Report = self.env["cou.complaint.report"]
        rows = Report.search(
            [("complaint_id", "in", (met | cancelled | still_open | no_sla).ids)]
        )
        self.assertEqual(len(rows), 4)
        by_complaint = {row.complaint_id: row for row in rows}
        self.assertEqual(by_complaint[met].sla_success, 100.0)
        self.assertAlmostEqual(by_complaint[met].resolution_hours, 2.0)
        groups = Report._read_group(
            [("id", "in", rows.ids)],
            [],
            [
                "sla_success:avg",
                "resolution_hours:avg",
                "first_response_hours:avg",
                "__count",
            ],
        )
        sla_rate, resolution_avg, first_avg, count = groups[0]
        self.assertEqual(count, 4)
        self.assertEqual(
            sla_rate,
            100.0,
            "open, cancelled and SLA-less complaints are not in the rate",
        )
        self.assertAlmostEqual(
            resolution_avg, 2.0, msg="open complaints are not in the average"
        )
        self.assertAlmostEqual(first_avg, 2.0)
        by_category = Report._read_group(
            [("id", "in", rows.ids)], ["team_id", "date_open:month"], ["__count"]
        )
        self.assertEqual(sorted(c for _t, _m, c in by_category), [1, 3])

    def test_lot_must_match_products(self):
        lot_product = self.env["product.product"].create(
            {"name": "Serial Kettle", "is_storable": True, "tracking": "serial"}
        )
        lot = self.env["stock.lot"].create(
            {"name": "SN-1", "product_id": lot_product.id}
        )
        complaint = self._create_complaint(lot_ids=[Command.set(lot.ids)])
        self.assertIn(lot_product, complaint.product_ids, "the lot's product is added")
        with self.assertRaisesRegex(ValidationError, "not lots of the complaint"):
            complaint.write({"product_ids": [Command.set(self.product.ids)]})

    def test_return_of_delivery_linked_back(self):
        complaint = self._create_complaint(sale_order_id=self.order.id)
        action = complaint.with_user(self.user_agent).action_create_return()
        wizard = Form(
            # the action's context replaces the test's (no tracking_disable)
            self.env(user=self.user_agent, context=action["context"])[
                "stock.return.picking"
            ]
        ).save()
        self.assertEqual(wizard.cou_complaint_id, complaint)
        wizard.product_return_moves.quantity = 1
        wizard.action_create_returns()
        self.assertEqual(len(complaint.return_picking_ids), 1)
        self.assertEqual(complaint.return_picking_ids.return_id, self.delivery)
        self.assertEqual(complaint.return_count, 1)
        self.assertEqual(
            complaint.action_view_returns()["res_id"], complaint.return_picking_ids.id
        )

    def test_credit_note_linked_back(self):
        complaint = self._create_complaint(invoice_id=self.invoice.id)
        action = complaint.with_user(self.user_manager).action_create_credit_note()
        wizard = Form(
            # the action's context replaces the test's (no tracking_disable)
            self.env(user=self.user_manager, context=action["context"])[
                "account.move.reversal"
            ]
        )
        wizard.reason = "Damaged kettle"
        wizard.journal_id = self.invoice.journal_id
        wizard.save().refund_moves()
        self.assertEqual(complaint.credit_note_ids.move_type, "out_refund")
        self.assertEqual(complaint.credit_note_ids.reversed_entry_id, self.invoice)
        self.assertEqual(complaint.credit_note_count, 1)

    def test_return_and_credit_note_need_documents(self):
        complaint = self._create_complaint()
        with self.assertRaisesRegex(UserError, "Link the complaint to a delivery"):
            complaint.action_create_return()
        with self.assertRaisesRegex(UserError, "Link the complaint to an invoice"):
            complaint.action_create_credit_note()
        undelivered = self._create_order(self.contact)
        complaint.sale_order_id = undelivered
        with self.assertRaisesRegex(UserError, "not done yet"):
            complaint.action_create_return()

    def test_access_user_team_and_own(self):
        mine = self._create_complaint()
        other_team = self._create_complaint(team_id=self.other_team.id)
        Agent = self.Complaint.with_user(self.user_agent)
        visible = Agent.search([("id", "in", (mine | other_team).ids)])
        self.assertEqual(visible, mine, "a user sees their team's complaints only")
        other_team.user_id = self.user_agent
        self.assertIn(
            other_team,
            Agent.search([("id", "=", other_team.id)]),
            "...and the ones assigned to them",
        )
        with self.assertRaises(AccessError):
            self.Complaint.with_user(self.user_outsider).browse(mine.id).read(["name"])
        filed = self.Complaint.with_user(self.user_outsider).create(
            {"name": "Filed by me", "team_id": self.team.id}
        )
        self.assertTrue(
            filed.with_user(self.user_outsider).name, "and the ones they filed"
        )
        manager_view = self.Complaint.with_user(self.user_manager).search(
            [("id", "in", (mine | other_team).ids)]
        )
        self.assertEqual(manager_view, mine | other_team)
        with self.assertRaises(AccessError):
            mine.with_user(self.user_agent).unlink()

    def test_access_multi_company(self):
        company_b = self.env["res.company"].create({"name": "Complaint Company B"})
        team_b = self.env["cou.complaint.team"].create(
            {"name": "Care B", "company_id": company_b.id}
        )
        complaint_b = self.Complaint.with_company(company_b).create(
            {"name": "B complaint", "team_id": team_b.id, "company_id": company_b.id}
        )
        self.user_manager.write({"company_ids": [Command.link(company_b.id)]})
        Manager = self.Complaint.with_user(self.user_manager)
        self.assertFalse(
            Manager.with_context(allowed_company_ids=[self.company.id]).search(
                [("id", "=", complaint_b.id)]
            )
        )
        self.assertTrue(
            Manager.with_context(
                allowed_company_ids=[self.company.id, company_b.id]
            ).search([("id", "=", complaint_b.id)])
        )
        self.assertEqual(complaint_b.company_id, company_b)

    def test_delete_team_with_sla_and_complaints(self):
        """A team with an SLA policy and complaints is archived, not deleted
        (a clear message, no foreign-key error); without complaints it goes,
        with its SLA policies."""
        team = self.env["cou.complaint.team"].create({"name": "Short-lived team"})
        sla = self.env["cou.complaint.sla"].create(
            {"name": "Short SLA", "team_id": team.id, "resolution_hours": 4.0}
        )
        complaint = self._create_complaint(team_id=team.id)
        complaint.action_archive()
        with self.assertRaisesRegex(UserError, "archive the team instead"):
            team.unlink()
        self.assertTrue(sla.exists())
        complaint.unlink()
        team.unlink()
        self.assertFalse(sla.exists())

    def test_unlink_with_documents_refused(self):
        complaint = self._create_complaint(sale_order_id=self.order.id)
        complaint._link_return_pickings(self.delivery)
        with self.assertRaisesRegex(UserError, "archive it instead"):
            complaint.unlink()

    def test_example_automations_inactive_and_helpers(self):
        for xmlid in (
            "base_automation_cou_complaint_key_account",
            "base_automation_cou_complaint_breach_escalation",
        ):
            automation = self.env.ref(f"crm_order_unified_complaint.{xmlid}")
            self.assertFalse(automation.active)
            self.assertEqual(len(automation.action_server_ids), 1)
        self.customer.user_id = self.user_manager
        complaint = self._create_complaint()
        complaint._notify_account_salesperson()
        complaint._escalate_to_team_leader()
        self.assertEqual(complaint.activity_ids.user_id, self.user_manager)
        self.assertEqual(len(complaint.activity_ids), 2)

    def test_demo_complaints_cover_every_state(self):
        self.Complaint._demo_create_complaints()
        demo = self.env.ref(
            "crm_order_unified_complaint.cou_demo_complaint_01",
            raise_if_not_found=False,
        )
        self.assertTrue(demo)
        complaints = self.Complaint.search(
            [("id", ">=", demo.id), ("team_id", "=", demo.team_id.id)]
        )
        self.assertGreaterEqual(len(complaints), 14)
        stages = complaints.stage_id
        for stage in (
            self.stage_new,
            self.stage_progress,
            self.stage_waiting,
            self.stage_resolved,
            self.stage_cancelled,
        ):
            self.assertIn(stage, stages)
        self.assertTrue(complaints.filtered("sla_breached"))
        self.assertTrue(
            complaints.filtered("picking_id") and complaints.filtered("invoice_id")
        )
        self.assertFalse(self.Complaint._demo_create_complaints(), "idempotent")

    def test_counters_on_documents_and_customer(self):
        first = self._create_complaint(
            sale_order_id=self.order.id, invoice_id=self.invoice.id
        )
        self._create_complaint(picking_id=self.delivery.id)
        first.action_close()
        self.env.flush_all()
        self.assertEqual(
            (self.order.cou_complaint_count, self.order.cou_open_complaint_count),
            (2, 1),
        )
        self.assertEqual(
            (self.delivery.cou_complaint_count, self.delivery.cou_open_complaint_count),
            (2, 1),
        )
        self.assertEqual(
            (self.invoice.cou_complaint_count, self.invoice.cou_open_complaint_count),
            (1, 0),
        )
        self.assertEqual(
            (self.contact.cou_complaint_count, self.contact.cou_open_complaint_count),
            (2, 1),
        )
        template = self.product.product_tmpl_id
        self.assertEqual(
            (template.cou_complaint_count, template.cou_open_complaint_count), (2, 1)
        )
        self.customer.invalidate_recordset()
        self.assertEqual(
            self.customer.customer_open_complaint_count,
            1,
            "Customer 360 counts open complaints",
        )
        self.assertEqual(
            self.contact.customer_open_complaint_count,
            1,
            "...and shows them on every contact",
        )
        first.stage_id = self.stage_progress
        self.customer.invalidate_recordset()
        self.assertEqual(self.customer.customer_open_complaint_count, 2)
        action = self.order.action_cou_view_complaints()
        self.assertEqual(
            self.Complaint.search(action["domain"]).sale_order_id, self.order
        )
        file_action = self.delivery.action_cou_file_complaint()
        # the action's context replaces the test's (no tracking_disable)
        complaint_env = self.env(context=file_action["context"])
        with Form(complaint_env["cou.complaint"]) as form:
            form.name = "Filed from the delivery"
        self.assertEqual(form.record.sale_order_id, self.order)
        self.assertEqual(form.record.partner_id, self.contact)

    def test_counters_query_count_independent_of_size(self):
        orders = (
            self.order
            | self._create_order(self.contact)
            | self._create_order(self.contact)
        )
        self.env.invalidate_all()
        with self.assertQueryCount(__system__=2):
            self.order._compute_cou_complaint_counts()
        self.env.invalidate_all()
        with self.assertQueryCount(__system__=2):
            orders._compute_cou_complaint_counts()

    def test_timeline_events(self):
        complaint = self.Complaint.with_context(
            tracking_disable=False, mail_notrack=False
        ).create(
            {
                "name": "Timeline complaint",
                "team_id": self.team.id,
                "partner_id": self.contact.id,
            }
        )
        self.env.cr.precommit.run()
        complaint.with_context(
            tracking_disable=False, mail_notrack=False
        ).stage_id = self.stage_progress
        self.env.cr.precommit.run()
        complaint.with_context(
            tracking_disable=False, mail_notrack=False
        ).action_close()
        self.env.cr.precommit.run()
        self.env.flush_all()
        events = self.env["cou.timeline.event"].search(
            [
                ("partner_id", "=", self.customer.id),
                ("res_model", "=", "cou.complaint"),
                ("res_id", "=", complaint.id),
            ]
        )
        types = sorted(events.mapped("event_type"))
        self.assertEqual(types.count("complaint_opened"), 1)
        self.assertEqual(types.count("complaint_resolved"), 1)
        self.assertGreaterEqual(
            types.count("complaint_stage"), 2, "each stage change is an event"
        )
        self.assertEqual(set(events.mapped("category")), {"complaint"})
        self.assertFalse(
            self.env["cou.timeline.event"]
            .with_user(self.user_outsider)
            .search(
                [("res_model", "=", "cou.complaint"), ("res_id", "=", complaint.id)]
            ),
            "the complaint's access rules apply to its events",
        )


@tagged("post_install", "-at_install")
class TestComplaintIntegration(ComplaintCommon):
    """Customer context panels and the example automated actions once activated."""

    def test_customer_context_lists_open_complaints(self):
        open_one = self._create_complaint(sale_order_id=self.order.id)
        closed = self._create_complaint(name="Closed one")
        closed.action_close()
        other_team = self._create_complaint(
            name="Other team's", team_id=self.other_team.id
        )
        other_order = self._create_order(self.other_customer)
        self._create_complaint(name="Someone else's", partner_id=self.other_customer.id)
        self.env.flush_all()
        documents = self.order | other_order
        documents.invalidate_recordset()
        # as a form opened after the complaints were filed reads them (the
        # panels may have been read before, in the same transaction)
        self.delivery.invalidate_recordset()
        self.invoice.invalidate_recordset()
        self.assertEqual(
            self.order.cou_customer_open_complaint_ids, open_one | other_team
        )
        self.assertEqual(
            self.delivery.cou_customer_open_complaint_ids, open_one | other_team
        )
        self.assertEqual(
            self.invoice.cou_customer_open_complaint_ids, open_one | other_team
        )
        self.assertNotIn(closed, self.order.cou_customer_open_complaint_ids)
        self.assertEqual(len(other_order.cou_customer_open_complaint_ids), 1)
        # the user's access rules apply: the agent does not see the other team's
        # complaint
        delivery = self.delivery.with_user(self.user_agent)
        self.assertEqual(delivery.cou_customer_open_complaint_ids, open_one)
        for model in ("sale.order", "stock.picking", "account.move"):
            arch = self.env[model].get_views([(False, "form")])["views"]["form"]["arch"]
            self.assertIn(
                'name="cou_customer_open_complaint_ids"',
                arch,
                f"Customer tab of {model}",
            )

    def test_customer_context_open_complaints_set_based(self):
        orders = (
            self.order
            | self._create_order(self.contact)
            | self._create_order(self.other_customer)
        )
        self._create_complaint()
        self.env.flush_all()
        self.env.invalidate_all()
        orders.mapped("partner_id.commercial_partner_id")
        with self.assertQueryCount(__system__=2):
            orders.mapped("cou_customer_open_complaint_ids")

    def test_key_account_automation_when_active(self):
        automation = self.env.ref(
            "crm_order_unified_complaint.base_automation_cou_complaint_key_account"
        )
        automation.active = True
        salesperson = new_test_user(
            self.env,
            "cou_sales_key",
            groups="sales_team.group_sale_salesman",
            name="Sam Sales",
        )
        (self.customer | self.other_customer).user_id = salesperson
        big_order = self._create_order(
            self.contact, qty=300
        )  # 15,000 of revenue once invoiced
        big_order._create_invoices().action_post()
        (self.customer | self.other_customer)._cou_refresh_customer_360(["revenue"])
        self.assertGreater(self.customer.customer_lifetime_revenue, 10000)
        key = self._create_complaint()
        small = self._create_complaint(partner_id=self.other_customer.id)
        self.env.flush_all()
        self.assertEqual(key.activity_ids.user_id, salesperson)
        self.assertEqual(key.activity_ids.summary, "Complaint from a key account")
        self.assertIn(salesperson.partner_id, key.message_partner_ids)
        self.assertFalse(
            small.activity_ids, "a small customer's complaint notifies nobody"
        )

    def test_breach_escalation_automation_when_active(self):
        automation = self.env.ref(
            "crm_order_unified_complaint.base_automation_cou_complaint_breach_escalation"
        )
        automation.active = True
        with freeze_time(
            "2024-03-01 15:00:00"
        ):  # Friday; 4 working hours to the first response
            complaint = self._create_complaint(user_id=self.user_agent.id)
            late_closed = self._create_complaint()
            self.env.flush_all()
            self.assertFalse(complaint.activity_ids)
        with freeze_time(
            "2024-03-04 10:30:00"
        ):  # Monday, past the first-response deadline
            # closed after its deadline: breached, not escalated
            late_closed.action_close()
            self.env.flush_all()
            self.assertTrue(late_closed.sla_breached)
            self.assertFalse(late_closed.activity_ids)
            self.Complaint._cron_check_sla()
            self.env.flush_all()
        self.assertTrue(complaint.sla_breached)
        by_user = {
            activity.user_id: activity.summary for activity in complaint.activity_ids
        }
        self.assertEqual(
            by_user.get(self.user_manager),
            "Escalation: SLA breached",
            "the team leader",
        )
        self.assertEqual(
            by_user.get(self.user_agent), "SLA breached: answer the customer"
        )
        self.assertIn(self.user_manager.partner_id, complaint.message_partner_ids)

    def test_product_counts_each_complaint_once(self):
        attribute = self.env["product.attribute"].create(
            {
                "name": "Kettle colour",
                "value_ids": [
                    Command.create({"name": "Red"}),
                    Command.create({"name": "Blue"}),
                ],
            }
        )
        template = self.env["product.template"].create(
            {
                "name": "Two-colour kettle",
                "attribute_line_ids": [
                    Command.create(
                        {
                            "attribute_id": attribute.id,
                            "value_ids": [Command.set(attribute.value_ids.ids)],
                        }
                    )
                ],
            }
        )
        red, blue = template.product_variant_ids
        both = self._create_complaint(product_ids=[Command.set((red | blue).ids)])
        self._create_complaint(product_ids=[Command.set(red.ids)])
        both.action_close()
        self.env.flush_all()
        template.invalidate_recordset()
        self.assertEqual(
            (template.cou_complaint_count, template.cou_open_complaint_count), (2, 1)
        )
        action = template.action_cou_view_complaints()
        self.assertEqual(self.Complaint.search_count(action["domain"]), 2)
        # the variant form (built on the template form) counts and opens the variant's
        # complaints
        self.assertEqual(
            (red.cou_complaint_count, red.cou_open_complaint_count), (2, 1)
        )
        self.assertEqual(
            (blue.cou_complaint_count, blue.cou_open_complaint_count), (1, 0)
        )
        arch = self.env["product.product"].get_views([(False, "form")])["views"][
            "form"
        ]["arch"]
        self.assertIn('name="action_cou_view_complaints"', arch)
        action = blue.action_cou_view_complaints()
        self.assertEqual(self.Complaint.search(action["domain"]), both)
