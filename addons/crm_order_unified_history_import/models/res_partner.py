from collections import defaultdict

from odoo import models


class ResPartner(models.Model):
    _inherit = "res.partner"

    # === BUSINESS METHODS === #
    # imported history in the Customer 360 figures

    def _get_customer_360_revenue_rows(self):
        """Invoice revenue plus the revenue of imported orders that have no
        invoice in Odoo (see ``sale.order._cou_read_imported_revenue``)."""
        totals = defaultdict(float)
        for partner_id, company_id, amount in super()._get_customer_360_revenue_rows():
            totals[partner_id, company_id] += amount or 0.0
        for partner_id, company_id, amount in self.env[
            "sale.order"
        ]._cou_read_imported_revenue(self.ids):
            totals[partner_id, company_id] += amount
        return [
            (partner_id, company_id, amount)
            for (partner_id, company_id), amount in totals.items()
        ]
