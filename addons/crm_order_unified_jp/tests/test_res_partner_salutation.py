from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestSalutation(TransactionCase):
    """様 after a person's name and 御中 after a company's, in Japanese, in what
    the customer receives (the complaint emails use the salutation)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("ja_JP")
        Partner = cls.env["res.partner"]
        cls.person = Partner.create({"name": "山田 太郎", "lang": "ja_JP"})
        cls.company = Partner.create(
            {"name": "株式会社テスト商事", "is_company": True, "lang": "ja_JP"}
        )
        cls.employee = Partner.create(
            {"name": "鈴木 次郎", "parent_id": cls.company.id, "lang": "ja_JP"}
        )
        cls.address = Partner.create(
            {"type": "delivery", "parent_id": cls.company.id, "lang": "ja_JP"}
        )

    def _salutation(self, partner, lang):
        return partner.with_context(lang=lang).cou_salutation

    def test_person_gets_sama(self):
        self.assertEqual(self._salutation(self.person, "ja_JP"), "山田 太郎 様")

    def test_company_gets_onchu(self):
        self.assertEqual(
            self._salutation(self.company, "ja_JP"), "株式会社テスト商事 御中"
        )

    def test_person_of_a_company_after_the_company(self):
        self.assertEqual(
            self._salutation(self.employee, "ja_JP"), "株式会社テスト商事 鈴木 次郎 様"
        )
        # an address without a name of its own is addressed as its company
        self.assertEqual(
            self._salutation(self.address, "ja_JP"), "株式会社テスト商事 御中"
        )

    def test_other_languages_get_the_name(self):
        self.assertEqual(self._salutation(self.person, "en_US"), "山田 太郎")
        self.assertEqual(self._salutation(self.company, "en_US"), "株式会社テスト商事")

    def test_acknowledgement_email_uses_the_salutation(self):
        """The complaint acknowledgement, rendered in the customer's Japanese,
        addresses a company with 御中 and a person with 様 (never both)."""
        self.env["ir.module.module"]._load_module_terms(
            ["crm_order_unified_complaint"], ["ja_JP"], overwrite=True
        )
        template = self.env.ref(
            "crm_order_unified_complaint.mail_template_cou_complaint_acknowledgement"
        )
        complaints = self.env["cou.complaint"].create(
            [
                {"name": "箱が破損していました", "partner_id": self.company.id},
                {"name": "届いていません", "partner_id": self.person.id},
            ]
        )
        bodies = template._render_field("body_html", complaints.ids, compute_lang=True)
        company_body, person_body = bodies[complaints[0].id], bodies[complaints[1].id]
        self.assertIn("株式会社テスト商事 御中", company_body)
        self.assertNotIn("御中 様", company_body)
        self.assertIn("山田 太郎 様", person_body)
        self.assertIn("お問い合わせ", person_body)
