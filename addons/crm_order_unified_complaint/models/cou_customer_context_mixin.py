from odoo import fields, models

from odoo.addons.crm_order_unified.models.res_partner import CUSTOMER_360_GROUP


class CouCustomerContextMixin(models.AbstractModel):
    """The customer's open complaints among the figures of the customer
    context of orders, deliveries and invoices."""

    _inherit = "cou.customer.context.mixin"

    # === FIELDS === #

    cou_customer_open_complaint_count = fields.Integer(
        string="Customer's Open Complaints",
        related="partner_id.commercial_partner_id.customer_open_complaint_count",
        groups=CUSTOMER_360_GROUP,
    )
