#!/usr/bin/env python3
"""Offline quality of the recommendation methods on real order history.

Reads the UCI Online Retail files in ``../shared/data`` (both layouts, the
shared days counted once), then for several cut dates: trains on the lines
before the cut, and scores, for each customer with history who bought products
new to them in the next 3 months, the products each method suggests (never
one the customer already bought). Prints JSON: hit-rate@5, precision@5 and
recall@10 per method and cut, their mean, each method's ratio to popularity,
and the timings of a model build on 1,000,000 synthetic lines and of the
suggestions for one customer.

    .venv/bin/python bench/recommendation_quality.py [--data DIR] [--cuts 2010-09-01]
"""

import argparse
import importlib.util
import json
import pathlib
import sys
import time

import numpy as np
import pandas as pd

HERE = pathlib.Path(__file__).resolve().parent
ENGINE = (
    HERE.parent
    / "addons"
    / "crm_order_unified_recommendation"
    / "engine"
    / "recommender.py"
)
DEFAULT_DATA = HERE.parent.parent / "shared" / "data"
DEFAULT_CUTS = "2010-06-01,2010-09-01,2010-12-01,2011-03-01"
TEST_DAYS = 91
PRODUCT_CODE = (
    r"^\d{5}[A-Za-z]{0,2}$"  # the shop's product codes; drops POST, DOT, M, gift_...
)


def load_engine():
    spec = importlib.util.spec_from_file_location("cou_recommender", ENGINE)
    module = importlib.util.module_from_spec(spec)
    sys.modules["cou_recommender"] = module
    spec.loader.exec_module(module)
    return module


def load_lines(data_dir):
    """Sale lines (customer, product, day) of both files, each invoice once."""
    frames = []
    rename = {
        "Invoice": "invoice",
        "InvoiceNo": "invoice",
        "StockCode": "code",
        "Quantity": "qty",
        "InvoiceDate": "date",
        "Price": "price",
        "UnitPrice": "price",
        "Customer ID": "customer",
        "CustomerID": "customer",
    }
    for path in sorted(pathlib.Path(data_dir).glob("*/*.csv.gz")):
        frame = pd.read_csv(
            path, dtype={"Invoice": str, "InvoiceNo": str, "StockCode": str}
        )
        frames.append(
            frame.rename(columns=rename)[
                ["invoice", "code", "qty", "date", "price", "customer"]
            ]
        )
    seen = set()
    kept = []
    for frame in frames:  # an invoice in two files (the shared days) is kept once
        kept.append(frame[~frame["invoice"].isin(seen)])
        seen.update(frame["invoice"].unique())
    lines = pd.concat(kept, ignore_index=True)
    lines = lines[
        lines["customer"].notna()
        & (lines["qty"] > 0)
        & (lines["price"] > 0)
        & ~lines["invoice"].str.startswith(("C", "A"))
        & lines["code"].str.match(PRODUCT_CODE)
    ]
    lines = lines.assign(
        date=pd.to_datetime(lines["date"]).dt.normalize(),
        code=lines["code"].str.upper(),
        customer=lines["customer"].astype(np.int64),
    )
    return lines.drop_duplicates(["invoice", "code", "qty", "price"])


