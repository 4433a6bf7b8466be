from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .cou_recommendation import CUSTOMER_AUDIENCE

# the most suggestions one mailing block may show
MAX_SUGGESTIONS = 10
# who may read a customer's suggestions for a mailing (the mailing's rendering
# by the mailing queue runs as superuser)
MAIL_DATA_GROUPS = (
    "crm_order_unified.group_crm_order_unified_user,"
    "mass_mailing.group_mass_mailing_user"
)


class ResPartner(models.Model):
    _inherit = "res.partner"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    cou_recommendation_mail_data = fields.Json(
        string="Suggestions for Mailings",
        compute="_compute_cou_recommendation_mail_data",
        groups=MAIL_DATA_GROUPS,
        help="The contact's product suggestions as a mailing shows them (name, "
        "price, reason), for the number asked in the context.",
    )

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends_context("lang", "company", "cou_recommendation_limit")
    def _compute_cou_recommendation_mail_data(self):
        self._cou_recommendation_mail_fill(self, self)

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def cou_recommended_products(self, limit=3):
        """The suggestions a mailing shows this recipient, best first:
        ``[{"name", "price", "reason", "kind", "product_id"}]``, reasons
        worded for the customer, prices from their pricelist.

        Meant for a mailing body (``object.cou_recommended_products(3)``, as
        the *Suggested Products* block renders it): computed once for every
        recipient of the batch being rendered (the records' prefetch set),
        in a constant number of queries per language and pricelist."""
        limit = self._cou_recommendation_mail_limit(limit)
        records = self.with_context(cou_recommendation_limit=limit)
        return [
            suggestion
            for record in records
            for suggestion in record.cou_recommendation_mail_data or []
        ]

    @api.model
    def _cou_recommendation_mail_limit(self, limit):
        """``limit`` (from a mailing template or a JSON-RPC call) checked:
        the user's rights first, then a number of suggestions in range."""
        if not self.env.su and not any(
            self.env.user.has_group(group) for group in MAIL_DATA_GROUPS.split(",")
        ):
            raise AccessError(
                self.env._(
                    "Only Customer Hub and mass mailing users may read the product "
                    "suggestions of customers."
                )
            )
        if limit is None or limit is False:
            limit = 3
        if isinstance(limit, bool) or not isinstance(limit, int):
            raise UserError(
                self.env._("The number of suggestions must be a whole number.")
            )
        return max(1, min(limit, MAX_SUGGESTIONS))

    @api.model
    def _cou_recommendation_mail_fill(self, records, partners):
        """Set ``cou_recommendation_mail_data`` of ``records`` from the
        suggestions of ``partners`` (aligned; an empty partner gets none).
        Read as superuser, as the portal page does: the block shows a
        recipient their own suggestions, whoever sends the mailing."""
        limit = self.env.context.get("cou_recommendation_limit") or 3
        company = self.env.company
        default_lang = self.env.lang or "en_US"
        groups = {}
        for record, partner in zip(records, partners, strict=False):
            record.cou_recommendation_mail_data = []
            if partner:
                key = (partner.lang or default_lang, partner.property_product_pricelist)
                groups.setdefault(key, []).append((record, partner))
        for (lang, pricelist), members in groups.items():
            Recommendation = (
                self.env["cou.recommendation"]
                .sudo()
                .with_company(company)
                .with_context(lang=lang, **{CUSTOMER_AUDIENCE: True})
            )
            contacts = self.env["res.partner"].union(*(p for _r, p in members))
            suggestions = Recommendation.get_recommendations(
                contacts.ids, limit=limit, kinds=["cross_sell", "upsell", "replenish"]
            )
            currency = pricelist.currency_id or company.currency_id
            Product = (
                self.env["product.product"]
                .sudo()
                .with_company(company)
                .with_context(lang=lang)
            )
            for record, partner in members:
                described = Product._cou_recommendation_describe(
                    suggestions.get(partner.id, []), currency, pricelist, partner
                )
                record.cou_recommendation_mail_data = [
                    {
                        "product_id": item["product_id"],
                        "kind": item["kind"],
                        "name": item["name"],
                        "price": item["price_display"],
                        "reason": item["reason"],
                    }
                    for item in described
                ]
