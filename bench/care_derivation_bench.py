"""Benchmark of the care attribute derivation (crm_order_unified_care).

Writes a synthetic history in bulk SQL inside one transaction of an existing
database where ``crm_order_unified_care`` is installed (customers, confirmed
orders over two years, their lines over a catalogue where one category in ten
is "Sensitive care"), times ``env["cou.care.derivation"]._recompute()`` for
every customer and for one customer, checks a sample against a plain
Python count, prints JSON and rolls everything back (nothing is kept).

    PYTHONPATH=/opt/odoo/18.0 .venv/bin/python bench/care_derivation_bench.py \\
        -d DB --addons-path=/opt/odoo/18.0/addons,addons \\
        [--customers 100000] [--orders 3] [--lines 3] [--repeat 3]

Target (issue 11): derivation for 100,000 customers under 10 s.
"""

import argparse
import json
import statistics
import sys
import time

PARTNERS_SQL = """
INSERT INTO res_partner (name, active, type, is_company, autopost_bills,
                         create_date, write_date)
SELECT 'Bench customer ' || n, TRUE, 'contact', FALSE, 'ask', now(), now()
  FROM generate_series(1, %s) AS n
RETURNING id
"""
# orders spread over two years (about half within the 12 months)
ORDERS_SQL = """
INSERT INTO sale_order (name, partner_id, partner_invoice_id, partner_shipping_id,
                        company_id, date_order, state, picking_policy,
                        create_date, write_date)
SELECT 'BENCH/' || p.id || '/' || k, p.id, p.id, p.id, %(company)s,
       now() AT TIME ZONE 'UTC'
       - make_interval(days => mod(p.id * 7 + k * 131, 730)),
       'sale', 'direct', now(), now()
  FROM unnest(%(partners)s::int[]) AS p(id),
       generate_series(1, %(orders)s) AS k
RETURNING id
"""
# each line picks a product; about one line in ten is in Sensitive care
LINES_SQL = """
INSERT INTO sale_order_line (order_id, name, product_id, product_uom_qty,
                             price_unit, customer_lead, company_id,
                             create_date, write_date)
SELECT o.id, 'bench',
       (%(products)s::int[])[1 + mod(o.id * 17 + l * 29, %(count)s)],
       1, 10, 0, %(company)s, now(), now()
  FROM unnest(%(orders)s::int[]) AS o(id), generate_series(1, %(lines)s) AS l
"""


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--addons-path", required=True)
    parser.add_argument("--customers", type=int, default=100000)
    parser.add_argument(
        "--orders", type=int, default=3, help="confirmed orders per customer"
    )
    parser.add_argument("--lines", type=int, default=3, help="lines per order")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--db_host", default="localhost")
    parser.add_argument("--db_user", default="odoo")
    parser.add_argument("--db_password", default="odoo")
    args = parser.parse_args()

    import odoo
    from odoo.tools import SQL

    odoo.tools.config.parse_config(
        [
            "--addons-path",
            args.addons_path,
            "-d",
            args.database,
            "--db_host",
            args.db_host,
            "--db_user",
            args.db_user,
            "--db_password",
            args.db_password,
        ]
    )
    registry = odoo.modules.registry.Registry(args.database)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        try:
            result = run(env, SQL, args)
        finally:
            cr.rollback()
    json.dump(result, sys.stdout, indent=2)
    sys.stdout.write("\n")


def run(env, SQL, args):
    cr = env.cr
    company = env.company
    log = sys.stderr.write
    start = time.time()
    # ---- catalogue: 10 categories (the first: "Sensitive care"), 10 products each
    parent = env["product.category"].create({"name": "Bench Cosmetics"})
    categs = env["product.category"].create(
        [
            {
                "name": "Bench Sensitive care" if i == 0 else "Bench Category %d" % i,
                "parent_id": parent.id,
            }
            for i in range(10)
        ]
    )
    products = env["product.product"].create(
        [
            {
                "name": "Bench Product %d-%d" % (c, p),
                "categ_id": categ.id,
                "type": "consu",
            }
            for c, categ in enumerate(categs)
            for p in range(10)
        ]
    )
    attribute = env["cou.care.attribute"].create({"name": "Bench sensitive skin"})
    env["cou.care.derivation"].search([]).write({"active": False})
    env.flush_all()
    # ---- customers, orders and lines in bulk SQL ----
    cr.execute(SQL(PARTNERS_SQL, args.customers))
    partner_ids = [row[0] for row in cr.fetchall()]
    cr.execute(
        SQL(
            "UPDATE res_partner SET commercial_partner_id = id WHERE id = ANY(%s)",
            partner_ids,
        )
    )
    cr.execute(
        SQL(
            ORDERS_SQL,
            company=company.id,
            partners=partner_ids,
            orders=args.orders,
        )
    )
    order_ids = [row[0] for row in cr.fetchall()]
    # each line picks a product; about one line in ten is in Sensitive care
    cr.execute(
        SQL(
            LINES_SQL,
            products=products.ids,
            count=len(products),
            orders=order_ids,
            lines=args.lines,
            company=company.id,
        )
    )
    cr.execute(SQL("ANALYZE res_partner; ANALYZE sale_order; ANALYZE sale_order_line"))
    log(
        "generated %d customers, %d orders, %d lines in %.1f s\n"
        % (
            len(partner_ids),
            len(order_ids),
            len(order_ids) * args.lines,
            time.time() - start,
        )
    )

    derivation = env["cou.care.derivation"].create(
        {
            "attribute_id": attribute.id,
            "categ_id": categs[0].id,
            "min_orders": 2,
            "months": 12,
        }
    )
    Derivation = env["cou.care.derivation"]
    times_all, queries_all, links = [], [], 0
    for _i in range(args.repeat):
        env.invalidate_all()
        count = cr.sql_log_count
        t0 = time.time()
        links = Derivation._recompute()
        times_all.append((time.time() - t0) * 1000)
        queries_all.append(cr.sql_log_count - count)
    times_one = []
    for partner_id in partner_ids[: args.repeat]:
        t0 = time.time()
        Derivation._recompute([partner_id])
        times_one.append((time.time() - t0) * 1000)

    # ---- check a sample against a plain count ----
    sample = partner_ids[:: max(1, len(partner_ids) // 200)]
    cr.execute(
        SQL(
            """
        SELECT so.partner_id, count(DISTINCT so.id)
          FROM sale_order so JOIN sale_order_line sol ON sol.order_id = so.id
         WHERE so.partner_id = ANY(%s) AND sol.product_id = ANY(%s)
           AND so.date_order >= now() AT TIME ZONE 'UTC' - interval '12 months'
         GROUP BY so.partner_id
        """,
            sample,
            products.filtered(lambda p: p.categ_id == categs[0]).ids,
        )
    )
    expected = {pid for pid, n in cr.fetchall() if n >= 2}
    got = set(
        env["cou.care.partner.attribute"]
        .search([("derivation_id", "=", derivation.id), ("partner_id", "in", sample)])
        .partner_id.ids
    )
    return [
        {
            "name": "care_derivation_all",
            "size": len(partner_ids),
            "median_ms": round(statistics.median(times_all), 1),
            "queries": int(statistics.median(queries_all)),
            "derived": links,
            "orders": len(order_ids),
            "lines": len(order_ids) * args.lines,
            "sample_checked": len(sample),
            "sample_ok": expected == got,
            "target_ms": 10000,
        },
        {
            "name": "care_derivation_one_customer",
            "size": 1,
            "median_ms": round(statistics.median(times_one), 1),
        },
    ]


if __name__ == "__main__":
    main()
