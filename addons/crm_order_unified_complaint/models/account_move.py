from odoo import fields, models


class AccountMove(models.Model):
    _name = "account.move"
    _inherit = ["account.move", "cou.complaint.document.mixin"]

    cou_complaint_ids = fields.One2many(
        comodel_name="cou.complaint",
        inverse_name="invoice_id",
        string="Complaints",
        groups="crm_order_unified_complaint.group_cou_complaint_user",
    )

    def _get_cou_complaint_link_field(self):
        return "invoice_id"
