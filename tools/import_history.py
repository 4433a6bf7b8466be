#!/usr/bin/env python3
"""Import order history (CSV, CSV.GZ or XLSX sales lines) into a database
with crm_order_unified_history_import installed, using Odoo as a library.

    make import FILE=lines.csv.gz IMPORT_ARGS="--preset online_retail --dry-run"
    make import FILE=orders.csv IMPORT_ARGS="--map order_ref=Invoice,date=InvoiceDate"

Without --preset or --mapping, the mapping whose columns fit the file's
header best is used, and columns with common names (InvoiceNo, Order Date,
SKU, Qty, 受注番号, 日付, 顧客コード, 製品コード, 数量, 単価, 通貨…) are
recognised; --map FIELD=Header names a column explicitly (fields: order_ref,
date, customer_ref, customer_name, customer_email, country, product_code,
product_name, quantity, price, currency).

Prints a progress bar on stderr and a JSON report on stdout. Exit code 0 when
the import is done (or the dry run finished), 1 when it failed: run the same
command again to resume without duplicates.
"""

import argparse
import json
import os
import sys
import time

# --map names: the column fields of cou.history.import.columns.mixin
MAP_FIELDS = {
    "order_ref": "col_order_ref",
    "date": "col_date",
    "customer_ref": "col_customer_ref",
    "customer_name": "col_customer_name",
    "customer_email": "col_customer_email",
    "country": "col_country",
    "product_code": "col_product_code",
    "product_name": "col_product_name",
    "quantity": "col_quantity",
    "price": "col_price",
    "unit_price": "col_price",
    "currency": "col_currency",
}
DELIMITERS = {",": ",", ";": ";", "tab": "\t", "|": "|"}


def parse_column_map(text):
    """``--map order_ref=Invoice,date=InvoiceDate`` as ``{"col_order_ref":
    "Invoice", "col_date": "InvoiceDate"}``; ValueError on a field that does
    not exist, a missing ``=`` or a field given twice."""
    columns = {}
    for item in (text or "").split(","):
        if not item.strip():
            continue
        field, sep, header = item.partition("=")
        field = field.strip().lower()
        if not sep or not header.strip():
            raise ValueError(f"--map expects FIELD=Header, got {item.strip()!r}")
        if field not in MAP_FIELDS:
            raise ValueError(
                f"--map: unknown field {field!r} (fields: {', '.join(MAP_FIELDS)})"
            )
        if MAP_FIELDS[field] in columns:
            raise ValueError(f"--map: {field} is given twice")
        columns[MAP_FIELDS[field]] = header.strip()
    return columns


def _map_arg(text):
    try:
        return parse_column_map(text)
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e)) from e


def resolve_settings(Run, args, company):
    """``(mapping, settings)`` for the file of ``args``: the mapping named by
    --mapping or --preset, else the one that fits the file's header best (or
    none, with the columns recognised by their names), then the columns of
    --map and the --encoding and --delimiter given. UserError on an unknown
    mapping or an unreadable file."""
    from odoo.exceptions import UserError  # noqa: PLC0415

    env = Run.env
    Mapping = env["cou.history.import.mapping"]
    if args.mapping or args.preset:
        domain = (
            [("name", "=", args.mapping)]
            if args.mapping
            else [("code", "=", args.preset)]
        )
        mapping = Mapping.search(domain, limit=1)
        if not mapping:
            raise UserError(f"unknown mapping {args.mapping or args.preset}")
        settings = mapping._get_import_settings()
    else:
        generic = env.ref(
            "crm_order_unified_history_import.cou_history_import_mapping_generic"
        )
        settings = generic._get_import_settings()
    if args.encoding:
        settings["encoding"] = args.encoding
    if args.delimiter:
        settings["delimiter"] = DELIMITERS[args.delimiter]
    if not (args.mapping or args.preset):
        rows = Run._import_read_rows(
            path=args.file,
            file_name=args.file,
            delimiter=settings["delimiter"],
            encoding=settings.get("encoding"),
        )
        header = next((row for row in rows if any(c.strip() for c in row)), [])
        mapping, columns = Mapping._match_header(header, company)
        if mapping:
            settings = dict(
                mapping._get_import_settings(),
                encoding=settings.get("encoding", ""),
                delimiter=settings["delimiter"],
            )
        for fname in Mapping._get_column_fields():
            settings[fname] = columns.get(fname, "")
    settings.update(args.map or {})
    return mapping, settings


