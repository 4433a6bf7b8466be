import io
import logging
import time
from datetime import timedelta

import numpy as np

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, create_index

from ..engine.recommender import DEFAULT_CROSS_SELL_ROWS, Recommender, ranges

_logger = logging.getLogger(__name__)

# pg advisory lock namespace of the builds (one build per company at a time)
REBUILD_LOCK = 718_210_013
CROSS_SELL_PER_CUSTOMER = DEFAULT_CROSS_SELL_ROWS
UPSELL_PER_CUSTOMER = 3
POPULAR_PER_COMPANY = 50
# a product bought regularly is due once this share of its interval has passed
REPLENISH_DUE_RATIO = 0.8
# ... and stops being suggested when the customer seems to have stopped buying it
REPLENISH_STALE_RATIO = 3.0
# largest id of a PostgreSQL integer column; most suggestions served per customer
MAX_ID = 2**31 - 1
MAX_SERVING_LIMIT = 100
KINDS = [
    ("cross_sell", "Cross-sell"),
    ("replenish", "Replenishment"),
    ("upsell", "Upsell"),
]


class CouRecommendation(models.Model):
    """A stored product suggestion for a customer, built by :meth:`_rebuild`.

    One row per company, customer (commercial entity) and product; rows
    without a customer are the company's popular products, the fallback for
    customers without history. Suggestions are served by
    :meth:`get_recommendations` from these rows in a constant number of
    queries; the math is in ``engine/recommender.py``.
    """

    _name = "cou.recommendation"
    _description = "Product Suggestion"
    # rows are rewritten by every build (a million at a time in a large shop):
    # no create/write user and date (two foreign keys less to check per row);
    # ``as_of`` and the company's build date say when they were built
    _log_access = False
    _order = "company_id, partner_id, score desc, id"
    _rec_name = "product_id"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        readonly=True,
        ondelete="cascade",
        help="Empty: a popular product, suggested to customers without history.",
    )
    product_id = fields.Many2one(
        comodel_name="product.product", required=True, readonly=True, ondelete="cascade"
    )
    kind = fields.Selection(selection=KINDS, required=True, readonly=True)
    source = fields.Selection(
        selection=[
            ("similar", "Similar Customers"),
            ("popular", "Popular"),
            ("history", "Own History"),
            ("moved_up", "Customers Moved Up"),
        ],
        required=True,
        readonly=True,
    )
    score = fields.Float(readonly=True, digits=(16, 4))
    support = fields.Integer(
        string="Customers",
        readonly=True,
        help="Number of customers behind the suggestion.",
    )
    reason_product_id = fields.Many2one(
        comodel_name="product.product",
        string="Because of",
        readonly=True,
        ondelete="set null",
        help="The product of the customer's history the suggestion is based on.",
    )
    purchase_count = fields.Integer(string="Purchases", readonly=True)
    interval_days = fields.Float(
        string="Interval (days)", readonly=True, digits=(16, 1)
    )
    last_date = fields.Date(string="Last Purchase", readonly=True)
    as_of = fields.Date(string="Built From Orders Before", readonly=True)
    reason = fields.Char(compute="_compute_reason")

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends_context("lang")
    @api.depends(
        "kind", "source", "support", "reason_product_id", "interval_days", "last_date"
    )
    def _compute_reason(self):
        today = fields.Date.context_today(self)
        for rec in self:
            rec.reason = rec._format_reason(
                {
                    "kind": rec.kind,
                    "source": rec.source,
                    "support": rec.support,
                    "reason_name": rec.reason_product_id.display_name,
                    "interval_days": rec.interval_days,
                    "last_date": rec.last_date,
                    "purchase_count": rec.purchase_count,
                },
                today,
            )

    # ------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------

    def init(self):
        create_index(
            self.env.cr,
            "cou_recommendation_company_partner_score_idx",
            self._table,
            ["company_id", "partner_id", "score DESC"],
        )

    # ------------------------------------------------------------
    # BUSINESS METHODS: SERVING
    # ------------------------------------------------------------

    @api.readonly
    @api.model
    def get_recommendations(
        self,
        partner_ids,
        limit=5,
        kinds=None,
        exclude_purchased=False,
        exclude_product_ids=None,
    ):
        """Suggestions for customers, best first.

        :param partner_ids: ids of contacts (their commercial entity's history counts)
        :param kinds: subset of ``cross_sell``, ``replenish``, ``upsell`` (default all)
        :param exclude_purchased: leave out every product the customer bought before
        :param exclude_product_ids: products to leave out (e.g. already on the order)
        :return: ``{partner_id: [{"product_id", "kind", "score", "reason"}, ...]}``

        Two queries whatever the number of customers: the suggestions with
        their products' availability (active, saleable, of the current company
        or shared), and the extension point :meth:`_get_excluded_products`
        (none by default; a constant number when overridden).
        """
        self.check_access("read")
        partner_ids, limit, kinds, exclude_product_ids = self._serving_check_args(
            partner_ids, limit, kinds, exclude_purchased, exclude_product_ids
        )
        result = {pid: [] for pid in partner_ids}
        if not partner_ids:
            return result
        company = self.env.company
        today = fields.Date.context_today(self)
        self.env["sale.order"].flush_model(["state", "partner_id", "company_id"])
        self.env["sale.order.line"].flush_model(["product_id", "order_id"])
        self.env["product.product"].flush_model(["active", "product_tmpl_id"])
        self.env["product.template"].flush_model(
            ["active", "sale_ok", "company_id", "name"]
        )
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        self.flush_model()
        lang = self.env.lang or "en_US"
        query = SQL(
            """
            WITH asked AS (
                SELECT rp.id AS asked_id, rp.commercial_partner_id AS customer_id
                  FROM res_partner rp
                 WHERE rp.id = ANY(%(ids)s)
            )
            SELECT a.asked_id, r.product_id, r.kind, r.source, r.score, r.support,
                   r.purchase_count, r.interval_days, r.last_date,
                   COALESCE(rt.name->>%(lang)s, rt.name->>'en_US') AS reason_name
              FROM asked a
              JOIN cou_recommendation r
                ON r.company_id = %(company)s
               AND (r.partner_id = a.customer_id OR r.partner_id IS NULL)
              JOIN product_product pp ON pp.id = r.product_id AND pp.active
              JOIN product_template pt ON pt.id = pp.product_tmpl_id
               AND pt.active AND pt.sale_ok
               AND (pt.company_id IS NULL OR pt.company_id = %(company)s)
              LEFT JOIN product_product rpp ON rpp.id = r.reason_product_id
              LEFT JOIN product_template rt ON rt.id = rpp.product_tmpl_id
             WHERE r.kind = ANY(%(kinds)s)
               AND NOT r.product_id = ANY(%(excluded)s)
               AND (r.kind != 'replenish' OR (
                    NOT %(exclude_purchased)s
                    AND r.last_date + (r.interval_days * %(due)s)::int <= %(today)s
                    AND r.last_date + (r.interval_days * %(stale)s)::int >= %(today)s))
               AND (
                    -- a popular product, or anything once the customer bought it
                    -- since the build, is new to them only if they never bought it
                    (r.partner_id IS NOT NULL AND NOT %(exclude_purchased)s)
                    OR r.kind = 'replenish'
                    OR NOT EXISTS (
                        SELECT 1
                          FROM sale_order_line sol
                          JOIN sale_order so ON so.id = sol.order_id
                          JOIN res_partner sp ON sp.id = so.partner_id
                         WHERE sol.product_id = r.product_id
                           AND so.state = 'sale'
                           AND so.company_id = %(company)s
                           AND sp.commercial_partner_id = a.customer_id))
             ORDER BY a.asked_id, r.score DESC, r.product_id
            """,
            ids=partner_ids,
            lang=lang,
            company=company.id,
            kinds=kinds,
            excluded=exclude_product_ids or [0],
            exclude_purchased=bool(exclude_purchased),
            due=REPLENISH_DUE_RATIO,
            stale=REPLENISH_STALE_RATIO,
            today=today,
        )
        self.env.cr.execute(query)
        rows = self.env.cr.dictfetchall()
        excluded = (
            self._get_excluded_products(
                partner_ids, product_ids=sorted({row["product_id"] for row in rows})
            )
            if rows
            else {}
        )
        seen = {pid: set() for pid in partner_ids}
        scored = {pid: [] for pid in partner_ids}
        for row in rows:
            pid = row["asked_id"]
            product_id = row["product_id"]
            if product_id in excluded.get(pid, ()):
                continue
            score = self._serving_score(row, today)
            scored[pid].append((score, row))
        for pid, candidates in scored.items():
            candidates.sort(key=lambda item: (-item[0], item[1]["product_id"]))
            for score, row in candidates:
                if row["product_id"] in seen[pid]:
                    continue
                seen[pid].add(row["product_id"])
                result[pid].append(
                    {
                        "product_id": row["product_id"],
                        "kind": row["kind"],
                        "score": round(float(score), 4),
                        "reason": self._format_reason(row, today),
                    }
                )
                if len(result[pid]) >= limit:
                    break
        return result

    @api.model
    def _serving_check_args(
        self, partner_ids, limit, kinds, exclude_purchased, exclude_product_ids
    ):
        """The arguments of :meth:`get_recommendations` as a web client may
        send them (JSON, any type), checked: ``(partner_ids, limit, kinds,
        exclude_product_ids)``, or a clear error instead of a traceback."""
        _ = self.env._

        def ids(value):
            if value in (None, False):
                return []
            if isinstance(value, list | tuple) and all(
                isinstance(v, int) and not isinstance(v, bool) and 0 < v <= MAX_ID
                for v in value
            ):
                return list(dict.fromkeys(value))
            return None

        partner_ids = ids(partner_ids)
        if partner_ids is None:
            raise UserError(
                _("Product suggestions are asked for a list of contact ids.")
            )
        exclude_product_ids = ids(exclude_product_ids)
        if exclude_product_ids is None:
            raise UserError(
                _("The products to leave out must be a list of product ids.")
            )
        if limit in (None, False):
            limit = 5
        if not isinstance(limit, int) or isinstance(limit, bool):
            raise UserError(_("The number of suggestions must be a whole number."))
        limit = max(1, min(limit, MAX_SERVING_LIMIT))
        known = [kind for kind, _label in KINDS]
        if kinds in (None, False) or kinds == []:
            kinds = known
        elif not isinstance(kinds, list | tuple) or not all(
            isinstance(kind, str) and kind in known for kind in kinds
        ):
            raise UserError(
                _(
                    "Unknown kinds of suggestion: choose among %(kinds)s.",
                    kinds=", ".join(known),
                )
            )
        if exclude_purchased not in (None, False, True):
            raise UserError(_("Leaving out purchased products is true or false."))
        return partner_ids, limit, list(kinds), exclude_product_ids

    @api.model
    def _get_excluded_products(self, partner_ids, product_ids=None):
        """Extension point: products never to suggest to these customers.

        :param partner_ids: the contacts asked for (as given to
            :meth:`get_recommendations`)
        :param product_ids: the candidate products (None: any product); an
            override may leave out of its answer the products not among them
        :return: ``{partner_id: set(product ids)}``; e.g. the care rules bridge
            (``crm_order_unified_recommendation_care``) adds the products a
            customer's blocking rules forbid. None by default. An override
            should cost a constant number of queries.
        """
        return {}

    @api.model
    def _serving_score(self, row, today):
        """One scale for every kind, best first: cross-sell 0..1 (1 = this
        customer's best), replenishment 0.5..1 (1 = one interval or a little
        more since the last purchase), upsell as stored (0.3..0.9, by the
        share of buyers who moved up), popular products below 0.2."""
        if row["kind"] == "replenish" and row["last_date"] and row["interval_days"]:
            # due (0.8 interval) to overdue (1.5) climbs; much later, the
            # customer may have stopped buying it: it fades out
            elapsed = (today - row["last_date"]).days / max(row["interval_days"], 1.0)
            if elapsed <= 1.5:
                due = min(elapsed, 1.0)
            else:
                due = max(0.0, 1.0 - (elapsed - 1.5) / (REPLENISH_STALE_RATIO - 1.5))
            return 0.5 + 0.5 * due
        return row["score"]

    @api.model
    def _format_reason(self, row, today):
        """The why of a suggestion, in the user's language."""
        count = row.get("support") or 0
        if row["kind"] == "replenish":
            days = (today - row["last_date"]).days if row.get("last_date") else 0
            return self.env._(
                "Bought %(count)s times, about every %(interval)s days; "
                "last time %(days)s days ago",
                count=row.get("purchase_count") or 0,
                interval=round(row.get("interval_days") or 0),
                days=days,
            )
        if row["kind"] == "upsell":
            return self.env._(
                "%(count)s customers who bought %(product)s moved up to this one",
                count=count,
                product=row.get("reason_name") or "",
            )
        if row.get("source") == "popular":
            return self.env._(
                "Popular: bought by %(count)s customers in the last 90 days",
                count=count,
            )
        if row.get("reason_name"):
            return self.env._(
                "Bought by %(count)s customers who also buy %(product)s",
                count=count,
                product=row["reason_name"],
            )
        return self.env._(
            "Bought by %(count)s customers with similar purchases", count=count
        )

    # ------------------------------------------------------------
    # BUSINESS METHODS: BUILDING
    # ------------------------------------------------------------

    @api.model
    def _cron_rebuild(self, incremental=False):
        """Scheduled job: rebuild every company's suggestions as a job run
        (cou.job.chunk): each company is a chunk that any cron worker of any
        server may take, in its own transaction (which releases its lock)."""
        return self.env["cou.job.chunk"]._cou_run_job(
            "recommendation_incremental" if incremental else "recommendation",
            [
                [
                    {
                        "model": "cou.recommendation",
                        "method": "_cou_job_rebuild",
                        "kwargs": {
                            "company_id": company.id,
                            "incremental": incremental,
                        },
                        "company_id": company.id,
                    }
                    for company in self.env["res.company"].search([])
                ]
            ],
        )

    @api.model
    def _cou_job_rebuild(self, company_id, incremental=False):
        """A chunk of the suggestions run: one company."""
        company = self.env["res.company"].browse(company_id)
        self.with_company(company)._rebuild(company, incremental=incremental)

    @api.model
    def _rebuild(self, company, as_of=None, incremental=False):
        """Rebuild the suggestions of ``company`` from its confirmed order lines
        dated before ``as_of`` (a date: before its first second; default: every
        order confirmed so far, for today).

        ``incremental`` (with the default ``as_of`` and a previous build of the
        same day or earlier) only rebuilds the customers whose confirmed orders
        changed since that build; the company-wide parts (popular products,
        item neighbours) are always rebuilt, they are cheap. Returns False
        when another worker is building the same company (a transaction-level
        advisory lock), else a dict of counts.
        """
        if isinstance(company, int):
            company = self.env["res.company"].browse(company)
        company = company or self.env.company
        started = time.perf_counter()
        cr = self.env.cr
        cr.execute(
            SQL("SELECT pg_try_advisory_xact_lock(%s, %s)", REBUILD_LOCK, company.id)
        )
        if not cr.fetchone()[0]:
            _logger.info(
                "suggestions of company %s: another worker is building them", company.id
            )
            return False
        explicit_as_of = bool(as_of)
        as_of = fields.Date.to_date(as_of) if as_of else fields.Date.context_today(self)
        # an explicit as_of cuts at its midnight; the default takes every order so far
        build_start = self.env.cr.now()
        # (date_order has no microseconds: an order of this second is in)
        cut = as_of if explicit_as_of else fields.Datetime.now() + timedelta(seconds=1)
        SaleOrder = self.env["sale.order"]
        changed = None
        if incremental and not explicit_as_of and company.cou_recommendation_build_date:
            changed = SaleOrder._cou_recommendation_changed_customers(
                company, company.cou_recommendation_build_date
            )
        timings = {}
        lap_start = [time.perf_counter()]

        def lap(name):
            now = time.perf_counter()
            timings[name] = round(now - lap_start[0], 2)
            lap_start[0] = now

        events = SaleOrder._cou_recommendation_purchase_events(company, as_of, cut)
        lap("read_s")
        if len(events):
            events = np.asarray(events, dtype=np.int64)
            partner_ids, customers = np.unique(events[:, 0], return_inverse=True)
            product_ids, products = np.unique(events[:, 1], return_inverse=True)
            days = events[:, 2]
        else:
            partner_ids = product_ids = np.empty(0, dtype=np.int64)
            customers = products = days = np.empty(0, dtype=np.int64)
        # days count from as_of (0 = that day); the SQL already cut at ``cut``
        rec = Recommender().fit(
            customers, products, days, 1, len(partner_ids), len(product_ids)
        )
        rows = None
        if changed is not None:
            rows = np.flatnonzero(np.isin(partner_ids, list(changed)))
        lap("fit_s")
        items = rec.item_neighbours_()
        category, price = self._get_product_families(product_ids)
        moves = rec.upsell_moves(category, price)
        lap("item_neighbours_s")
        values = {
            "company": company.id,
            "as_of": as_of,
            "uid": self.env.uid,
            "now": build_start,
        }
        # ---- company-wide: item neighbours, upsell moves, popular products ----
        cr.execute(
            SQL(
                "DELETE FROM cou_recommendation_neighbour WHERE company_id = %s",
                company.id,
            )
        )
        self._insert_rows(
            "cou_recommendation_neighbour",
            values,
            {
                "kind": ["similar"] * len(items.source)
                + ["upsell"] * len(moves.source),
                "product_id": product_ids[np.r_[items.source, moves.source]].tolist(),
                "neighbour_id": product_ids[np.r_[items.target, moves.target]].tolist(),
                "score": np.r_[items.score, moves.score].tolist(),
                "support": np.r_[items.support, moves.support].astype(int).tolist(),
            },
        )
        if rows is None:
            cr.execute(
                SQL("DELETE FROM cou_recommendation WHERE company_id = %s", company.id)
            )
        else:
            cr.execute(
                SQL(
                    "DELETE FROM cou_recommendation WHERE company_id = %s"
                    " AND (partner_id IS NULL OR partner_id = ANY(%s))",
                    company.id,
                    partner_ids[rows].tolist() + list(changed),
                )
            )
        top = np.argsort(-rec.popularity, kind="stable")[:POPULAR_PER_COMPANY]
        top = top[rec.popularity[top] > 0]
        best = rec.popularity[top[0]] if len(top) else 1.0
        self._insert_rows(
            "cou_recommendation",
            values,
            {
                "partner_id": [None] * len(top),
                "product_id": product_ids[top].tolist(),
                "kind": ["cross_sell"] * len(top),
                "source": ["popular"] * len(top),
                "score": (0.2 * rec.popularity[top] / best).tolist(),
                "support": rec.popularity[top].astype(int).tolist(),
            },
        )
        counts = {"popular": len(top), "item_neighbours": len(items.source)}
        lap("write_company_s")
        # ---- per customer: cross-sell, upsell, replenishment ----
        users = rec.user_neighbours_(rows=rows)
        lap("user_neighbours_s")
        c, p, score, support, reason = rec.cross_sell(
            items, users, rows=rows, n=CROSS_SELL_PER_CUSTOMER
        )
        lap("cross_sell_s")
        counts["cross_sell"] = len(c)
        self._insert_customer_rows(
            values,
            partner_ids,
            product_ids,
            "cross_sell",
            "similar",
            c,
            p,
            score,
            support,
            reason,
        )
        lap("write_cross_sell_s")
        c, p, score, support, reason = self._upsell_rows(rec, moves, rows)
        counts["upsell"] = len(c)
        self._insert_customer_rows(
            values,
            partner_ids,
            product_ids,
            "upsell",
            "moved_up",
            c,
            p,
            score,
            support,
            reason,
        )
        c, p, n, interval, last = rec.replenishment()
        if rows is not None:
            keep = np.isin(c, rows)
            c, p, n, interval, last = (
                c[keep],
                p[keep],
                n[keep],
                interval[keep],
                last[keep],
            )
        counts["replenish"] = len(c)
        self._insert_rows(
            "cou_recommendation",
            values,
            {
                "partner_id": partner_ids[c].tolist(),
                "product_id": product_ids[p].tolist(),
                "kind": ["replenish"] * len(c),
                "source": ["history"] * len(c),
                "score": [0.5] * len(c),
                "support": [1] * len(c),
                "purchase_count": n.astype(int).tolist(),
                "interval_days": interval.tolist(),
                "last_date": [as_of + timedelta(days=int(day)) for day in last],
            },
        )
        lap("upsell_replenish_s")
        company.sudo().cou_recommendation_build_date = build_start
        self.invalidate_model()
        self.env["cou.recommendation.neighbour"].invalidate_model()
        counts.update(
            lines=len(events),
            customers=len(partner_ids) if rows is None else len(rows),
            incremental=rows is not None,
            seconds=round(time.perf_counter() - started, 2),
            timings=timings,
        )
        _logger.info("suggestions of company %s rebuilt: %s", company.id, counts)
        return counts

    @api.model
    def _get_product_families(self, product_ids):
        """Category and list price per product (aligned with ``product_ids``),
        what upsell compares: same category, higher price."""
        if not len(product_ids):
            return np.empty(0, dtype=np.int64), np.empty(0)
        self.env["product.template"].flush_model(["categ_id", "list_price"])
        self.env.cr.execute(
            SQL(
                """
                SELECT pp.id, COALESCE(pt.categ_id, 0), COALESCE(pt.list_price, 0)
                  FROM product_product pp
                  JOIN product_template pt ON pt.id = pp.product_tmpl_id
                 WHERE pp.id = ANY(%s)
                """,
                list(map(int, product_ids)),
            )
        )
        family = {pid: (categ, price) for pid, categ, price in self.env.cr.fetchall()}
        category = np.asarray([family.get(int(pid), (0, 0))[0] for pid in product_ids])
        price = np.asarray(
            [family.get(int(pid), (0, 0))[1] for pid in product_ids], dtype=float
        )
        return category, price

    @api.model
    def _upsell_rows(self, rec, moves, rows):
        """For each customer who bought ``a`` and not yet ``b`` of a move
        ``a -> b``: the best moves, scored 0.3..0.9 by the share of ``a``'s
        buyers who moved up."""
        bought = rec.bought.tocoo()
        empty = np.empty(0, dtype=np.int64)
        if not len(moves.source) or not bought.nnz:
            return empty, empty, np.empty(0), empty, empty
        order = np.argsort(moves.source, kind="stable")
        src, dst = moves.source[order], moves.target[order]
        share, movers = moves.score[order], moves.support[order]
        first = np.searchsorted(src, np.arange(rec.n_products + 1))
        cust, prod = bought.row, bought.col
        if rows is not None:
            keep = np.isin(cust, rows)
            cust, prod = cust[keep], prod[keep]
        counts = first[prod + 1] - first[prod]
        e_cust = np.repeat(cust, counts)
        e_pos = ranges(first[prod], counts)
        if not len(e_pos):
            return empty, empty, np.empty(0), empty, empty
        e_src, e_dst, e_share, e_movers = (
            src[e_pos],
            dst[e_pos],
            share[e_pos],
            movers[e_pos],
        )
        not_bought = np.asarray(rec.bought[e_cust, e_dst]).ravel() == 0
        e_cust, e_src, e_dst = e_cust[not_bought], e_src[not_bought], e_dst[not_bought]
        e_share, e_movers = e_share[not_bought], e_movers[not_bought]
        # best source per (customer, target), then the best targets per customer
        order = np.lexsort((-e_share, e_dst, e_cust))
        e_cust, e_src, e_dst = e_cust[order], e_src[order], e_dst[order]
        e_share, e_movers = e_share[order], e_movers[order]
        first_pair = np.r_[
            True, (e_cust[1:] != e_cust[:-1]) | (e_dst[1:] != e_dst[:-1])
        ]
        e_cust, e_src, e_dst = e_cust[first_pair], e_src[first_pair], e_dst[first_pair]
        e_share, e_movers = e_share[first_pair], e_movers[first_pair]
        order = np.lexsort((-e_share, e_cust))
        e_cust, e_src, e_dst = e_cust[order], e_src[order], e_dst[order]
        e_share, e_movers = e_share[order], e_movers[order]
        starts = np.r_[0, np.flatnonzero(e_cust[1:] != e_cust[:-1]) + 1]
        rank = np.arange(len(e_cust)) - np.repeat(
            starts, np.diff(np.r_[starts, len(e_cust)])
        )
        keep = rank < UPSELL_PER_CUSTOMER
        score = 0.3 + 0.6 * np.minimum(e_share[keep] * 2.5, 1.0)
        return e_cust[keep], e_dst[keep], score, e_movers[keep], e_src[keep]

    @api.model
    def _insert_customer_rows(
        self,
        values,
        partner_ids,
        product_ids,
        kind,
        source,
        c,
        p,
        score,
        support,
        reason,
    ):
        self._insert_rows(
            "cou_recommendation",
            values,
            {
                "partner_id": partner_ids[c].tolist(),
                "product_id": product_ids[p].tolist(),
                "kind": [kind] * len(c),
                "source": [source] * len(c),
                "score": np.asarray(score, dtype=float).tolist(),
                "support": np.asarray(support).astype(int).tolist(),
                "reason_product_id": self._ids_or_none(product_ids, reason),
            },
        )

    @api.model
    def _ids_or_none(self, ids, codes):
        """``ids[code]`` for each code, None where the code is -1 (a list)."""
        codes = np.asarray(codes, dtype=np.int64)
        result = np.asarray(ids)[np.maximum(codes, 0)].tolist()
        for position in np.flatnonzero(codes < 0).tolist():
            result[position] = None
        return result

    @api.model
    def _insert_rows(self, table, values, columns):
        """Write the given column arrays (plus the company, build day and, for
        a model that has them, log columns) with one ``COPY``: a build writes
        about a row per customer and suggestion, and ``COPY`` is several times
        faster than INSERT."""
        length = len(next(iter(columns.values())))
        if not length:
            return
        names = list(columns)
        constant_columns = ["company_id", "as_of"]
        constants = [
            str(values["company"]),
            fields.Date.to_string(values["as_of"]),
        ]
        if table != self._table or self._log_access:
            constant_columns += ["create_uid", "create_date", "write_uid", "write_date"]
            constants += [
                str(values["uid"]),
                fields.Datetime.to_string(values["now"]),
                str(values["uid"]),
                fields.Datetime.to_string(values["now"]),
            ]
        tail = "\t".join(constants)

        def text(values):
            # column by column: one str() per cell, no call per row
            if isinstance(values, np.ndarray):
                values = values.tolist()
            return ["\\N" if value is None else str(value) for value in values]

        cells = [text(columns[name]) for name in names]
        cells.append([tail] * length)
        buffer = io.StringIO("\n".join(map("\t".join, zip(*cells, strict=True))) + "\n")
        query = SQL(
            "COPY %s (%s) FROM STDIN",
            SQL.identifier(table),
            SQL(", ").join(SQL.identifier(name) for name in names + constant_columns),
        )
        self.env.cr.copy_expert(query.code, buffer)
