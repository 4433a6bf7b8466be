"""Recommendation engine: plain numpy / scipy / scikit-learn, no Odoo.

The addon's model (``cou.recommendation``) feeds it the confirmed order lines
of one company and stores what it returns; ``bench/recommendation_quality.py``
feeds it the real order history directly. Keeping the math here, free of the
ORM, is what lets both measure the same code.

Input: one row per (customer, product, order day) as integer codes and a day
number (days since any epoch). Output: item-item neighbours (top ``k`` per
product, cosine on recency-weighted purchase vectors), user-user neighbours
(top ``k`` per customer), popularity (distinct customers over the last
``popularity_days``), per-customer replenishment figures and upsell moves.
"""

from dataclasses import dataclass

import numpy as np
from scipy import sparse

DEFAULT_ITEM_NEIGHBOURS = 10
DEFAULT_USER_NEIGHBOURS = 100
DEFAULT_HALF_LIFE_DAYS = 180.0
DEFAULT_POPULARITY_DAYS = 90
DEFAULT_USER_INDEX_SIZE = 10000
# cross-sell suggestions stored per customer (the order panel shows 5)
DEFAULT_CROSS_SELL_ROWS = 6
# most entries of one similarity chunk (memory: about 12 bytes each, times 3)
CHUNK_BUDGET = 4_000_000


def normalize(matrix, norm="l2", axis=1):
    """Rows (axis=1) or columns (axis=0) of a sparse matrix scaled to unit
    length; empty ones stay empty."""
    matrix = sparse.csr_matrix(matrix, dtype=float)
    squares = matrix.multiply(matrix).sum(axis=axis)
    norms = np.sqrt(np.asarray(squares).ravel())
    inverse = np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)
    scale = sparse.diags(inverse)
    return (scale @ matrix if axis == 1 else matrix @ scale).tocsr()


@dataclass
class Neighbours:
    """Sparse top-k neighbour lists: ``source[i]`` is close to ``target[i]``
    with ``score[i]``; ``support[i]`` counts the customers behind it."""

    source: np.ndarray
    target: np.ndarray
    score: np.ndarray
    support: np.ndarray

    def matrix(self, size):
        """The scores as a square CSR matrix (built once)."""
        cached = getattr(self, "_matrix", None)
        if cached is None or cached.shape[0] != size:
            cached = sparse.csr_matrix(
                (self.score, (self.source, self.target)), shape=(size, size)
            )
            self._matrix = cached
        return cached


