from odoo import api, fields, models
from odoo.addons.base.models.res_partner import _tz_get

# Logical columns of an order-history file: (field on the mapping, required).
IMPORT_COLUMNS = [
    ("col_order_ref", True),
    ("col_date", True),
    ("col_customer_ref", False),
    ("col_customer_name", False),
    ("col_customer_email", False),
    ("col_country", False),
    ("col_product_code", True),
    ("col_product_name", False),
    ("col_quantity", True),
    ("col_price", True),
    ("col_currency", False),
]


class CouHistoryImportMapping(models.Model):
    """A saved column mapping (and parsing options) for order-history files.

    Presets (``is_preset``) ship with the addon, e.g. the UCI Online Retail
    invoice-lines layout; users save their own from the import wizard.
    """

    _name = "cou.history.import.mapping"
    _description = "Order History Import Mapping"
    _order = "is_preset desc, name"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

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

    col_order_ref = fields.Char(string="Order Reference Column", required=True)
    col_date = fields.Char(string="Order Date Column", required=True)
    col_customer_ref = fields.Char(string="Customer Reference Column")
    col_customer_name = fields.Char(string="Customer Name Column")
    col_customer_email = fields.Char(string="Customer Email Column")
    col_country = fields.Char(string="Country Column")
    col_product_code = fields.Char(string="Product Code Column", required=True)
    col_product_name = fields.Char(string="Product Name Column")
    col_quantity = fields.Char(string="Quantity Column", required=True)
    col_price = fields.Char(string="Unit Price Column", required=True)
    col_currency = fields.Char(
        string="Currency Column",
        help="ISO code of the currency of each row; when empty, every row is in the default currency.",
    )

    delimiter = fields.Selection(
        selection=[(",", "Comma"), (";", "Semicolon"), ("\t", "Tab"), ("|", "Pipe")],
        string="Delimiter",
        default=",",
        required=True,
    )
    decimal_separator = fields.Selection(
        selection=[(".", "Dot (1234.56)"), (",", "Comma (1234,56)")],
        string="Decimal Separator",
        default=".",
        required=True,
    )
    date_format = fields.Char(
        string="Date Format",
        help="strftime format of the date column, e.g. %d/%m/%Y %H:%M. "
        "Leave empty for ISO dates (2010-12-01 08:26:00).",
    )
    timezone = fields.Selection(
        selection=_tz_get,
        string="Timezone of the Dates",
        help="Dates in the file are local times of this timezone. Empty: UTC.",
    )
    default_currency_id = fields.Many2one(
        comodel_name="res.currency",
        string="Default Currency",
        help="Currency of rows without a currency column or value. Empty: the company currency.",
    )
    cancel_prefix = fields.Char(
        string="Cancellation Prefix",
        default="C",
        help="Order references starting with this prefix are cancellations or returns.",
    )
    adjustment_prefix = fields.Char(
        string="Adjustment Prefix",
        default="A",
        help="Order references starting with this prefix are accounting adjustments: dropped and reported.",
    )
    non_product_codes = fields.Char(
        string="Non-Product Codes",
        help="Comma-separated product codes that are not goods (postage, fees, manual lines); "
        "* matches any text, e.g. POST, DOT, M, gift_0001_*",
    )

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    @api.model
    def _get_column_fields(self):
        """Names of the mapping fields holding file columns, in file-layout order."""
        return [fname for fname, _required in IMPORT_COLUMNS]

    def _get_import_settings(self):
        """The mapping as a plain dict (the import engine works on plain data)."""
        self.ensure_one()
        settings = {fname: (self[fname] or "").strip() for fname in self._get_column_fields()}
        settings.update(
            delimiter=self.delimiter or ",",
            decimal_separator=self.decimal_separator or ".",
            date_format=self.date_format or "",
            timezone=self.timezone or "",
            default_currency_id=self.default_currency_id.id,
            cancel_prefix=self.cancel_prefix or "",
            adjustment_prefix=self.adjustment_prefix or "",
            non_product_codes=self.non_product_codes or "",
        )
        return settings
