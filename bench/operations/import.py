"""[import] Benchmark of the order history import (issue 6).

``history_import_100k``: import a generated 100,000-line file (10,000 orders of
10 lines, 2,000 customers and 500 products, all new) with the addon's bulk
importer (``cou.history.import.run``: parse, check, create customers and
products, COPY orders and lines, refresh the Customer 360 figures), measured
whole, once.

Baseline: Odoo's own ``base_import`` of the same rows as sale orders (one CSV
row per line, ``order_line/...`` columns, state ``sale``), on the same
customers and products. It goes through the ORM for every order and is far too
slow to run on 100,000 lines, so it is measured on a sample of 1,000 lines
(100 orders) and extrapolated linearly to 100,000 (``"extrapolated_from"``).
Everything is rolled back afterwards; the bench database is left unchanged.
"""

import csv
import io
import json
import time

LINES = 100_000
LINES_PER_ORDER = 10
CUSTOMERS = 2_000
PRODUCTS = 500
BASELINE_LINES = 1_000


def _generate(orders, prefix):
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(
        [
            "order_ref",
            "date",
            "customer_ref",
            "customer_name",
            "customer_email",
            "country",
            "product_code",
            "product_name",
            "quantity",
            "unit_price",
            "currency",
        ]
    )
    for o in range(orders):
        cust = o % CUSTOMERS
        date = "20%02d-%02d-%02d 10:%02d:00" % (
            22 + o % 3,
            1 + o % 12,
            1 + o % 28,
            o % 60,
        )
        for n in range(LINES_PER_ORDER):
            prod = (o * 7 + n * 13) % PRODUCTS
            writer.writerow(
                [
                    f"{prefix}{o:06d}",
                    date,
                    f"BENCH-C{cust:05d}",
                    f"Bench Customer {cust:05d}",
                    "",
                    "Belgium",
                    f"BENCH-P{prod:04d}",
                    f"Bench Product {prod:04d}",
                    1 + (o + n) % 12,
                    "%.2f" % (1 + prod % 50 + 0.25),
                    "",
                ]
            )
    return buf.getvalue().encode()


def run(env, **kwargs):
    cr = env.cr
    company = env.company
    mapping = env.ref(
        "crm_order_unified_history_import.cou_history_import_mapping_generic"
    )
    content = _generate(LINES // LINES_PER_ORDER, "BENCH-SO")
    attachment = env["ir.attachment"].create(
        {"name": "bench_history.csv", "raw": content}
    )
    run_rec = env["cou.history.import.run"].create(
        {
            "company_id": company.id,
            "file_name": "bench_history.csv",
            "attachment_id": attachment.id,
            "mapping_id": mapping.id,
            "settings_json": json.dumps(mapping._get_import_settings()),
        }
    )
    env.flush_all()
    queries = cr.sql_log_count
    start = time.perf_counter()
    run_rec._import_execute(commit=False)
    ours_ms = (time.perf_counter() - start) * 1000
    ours_queries = cr.sql_log_count - queries
    if run_rec.state != "done":
        raise RuntimeError(f"bench import failed: {run_rec.error_message}")

    # baseline: base_import of the same kind of rows as sale orders, on a sample
    sample = io.StringIO()
    writer = csv.writer(sample)
    writer.writerow(
        [
            "name",
            "partner_id",
            "date_order",
            "state",
            "order_line/product_id",
            "order_line/product_uom_qty",
            "order_line/price_unit",
        ]
    )
    reader = csv.reader(
        io.StringIO(_generate(BASELINE_LINES // LINES_PER_ORDER, "BASE-SO").decode())
    )
    next(reader)
    previous = None
    for (
        ref,
        date,
        _cref,
        cname,
        _mail,
        _country,
        code,
        pname,
        qty,
        price,
        _cur,
    ) in reader:
        head = [ref, cname, date, "sale"] if ref != previous else ["", "", "", ""]
        previous = ref
        writer.writerow([*head, f"[{code}] {pname}", qty, price])
    importer = env["base_import.import"].create(
        {
            "res_model": "sale.order",
            "file": sample.getvalue().encode(),
            "file_type": "text/csv",
            "file_name": "baseline.csv",
        }
    )
    fields_ = [
        "name",
        "partner_id",
        "date_order",
        "state",
        "order_line/product_id",
        "order_line/product_uom_qty",
        "order_line/price_unit",
    ]
    options = {
        "quoting": '"',
        "separator": ",",
        "has_headers": True,
        "date_format": "%Y-%m-%d",
        "datetime_format": "%Y-%m-%d %H:%M:%S",
        "float_thousand_separator": "",
        "float_decimal_separator": ".",
    }
    env.flush_all()
    queries = cr.sql_log_count
    start = time.perf_counter()
    result = importer.execute_import(fields_, fields_, options, dryrun=False)
    env.flush_all()
    base_ms = (time.perf_counter() - start) * 1000
    base_queries = cr.sql_log_count - queries
    errors = [m for m in result.get("messages", []) if m.get("type") == "error"]
    if len(result.get("ids") or []) != BASELINE_LINES // LINES_PER_ORDER:
        errors = errors or [result]
    if errors:
        raise RuntimeError(f"baseline base_import failed: {errors[:3]}")
    factor = LINES / BASELINE_LINES
    return [
        {
            "name": "history_import_100k",
            "size": LINES,
            "median_ms": round(ours_ms, 1),
            "queries": ours_queries,
            "baseline": {
                "name": "base_import of the same rows as sale orders (extrapolated)",
                "median_ms": round(base_ms * factor, 1),
                "queries": int(base_queries * factor),
                "extrapolated_from": BASELINE_LINES,
            },
        }
    ]
