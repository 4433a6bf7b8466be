from odoo.tests import TransactionCase, tagged

from odoo.addons.crm_order_unified.tests.common_i18n import CouJapaneseTranslationMixin


@tagged("post_install", "-at_install")
class TestJapaneseTranslation(CouJapaneseTranslationMixin, TransactionCase):
    MODULE = "crm_order_unified_order_flow_segment"

    def test_ja_po_loads_and_translates(self):
        """The addon has no menu: its segment field reads in Japanese once the
        language is loaded."""
        self.env["res.lang"]._activate_lang("ja_JP")
        self.env["ir.module.module"]._load_module_terms(
            [self.MODULE], ["ja_JP"], overwrite=True
        )
        field = self.env["ir.model.fields"]._get("cou.segment", "auto_invoice_policy")
        self.assertEqual(field.with_context(lang="ja_JP").field_description, "自動請求")
        self.assertEqual(
            self.env["cou.segment"]
            .with_context(lang="ja_JP")
            .fields_get(["auto_invoice_policy"])["auto_invoice_policy"]["string"],
            "自動請求",
        )
