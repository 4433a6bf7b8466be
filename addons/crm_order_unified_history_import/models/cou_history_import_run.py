import base64
import csv
import fnmatch
import gzip
import io
import json
import logging
import threading
import time
from collections import Counter, defaultdict
from datetime import datetime, timedelta

import pytz

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, float_round
from odoo.tools.misc import html_escape

_logger = logging.getLogger(__name__)

# Names found in real exports that are not in Odoo's country list.
COUNTRY_ALIASES = {
    "eire": "IE",
    "rsa": "ZA",
    "usa": "US",
    "uk": "GB",
    "great britain": "GB",
    "england": "GB",
    "korea": "KR",
    "czech republic": "CZ",
    "the netherlands": "NL",
    "holland": "NL",
}
GUEST_REF = "COU-IMPORT-GUEST"
COPY_ESCAPES = {92: "\\\\", 9: "\\t", 10: "\\n", 13: "\\r"}


def _copy_text(value):
    """One value in PostgreSQL COPY text format."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        return str.translate(value, COPY_ESCAPES)
    return str(value)


class CouHistoryImportRun(models.Model):
    """One import of order history: its settings, progress and report.

    The run is also the import engine (``_import_*`` methods): it reads the
    file, checks every row, matches or creates customers and products with the
    ORM, and writes the orders and lines with bulk ``COPY`` in batches of whole
    orders, one transaction per batch. The rows written are the ones the ORM
    would write for a confirmed, locked order without taxes (see
    ``_import_prepare_order_row`` / ``_import_prepare_line_row``; the test
    ``test_import_rows_equal_orm`` compares them column by column). Orders are
    keyed by (company, original reference): a re-run or a resume skips what is
    already in, and ``sale_order_line.cou_import_key`` is unique per company.
    """

    _name = "cou.history.import.run"
    _inherit = ["cou.history.import.options.mixin"]
    _description = "Order History Import Run"
    _order = "id desc"

    # === FIELDS === #

    name = fields.Char(string="Import", required=True, readonly=True, default="/")
    company_id = fields.Many2one(
        comodel_name="res.company",
        string="Company",
        required=True,
        readonly=True,
        default=lambda self: self.env.company,
    )
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Started By",
        readonly=True,
        default=lambda self: self.env.user,
    )
    state = fields.Selection(
        selection=[
            ("draft", "Draft"),
            ("queued", "Queued"),
            ("running", "Running"),
            ("failed", "Failed"),
            ("done", "Done"),
        ],
        string="Status",
        default="draft",
        required=True,
        readonly=True,
    )
    file_name = fields.Char(readonly=True)
    file_path = fields.Char(
        readonly=True,
        help="File on the server (command-line imports).",
    )
    attachment_id = fields.Many2one(
        comodel_name="ir.attachment",
        string="Imported File",
        readonly=True,
        ondelete="set null",
    )
    mapping_id = fields.Many2one(
        comodel_name="cou.history.import.mapping",
        string="Mapping",
        readonly=True,
        ondelete="set null",
    )
    settings_json = fields.Text(string="Settings", readonly=True)
    # options: see cou.history.import.options.mixin; set by the wizard, read-only here
    cancel_mode = fields.Selection(
        readonly=True,
        help="Net: a cancellation lowers the quantity of the customer's latest earlier "
        "sale of the product. "
        "Return orders: each cancellation becomes an order with negative quantities.",
    )
    non_product_mode = fields.Selection(string="Non-Product Codes", readonly=True)
    missing_customer_mode = fields.Selection(readonly=True)
    create_invoices = fields.Boolean(
        readonly=True,
        help="Also create and post customer invoices (and credit notes for return "
        "orders) "
        "through the standard workflow, dated on the order date. Slow: for small "
        "histories.",
    )
    create_deliveries = fields.Boolean(
        readonly=True,
        help="Also create the deliveries (stock moves) of the goods through the "
        "standard workflow, "
        "validated on the order date. They lower the current stock. Slow: for small "
        "histories.",
    )
    batch_size = fields.Integer(string="Lines per Batch", default=20000, readonly=True)

    rows_total = fields.Integer(string="Rows", readonly=True)
    rows_done = fields.Integer(string="Rows Processed", readonly=True)
    rows_rejected = fields.Integer(string="Rejected Rows", readonly=True)
    orders_total = fields.Integer(string="Orders to Import", readonly=True)
    lines_total = fields.Integer(string="Lines to Import", readonly=True)
    orders_created = fields.Integer(readonly=True)
    lines_created = fields.Integer(readonly=True)
    orders_skipped = fields.Integer(
        string="Orders Already Imported",
        readonly=True,
        help="Orders whose reference was already imported for this company (re-run or "
        "resume): skipped.",
    )
    customers_created = fields.Integer(readonly=True)
    products_created = fields.Integer(readonly=True)
    progress = fields.Float(compute="_compute_progress")
    date_start = fields.Datetime(string="Started On", readonly=True)
    date_end = fields.Datetime(string="Finished On", readonly=True)
    duration = fields.Float(string="Duration (s)", readonly=True, digits=(16, 1))
    error_message = fields.Text(string="Error", readonly=True)
    summary_html = fields.Html(string="Report", readonly=True, sanitize=False)
    rejected_file = fields.Binary(
        string="Rejected Rows (CSV)", attachment=True, readonly=True
    )
    rejected_file_name = fields.Char(string="Rejected Rows File Name", readonly=True)
    order_ids = fields.One2many(
        comodel_name="sale.order",
        inverse_name="cou_import_run_id",
        string="Imported Orders",
        readonly=True,
    )

    # === COMPUTE METHODS === #

    @api.depends("lines_total", "lines_created", "state")
    def _compute_progress(self):
        for run in self:
            if run.state == "done":
                run.progress = 100.0
            elif run.lines_total:
                run.progress = min(100.0, 100.0 * run.lines_created / run.lines_total)
            else:
                run.progress = 0.0

    # === CRUD METHODS === #

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env._(
                    "Import %(date)s",
                    date=fields.Datetime.now().strftime("%Y-%m-%d %H:%M:%S"),
                )
        return super().create(vals_list)

    # === ACTION METHODS === #

    def action_process(self):
        """Run (or resume) the import now, in this request."""
        self.ensure_one()
        self._import_check_access()
        if self.state == "done":
            raise UserError(self.env._("This import is already done."))
        self._import_execute(commit=self._import_can_commit())
        return True

    def action_queue(self):
        """Run (or resume) the import in the background (cron worker)."""
        self._import_check_access()
        self.filtered(lambda r: r.state in ("draft", "failed")).write(
            {"state": "queued"}
        )
        self.env.ref(
            "crm_order_unified_history_import.ir_cron_cou_history_import"
        )._trigger()
        return True

    def action_view_orders(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("sale.action_orders")
        action["domain"] = [("cou_import_run_id", "=", self.id)]
        action["context"] = {"create": False}
        return action

    # === BUSINESS METHODS === #
    # cron

    @api.model
    def _cron_process_queued(self):
        """Process queued runs one by one; two workers never take the same run."""
        while True:
            self.env.cr.execute(
                SQL(
                    """SELECT id FROM cou_history_import_run
                        WHERE state = 'queued' ORDER BY id LIMIT 1
                          FOR UPDATE SKIP LOCKED"""
                )
            )
            row = self.env.cr.fetchone()
            if not row:
                return
            run = self.browse(row[0])
            run = run.with_user(run.user_id).with_company(run.company_id)
            run.state = "running"
            self.env.cr.commit()  # pylint: disable=invalid-commit (resumable import: keep progress)
            try:
                run._import_execute(commit=True)
            except Exception as e:  # noqa: BLE001
                _logger.exception("order history import %s failed", run.id)
                self.env.cr.rollback()
                self.env.invalidate_all()
                if run.state == "running":  # never leave a run "running" forever
                    run.write(
                        {
                            "state": "failed",
                            "error_message": str(e),
                            "date_end": fields.Datetime.now(),
                        }
                    )
                    self.env.cr.commit()  # pylint: disable=invalid-commit (resumable import: keep progress)

    # === BUSINESS METHODS === #
    # import engine

    def _import_can_commit(self):
        """Commit per batch, except inside tests (savepoints only)."""
        return not (
            self.env.context.get("cou_import_no_commit")
            or self.env.registry.in_test_mode()
            or getattr(threading.current_thread(), "testing", False)
        )

    def _import_check_access(self):
        if not self.env.user.has_group(
            "crm_order_unified.group_crm_order_unified_manager"
        ):
            raise UserError(
                self.env._("Only Customer Hub managers can import order history.")
            )

    @api.model
    def _import_get_reasons(self):
        """Translated labels of the rejection reasons, by code."""
        _ = self.env._
        return {
            "adjustment": _("Adjustment row: dropped"),
            "missing_ref": _("Missing order reference"),
            "bad_date": _("Bad date"),
            "missing_customer": _("Missing customer"),
            "missing_product": _("Missing product code"),
            "non_product": _("Non-product code"),
            "bad_quantity": _("Bad quantity"),
            "zero_quantity": _("Zero quantity"),
            "bad_price": _("Bad unit price"),
            "zero_price": _("Zero price"),
            "negative_price": _("Negative unit price"),
            "negative_no_cancel": _(
                "Negative quantity without cancellation marker (stock write-off)"
            ),
            "positive_cancel": _("Positive quantity on a cancellation"),
            "unknown_currency": _("Unknown currency"),
            "inactive_currency": _("Currency not active"),
            "duplicate": _("Duplicate of an earlier row"),
            "order_mismatch": _(
                "Customer or currency differs from earlier rows of the same order"
            ),
            "unmatched_cancel": _("Cancellation without an earlier matching sale"),
        }

    @api.model
    def _import_read_rows(self, content=None, path=None, file_name="", delimiter=","):
        """Iterate over the rows of a CSV (optionally gzipped) or XLSX file,
        header first, each row a list of strings."""
        name = (file_name or path or "").lower()
        if content is None:
            with open(path, "rb") as f:
                head = f.read(4)
        else:
            head = content[:4]
        if name.endswith((".xlsx", ".xlsm")) or head[:2] == b"PK":
            yield from self._import_read_xlsx(content, path)
            return
        if head[:2] == b"\x1f\x8b":
            raw = (
                gzip.open(path)
                if content is None
                else gzip.GzipFile(fileobj=io.BytesIO(content))
            )
        else:
            raw = open(path, "rb") if content is None else io.BytesIO(content)  # noqa: SIM115
        with raw:
            sample = raw.peek(65536)[:65536] if hasattr(raw, "peek") else b""
            encoding = "utf-8-sig"
            try:
                sample.decode("utf-8")
            except UnicodeDecodeError as e:
                if e.start < len(sample) - 4:
                    encoding = "latin-1"
            text = io.TextIOWrapper(
                raw, encoding=encoding, errors="replace", newline=""
            )
            reader = csv.reader(text, delimiter=delimiter)
            try:
                yield from reader
            except csv.Error as e:
                raise UserError(
                    self.env._(
                        "This file cannot be read as CSV near line %(line)s: %(error)s",
                        line=reader.line_num,
                        error=e,
                    )
                ) from e

    @api.model
    def _import_read_xlsx(self, content, path):
        try:
            import openpyxl  # noqa: PLC0415
        except ImportError as e:
            raise UserError(
                self.env._("Reading XLSX files needs the openpyxl library.")
            ) from e
        try:
            book = openpyxl.load_workbook(
                path if content is None else io.BytesIO(content),
                read_only=True,
                data_only=True,
            )
        except Exception as e:
            raise UserError(
                self.env._(
                    "This file cannot be read as an Excel workbook: %(error)s", error=e
                )
            ) from e
        sheet = book.worksheets[0]
        for values in sheet.iter_rows(values_only=True):
            row = []
            for value in values:
                if value is None:
                    row.append("")
                elif isinstance(value, datetime):
                    row.append(value.strftime("%Y-%m-%d %H:%M:%S"))
                elif isinstance(value, float) and value.is_integer():
                    row.append(str(int(value)))
                else:
                    row.append(str(value))
            yield row
        book.close()

    @api.model
    def _import_column_indexes(self, header, settings):
        """``{mapping field: column index}``; UserError on a mapped column missing from
        the file."""
        Mapping = self.env["cou.history.import.mapping"]
        positions = {h.strip().lower(): i for i, h in enumerate(header)}
        indexes = {}
        missing = []
        for fname in Mapping._get_column_fields():
            column = settings.get(fname) or ""
            if not column:
                continue
            if column.lower() not in positions:
                missing.append(column)
                continue
            indexes[fname] = positions[column.lower()]
        if missing:
            raise UserError(
                self.env._(
                    "These mapped columns are not in the file: %(missing)s. Columns found: %(found)s.",  # noqa: E501 (one translatable literal)
                    missing=", ".join(missing),
                    found=", ".join(h for h in header if h),
                )
            )
        for fname in (
            "col_order_ref",
            "col_date",
            "col_product_code",
            "col_quantity",
            "col_price",
        ):
            if fname not in indexes:
                raise UserError(
                    self.env._(
                        "Map the column %(column)s before importing.",
                        column=Mapping._fields[fname].get_description(self.env)[
                            "string"
                        ],
                    )
                )
        if not any(
            f in indexes
            for f in ("col_customer_ref", "col_customer_name", "col_customer_email")
        ):
            raise UserError(
                self.env._(
                    "Map at least one customer column: reference, name or email."
                )
            )
        return indexes

    @api.model
    def _import_parse(self, rows, settings, options, company, progress=None):  # noqa: C901 (one inline loop over millions of rows: no per-row helper calls)
        """Check every row and group the accepted ones by order.

        :returns: dict with ``orders`` ({ref: order dict}), ``rejected``
            ([(row number, reason code, detail, raw row)]), ``header``,
            ``rows_total`` and ``unknown_countries``.
        """
        rows = iter(rows)
        try:
            header = next(rows)
        except StopIteration:
            raise UserError(self.env._("The file is empty.")) from None
        idx = self._import_column_indexes(header, settings)
        width = len(header)

        def col(name):
            return idx.get(name)

        i_ref, i_date = col("col_order_ref"), col("col_date")
        i_cref, i_cname, i_cmail = (
            col("col_customer_ref"),
            col("col_customer_name"),
            col("col_customer_email"),
        )
        i_country, i_code, i_pname = (
            col("col_country"),
            col("col_product_code"),
            col("col_product_name"),
        )
        i_qty, i_price, i_cur = (
            col("col_quantity"),
            col("col_price"),
            col("col_currency"),
        )

        cancel_prefix = settings.get("cancel_prefix") or ""
        adjust_prefix = settings.get("adjustment_prefix") or ""
        comma = settings.get("decimal_separator") == ","
        date_format = settings.get("date_format") or ""
        tz = pytz.timezone(settings["timezone"]) if settings.get("timezone") else None
        patterns = [
            p.strip()
            for p in (settings.get("non_product_codes") or "").split(",")
            if p.strip()
        ]
        exact_codes = {p.lower() for p in patterns if "*" not in p and "?" not in p}
        glob_codes = [p.lower() for p in patterns if "*" in p or "?" in p]
        default_currency = self.env["res.currency"].browse(
            settings.get("default_currency_id") or company.currency_id.id
        )
        currencies = {
            c.name.upper(): (c.id, c.active)
            for c in self.env["res.currency"].with_context(active_test=False).search([])
        }
        countries = self._import_country_lookup()
        reject_non_product = options.get("non_product_mode") == "reject"
        guest = options.get("missing_customer_mode") == "guest"

        orders = {}
        rejected = []
        unknown_countries = Counter()
        seen = {}
        line_numbers = Counter()
        date_cache = {}
        non_product_cache = {}
        rownum = 1
        if progress:
            progress("read", 0, 0)
        for row in rows:
            rownum += 1
            if progress and rownum % 50000 == 0:
                progress("read", rownum, 0)
            if len(row) < width:
                if not any(row):
                    continue
                row = row + [""] * (width - len(row))
            ref = row[i_ref].strip()
            if not ref:
                rejected.append((rownum, "missing_ref", "", row))
                continue
            line_numbers[ref] += 1
            line_no = line_numbers[ref]
            if adjust_prefix and ref.startswith(adjust_prefix):
                rejected.append((rownum, "adjustment", ref, row))
                continue
            key = hash("\x1f".join(row))
            if key in seen:
                rejected.append((rownum, "duplicate", str(seen[key]), row))
                continue
            seen[key] = rownum
            # date
            raw_date = row[i_date].strip()
            date = date_cache.get(raw_date)
            if date is None:
                try:
                    date = (
                        datetime.strptime(raw_date, date_format)
                        if date_format
                        else datetime.fromisoformat(raw_date)
                    )
                    if date.tzinfo:
                        date = date.astimezone(pytz.utc).replace(tzinfo=None)
                    elif tz:
                        date = (
                            tz.localize(date).astimezone(pytz.utc).replace(tzinfo=None)
                        )
                    if date.year < 1900:
                        raise ValueError(raw_date)
                except ValueError:
                    date = False
                date_cache[raw_date] = date
            if not date:
                rejected.append((rownum, "bad_date", raw_date, row))
                continue
            # customer
            cref = row[i_cref].strip() if i_cref is not None else ""
            if cref.endswith(".0") and cref[:-2].isdigit():
                cref = cref[:-2]  # numeric ids exported as floats
            cmail = row[i_cmail].strip().lower() if i_cmail is not None else ""
            cname = row[i_cname].strip() if i_cname is not None else ""
            if cref:
                ckey = ("ref", cref)
            elif cmail:
                ckey = ("email", cmail)
            elif cname:
                ckey = ("name", cname)
            elif guest:
                ckey = ("guest", "")
            else:
                rejected.append((rownum, "missing_customer", "", row))
                continue
            # product
            code = row[i_code].strip()
            if not code:
                rejected.append((rownum, "missing_product", "", row))
                continue
            is_service = non_product_cache.get(code)
            if is_service is None:
                low = code.lower()
                is_service = low in exact_codes or any(
                    fnmatch.fnmatchcase(low, g) for g in glob_codes
                )
                non_product_cache[code] = is_service
            if is_service and reject_non_product:
                rejected.append((rownum, "non_product", code, row))
                continue
            # quantity and price
            raw_qty, raw_price = row[i_qty].strip(), row[i_price].strip()
            if comma:
                raw_qty = raw_qty.replace(".", "").replace(",", ".")
                raw_price = raw_price.replace(".", "").replace(",", ".")
            try:
                qty = float(raw_qty)
            except ValueError:
                rejected.append((rownum, "bad_quantity", row[i_qty], row))
                continue
            try:
                price = float(raw_price)
            except ValueError:
                rejected.append((rownum, "bad_price", row[i_price], row))
                continue
            if not qty:
                rejected.append((rownum, "zero_quantity", raw_qty, row))
                continue
            if not price:
                rejected.append((rownum, "zero_price", raw_price, row))
                continue
            if price < 0:
                rejected.append((rownum, "negative_price", raw_price, row))
                continue
            is_cancel = bool(cancel_prefix) and ref.startswith(cancel_prefix)
            if qty < 0 and not is_cancel:
                rejected.append((rownum, "negative_no_cancel", raw_qty, row))
                continue
            if qty > 0 and is_cancel:
                rejected.append((rownum, "positive_cancel", raw_qty, row))
                continue
            # currency
            cur_code = row[i_cur].strip().upper() if i_cur is not None else ""
            if cur_code:
                currency = currencies.get(cur_code)
                if not currency:
                    rejected.append((rownum, "unknown_currency", cur_code, row))
                    continue
                if not currency[1]:
                    rejected.append((rownum, "inactive_currency", cur_code, row))
                    continue
                currency_id = currency[0]
            else:
                currency_id = default_currency.id
            order = orders.get(ref)
            if order is None:
                country_name = row[i_country].strip() if i_country is not None else ""
                country_id = (
                    countries.get(country_name.lower()) if country_name else None
                )
                if country_name and not country_id:
                    unknown_countries[country_name] += 1
                order = orders[ref] = {
                    "ref": ref,
                    "date": date,
                    "ckey": ckey,
                    "cname": cname,
                    "cmail": cmail,
                    "country_id": country_id,
                    "currency_id": currency_id,
                    "is_cancel": is_cancel,
                    "lines": [],
                }
            elif order["ckey"] != ckey or order["currency_id"] != currency_id:
                rejected.append((rownum, "order_mismatch", ref, row))
                continue
            pname = row[i_pname].strip() if i_pname is not None else ""
            line = [line_no, code, pname, qty, price, rownum, is_service]
            if is_cancel:
                line.append(row)  # to report an unmatched cancellation with its content
            order["lines"].append(line)
        return {
            "header": header,
            "orders": orders,
            "rejected": rejected,
            "rows_total": rownum - 1,
            "unknown_countries": unknown_countries,
        }

    @api.model
    def _import_country_lookup(self):
        """``{lower-case name or code: country id}`` in English and the user's
        language."""
        lookup = {}
        Country = self.env["res.country"]
        for lang in {"en_US", self.env.lang or "en_US"}:
            for country in Country.with_context(lang=lang).search([]):
                lookup[country.name.lower()] = country.id
                lookup[country.code.lower()] = country.id
        by_code = {c.code: c.id for c in Country.search([])}
        for alias, code in COUNTRY_ALIASES.items():
            if code in by_code:
                lookup.setdefault(alias, by_code[code])
        return lookup

    @api.model
    def _import_net_cancellations(self, parsed):
        """Net mode: each cancelled quantity lowers the customer's latest
        earlier sales of the same product; unmatched quantities are rejected.
        Cancellation orders themselves are not imported."""
        orders = parsed["orders"]
        sales = defaultdict(list)  # (customer key, code) -> [(date, ref, line)]
        cancels = []
        for order in orders.values():
            if order["is_cancel"]:
                cancels.append(order)
                continue
            for line in order["lines"]:
                sales[order["ckey"], line[1]].append(
                    (order["date"], order["ref"], line)
                )
        for candidates in sales.values():
            candidates.sort(key=lambda c: (c[0], c[1], c[2][0]))
        cancels.sort(key=lambda o: (o["date"], o["ref"]))
        netted = 0
        for order in cancels:
            del orders[order["ref"]]
            for line in order["lines"]:
                remaining = -line[3]
                for date, _ref, sale in reversed(
                    sales.get((order["ckey"], line[1]), ())
                ):
                    if remaining <= 0:
                        break
                    if date > order["date"] or sale[3] <= 0:
                        continue
                    take = min(sale[3], remaining)
                    sale[3] -= take
                    remaining -= take
                if remaining > 0:
                    parsed["rejected"].append(
                        (line[5], "unmatched_cancel", str(remaining), line[7])
                    )
                else:
                    netted += 1
        for ref in [
            ref for ref, o in orders.items() if any(ln[3] <= 0 for ln in o["lines"])
        ]:
            lines = [ln for ln in orders[ref]["lines"] if ln[3] > 0]
            if lines:
                orders[ref]["lines"] = lines
            else:
                del orders[ref]
        parsed["netted"] = netted

    @api.model
    def _import_existing_refs(self, refs, company):
        """Order references already imported for the company."""
        self.env["sale.order"].flush_model(["cou_import_ref", "company_id"])
        existing = set()
        refs = list(refs)
        for start in range(0, len(refs), 50000):
            self.env.cr.execute(
                SQL(
                    """SELECT cou_import_ref FROM sale_order
                        WHERE company_id = %s AND cou_import_ref = ANY(%s)""",
                    company.id,
                    refs[start : start + 50000],
                )
            )
            existing.update(r[0] for r in self.env.cr.fetchall())
        return existing

    @api.model
    def _import_match_customers(self, orders, company):
        """``(matched, to_create)``: customer key -> partner id for existing
        customers (by reference, email, then exact name), and key -> values
        of the customers to create."""
        Partner = self.env["res.partner"].with_context(active_test=False)
        wanted = {}
        for order in orders:
            wanted.setdefault(order["ckey"], order)
        matched = {}
        company_domain = [("company_id", "in", (False, company.id))]
        by_kind = defaultdict(list)
        for kind, value in wanted:
            by_kind[kind].append(value)
        for kind, field in (
            ("ref", "ref"),
            ("email", "email_normalized"),
            ("name", "name"),
        ):
            values = by_kind.get(kind)
            if not values:
                continue
            for start in range(0, len(values), 20000):
                chunk = values[start : start + 20000]
                for rec in Partner.search_read(
                    [(field, "in", chunk), *company_domain], [field], order="id"
                ):
                    partner_id, value = rec["id"], rec[field]
                    matched.setdefault((kind, value), partner_id)
        if ("guest", "") in wanted:
            guest = Partner.search([("ref", "=", GUEST_REF), *company_domain], limit=1)
            if guest:
                matched[("guest", "")] = guest.id
        to_create = {}
        for ckey, order in wanted.items():
            if ckey in matched:
                continue
            kind, value = ckey
            if kind == "guest":
                name = self.env._("Guest customers (imported)")
            else:
                name = order["cname"] or (
                    self.env._("Customer %(ref)s", ref=value)
                    if kind == "ref"
                    else value
                )
            to_create[ckey] = {
                "name": name,
                "ref": value
                if kind == "ref"
                else (GUEST_REF if kind == "guest" else False),
                "email": order["cmail"] or False,
                "country_id": order["country_id"] or False,
                "company_id": company.id,
                "customer_rank": 1,
            }
        return matched, to_create

    @api.model
    def _import_match_products(self, orders, company):
        """``(matched, to_create)``: product code -> product id for existing
        products (by internal reference), and code -> values to create."""
        wanted = {}
        for order in orders:
            for line in order["lines"]:
                if line[1] not in wanted:
                    wanted[line[1]] = line
        Product = self.env["product.product"]
        matched = {}
        codes = list(wanted)
        for start in range(0, len(codes), 20000):
            for rec in Product.search_read(
                [
                    ("default_code", "in", codes[start : start + 20000]),
                    ("company_id", "in", (False, company.id)),
                ],
                ["default_code"],
                order="id",
            ):
                matched.setdefault(rec["default_code"], rec["id"])
        to_create = {}
        for code, line in wanted.items():
            if code in matched:
                continue
            to_create[code] = {
                "name": line[2] or code,
                "default_code": code,
                "type": "service" if line[6] else "consu",
                "sale_ok": True,
                "purchase_ok": False,
                "company_id": company.id,
            }
        return matched, to_create

    @api.model
    def _import_analyze(self, rows, settings, options, company, progress=None):
        """Everything a dry run shows, without writing anything."""
        parsed = self._import_parse(rows, settings, options, company, progress=progress)
        if options.get("cancel_mode", "net") == "net":
            self._import_net_cancellations(parsed)
        orders = parsed["orders"]
        existing = self._import_existing_refs(orders.keys(), company)
        todo = [o for ref, o in orders.items() if ref not in existing]
        todo.sort(key=lambda o: (o["date"], o["ref"]))
        customers, new_customers = self._import_match_customers(todo, company)
        products, new_products = self._import_match_products(todo, company)
        parsed.update(
            todo=todo,
            orders_skipped=len(existing),
            customers=customers,
            new_customers=new_customers,
            products=products,
            new_products=new_products,
            lines_total=sum(len(o["lines"]) for o in todo),
        )
        return parsed

    @api.model
    def _import_rejected_csv(self, parsed):
        """The rejected rows as CSV bytes: row, reason, detail, then the original
        columns."""
        reasons = self._import_get_reasons()
        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow(
            [
                self.env._("Row"),
                self.env._("Reason"),
                self.env._("Detail"),
                *parsed["header"],
            ]
        )
        for rownum, code, detail, row in sorted(parsed["rejected"], key=lambda r: r[0]):
            writer.writerow([rownum, reasons[code], detail, *(row or [])])
        return buf.getvalue().encode("utf-8")

    @api.model
    def _import_summary_html(self, parsed, limit=50):
        """Counts by reason, examples of rejected rows and of what will be created."""
        reasons = self._import_get_reasons()
        _ = self.env._
        counts = Counter(code for _r, code, _d, _row in parsed["rejected"])
        parts = [
            "<table class='table table-sm o_crm_order_unified_import_summary'>",
            f"<thead><tr><th>{html_escape(_('Reason'))}</th><th class='text-end'>"
            f"{html_escape(_('Rows'))}</th></tr></thead><tbody>",
        ]
        for code, count in counts.most_common():
            parts.append(
                f"<tr><td>{html_escape(reasons[code])}</td><td "
                f"class='text-end'>{count}</td></tr>"
            )
        parts.append("</tbody></table>")
        examples = sorted(parsed["rejected"], key=lambda r: r[0])[:limit]
        if examples:
            parts.append(f"<h5>{html_escape(_('First rejected rows'))}</h5>")
            parts.append("<table class='table table-sm'><thead><tr>")
            for title in (_("Row"), _("Reason"), _("Detail"), _("Content")):
                parts.append(f"<th>{html_escape(title)}</th>")
            parts.append("</tr></thead><tbody>")
            for rownum, code, detail, row in examples:
                parts.append(
                    f"<tr><td>{rownum}</td><td>{html_escape(reasons[code])}</td>"
                    f"<td>{html_escape(detail or '')}</td>"
                    f"<td>{html_escape(' | '.join(row or []))}</td></tr>"
                )
            parts.append("</tbody></table>")
        if parsed.get("unknown_countries"):
            label = _("Countries not recognised (customers created without country):")
            countries = ", ".join(sorted(parsed["unknown_countries"]))
            parts.append(f"<p>{html_escape(label)} {html_escape(countries)}</p>")
        for title, values in (
            (
                _("New customers (first ones)"),
                [v["name"] for v in parsed.get("new_customers", {}).values()],
            ),
            (
                _("New products (first ones)"),
                [
                    f"[{v['default_code']}] {v['name']}"
                    for v in parsed.get("new_products", {}).values()
                ],
            ),
        ):
            if values:
                shown = ", ".join(values[:limit])
                more = "…" if len(values) > limit else ""
                parts.append(
                    f"<h5>{html_escape(title)}</h5><p>{html_escape(shown)}{more}</p>"
                )
        return "".join(parts)

    def _import_open_rows(self):
        self.ensure_one()
        settings = json.loads(self.settings_json or "{}")
        if self.attachment_id:
            content = base64.b64decode(self.attachment_id.datas)
            return self._import_read_rows(
                content=content,
                file_name=self.file_name,
                delimiter=settings.get("delimiter", ","),
            )
        if self.file_path:
            try:
                open(self.file_path, "rb").close()  # noqa: SIM115
            except OSError as e:
                raise UserError(
                    self.env._(
                        "The file %(path)s cannot be read: %(error)s",
                        path=self.file_path,
                        error=e,
                    )
                ) from e
            return self._import_read_rows(
                path=self.file_path,
                file_name=self.file_name,
                delimiter=settings.get("delimiter", ","),
            )
        raise UserError(self.env._("This import has no file."))

    def _import_write_orders(self, parsed, customers, cache, commit, progress):
        """Write the accepted orders in batches of about ``batch_size`` lines;
        return the ids of their customers."""
        lines_total = parsed["lines_total"]
        done_lines = 0
        batch = []
        batch_lines = 0
        partner_ids = set()
        if progress:
            progress("write", 0, lines_total)
        for order in parsed["todo"]:
            batch.append(order)
            batch_lines += len(order["lines"])
            if batch_lines >= (self.batch_size or 20000):
                self._import_write_batch(batch, cache, commit)
                done_lines += batch_lines
                partner_ids.update(customers[o["ckey"]] for o in batch)
                batch, batch_lines = [], 0
                if progress:
                    progress("write", done_lines, lines_total)
        if batch:
            self._import_write_batch(batch, cache, commit)
            done_lines += batch_lines
            partner_ids.update(customers[o["ckey"]] for o in batch)
            if progress:
                progress("write", done_lines, lines_total)
        return partner_ids

    def _import_execute(self, commit=True, progress=None):
        """Import the run's file: all accepted rows, in committed batches of
        whole orders. On failure the run is marked failed with the error and
        can be resumed: what is in stays, nothing is duplicated."""
        self.ensure_one()
        cr = self.env.cr
        started = time.time()
        company = self.company_id
        self = self.with_company(company)
        settings = json.loads(self.settings_json or "{}")
        self.write(
            {
                "state": "running",
                "date_start": fields.Datetime.now(),
                "error_message": False,
            }
        )
        default_currency = (
            self.env["res.currency"]
            .browse(settings.get("default_currency_id"))
            .exists()
        )
        if default_currency and not default_currency.active:
            default_currency.sudo().active = True  # orders in it need it active
        try:
            parsed = self._import_analyze(
                self._import_open_rows(),
                settings,
                self._import_options(),
                company,
                progress=progress,
            )
        except UserError as e:
            self.write(
                {
                    "state": "failed",
                    "error_message": str(e),
                    "date_end": fields.Datetime.now(),
                }
            )
            if commit:
                cr.commit()  # pylint: disable=invalid-commit (resumable import: keep progress)
            raise
        self.write(
            {
                "rows_total": parsed["rows_total"],
                "rows_rejected": len(parsed["rejected"]),
                "orders_total": len(parsed["todo"]) + self.orders_created,
                "lines_total": parsed["lines_total"] + self.lines_created,
                "orders_skipped": parsed["orders_skipped"] - self.orders_created,
                "summary_html": self._import_summary_html(parsed),
                "rejected_file": base64.b64encode(self._import_rejected_csv(parsed)),
                "rejected_file_name": "{}-rejected.csv".format(
                    (self.file_name or "import").rsplit(".", 1)[0]
                ),
            }
        )
        if commit:
            cr.commit()  # pylint: disable=invalid-commit (resumable import: keep progress)
        try:
            new_count = len(parsed["new_customers"]) + len(parsed["new_products"])
            if progress:
                progress("create", 0, new_count)
            with cr.savepoint():
                customers, created_ids = self._import_create_customers(parsed)
                products = self._import_create_products(parsed)
            if progress:
                progress("create", new_count, new_count)
            cache = self._import_build_cache(customers, products, created_ids)
            if commit:
                cr.commit()  # pylint: disable=invalid-commit (resumable import: keep progress)
            partner_ids = self._import_write_orders(
                parsed, customers, cache, commit, progress
            )
            self._import_refresh_customer_360(partner_ids, commit, progress)
        except Exception as e:
            if commit:
                cr.rollback()
            self.env.invalidate_all()
            self.write(
                {
                    "state": "failed",
                    "error_message": self.env._(
                        "The import stopped after %(orders)s orders: %(error)s. "
                        "Everything before is saved; resume the import to continue without duplicates.",  # noqa: E501 (one translatable literal)
                        orders=self.orders_created,
                        error=e,
                    ),
                    "date_end": fields.Datetime.now(),
                    "duration": self.duration + time.time() - started,
                }
            )
            if commit:
                cr.commit()  # pylint: disable=invalid-commit (resumable import: keep progress)
            _logger.warning("order history import %s failed: %s", self.id, e)
            return False
        self.write(
            {
                "state": "done",
                "date_end": fields.Datetime.now(),
                "duration": self.duration + time.time() - started,
            }
        )
        if commit:
            cr.commit()  # pylint: disable=invalid-commit (resumable import: keep progress)
        return True

    def _import_create_customers(self, parsed):
        """Create the missing customers with the ORM; returns key -> partner id."""
        customers = dict(parsed["customers"])
        new = parsed["new_customers"]
        created = []
        if new:
            Partner = self.env["res.partner"].with_context(
                cou_skip_customer_360=True,
                tracking_disable=True,
                mail_create_nolog=True,
                mail_create_nosubscribe=True,
            )
            keys = list(new)
            for start in range(0, len(keys), 2000):
                chunk = keys[start : start + 2000]
                partners = Partner.create([new[k] for k in chunk])
                customers.update(zip(chunk, partners.ids, strict=False))
                created.extend(partners.ids)
            self.customers_created += len(keys)
        return customers, created

    def _import_create_products(self, parsed):
        """Create the missing products with the ORM; returns code -> product id."""
        products = dict(parsed["products"])
        new = parsed["new_products"]
        if new:
            Template = self.env["product.template"].with_context(
                tracking_disable=True,
                mail_create_nolog=True,
                mail_create_nosubscribe=True,
            )
            policy = "order" if self.create_invoices else "delivery"
            codes = list(new)
            for start in range(0, len(codes), 2000):
                chunk = codes[start : start + 2000]
                templates = Template.create(
                    [
                        dict(new[c], invoice_policy=policy, taxes_id=[Command.clear()])
                        for c in chunk
                    ]
                )
                products.update(
                    zip(chunk, templates.product_variant_id.ids, strict=False)
                )
            self.products_created += len(codes)
        return products

    # === BUSINESS METHODS === #
    # bulk writing

    def _import_write_batch(self, batch, cache, commit):
        """Write one batch of whole orders in one transaction (savepoint in tests)."""
        cr = self.env.cr
        self.env.flush_all()
        with cr.savepoint(flush=False):
            context = self._import_batch_context(batch, cache)
            order_ids = self._import_sequence_ids("sale_order_id_seq", len(batch))
            lines_count = sum(len(o["lines"]) for o in batch)
            line_ids = iter(
                self._import_sequence_ids("sale_order_line_id_seq", lines_count)
            )
            order_rows, line_rows = [], []
            for order, order_id in zip(batch, order_ids, strict=False):
                lines = []
                for line in order["lines"]:
                    lines.append(
                        self._import_prepare_line_row(
                            context, order, order_id, next(line_ids), line
                        )
                    )
                order_rows.append(
                    self._import_prepare_order_row(context, order, order_id, lines)
                )
                line_rows.extend(lines)
            self._import_copy("sale_order", context["order_columns"], order_rows)
            self._import_copy("sale_order_line", context["line_columns"], line_rows)
            tag = context["tag_id"]
            self._import_copy(
                "sale_order_tag_rel",
                ["order_id", "tag_id"],
                [(oid, tag) for oid in order_ids],
            )
            self._import_recompute_others(order_ids, [r[0] for r in line_rows], cache)
            if self.create_deliveries:
                self._import_create_deliveries(order_ids)
            if self.create_invoices:
                self._import_create_invoices(order_ids)
            self.write(
                {
                    "orders_created": self.orders_created + len(batch),
                    "lines_created": self.lines_created + lines_count,
                    "rows_done": self.rows_done + lines_count,
                }
            )
            self.env.flush_all()
        if commit:
            cr.commit()  # pylint: disable=invalid-commit (resumable import: keep progress)
        self.env.invalidate_all()

    def _import_sequence_ids(self, sequence, count):
        if not count:
            return []
        self.env.cr.execute(
            SQL("SELECT nextval(%s) FROM generate_series(1, %s)", sequence, count)
        )
        return [r[0] for r in self.env.cr.fetchall()]

    def _import_copy(self, table, columns, rows):
        """Bulk insert with COPY (text format)."""
        if not rows:
            return
        buf = io.StringIO()
        write = buf.write
        for row in rows:
            write("\t".join(map(_copy_text, row)))
            write("\n")
        buf.seek(0)
        query = SQL(
            "COPY %s (%s) FROM STDIN",
            SQL.identifier(table),
            SQL(", ").join(SQL.identifier(c) for c in columns),
        )
        self.env.cr._obj.copy_expert(query.code, buf)

    def _import_batch_context(self, batch, cache):
        """Complete ``cache`` with what the rows of a batch need, read once
        per batch (no query per order)."""
        company = self.company_id
        SaleOrder = self.env["sale.order"].with_company(company)
        customers, products = cache["customers"], cache["product_ids"]
        partner_ids = {customers[o["ckey"]] for o in batch}
        # header values the ORM computes from the partner, once per "partner kind"
        partners = self.env["res.partner"].browse(sorted(partner_ids))
        missing = [p for p in partners if p.id not in cache["headers"]]
        if missing:
            rows = (
                self.env["res.partner"]
                .browse([p.id for p in missing])
                .read(
                    ["country_id", "create_date", "child_ids", "user_id", "parent_id"]
                )
            )
            for p, data in zip(missing, rows, strict=False):
                simple = (
                    not data["child_ids"]
                    and not data["user_id"]
                    and not data["parent_id"]
                    and p.id in cache["created_partner_ids"]
                )
                sig = (
                    ("country", data["country_id"] and data["country_id"][0])
                    if simple
                    else ("partner", p.id)
                )
                header = cache["signatures"].get(sig)
                if header is None:
                    new = SaleOrder.new({"partner_id": p.id, "company_id": company.id})
                    header = {
                        fname: new[fname].id
                        if new._fields[fname].type == "many2one"
                        else new[fname]
                        for fname in cache["header_fields"]
                    }
                    header["_partner_id"] = p.id
                    cache["signatures"][sig] = header
                if header["_partner_id"] != p.id:
                    header = dict(header, _partner_id=p.id)
                    for fname in ("partner_invoice_id", "partner_shipping_id"):
                        if header[fname] == cache["signatures"][sig]["_partner_id"]:
                            header[fname] = p.id
                cache["headers"][p.id] = header
        # products
        product_ids = {products[ln[1]] for o in batch for ln in o["lines"]} - set(
            cache["products"]
        )
        if product_ids:
            for prod in (
                self.env["product.product"]
                .browse(sorted(product_ids))
                .with_context(lang=self.env.lang)
            ):
                cache["products"][prod.id] = {
                    "uom_id": prod.uom_id.id,
                    "policy": prod.invoice_policy,
                    "type": prod.type,
                    "sale_delay": prod.sale_delay or 0.0,
                    "display_name": prod.display_name,
                }
        return cache

    def _import_build_cache(self, customers, products, created_partner_ids):
        company = self.company_id
        tag = self.env.ref(
            "crm_order_unified_history_import.crm_tag_cou_imported",
            raise_if_not_found=False,
        )
        if not tag:
            tag = self.env["crm.tag"].create({"name": self.env._("Imported history")})
        now = fields.Datetime.now()
        order_columns = [
            "id",
            "name",
            "state",
            "locked",
            "company_id",
            "partner_id",
            "partner_invoice_id",
            "partner_shipping_id",
            "fiscal_position_id",
            "payment_term_id",
            "pricelist_id",
            "currency_id",
            "currency_rate",
            "user_id",
            "team_id",
            "journal_id",
            "note",
            "require_signature",
            "require_payment",
            "prepayment_percent",
            "validity_date",
            "date_order",
            "origin",
            "invoice_status",
            "amount_untaxed",
            "amount_tax",
            "amount_total",
            "sale_order_template_id",
            "warehouse_id",
            "picking_policy",
            "create_uid",
            "create_date",
            "write_uid",
            "write_date",
            "cou_imported",
            "cou_import_ref",
            "cou_import_run_id",
        ]
        line_columns = [
            "id",
            "order_id",
            "sequence",
            "company_id",
            "currency_id",
            "order_partner_id",
            "salesman_id",
            "product_id",
            "product_uom",
            "state",
            "name",
            "product_uom_qty",
            "price_unit",
            "discount",
            "price_subtotal",
            "price_tax",
            "price_total",
            "price_reduce_taxexcl",
            "price_reduce_taxinc",
            "technical_price_unit",
            "qty_delivered_method",
            "qty_delivered",
            "qty_invoiced",
            "qty_to_invoice",
            "invoice_status",
            "untaxed_amount_invoiced",
            "untaxed_amount_to_invoice",
            "is_downpayment",
            "is_expense",
            "customer_lead",
            "product_packaging_qty",
            "warehouse_id",
            "create_uid",
            "create_date",
            "write_uid",
            "write_date",
            "cou_import_key",
        ]
        header_fields = [
            "partner_invoice_id",
            "partner_shipping_id",
            "fiscal_position_id",
            "payment_term_id",
            "pricelist_id",
            "user_id",
            "team_id",
            "journal_id",
            "note",
            "require_signature",
            "require_payment",
            "prepayment_percent",
            "sale_order_template_id",
            "warehouse_id",
            "picking_policy",
        ]
        # other stored fields get their default, as in create()
        order_defaults = self._import_column_defaults("sale.order", order_columns)
        line_defaults = self._import_column_defaults("sale.order.line", line_columns)
        order_columns += list(order_defaults)
        line_columns += list(line_defaults)
        pricelists = {}
        for pl in self.env["product.pricelist"].search(
            [("company_id", "in", (False, company.id))],
            order="company_id desc, sequence, id desc",
        ):
            pricelists[pl.currency_id.id] = pl.id
        return {
            "now": now,
            "uid": self.env.uid,
            "company": company,
            "company_currency": company.currency_id,
            "invoice_all": self.create_invoices,
            "validity_days": company.quotation_validity_days,
            "tag_id": tag.id,
            "order_columns": order_columns,
            "line_columns": line_columns,
            "header_fields": header_fields,
            "signatures": {},
            "headers": {},
            "products": {},
            "rates": {},
            "pricelists": pricelists,
            "pricelist_currency": {},
            "created_partner_ids": set(created_partner_ids),
            "currencies": {},
            "customers": customers,
            "product_ids": products,
            "order_defaults": order_defaults,
            "line_defaults": line_defaults,
        }

    def _import_currency(self, cache, currency_id):
        currency = cache["currencies"].get(currency_id)
        if currency is None:
            rec = self.env["res.currency"].browse(currency_id)
            currency = cache["currencies"][currency_id] = (
                rec,
                rec.decimal_places,
                rec.rounding,
            )
        return currency

    def _import_prepare_line_row(self, cache, order, order_id, line_id, line):
        """The sale_order_line row the ORM would write for this line on a
        confirmed order (no taxes, nothing delivered nor invoiced yet)."""
        line_no, code, pname, qty, price = line[:5]
        product_id = cache["product_ids"][code]
        product = cache["products"][product_id]
        header = cache["headers"][cache["customers"][order["ckey"]]]
        currency, digits, _rounding = self._import_currency(cache, order["currency_id"])
        subtotal = float_round(qty * price, precision_digits=digits)
        price_reduce = (
            float_round(subtotal / qty, precision_digits=self._import_price_digits())
            if qty
            else 0.0
        )
        policy = product["policy"]
        delivered_method = "stock_move" if product["type"] == "consu" else "manual"
        qty_delivered = 0.0
        if cache["invoice_all"] and policy != "order":
            # invoices asked for: the history was delivered outside Odoo
            policy, delivered_method, qty_delivered = "order", "manual", qty
        qty_to_invoice = qty if policy == "order" else 0.0
        if qty_to_invoice:
            status = "to invoice"
        elif qty <= 0:
            status = "invoiced"
        else:
            status = "no"
        to_invoice = (
            float_round(price * qty, precision_digits=digits)
            if policy == "order"
            else 0.0
        )
        name = f"[{code}] {pname}" if pname else product["display_name"]
        now, uid = cache["now"], cache["uid"]
        return (
            line_id,
            order_id,
            10,
            cache["company"].id,
            order["currency_id"],
            cache["customers"][order["ckey"]],
            header["user_id"] or None,
            product_id,
            product["uom_id"],
            "sale",
            name,
            qty,
            price,
            0.0,
            subtotal,
            0.0,
            subtotal,
            price_reduce,
            price_reduce,
            price,
            delivered_method,
            qty_delivered,
            0.0,
            qty_to_invoice,
            status,
            0.0,
            to_invoice,
            None,
            None,
            product["sale_delay"],
            0.0,
            header["warehouse_id"] or None,
            uid,
            now,
            uid,
            now,
            f"{order['ref']}#{line_no}",
            *cache["line_defaults"].values(),
        )

    def _import_price_digits(self):
        return self.env["decimal.precision"].precision_get("Product Price")

    def _import_prepare_order_row(self, cache, order, order_id, lines):
        """The sale_order row the ORM would write for a confirmed, locked order."""
        partner_id = cache["customers"][order["ckey"]]
        header = cache["headers"][partner_id]
        currency_id = order["currency_id"]
        currency, digits, _rounding = self._import_currency(cache, currency_id)
        date = order["date"]
        pricelist_id = header["pricelist_id"]
        if pricelist_id:
            pl_currency = cache["pricelist_currency"].get(pricelist_id)
            if pl_currency is None:
                pl_currency = cache["pricelist_currency"][pricelist_id] = (
                    self.env["product.pricelist"].browse(pricelist_id).currency_id.id
                )
            if pl_currency != currency_id:
                pricelist_id = None
        if not pricelist_id and currency_id != cache["company_currency"].id:
            # keeps currency_id consistent with its compute (pricelist currency)
            pricelist_id = cache["pricelists"].get(currency_id)
        rate_key = (currency_id, date.date())
        rate = cache["rates"].get(rate_key)
        if rate is None:
            rate = cache["rates"][rate_key] = self.env[
                "res.currency"
            ]._get_conversion_rate(
                cache["company_currency"], currency, cache["company"], date.date()
            )
        untaxed = float_round(sum(row[14] for row in lines), precision_digits=digits)
        statuses = {row[24] for row in lines}
        if "to invoice" in statuses:
            status = "to invoice"
        elif statuses == {"invoiced"}:
            status = "invoiced"
        else:
            status = "no"
        days = cache["validity_days"]
        now, uid = cache["now"], cache["uid"]
        return (
            order_id,
            order["ref"],
            "sale",
            True,
            cache["company"].id,
            partner_id,
            header["partner_invoice_id"],
            header["partner_shipping_id"],
            header["fiscal_position_id"] or None,
            header["payment_term_id"] or None,
            pricelist_id or None,
            currency_id,
            rate,
            header["user_id"] or None,
            header["team_id"] or None,
            header["journal_id"] or None,
            header["note"] or None,
            header["require_signature"],
            header["require_payment"],
            header["prepayment_percent"],
            (date.date() + timedelta(days)) if days > 0 else None,
            date,
            self.name,
            status,
            untaxed,
            0.0,
            untaxed,
            header["sale_order_template_id"] or None,
            header["warehouse_id"] or None,
            header["picking_policy"] or "direct",
            uid,
            now,
            uid,
            now,
            True,
            order["ref"],
            self.id,
            *cache["order_defaults"].values(),
        )

    def _import_column_defaults(self, model, columns):
        """``{column: value}``: defaults of the other plain stored fields."""
        Model = self.env[model].with_company(self.company_id)
        fnames = [
            f.name
            for f in Model._fields.values()
            if f.store
            and f.column_type
            and not f.compute
            and not f.related
            and f.name not in columns
            and f.name not in models.MAGIC_COLUMNS
        ]
        defaults = {}
        for fname, value in Model.default_get(fnames).items():
            field = Model._fields[fname]
            if field.type == "many2one":
                value = (
                    value.id if isinstance(value, models.BaseModel) else value or None
                )
            elif field.type in ("many2many", "one2many"):
                continue
            if value is False and field.type not in ("boolean",):
                value = None
            if field.type == "json" or isinstance(value, dict | list):
                value = json.dumps(value)
            defaults[fname] = value
        return defaults

    def _import_recompute_others(self, order_ids, line_ids, cache):
        """Stored computed fields that other modules add to orders and lines
        (and that the bulk rows above do not set) are computed by the ORM."""
        for model, ids, written in (
            ("sale.order", order_ids, set(cache.get("order_columns") or [])),
            ("sale.order.line", line_ids, set(cache.get("line_columns") or [])),
        ):
            Model = self.env[model]
            skip = written | self._import_fields_left_empty(model)
            fields_todo = [
                f
                for f in Model._fields.values()
                if f.store and f.compute and f.column_type and f.name not in skip
            ]
            if not fields_todo or not ids:
                continue
            records = Model.browse(ids)
            for field in fields_todo:
                self.env.add_to_compute(field, records)
        self.env.flush_all()

    @api.model
    def _import_fields_left_empty(self, model):
        """Computed fields the ORM leaves empty on an order without deliveries,
        invoices, packaging, routes, analytic rules or combos."""
        if model == "sale.order":
            return {"delivery_status", "effective_date"}
        empty = {"product_packaging_id", "route_id", "linked_line_id", "combo_item_id"}
        if (
            not self.env["account.analytic.distribution.model"]
            .sudo()
            .search_count([], limit=1)
        ):
            empty.add("analytic_distribution")
        return empty

    def _import_create_deliveries(self, order_ids):
        """Optional: deliver the batch's goods with the standard workflow
        (procurement, picking, validation), dated on the order date (slow;
        for small histories). A return order gets a receipt."""
        orders = (
            self.env["sale.order"]
            .browse(order_ids)
            .with_context(
                mail_create_nolog=True, mail_notrack=True, tracking_disable=True
            )
        )
        orders.locked = False  # sale_stock launches no procurement on a locked order
        orders.order_line._action_launch_stock_rule()
        orders.locked = True
        pickings = orders.picking_ids.filtered(
            lambda p: p.state not in ("done", "cancel")
        )
        for move in pickings.move_ids:
            move.quantity = move.product_uom_qty
        pickings.move_ids.picked = True
        pickings.with_context(skip_backorder=True, skip_sms=True)._action_done()
        for order in orders.filtered("picking_ids"):
            date = order.date_order
            order.picking_ids.write({"date_done": date})
            order.picking_ids.move_ids.write({"date": date})
            order.picking_ids.move_ids.move_line_ids.write({"date": date})
        return pickings

    def _import_create_invoices(self, order_ids):
        """Optional: invoice the batch's orders with the standard workflow, one
        posted invoice per order (a credit note for a return order), dated on
        the order date (slow; for small histories)."""
        orders = (
            self.env["sale.order"]
            .browse(order_ids)
            .with_context(
                mail_create_nolog=True, mail_notrack=True, tracking_disable=True
            )
        )
        moves = orders._create_invoices(grouped=True, final=True)
        by_date = defaultdict(lambda: self.env["account.move"])
        for move in moves:
            order = move.invoice_line_ids.sale_line_ids.order_id[:1]
            by_date[order.date_order.date()] |= move
        for date, date_moves in by_date.items():
            date_moves.write({"invoice_date": date})
        moves.action_post()
        return moves

    def _import_refresh_customer_360(self, partner_ids, commit, progress=None):
        """Recompute the Customer 360 figures of the imported customers, set-based by
        chunks."""
        Partner = self.env["res.partner"]
        ids = sorted(partner_ids)
        if progress:
            progress("customers", 0, len(ids))
        for start in range(0, len(ids), 2000):
            Partner.browse(ids[start : start + 2000])._cou_refresh_customer_360()
            if commit:
                self.env.cr.commit()  # pylint: disable=invalid-commit (resumable import: keep progress)
            self.env.invalidate_all()
            if progress:
                progress("customers", min(start + 2000, len(ids)), len(ids))
