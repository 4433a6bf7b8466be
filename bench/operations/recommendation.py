"""Operations of the product suggestions (crm_order_unified_recommendation).

Measured its own way (a full model build is too long to repeat five times):

- ``recommendation_rebuild``: one full ``cou.recommendation._rebuild`` of the
  main company from every generated order line, vs. stock Odoo listing each
  customer's purchased products (``_read_group`` of the order lines by
  customer and product, what "buy again" lists show);
- ``recommendation_order_suggestions``: the suggestions of one quotation's
  customer without the products already on it, median of 20 orders, vs. the
  stock optional products of the same order lines.

The offline quality on the real history is the ``recommendation_quality``
module (``bench/operations/recommendation_quality.py``).
"""

import statistics
import time


def _timed(env, func):
    env.flush_all()
    env.invalidate_all()
    count = env.cr.sql_log_count
    start = time.perf_counter()
    func()
    env.flush_all()
    return (time.perf_counter() - start) * 1000, env.cr.sql_log_count - count


def run(env, repeat=None, **kwargs):
    if "cou.recommendation" not in env:
        return []
    results = []
    company = env.company
    Recommendation = env["cou.recommendation"]
    lines = env["sale.order.line"].search_count(
        [("order_id.state", "=", "sale"), ("company_id", "=", company.id)]
    )
    build_ms, build_queries = _timed(env, lambda: Recommendation._rebuild(company))

    def stock_purchases():
        env["sale.order.line"]._read_group(
            [("order_id.state", "=", "sale"), ("company_id", "=", company.id)],
            ["order_partner_id", "product_id"],
            ["__count"],
        )

    base_ms, base_queries = _timed(env, stock_purchases)
    results.append(
        {
            "name": "recommendation_rebuild",
            "size": lines,
            "median_ms": round(build_ms, 2),
            "queries": build_queries,
            "baseline": {
                "name": "stock read_group of order lines by customer and product",
                "median_ms": round(base_ms, 2),
                "queries": base_queries,
            },
        }
    )

    orders = env["sale.order"].search(
        [("company_id", "=", company.id), ("state", "=", "sale")],
        limit=21,
        order="id desc",
    )
    times, queries, base_times, base_queries = [], [], [], []
    for i, order in enumerate(orders):

        def suggest(order=order):
            Recommendation.get_recommendations(
                order.partner_id.ids,
                limit=5,
                exclude_product_ids=order.order_line.product_id.ids,
            )

        def optional(order=order):
            order.order_line.product_id.product_tmpl_id.optional_product_ids.mapped(
                "display_name"
            )

        ms, count = _timed(env, suggest)
        b_ms, b_count = _timed(env, optional)
        if i:  # the first is the warm-up
            times.append(ms)
            queries.append(count)
            base_times.append(b_ms)
            base_queries.append(b_count)
    if times:
        results.append(
            {
                "name": "recommendation_order_suggestions",
                "size": 1,
                "median_ms": round(statistics.median(times), 2),
                "queries": int(statistics.median(queries)),
                "baseline": {
                    "name": "stock optional products of the order's products",
                    "median_ms": round(statistics.median(base_times), 2),
                    "queries": int(statistics.median(base_queries)),
                },
            }
        )

    return results
