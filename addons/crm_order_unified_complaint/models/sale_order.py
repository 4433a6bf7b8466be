from odoo import fields, models


class SaleOrder(models.Model):
    _name = "sale.order"
    _inherit = ["sale.order", "cou.complaint.document.mixin"]

    cou_complaint_ids = fields.One2many(
        comodel_name="cou.complaint",
        inverse_name="sale_order_id",
        string="Complaints",
        groups="crm_order_unified_complaint.group_cou_complaint_user",
    )

    def _get_cou_complaint_link_field(self):
        return "sale_order_id"
