import base64
import csv
import io
import json
import logging
import threading
import time
from collections import Counter, namedtuple
from operator import attrgetter

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

# Values of the run's report template (cou_history_import_run_summary).
SummaryReason = namedtuple("SummaryReason", ["label", "count"])
SummaryExample = namedtuple("SummaryExample", ["rownum", "label", "detail", "content"])


class CouHistoryImportRun(models.Model):
    """One import of order history: its settings, progress and report.

    The run keeps the state and drives the import (``_import_execute``): the
    file is read by ``cou.history.import.reader``, its rows are checked and
    grouped by order by ``cou.history.import.parser``, and the orders are
    written by ``cou.history.import.writer`` (customers and products with the
    ORM, orders and lines with bulk ``COPY``) in batches of whole orders, one
    transaction per batch. Orders are keyed by (company, original
    reference): a re-run or a resume skips what is already in, and
    ``sale_order_line.cou_import_key`` is unique per company.
    """

    _name = "cou.history.import.run"
    _inherit = ["cou.history.import.options.mixin"]
    _description = "Order History Import Run"
    _order = "id desc"

    # What a user may set on a run through the ORM (the web client, JSON-RPC):
    # its name. Everything that drives the processing (file, user, settings,
    # options) and its report is written by the import itself only, through
    # the private methods ``_import_create_run`` and ``_import_write``.
    _import_user_fields = frozenset({"name"})

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
    summary_html = fields.Html(string="Report", readonly=True)
    rejected_file = fields.Binary(
        string="Rejected Rows (CSV)", attachment=True, readonly=True
    )
    rejected_file_name = fields.Char(string="Rejected Rows File Name", readonly=True)
    order_ids = fields.One2many(
        comodel_name="sale.order",
        inverse_name="cou_import_run_id",
        string="Imported Orders",
        readonly=True,
        groups="sales_team.group_sale_salesman",
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
            self._import_check_user_vals(vals)
            if vals.get("name", "/") == "/":
                vals["name"] = self.env._(
                    "Import %(date)s",
                    date=fields.Datetime.now().strftime("%Y-%m-%d %H:%M:%S"),
                )
        runs = super().create(vals_list)
        for run in runs.filtered("attachment_id"):
            attachment = run.attachment_id.sudo()
            if attachment.res_id or attachment.res_model not in (False, self._name):
                raise UserError(
                    self.env._("This import's file belongs to another record.")
                )
            attachment.write({"res_model": self._name, "res_id": run.id})
        return runs

    def write(self, vals):
        self._import_check_user_vals(vals)
        return super().write(vals)

    def _import_check_user_vals(self, vals):
        """Refuse, outside the import itself (superuser mode), values of the
        fields that drive processing or report on it."""
        if self.env.su:
            return
        forbidden = sorted(set(vals) - self._import_user_fields)
        if forbidden:
            names = ", ".join(
                self._fields[f].get_description(self.env)["string"]
                if f in self._fields
                else f
                for f in forbidden
            )
            raise AccessError(
                self.env._(
                    "The file, user, settings and results of an order history "
                    "import are set by the import itself and cannot be changed "
                    "(fields: %(fields)s). Start a new import from the import "
                    "wizard instead.",
                    fields=names,
                )
            )

    @api.model
    def _import_create_run(self, vals, file_path=None):
        """Create a run for the current user, after checking their rights.

        Only Python callers reach this (the import wizard, the command line
        of ``tools/import_history.py``): ``file_path``, a file on the server,
        is for the command line only; a run from the web client reads only its
        own attachment. The run's user is always the current user.
        """
        self._import_check_access()
        vals = dict(vals, user_id=self.env.uid, file_path=file_path or False)
        vals.pop("state", None)
        company = self.env["res.company"].browse(
            vals.get("company_id") or self.env.company.id
        )
        self._import_check_document_rights(vals, company=company)
        if vals.get("attachment_id"):
            attachment = self.env["ir.attachment"].browse(vals["attachment_id"])
            attachment.check_access("read")
        return self.sudo().create(vals).sudo(False)

    def _import_write(self, vals):
        """Progress, state and report: written by the import only."""
        return self.sudo().write(vals)

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
        for run in self:
            run._import_check_document_rights(
                run._import_options(), company=run.company_id
            )
        self.filtered(lambda r: r.state in ("draft", "failed"))._import_write(
            {"state": "queued"}
        )
        self.env.ref(
            "crm_order_unified_history_import.ir_cron_cou_history_import"
        )._trigger()
        return True

    def action_view_orders(self):
        self.ensure_one()
        self.check_access("read")
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
            self.flush_model(["state"])
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
            (run_id,) = row
            run = self.browse(run_id)
            # the job runs as the user who created the run, with their rights
            run = run.with_user(run.create_uid).with_company(run.company_id)
            run._import_write({"state": "running"})
            self.env.cr.commit()  # pylint: disable=invalid-commit (resumable import: keep progress)
            try:
                run._import_execute(commit=True)
            except Exception as e:  # noqa: BLE001
                _logger.exception("order history import %s failed", run.id)
                self.env.cr.rollback()
                self.env.invalidate_all()
                if run.state == "running":  # never leave a run "running" forever
                    run._import_write(
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
    def _import_check_document_rights(self, options, company=None):
        """Check, as Odoo's own import (``load()``) does through the ORM,
        that the current user may create what the import writes in bulk in
        the current company: confirmed orders and their lines, and invoices
        or deliveries when asked for (customers, products, invoices and
        deliveries are created with the ORM, which checks them too). The
        record rules of the orders written in bulk are checked per batch
        (``_import_write_batch``)."""
        company = company or self.env.company
        if company not in self.env.user.company_ids:
            raise AccessError(
                self.env._(
                    "You cannot import order history into %(company)s: "
                    "it is not one of your companies.",
                    company=company.display_name,
                )
            )
        # customers and products are created with the ORM, which checks them
        models_needed = ["sale.order", "sale.order.line"]
        if options.get("create_invoices"):
            models_needed.append("account.move")
        if options.get("create_deliveries"):
            models_needed.append("stock.picking")
        for model in models_needed:
            self.env[model].with_company(company).browse().check_access("create")

    @api.model
    def _import_get_reasons(self):
        """Translated labels of the rejection reasons, by code."""
        return self.env["cou.history.import.parser"]._get_reasons()

    @api.model
    def _import_read_rows(
        self, content=None, path=None, file_name="", delimiter=",", encoding=None
    ):
        """Rows of a CSV, CSV.GZ or XLSX file, header first (see
        ``cou.history.import.reader``; kept here for tools/import_history.py)."""
        return self.env["cou.history.import.reader"]._read_rows(
            content=content,
            path=path,
            file_name=file_name,
            delimiter=delimiter,
            encoding=encoding,
        )

    @api.model
    def _import_analyze(self, rows, settings, options, company, progress=None):
        """Everything a dry run shows, without writing anything (see
        ``cou.history.import.parser``)."""
        return self.env["cou.history.import.parser"]._analyze(
            rows, settings, options, company, progress=progress
        )

    @api.model
    def _import_rejected_csv(self, parsed):
        """The rejected rows as CSV bytes: row, reason, detail, then the original
        columns. Text cells that a spreadsheet would run as a formula (first
        character ``=``, ``+``, ``-``, ``@``, tab or carriage return) get a
        leading ``'``, as OWASP advises against CSV injection."""
        reasons = self._import_get_reasons()
        escape = self._import_csv_cell
        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow(
            [
                self.env._("Row"),
                self.env._("Reason"),
                self.env._("Detail"),
                *map(escape, parsed["header"]),
            ]
        )
        for rejected in sorted(parsed["rejected"], key=attrgetter("rownum")):
            writer.writerow(
                [
                    rejected.rownum,
                    reasons[rejected.reason],
                    escape(rejected.detail),
                    *map(escape, rejected.row or []),
                ]
            )
        return buf.getvalue().encode("utf-8")

    @api.model
    def _import_csv_cell(self, value):
        """A text cell of the rejected-rows CSV, formula characters escaped;
        NUL bytes (which no spreadsheet reads) shown as \\0."""
        if not isinstance(value, str):
            return value
        value = value.replace("\x00", "\\0")
        if value[:1] in ("=", "+", "-", "@", "\t", "\r"):
            return "'" + value
        return value

    @api.model
    def _import_summary_html(self, parsed, limit=50):
        """Counts by reason, examples of rejected rows and of what will be
        created, rendered by a QWeb template (values escaped)."""
        reasons = self._import_get_reasons()
        counts = Counter(rejected.reason for rejected in parsed["rejected"])
        examples = sorted(parsed["rejected"], key=attrgetter("rownum"))[:limit]
        customers = [v["name"] for v in parsed.get("new_customers", {}).values()]
        products = [
            f"[{v['default_code']}] {v['name']}"
            for v in parsed.get("new_products", {}).values()
        ]
        return self.env["ir.qweb"]._render(
            "crm_order_unified_history_import.cou_history_import_run_summary",
            {
                "reasons": [
                    SummaryReason(label=reasons[code], count=count)
                    for code, count in counts.most_common()
                ],
                "examples": [
                    SummaryExample(
                        rownum=rejected.rownum,
                        label=reasons[rejected.reason],
                        detail=(rejected.detail or "").replace("\x00", "\\0"),
                        content=" | ".join(rejected.row or []).replace("\x00", "\\0"),
                    )
                    for rejected in examples
                ],
                "unknown_countries": ", ".join(
                    sorted(parsed.get("unknown_countries") or ())
                ),
                "archived_products": ", ".join(
                    (parsed.get("archived_products") or [])[:limit]
                ),
                "new_customers": ", ".join(customers[:limit])
                + ("…" if len(customers) > limit else ""),
                "new_products": ", ".join(products[:limit])
                + ("…" if len(products) > limit else ""),
            },
        )

    def _import_open_rows(self):
        self.ensure_one()
        settings = json.loads(self.settings_json or "{}")
        if self.attachment_id:
            attachment = self.attachment_id
            if (attachment.res_model, attachment.res_id) != (self._name, self.id):
                raise UserError(
                    self.env._("This import's file belongs to another record.")
                )
            content = attachment.sudo().raw
            return self._import_read_rows(
                content=content,
                file_name=self.file_name,
                delimiter=settings.get("delimiter", ","),
                encoding=settings.get("encoding"),
            )
        if self.file_path:
            try:
                open(self.file_path, "rb").close()  # noqa: SIM115 (only checks the file can be read)
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
                encoding=settings.get("encoding"),
            )
        raise UserError(self.env._("This import has no file."))

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
        self._import_write(
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
        steps = {}
        step_start = time.perf_counter()

        def step(name):
            nonlocal step_start
            now = time.perf_counter()
            steps[name] = round(now - step_start, 1)
            step_start = now

        try:
            self._import_check_document_rights(self._import_options())
            parsed = self._import_analyze(
                self._import_open_rows(),
                settings,
                self._import_options(),
                company,
                progress=progress,
            )
        except UserError as e:  # AccessError included
            self._import_write(
                {
                    "state": "failed",
                    "error_message": str(e),
                    "date_end": fields.Datetime.now(),
                }
            )
            if commit:
                cr.commit()  # pylint: disable=invalid-commit (resumable import: keep progress)
            raise
        self._import_write(
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
        step("read and check")
        try:
            new_count = len(parsed["new_customers"]) + len(parsed["new_products"])
            if progress:
                progress("create", 0, new_count)
            with cr.savepoint():
                customers, created_ids, products = self._import_create_records(parsed)
            if progress:
                progress("create", new_count, new_count)
            step("customers and products")
            cache = self.env["cou.history.import.writer"]._build_cache(
                self, customers, products, created_ids
            )
            if commit:
                cr.commit()  # pylint: disable=invalid-commit (resumable import: keep progress)
            partner_ids = self._import_write_orders(
                parsed, customers, cache, commit, progress
            )
            step("orders")
            self._import_refresh_customer_360(partner_ids, commit, progress)
            step("figures")
        except Exception as e:
            if commit:
                cr.rollback()
            self.env.invalidate_all()
            self._import_write(
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
        _logger.info(
            "order history import %s: %s lines in %.1f s, steps (s): %s",
            self.id,
            parsed["lines_total"],
            time.time() - started,
            steps,
        )
        self._import_write(
            {
                "state": "done",
                "date_end": fields.Datetime.now(),
                "duration": self.duration + time.time() - started,
            }
        )
        if commit:
            cr.commit()  # pylint: disable=invalid-commit (resumable import: keep progress)
        return True

    def _import_create_records(self, parsed):
        """Create the missing customers and products with the ORM and count them.

        :returns: (customer key -> partner id, ids of the created partners,
            product code -> product id)
        """
        Writer = self.env["cou.history.import.writer"]
        customers, created_ids = Writer._create_customers(parsed)
        if parsed["new_customers"]:
            self._import_write(
                {
                    "customers_created": self.customers_created
                    + len(parsed["new_customers"])
                }
            )
        products = Writer._create_products(
            parsed, "order" if self.create_invoices else "delivery"
        )
        if parsed["new_products"]:
            self._import_write(
                {
                    "products_created": self.products_created
                    + len(parsed["new_products"])
                }
            )
        return customers, created_ids, products

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
            batch_lines += len(order.lines)
            if batch_lines >= (self.batch_size or 20000):
                self._import_write_batch(batch, cache, commit)
                done_lines += batch_lines
                partner_ids.update(customers[o.customer_key] for o in batch)
                batch, batch_lines = [], 0
                if progress:
                    progress("write", done_lines, lines_total)
        if batch:
            self._import_write_batch(batch, cache, commit)
            done_lines += batch_lines
            partner_ids.update(customers[o.customer_key] for o in batch)
            if progress:
                progress("write", done_lines, lines_total)
        return partner_ids

    def _import_write_batch(self, batch, cache, commit):
        """Write one batch of whole orders in one transaction (savepoint in tests)."""
        cr = self.env.cr
        self.env.flush_all()
        with cr.savepoint(flush=False):
            Writer = self.env["cou.history.import.writer"]
            order_ids, lines_count = Writer._write_orders(batch, cache)
            # the orders went in by COPY: apply the record rules the ORM
            # would have applied to their creation (raises, rolling back)
            self.env["sale.order"].browse(order_ids).check_access("create")
            if self.create_deliveries:
                Writer._create_deliveries(order_ids)
            if self.create_invoices:
                Writer._create_invoices(order_ids)
            self._import_write(
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
