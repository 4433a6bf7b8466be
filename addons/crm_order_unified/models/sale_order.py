from odoo import api, fields, models

# Changing one of these on a confirmed order changes its customer's order figures.
# Line changes (``order_line``) are caught on sale.order.line itself, whichever
# way they are made (see models/sale_order_line.py, [foundation] section).
ORDER_FIGURE_FIELDS = {"state", "partner_id", "date_order", "company_id", "currency_id"}


class SaleOrder(models.Model):
    _name = "sale.order"
    _inherit = ["sale.order", "cou.customer.context.mixin"]

    # ------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        orders = super().create(vals_list)
        confirmed = orders.filtered(lambda order: order.state == "sale")
        if confirmed:
            confirmed.partner_id._cou_refresh_customer_360(["orders"])
        return orders

    def write(self, vals):
        if not ORDER_FIGURE_FIELDS & set(vals):
            return super().write(vals)
        touched = self.filtered(lambda order: order.state == "sale")
        partners = touched.partner_id
        res = super().write(vals)
        partners |= self.filtered(lambda order: order.state == "sale").partner_id
        if partners:
            partners._cou_refresh_customer_360(["orders"])
        return res

    # ------------------------------------------------------------
    # [import] order history import (owned by the import feature)
    # ------------------------------------------------------------

    cou_imported = fields.Boolean(
        string="Imported History",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Order imported from another system by the order history import.",
    )
    cou_import_ref = fields.Char(
        string="Original Reference",
        readonly=True,
        copy=False,
        help="Order reference in the imported file; one imported order per reference and company.",
    )
    cou_import_run_id = fields.Many2one(
        comodel_name="cou.history.import.run",
        string="Import Run",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
    )

    _sql_constraints = [
        (
            "cou_import_ref_company_uniq",
            "UNIQUE(company_id, cou_import_ref)",
            "An order with this original reference was already imported for this company.",
        ),
    ]

    # ------------------------------------------------------------
    # [segment] campaign attribution and RFM refresh at confirmation
    # (owned by the segment feature; logic in utm.campaign and cou.rfm.score)
    # ------------------------------------------------------------

    cou_attributed_campaign_id = fields.Many2one(
        comodel_name="utm.campaign",
        string="Attributed Campaign",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Campaign credited with this order, set at confirmation (see the attribution settings).",
    )
    cou_attribution_rule = fields.Selection(
        selection=[
            ("utm", "Campaign on the order"),
            ("mailing_click", "Mailing clicked"),
            ("mailing_received", "Mailing received"),
        ],
        string="Attribution Rule",
        readonly=True,
        copy=False,
    )
    cou_attribution_touch_date = fields.Datetime(string="Attribution Touch Date", readonly=True, copy=False)

    def _action_confirm(self):
        res = super()._action_confirm()
        self.env["utm.campaign"].sudo()._cou_attribute_orders(self)
        for company in self.company_id:
            orders = self.filtered(lambda order, company=company: order.company_id == company)
            self.env["cou.rfm.score"].sudo()._refresh_partners(orders.partner_id, company)
        return res


# ------------------------------------------------------------
# [complaint] complaints about the order (owned by the complaint feature;
# shared logic in cou.complaint.document.mixin, data logic in cou.complaint)
# ------------------------------------------------------------


class SaleOrderComplaint(models.Model):
    _name = "sale.order"
    _inherit = ["sale.order", "cou.complaint.document.mixin"]

    cou_complaint_ids = fields.One2many(
        comodel_name="cou.complaint",
        inverse_name="sale_order_id",
        string="Complaints",
        groups="crm_order_unified.group_cou_complaint_user",
    )

    def _get_cou_complaint_link_field(self):
        return "sale_order_id"
