from email.message import EmailMessage
from email.utils import make_msgid

from odoo import Command
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import ComplaintCommon


@tagged("post_install", "-at_install")
class TestComplaintMailIntake(ComplaintCommon):
    """Real MIME messages through the mail gateway (``mail.thread.message_process``)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.alias_domain = cls.env["mail.alias.domain"].search(
            [("name", "=", "complaints.example.com")]
        ) or cls.env["mail.alias.domain"].create(
            {
                "name": "complaints.example.com",
                "company_ids": [Command.link(cls.company.id)],
            }
        )
        cls.team.alias_domain_id = cls.alias_domain
        cls.alias_address = f"test-complaints@{cls.alias_domain.name}"

    def _mime(
        self,
        subject,
        body,
        email_from="Carla Contact <carla@customer.example.com>",
        to=None,
        in_reply_to=None,
        attachments=(),
    ):
        msg = EmailMessage()
        if email_from:
            msg["From"] = email_from
        msg["To"] = to or self.alias_address
        msg["Subject"] = subject
        msg["Message-ID"] = make_msgid(domain="customer.example.com")
        if in_reply_to:
            msg["In-Reply-To"] = in_reply_to
            msg["References"] = in_reply_to
        msg.set_content(body)
        msg.add_alternative(f"<p>{body}</p>", subtype="html")
        for name, content in attachments:
            msg.add_attachment(
                content, maintype="application", subtype="octet-stream", filename=name
            )
        return msg

    def _process(self, msg):
        thread_id = (
            self.env["mail.thread"].sudo().message_process(None, msg.as_string())
        )
        return self.Complaint.browse(thread_id)

    def test_known_sender_with_order_reference(self):
        complaint = self._process(
            self._mime(
                f"Broken kettle in order {self.order.name}",
                "The lid came off on first use.",
            )
        )
        self.assertTrue(complaint, "a complaint is opened")
        self.assertEqual(complaint.team_id, self.team)
        self.assertEqual(complaint.channel, "email")
        self.assertEqual(complaint.partner_id, self.contact)
        self.assertEqual(complaint.sale_order_id, self.order)
        self.assertEqual(
            complaint.picking_id, self.delivery, "the order fills the delivery"
        )
        self.assertIn("lid came off", complaint.description)
        self.assertEqual(
            complaint.message_ids.filtered(
                lambda m: m.message_type == "email"
            ).author_id,
            self.contact,
        )

    def test_order_reference_in_body_and_foreign_order_ignored(self):
        foreign = self._create_order(self.other_customer)
        complaint = self._process(
            self._mime("Wrong item", f"See {foreign.name} and also {self.order.name}.")
        )
        self.assertEqual(
            complaint.sale_order_id, self.order, "only the sender's own order is linked"
        )
        complaint = self._process(self._mime("Again", f"It is order {foreign.name}"))
        self.assertFalse(
            complaint.sale_order_id, "another customer's order is never linked"
        )

    def test_malformed_reference(self):
        complaint = self._process(
            self._mime("Order S0O/??-12 broken", "ref: ////--12345678901234567890 S")
        )
        self.assertTrue(complaint)
        self.assertFalse(complaint.sale_order_id)

    def test_unknown_sender_creates_contact(self):
        complaint = self._process(
            self._mime(
                "Never arrived",
                "Where is my parcel?",
                email_from="New Person <new.person@unknown.example.com>",
            )
        )
        self.assertEqual(complaint.partner_id.email, "new.person@unknown.example.com")
        self.assertEqual(complaint.partner_id.name, "New Person")

    @mute_logger("odoo.addons.mail.models.mail_thread")
    def test_unknown_sender_refused_by_team_setting(self):
        self.team.unknown_sender_policy = "refuse"
        self.assertEqual(self.team.alias_contact, "partners")
        before = self.Complaint.search_count([])
        with (
            self.mock_mail_gateway()
            if hasattr(self, "mock_mail_gateway")
            else mute_logger("odoo.addons.mail")
        ):
            self.env["mail.thread"].sudo().message_process(
                None,
                self._mime(
                    "Spam?", "hello", email_from="stranger@nowhere.example.com"
                ).as_string(),
            )
        self.assertEqual(
            self.Complaint.search_count([]), before, "refused: bounced, no complaint"
        )
        complaint = self._process(self._mime("Known sender still welcome", "hi"))
        self.assertEqual(complaint.partner_id, self.contact)

    def test_reply_threads_onto_complaint(self):
        first = self._mime("Scratched table", "It is scratched.")
        complaint = self._process(first)
        complaint.with_user(self.user_agent).message_post(
            body="Could you send a photo?",
            subtype_xmlid="mail.mt_comment",
            message_type="comment",
        )
        self.assertTrue(complaint.first_response_date)
        reply = self._mime(
            "Re: Scratched table", "Here is the photo.", in_reply_to=first["Message-ID"]
        )
        replied = self._process(reply)
        self.assertEqual(replied, complaint, "the reply lands on the same complaint")
        self.assertEqual(
            self.Complaint.search_count([("name", "ilike", "Scratched table")]), 1
        )
        self.assertTrue(
            complaint.message_ids.filtered(
                lambda m: "photo" in (m.body or "") and m.author_id == self.contact
            )
        )

    def test_no_sender(self):
        complaint = self._process(
            self._mime("Anonymous", "no from header", email_from=None)
        )
        self.assertTrue(complaint, "the mail is kept as a complaint")
        self.assertFalse(complaint.partner_id)
        self.assertTrue(
            complaint.message_ids.filtered(lambda m: "no sender" in (m.body or ""))
        )

    def test_huge_attachment_dropped_mail_kept(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "crm_order_unified.complaint_attachment_max_mb", "0.01"
        )
        complaint = self._process(
            self._mime(
                "Photos",
                "see attached",
                attachments=[("small.bin", b"x" * 100), ("huge.bin", b"y" * 50000)],
            )
        )
        names = complaint.message_ids.attachment_ids.mapped("name")
        self.assertIn("small.bin", names)
        self.assertNotIn("huge.bin", names)
        self.assertTrue(
            complaint.message_ids.filtered(lambda m: "huge.bin" in (m.body or ""))
        )

    def test_empty_subject(self):
        complaint = self._process(self._mime("", "no subject at all"))
        self.assertEqual(complaint.name, "Complaint by email")
