from odoo import models


class StockMove(models.Model):
    _inherit = "stock.move"

    def write(self, vals):
        # A transfer's state is computed from its moves: done/cancelled moves
        # can close an open delivery (and un-cancelling can reopen one).
        if vals.get("state") not in ("done", "cancel", "draft"):
            return super().write(vals)
        pickings = self.picking_id
        res = super().write(vals)
        pickings._cou_refresh_delivery_figures()
        return res
