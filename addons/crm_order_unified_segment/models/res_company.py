from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    # === FIELDS === #
    # RFM window and campaign attribution rules
    cou_rfm_window_months = fields.Integer(
        string="RFM Window (months)",
        default=24,
        help="Orders and credit notes of this many months, up to today, feed the RFM "
        "scores.",
    )
    cou_attribution_touch = fields.Selection(
        selection=[
            ("utm", "Campaign on the order only"),
            ("click", "Campaign on the order, else a clicked mailing"),
            ("received", "Campaign on the order, else a received or clicked mailing"),
        ],
        string="Attribute Orders To",
        default="click",
        required=True,
        help="An order carrying a campaign (UTM) is always attributed to it. "
        "Otherwise, when allowed here, "
        "it is attributed to the campaign of a mailing the customer clicked (or "
        "received) within the "
        "attribution window before ordering.",
    )
    cou_attribution_window_days = fields.Integer(
        string="Attribution Window (days)",
        default=7,
        help="A mailing touch counts for orders placed up to this many days later.",
    )
    cou_attribution_model = fields.Selection(
        selection=[("last", "Last touch"), ("first", "First touch")],
        string="Attribution Model",
        default="last",
        required=True,
        help="Which mailing touch wins when several campaigns touched the customer "
        "within the window.",
    )
