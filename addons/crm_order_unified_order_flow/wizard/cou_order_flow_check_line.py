from odoo import fields, models


class CouOrderFlowCheckLine(models.TransientModel):
    _name = "cou.order.flow.check.line"
    _description = "Order Line Short of Stock"

    # === FIELDS === #

    check_id = fields.Many2one(
        comodel_name="cou.order.flow.check", required=True, ondelete="cascade"
    )
    sale_line_id = fields.Many2one(
        comodel_name="sale.order.line", string="Order Line", required=True
    )
    product_id = fields.Many2one(related="sale_line_id.product_id")
    product_uom_qty = fields.Float(
        related="sale_line_id.product_uom_qty", string="Ordered"
    )
    product_uom = fields.Many2one(related="sale_line_id.product_uom")
    scheduled_date = fields.Datetime(
        related="sale_line_id.scheduled_date", string="Delivery Date"
    )
    qty_forecast = fields.Float(
        string="Forecasted",
        digits="Product Unit of Measure",
        help="Forecasted quantity of the warehouse at the delivery date.",
    )
    date_available = fields.Datetime(
        string="Available On",
        help="When the planned receipts cover the line; empty when none does.",
    )
