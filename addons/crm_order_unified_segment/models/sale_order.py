from odoo import fields, models


class SaleOrder(models.Model):
    """Campaign attribution and RFM refresh at confirmation (logic in
    utm.campaign and cou.rfm.score)."""

    _inherit = "sale.order"

    # === FIELDS === #

    cou_attributed_campaign_id = fields.Many2one(
        comodel_name="utm.campaign",
        string="Attributed Campaign",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Campaign credited with this order, set at confirmation (see the "
        "attribution settings).",
    )
    cou_attribution_rule = fields.Selection(
        selection=[
            ("utm", "Campaign on the order"),
            ("mailing_click", "Mailing clicked"),
            ("mailing_received", "Mailing received"),
        ],
        string="Attribution Rule",
        readonly=True,
        copy=False,
    )
    cou_attribution_touch_date = fields.Datetime(
        string="Attribution Touch Date", readonly=True, copy=False
    )

    # === ACTION METHODS === #

    def _action_confirm(self):
        res = super()._action_confirm()
        self.env["utm.campaign"].sudo()._cou_attribute_orders(self)
        for company in self.company_id:
            orders = self.filtered(
                lambda order, company=company: order.company_id == company
            )
            self.env["cou.rfm.score"].sudo()._refresh_partners(
                orders.partner_id, company
            )
        return res
