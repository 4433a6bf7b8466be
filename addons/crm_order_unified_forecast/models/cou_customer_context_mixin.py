from odoo import fields, models

from .res_partner import CUSTOMER_360_GROUP


class CouCustomerContextMixin(models.AbstractModel):
    """The reorder probability in the customer context of orders, deliveries
    and invoices, beside the core's next expected order."""

    _inherit = "cou.customer.context.mixin"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    cou_customer_reorder_probability = fields.Float(
        related="partner_id.commercial_partner_id.customer_reorder_probability",
        groups=CUSTOMER_360_GROUP,
    )
