"""Probability that a customer orders in the next ``window`` days.

Each customer's own order rhythm gives the features (days since the last
order, the usual interval between orders and its spread, the number of orders
and those of the last 90 and 365 days, the customer's age); a scikit-learn
classifier learns, from the same company's customers at earlier cut dates
(each labelled with what they did in the ``window`` days after its cut, all
before ``as_of``), how these features turn into an order. Nothing after the
cut of an example is ever read for it.

The rule it must beat ("days since last order versus the customer's usual
interval") is :func:`rule_probability`.
"""

import warnings

import numpy as np

FEATURES = (
    "recency",
    "log_orders",
    "mean_interval",
    "median_interval",
    "interval_cv",
    "recency_ratio",
    "orders_90",
    "orders_365",
    "tenure",
    "last_interval",
)


def _customer_features(days, cut):
    """Features of one customer from its order days (sorted ints) before ``cut``."""
    days = days[days < cut]
    if not len(days):
        return None
    count = len(days)
    recency = cut - days[-1]
    intervals = np.diff(days)
    if len(intervals):
        mean_interval = float(np.mean(intervals))
        median_interval = float(np.median(intervals))
        cv = float(np.std(intervals) / mean_interval) if mean_interval else 0.0
        last_interval = float(intervals[-1])
    else:
        mean_interval = median_interval = last_interval = np.nan
        cv = np.nan
    return (
        float(recency),
        float(np.log1p(count)),
        mean_interval,
        median_interval,
        cv,
        recency / median_interval
        if median_interval and median_interval > 0
        else np.nan,
        float(np.count_nonzero(days >= cut - 90)),
        float(np.count_nonzero(days >= cut - 365)),
        float(cut - days[0]),
        last_interval,
    )


def reorder_features(order_days, cut):
    """``(keys, X)``: the customers of ``order_days`` (``{key: sorted int
    array of order days}``) with an order before ``cut``, and their
    feature matrix as of ``cut``."""
    keys, rows = [], []
    for key, days in order_days.items():
        row = _customer_features(days, cut)
        if row is not None:
            keys.append(key)
            rows.append(row)
    return keys, np.array(rows, dtype=float).reshape(len(rows), len(FEATURES))


def reorder_labels(order_days, keys, cut, window):
    """1 for the customers that ordered in ``[cut, cut + window)``."""
    return np.array(
        [
            int(np.any((order_days[key] >= cut) & (order_days[key] < cut + window)))
            for key in keys
        ]
    )


def rule_probability(X, window=30):
    """The plain rule: a customer is due when the days since its last order
    plus the window reach its usual (mean) interval; ``(recency + window) /
    interval`` capped at 1, 0 for a customer with a single order."""
    recency = X[:, FEATURES.index("recency")]
    interval = X[:, FEATURES.index("mean_interval")]
    with np.errstate(all="ignore"):
        score = np.where(
            np.isfinite(interval) & (interval > 0), (recency + window) / interval, 0.0
        )
    return np.clip(score, 0.0, 1.0)


class ReorderModel:
    """Gradient boosting (scikit-learn's ``HistGradientBoostingClassifier``,
    which takes missing intervals of one-order customers as they are) trained
    on the customers' past at ``cuts`` earlier cut dates, one ``window``
    apart, the last one ending at ``as_of``."""

    def __init__(self, window=30, cuts=6, min_examples=50):
        self.window = window
        self.cuts = cuts
        self.min_examples = min_examples
        self.model = None
        self.base_rate = None

    def fit(self, order_days, as_of):
        blocks, labels = [], []
        for k in range(1, self.cuts + 1):
            cut = as_of - k * self.window
            keys, X = reorder_features(order_days, cut)
            if not keys:
                continue
            blocks.append(X)
            labels.append(reorder_labels(order_days, keys, cut, self.window))
        if not blocks:
            return self
        X, y = np.vstack(blocks), np.concatenate(labels)
        self.base_rate = float(np.mean(y))
        if len(y) < self.min_examples or len(set(y)) < 2:
            return self  # too few customers: the rule, below
        from sklearn.ensemble import (
            HistGradientBoostingClassifier,  # noqa: PLC0415 (heavy)
        )

        self.model = HistGradientBoostingClassifier(
            max_iter=200,
            learning_rate=0.05,
            max_leaf_nodes=15,
            l2_regularization=1.0,
            early_stopping=True,
            random_state=0,
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            self.model.fit(X, y)
        return self

    def predict(self, order_days, as_of):
        """``{key: probability}`` for the customers with an order before ``as_of``."""
        keys, X = reorder_features(order_days, as_of)
        if not keys:
            return {}
        if self.model is None:
            probabilities = rule_probability(X, self.window)
        else:
            probabilities = self.model.predict_proba(X)[:, 1]
        return dict(zip(keys, (float(p) for p in probabilities), strict=True))
