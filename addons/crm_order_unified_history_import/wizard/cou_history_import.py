import base64
import json

from odoo import api, fields, models
from odoo.exceptions import UserError

# Files up to this size are imported in the request; larger ones by the cron worker.
SYNC_IMPORT_MAX_BYTES = 2 * 1024 * 1024


class CouHistoryImport(models.TransientModel):
    """Import order history: upload, map the columns, dry run, import."""

    _name = "cou.history.import"
    _inherit = ["cou.history.import.columns.mixin", "cou.history.import.options.mixin"]
    _description = "Import Order History"

    # === FIELDS === #

    state = fields.Selection(
        selection=[("upload", "Upload"), ("map", "Columns"), ("preview", "Dry Run")],
        default="upload",
        required=True,
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        string="Company",
        required=True,
        default=lambda self: self.env.company,
    )
    file = fields.Binary(attachment=False)
    file_name = fields.Char()
    mapping_id = fields.Many2one(
        comodel_name="cou.history.import.mapping",
        string="Mapping",
        domain="[('company_id', 'in', (False, company_id))]",
        help="A preset or a saved mapping of the file's columns.",
    )
    file_columns = fields.Char(string="Columns Found", readonly=True)
    file_encoding = fields.Char(
        string="Detected Encoding",
        readonly=True,
        help="Encoding detected from the file's first bytes; choose another "
        "encoding in the options when the first rows show wrong characters.",
    )
    file_preview_html = fields.Html(string="First Rows", readonly=True)
    save_mapping_name = fields.Char(string="Save Mapping As")

    # columns, settings and options: see cou.history.import.columns.mixin
    # and cou.history.import.options.mixin

    rows_total = fields.Integer(string="Rows", readonly=True)
    rows_rejected = fields.Integer(string="Rejected Rows", readonly=True)
    orders_count = fields.Integer(string="Orders to Create", readonly=True)
    lines_count = fields.Integer(string="Lines to Create", readonly=True)
    orders_skipped = fields.Integer(string="Orders Already Imported", readonly=True)
    customers_count = fields.Integer(string="New Customers", readonly=True)
    products_count = fields.Integer(string="New Products", readonly=True)
    summary_html = fields.Html(string="Report", readonly=True)
    rejected_file = fields.Binary(
        string="Rejected Rows (CSV)", readonly=True, attachment=False
    )
    rejected_file_name = fields.Char(string="Rejected Rows File Name", readonly=True)

    # === ONCHANGE METHODS === #

    @api.onchange("mapping_id")
    def _onchange_mapping_id(self):
        if self.mapping_id:
            self.update(self._get_mapping_values(self.mapping_id))

    # === ACTION METHODS === #

    def action_load_file(self):
        """Read the header, pick a matching preset, go to the column mapping."""
        self.ensure_one()
        self._check_manager()
        header, rows = self._read_head()
        encoding = self.env["cou.history.import.reader"]._detect_encoding(
            content=base64.b64decode(self.file), file_name=self.file_name or ""
        )
        values = {
            "state": "map",
            "file_columns": ", ".join(h for h in header if h),
            "file_encoding": self.env["cou.history.import.reader"]._get_encoding_label(
                encoding
            )
            or self.env._("(XLSX: none needed)"),
            "file_preview_html": self._get_preview_html(header, rows),
        }
        if not self.mapping_id:
            # the best preset or saved mapping, with the file's own header
            # names, else the columns recognised by their names alone
            mapping, columns = self.env["cou.history.import.mapping"]._match_header(
                header, self.company_id
            )
            if mapping:
                values["mapping_id"] = mapping.id
                values.update(self._get_mapping_values(mapping))
                # the encoding and delimiter the file was just read with stay
                values.pop("encoding", None)
                values.pop("delimiter", None)
            values.update(
                {
                    fname: columns.get(fname, False)
                    for fname in self._get_column_fields()
                }
            )
        self.write(values)
        return self._reopen()

    def action_save_mapping(self):
        self.ensure_one()
        self._check_manager()
        if not self.save_mapping_name:
            raise UserError(self.env._("Give the mapping a name to save it."))
        vals = self._get_mapping_vals()
        vals.update(name=self.save_mapping_name, company_id=self.company_id.id)
        if (
            not vals.get("col_order_ref")
            or not vals.get("col_date")
            or not vals.get("col_product_code")
            or not vals.get("col_quantity")
            or not vals.get("col_price")
        ):
            raise UserError(
                self.env._(
                    "Map the order reference, date, product code, quantity and price columns first."  # noqa: E501 (one translatable literal)
                )
            )
        self.mapping_id = self.env["cou.history.import.mapping"].create(vals)
        self.save_mapping_name = False
        return self._reopen()

    def action_dry_run(self):
        """Check every row and count what would be created, writing nothing."""
        self.ensure_one()
        self._check_manager()
        Run = self.env["cou.history.import.run"].with_company(self.company_id)
        parsed = Run._import_analyze(
            self._read_rows(),
            self._get_import_settings(),
            self._get_import_options(),
            self.company_id,
        )
        self.write(
            {
                "state": "preview",
                "rows_total": parsed["rows_total"],
                "rows_rejected": len(parsed["rejected"]),
                "orders_count": len(parsed["todo"]),
                "lines_count": parsed["lines_total"],
                "orders_skipped": parsed["orders_skipped"],
                "customers_count": len(parsed["new_customers"]),
                "products_count": len(parsed["new_products"]),
                "summary_html": Run._import_summary_html(parsed),
                "rejected_file": base64.b64encode(Run._import_rejected_csv(parsed)),
                "rejected_file_name": "{}-rejected.csv".format(
                    (self.file_name or "import").rsplit(".", 1)[0]
                ),
            }
        )
        return self._reopen()

    def action_back(self):
        self.ensure_one()
        self.state = "map" if self.state == "preview" else "upload"
        return self._reopen()

    def action_import(self):
        """Create the import run and run it: now for small files, else in the
        background."""
        self.ensure_one()
        self._check_manager()
        header, _rows = (
            self._read_head()
        )  # fails early on an unreadable file or a bad mapping
        self.env["cou.history.import.parser"]._column_indexes(
            header, self._get_import_settings()
        )
        content = base64.b64decode(self.file)
        Run = self.env["cou.history.import.run"].with_company(self.company_id)
        Run._import_check_document_rights(
            self._get_import_options(), company=self.company_id
        )
        attachment = self.env["ir.attachment"].create(
            {
                "name": self.file_name or "import.csv",
                "raw": content,
                "res_model": "cou.history.import.run",
            }
        )
        run = Run._import_create_run(
            {
                "company_id": self.company_id.id,
                "file_name": self.file_name,
                "attachment_id": attachment.id,
                "mapping_id": self.mapping_id.id,
                "settings_json": json.dumps(self._get_import_settings()),
                **self._get_import_options(),
            }
        )
        if len(content) <= SYNC_IMPORT_MAX_BYTES or not run._import_can_commit():
            run.action_process()
        else:
            run.action_queue()
        return {
            "type": "ir.actions.act_window",
            "res_model": "cou.history.import.run",
            "res_id": run.id,
            "views": [(False, "form")],
            "target": "current",
        }

    # === BUSINESS METHODS === #

    def _check_manager(self):
        self.env["cou.history.import.run"]._import_check_access()
        if not self.file:
            raise UserError(self.env._("Upload a CSV or XLSX file first."))

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "views": [(False, "form")],
            "target": "new",
        }

    @api.model
    def _get_mapping_values(self, mapping):
        return mapping._get_mapping_vals()

    def _get_import_options(self):
        return self._import_options()

    def _read_rows(self):
        return self.env["cou.history.import.reader"]._read_rows(
            content=base64.b64decode(self.file),
            file_name=self.file_name or "",
            delimiter=self.delimiter or ",",
            encoding=self.encoding or None,
        )

    def _read_head(self, count=5):
        """The header (the first row that is not blank) and the next rows, as
        the preview shows them (NUL bytes dropped)."""
        rows = ([cell.replace("\x00", "") for cell in row] for row in self._read_rows())
        header = []
        for header in rows:
            if any(cell.strip() for cell in header):
                break
        if not any(cell.strip() for cell in header):
            raise UserError(self.env._("The file is empty."))
        header = [cell.strip().lstrip("\ufeff").strip() for cell in header]
        first = []
        for row in rows:
            first.append(row)
            if len(first) >= count:
                break
        if len(header) < 2:
            raise UserError(
                self.env._(
                    "Only one column was found: check the delimiter (found: %(header)s).",  # noqa: E501 (one translatable literal)
                    header=", ".join(header),
                )
            )
        return header, first

    @api.model
    def _get_preview_html(self, header, rows):
        """The first rows of the file as an HTML table (QWeb: values escaped)."""
        return self.env["ir.qweb"]._render(
            "crm_order_unified_history_import.cou_history_import_preview",
            {"header": header, "rows": rows},
        )
