from odoo import models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    # === BUSINESS METHODS === #

    def _cou_flow_queue_invoicing(self):
        """Called by the automated action "Delivery done: invoice the customer
        automatically" (data/cou_order_flow_automation_data.xml)."""
        self.filtered(
            lambda p: p.state == "done" and p.picking_type_code == "outgoing"
        ).sale_id._cou_flow_queue_invoicing()
