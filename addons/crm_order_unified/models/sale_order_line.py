from odoo import api, models

# Changing one of these on a line of a confirmed order changes the
# order's untaxed amount, hence its customer's average order value.
ORDER_AMOUNT_LINE_FIELDS = {
    "order_id",
    "product_id",
    "product_uom_qty",
    "product_uom",
    "price_unit",
    "discount",
    "tax_id",
    "display_type",
}


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    # === CUSTOMER 360 === #
    # lines added to, changed on or removed from a
    # confirmed order (upsell, extra products delivered, edits from the line
    # list) change the order's amount, hence the customer's order figures.

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines._cou_refresh_order_figures()
        return lines

    def write(self, vals):
        if not ORDER_AMOUNT_LINE_FIELDS & set(vals):
            return super().write(vals)
        partners = self._cou_confirmed_partners()
        res = super().write(vals)
        (partners | self._cou_confirmed_partners())._cou_mark_customer_360_dirty(
            ["orders"]
        )
        return res

    def unlink(self):
        partners = self._cou_confirmed_partners()
        res = super().unlink()
        partners._cou_mark_customer_360_dirty(["orders"])
        return res

    def _cou_confirmed_partners(self):
        return self.order_id.filtered(lambda order: order.state == "sale").partner_id

    def _cou_refresh_order_figures(self):
        self._cou_confirmed_partners()._cou_mark_customer_360_dirty(["orders"])
