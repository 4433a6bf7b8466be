"""[recommendation] Quality of the product suggestions on the real history.

Runs ``bench/recommendation_quality.py`` (see its docstring) on the real files
of ``../shared/data`` when they are there, in the same ``make bench`` run:
four time splits, the products new to each customer that they bought in the
next 91 days, and prints one object per measure (mean over the cuts), each
with the popularity baseline it must beat (distinct customers over the last
90 days, what customers without history get):

- ``recommendation_quality_hit_rate@5``: share of customers with at least one
  of their new products among the 5 suggested (target: 1.4x popularity);
- ``recommendation_quality_precision@5`` and ``recommendation_quality_recall@10``.

Each object also gives the other methods measured (item neighbours alone,
user neighbours alone) and the per-cut figures. ``median_ms`` is the wall time
of the whole evaluation (run once; it does not use the benchmark database).
Leave it out with ``--skip recommendation_quality``.
"""

import pathlib
import statistics
import sys
import time

HERE = pathlib.Path(__file__).resolve().parent.parent
METHODS = ("popularity", "item_knn", "user_knn", "served")
METRICS = ("hit_rate@5", "precision@5", "recall@10")
TARGET = 1.4  # hit-rate@5 of the served suggestions / popularity (issue 13)


def results_from_cuts(cuts, size, ms):
    """The bench objects of the per-cut reports of ``evaluate``."""
    results = []
    for metric in METRICS:
        mean = {
            name: round(statistics.mean(cut[name][metric] for cut in cuts), 4)
            for name in METHODS
        }
        base = mean["popularity"] or 1.0
        result = {
            "name": f"recommendation_quality_{metric}",
            "size": size,
            "median_ms": ms,
            "queries": 0,
            "value": mean["served"],
            "vs_popularity": round(mean["served"] / base, 2),
            "methods": mean,
            "cuts": [
                {
                    "cut": cut["cut"],
                    "customers": cut["customers"],
                    "served": cut["served"][metric],
                    "popularity": cut["popularity"][metric],
                }
                for cut in cuts
            ],
            "baseline": {
                "name": "popularity (distinct customers, last 90 days)",
                "value": mean["popularity"],
                "median_ms": None,
                "queries": 0,
            },
        }
        if metric == "hit_rate@5":
            result["target_vs_popularity"] = TARGET
            result["meets_target"] = result["vs_popularity"] >= TARGET
        results.append(result)
    return results


def run(env=None, repeat=None, **kwargs):
    sys.path.insert(0, str(HERE))
    try:
        import recommendation_quality as quality  # noqa: PLC0415 (bench/recommendation_quality.py)

        data = pathlib.Path(quality.DEFAULT_DATA)
        if not data.is_dir():
            print(f"[bench] recommendation_quality: no data in {data}", file=sys.stderr)
            return []
        started = time.perf_counter()
        engine = quality.load_engine()
        lines = quality.load_lines(data)
        methods = {name: (lambda e: e.Recommender()) for name in METHODS}
        cuts = [
            quality.evaluate(engine, lines, cut, methods)
            for cut in quality.DEFAULT_CUTS.split(",")
        ]
        ms = round((time.perf_counter() - started) * 1000, 2)
        return results_from_cuts(cuts, len(lines), ms)
    finally:
        sys.path.remove(str(HERE))
