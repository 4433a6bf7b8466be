from odoo.tests import TransactionCase


class CouJapanCommon(TransactionCase):
    """The Japanese demo company (demo/crm_order_unified_jp_demo.xml)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.ref("base.demo_company_jp", raise_if_not_found=False)
        cls.hanako = cls.env.ref(
            "crm_order_unified_jp.cou_jp_customer_hanako", raise_if_not_found=False
        )

    def setUp(self):
        super().setUp()
        if not self.hanako:
            self.skipTest("needs the demo data of crm_order_unified_jp")
