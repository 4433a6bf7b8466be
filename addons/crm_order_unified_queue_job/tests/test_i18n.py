from odoo.tests import TransactionCase, tagged

from odoo.addons.crm_order_unified.tests.common_i18n import CouJapaneseTranslationMixin


@tagged("post_install", "-at_install")
class TestJapaneseTranslation(CouJapaneseTranslationMixin, TransactionCase):
    MODULE = "crm_order_unified_queue_job"
    MIN_TERMS = 3  # a small bridge: one field, one filter, one job description

    def test_ja_po_loads_and_translates(self):
        """The bridge has no menu: its field's label, in Japanese."""
        self.env["res.lang"]._activate_lang("ja_JP")
        self.env["ir.module.module"]._load_module_terms(
            [self.MODULE], ["ja_JP"], overwrite=True
        )
        field = self.env["ir.model.fields"]._get("cou.job.chunk", "queued")
        self.assertEqual(
            field.with_context(lang="ja_JP").field_description, "キュー投入済"
        )
