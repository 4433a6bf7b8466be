from odoo import api, fields, models
from odoo.exceptions import UserError


class StockPicking(models.Model):
    _name = "stock.picking"
    _inherit = ["stock.picking", "cou.customer.context.mixin"]

    # === FIELDS === #

    cou_invoice_count = fields.Integer(
        string="Invoices",
        compute="_compute_cou_invoice_count",
    )

    # === COMPUTE METHODS === #

    @api.depends("sale_id.invoice_ids")
    def _compute_cou_invoice_count(self):
        for picking in self:
            picking.cou_invoice_count = len(picking.sale_id.invoice_ids)

    # === CRUD METHODS === #

    @api.model_create_multi
    def create(self, vals_list):
        pickings = super().create(vals_list)
        pickings._cou_refresh_delivery_figures()
        return pickings

    def write(self, vals):
        if not {"partner_id", "picking_type_id", "company_id", "state"} & set(vals):
            return super().write(vals)
        partners = self._cou_outgoing().partner_id
        res = super().write(vals)
        (partners | self._cou_outgoing().partner_id)._cou_mark_customer_360_dirty(
            ["deliveries"]
        )
        return res

    def unlink(self):
        partners = self._cou_outgoing().partner_id
        res = super().unlink()
        partners._cou_mark_customer_360_dirty(["deliveries"])
        return res

    # === ACTION METHODS === #

    def action_cou_view_sale_order(self):
        self.ensure_one()
        if not self.sale_id:
            raise UserError(
                self.env._(
                    "Transfer %(name)s does not come from a sale order.", name=self.name
                )
            )
        return {
            "type": "ir.actions.act_window",
            "res_model": "sale.order",
            "res_id": self.sale_id.id,
            "views": [(False, "form")],
        }

    def action_cou_view_invoices(self):
        self.ensure_one()
        if not self.sale_id.invoice_ids:
            raise UserError(
                self.env._(
                    "The sale order of transfer %(name)s has no invoice yet.",
                    name=self.name,
                )
            )
        return self.sale_id.action_view_invoice()

    # === BUSINESS METHODS === #

    def _cou_outgoing(self):
        return self.filtered(
            lambda p: p.partner_id and p.picking_type_code == "outgoing"
        )

    def _cou_refresh_delivery_figures(self):
        """Refresh the open-delivery count of the customers of these transfers."""
        self._cou_outgoing().partner_id._cou_mark_customer_360_dirty(["deliveries"])
