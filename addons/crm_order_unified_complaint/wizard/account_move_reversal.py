from odoo import fields, models


class AccountMoveReversal(models.TransientModel):
    _inherit = "account.move.reversal"

    # === FIELDS === #
    cou_complaint_id = fields.Many2one(
        comodel_name="cou.complaint",
        string="Complaint",
        help="Complaint the credit note is created for; the credit note is linked back "
        "to it.",
    )

    # === BUSINESS METHODS === #
    def reverse_moves(self, is_modify=False):
        action = super().reverse_moves(is_modify=is_modify)
        if self.cou_complaint_id and self.new_move_ids:
            self.cou_complaint_id._link_credit_notes(self.new_move_ids)
        return action
