from odoo import fields, models
from odoo.exceptions import UserError

from .res_partner import CUSTOMER_360_GROUP


class CouCustomerContextMixin(models.AbstractModel):
    """Customer context on a document (sale order, transfer, invoice).

    Shows the Customer 360 figures of the document's customer (the commercial
    entity of ``partner_id``), its last orders, open deliveries, unpaid
    invoices and internal note. The figures are read from the partner's stored
    company-dependent fields; the lists are searched with the user's rights
    (related fields with ``compute_sudo=False``).
    """

    _name = "cou.customer.context.mixin"
    _description = "Customer Context"

    # === FIELDS === #

    # Declared so that the related fields below resolve on the abstract model;
    # the inheriting document's own definition of partner_id takes precedence.
    partner_id = fields.Many2one(comodel_name="res.partner")
    cou_customer_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer Account",
        related="partner_id.commercial_partner_id",
    )
    cou_customer_comment = fields.Html(
        string="Customer Internal Note",
        related="partner_id.commercial_partner_id.comment",
        groups=CUSTOMER_360_GROUP,
    )
    cou_customer_currency_id = fields.Many2one(
        related="partner_id.commercial_partner_id.customer_currency_id",
        groups=CUSTOMER_360_GROUP,
    )
    cou_customer_order_count = fields.Integer(
        related="partner_id.commercial_partner_id.customer_order_count",
        groups=CUSTOMER_360_GROUP,
    )
    cou_customer_lifetime_revenue = fields.Float(
        related="partner_id.commercial_partner_id.customer_lifetime_revenue",
        groups=CUSTOMER_360_GROUP,
    )
    cou_customer_ordered_revenue = fields.Float(
        related="partner_id.commercial_partner_id.customer_ordered_revenue",
        groups=CUSTOMER_360_GROUP,
    )
    cou_customer_avg_order_value = fields.Float(
        related="partner_id.commercial_partner_id.customer_avg_order_value",
        groups=CUSTOMER_360_GROUP,
    )
    cou_customer_first_order_date = fields.Date(
        related="partner_id.commercial_partner_id.customer_first_order_date",
        groups=CUSTOMER_360_GROUP,
    )
    cou_customer_last_order_date = fields.Date(
        related="partner_id.commercial_partner_id.customer_last_order_date",
        groups=CUSTOMER_360_GROUP,
    )
    cou_customer_order_interval_days = fields.Float(
        related="partner_id.commercial_partner_id.customer_order_interval_days",
        groups=CUSTOMER_360_GROUP,
    )
    cou_customer_next_order_date = fields.Date(
        related="partner_id.commercial_partner_id.customer_next_order_date",
        groups=CUSTOMER_360_GROUP,
    )
    cou_customer_open_delivery_count = fields.Integer(
        related="partner_id.commercial_partner_id.customer_open_delivery_count",
        groups=CUSTOMER_360_GROUP,
    )
    cou_customer_overdue_amount = fields.Float(
        related="partner_id.commercial_partner_id.customer_overdue_amount",
        groups=CUSTOMER_360_GROUP,
    )
    cou_customer_recent_order_ids = fields.Many2many(
        related="partner_id.commercial_partner_id.customer_recent_order_ids",
        compute_sudo=False,
        groups=CUSTOMER_360_GROUP,
    )
    cou_customer_open_picking_ids = fields.Many2many(
        related="partner_id.commercial_partner_id.customer_open_picking_ids",
        compute_sudo=False,
        groups=CUSTOMER_360_GROUP,
    )
    cou_customer_unpaid_invoice_ids = fields.Many2many(
        related="partner_id.commercial_partner_id.customer_unpaid_invoice_ids",
        compute_sudo=False,
        groups=CUSTOMER_360_GROUP,
    )

    # === ACTION METHODS === #

    def action_cou_view_customer(self):
        """Open the customer (commercial entity) of the document."""
        self.ensure_one()
        if not self.partner_id:
            raise UserError(self.env._("Set a customer on this document first."))
        return self.partner_id.action_cou_view_customer()
