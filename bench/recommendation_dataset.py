#!/usr/bin/env python3
"""A purchase history of the bench's size for timing the suggestions build.

The shared bench dataset (bench/generate.py) has 44 products, too few for the
neighbour search a real catalogue needs; this writes, in bulk SQL into the
main company of a database where ``crm_order_unified_recommendation`` is
installed, 5,000 products in 50 categories with a long-tailed demand (the one
of ``bench/recommendation_quality.py``'s engine timing), 100,000 customers
and 200,000 confirmed orders of 5 lines over two years (1,000,000 lines),
then times one full ``cou.recommendation._rebuild`` (and, with ``--twice``,
a second one over the stored rows). Prints JSON; the data is committed once
(``--reuse`` skips writing when it is there).

    ODOO_ARGS="--addons-path=... --db_host=..." .venv/bin/python \
        bench/recommendation_dataset.py --db NAME [--lines 1000000] [--reuse] [--twice]
"""

import argparse
import io
import json
import os
import sys
import time

import numpy as np

MARK = "COU Bench Reco"


def _copy(cr, table, columns, rows):
    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join("\\N" if v is None else str(v) for v in row))
        buffer.write("\n")
    buffer.seek(0)
    from odoo.tools import SQL  # noqa: PLC0415 (odoo is imported by main)

    query = SQL(
        "COPY %s (%s) FROM STDIN",
        SQL.identifier(table),
        SQL(", ").join(SQL.identifier(column) for column in columns),
    )
    cr.copy_expert(query.code, buffer)


def _reserve(cr, sequence, count):
    cr.execute("SELECT nextval(%s)", [sequence])
    base = cr.fetchone()[0]
    cr.execute("SELECT setval(%s, %s)", [sequence, base + count])
    return np.arange(base, base + count)


