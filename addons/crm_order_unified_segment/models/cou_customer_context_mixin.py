from odoo import fields, models

from odoo.addons.crm_order_unified.models.res_partner import CUSTOMER_360_GROUP


class CouCustomerContextMixin(models.AbstractModel):
    """The customer's segments in the customer context of orders, deliveries
    and invoices."""

    _inherit = "cou.customer.context.mixin"

    # === FIELDS === #

    cou_customer_segment_ids = fields.Many2many(
        string="Customer Segments",
        related="partner_id.commercial_partner_id.cou_segment_ids",
        groups=CUSTOMER_360_GROUP,
    )
