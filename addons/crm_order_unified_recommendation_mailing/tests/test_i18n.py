from odoo.tests import TransactionCase, tagged

from odoo.addons.crm_order_unified.tests.common_i18n import (
    CouJapaneseTranslationMixin,
)


@tagged("post_install", "-at_install")
class TestJapaneseTranslation(CouJapaneseTranslationMixin, TransactionCase):
    MODULE = "crm_order_unified_recommendation_mailing"
    # Odoo's runner skips inherited test methods unless told (pytest-odoo runs them)
    allow_inherited_tests_method = True

    def test_ja_po_loads_and_translates(self):
        """The bridge has no menu: its block reads in Japanese instead."""
        self.env["res.lang"]._activate_lang("ja_JP")
        self.env["ir.module.module"]._load_module_terms(
            [self.MODULE], ["ja_JP"], overwrite=True
        )
        block = (
            self.env["ir.qweb"]
            .with_context(lang="ja_JP")
            ._render("crm_order_unified_recommendation_mailing.s_cou_recommendations")
        )
        self.assertIn(self._ja_po()["Selected for you"], block)
        self.assertIn("data-cou-recommendations", block)
