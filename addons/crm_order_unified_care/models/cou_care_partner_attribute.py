from odoo import api, fields, models
from odoo.tools import SQL


class CouCarePartnerAttribute(models.Model):
    """A care attribute held by a customer (commercial entity).

    ``manual`` links are set by hand (through ``res.partner.care_attribute_ids``);
    ``derived`` links are written set-based by ``cou.care.derivation._recompute``,
    one per customer and derivation rule, with the orders that made them.
    """

    _name = "cou.care.partner.attribute"
    _description = "Customer Care Attribute Assignment"
    _order = "partner_id, attribute_id, id"
    _rec_name = "attribute_id"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        required=True,
        index=True,
        ondelete="cascade",
        domain="[('is_company', '=', True)]",
    )
    attribute_id = fields.Many2one(
        comodel_name="cou.care.attribute",
        string="Attribute",
        required=True,
        index=True,
        ondelete="cascade",
    )
    attribute_color = fields.Integer(related="attribute_id.color")
    source = fields.Selection(
        selection=[("manual", "Set by hand"), ("derived", "Derived from orders")],
        required=True,
        default="manual",
        readonly=True,
    )
    derivation_id = fields.Many2one(
        comodel_name="cou.care.derivation",
        string="Derivation Rule",
        readonly=True,
        index="btree_not_null",
        ondelete="cascade",
    )
    order_ids = fields.Many2many(
        comodel_name="sale.order",
        relation="cou_care_partner_attribute_sale_order_rel",
        column1="link_id",
        column2="order_id",
        string="Orders",
        readonly=True,
        help="The confirmed orders that derived the attribute.",
    )
    order_count = fields.Integer(compute="_compute_order_count")
    company_id = fields.Many2one(
        comodel_name="res.company",
        string="Company",
        readonly=True,
        index=True,
        help="Company of the orders a derived attribute comes from; empty when set "
        "by hand.",
    )

    _sql_constraints = [
        (
            "partner_derivation_uniq",
            "unique(partner_id, derivation_id)",
            "A derivation rule gives a customer its attribute once.",
        ),
    ]

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("order_ids")
    def _compute_order_count(self):
        for link in self:
            link.order_count = len(link.order_ids)

    # ------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------

    def init(self):
        # one manual link per customer and attribute
        self.env.cr.execute(
            SQL(
                "CREATE UNIQUE INDEX IF NOT EXISTS"
                " cou_care_partner_attribute_manual_uniq"
                " ON cou_care_partner_attribute (partner_id, attribute_id)"
                " WHERE source = 'manual'"
            )
        )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("partner_id"):
                partner = self.env["res.partner"].browse(vals["partner_id"])
                vals["partner_id"] = partner.commercial_partner_id.id
        links = super().create(vals_list)
        self.env["res.partner"].invalidate_model(["care_attribute_ids"])
        return links

    def write(self, vals):
        res = super().write(vals)
        self.env["res.partner"].invalidate_model(["care_attribute_ids"])
        return res

    def unlink(self):
        res = super().unlink()
        self.env["res.partner"].invalidate_model(["care_attribute_ids"])
        return res

    # ------------------------------------------------------------
    # ACTION METHODS
    # ------------------------------------------------------------

    def action_view_orders(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._(
                "Orders behind %(attribute)s", attribute=self.attribute_id.display_name
            ),
            "res_model": "sale.order",
            "view_mode": "list,form",
            "domain": [("id", "in", self.order_ids.ids)],
        }
