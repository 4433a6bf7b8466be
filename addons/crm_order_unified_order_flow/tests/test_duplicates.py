from unittest.mock import patch

from odoo.exceptions import AccessError
from odoo.tests import Form, tagged

from odoo.addons.crm_order_unified_order_flow.models.res_partner import (
    name_key,
    phone_key,
)

from .common import CouOrderFlowCommon


@tagged("post_install", "-at_install")
class TestDuplicates(CouOrderFlowCommon):
    def test_name_key_ignores_case_spaces_and_legal_forms(self):
        self.assertEqual(name_key("Fuji Outdoor K.K."), "fujioutdoor")
        self.assertEqual(name_key("FUJI  OUTDOOR Co., Ltd."), "fujioutdoor")
        self.assertEqual(name_key("fuji outdoor"), "fujioutdoor")
        self.assertEqual(
            name_key("株式会社富士アウトドア"), name_key("富士アウトドア（株）")
        )
        self.assertEqual(name_key("㈱富士アウトドア"), name_key("富士アウトドア"))
        self.assertEqual(name_key("ＦＵＪＩ Outdoor"), "fujioutdoor", "full-width")
        self.assertNotEqual(name_key("Fuji Outdoor"), name_key("Fuji Indoor"))
        self.assertFalse(name_key("Inc."), "nothing left: no key")
        self.assertFalse(name_key(False))

    def test_phone_key_normalises_like_phone_validation(self):
        self.assertEqual(phone_key("03-1234-5678", "JP"), "+81312345678")
        self.assertEqual(phone_key("+81 3 1234 5678", "BE"), "+81312345678")
        self.assertEqual(
            phone_key("(03) 1234-5678", "JP"), phone_key("0312345678", "JP")
        )
        self.assertEqual(phone_key("n/a 12345678", None), "12345678", "digits fallback")
        self.assertFalse(phone_key("12", "JP"))

    def test_new_contact_warns_of_an_existing_one(self):
        existing = self.env["res.partner"].create(
            {"name": "COU Sakura Trading", "email": "Orders@Sakura.example"}
        )
        form = Form(self.env["res.partner"])
        form.name = "Someone else"
        form.email = "orders@sakura.example"
        self.assertIn(existing, form.cou_duplicate_partner_ids[:])
        form.email = "other@example.com"
        self.assertNotIn(existing, form.cou_duplicate_partner_ids[:])
        form.name = "COU Sakura Trading Co., Ltd."
        self.assertIn(existing, form.cou_duplicate_partner_ids[:])

    def test_phone_match_in_another_format(self):
        jp = self.env.ref("base.jp")
        existing = self.env["res.partner"].create(
            {"name": "COU Osaka Shop", "phone": "06-1111-2222", "country_id": jp.id}
        )
        new = self.env["res.partner"].create(
            {"name": "Different name", "mobile": "+81 6 1111 2222"}
        )
        self.assertIn(existing, new.cou_duplicate_partner_ids)

    def test_contacts_of_the_same_company_are_not_duplicates(self):
        self.customer_contact.email = "shared@acme.example"
        colleague = self.env["res.partner"].create(
            {
                "name": "COU Bob Acme",
                "parent_id": self.customer_company.id,
                "email": "shared@acme.example",
            }
        )
        self.assertFalse(colleague.cou_duplicate_partner_ids)

    def test_refresh_lists_pairs_keeps_dismissals_and_drops_fixed_ones(self):
        Duplicate = self.env["cou.partner.duplicate"]
        a = self.env["res.partner"].create(
            {"name": "COU Nagoya Goods K.K.", "email": "a@nagoya.example"}
        )
        b = self.env["res.partner"].create({"name": "COU NAGOYA GOODS"})
        c = self.env["res.partner"].create(
            {"name": "COU Kobe", "email": "a@nagoya.example"}
        )
        with self.assertQueryCount(9):
            Duplicate._cou_refresh()
        pairs = Duplicate.search(
            [
                ("partner_id", "in", (a | b | c).ids),
                ("duplicate_id", "in", (a | b | c).ids),
            ]
        )
        self.assertEqual(
            {(p.partner_id, p.duplicate_id) for p in pairs}, {(a, b), (a, c)}
        )
        ab = pairs.filtered(lambda p: p.duplicate_id == b)
        self.assertTrue(ab.match_name)
        self.assertFalse(ab.match_email)
        ab.action_dismiss()
        Duplicate._cou_refresh()
        self.assertEqual(ab.state, "dismissed", "a dismissal survives the refresh")
        c.email = "c@kobe.example"
        Duplicate._cou_refresh()
        self.assertFalse(
            Duplicate.search([("partner_id", "=", a.id), ("duplicate_id", "=", c.id)])
        )

    def test_merge_opens_odoo_merge_wizard(self):
        a = self.env["res.partner"].create(
            {"name": "COU Merge Me", "email": "m@x.example"}
        )
        b = self.env["res.partner"].create(
            {"name": "COU merge me", "email": "m@x.example"}
        )
        action = b.action_cou_merge_duplicates()
        self.assertEqual(action["res_model"], "base.partner.merge.automatic.wizard")
        wizard = (
            self.env[action["res_model"]].with_context(**action["context"]).create({})
        )
        self.assertEqual(wizard.partner_ids, a | b)
        wizard.action_merge()
        self.assertEqual(len((a | b).exists()), 1, "merged into one")

    def test_access(self):
        self.env["res.partner"].create({"name": "COU Dup", "email": "d@x.example"})
        self.env["res.partner"].create({"name": "COU Dup 2", "email": "d@x.example"})
        self.env["cou.partner.duplicate"]._cou_refresh()
        with self.assertRaises(AccessError):
            self.env["cou.partner.duplicate"].with_user(self.user_salesman).search([])
        self.assertTrue(
            self.env["cou.partner.duplicate"]
            .with_user(self.user_sale_manager)
            .search([])
        )

    def test_other_company_pairs_are_hidden(self):
        a = self.env["res.partner"].create(
            {
                "name": "COU B Only",
                "email": "b@x.example",
                "company_id": self.company_b.id,
            }
        )
        self.env["res.partner"].create({"name": "COU B Only 2", "email": "b@x.example"})
        self.env["cou.partner.duplicate"]._cou_refresh()
        found = (
            self.env["cou.partner.duplicate"]
            .with_user(self.user_sale_manager)
            .with_context(allowed_company_ids=[self.company_a.id])
            .search(["|", ("partner_id", "=", a.id), ("duplicate_id", "=", a.id)])
        )
        self.assertFalse(found)

    def test_many_colleagues_sharing_a_key_do_not_hide_a_duplicate(self):
        """More than 100 contacts of the partner's own company share its phone
        (a switchboard): the other company's contact with that phone is still
        found (the search is exact, not a capped candidate list)."""
        Partner = self.env["res.partner"]
        jp = self.env.ref("base.jp")
        own = Partner.create(
            {"name": "COU Switchboard Co", "is_company": True, "country_id": jp.id}
        )
        Partner.create(
            [
                {
                    "name": f"COU Colleague {i}",
                    "parent_id": own.id,
                    "phone": "03-5555-0000",
                    "country_id": jp.id,
                }
                for i in range(120)
            ]
        )
        other = Partner.create(
            {
                "name": "COU Zeta Elsewhere",
                "phone": "+81 3 5555 0000",
                "country_id": jp.id,
            }
        )
        form = Form(Partner)
        form.name = "COU Newcomer"
        form.parent_id = own
        form.phone = "03 5555 0000"
        self.assertEqual(form.cou_duplicate_partner_ids[:], other)

    def test_form_and_list_share_one_key_table(self):
        """The form's banner and the manager's list are built from one table:
        dropping a kind from it (here: name) drops it from both."""
        Partner = self.env["res.partner"]
        Duplicate = self.env["cou.partner.duplicate"]
        a = Partner.create({"name": "COU Table Shop", "vat": "JP1234567890"})
        b = Partner.create({"name": "COU TABLE SHOP K.K."})
        c = Partner.create({"name": "COU Other Shop", "vat": "jp-1234 567890"})
        self.assertEqual(b.cou_duplicate_partner_ids, a)
        self.assertEqual(c.cou_duplicate_partner_ids, a)
        Duplicate._cou_refresh()
        pairs = Duplicate.search([("partner_id", "=", a.id)])
        self.assertEqual(pairs.duplicate_id, b | c)
        table = tuple(
            (kind, names)
            for kind, names in Partner._cou_duplicate_key_table()
            if kind != "name"
        )
        with patch.object(type(Partner), "_cou_duplicate_key_table", lambda s: table):
            (a | b | c).invalidate_recordset(["cou_duplicate_partner_ids"])
            self.assertFalse(b.cou_duplicate_partner_ids, "no name key in the form")
            self.assertEqual(c.cou_duplicate_partner_ids, a, "the tax ID still counts")
            Duplicate._cou_refresh()
            pairs = Duplicate.search([("partner_id", "=", a.id)])
            self.assertEqual(pairs.duplicate_id, c, "no name key in the list")

    def test_form_and_list_agree(self):
        Partner = self.env["res.partner"]
        jp = self.env.ref("base.jp")
        partners = Partner.create(
            [
                {"name": "COU Agree One", "email": "agree@x.example"},
                {
                    "name": "COU agree two",
                    "mobile": "06-7777-8888",
                    "country_id": jp.id,
                },
                {"name": "COU Agree One Inc.", "phone": "+81 6 7777 8888"},
                {"name": "COU Agree Four", "email": "AGREE@x.example"},
                {"name": "COU Agree Five", "vat": "BE0477472701"},
            ]
        )
        Duplicate = self.env["cou.partner.duplicate"]
        Duplicate._cou_refresh()
        listed = {
            frozenset((p.partner_id.id, p.duplicate_id.id))
            for p in Duplicate.search(
                [
                    ("partner_id", "in", partners.ids),
                    ("duplicate_id", "in", partners.ids),
                ]
            )
        }
        shown = {
            frozenset((partner.id, other.id))
            for partner in partners
            for other in partner.cou_duplicate_partner_ids
            if other in partners
        }
        self.assertEqual(shown, listed)
        self.assertEqual(len(listed), 3)
