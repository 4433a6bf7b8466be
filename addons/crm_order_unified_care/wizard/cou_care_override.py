from odoo import fields, models


class CouCareOverride(models.TransientModel):
    """Asks a manager for the reason to let a blocked order through."""

    _name = "cou.care.override"
    _description = "Override a Care Block"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    order_id = fields.Many2one(
        comodel_name="sale.order", string="Order", required=True, ondelete="cascade"
    )
    care_message = fields.Text(related="order_id.care_message")
    reason = fields.Text(required=True)

    # ------------------------------------------------------------
    # ACTION METHODS
    # ------------------------------------------------------------

    def action_override(self):
        self.ensure_one()
        self.order_id.action_care_override(self.reason)
        return {"type": "ir.actions.act_window_close"}
