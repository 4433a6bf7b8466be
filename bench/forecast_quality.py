#!/usr/bin/env python3
"""Forecast quality of crm_order_unified_forecast on the real order history.

Reads the two UCI Online Retail files of ``../shared/data`` (2009-12 to
2011-06, the days both hold counted once), keeps what the history import
would turn into confirmed orders (cancellations net the customer's latest
earlier sale of the product, adjustments and stock write-offs dropped), and
measures, against seasonal-naive in the same run and on the same rolling
origins:

* per-product monthly quantity of the top 200 products by revenue: mean sMAPE
  and the share of products where the engine is better;
* the company's monthly order count and revenue;
* the reorder probability of the next 30 days per customer: AUC and Brier
  score against the "days since last order versus usual interval" rule.

The engine chooses each series' method on that series' past only (its own
rolling-origin backtest inside each evaluation origin). Prints JSON.

    .venv/bin/python bench/forecast_quality.py [--data DIR] [--products 200]
        [--horizon 3] [--skip products,company,reorder]
"""

import argparse
import importlib.util
import json
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
ENGINE_DIR = ROOT / "addons" / "crm_order_unified_forecast" / "engine"
NON_PRODUCT = (
    "POST",
    "DOT",
    "M",
    "C2",
    "D",
    "S",
    "BANK CHARGES",
    "AMAZONFEE",
    "CRUK",
    "PADS",
    "B",
)
NON_PRODUCT_PREFIXES = ("gift_0001", "DCGS", "ADJUST", "TEST")


