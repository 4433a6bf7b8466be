from odoo import fields, models


class StockPicking(models.Model):
    _name = "stock.picking"
    _inherit = ["stock.picking", "cou.complaint.document.mixin"]

    cou_complaint_ids = fields.One2many(
        comodel_name="cou.complaint",
        inverse_name="picking_id",
        string="Complaints",
        groups="crm_order_unified_complaint.group_cou_complaint_user",
    )

    def _get_cou_complaint_link_field(self):
        return "picking_id"
