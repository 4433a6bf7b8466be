from odoo import Command, api, fields, models
from odoo.exceptions import UserError

SALE_MANAGER = "sales_team.group_sale_manager"


class CouOrderFlowCheck(models.TransientModel):
    """What the checks found when the salesperson confirms an order, with the
    choices: confirm anyway, ship what is available now and the rest later,
    move the delivery date, or ask a sales manager to approve the credit."""

    _name = "cou.order.flow.check"
    _description = "Order Confirmation Checks"

    # === FIELDS === #

    order_id = fields.Many2one(
        comodel_name="sale.order", required=True, readonly=True, ondelete="cascade"
    )
    line_ids = fields.One2many(
        comodel_name="cou.order.flow.check.line",
        inverse_name="check_id",
        string="Lines Short of Stock",
        readonly=True,
    )
    credit_message = fields.Text(string="Credit Check", readonly=True)
    is_manager = fields.Boolean(compute="_compute_is_manager")
    date_all_available = fields.Datetime(
        string="All Available On",
        compute="_compute_date_all_available",
        help="The first date every line can be served, from the planned receipts.",
    )

    # === COMPUTE METHODS === #

    def _compute_is_manager(self):
        self.is_manager = self.env.user.has_group(SALE_MANAGER)

    @api.depends("line_ids.date_available")
    def _compute_date_all_available(self):
        for check in self:
            dates = check.line_ids.mapped("date_available")
            check.date_all_available = max(dates) if dates and all(dates) else False

    # === ACTION METHODS === #

    def action_confirm_anyway(self):
        """Confirm as it is (the credit check still needs a manager)."""
        self.ensure_one()
        self._check_credit_allowed()
        return self._confirm()

    def action_split(self):
        """Ship what is available now; the rest follows as a backorder."""
        self.ensure_one()
        self._check_credit_allowed()
        self.order_id.picking_policy = "direct"
        self.order_id.message_post(
            message_type="comment",
            subtype_xmlid="mail.mt_note",
            body=self.env._(
                "Confirmed with partial shipping: what is in stock ships now, the "
                "rest as a backorder."
            ),
        )
        return self._confirm()

    def action_move_date(self):
        """Deliver everything at once, on the date it is all available."""
        self.ensure_one()
        self._check_credit_allowed()
        if not self.date_all_available:
            raise UserError(
                self.env._(
                    "No planned receipt covers every line: there is no date on which "
                    "the whole order can be delivered. Confirm anyway or ship in part."
                )
            )
        self.order_id.write(
            {"commitment_date": self.date_all_available, "picking_policy": "one"}
        )
        return self._confirm()

    def action_request_approval(self):
        """Ask the sales managers (the team leader first) to approve the order."""
        self.ensure_one()
        order = self.order_id
        manager = order.team_id.user_id
        if not manager or not manager.has_group(SALE_MANAGER):
            manager = (
                self.env["res.users"]
                .sudo()
                .search(
                    [
                        ("groups_id", "in", self.env.ref(SALE_MANAGER).id),
                        ("company_ids", "in", order.company_id.id),
                        ("share", "=", False),
                    ],
                    limit=1,
                )
            )
        order.activity_schedule(
            "mail.mail_activity_data_todo",
            summary=self.env._("Approve the credit check"),
            note=self.credit_message,
            user_id=(manager or self.env.user).id,
        )
        order.message_post(
            message_type="comment",
            subtype_xmlid="mail.mt_note",
            body=self.env._(
                "Approval of the credit check requested from %(manager)s.",
                manager=(manager or self.env.user).name,
            ),
        )
        return {"type": "ir.actions.act_window_close"}

    def action_approve(self):
        """A sales manager approves the order over the credit check."""
        self.ensure_one()
        if not self.env.user.has_group(SALE_MANAGER):
            raise UserError(
                self.env._("Only a sales manager can approve the credit check.")
            )
        self.order_id.write({"cou_flow_credit_approved_uid": self.env.uid})
        self.order_id.message_post(
            message_type="comment",
            subtype_xmlid="mail.mt_note",
            body=self.env._(
                "Credit check approved by %(manager)s: %(issue)s",
                manager=self.env.user.name,
                issue=self.credit_message,
            ),
        )
        return {"type": "ir.actions.act_window_close"}

    # === BUSINESS METHODS === #

    @api.model
    def _open_for(self, order, stock, credit):
        check = self.create(
            {
                "order_id": order.id,
                "credit_message": credit or False,
                "line_ids": [
                    Command.create(
                        {
                            "sale_line_id": line.id,
                            "qty_forecast": forecast,
                            "date_available": available,
                        }
                    )
                    for line, forecast, available in stock
                ],
            }
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Check and confirm"),
            "res_model": self._name,
            "res_id": check.id,
            "views": [(False, "form")],
            "target": "new",
        }

    def _check_credit_allowed(self):
        if (
            self.credit_message
            and not self.is_manager
            and not self.order_id.cou_flow_credit_approved_uid
        ):
            raise UserError(
                self.env._(
                    "The credit check needs a sales manager: request their approval."
                )
            )

    def _confirm(self):
        self.order_id.with_context(cou_flow_interactive=False).action_confirm()
        return {"type": "ir.actions.act_window_close"}
