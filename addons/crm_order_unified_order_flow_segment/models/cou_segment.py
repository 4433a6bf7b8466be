from odoo import api, fields, models
from odoo.exceptions import AccessError

from odoo.addons.crm_order_unified_order_flow.models.res_partner import (
    AUTO_INVOICE_POLICIES,
)

# who decides how a segment's customers are invoiced
SALE_MANAGER = "sales_team.group_sale_manager"


class CouSegment(models.Model):
    _inherit = "cou.segment"

    # === FIELDS === #

    auto_invoice_policy = fields.Selection(
        selection=AUTO_INVOICE_POLICIES,
        string="Automatic Invoicing",
        tracking=True,
        help="How the members are invoiced when they have no policy of their own "
        "(set on the customer, it wins). Empty: the segment sets no policy. When a "
        "customer is in several segments with a policy, the first segment in the "
        "segments' order (sequence) decides, also when its policy is No automatic "
        "invoicing.",
    )
    cou_can_set_invoice_policy = fields.Boolean(
        string="Can Set the Invoicing Policy",
        compute="_compute_cou_can_set_invoice_policy",
    )

    # === COMPUTE METHODS === #

    def _compute_cou_can_set_invoice_policy(self):
        self.cou_can_set_invoice_policy = self._cou_may_set_invoice_policy()

    # === CRUD METHODS === #

    @api.model_create_multi
    def create(self, vals_list):
        if any(vals.get("auto_invoice_policy") for vals in vals_list):
            self._cou_check_invoice_policy_rights()
        return super().create(vals_list)

    def write(self, vals):
        if "auto_invoice_policy" in vals:
            self._cou_check_invoice_policy_rights()
        return super().write(vals)

    # === BUSINESS METHODS === #

    @api.model
    def _cou_may_set_invoice_policy(self):
        return self.env.su or self.env.user.has_group(SALE_MANAGER)

    @api.model
    def _cou_check_invoice_policy_rights(self):
        if not self._cou_may_set_invoice_policy():
            raise AccessError(
                self.env._(
                    "Only a sales manager can set how a segment's customers are "
                    "invoiced."
                )
            )
