from odoo import api, models


class AccountPartialReconcile(models.Model):
    _inherit = "account.partial.reconcile"

    # Payments and reconciliations change the residual of receivable lines,
    # hence the customers' overdue amounts.

    @api.model_create_multi
    def create(self, vals_list):
        partials = super().create(vals_list)
        partials._cou_partners()._cou_refresh_customer_360(["overdue"])
        return partials

    def unlink(self):
        partners = self._cou_partners()
        res = super().unlink()
        partners._cou_refresh_customer_360(["overdue"])
        return res

    def _cou_partners(self):
        lines = self.debit_move_id | self.credit_move_id
        return lines.filtered(lambda l: l.account_type == "asset_receivable").partner_id
