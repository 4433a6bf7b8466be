from odoo.tests import TransactionCase, tagged

from odoo.addons.crm_order_unified.tests.common_i18n import CouJapaneseTranslationMixin


@tagged("post_install", "-at_install")
class TestJapaneseTranslation(CouJapaneseTranslationMixin, TransactionCase):
    MODULE = "crm_order_unified_jp"
    # the addon adds a report block and demo data, not screens of its own
    MIN_TERMS = 5

    def test_ja_po_loads_and_translates(self):
        """The addon has no menu: its invoice block reads in Japanese once the
        language is loaded."""
        self.env["res.lang"]._activate_lang("ja_JP")
        self.env["ir.module.module"]._load_module_terms(
            [self.MODULE], ["ja_JP"], overwrite=True
        )
        view = self.env.ref(
            "crm_order_unified_jp.report_invoice_document_inherit_crm_order_unified_jp"
        )
        self.assertIn("登録番号", view.with_context(lang="ja_JP").arch_db)
        self.assertIn("Registration Number", view.with_context(lang="en_US").arch_db)
