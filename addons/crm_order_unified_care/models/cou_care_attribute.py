from odoo import fields, models


class CouCareAttribute(models.Model):
    """A care attribute of a customer ("sensitive skin", "nut allergy",
    "vegan", "delivery by appointment"...): set by hand on the customer or
    derived from its purchase history (``cou.care.derivation``), and matched
    against products by the caution rules (``cou.care.rule``)."""

    _name = "cou.care.attribute"
    _description = "Customer Care Attribute"
    _order = "sequence, name, id"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    name = fields.Char(string="Attribute", required=True, translate=True)
    sequence = fields.Integer(default=10)
    color = fields.Integer()
    description = fields.Text(
        translate=True,
        help="What the attribute means for the people who take orders.",
    )
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        comodel_name="res.company",
        string="Company",
        index=True,
        help="Leave empty to share the attribute between companies.",
    )
    rule_ids = fields.One2many(
        comodel_name="cou.care.rule",
        inverse_name="attribute_id",
        string="Caution Rules",
    )
    derivation_ids = fields.One2many(
        comodel_name="cou.care.derivation",
        inverse_name="attribute_id",
        string="Derivation Rules",
    )
    partner_count = fields.Integer(string="Customers", compute="_compute_partner_count")

    _sql_constraints = [
        (
            "name_company_uniq",
            "unique(name, company_id)",
            "A care attribute with this name already exists.",
        ),
    ]

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    def _compute_partner_count(self):
        counts = dict(
            self.env["cou.care.partner.attribute"]._read_group(
                [("attribute_id", "in", self.ids)],
                ["attribute_id"],
                ["partner_id:count_distinct"],
            )
        )
        for attribute in self:
            attribute.partner_count = counts.get(attribute, 0)

    # ------------------------------------------------------------
    # ACTION METHODS
    # ------------------------------------------------------------

    def action_view_partners(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Customers: %(attribute)s", attribute=self.display_name),
            "res_model": "res.partner",
            "view_mode": "list,form",
            "domain": [("care_attribute_ids", "in", self.ids)],
        }
