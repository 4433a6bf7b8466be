from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    cou_recommendation_portal = fields.Boolean(
        related="company_id.cou_recommendation_portal", readonly=False
    )
    cou_recommendation_build_date = fields.Datetime(
        related="company_id.cou_recommendation_build_date"
    )

    # ------------------------------------------------------------
    # ACTION METHODS
    # ------------------------------------------------------------

    def action_cou_recommendation_rebuild(self):
        """Rebuild the current company's suggestions now (as superuser: for
        who may change the settings)."""
        self.ensure_one()
        self.check_access("write")
        self.env["cou.recommendation"].sudo()._rebuild(self.env.company)
        return {"type": "ir.actions.client", "tag": "reload"}
