from odoo import fields, models


class CouComplaintCategory(models.Model):
    """What a complaint is about: damaged goods, wrong item, late delivery..."""

    _name = "cou.complaint.category"
    _description = "Complaint Category"
    _order = "sequence, name, id"

    # === FIELDS === #
    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)
    company_id = fields.Many2one(
        comodel_name="res.company",
        string="Company",
        help="Leave empty to share the category between companies.",
    )

    _sql_constraints = [
        (
            "name_company_uniq",
            "unique (name, company_id)",
            "A category with this name already exists.",
        ),
    ]
