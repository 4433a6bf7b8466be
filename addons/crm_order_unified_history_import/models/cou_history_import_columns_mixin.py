from odoo import api, fields, models

from odoo.addons.base.models.res_partner import _tz_get

from .cou_history_import_reader import ENCODINGS

# Logical columns of an order-history file: (field holding the file column, required).
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
# Parsing settings stored next to the columns.
IMPORT_SETTING_FIELDS = [
    "encoding",
    "delimiter",
    "decimal_separator",
    "date_format",
    "timezone",
    "default_currency_id",
    "cancel_prefix",
    "adjustment_prefix",
    "non_product_codes",
]


class CouHistoryImportColumnsMixin(models.AbstractModel):
    """The column mapping and parsing settings of an order-history file:
    saved on a mapping (``cou.history.import.mapping``, which makes the main
    columns required and adds help) and edited in the import wizard
    (``cou.history.import``).
    """

    _name = "cou.history.import.columns.mixin"
    _description = "Order History Import Columns"

    # === FIELDS === #

    col_order_ref = fields.Char(string="Order Reference Column")
    col_date = fields.Char(string="Order Date Column")
    col_customer_ref = fields.Char(string="Customer Reference Column")
    col_customer_name = fields.Char(string="Customer Name Column")
    col_customer_email = fields.Char(string="Customer Email Column")
    col_country = fields.Char(string="Country Column")
    col_product_code = fields.Char(string="Product Code Column")
    col_product_name = fields.Char(string="Product Name Column")
    col_quantity = fields.Char(string="Quantity Column")
    col_price = fields.Char(string="Unit Price Column")
    col_currency = fields.Char(string="Currency Column")

    encoding = fields.Selection(
        selection=ENCODINGS,
        string="File Encoding",
        help="Encoding of a CSV file. Empty: detected from the file's first bytes "
        "(the dry run shows what was detected).",
    )
    delimiter = fields.Selection(
        selection=[(",", "Comma"), (";", "Semicolon"), ("\t", "Tab"), ("|", "Pipe")],
        default=",",
        required=True,
    )
    decimal_separator = fields.Selection(
        selection=[(".", "Dot (1234.56)"), (",", "Comma (1234,56)")],
        default=".",
        required=True,
    )
    date_format = fields.Char()
    timezone = fields.Selection(selection=_tz_get, string="Timezone of the Dates")
    default_currency_id = fields.Many2one(
        comodel_name="res.currency", string="Default Currency"
    )
    cancel_prefix = fields.Char(string="Cancellation Prefix", default="C")
    adjustment_prefix = fields.Char(default="A")
    non_product_codes = fields.Char(string="Non-Product Codes")

    # === BUSINESS METHODS === #

    @api.model
    def _get_column_fields(self):
        """Names of the fields holding file columns, in file-layout order."""
        return [fname for fname, _required in IMPORT_COLUMNS]

    def _get_mapping_vals(self):
        """Columns and settings as values to write on another record of this mixin."""
        self.ensure_one()
        values = {fname: self[fname] for fname in self._get_column_fields()}
        values.update({fname: self[fname] for fname in IMPORT_SETTING_FIELDS})
        values["default_currency_id"] = self.default_currency_id.id
        values["delimiter"] = self.delimiter or ","
        values["decimal_separator"] = self.decimal_separator or "."
        return values

    def _get_import_settings(self):
        """Columns and settings as a plain dict (the import engine works on plain
        data)."""
        self.ensure_one()
        settings = {
            fname: (self[fname] or "").strip() for fname in self._get_column_fields()
        }
        settings.update(
            encoding=self.encoding or "",
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