def load_engine():
    """The addon's engine package, without Odoo."""
    spec = importlib.util.spec_from_file_location(
        "cou_forecast_engine",
        ENGINE_DIR / "__init__.py",
        submodule_search_locations=[str(ENGINE_DIR)],
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


# === DATA === #
# confirmed order lines as the history import makes them


def read_lines(data_dir):
    columns = ["invoice", "code", "quantity", "date", "price", "customer"]
    old = pd.read_csv(
        data_dir / "online_retail_ii_2009_2010" / "online_retail_ii_2009-2010.csv.gz",
        dtype={"Invoice": str, "StockCode": str},
        usecols=[
            "Invoice",
            "StockCode",
            "Quantity",
            "InvoiceDate",
            "Price",
            "Customer ID",
        ],
    )
    old.columns = ["invoice", "code", "quantity", "date", "price", "customer"]
    new = pd.read_csv(
        data_dir
        / "online_retail_2010_2011_until_2011_06"
        / "online_retail_2010-12_to_2011-06.csv.gz",
        dtype={"InvoiceNo": str, "StockCode": str},
        usecols=[
            "InvoiceNo",
            "StockCode",
            "Quantity",
            "InvoiceDate",
            "UnitPrice",
            "CustomerID",
        ],
    )
    new.columns = ["invoice", "code", "quantity", "date", "price", "customer"]
    # the days both files hold (2010-12-01 to 2010-12-09, same invoices) once
    new = new[~new["invoice"].isin(set(old["invoice"]))]
    lines = pd.concat([old[columns], new[columns]], ignore_index=True).drop_duplicates()
    lines["date"] = pd.to_datetime(lines["date"])
    lines["code"] = lines["code"].str.upper()
    lines = lines[~lines["invoice"].str.startswith("A")]
    product = ~lines["code"].isin(NON_PRODUCT) & ~lines["code"].str.startswith(
        NON_PRODUCT_PREFIXES
    )
    lines = lines[product & (lines["price"] > 0)]
    cancel = lines["invoice"].str.startswith("C")
    sales = lines[~cancel & (lines["quantity"] > 0)].copy()
    return net_cancellations(sales, lines[cancel & (lines["quantity"] < 0)])


def net_cancellations(sales, cancellations):
    """A cancellation lowers the customer's latest earlier sale of the
    product (the import's default "net" mode); unmatched ones are dropped."""
    sales = sales.sort_values("date").reset_index(drop=True)
    keyed = sales[sales["customer"].notna()].groupby(["customer", "code"]).groups
    quantity = sales["quantity"].to_numpy().copy()
    dates = sales["date"].to_numpy()
    for row in cancellations[cancellations["customer"].notna()].itertuples():
        index = keyed.get((row.customer, row.code))
        if index is None:
            continue
        remaining = -row.quantity
        for i in reversed(index):
            if dates[i] > np.datetime64(row.date) or remaining <= 0:
                continue
            take = min(quantity[i], remaining)
            quantity[i] -= take
            remaining -= take
    sales["quantity"] = quantity
    sales["revenue"] = sales["quantity"] * sales["price"]
    return sales


def monthly(frame, column, months):
    return (
        frame.groupby(frame["date"].dt.to_period("M"))[column]
        .sum()
        .reindex(months, fill_value=0)
    )


# === EVALUATION === #


def evaluate_series(engine, y, m, horizon, first_origin, **options):
    """sMAPE of the engine and of seasonal-naive on the origins
    ``first_origin .. len(y) - 1``, each up to ``horizon`` steps ahead."""
    actual, ours, naive, methods = [], [], [], []
    for t in range(first_origin, len(y)):
        steps = min(horizon, len(y) - t)
        result = engine.forecast_series(y[:t], m, steps, **options)
        methods.append(result.method)
        actual.extend(y[t : t + steps])
        ours.extend(result.mean)
        naive.extend(engine.forecaster.cand.seasonal_naive(y[:t], steps, m))
    return engine.smape(actual, ours), engine.smape(actual, naive), methods


def product_quality(engine, sales, months, top, horizon, m, first_origin):
    revenue = sales.groupby("code")["revenue"].sum().sort_values(ascending=False)
    codes = list(revenue.index[:top])
    table = (
        sales[sales["code"].isin(codes)]
        .groupby(["code", sales["date"].dt.to_period("M")])["quantity"]
        .sum()
        .unstack(fill_value=0)
        .reindex(columns=months, fill_value=0)
    )
    ours, naive, methods = [], [], {}
    for code in codes:
        s_ours, s_naive, chosen = evaluate_series(
            engine, table.loc[code].to_numpy(float), m, horizon, first_origin, fast=True
        )
        ours.append(s_ours)
        naive.append(s_naive)
        for method in chosen:
            methods[method] = methods.get(method, 0) + 1
    ours, naive = np.array(ours), np.array(naive)
    return {
        "products": len(codes),
        "smape_engine": round(float(ours.mean()), 2),
        "smape_seasonal_naive": round(float(naive.mean()), 2),
        "improvement_pct": round(100 * (1 - ours.mean() / naive.mean()), 1),
        "better_share_pct": round(100 * float(np.mean(ours < naive)), 1),
        "methods_chosen": dict(sorted(methods.items(), key=lambda kv: -kv[1])),
    }


def company_quality(engine, sales, months, horizon, m, first_origin):
    result = {}
    orders = sales.groupby(sales["date"].dt.to_period("M"))["invoice"].nunique()
    series = {
        "order_count": orders.reindex(months, fill_value=0).to_numpy(float),
        "revenue": monthly(sales, "revenue", months).to_numpy(float),
    }
    for name, y in series.items():
        ours, naive, methods = evaluate_series(
            engine, y, m, horizon, first_origin, aggregate=True
        )
        result[name] = {
            "smape_engine": round(ours, 2),
            "smape_seasonal_naive": round(naive, 2),
            "methods_chosen": methods,
        }
    return result


def reorder_quality(engine, sales, cuts, window=30):
    from sklearn.metrics import brier_score_loss, roc_auc_score

    known = sales[sales["customer"].notna()]
    epoch = pd.Timestamp("2000-01-01")
    days = ((known["date"].dt.normalize() - epoch).dt.days).astype(int)
    order_days = {
        customer: np.unique(group.to_numpy())
        for customer, group in days.groupby(known["customer"].to_numpy())
    }
    # every product counts as a consumable here (a retailer's gifts and
    # homeware): one entry per customer, product and day
    bought = (
        pd.DataFrame(
            {
                "customer": known["customer"].to_numpy(),
                "product": pd.factorize(known["code"])[0],
                "day": days.to_numpy(),
            }
        )
        .loc[known["quantity"].to_numpy() > 0]
        .drop_duplicates()
    )
    purchases = tuple(bought[column].to_numpy() for column in bought.columns)
    per_cut, all_y, all_model, all_rule = [], [], [], []
    for cut_date in cuts:
        cut = (pd.Timestamp(cut_date) - epoch).days
        model = engine.ReorderModel(window=window).fit(order_days, cut, purchases)
        keys, X = engine.reorder.reorder_features(order_days, cut)
        y = engine.reorder.reorder_labels(order_days, keys, cut, window)
        predicted = model.predict(order_days, cut, purchases)
        p_model = np.array([predicted[key] for key in keys])
        p_rule = engine.rule_probability(X, window)
        per_cut.append(
            {
                "as_of": cut_date,
                "customers": len(keys),
                "reorder_rate": round(float(y.mean()), 3),
                "auc_model": round(float(roc_auc_score(y, p_model)), 4),
                "auc_rule": round(float(roc_auc_score(y, p_rule)), 4),
                "brier_model": round(float(brier_score_loss(y, p_model)), 4),
                "brier_rule": round(float(brier_score_loss(y, p_rule)), 4),
            }
        )
        all_y.append(y)
        all_model.append(p_model)
        all_rule.append(p_rule)
    y, p_model, p_rule = map(np.concatenate, (all_y, all_model, all_rule))
    return {
        "window_days": window,
        "auc_model": round(float(roc_auc_score(y, p_model)), 4),
        "auc_rule": round(float(roc_auc_score(y, p_rule)), 4),
        "brier_model": round(float(brier_score_loss(y, p_model)), 4),
        "brier_rule": round(float(brier_score_loss(y, p_rule)), 4),
        "per_as_of": per_cut,
    }


DEFAULT_DATA = ROOT.parent / "shared" / "data"
REORDER_CUTS = ("2011-02-01", "2011-03-01", "2011-04-01", "2011-05-01", "2011-06-01")


def evaluate(data=DEFAULT_DATA, products=200, horizon=3, skip=()):
    """The whole report (a dict) on the files of ``data``; ``skip`` leaves
    out some of: products, company, reorder. ``make bench`` calls it too
    (bench/operations/forecast_quality.py)."""
    started = time.time()
    engine = load_engine()
    sales = read_lines(Path(data))
    months = pd.period_range(sales["date"].min(), sales["date"].max(), freq="M")
    m = 12
    first_origin = m  # seasonal-naive needs one season; the engine sees the same data
    report = {
        "data": {
            "lines": len(sales),
            "first_month": str(months[0]),
            "last_month": str(months[-1]),
            "origins": [str(months[t]) for t in range(first_origin, len(months))],
            "horizon": horizon,
        }
    }
    if "products" not in skip:
        report["product_monthly_qty"] = product_quality(
            engine, sales, months, products, horizon, m, first_origin
        )
    if "company" not in skip:
        report["company_monthly"] = company_quality(
            engine, sales, months, horizon, m, first_origin
        )
    if "reorder" not in skip:
        report["reorder_30d"] = reorder_quality(engine, sales, list(REORDER_CUTS))
    report["seconds"] = round(time.time() - started, 1)
    return report


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--products", type=int, default=200)
    parser.add_argument("--horizon", type=int, default=3)
    parser.add_argument(
        "--skip", default="", help="comma list of: products,company,reorder"
    )
    args = parser.parse_args()
    skip = set(filter(None, args.skip.split(",")))
    report = evaluate(args.data, args.products, args.horizon, skip)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
