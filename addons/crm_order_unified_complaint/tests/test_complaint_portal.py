from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import ComplaintCommon


@tagged("post_install", "-at_install")
class TestComplaintPortalAccess(ComplaintCommon):
    """What portal customers may see: their own complaints, or their company's
    when the team allows it; never internal notes; never another customer's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_carla = new_test_user(
            cls.env, "cou_portal_carla", groups="base.group_portal", name="Carla Portal"
        )
        cls.portal_carla.partner_id.write(
            {"parent_id": cls.customer.id, "email": "carla.portal@customer.example.com"}
        )
        cls.portal_colleague = new_test_user(
            cls.env, "cou_portal_colin", groups="base.group_portal", name="Colin Portal"
        )
        cls.portal_colleague.partner_id.parent_id = cls.customer
        cls.portal_stranger = new_test_user(
            cls.env, "cou_portal_stan", groups="base.group_portal", name="Stan Portal"
        )
        cls.portal_stranger.partner_id.parent_id = cls.other_customer

    def test_own_only_by_default(self):
        mine = self._create_complaint(partner_id=self.portal_carla.partner_id.id)
        colleague = self._create_complaint(
            partner_id=self.portal_colleague.partner_id.id
        )
        Complaint = self.Complaint.with_user(self.portal_carla)
        self.assertEqual(Complaint.search([]), mine)
        with self.assertRaises(AccessError):
            colleague.with_user(self.portal_carla).read(["name"])
        with self.assertRaises(AccessError):
            mine.with_user(self.portal_carla).write({"name": "hacked"})

    def test_company_wide_per_team_setting(self):
        mine = self._create_complaint(partner_id=self.portal_carla.partner_id.id)
        colleague = self._create_complaint(
            partner_id=self.portal_colleague.partner_id.id
        )
        foreign = self._create_complaint(partner_id=self.other_customer.id)
        self.team.portal_company_visible = True
        self.assertEqual(
            self.Complaint.with_user(self.portal_carla).search([]), mine | colleague
        )
        self.assertEqual(
            self.Complaint.with_user(self.portal_stranger).search([]),
            foreign,
            "their own company's only",
        )
        self.assertNotIn(
            foreign, self.Complaint.with_user(self.portal_carla).search([])
        )

    def test_internal_notes_never_reach_portal(self):
        complaint = self._create_complaint(partner_id=self.portal_carla.partner_id.id)
        complaint.message_post(
            body="Secret internal note", subtype_xmlid="mail.mt_note"
        )
        complaint.message_post(
            body="Public answer",
            subtype_xmlid="mail.mt_comment",
            message_type="comment",
        )
        messages = (
            self.env["mail.message"]
            .with_user(self.portal_carla)
            .search([("model", "=", "cou.complaint"), ("res_id", "=", complaint.id)])
        )
        bodies = " ".join(messages.mapped("body"))
        self.assertIn("Public answer", bodies)
        self.assertNotIn("Secret internal note", bodies)

    def test_portal_reply_allowed_with_read_access(self):
        complaint = self._create_complaint(partner_id=self.portal_carla.partner_id.id)
        complaint.with_user(self.portal_carla).message_post(
            body="Here is more information",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        self.assertTrue(
            complaint.message_ids.filtered(
                lambda m: "more information" in (m.body or "")
            )
        )
        self.assertFalse(
            complaint.first_response_date, "a customer message is not a response"
        )
