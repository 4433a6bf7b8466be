from odoo import api, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    # ------------------------------------------------------------
    # ACTION METHODS
    # ------------------------------------------------------------

    @api.readonly
    def cou_recommendation_panel_data(self):
        """What the Suggested panel of the customer form shows."""
        self.ensure_one()
        self.check_access("read")
        suggestions = self.env["cou.recommendation"].get_recommendations(
            self.ids, limit=8
        )[self.id]
        return {
            "suggestions": self.env["product.product"]._cou_recommendation_describe(
                suggestions,
                self.env.company.currency_id,
                self.property_product_pricelist,
                self,
            ),
            "can_add": False,
        }

    def action_cou_recommendation_view(self):
        """All stored suggestions of this customer."""
        self.ensure_one()
        self.env["cou.recommendation"].check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_order_unified_recommendation.cou_recommendation_action"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {}
        return action
