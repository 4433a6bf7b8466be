from odoo import models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    # === BUSINESS METHODS === #

    def _cou_flow_invoice_policies(self):
        """A customer without a policy of its own follows its segment's
        (res.partner._cou_invoice_policy_segments): one query per company."""
        policies = super()._cou_flow_invoice_policies()
        unset = self.filtered(lambda o: not policies.get(o.id))
        for company in unset.company_id:
            orders = unset.filtered(lambda o, c=company: o.company_id == c)
            partners = orders.partner_id.commercial_partner_id
            segments = partners._cou_invoice_policy_segments(company)
            for order in orders:
                segment = segments.get(order.partner_id.commercial_partner_id.id)
                if segment:
                    policies[order.id] = segment.auto_invoice_policy
        return policies
