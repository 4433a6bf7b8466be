from odoo.tests import TransactionCase, tagged

from odoo.addons.crm_order_unified.tests.common_i18n import (
    CouJapaneseTranslationMixin,
)


@tagged("post_install", "-at_install")
class TestJapaneseTranslation(CouJapaneseTranslationMixin, TransactionCase):
    MODULE = "crm_order_unified_recommendation"
    # Odoo's runner skips inherited test methods unless told (pytest-odoo runs them)
    allow_inherited_tests_method = True