def evaluate(engine, lines, cut, methods):
    cut = pd.Timestamp(cut)
    epoch = lines["date"].min()
    train = lines[lines["date"] < cut]
    test = lines[
        (lines["date"] >= cut) & (lines["date"] < cut + pd.Timedelta(days=TEST_DAYS))
    ]
    cust_codes = {c: i for i, c in enumerate(train["customer"].unique())}
    prod_codes = {p: i for i, p in enumerate(train["code"].unique())}
    c = train["customer"].map(cust_codes).to_numpy()
    p = train["code"].map(prod_codes).to_numpy()
    d = (train["date"] - epoch).dt.days.to_numpy()
    as_of = (cut - epoch).days
    # ground truth: products new to each known customer, bought in the window
    test = test[test["customer"].isin(cust_codes.keys())]
    bought = set(zip(c.tolist(), p.tolist(), strict=False))
    truth = {}
    for cust, code in zip(test["customer"].map(cust_codes), test["code"], strict=False):
        pidx = prod_codes.get(
            code, -1 - hash(code) % 10**9
        )  # unseen products still count
        if (cust, pidx) not in bought:
            truth.setdefault(cust, set()).add(pidx)
    users = np.array(sorted(truth))
    results = {
        "cut": str(cut.date()),
        "customers": len(users),
        "train_lines": len(train),
    }
    for name, factory in methods.items():
        rec = factory(engine).fit(c, p, d, as_of, len(cust_codes), len(prod_codes))
        started = time.perf_counter()
        scorer = scorer_for(name, rec)
        hits = prec = recall = 0.0
        for batch in np.array_split(users, max(1, len(users) // 500)):
            top = rec.top_n(scorer(batch), 10)
            for row, u in zip(top, batch, strict=False):
                new = truth[u]
                top5 = set(row[:5].tolist()) & new
                hits += bool(top5)
                prec += len(top5) / 5.0
                recall += len(set(row.tolist()) & new) / len(new)
        n = max(len(users), 1)
        results[name] = {
            "hit_rate@5": round(hits / n, 4),
            "precision@5": round(prec / n, 4),
            "recall@10": round(recall / n, 4),
            "seconds": round(time.perf_counter() - started, 1),
        }
    return results


def scorer_for(name, rec):
    if name == "popularity":
        return rec.score_popularity
    if name == "cooccurrence_sum":
        # summed co-occurrence counts, no normalisation, no cut: the weak baseline
        both = (rec.bought.T.tocsr() @ rec.bought).tocsr()
        both.setdiag(0)
        both.eliminate_zeros()
        return lambda rows: rec._fallback(
            rec._mask_bought((rec.bought[rows] @ both).toarray(), rows)
        )
    if name == "item_knn":
        neigh = rec.item_neighbours_()
        return lambda rows: rec.score_items(rows, neigh)
    if name == "user_knn":
        cache = {}

        def score(rows):
            if "n" not in cache:
                cache["n"] = rec.user_neighbours_()
            return rec.score_users(rows, cache["n"])

        return score
    if name == "item_user_blend":
        item_n = rec.item_neighbours_()
        user_n = rec.user_neighbours_()

        return lambda rows: rec.score_blend(rows, item_n, user_n)
    if name == "served":
        # exactly what the addon stores: cross_sell()'s rows per customer,
        # then the popular products (the stored fallback rows)
        item_n = rec.item_neighbours_()

        def served(rows):
            user_n = rec.user_neighbours_(rows=rows)
            c, p, score, _support, _reason = rec.cross_sell(
                item_n, user_n, rows=rows, n=rec.cross_sell_rows
            )
            scores = rec.score_popularity(rows) / (rec.popularity.max() + 1.0)
            local = np.searchsorted(rows, c)
            scores[local, p] = 1.0 + score
            return scores

        return served
    raise ValueError(name)


def time_build(
    engine, n_lines=1_000_000, n_customers=100_000, n_products=5_000, seed=42
):
    """Build every stored part of the model on synthetic lines of the bench's
    size: customers about ten lines each, product demand with a long tail."""
    rng = np.random.default_rng(seed)
    weights = 1.0 / (np.arange(n_products) + 10.0)
    prod = rng.permutation(n_products)[
        rng.choice(n_products, n_lines, p=weights / weights.sum())
    ]
    cust = rng.integers(0, n_customers, n_lines)
    days = rng.integers(0, 730, n_lines)
    category = rng.integers(0, 50, n_products)
    price = rng.uniform(1, 100, n_products)
    timings = {}
    started = time.perf_counter()

    def step(name, func, *args):
        t = time.perf_counter()
        result = func(*args)
        timings[name + "_s"] = time.perf_counter() - t
        return result

    rec = step(
        "fit", engine.Recommender().fit, cust, prod, days, 730, n_customers, n_products
    )
    items = step("item_neighbours", rec.item_neighbours_)
    users = step("user_neighbours", rec.user_neighbours_)
    cross = step("cross_sell", rec.cross_sell, items, users)
    step("replenishment", rec.replenishment)
    step("upsell", rec.upsell_moves, category, price)
    timings["total_s"] = time.perf_counter() - started
    return {k: round(v, 2) for k, v in timings.items()} | {
        "lines": n_lines,
        "customers": n_customers,
        "products": n_products,
        "item_neighbour_rows": len(items.source),
        "cross_sell_rows": len(cross[0]),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--data", default=str(DEFAULT_DATA))
    parser.add_argument("--cuts", default=DEFAULT_CUTS)
    parser.add_argument(
        "--methods",
        default="popularity,cooccurrence_sum,item_knn,user_knn,item_user_blend,served",
    )
    parser.add_argument("--no-timing", action="store_true")
    args = parser.parse_args()
    engine = load_engine()
    all_methods = {
        "popularity": lambda e: e.Recommender(),
        "cooccurrence_sum": lambda e: e.Recommender(),
        "item_knn": lambda e: e.Recommender(),
        "user_knn": lambda e: e.Recommender(),
        "item_user_blend": lambda e: e.Recommender(),
        "served": lambda e: e.Recommender(),
    }
    methods = {m: all_methods[m] for m in args.methods.split(",")}
    started = time.perf_counter()
    lines = load_lines(args.data)
    print(
        f"loaded {len(lines)} lines in {time.perf_counter() - started:.1f}s",
        file=sys.stderr,
    )  # noqa: T201
    cuts = [evaluate(engine, lines, cut, methods) for cut in args.cuts.split(",")]
    for cut in cuts:
        print(json.dumps(cut), file=sys.stderr)  # noqa: T201
    mean = {}
    for name in methods:
        mean[name] = {
            metric: round(float(np.mean([cut[name][metric] for cut in cuts])), 4)
            for metric in ("hit_rate@5", "precision@5", "recall@10")
        }
    if "popularity" in mean:
        base = mean["popularity"]["hit_rate@5"] or 1.0
        for name in methods:
            mean[name]["hit_rate@5_vs_popularity"] = round(
                mean[name]["hit_rate@5"] / base, 2
            )
    report = {
        "name": "recommendation_quality",
        "test_days": TEST_DAYS,
        "cuts": cuts,
        "mean": mean,
    }
    if not args.no_timing:
        report["build_1m_lines"] = time_build(engine)
    print(json.dumps(report, indent=2))  # noqa: T201


if __name__ == "__main__":
    main()
