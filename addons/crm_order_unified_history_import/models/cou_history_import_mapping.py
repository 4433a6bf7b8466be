from odoo import api, fields, models

from .cou_history_import_parser import REQUIRED_COLUMN_FIELDS


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

    # === BUSINESS METHODS === #

    @api.model
    def _match_header(self, header, company):
        """The mapping that fits a file's header best, and its columns as
        named in this header: ``(mapping or empty recordset, {column field:
        header name})``.

        A mapping fits when each of its required columns is in the header,
        by its own name or by a name the parser recognises for the same
        column (``HEADER_SYNONYMS``: InvoiceNo for Invoice, 受注番号…); the
        one with the most required columns found by their own name wins (the
        generic preset on a tie). Without any
        fitting mapping, the recognised columns alone."""
        Parser = self.env["cou.history.import.parser"]
        guessed = Parser._guess_columns(header)
        by_key = {}
        for title in header:
            by_key.setdefault(Parser._header_key(title), title.strip())
        best, best_columns, best_score = self.browse(), guessed, -1
        mappings = self.search([("company_id", "in", (False, company.id))])
        # on a tie, the generic preset (whatever the mappings' translated names)
        mappings = mappings.sorted(lambda m: m.code != "generic")
        for mapping in mappings:
            columns, score, fits = {}, 0, True
            for fname in self._get_column_fields():
                wanted = (mapping[fname] or "").strip()
                if not wanted:
                    continue
                if Parser._header_key(wanted) in by_key:
                    columns[fname] = by_key[Parser._header_key(wanted)]
                    score += fname in REQUIRED_COLUMN_FIELDS
                elif fname in guessed and Parser._guess_columns([wanted]).get(fname):
                    columns[fname] = guessed[fname]
                elif fname in REQUIRED_COLUMN_FIELDS:
                    fits = False
                    break
            if fits and score > best_score:
                best, best_columns, best_score = mapping, columns, score
        if best:
            # columns the mapping leaves empty but the header names clearly
            for fname, title in guessed.items():
                if fname not in best_columns and title not in best_columns.values():
                    best_columns[fname] = title
        return best, best_columns
