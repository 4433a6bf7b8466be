from odoo import fields, models


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    # === FIELDS === #

    cou_import_key = fields.Char(
        string="Import Line Key",
        readonly=True,
        copy=False,
        help="Original order reference and line number of an imported line (unique per "
        "company).",
    )

    _sql_constraints = [
        (
            "cou_import_key_company_uniq",
            "UNIQUE(company_id, cou_import_key)",
            "This imported order line already exists for this company.",
        ),
    ]
