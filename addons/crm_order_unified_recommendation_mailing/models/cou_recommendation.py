from odoo import api, models

# the context key that asks for the wording customers read
CUSTOMER_AUDIENCE = "cou_recommendation_customer"


class CouRecommendation(models.Model):
    _inherit = "cou.recommendation"

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    @api.model
    def _format_reason(self, row, today):
        """In a mailing, the why in the customer's own terms: what they buy,
        never other customers' counts."""
        if not self.env.context.get(CUSTOMER_AUDIENCE):
            return super()._format_reason(row, today)
        if row["kind"] == "replenish":
            return self.env._(
                "You usually order this about every %(interval)s days.",
                interval=round(row.get("interval_days") or 0),
            )
        if row["kind"] == "upsell":
            return self.env._(
                "A step up from %(product)s.", product=row.get("reason_name") or ""
            )
        if row.get("source") == "popular":
            return self.env._("A favourite of our customers.")
        if row.get("reason_name"):
            return self.env._(
                "Often chosen together with %(product)s.", product=row["reason_name"]
            )
        return self.env._("Chosen by customers with purchases like yours.")
