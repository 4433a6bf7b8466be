from odoo import fields, models

CUSTOMER_360_GROUP = "crm_order_unified.group_crm_order_unified_user"


class CouCustomerContextMixin(models.AbstractModel):
    _inherit = "cou.customer.context.mixin"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    cou_customer_care_attribute_ids = fields.Many2many(
        comodel_name="cou.care.attribute",
        string="Customer Care Attributes",
        related="partner_id.commercial_partner_id.care_attribute_ids",
        groups=CUSTOMER_360_GROUP,
    )