class Recommender:
    """Item- and user-based nearest neighbours with popularity as fallback.

    :param item_neighbours: neighbours kept per product
    :param user_neighbours: neighbours kept per customer
    :param half_life_days: a purchase this many days before ``as_of`` counts half
    :param popularity_days: window of the popularity fallback
    :param user_index_size: most customers searched as neighbours
    :param cross_sell_rows: cross-sell suggestions kept per customer
    """

    def __init__(
        self,
        item_neighbours=DEFAULT_ITEM_NEIGHBOURS,
        user_neighbours=DEFAULT_USER_NEIGHBOURS,
        half_life_days=DEFAULT_HALF_LIFE_DAYS,
        popularity_days=DEFAULT_POPULARITY_DAYS,
        user_index_size=DEFAULT_USER_INDEX_SIZE,
        cross_sell_rows=DEFAULT_CROSS_SELL_ROWS,
    ):
        self.item_neighbours = item_neighbours
        self.user_neighbours = user_neighbours
        self.half_life_days = half_life_days
        self.popularity_days = popularity_days
        self.user_index_size = user_index_size
        self.cross_sell_rows = cross_sell_rows

    # ------------------------------------------------------------
    # FIT
    # ------------------------------------------------------------

    def fit(
        self, customers, products, days, as_of_day, n_customers=None, n_products=None
    ):
        """Build the customer x product matrices from purchase events.

        :param customers: int array of customer codes (0..n_customers-1)
        :param products: int array of product codes (0..n_products-1)
        :param days: int array of order days; events on or after ``as_of_day``
            are ignored (nothing later than the cut may leak in)
        """
        customers = np.asarray(customers, dtype=np.int64)
        products = np.asarray(products, dtype=np.int64)
        days = np.asarray(days, dtype=np.int64)
        keep = days < as_of_day
        customers, products, days = customers[keep], products[keep], days[keep]
        self.n_customers = int(
            n_customers if n_customers is not None else customers.max(initial=-1) + 1
        )
        self.n_products = int(
            n_products if n_products is not None else products.max(initial=-1) + 1
        )
        self.as_of_day = int(as_of_day)
        shape = (self.n_customers, self.n_products)
        # one event per (customer, product, day): a day's lines are one purchase
        # (unique on one int64 key: several times faster than rows of three)
        if len(days):
            first_day = int(days.min())
            n_days = int(days.max()) - first_day + 1
            code = (customers * self.n_products + products) * n_days + (
                days - first_day
            )
            code = np.unique(code)
            pair, day = np.divmod(code, n_days)
            key = np.stack(
                [pair // self.n_products, pair % self.n_products, day + first_day],
                axis=1,
            )
        else:
            key = np.empty((0, 3), dtype=np.int64)
        self._events = key
        c, p, d = key[:, 0], key[:, 1], key[:, 2]
        decay = np.power(0.5, (self.as_of_day - d) / self.half_life_days)
        # weighted: sum of decayed purchases; binary: bought at all
        self.weighted = sparse.csr_matrix((decay, (c, p)), shape=shape)
        self.weighted.sum_duplicates()
        self.bought = self.weighted.copy()
        self.bought.data[:] = 1.0
        recent = d >= self.as_of_day - self.popularity_days
        pop = sparse.csr_matrix(
            (np.ones(recent.sum()), (c[recent], p[recent])), shape=shape
        )
        pop.data[:] = 1.0
        self.popularity = np.asarray(pop.sum(axis=0)).ravel()
        return self

    # ------------------------------------------------------------
    # NEIGHBOURS
    # ------------------------------------------------------------

    def _top_k_rows(self, matrix, k, diagonal=True):
        """Keep the ``k`` largest entries of each row of a CSR matrix
        (without the diagonal of a square one)."""
        matrix = matrix.tocsr()
        if diagonal:
            matrix.setdiag(0)
        matrix.eliminate_zeros()
        rows, cols, vals = [], [], []
        indptr, indices, data = matrix.indptr, matrix.indices, matrix.data
        for row in range(matrix.shape[0]):
            start, end = indptr[row], indptr[row + 1]
            if start == end:
                continue
            seg = data[start:end]
            if end - start > k:
                top = np.argpartition(-seg, k)[:k]
            else:
                top = np.arange(end - start)
            rows.append(np.full(len(top), row))
            cols.append(indices[start:end][top])
            vals.append(seg[top])
        if not rows:
            empty = np.empty(0, dtype=np.int64)
            return empty, empty, np.empty(0)
        return np.concatenate(rows), np.concatenate(cols), np.concatenate(vals)

    def item_neighbours_(self, budget=CHUNK_BUDGET):
        """Top-k item-item cosine neighbours on recency-weighted vectors,
        computed by chunks of products (bounded memory)."""
        items = normalize(self.weighted.T.tocsr(), norm="l2", axis=1).astype(np.float32)
        items_t = items.T.tocsr()
        src, dst, score = [], [], []
        for batch in _chunks(_product_cost(items, items_t), budget):
            sim = (items[batch] @ items_t).tocsr()
            sim[np.arange(len(batch)), batch] = 0
            r, c, v = self._top_k_rows(sim, self.item_neighbours, diagonal=False)
            src.append(batch[r])
            dst.append(c)
            score.append(v)
        empty = np.empty(0, dtype=np.int64)
        src = np.concatenate(src) if src else empty
        dst = np.concatenate(dst) if dst else empty
        score = np.concatenate(score).astype(float) if score else np.empty(0)
        # support: customers who bought both (for the reason shown to the user)
        bought_t = self.bought.T.tocsr()
        support = (
            np.asarray(bought_t[src].multiply(bought_t[dst]).sum(axis=1)).ravel()
            if len(src)
            else np.empty(0)
        )
        return Neighbours(src, dst, score, support.astype(np.int64))

    def user_neighbours_(self, rows=None, budget=CHUNK_BUDGET):
        """Top-k user-user cosine neighbours: chunks of customers times the
        neighbour candidates as scipy sparse products, cut to the ``k`` best of
        each row. The candidates are every customer, or in a very large shop
        the ``user_index_size`` customers with the most distinct products
        (a customer who bought one thing has little to recommend). ``rows``
        limits the customers whose neighbours are looked up (an incremental
        build only needs the customers that changed)."""
        users = normalize(self.weighted, norm="l2", axis=1).astype(np.float32).tocsr()
        sizes = np.diff(users.indptr)
        active = np.flatnonzero(sizes)
        if rows is not None:
            active = np.intersect1d(active, np.asarray(rows))
        empty = np.empty(0, dtype=np.int64)
        if len(active) == 0:
            return Neighbours(empty, empty, np.empty(0), empty)
        candidates = np.flatnonzero(sizes)
        if len(candidates) > self.user_index_size:
            order = np.lexsort((candidates, -sizes[candidates]))
            candidates = np.sort(candidates[order[: self.user_index_size]])
        index_t = users[candidates].T.tocsr()
        src, dst, score = [], [], []
        cost = _product_cost(users, index_t)
        for local in _chunks(cost[active], budget):
            batch = active[local]
            sim = (users[batch] @ index_t).tocsr()
            r, c, v = self._top_k_rows(sim, self.user_neighbours + 1, diagonal=False)
            src.append(batch[r])
            dst.append(candidates[c])
            score.append(v)
        src, dst, score = (
            np.concatenate(src),
            np.concatenate(dst),
            np.concatenate(score),
        )
        # a customer is not its own neighbour
        keep = (score > 0) & (src != dst)
        return Neighbours(
            src[keep],
            dst[keep],
            score[keep].astype(float),
            np.ones(keep.sum(), dtype=np.int64),
        )

    # ------------------------------------------------------------
    # SCORING (used by the offline evaluation; Odoo scores in SQL)
    # ------------------------------------------------------------

    def _mask_bought(self, scores, rows):
        bought = self.bought[rows]
        scores = scores.copy()
        scores[bought.nonzero()] = -np.inf
        return scores

    def score_popularity(self, rows):
        scores = np.tile(self.popularity.astype(float), (len(rows), 1))
        return self._mask_bought(scores, rows)

    def score_items(self, rows, neighbours):
        sim = neighbours.matrix(self.n_products)
        scores = (self.weighted[rows] @ sim).toarray()
        return self._fallback(self._mask_bought(scores, rows))

    def score_users(self, rows, neighbours):
        sim = neighbours.matrix(self.n_customers)
        scores = (sim[rows] @ self.weighted).toarray()
        return self._fallback(self._mask_bought(scores, rows))

    def score_blend(self, rows, item_neighbours, user_neighbours):
        """Item- and user-based scores, each scaled to the customer's best,
        summed: what the addon serves as cross-sell."""
        return blend_scores(
            self.score_items(rows, item_neighbours),
            self.score_users(rows, user_neighbours),
        )

    def cross_sell(
        self,
        item_neighbours,
        user_neighbours,
        rows=None,
        n=None,
        chunk=2000,
    ):
        """Top ``n`` (default ``cross_sell_rows``) products new to each
        customer, with the why.

        Returns arrays (customer, product, score, support, reason_product):
        ``reason_product`` is the product of the customer's own history closest
        to the suggestion (-1 when none), ``support`` the customers who bought
        both (or, without a reason product, the similar customers who bought
        the suggestion). Scores are scaled so that each customer's best is 1.
        """
        n = n or self.cross_sell_rows
        if rows is None:
            rows = np.flatnonzero(np.diff(self.weighted.tocsr().indptr))
        rows = np.asarray(rows, dtype=np.int64)
        p = self.n_products
        item_matrix = item_neighbours.matrix(self.n_products)
        user_matrix = user_neighbours.matrix(self.n_customers)
        user_sim = user_matrix.copy()
        user_sim.data[:] = 1.0
        # item neighbours by source product, for the reasons
        by_source = np.argsort(item_neighbours.source, kind="stable")
        n_src, n_dst = (
            item_neighbours.source[by_source],
            item_neighbours.target[by_source],
        )
        n_score, n_support = (
            item_neighbours.score[by_source],
            item_neighbours.support[by_source],
        )
        first = np.searchsorted(n_src, np.arange(p + 1))
        tie_break = self.popularity / (self.popularity.max(initial=0) + 1.0) * 1e-9
        parts = []
        for start in range(0, len(rows), chunk):
            batch = rows[start : start + chunk]
            # the blend of score_blend, kept sparse (a shop has many products)
            bought = self.bought[batch]

            def unbought(matrix, bought=bought):
                matrix = (matrix - matrix.multiply(bought)).tocsr()
                matrix.eliminate_zeros()
                return matrix

            blend = (
                _scale_rows(unbought(self.weighted[batch] @ item_matrix))
                + _scale_rows(unbought(user_matrix[batch] @ self.weighted))
            ).tocsr()
            # ties go to the more popular product, as in score_blend
            blend.data += tie_break[blend.indices]
            local, product, score = self._top_k_rows(blend, n, diagonal=False)
            row_best = np.zeros(len(batch))
            np.maximum.at(row_best, local, score)
            score = score / np.where(row_best[local] > 0, row_best[local], 1.0)
            order = np.lexsort((-score, local))
            local, product, score = local[order], product[order], score[order]
            # reason: the customer's own product whose neighbour list holds the
            # suggestion with the highest similarity
            own = self.bought[batch].tocoo()
            counts = first[own.col + 1] - first[own.col]
            e_local = np.repeat(own.row, counts)
            e_pos = ranges(first[own.col], counts)
            e_reason = n_src[e_pos] if len(e_pos) else np.empty(0, dtype=np.int64)
            e_target = n_dst[e_pos] if len(e_pos) else np.empty(0, dtype=np.int64)
            e_score = n_score[e_pos] if len(e_pos) else np.empty(0)
            e_support = n_support[e_pos] if len(e_pos) else np.empty(0, dtype=np.int64)
            key_pairs = local * p + product
            key_edges = e_local * p + e_target
            order = np.lexsort((-e_score, key_edges))
            key_edges, e_reason, e_support = (
                key_edges[order],
                e_reason[order],
                e_support[order],
            )
            first_edge = (
                np.r_[True, key_edges[1:] != key_edges[:-1]]
                if len(key_edges)
                else np.empty(0, dtype=bool)
            )
            key_edges, e_reason, e_support = (
                key_edges[first_edge],
                e_reason[first_edge],
                e_support[first_edge],
            )
            pos = np.searchsorted(key_edges, key_pairs)
            found = (
                (pos < len(key_edges))
                & (key_edges[np.minimum(pos, max(len(key_edges) - 1, 0))] == key_pairs)
                if len(key_edges)
                else np.zeros(len(key_pairs), dtype=bool)
            )
            reason = np.full(len(key_pairs), -1, dtype=np.int64)
            support = np.zeros(len(key_pairs), dtype=np.int64)
            reason[found] = e_reason[pos[found]]
            support[found] = e_support[pos[found]]
            # without a reason product: the similar customers who bought it
            missing = ~found
            if missing.any():
                buyers = (user_sim[batch] @ self.bought).tocsr()
                support[missing] = np.asarray(
                    buyers[local[missing], product[missing]]
                ).ravel()
            parts.append((batch[local], product, score, support, reason))
        if not parts:
            empty = np.empty(0, dtype=np.int64)
            return empty, empty, np.empty(0), empty, empty
        return tuple(np.concatenate([part[i] for part in parts]) for i in range(5))

    def _fallback(self, scores):
        """Products with no neighbour score rank after the scored ones, by
        popularity (a customer with few purchases still gets a full list)."""
        pop = self.popularity / (self.popularity.max() + 1.0) * 1e-9
        finite = np.isfinite(scores)
        return np.where(finite, scores + pop, scores)

    @staticmethod
    def top_n(scores, n):
        """Indices of the ``n`` best columns of each row, best first."""
        n = min(n, scores.shape[1])
        part = np.argpartition(-scores, n - 1, axis=1)[:, :n]
        order = np.take_along_axis(scores, part, axis=1).argsort(axis=1)[:, ::-1]
        return np.take_along_axis(part, order, axis=1)

    # ------------------------------------------------------------
    # REPLENISHMENT AND UPSELL
    # ------------------------------------------------------------

    def replenishment(self, min_purchases=3):
        """Per (customer, product) bought on ``min_purchases`` days or more:
        the median interval between purchases and the day of the last one.
        Returns arrays (customer, product, count, interval_days, last_day)."""
        ev = self._events
        empty = np.empty(0, dtype=np.int64)
        if not len(ev):
            return empty, empty, empty, np.empty(0), empty
        ev = ev[np.lexsort((ev[:, 2], ev[:, 1], ev[:, 0]))]
        pair = ev[:, 0] * self.n_products + ev[:, 1]
        starts = np.flatnonzero(np.r_[True, pair[1:] != pair[:-1]])
        counts = np.diff(np.r_[starts, len(pair)])
        group = np.repeat(np.arange(len(starts)), counts)
        # intervals between consecutive purchases of the same pair
        same = group[1:] == group[:-1]
        gaps = (ev[1:, 2] - ev[:-1, 2])[same]
        gap_group = group[1:][same]
        order = np.lexsort((gaps, gap_group))
        gaps, gap_group = gaps[order], gap_group[order]
        n_gaps = np.bincount(gap_group, minlength=len(starts))
        first_gap = np.r_[0, np.cumsum(n_gaps)[:-1]]
        ok = counts >= max(min_purchases, 2)
        lo = first_gap[ok] + (n_gaps[ok] - 1) // 2
        hi = first_gap[ok] + n_gaps[ok] // 2
        median = (gaps[lo] + gaps[hi]) / 2.0
        last = starts[ok] + counts[ok] - 1
        return ev[starts[ok], 0], ev[starts[ok], 1], counts[ok], median, ev[last, 2]

    def upsell_moves(self, category, price, min_movers=2, window=5, max_targets=5):
        """Product ``a`` -> ``b`` of the same category with a higher price,
        where customers bought ``a`` first and ``b`` later (within their next
        ``window`` new products of that category). Returns
        Neighbours(source=a, target=b, score=share of a's buyers who moved,
        support=movers). ``category`` and ``price`` are per-product arrays."""
        category = np.asarray(category)
        price = np.asarray(price, dtype=float)
        empty = np.empty(0, dtype=np.int64)
        ev = self._events
        if not len(ev):
            return Neighbours(empty, empty, np.empty(0), empty)
        # first purchase day of each (customer, product)
        ev = ev[np.lexsort((ev[:, 2], ev[:, 1], ev[:, 0]))]
        pair = ev[:, 0] * self.n_products + ev[:, 1]
        first = ev[np.r_[True, pair[1:] != pair[:-1]]]
        cat = category[first[:, 1]]
        first = first[np.lexsort((first[:, 2], cat, first[:, 0]))]
        cat = category[first[:, 1]]
        src, dst = [], []
        for shift in range(1, window + 1):
            a, b = first[:-shift], first[shift:]
            ok = (
                (a[:, 0] == b[:, 0])
                & (cat[:-shift] == cat[shift:])
                & (b[:, 2] > a[:, 2])
                & (price[b[:, 1]] > price[a[:, 1]])
            )
            src.append(a[ok, 1])
            dst.append(b[ok, 1])
        src, dst = np.concatenate(src), np.concatenate(dst)
        if not len(src):
            return Neighbours(empty, empty, np.empty(0), empty)
        moves, movers = np.unique(
            np.stack([src, dst], axis=1), axis=0, return_counts=True
        )
        keep = movers >= min_movers
        moves, movers = moves[keep], movers[keep]
        buyers = np.asarray(self.bought.sum(axis=0)).ravel()
        score = movers / np.maximum(buyers[moves[:, 0]], 1)
        # the few most followed moves of each product
        order = np.lexsort((-score, moves[:, 0]))
        moves, movers, score = moves[order], movers[order], score[order]
        starts = np.r_[0, np.flatnonzero(np.diff(moves[:, 0])) + 1]
        rank = np.arange(len(moves)) - np.repeat(
            starts, np.diff(np.r_[starts, len(moves)])
        )
        keep = rank < max_targets
        moves, movers, score = moves[keep], movers[keep], score[keep]
        return Neighbours(moves[:, 0], moves[:, 1], score, movers.astype(np.int64))


def blend_scores(a, b):
    """Sum of two score matrices, each row scaled to its own maximum
    (-inf, a product the customer already bought, stays -inf)."""

    def scaled(x):
        finite = np.where(np.isfinite(x), x, 0.0)
        top = finite.max(axis=1, keepdims=True)
        return np.where(np.isfinite(x), finite / np.where(top > 0, top, 1.0), -np.inf)

    return scaled(a) + scaled(b)


def ranges(starts, counts):
    """``np.concatenate([np.arange(s, s + n) for s, n in zip(starts, counts)])``
    without the Python loop."""
    starts = np.asarray(starts, dtype=np.int64)
    counts = np.asarray(counts, dtype=np.int64)
    total = int(counts.sum())
    if not total:
        return np.empty(0, dtype=np.int64)
    offsets = np.cumsum(counts) - counts
    return np.repeat(starts - offsets, counts) + np.arange(total, dtype=np.int64)


def _scale_rows(matrix):
    """Each row of a sparse matrix divided by its own maximum (entries are
    positive; the maxima by ``reduceat``, without sorting the indices)."""
    matrix = matrix.tocsr().copy()
    counts = np.diff(matrix.indptr)
    nonempty = counts > 0
    top = np.zeros(matrix.shape[0])
    if matrix.nnz:
        top[nonempty] = np.maximum.reduceat(matrix.data, matrix.indptr[:-1][nonempty])
    inverse = np.divide(1.0, top, out=np.zeros_like(top), where=top > 0)
    matrix.data = matrix.data * np.repeat(inverse, counts)
    return matrix


def _product_cost(left, right_t):
    """Upper bound of the entries of each row of ``left @ right_t``."""
    per_row = np.diff(right_t.tocsr().indptr).astype(np.int64)
    return left.astype(bool).astype(np.int64) @ per_row


def _chunks(cost, budget):
    """Consecutive index chunks whose summed ``cost`` stays under ``budget``
    (a single row over it is a chunk of its own)."""
    cost = np.asarray(cost, dtype=np.int64)
    if not len(cost):
        return
    bounds = np.cumsum(cost) // max(budget, 1)
    starts = np.r_[0, np.flatnonzero(np.diff(bounds)) + 1]
    ends = np.r_[starts[1:], len(cost)]
    for start, end in zip(starts, ends, strict=False):
        yield np.arange(start, end)
