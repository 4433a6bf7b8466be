"""[forecast] Forecast quality on the real history (crm_order_unified_forecast).

Runs ``bench/forecast_quality.py`` (see its docstring) on the real files of
``../shared/data`` when they are there, in the same ``make bench`` run, and
prints one object per measure, each with the baseline it must beat:

- ``forecast_quality_product_qty``: per-product monthly quantity of the top
  200 products by revenue, mean sMAPE, vs. seasonal-naive on the same
  rolling origins (with the improvement and the share of products where the
  engine is better);
- ``forecast_quality_company_orders`` and ``forecast_quality_company_revenue``:
  the company's monthly order count and revenue, sMAPE, vs. seasonal-naive;
- ``forecast_quality_reorder``: the probability of an order in the next 30
  days per customer, AUC and Brier score, vs. the "days since last order
  versus usual interval" rule.

``median_ms`` is the wall time of the whole evaluation (run once; it does
not use the benchmark database). Leave it out with ``--ops`` listing the
other operations.
"""

import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent.parent


def results_from_report(report):
    """The bench objects of one ``forecast_quality.evaluate`` report."""
    ms = round(report["seconds"] * 1000, 2)
    data = report["data"]
    results = []
    products = report.get("product_monthly_qty")
    if products:
        results.append(
            {
                "name": "forecast_quality_product_qty",
                "size": products["products"],
                "median_ms": ms,
                "queries": 0,
                "smape": products["smape_engine"],
                "improvement_pct": products["improvement_pct"],
                "better_share_pct": products["better_share_pct"],
                "horizon": data["horizon"],
                "origins": len(data["origins"]),
                "methods_chosen": products["methods_chosen"],
                "baseline": {
                    "name": "seasonal-naive",
                    "smape": products["smape_seasonal_naive"],
                    "median_ms": None,
                    "queries": 0,
                },
            }
        )
    for key, name in (
        ("order_count", "forecast_quality_company_orders"),
        ("revenue", "forecast_quality_company_revenue"),
    ):
        company = report.get("company_monthly", {}).get(key)
        if company:
            results.append(
                {
                    "name": name,
                    "size": len(data["origins"]),
                    "median_ms": ms,
                    "queries": 0,
                    "smape": company["smape_engine"],
                    "horizon": data["horizon"],
                    "baseline": {
                        "name": "seasonal-naive",
                        "smape": company["smape_seasonal_naive"],
                        "median_ms": None,
                        "queries": 0,
                    },
                }
            )
    reorder = report.get("reorder_30d")
    if reorder:
        results.append(
            {
                "name": "forecast_quality_reorder",
                "size": sum(cut["customers"] for cut in reorder["per_as_of"]),
                "median_ms": ms,
                "queries": 0,
                "auc": reorder["auc_model"],
                "brier": reorder["brier_model"],
                "window_days": reorder["window_days"],
                "as_of": [cut["as_of"] for cut in reorder["per_as_of"]],
                "baseline": {
                    "name": "days since last order vs. the customer's usual interval",
                    "auc": reorder["auc_rule"],
                    "brier": reorder["brier_rule"],
                    "median_ms": None,
                    "queries": 0,
                },
            }
        )
    return results


def run(env=None, repeat=None, **kwargs):
    sys.path.insert(0, str(HERE))
    try:
        import forecast_quality as quality  # noqa: PLC0415 (bench/forecast_quality.py)

        if not pathlib.Path(quality.DEFAULT_DATA).is_dir():
            print(
                f"[bench] forecast_quality: no data in {quality.DEFAULT_DATA}",
                file=sys.stderr,
            )
            return []
        return results_from_report(quality.evaluate())
    finally:
        sys.path.remove(str(HERE))
