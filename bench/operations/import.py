"""[import] Benchmark of the order history import (issues 6 and 16).

Two operations, the same measure at two sizes:

- ``import`` (result ``history_import_100k``): a generated 100,000-line file
  (10,000 orders of 10 lines, 2,000 customers and 500 products, all new);
- ``history_import_1m``: a generated 1,000,000-line file, the same file ten
  times larger (100,000 orders of 10 lines, 20,000 customers and 5,000
  products, all new);

each imported with the addon's bulk importer (``cou.history.import.run``:
parse, check, create customers and products, COPY orders and lines, refresh
the Customer 360 figures of the touched customers), measured whole, once.
The time of each step of the import (read and check the rows, create the
customers and products, write the orders, refresh the figures) goes to
stderr.

After the measure (not timed), a sample of the imported orders is checked:
their stored computed fields recomputed by the ORM, and the Customer 360
figures of their customers (order count, revenue, last order date) against
their definitions; a difference fails the operation.

Baseline: Odoo's own ``base_import`` of the same rows as sale orders (one CSV
row per line, ``order_line/...`` columns, state ``sale``), on the same
customers and products. It goes through the ORM for every order and is far too
slow to run on the whole file, so it is measured in the same run on a sample
of 1,000 lines (100 orders) and extrapolated linearly to the file's size
(``"extrapolated_from"``).
Everything is rolled back afterwards; the bench database is left unchanged.
"""

import csv
import io
import json
import random
import sys
import time

from odoo.tools import float_compare

from bench.check import recompute_problems

from . import OPERATIONS, ModuleRunner

LINES = 100_000
LINES_PER_ORDER = 10
# customers and products per line of the file (2,000 and 500 for 100,000 lines)
LINES_PER_CUSTOMER = 50
LINES_PER_PRODUCT = 200
BASELINE_LINES = 1_000
CHECK_ORDERS = 20


def _log(msg):
    print(f"[bench] {msg}", file=sys.stderr, flush=True)


def _generate(orders, prefix, customers, products):
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
        cust = o % customers
        date = "20%02d-%02d-%02d 10:%02d:00" % (
            22 + o % 3,
            1 + o % 12,
            1 + o % 28,
            o % 60,
        )
        for n in range(LINES_PER_ORDER):
            prod = (o * 7 + n * 13) % products
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


class _Steps:
    """The import's progress callback: the time between its steps."""

    def __init__(self):
        self.start = self.last = time.perf_counter()
        self.stage = None
        self.durations = {}

    def __call__(self, stage, done, total):
        now = time.perf_counter()
        if stage != self.stage:
            if self.stage:
                self.durations[self.stage] = now - self.last
            self.stage, self.last = stage, now

    def close(self):
        self(None, 0, 0)
        return {k: round(v, 1) for k, v in self.durations.items()}


def _check(env, run_rec):
    """Problems found in a sample of the imported orders (empty: all good)."""
    problems = []
    env.flush_all()
    env.invalidate_all()
    orders = env["sale.order"].search([("cou_import_run_id", "=", run_rec.id)])
    orders = orders.browse(
        sorted(random.Random(1).sample(orders.ids, min(CHECK_ORDERS, len(orders))))
    )
    for recs in (orders, orders.order_line):
        fnames = [
            name
            for name, field in recs._fields.items()
            if field.store
            and field.compute
            and field.readonly
            and not field.company_dependent
            and name not in ("validity_date", "access_token")
        ]
        problems += recompute_problems(env, recs, fnames, what="imported")
        env.flush_all()
    for partner in orders.partner_id.commercial_partner_id:
        sales = env["sale.order"].search(
            [("partner_id", "child_of", partner.id), ("state", "=", "sale")]
        )
        revenue = sum(
            round(o.amount_untaxed / o.currency_rate, 2)
            for o in sales
            if o.currency_rate
        )
        expected = {
            "customer_order_count": len(sales),
            "customer_lifetime_revenue": revenue,
            "customer_last_order_date": max(sales.mapped("date_order")).date(),
        }
        for fname, value in expected.items():
            got = partner[fname]
            if isinstance(value, float):
                same = not float_compare(got, value, precision_digits=2)
            else:
                same = got == value
            if not same:
                problems.append(f"{partner}.{fname}: {got!r} != {value!r}")
    return problems


def _measure(env, name, lines):
    cr = env.cr
    company = env.company
    mapping = env.ref(
        "crm_order_unified_history_import.cou_history_import_mapping_generic"
    )
    customers = lines // LINES_PER_CUSTOMER
    products = lines // LINES_PER_PRODUCT
    started = time.perf_counter()
    content = _generate(lines // LINES_PER_ORDER, "BENCH-SO", customers, products)
    attachment = env["ir.attachment"].create(
        {"name": "bench_history.csv", "raw": content}
    )
    del content
    # as the import wizard does (the run's file and settings are the import's own)
    run_rec = env["cou.history.import.run"]._import_create_run(
        {
            "company_id": company.id,
            "file_name": "bench_history.csv",
            "attachment_id": attachment.id,
            "mapping_id": mapping.id,
            "settings_json": json.dumps(mapping._get_import_settings()),
        }
    )
    env.flush_all()
    _log(
        f"{name}: {lines} lines, {customers} customers, {products} products "
        f"generated in {time.perf_counter() - started:.1f} s"
    )
    steps = _Steps()
    queries = cr.sql_log_count
    start = time.perf_counter()
    run_rec._import_execute(commit=False, progress=steps)
    ours_ms = (time.perf_counter() - start) * 1000
    ours_queries = cr.sql_log_count - queries
    if run_rec.state != "done":
        raise RuntimeError(f"bench import failed: {run_rec.error_message}")
    _log(f"{name}: {ours_ms / 1000:.1f} s, steps (s): {json.dumps(steps.close())}")
    if run_rec.lines_created != lines:
        raise RuntimeError(f"bench import wrote {run_rec.lines_created} lines")
    problems = _check(env, run_rec)
    for problem in problems[:50]:
        _log(f"{name} check: {problem}")
    if problems:
        raise RuntimeError(f"{name}: {len(problems)} imported values are wrong")
    _log(f"{name} check: the sampled orders and figures are what the ORM computes")

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
        io.StringIO(
            _generate(
                BASELINE_LINES // LINES_PER_ORDER, "BASE-SO", customers, products
            ).decode()
        )
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
    env.invalidate_all()
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
    factor = lines / BASELINE_LINES
    _log(
        f"{name}: baseline {base_ms / 1000:.1f} s for {BASELINE_LINES} lines, "
        f"{base_ms * factor / ours_ms:.0f}x the import"
    )
    return [
        {
            "name": name,
            "size": lines,
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


def run(env, **kwargs):
    """history_import_100k: import 100,000 lines, vs. base_import (sampled)."""
    return _measure(env, "history_import_100k", LINES)


def run_1m(env, **kwargs):
    """history_import_1m: import 1,000,000 lines, vs. base_import (sampled)."""
    return _measure(env, "history_import_1m", 1_000_000)


# two runners from one module (a module registering nothing is listed under
# its own name only)
OPERATIONS.setdefault("import", ModuleRunner(run, run.__doc__))
OPERATIONS.setdefault("history_import_1m", ModuleRunner(run_1m, run_1m.__doc__))
