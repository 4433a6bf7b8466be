from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    # === FIELDS === #

    # Capabilities of the Customer Hub, each its own addon: ticking one
    # installs it (the ``module_*`` pattern of the Sales and Inventory settings).
    module_crm_order_unified_complaint = fields.Boolean(
        string="Complaints",
        help="Complaint tickets tied to orders, deliveries, invoices and products, "
        "with teams, SLA, email intake, portal and satisfaction ratings.",
    )
    module_crm_order_unified_segment = fields.Boolean(
        string="Segments and Campaigns",
        help="RFM scores, rule and static segments kept current, segment mailings "
        "and campaign attribution (installs Email Marketing).",
    )
    module_crm_order_unified_history_import = fields.Boolean(
        string="Order History Import",
        help="Import years of order lines from another system (CSV or Excel).",
    )
    module_crm_order_unified_care = fields.Boolean(
        string="Care Rules",
        help="Customer attributes (sensitive skin, allergies...) and caution rules "
        "that warn at order entry.",
    )
    module_crm_order_unified_forecast = fields.Boolean(
        string="Forecasts",
        help="Order forecasts by product, category, segment and company, and the "
        "customers due to reorder.",
    )
    module_crm_order_unified_recommendation = fields.Boolean(
        string="Recommendations",
        help="Cross-sell, upsell and replenishment suggestions from purchase history.",
    )
    module_crm_order_unified_order_flow = fields.Boolean(
        string="Order Flow",
        help="Stock and credit checks on confirmation, automatic confirmation and "
        "invoicing, duplicate customers.",
    )
