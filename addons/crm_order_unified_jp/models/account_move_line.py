from odoo import models

# the reduced consumption tax rate (軽減税率): food and drinks, newspapers
JP_REDUCED_RATE = 8.0


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    # === BUSINESS METHODS === #

    def _cou_jp_is_reduced_rate(self):
        """The line is taxed at the reduced rate, marked ※ on qualified invoices."""
        self.ensure_one()
        return any(
            tax.amount_type == "percent" and tax.amount == JP_REDUCED_RATE
            for tax in self.tax_ids.flatten_taxes_hierarchy()
        )
