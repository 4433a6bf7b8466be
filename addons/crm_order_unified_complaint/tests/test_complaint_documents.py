from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged
from odoo.tools.safe_eval import safe_eval

from .common import ComplaintCommon


@tagged("post_install", "-at_install")
class TestComplaintDocuments(ComplaintCommon):
    """The order, delivery and invoice of a complaint are the customer's: the fields
    offer only theirs, a document of another customer is refused by name (the chosen
    contact is never replaced), and each opens from a smart button."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_order = cls._create_order(cls.other_customer)
        cls.other_delivery = cls.other_order.picking_ids
        cls._deliver(cls.other_delivery)
        cls.other_invoice = cls.other_order._create_invoices()
        cls.other_invoice.action_post()

    def _new_form(self):
        form = Form(self.Complaint.with_context(default_team_id=self.team.id))
        form.name = "Wrong documents"
        form.partner_id = self.contact
        return form

    def test_fields_offer_only_the_customers_documents(self):
        for fname, documents in (
            ("sale_order_id", self.order | self.other_order),
            ("picking_id", self.delivery | self.other_delivery),
            ("invoice_id", self.invoice | self.other_invoice),
        ):
            field = self.Complaint._fields[fname]
            domain = safe_eval(
                field.domain, {"commercial_partner_id": self.customer.id}
            )
            offered = self.env[field.comodel_name].search(domain)
            self.assertIn(documents[0], offered, fname)
            self.assertNotIn(documents[1], offered, fname)
            anyone = safe_eval(field.domain, {"commercial_partner_id": False})
            self.assertIn(documents[1], self.env[field.comodel_name].search(anyone))

    def test_other_customers_delivery_refused_contact_kept(self):
        form = self._new_form()
        form.picking_id = self.other_delivery
        self.assertEqual(form.partner_id, self.contact, "the contact is not replaced")
        with self.assertRaisesRegex(
            ValidationError, f"the delivery {self.other_delivery.name} "
        ):
            form.save()

    def test_other_customers_order_refused(self):
        form = self._new_form()
        form.sale_order_id = self.other_order
        self.assertEqual(form.partner_id, self.contact)
        with self.assertRaisesRegex(
            ValidationError, f"the sale order {self.other_order.name} .*Someone Else"
        ):
            form.save()

    def test_other_customers_invoice_refused(self):
        form = self._new_form()
        form.invoice_id = self.other_invoice
        self.assertEqual(form.partner_id, self.contact)
        with self.assertRaisesRegex(
            ValidationError, f"the invoice {self.other_invoice.name} "
        ):
            form.save()

    def test_refusal_is_translated(self):
        self.env["res.lang"]._activate_lang("ja_JP")
        self.env["ir.module.module"]._load_module_terms(
            ["crm_order_unified_complaint"], ["ja_JP"], overwrite=True
        )
        complaint = self._create_complaint().with_context(lang="ja_JP")
        with self.assertRaisesRegex(ValidationError, "出荷") as caught:
            complaint.picking_id = self.other_delivery
        self.assertIn(self.other_delivery.name, str(caught.exception))

    def test_document_fills_an_empty_contact(self):
        with Form(self.Complaint.with_context(default_team_id=self.team.id)) as form:
            form.name = "From the delivery"
            form.picking_id = self.delivery
            self.assertEqual(form.partner_id, self.contact)
            self.assertEqual(form.sale_order_id, self.order)

    def test_smart_buttons_open_the_documents(self):
        complaint = self._create_complaint(
            sale_order_id=self.order.id, invoice_id=self.invoice.id
        )
        self.assertEqual(complaint.picking_id, self.delivery)
        for action, document in (
            (complaint.action_view_sale_order(), self.order),
            (complaint.action_view_picking(), self.delivery),
            (complaint.action_view_invoice(), self.invoice),
        ):
            self.assertEqual(
                (action["res_model"], action["res_id"], action["view_mode"]),
                (document._name, document.id, "form"),
            )
        self.assertEqual(
            (complaint.sale_order_name, complaint.picking_name, complaint.invoice_name),
            (self.order.name, self.delivery.name, self.invoice.name),
        )
        arch = (
            self.env["ir.ui.view"]
            .sudo()
            .browse(
                self.env.ref("crm_order_unified_complaint.cou_complaint_view_form").id
            )
            .arch
        )
        for method in (
            "action_view_sale_order",
            "action_view_picking",
            "action_view_invoice",
        ):
            self.assertIn(f'name="{method}"', arch)
