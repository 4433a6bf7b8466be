from odoo.tests import TransactionCase, tagged

from odoo.addons.crm_order_unified.tests.common_i18n import CouJapaneseTranslationMixin


@tagged("post_install", "-at_install")
class TestJapaneseTranslation(CouJapaneseTranslationMixin, TransactionCase):
    MODULE = "crm_order_unified_order_flow"
