from odoo import fields, models


class StockReturnPicking(models.TransientModel):
    _inherit = "stock.return.picking"

    # === FIELDS === #
    cou_complaint_id = fields.Many2one(
        comodel_name="cou.complaint",
        string="Complaint",
        help="Complaint the return is created for; the return is linked back to it.",
    )

    # === BUSINESS METHODS === #
    def _create_return(self):
        new_picking = super()._create_return()
        if self.cou_complaint_id:
            self.cou_complaint_id._link_return_pickings(new_picking)
        return new_picking
