"""[forecast] Recompute of 5,000 products' forecasts (crm_order_unified_forecast).

``forecast_recompute``: one ``cou.forecast._run_forecast`` of the main company
(monthly, 6 months ahead: every product, category, segment and the total,
each series' method chosen by its own backtest, and the customers' reorder
probabilities) once the generated order lines are spread over ``PRODUCTS``
products in ``CATEGORIES`` categories (created through the ORM, storable;
lines reassigned with one ``UPDATE`` on a skewed popularity, so that a few
products sell every month and many now and then, as in real catalogues) and
the RFM segments are computed. Timed once (minutes: too long to repeat); the
machine's load average and CPU count are reported beside it, since the
target (under 5 minutes on 2 cores) depends on what else runs; ``cpu_s`` is
the CPU time the run's process used (its wall time with a core to itself).

``COU_BENCH_FORECAST_PRODUCTS`` changes the number of products (development).

Baseline: what a planner gets from stock Odoo, the Sales Analysis
(``sale.report``) grouped by product and month, which forecasts nothing.
"""

import os
import resource
import sys
import time

from odoo.tools import SQL

PRODUCTS = int(os.environ.get("COU_BENCH_FORECAST_PRODUCTS", 5000))
CATEGORIES = 50


def _log(msg):
    print(f"[bench forecast] {msg}", file=sys.stderr, flush=True)


def _timed(env, func):
    env.flush_all()
    env.invalidate_all()
    count = env.cr.sql_log_count
    start = time.perf_counter()
    result = func()
    env.flush_all()
    return (time.perf_counter() - start) * 1000, env.cr.sql_log_count - count, result


def _prepare(env, company, products):
    started = time.perf_counter()
    categories = env["product.category"].create(
        [{"name": f"Bench Forecast Category {i}"} for i in range(CATEGORIES)]
    )
    variants = (
        env["product.product"]
        .with_context(tracking_disable=True)
        .create(
            [
                {
                    "name": f"Bench Forecast Product {i}",
                    "categ_id": categories[i % CATEGORIES].id,
                    "type": "consu",
                    "is_storable": True,
                    "list_price": 5.0 + i % 40,
                }
                for i in range(products)
            ]
        )
    )
    env.flush_all()
    # a line goes to the product of rank floor(P * u^2), u uniform from a
    # hash of its id: the first ranks get most lines, every product some
    env.cr.execute(
        SQL(
            """UPDATE sale_order_line sol
                  SET product_id = (%(ids)s::int[])[1 + LEAST(%(n)s - 1, floor(
                          %(n)s * power((hashtext(sol.id::text)::bigint + 2147483648)
                                        / 4294967296.0, 2))::int)]
                 FROM sale_order so
                WHERE so.id = sol.order_id AND so.company_id = %(company)s
                  AND sol.product_id IS NOT NULL AND sol.display_type IS NULL""",
            ids=variants.ids,
            n=len(variants),
            company=company.id,
        )
    )
    env.invalidate_all()
    if "cou.segment" in env:
        env["cou.segment"]._recompute_all(commit=False, companies=company)
    env.flush_all()
    _log(
        f"{products} products, {CATEGORIES} categories and segments ready in "
        f"{time.perf_counter() - started:.0f} s"
    )


def run(env, repeat=None, **kwargs):
    if "cou.forecast" not in env:
        return []
    company = env.company
    _prepare(env, company, PRODUCTS)
    env.cr.execute(
        SQL(
            """SELECT COUNT(*), COUNT(DISTINCT sol.product_id)
                 FROM sale_order_line sol JOIN sale_order so ON so.id = sol.order_id
                WHERE so.state = 'sale' AND so.company_id = %s""",
            company.id,
        )
    )
    lines, sold = env.cr.fetchone()
    load_before = os.getloadavg()
    _log(f"recomputing the forecasts of {sold} products ({lines} order lines)")
    cpu_before = resource.getrusage(resource.RUSAGE_SELF)
    ms, queries, series = _timed(
        env, lambda: env["cou.forecast"]._run_forecast(company, granularity="month")
    )
    cpu_after = resource.getrusage(resource.RUSAGE_SELF)
    load_after = os.getloadavg()
    cpu_s = (cpu_after.ru_utime - cpu_before.ru_utime) + (
        cpu_after.ru_stime - cpu_before.ru_stime
    )
    _log(f"recomputed in {ms / 1000:.0f} s wall, {cpu_s:.0f} s CPU of this process")
    levels = dict(
        env["cou.forecast"]._read_group(
            [
                ("company_id", "=", company.id),
                ("is_latest", "=", True),
                ("granularity", "=", "month"),
                ("row_type", "=", "forecast"),
            ],
            ["level"],
            ["__count"],
        )
    )

    def stock_pivot():
        env["sale.report"]._read_group(
            [("state", "=", "sale"), ("company_id", "=", company.id)],
            ["product_id", "date:month"],
            ["product_uom_qty:sum", "price_subtotal:sum"],
        )

    b_ms, b_queries, _result = _timed(env, stock_pivot)
    return [
        {
            "name": "forecast_recompute",
            "size": sold,
            "median_ms": round(ms, 2),
            "queries": queries,
            "series": series,
            "forecast_rows_per_level": levels,
            "order_lines": lines,
            "under_5_minutes": ms < 300_000,
            # the CPU time the run's process used: its wall time on a machine
            # where it has a core to itself (plus PostgreSQL's share)
            "cpu_s": round(cpu_s, 1),
            "load_average_before": [round(x, 2) for x in load_before],
            "load_average_after": [round(x, 2) for x in load_after],
            "cpus": os.cpu_count(),
            "baseline": {
                "name": "stock Sales Analysis by product and month (no forecast)",
                "median_ms": round(b_ms, 2),
                "queries": b_queries,
            },
        }
    ]