def _cpu_seconds(pid):
    """User + system CPU seconds of a local process (None when unreadable,
    e.g. PostgreSQL on another host)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


def write(env, customers, lines, products, seed=42, log=print):
    """Write the dataset with COPY (no ORM); returns its sizes."""
    cr = env.cr
    rng = np.random.default_rng(seed)
    company = env.company
    uom = env.ref("uom.product_uom_unit").id
    currency = company.currency_id.id
    n_orders = lines // 5
    started = time.perf_counter()
    cr.execute(
        "INSERT INTO product_category (name, complete_name, parent_path) "
        "SELECT %s || ' ' || i, %s || ' ' || i, '' FROM generate_series(1, 50) i "
        "RETURNING id",
        [MARK, MARK],
    )
    categs = np.asarray([row[0] for row in cr.fetchall()])
    cr.execute(
        "UPDATE product_category SET parent_path = id || '/' WHERE id = ANY(%s)",
        [categs.tolist()],
    )
    tmpl_ids = _reserve(cr, "product_template_id_seq", products)
    prices = np.round(rng.uniform(1, 100, products), 2)
    _copy(
        cr,
        "product_template",
        [
            "id",
            "name",
            "categ_id",
            "uom_id",
            "uom_po_id",
            "type",
            "service_tracking",
            "tracking",
            "sale_line_warn",
            "sale_ok",
            "purchase_ok",
            "active",
            "list_price",
            "invoice_policy",
        ],
        (
            (
                int(tid),
                json.dumps({"en_US": f"{MARK} Product {i}"}),
                int(categs[i % len(categs)]),
                uom,
                uom,
                "consu",
                "no",
                "none",
                "no-message",
                "t",
                "t",
                "t",
                float(prices[i]),
                "order",
            )
            for i, tid in enumerate(tmpl_ids)
        ),
    )
    product_ids = _reserve(cr, "product_product_id_seq", products)
    _copy(
        cr,
        "product_product",
        ["id", "product_tmpl_id", "active", "combination_indices"],
        (
            (int(pid), int(tid), "t", "")
            for pid, tid in zip(product_ids, tmpl_ids, strict=False)
        ),
    )
    partner_ids = _reserve(cr, "res_partner_id_seq", customers)
    _copy(
        cr,
        "res_partner",
        [
            "id",
            "name",
            "complete_name",
            "commercial_partner_id",
            "is_company",
            "active",
            "type",
            "autopost_bills",
        ],
        (
            (
                int(pid),
                f"{MARK} {i}",
                f"{MARK} {i}",
                int(pid),
                "t",
                "t",
                "contact",
                "ask",
            )
            for i, pid in enumerate(partner_ids)
        ),
    )
    log(f"products and customers: {time.perf_counter() - started:.1f}s")
    order_ids = _reserve(cr, "sale_order_id_seq", n_orders)
    order_customer = partner_ids[rng.integers(0, customers, n_orders)]
    order_day = rng.integers(1, 731, n_orders)
    today = np.datetime64("today")
    dates = (today - order_day.astype("timedelta64[D]")).astype(str)
    _copy(
        cr,
        "sale_order",
        [
            "id",
            "name",
            "partner_id",
            "partner_invoice_id",
            "partner_shipping_id",
            "company_id",
            "date_order",
            "state",
            "picking_policy",
            "currency_id",
            "create_date",
            "write_date",
        ],
        (
            (
                int(oid),
                f"RB{oid}",
                int(cust),
                int(cust),
                int(cust),
                company.id,
                f"{day} 10:00:00",
                "sale",
                "direct",
                currency,
                f"{day} 10:00:00",
                f"{day} 10:00:00",
            )
            for oid, cust, day in zip(order_ids, order_customer, dates, strict=False)
        ),
    )
    weights = 1.0 / (np.arange(products) + 10.0)
    line_product = rng.permutation(products)[
        rng.choice(products, n_orders * 5, p=weights / weights.sum())
    ]
    line_order = np.repeat(np.arange(n_orders), 5)
    _copy(
        cr,
        "sale_order_line",
        [
            "order_id",
            "name",
            "product_id",
            "product_uom",
            "product_uom_qty",
            "price_unit",
            "customer_lead",
            "company_id",
            "currency_id",
            "state",
        ],
        (
            (
                int(order_ids[o]),
                "x",
                int(product_ids[p]),
                uom,
                1,
                float(prices[p]),
                0,
                company.id,
                currency,
                "sale",
            )
            for o, p in zip(line_order, line_product, strict=False)
        ),
    )
    cr.execute("ANALYZE sale_order; ANALYZE sale_order_line; ANALYZE res_partner")
    env.invalidate_all()
    log(f"written: {time.perf_counter() - started:.1f}s")
    return {"customers": customers, "orders": n_orders, "lines": n_orders * 5}


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--products", type=int, default=5_000)
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--twice", action="store_true")
    args = parser.parse_args(argv)
    import odoo  # noqa: PLC0415
    from odoo.tools import config  # noqa: PLC0415

    config.parse_config(
        [*os.environ["ODOO_ARGS"].split(), "-d", args.db, "--log-level=warn"]
    )
    odoo.modules.module.initialize_sys_path()
    from odoo.modules.registry import Registry  # noqa: PLC0415

    def log(msg):
        print(f"[reco-bench] {msg}", file=sys.stderr, flush=True)

    registry = Registry(args.db)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        cr.execute("SELECT count(*) FROM res_partner WHERE name LIKE %s", [MARK + " %"])
        present = cr.fetchone()[0] > 0
        if not (args.reuse and present):
            sizes = write(env, args.customers, args.lines, args.products, log=log)
            cr.commit()
        else:
            sizes = {"reused": True}
        results = []
        cr.execute("SELECT pg_backend_pid()")
        backend = cr.fetchone()[0]
        for _run in range(2 if args.twice else 1):
            started = time.perf_counter()
            cpu, pg_cpu = time.process_time(), _cpu_seconds(backend)
            counts = env["cou.recommendation"]._rebuild(env.company)
            env.flush_all()
            cr.commit()
            pg_after = _cpu_seconds(backend)
            results.append(
                {
                    "seconds": round(time.perf_counter() - started, 2),
                    # on a loaded machine the wall time waits for a CPU: the
                    # CPU time of Odoo and of its PostgreSQL backend is the
                    # work itself
                    "cpu_s": round(time.process_time() - cpu, 2),
                    "postgres_cpu_s": round(pg_after - pg_cpu, 2)
                    if pg_after is not None and pg_cpu is not None
                    else None,
                    **counts,
                }
            )
        load = os.getloadavg()
    print(json.dumps({"dataset": sizes, "builds": results, "load": load}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
