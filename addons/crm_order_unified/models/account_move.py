from odoo import api, fields, models
from odoo.exceptions import UserError


class AccountMove(models.Model):
    _name = "account.move"
    _inherit = ["account.move", "cou.customer.context.mixin"]

    # === FIELDS === #

    cou_delivery_count = fields.Integer(
        string="Deliveries",
        compute="_compute_cou_delivery_count",
    )

    # === COMPUTE METHODS === #

    @api.depends("invoice_line_ids.sale_line_ids.order_id.picking_ids")
    def _compute_cou_delivery_count(self):
        for move in self:
            move.cou_delivery_count = len(move._cou_get_deliveries())

    # === CRUD METHODS === #

    def write(self, vals):
        if not {"state", "partner_id", "company_id", "move_type"} & set(vals):
            return super().write(vals)
        partners = self._cou_customer_moves().partner_id
        res = super().write(vals)
        (partners | self._cou_customer_moves().partner_id)._cou_mark_customer_360_dirty(
            ["revenue", "overdue"]
        )
        return res

    # === ACTION METHODS === #

    def action_cou_view_deliveries(self):
        self.ensure_one()
        deliveries = self._cou_get_deliveries()
        if not deliveries:
            raise UserError(
                self.env._(
                    "Invoice %(name)s has no delivery: it comes from no sale order "
                    "with transfers.",
                    name=self.display_name,
                )
            )
        # one invoice may bill several orders (of several contacts): the action
        # only takes its defaults (customer, origin) from one of them
        orders = self.invoice_line_ids.sale_line_ids.order_id
        return orders[:1]._get_action_view_picking(deliveries)

    # === BUSINESS METHODS === #

    def _cou_get_deliveries(self):
        self.ensure_one()
        return self.invoice_line_ids.sale_line_ids.order_id.picking_ids

    def _cou_customer_moves(self):
        """Moves that can change a customer's revenue or receivables."""
        return self.filtered(
            lambda m: m.partner_id and not m.is_purchase_document(include_receipts=True)
        )
