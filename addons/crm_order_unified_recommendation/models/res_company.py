from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    cou_recommendation_portal = fields.Boolean(
        string="Suggestions on the Portal Quotation",
        help="Show the customer's product suggestions on the quotation page "
        "of the portal.",
    )
    cou_recommendation_build_date = fields.Datetime(
        string="Suggestions Built On",
        readonly=True,
        help="When the product suggestions were last built (the next incremental "
        "build starts from the orders changed since).",
    )
