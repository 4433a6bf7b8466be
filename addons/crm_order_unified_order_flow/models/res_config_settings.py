from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    # === FIELDS === #

    cou_flow_stock_check = fields.Boolean(
        related="company_id.cou_flow_stock_check", readonly=False
    )
    cou_flow_credit_check = fields.Boolean(
        related="company_id.cou_flow_credit_check", readonly=False
    )
    cou_flow_overdue_tolerance = fields.Float(
        related="company_id.cou_flow_overdue_tolerance", readonly=False
    )
    cou_flow_overdue_grace_days = fields.Integer(
        related="company_id.cou_flow_overdue_grace_days", readonly=False
    )
    cou_flow_portal_confirm = fields.Selection(
        related="company_id.cou_flow_portal_confirm", readonly=False
    )
