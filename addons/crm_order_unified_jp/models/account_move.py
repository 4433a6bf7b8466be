from odoo import models


class AccountMove(models.Model):
    """Qualified invoices (適格請求書) of Japanese companies: the issuer's
    registration number and the reduced-rate items are printed."""

    _inherit = "account.move"

    # === BUSINESS METHODS === #

    def _cou_jp_is_qualified_invoice(self):
        """A customer invoice or credit note of a company in Japan that has its
        registration number (T and 13 digits) in its tax ID."""
        self.ensure_one()
        company = self.company_id
        return bool(
            self.is_sale_document()
            and company.account_fiscal_country_id.code == "JP"
            and company.vat
        )