def parse_args(argv):
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("file", help="CSV, CSV.GZ or XLSX file of sales lines")
    p.add_argument(
        "-d", "--database", default=os.environ.get("DB_NAME", "crm_order_unified")
    )
    p.add_argument(
        "--preset", default=None, help="mapping code, e.g. online_retail or generic"
    )
    p.add_argument("--mapping", default=None, help="name of a saved mapping")
    p.add_argument(
        "--map",
        type=_map_arg,
        default=None,
        metavar="FIELD=Header,...",
        help="columns by name, e.g. order_ref=Invoice,date=InvoiceDate,"
        "quantity=Qty (overrides the mapping)",
    )
    p.add_argument(
        "--encoding",
        default=None,
        help="encoding of a CSV file, e.g. cp932 (Shift_JIS), utf-16, cp1252 "
        "(default: detected)",
    )
    p.add_argument(
        "--delimiter", choices=sorted(DELIMITERS), default=None, help="CSV delimiter"
    )
    p.add_argument(
        "--company",
        type=int,
        default=None,
        help="company id (default: the admin's company)",
    )
    p.add_argument(
        "--dry-run", action="store_true", help="check and count, write nothing"
    )
    p.add_argument("--cancel-mode", choices=["net", "refund"], default="net")
    p.add_argument("--non-product", choices=["reject", "service"], default="service")
    p.add_argument("--missing-customer", choices=["reject", "guest"], default="reject")
    p.add_argument("--create-invoices", action="store_true")
    p.add_argument(
        "--create-deliveries",
        action="store_true",
        help="also deliver the goods (stock moves)",
    )
    p.add_argument("--batch-size", type=int, default=20000)
    p.add_argument(
        "--rejected-out", default=None, help="write the rejected rows CSV to this path"
    )
    p.add_argument(
        "--resume", type=int, default=None, help="id of a failed run to resume"
    )
    p.add_argument(
        "--odoo-args",
        default=os.environ.get("ODOO_ARGS", ""),
        help="extra odoo options",
    )
    return p.parse_args(argv)


class Progress:
    """A progress bar on stderr (only redrawn a few times per second)."""

    def __init__(self):
        self.start = time.time()
        self.last = 0.0
        self.phases = {}

    def __call__(self, phase, done, total):
        now = time.time()
        self.phases.setdefault(phase, [now, now])[1] = now
        if now - self.last < 0.3 and done != total:
            return
        self.last = now
        elapsed = now - self.start
        if total:
            width = 30
            filled = int(width * done / total)
            bar = "#" * filled + "." * (width - filled)
            percent = 100.0 * done / total
            sys.stderr.write(
                f"\r{phase:<9} [{bar}] {percent:5.1f}% {done:d}/{total:d}"
                f"  {elapsed:.0f}s"
            )
        else:
            sys.stderr.write(f"\r{phase:<9} {done:d} rows  {elapsed:.0f}s")
        if done == total and total:
            sys.stderr.write("\n")
        sys.stderr.flush()


