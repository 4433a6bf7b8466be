from odoo import api, fields, models

from .res_partner import MAIL_DATA_GROUPS


class MailingContact(models.Model):
    """A mailing list contact gets the suggestions of the customer with the
    same email address (its commercial entity's history)."""

    _inherit = "mailing.contact"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    cou_recommendation_mail_data = fields.Json(
        string="Suggestions for Mailings",
        compute="_compute_cou_recommendation_mail_data",
        groups=MAIL_DATA_GROUPS,
    )

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("email_normalized")
    @api.depends_context("lang", "company", "cou_recommendation_limit")
    def _compute_cou_recommendation_mail_data(self):
        emails = {c.email_normalized for c in self if c.email_normalized}
        by_email = {}
        if emails:
            # one search for the batch; the first customer of an address wins
            for partner in (
                self.env["res.partner"]
                .sudo()
                .search(
                    [("email_normalized", "in", list(emails))],
                    order="is_company desc, id",
                )
            ):
                by_email.setdefault(partner.email_normalized, partner)
        Partner = self.env["res.partner"]
        partners = [by_email.get(c.email_normalized, Partner) for c in self]
        Partner._cou_recommendation_mail_fill(self, partners)

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def cou_recommended_products(self, limit=3):
        """See ``res.partner.cou_recommended_products``."""
        limit = self.env["res.partner"]._cou_recommendation_mail_limit(limit)
        records = self.with_context(cou_recommendation_limit=limit)
        return [
            suggestion
            for record in records
            for suggestion in record.cou_recommendation_mail_data or []
        ]
