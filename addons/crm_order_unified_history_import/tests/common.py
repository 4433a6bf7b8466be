from odoo.tests import new_test_user

from odoo.addons.crm_order_unified.tests.common import CouCommon


class CouHistoryImportCommon(CouCommon):
    """The core's customers, products and roles, plus the roles of the import:
    a Customer Hub manager who imports, and a salesman who may not."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_importer = new_test_user(
            cls.env,
            login="cou_importer",
            groups="base.group_user,sales_team.group_sale_manager,"
            "crm_order_unified.group_crm_order_unified_manager",
            company_id=cls.company_a.id,
            company_ids=[cls.company_a.id],
        )