def main(argv):
    args = parse_args(argv)
    if not os.path.isfile(args.file):
        sys.stderr.write(f"error: file not found: {args.file}\n")
        return 2
    import odoo  # noqa: PLC0415
    from odoo.tools import config  # noqa: PLC0415

    config.parse_config(
        [*args.odoo_args.split(), "--log-level=warn", "--max-cron-threads=0"]
    )
    odoo.netsvc.init_logger()
    try:
        registry = odoo.modules.registry.Registry(args.database)
    except Exception as e:  # noqa: BLE001
        sys.stderr.write(f"error: cannot open database {args.database}: {e}\n")
        return 2
    if "cou.history.import.run" not in registry:
        sys.stderr.write(
            "error: crm_order_unified_history_import is not installed (or too old) "
            f"on {args.database}: run make run first.\n"
        )
        return 2
    from odoo.exceptions import UserError  # noqa: PLC0415

    progress = Progress()
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        admin = env.ref("base.user_admin")
        company = (
            env["res.company"].browse(args.company)
            if args.company
            else admin.company_id
        )
        env = odoo.api.Environment(
            cr, admin.id, {"lang": admin.lang or "en_US", "tz": admin.tz}
        )
        env = env(context=dict(env.context, allowed_company_ids=[company.id]))
        Run = env["cou.history.import.run"].with_company(company)
        if args.resume:
            run = Run.browse(args.resume).exists()
            if not run:
                sys.stderr.write(f"error: no import run {args.resume}\n")
                return 2
        else:
            try:
                mapping, settings = resolve_settings(Run, args, company)
            except UserError as e:
                sys.stderr.write(f"error: {e}\n")
                return 2
            options = {
                "cancel_mode": args.cancel_mode,
                "non_product_mode": args.non_product,
                "missing_customer_mode": args.missing_customer,
                "create_invoices": args.create_invoices,
                "create_deliveries": args.create_deliveries,
            }
            if args.dry_run:
                started = time.time()
                try:
                    parsed = Run._import_analyze(
                        Run._import_read_rows(
                            path=args.file,
                            file_name=args.file,
                            delimiter=settings["delimiter"],
                            encoding=settings.get("encoding"),
                        ),
                        settings,
                        options,
                        company,
                        progress=progress,
                    )
                except UserError as e:
                    sys.stderr.write(f"\nerror: {e}\n")
                    return 1
                sys.stderr.write("\n")
                if args.rejected_out:
                    with open(args.rejected_out, "wb") as f:
                        f.write(Run._import_rejected_csv(parsed))
                reasons = Run._import_get_reasons()
                counts = {}
                for _row, code, _detail, _raw in parsed["rejected"]:
                    counts[reasons[code]] = counts.get(reasons[code], 0) + 1
                report = {
                    "dry_run": True,
                    "mapping": mapping.name or None,
                    "encoding": env["cou.history.import.reader"]._get_encoding_label(
                        settings.get("encoding")
                        or env["cou.history.import.reader"]._detect_encoding(
                            path=args.file, file_name=args.file
                        )
                    )
                    or None,
                    "columns": {
                        field: settings[fname]
                        for field, fname in MAP_FIELDS.items()
                        if field != "unit_price" and settings.get(fname)
                    },
                    "rows": parsed["rows_total"],
                    "rejected": len(parsed["rejected"]),
                    "rejected_by_reason": counts,
                    "orders": len(parsed["todo"]),
                    "lines": parsed["lines_total"],
                    "orders_already_imported": parsed["orders_skipped"],
                    "new_customers": len(parsed["new_customers"]),
                    "new_products": len(parsed["new_products"]),
                    "seconds": round(time.time() - started, 1),
                }
                cr.rollback()
                print(json.dumps(report, indent=2, ensure_ascii=False))
                return 0
            try:
                run = Run._import_create_run(
                    {
                        "company_id": company.id,
                        "file_name": os.path.basename(args.file),
                        "mapping_id": mapping.id,
                        "settings_json": json.dumps(settings),
                        "batch_size": args.batch_size,
                        **options,
                    },
                    file_path=os.path.abspath(args.file),
                )
            except UserError as e:
                sys.stderr.write(f"error: {e}\n")
                return 1
            cr.commit()
        sys.stderr.write(f"import run {run.id} ({run.name}) on {args.database}\n")
        try:
            ok = run._import_execute(commit=True, progress=progress)
        except UserError as e:
            sys.stderr.write(f"\nerror: {e}\n")
            return 1
        sys.stderr.write("\n")
        run.invalidate_recordset()
        if args.rejected_out and run.rejected_file:
            import base64  # noqa: PLC0415

            with open(args.rejected_out, "wb") as f:
                f.write(base64.b64decode(run.rejected_file))
        report = {
            "run_id": run.id,
            "state": run.state,
            "rows": run.rows_total,
            "rejected": run.rows_rejected,
            "orders_created": run.orders_created,
            "lines_created": run.lines_created,
            "orders_already_imported": run.orders_skipped,
            "customers_created": run.customers_created,
            "products_created": run.products_created,
            "seconds": round(run.duration, 1),
            "phase_seconds": {
                phase: round(end - start, 1)
                for phase, (start, end) in progress.phases.items()
            },
            "error": run.error_message or None,
        }
        print(json.dumps(report, indent=2, ensure_ascii=False))
        if not ok:
            sys.stderr.write(
                f"the import failed; run again with --resume {run.id} to continue\n"
            )
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
