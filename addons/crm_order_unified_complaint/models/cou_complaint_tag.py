from random import randint

from odoo import fields, models


class CouComplaintTag(models.Model):
    _name = "cou.complaint.tag"
    _description = "Complaint Tag"
    _order = "name"

    # === DEFAULTS === #
    def _default_color(self):
        return randint(1, 11)

    # === FIELDS === #
    name = fields.Char(required=True, translate=True)
    color = fields.Integer(default=_default_color)
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("name_uniq", "unique (name)", "A tag with this name already exists."),
    ]
