from odoo import api, models


class AccountPartialReconcile(models.Model):
    _inherit = "account.partial.reconcile"

    # Payments and reconciliations change the residual of receivable lines,
    # hence the customers' overdue amounts.

    @api.model_create_multi
    def create(self, vals_list):
        partials = super().create(vals_list)
        partials._cou_partners()._cou_mark_customer_360_dirty(["overdue"])
        return partials

    def unlink(self):
        partners = self._cou_partners()
        res = super().unlink()
        partners._cou_mark_customer_360_dirty(["overdue"])
        return res

    def _cou_partners(self):
        lines = self.debit_move_id | self.credit_move_id
        return lines.filtered(
            lambda aml: aml.account_type == "asset_receivable"
        ).partner_id
