"""Probability that a customer orders in the next ``window`` days.

Each customer's own order rhythm gives the features (days since the last
order, the usual interval between orders and its spread, the number of orders
and those of the last 90 and 365 days, the customer's age), and, for
consumables, the products' repurchase cycles: the median interval between two
purchases of a product by the same customer, across the company's customers,
tells when each product the customer bought is due again (see
:func:`cycle_features`). A scikit-learn
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
    # product repurchase cycles (NaN without purchases of a product with a known cycle)
    "cycle_days_to_due",
    "cycle_due_products",
    "cycle_due_share",
)
CUSTOMER_FEATURES = 10  # the first ones, from the customer's own order days
CYCLE_MIN_INTERVALS = 5  # repurchases of a product needed to know its cycle


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


def reorder_features(order_days, cut, purchases=None, window=30):
    """``(keys, X)``: the customers of ``order_days`` (``{key: sorted int
    array of order days}``) with an order before ``cut``, and their
    feature matrix as of ``cut``.

    :param purchases: the customers' purchases of consumables, see
        :func:`cycle_features` (None: the cycle features are NaN)"""
    keys, rows = [], []
    for key, days in order_days.items():
        row = _customer_features(days, cut)
        if row is not None:
            keys.append(key)
            rows.append(row)
    X = np.full((len(rows), len(FEATURES)), np.nan)
    if rows:
        X[:, :CUSTOMER_FEATURES] = np.array(rows, dtype=float)
    if purchases is not None and keys:
        X[:, CUSTOMER_FEATURES:] = cycle_features(purchases, keys, cut, window)
    return keys, X


def product_cycles(purchases, cut, min_intervals=CYCLE_MIN_INTERVALS):
    """``{product: repurchase cycle in days}``: the median interval between
    two consecutive purchase days of the product by the same customer, over
    every customer's purchases before ``cut``; products with fewer than
    ``min_intervals`` repurchases have no known cycle."""
    customers, products, days = _sorted_purchases(purchases, cut)
    same = (customers[1:] == customers[:-1]) & (products[1:] == products[:-1])
    intervals, of = np.diff(days)[same], products[1:][same]
    cycles = {}
    if not len(intervals):
        return cycles
    order = np.lexsort((intervals, of))
    intervals, of = intervals[order], of[order]
    starts = np.flatnonzero(np.r_[True, of[1:] != of[:-1]])
    ends = np.r_[starts[1:], len(of)]
    for start, end in zip(starts, ends, strict=True):
        if end - start >= min_intervals:
            cycles[of[start]] = float(np.median(intervals[start:end]))
    return cycles


def _sorted_purchases(purchases, cut):
    customers, products, days = (np.asarray(a) for a in purchases)
    mask = days < cut
    customers, products, days = customers[mask], products[mask], days[mask]
    order = np.lexsort((days, products, customers))
    return customers[order], products[order], days[order]


def cycle_features(purchases, keys, cut, window=30):
    """The repurchase-cycle features of the customers ``keys`` as of ``cut``.

    ``purchases`` is ``(customers, products, days)``: three equal-length
    integer arrays, one entry per customer, consumable product and day it was
    bought (customers as in ``order_days``). For each product a customer
    bought whose cycle is known (:func:`product_cycles`) and that it still
    buys (last bought at most two cycles ago), the days until it is due
    again are its cycle minus the days since the customer last bought it.
    Per customer: the fewest of those days (the product due soonest;
    negative: overdue), the number of its products due within ``window`` days
    and their share of its products with a known cycle. NaN for a customer
    with no such product."""
    out = np.full((len(keys), len(FEATURES) - CUSTOMER_FEATURES), np.nan)
    cycles = product_cycles(purchases, cut)
    if not cycles:
        return out
    customers, products, days = _sorted_purchases(purchases, cut)
    last = np.r_[
        (customers[1:] != customers[:-1]) | (products[1:] != products[:-1]), True
    ]
    customers, products, days = customers[last], products[last], days[last]
    cycle = np.array([cycles.get(p, np.nan) for p in products.tolist()], float)
    recency = cut - days
    with np.errstate(invalid="ignore"):
        known = np.isfinite(cycle) & (recency <= 2 * cycle)
    customers, cycle, recency = customers[known], cycle[known], recency[known]
    if not len(customers):
        return out
    to_due = cycle - recency
    due = (to_due <= window).astype(float)
    starts = np.flatnonzero(np.r_[True, customers[1:] != customers[:-1]])
    counts = np.diff(np.r_[starts, len(customers)])
    soonest = np.minimum.reduceat(to_due, starts)
    due_count = np.add.reduceat(due, starts)
    row_of = {key: i for i, key in enumerate(keys)}
    for j, customer in enumerate(customers[starts].tolist()):
        i = row_of.get(customer)
        if i is not None:
            out[i] = (soonest[j], due_count[j], due_count[j] / counts[j])
    return out


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

    def fit(self, order_days, as_of, purchases=None):
        """Learn from the cuts before ``as_of``; ``purchases`` as in
        :func:`cycle_features` (the repurchase cycles of consumables)."""
        blocks, labels = [], []
        for k in range(1, self.cuts + 1):
            cut = as_of - k * self.window
            keys, X = reorder_features(order_days, cut, purchases, self.window)
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

    def predict(self, order_days, as_of, purchases=None):
        """``{key: probability}`` for the customers with an order before ``as_of``."""
        keys, X = reorder_features(order_days, as_of, purchases, self.window)
        if not keys:
            return {}
        if self.model is None:
            probabilities = rule_probability(X, self.window)
        else:
            probabilities = self.model.predict_proba(X)[:, 1]
        return dict(zip(keys, (float(p) for p in probabilities), strict=True))
