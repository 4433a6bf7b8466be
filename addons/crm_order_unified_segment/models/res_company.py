from odoo import api, fields, models
from odoo.exceptions import ValidationError

MAX_RFM_WINDOW_MONTHS = 240
MAX_ATTRIBUTION_WINDOW_DAYS = 365


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

    # === CONSTRAINT METHODS === #
    @api.constrains("cou_rfm_window_months", "cou_attribution_window_days")
    def _check_cou_windows(self):
        for company in self:
            if not 1 <= company.cou_rfm_window_months <= MAX_RFM_WINDOW_MONTHS:
                raise ValidationError(
                    self.env._(
                        "The RFM window is between 1 and %(max)s months.",
                        max=MAX_RFM_WINDOW_MONTHS,
                    )
                )
            if (
                not 0
                <= company.cou_attribution_window_days
                <= MAX_ATTRIBUTION_WINDOW_DAYS
            ):
                raise ValidationError(
                    self.env._(
                        "The attribution window is between 0 and %(max)s days.",
                        max=MAX_ATTRIBUTION_WINDOW_DAYS,
                    )
                )
