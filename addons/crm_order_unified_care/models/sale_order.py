from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .cou_care_rule import CARE_LEVEL_RANK, CARE_LEVELS

CARE_MANAGER_GROUP = "crm_order_unified.group_crm_order_unified_manager"
# levels logged as "shown" when an order holding them is saved
CARE_LOGGED_LEVELS = ("warning", "block")


class SaleOrder(models.Model):
    _inherit = "sale.order"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    care_level = fields.Selection(
        selection=[("none", "None"), *CARE_LEVELS],
        compute="_compute_care",
        help="Highest care level of the order's lines; 'None' when no caution rule "
        "matches.",
    )
    care_message = fields.Text(string="Care Warnings", compute="_compute_care")
    care_override_reason = fields.Text(
        string="Override Reason", readonly=True, copy=False
    )
    care_override_user_id = fields.Many2one(
        comodel_name="res.users",
        string="Overridden By",
        readonly=True,
        copy=False,
    )
    care_override_date = fields.Datetime(
        string="Overridden On", readonly=True, copy=False
    )
    care_override_signature = fields.Char(
        readonly=True,
        copy=False,
        help="The blocking (line, rule) pairs the override was given for: "
        "a block added afterwards needs a new override.",
    )
    care_acknowledged_user_id = fields.Many2one(
        comodel_name="res.users",
        string="Acknowledged By",
        readonly=True,
        copy=False,
    )
    care_acknowledged_date = fields.Datetime(
        string="Acknowledged On", readonly=True, copy=False
    )

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends(
        "order_line.care_level", "order_line.care_message", "order_line.product_id"
    )
    def _compute_care(self):
        for order in self:
            lines = order.order_line.filtered(
                lambda line: line.care_level and line.care_level != "none"
            )
            if not lines:
                order.care_level = "none"
                order.care_message = False
                continue
            lines = lines.sorted(lambda line: -CARE_LEVEL_RANK[line.care_level])
            order.care_level = lines[0].care_level
            order.care_message = "\n".join(
                f"{line.product_id.display_name}: {line.care_message}" for line in lines
            )

    # ------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        orders = super().create(vals_list)
        orders._cou_care_log_shown()
        return orders

    def write(self, vals):
        res = super().write(vals)
        if {"order_line", "partner_id"} & set(vals):
            self._cou_care_log_shown()
        return res

    # ------------------------------------------------------------
    # ACTION METHODS
    # ------------------------------------------------------------

    def action_care_acknowledge(self):
        """The person taking the order read the care warnings (and told the
        customer): logged on the customer's timeline."""
        self.ensure_one()
        self.check_access("write")  # the event is written as superuser
        pairs = self._cou_care_pairs(CARE_LOGGED_LEVELS)
        if not pairs:
            raise UserError(
                self.env._("This order has no care warning to acknowledge.")
            )
        self.env["cou.care.event"].sudo().create(
            [
                self._cou_care_pair_event_vals("acknowledged", line, rule)
                for line, rule in pairs
            ]
        )
        self.sudo().write(
            {
                "care_acknowledged_user_id": self.env.uid,
                "care_acknowledged_date": fields.Datetime.now(),
            }
        )
        return True

    def action_care_override(self, reason):
        """Let a manager confirm an order that a care rule blocks, with
        ``reason``: logged on the customer's timeline."""
        self.ensure_one()
        self._cou_care_check_manager()
        reason = reason.strip() if isinstance(reason, str) else ""
        if not reason:
            raise UserError(
                self.env._("Give the reason for overriding the care block.")
            )
        pairs = self._cou_care_pairs(("block",))
        if not pairs:
            raise UserError(self.env._("No care rule blocks this order."))
        self.env["cou.care.event"].sudo().create(
            [
                {
                    **self._cou_care_pair_event_vals("overridden", line, rule),
                    "reason": reason,
                }
                for line, rule in pairs
            ]
        )
        self.sudo().write(
            {
                "care_override_reason": reason,
                "care_override_user_id": self.env.uid,
                "care_override_date": fields.Datetime.now(),
                "care_override_signature": self._cou_care_signature(pairs),
            }
        )
        return True

    def _cou_care_check_manager(self):
        if not self.env.user.has_group(CARE_MANAGER_GROUP):
            raise AccessError(
                self.env._("Only a Customer Hub manager can override a care block.")
            )

    def action_open_care_override(self):
        self.ensure_one()
        self._cou_care_check_manager()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Override Care Block"),
            "res_model": "cou.care.override",
            "view_mode": "form",
            "target": "new",
            "context": {"default_order_id": self.id},
        }

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _confirmation_error_message(self):
        error = super()._confirmation_error_message()
        if error or self.care_level != "block":
            return error
        pairs = self._cou_care_pairs(("block",))
        if self.care_override_date and set(
            self._cou_care_signature(pairs).split()
        ) <= set((self.care_override_signature or "").split()):
            return False
        return self.env._(
            "A care rule blocks this order for %(customer)s:\n%(lines)s\n"
            "Choose an alternative, or ask a Customer Hub manager to override the "
            "block with a reason.",
            customer=self.partner_id.commercial_partner_id.display_name,
            lines="\n".join(
                f"- {line.product_id.display_name}: {rule.message}"
                for line, rule in pairs
            ),
        )

    def _action_confirm(self):
        res = super()._action_confirm()
        # confirmed orders may give their customers derived care attributes
        self.env["cou.care.derivation"]._mark_partners_dirty(self.partner_id)
        return res

    def _cou_care_pairs(self, levels):
        """The (line, rule) pairs of the order whose rule level is in ``levels``."""
        self.ensure_one()
        matches = self.order_line._get_care_matches()
        return [
            (line, rule)
            for line in self.order_line
            for rule in matches.get(line, [])
            if rule.level in levels
        ]

    @api.model
    def _cou_care_signature(self, pairs):
        return " ".join(sorted(f"{line.id}:{rule.id}" for line, rule in pairs))

    def _cou_care_event_vals(self, event_type):
        self.ensure_one()
        return {
            "event_type": event_type,
            "order_id": self.id,
            "partner_id": self.partner_id.id,
            "company_id": self.company_id.id,
            "user_id": self.env.uid,
        }

    def _cou_care_pair_event_vals(self, event_type, line, rule):
        return {
            **self._cou_care_event_vals(event_type),
            "order_line_id": line.id,
            "rule_id": rule.id,
            "attribute_id": rule.attribute_id.id,
            "product_id": line.product_id.id,
            "level": rule.level,
            "message": rule.message,
        }

    def _cou_care_log_shown(self):
        """Log once per line and rule the warnings shown on quotations."""
        orders = self.filtered(
            lambda order: order.state in ("draft", "sent") and order.partner_id
        )
        if not orders:
            return
        matches = orders.order_line._get_care_matches()
        pairs = [
            (line, rule)
            for line, rules in matches.items()
            for rule in rules
            if rule.level in CARE_LOGGED_LEVELS
        ]
        if not pairs:
            return
        Event = self.env["cou.care.event"].sudo()
        logged = {
            (event.order_line_id.id, event.rule_id.id, event.product_id.id)
            for event in Event.search(
                [("order_id", "in", orders.ids), ("event_type", "=", "shown")]
            )
        }
        vals_list = [
            line.order_id._cou_care_pair_event_vals("shown", line, rule)
            for line, rule in pairs
            if (line.id, rule.id, line.product_id.id) not in logged
        ]
        if vals_list:
            Event.create(vals_list)
