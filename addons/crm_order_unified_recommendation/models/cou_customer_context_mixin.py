from odoo import api, models

CONTEXT_PANEL_LIMIT = 5


class CouCustomerContextMixin(models.AbstractModel):
    """The customer's best suggestions in the customer context panel of
    deliveries and invoices (read-only, with their reasons); the sale order
    overrides :meth:`cou_recommendation_panel_data` with its Suggested tab
    (one-click add, without the products already on the order)."""

    _inherit = "cou.customer.context.mixin"

    # ------------------------------------------------------------
    # ACTION METHODS
    # ------------------------------------------------------------

    @api.readonly
    def cou_recommendation_panel_data(self):
        """What the suggestions of the customer context panel show."""
        self.ensure_one()
        self.check_access("read")
        partner = self.partner_id.commercial_partner_id
        if not partner or not self.env["cou.recommendation"].has_access("read"):
            return {"suggestions": [], "can_add": False}
        company = self._cou_recommendation_company()
        suggestions = (
            self.env["cou.recommendation"]
            .with_company(company)
            .get_recommendations(partner.ids, limit=CONTEXT_PANEL_LIMIT)[partner.id]
        )
        pricelist = partner.with_company(company).property_product_pricelist
        currency = pricelist.currency_id or company.currency_id
        return {
            "suggestions": self.env["product.product"]
            .with_company(company)
            ._cou_recommendation_describe(suggestions, currency, pricelist, partner),
            "can_add": False,
        }

    def _cou_recommendation_company(self):
        """The company whose suggestions the document shows: its own."""
        self.ensure_one()
        return self.company_id or self.env.company
