from odoo import fields, models


class CouHistoryImportMapping(models.Model):
    """A saved column mapping (and parsing options) for order-history files.

    Presets (``is_preset``) ship with the addon, e.g. the UCI Online Retail
    invoice-lines layout; users save their own from the import wizard.
    """

    _name = "cou.history.import.mapping"
    _inherit = ["cou.history.import.columns.mixin"]
    _description = "Order History Import Mapping"
    _order = "is_preset desc, name"

    # === FIELDS === #

    name = fields.Char(string="Mapping Name", required=True, translate=True)
    code = fields.Char(
        string="Preset Code",
        help="Short technical name used on the command line (--preset).",
    )
    is_preset = fields.Boolean(string="Preset")
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        comodel_name="res.company",
        string="Company",
        help="Leave empty to share the mapping between companies.",
    )

    # columns and settings: see cou.history.import.columns.mixin
    col_order_ref = fields.Char(required=True)
    col_date = fields.Char(required=True)
    col_product_code = fields.Char(required=True)
    col_quantity = fields.Char(required=True)
    col_price = fields.Char(required=True)
    col_currency = fields.Char(
        help="ISO code of the currency of each row; when empty, every row is in the "
        "default currency.",
    )
    date_format = fields.Char(
        help="strftime format of the date column, e.g. %d/%m/%Y %H:%M. "
        "Leave empty for ISO dates (2010-12-01 08:26:00).",
    )
    timezone = fields.Selection(
        help="Dates in the file are local times of this timezone. Empty: UTC.",
    )
    default_currency_id = fields.Many2one(
        help="Currency of rows without a currency column or value. Empty: the company "
        "currency.",
    )
    cancel_prefix = fields.Char(
        help="Order references starting with this prefix are cancellations or returns.",
    )
    adjustment_prefix = fields.Char(
        help="Order references starting with this prefix are accounting adjustments: "
        "dropped and reported.",
    )
    non_product_codes = fields.Char(
        help="Comma-separated product codes that are not goods (postage, fees, manual "
        "lines); "
        "* matches any text, e.g. POST, DOT, M, gift_0001_*",
    )
