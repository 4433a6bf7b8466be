from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    # === FIELDS === #
    # RFM window and campaign attribution rules
    cou_rfm_window_months = fields.Integer(
        related="company_id.cou_rfm_window_months", readonly=False
    )
    cou_attribution_touch = fields.Selection(
        related="company_id.cou_attribution_touch", readonly=False
    )
    cou_attribution_window_days = fields.Integer(
        related="company_id.cou_attribution_window_days", readonly=False
    )
    cou_attribution_model = fields.Selection(
        related="company_id.cou_attribution_model", readonly=False
    )
