from odoo import api, fields, models
from odoo.tools import create_index

from .cou_care_rule import CARE_LEVELS


class CouCareEvent(models.Model):
    """Log of the care warnings: shown at order entry, acknowledged,
    overridden by a manager, or answered by swapping to an alternative.
    Each event shows on the customer's timeline with who and when."""

    _name = "cou.care.event"
    _description = "Care Warning Event"
    _order = "date desc, id desc"
    _rec_name = "order_id"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    date = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now)
    event_type = fields.Selection(
        selection=[
            ("shown", "Warning shown"),
            ("acknowledged", "Warning acknowledged"),
            ("overridden", "Block overridden"),
            ("swapped", "Alternative chosen"),
        ],
        string="Event",
        required=True,
        readonly=True,
    )
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="User",
        required=True,
        readonly=True,
        default=lambda self: self.env.user,
    )
    order_id = fields.Many2one(
        comodel_name="sale.order",
        string="Order",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    order_line_id = fields.Many2one(
        comodel_name="sale.order.line",
        string="Order Line",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Contact",
        required=True,
        readonly=True,
        ondelete="cascade",
        help="The contact of the order.",
    )
    customer_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        related="partner_id.commercial_partner_id",
    )
    rule_id = fields.Many2one(
        comodel_name="cou.care.rule",
        string="Rule",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
    )
    attribute_id = fields.Many2one(
        comodel_name="cou.care.attribute",
        string="Attribute",
        readonly=True,
        ondelete="set null",
    )
    product_id = fields.Many2one(
        comodel_name="product.product",
        string="Product",
        readonly=True,
        ondelete="set null",
    )
    alternative_product_id = fields.Many2one(
        comodel_name="product.product",
        string="Chosen Alternative",
        readonly=True,
        ondelete="set null",
    )
    level = fields.Selection(selection=CARE_LEVELS, readonly=True)
    message = fields.Text(readonly=True)
    reason = fields.Text(readonly=True, help="Why a manager let the order through.")
    company_id = fields.Many2one(
        comodel_name="res.company",
        string="Company",
        required=True,
        readonly=True,
        index=True,
    )

    # ------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------

    def init(self):
        # the timeline reads the events of a customer's contacts by date
        create_index(
            self.env.cr,
            "cou_care_event_partner_id_date_idx",
            self._table,
            ["partner_id", "date"],
        )

    @api.depends("event_type", "order_id")
    def _compute_display_name(self):
        labels = dict(self._fields["event_type"]._description_selection(self.env))
        for event in self:
            event.display_name = " ".join(
                filter(None, [labels.get(event.event_type), event.order_id.name])
            )

    # ------------------------------------------------------------
    # ACTION METHODS
    # ------------------------------------------------------------

    def action_open_order(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "sale.order",
            "res_id": self.order_id.id,
            "view_mode": "form",
        }
