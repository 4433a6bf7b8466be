from odoo import api, fields, models
from odoo.exceptions import UserError


class AccountMove(models.Model):
    _name = "account.move"
    _inherit = ["account.move", "cou.customer.context.mixin"]

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    cou_delivery_count = fields.Integer(
        string="Deliveries",
        compute="_compute_cou_delivery_count",
    )

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("invoice_line_ids.sale_line_ids.order_id.picking_ids")
    def _compute_cou_delivery_count(self):
        for move in self:
            move.cou_delivery_count = len(move._cou_get_deliveries())

    # ------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------

    def write(self, vals):
        if not {"state", "partner_id", "company_id", "move_type"} & set(vals):
            return super().write(vals)
        partners = self._cou_customer_moves().partner_id
        res = super().write(vals)
        (partners | self._cou_customer_moves().partner_id)._cou_refresh_customer_360(
            ["revenue", "overdue"]
        )
        return res

    # ------------------------------------------------------------
    # ACTION METHODS
    # ------------------------------------------------------------

    def action_cou_view_deliveries(self):
        self.ensure_one()
        deliveries = self._cou_get_deliveries()
        if not deliveries:
            raise UserError(
                self.env._("Invoice %(name)s has no delivery: it comes from no sale order "
                           "with transfers.", name=self.display_name)
            )
        # one invoice may bill several orders (of several contacts): the action
        # only takes its defaults (customer, origin) from one of them
        orders = self.invoice_line_ids.sale_line_ids.order_id
        return orders[:1]._get_action_view_picking(deliveries)

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _cou_get_deliveries(self):
        self.ensure_one()
        return self.invoice_line_ids.sale_line_ids.order_id.picking_ids

    def _cou_customer_moves(self):
        """Moves that can change a customer's revenue or receivables."""
        return self.filtered(
            lambda m: m.partner_id and not m.is_purchase_document(include_receipts=True)
        )

    # ------------------------------------------------------------
    # [complaint] complaints about the invoice (owned by the complaint
    # feature; logic in cou.complaint)
    # ------------------------------------------------------------

    cou_complaint_ids = fields.One2many(
        comodel_name="cou.complaint",
        inverse_name="invoice_id",
        string="Complaints",
        groups="crm_order_unified.group_cou_complaint_user",
    )
    cou_complaint_count = fields.Integer(
        string="Complaint Count",
        compute="_compute_cou_complaint_counts",
        groups="crm_order_unified.group_cou_complaint_user",
    )
    cou_open_complaint_count = fields.Integer(
        string="Open Complaint Count",
        compute="_compute_cou_complaint_counts",
        groups="crm_order_unified.group_cou_complaint_user",
    )

    cou_customer_open_complaint_ids = fields.Many2many(
        comodel_name="cou.complaint",
        string="Customer's Open Complaint List",
        compute="_compute_cou_customer_open_complaint_ids",
        groups="crm_order_unified.group_cou_complaint_user",
        help="Open complaints of the customer (all its contacts), shown in the Customer tab.",
    )

    @api.depends_context("uid")  # the complaints the user may read
    def _compute_cou_customer_open_complaint_ids(self):
        Complaint = self.env["cou.complaint"]
        open_by_customer = Complaint._get_open_by_customer(self.partner_id.commercial_partner_id)
        for move in self:
            move.cou_customer_open_complaint_ids = open_by_customer.get(
                move.partner_id.commercial_partner_id.id, Complaint
            )

    @api.depends_context("uid")  # the complaints the user may read
    def _compute_cou_complaint_counts(self):
        counts = self.env["cou.complaint"]._get_counts_by("invoice_id", self)
        for move in self:
            move.cou_complaint_count, move.cou_open_complaint_count = counts.get(move.id, (0, 0))

    def action_cou_view_complaints(self):
        self.ensure_one()
        return self.env["cou.complaint"]._get_action_for(
            [("invoice_id", "=", self.id)], {"default_invoice_id": self.id}
        )

    def action_cou_file_complaint(self):
        self.ensure_one()
        return self.env["cou.complaint"]._get_file_action({"default_invoice_id": self.id})
