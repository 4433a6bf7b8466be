import logging

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from .cou_rfm_segment_map import RFM_SEGMENT_CODES

_logger = logging.getLogger(__name__)

# Key of the PostgreSQL advisory lock taken while a company's RFM scores are
# recomputed (second key: the company id). "COUR" in ASCII.
RFM_LOCK_KEY = 0x434F5552
# work_mem of the full recomputation's scoring statement (SET LOCAL)
RFM_WORK_MEM = "64MB"
# rows written by a recomputation above which the scores are analyzed at once
RFM_ANALYZE_ROWS = 1000


class CouRfmScore(models.Model):
    """RFM scores of a customer (commercial entity) in one company.

    One row per (company, customer) that had a confirmed order in the
    company's RFM window (res.company.cou_rfm_window_months,
    default 24 months). Rows are written by set-based SQL only: the job
    (cou.segment._cron_recompute) recomputes all of a company at once and an
    order confirmation refreshes that customer (_refresh_partners).

    Scoring rules (documented in readme/CONFIGURE.md):
    - recency = days since the last confirmed, non-cancelled order; frequency =
      number of such orders; monetary = their Ordered Revenue (untaxed amount
      in company currency, sale.order._cou_order_revenue_sql; return orders
      left out, _cou_return_order_sql). Credit notes are Invoiced Revenue,
      not Ordered Revenue: a customer with refunds only has no score.
    - each score is 1 + floor(5 * W / N), where N is the number of customers
      with an order in the window and W the number of them with a strictly
      worse value (older last order, fewer orders, less revenue). Ties share
      the same, lower score (SQL rank(), the "min" method); the result never
      depends on ids or row order.
    - FM = (F + M + 1) // 2 (mean rounded half up); the named segment is read
      from cou.rfm.segment.map for the pair (R, FM).
    """

    _name = "cou.rfm.score"
    _description = "Customer RFM Score"
    _order = "company_id, r_score desc, fm_score desc, partner_id"
    _rec_name = "partner_id"
    # written by the job only (computed_at says when): no create/write user
    # and date, whose foreign keys every recomputation checked for each row
    _log_access = False

    # === FIELDS === #
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    # indexed by the unique (company_id, partner_id) constraint
    company_id = fields.Many2one(
        comodel_name="res.company",
        string="Company",
        required=True,
        readonly=True,
        ondelete="cascade",
    )
    currency_id = fields.Many2one(related="company_id.currency_id", string="Currency")
    last_order_date = fields.Date(string="Last Order", readonly=True)
    recency_days = fields.Integer(string="Days Since Last Order", readonly=True)
    frequency = fields.Integer(string="Orders in Window", readonly=True)
    monetary = fields.Monetary(
        string="Ordered Revenue",
        readonly=True,
        help="Ordered Revenue of the RFM window: untaxed amount of the customer's "
        "confirmed orders in company currency (return orders left out; credit notes "
        "are invoiced, not ordered, revenue).",
    )
    r_score = fields.Integer(string="Recency Score", readonly=True, aggregator="avg")
    f_score = fields.Integer(string="Frequency Score", readonly=True, aggregator="avg")
    m_score = fields.Integer(string="Monetary Score", readonly=True, aggregator="avg")
    fm_score = fields.Integer(
        string="Frequency-Monetary Score", readonly=True, aggregator="avg"
    )
    rfm_label = fields.Char(string="RFM", compute="_compute_rfm_label")
    segment_code = fields.Selection(
        selection=RFM_SEGMENT_CODES, string="RFM Segment", readonly=True
    )
    computed_at = fields.Datetime(string="Computed On", readonly=True)

    _sql_constraints = [
        (
            "cou_rfm_score_company_partner_uniq",
            "UNIQUE(company_id, partner_id)",
            "One RFM score per customer and company.",
        ),
    ]

    # === COMPUTE METHODS === #
    @api.depends("r_score", "f_score", "m_score")
    def _compute_rfm_label(self):
        for score in self:
            score.rfm_label = f"{score.r_score}{score.f_score}{score.m_score}"

    # === CRUD METHODS === #
    def init(self):
        res = super().init()
        # single-column indexes of an earlier version (company_id and
        # segment_code with index=True): company_id is covered by the unique
        # (company_id, partner_id) index, segment_code is never searched alone;
        # they only slowed down the bulk writes of the recomputation
        for name in (
            "cou_rfm_score__company_id_index",
            "cou_rfm_score__segment_code_index",
        ):
            self.env.cr.execute(SQL("DROP INDEX IF EXISTS %s", SQL.identifier(name)))
        return res

    # === BUSINESS METHODS === #
    @api.model
    def _get_window(self, company, today=None):
        """Return (today, start date, stop date) of ``company``'s RFM window."""
        today = today or fields.Date.context_today(self)
        months = company.cou_rfm_window_months or 24
        return (
            today,
            today - relativedelta(months=months),
            today + relativedelta(days=1),
        )

    @api.model
    def _get_raw_values_query(self, company, today, partner_ids=None):
        """SQL of (partner_id, last_order_date, frequency, monetary,
        recency_days) per customer with a confirmed order in the window.

        Set-based: one grouped scan of the company's orders. ``monetary`` is
        the customer's Ordered Revenue of the window (never negative; credit
        notes and return orders are not orders). ``partner_ids`` (commercial
        partners) restricts it.
        """
        today, start, stop = self._get_window(company, today)
        order_partner = SQL("")
        if partner_ids is not None:
            order_partner = SQL(
                "AND p.commercial_partner_id = ANY(%s)", list(partner_ids)
            )
        return SQL(
            """
            SELECT p.commercial_partner_id AS partner_id,
                   (MAX(so.date_order))::date AS last_order_date,
                   COUNT(*) AS frequency,
                   SUM(%(revenue)s) AS monetary,
                   (%(today)s::date - (MAX(so.date_order))::date) AS recency_days
              FROM sale_order so
              JOIN res_partner p ON p.id = so.partner_id
             WHERE so.company_id = %(company)s
               AND so.state = 'sale'
               -- a return order (imported refund) is neither an order nor a
               -- purchase: left out, as from the Ordered Revenue
               AND NOT %(is_return)s
               AND so.date_order >= %(start)s AND so.date_order < %(stop)s
               %(order_partner)s
             GROUP BY p.commercial_partner_id
            """,
            company=company.id,
            start=start,
            stop=stop,
            today=today,
            order_partner=order_partner,
            is_return=self.env["sale.order"]._cou_return_order_sql("so"),
            revenue=self.env["sale.order"]._cou_order_revenue_sql("so"),
        )

    def _flush_sources(self):
        self.env["sale.order"].flush_model(
            [
                "state",
                "date_order",
                "partner_id",
                "company_id",
                "amount_untaxed",
                "currency_rate",
            ]
        )
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        self.env["cou.rfm.segment.map"].flush_model()
        self.flush_model()

    @api.model
    def _recompute_company(self, company, today=None):
        """Recompute the RFM scores of all customers of ``company`` in one
        transaction. Returns False when another worker is already doing it
        (transaction-level advisory lock), True otherwise."""
        cr = self.env.cr
        cr.execute(
            SQL("SELECT pg_try_advisory_xact_lock(%s, %s)", RFM_LOCK_KEY, company.id)
        )
        if not cr.fetchone()[0]:
            _logger.info(
                "RFM of company %s is being recomputed by another worker: skipped",
                company.id,
            )
            return False
        self._flush_sources()
        today = today or fields.Date.context_today(self)
        now = fields.Datetime.now()
        cr.execute(SQL("DROP TABLE IF EXISTS cou_rfm_tmp"))
        # one grouped scan and three window sorts of all customers: in memory,
        # not in temporary files (restored below, for this transaction only)
        cr.execute(SQL("SHOW work_mem"))
        work_mem = cr.fetchone()[0]
        cr.execute(SQL("SET LOCAL work_mem = %s", RFM_WORK_MEM))
        cr.execute(
            SQL(
                """
                CREATE TEMP TABLE cou_rfm_tmp ON COMMIT DROP AS
                WITH raw AS (%(raw)s),
                ranked AS (
                    SELECT raw.*,
                           COUNT(*) OVER buyers AS n,
                           RANK() OVER (PARTITION BY raw.frequency > 0 ORDER BY
                               raw.last_order_date) AS r_rank,
                           RANK() OVER (PARTITION BY raw.frequency > 0 ORDER BY
                               raw.frequency) AS f_rank,
                           RANK() OVER (PARTITION BY raw.frequency > 0 ORDER BY
                               raw.monetary) AS m_rank
                      FROM raw
                    WINDOW buyers AS (PARTITION BY raw.frequency > 0)
                ), scored AS (
                    SELECT partner_id, last_order_date, frequency, monetary,
                        recency_days,
                           CASE WHEN frequency > 0 THEN 1 + (5 * (r_rank - 1)) / n ELSE
                               1 END AS r_score,
                           CASE WHEN frequency > 0 THEN 1 + (5 * (f_rank - 1)) / n ELSE
                               1 END AS f_score,
                           CASE WHEN frequency > 0 THEN 1 + (5 * (m_rank - 1)) / n ELSE
                               1 END AS m_score
                      FROM ranked
                )
                SELECT s.*, (s.f_score + s.m_score + 1) / 2 AS fm_score,
                    map.segment_code
                  FROM scored s
                  LEFT JOIN cou_rfm_segment_map map
                         ON map.r_score = s.r_score AND map.fm_score = (s.f_score +
                             s.m_score + 1) / 2
                """,
                raw=self._get_raw_values_query(company, today),
            )
        )
        cr.execute(SQL("SET LOCAL work_mem = %s", work_mem))
        changed = self._upsert_from_tmp(company, now)
        cr.execute(
            SQL(
                """
                DELETE FROM cou_rfm_score s
                 WHERE s.company_id = %s
                   AND NOT EXISTS (SELECT 1 FROM cou_rfm_tmp t WHERE t.partner_id =
                       s.partner_id)
                """,
                company.id,
            )
        )
        changed += cr.rowcount
        cr.execute(SQL("SELECT COUNT(*) FROM cou_rfm_tmp"))
        scored = cr.fetchone()[0]
        cr.execute(SQL("DROP TABLE cou_rfm_tmp"))
        if changed > max(RFM_ANALYZE_ROWS, scored // 10):
            # many rows written (first run, new window): the segment filters
            # that join the scores next are planned from fresh statistics (a
            # plan made for the few rows of stale ones nests loops over every
            # customer); ANALYZE sees this transaction's rows
            cr.execute(SQL("ANALYZE cou_rfm_score"))
        self.invalidate_model()
        return True

    def _upsert_from_tmp(self, company, now):
        """Write the scores of cou_rfm_tmp into cou_rfm_score, touching only
        what changed: one UPDATE of the rows whose values differ, one INSERT
        of the customers without a row. Rows whose values are unchanged are left
        alone (no write, no lock, no foreign-key check). The caller deletes
        the rows of customers that left the window.

        A row inserted meanwhile by a concurrent transaction (order
        confirmation of that customer) makes the INSERT fail with a unique
        violation, which the callers treat as "left to the other worker".

        Returns the number of rows updated or inserted."""
        cr = self.env.cr
        # the primary key's build also counts the rows for the planner (no
        # ANALYZE: half a second of sampling at 80,000 customers for nothing)
        cr.execute(SQL("ALTER TABLE cou_rfm_tmp ADD PRIMARY KEY (partner_id)"))
        cr.execute(
            SQL(
                """
                UPDATE cou_rfm_score s
                   SET last_order_date = t.last_order_date,
                       recency_days = t.recency_days,
                       frequency = t.frequency,
                       monetary = t.monetary,
                       r_score = t.r_score,
                       f_score = t.f_score,
                       m_score = t.m_score,
                       fm_score = t.fm_score,
                       segment_code = t.segment_code,
                       computed_at = %(now)s
                  FROM cou_rfm_tmp t
                 WHERE s.company_id = %(company)s AND s.partner_id = t.partner_id
                   AND (s.last_order_date, s.recency_days, s.frequency, s.monetary,
                        s.r_score, s.f_score, s.m_score, s.fm_score, s.segment_code)
                       IS DISTINCT FROM
                       (t.last_order_date, t.recency_days, t.frequency, t.monetary,
                        t.r_score, t.f_score, t.m_score, t.fm_score, t.segment_code)
                """,
                company=company.id,
                now=now,
            )
        )
        changed = cr.rowcount
        # the customers without a row, found before inserting, by a FULL JOIN
        # kept from being reduced (OFFSET 0): always a hash or merge join. An
        # anti-join planned from stale statistics, or probing the table the
        # same statement writes, can turn quadratic.
        cr.execute(SQL("DROP TABLE IF EXISTS cou_rfm_new"))
        cr.execute(
            SQL(
                """
                CREATE TEMP TABLE cou_rfm_new ON COMMIT DROP AS
                SELECT d.partner_id
                  FROM (SELECT t.partner_id, s.partner_id AS score_partner_id
                          FROM cou_rfm_tmp t
                          FULL JOIN (SELECT partner_id FROM cou_rfm_score WHERE
                              company_id = %s) s
                                 ON s.partner_id = t.partner_id
                        OFFSET 0) d
                 WHERE d.score_partner_id IS NULL AND d.partner_id IS NOT NULL
                """,
                company.id,
            )
        )
        cr.execute(
            SQL(
                """
                INSERT INTO cou_rfm_score (
                    partner_id, company_id, last_order_date, recency_days, frequency,
                        monetary,
                    r_score, f_score, m_score, fm_score, segment_code, computed_at)
                SELECT t.partner_id, %(company)s, t.last_order_date, t.recency_days,
                    t.frequency, t.monetary,
                       t.r_score, t.f_score, t.m_score, t.fm_score, t.segment_code,
                           %(now)s
                  FROM cou_rfm_new n
                  JOIN cou_rfm_tmp t ON t.partner_id = n.partner_id
                 -- in the order of the customers: each row's foreign-key check
                 -- and index entries land next to the previous one's (half the
                 -- time of a first run's insert in hash order, EXPLAIN ANALYZE)
                 ORDER BY t.partner_id
                """,
                company=company.id,
                now=now,
            )
        )
        changed += cr.rowcount
        cr.execute(SQL("DROP TABLE cou_rfm_new"))
        return changed

    @api.model
    def _refresh_partners(self, partners, company, today=None):
        """Cheap update of a few customers' scores (order confirmation).

        Their raw values are recomputed; each score is placed against the
        other customers' current values with the same formula as the job (one
        set-based statement), so the quintile bounds stay those of the last
        full run until the job runs again. Their RFM segment membership is
        updated at once. Does nothing before the company's first full run.
        """
        partners = partners.commercial_partner_id
        if not partners:
            return
        cr = self.env.cr
        self._flush_sources()
        cr.execute(
            SQL("SELECT 1 FROM cou_rfm_score WHERE company_id = %s LIMIT 1", company.id)
        )
        if not cr.fetchone():
            return
        today = today or fields.Date.context_today(self)
        now = fields.Datetime.now()
        ids = partners.ids
        cr.execute(SQL("DROP TABLE IF EXISTS cou_rfm_tmp"))
        cr.execute(
            SQL(
                """
                CREATE TEMP TABLE cou_rfm_tmp ON COMMIT DROP AS
                WITH raw AS (%(raw)s),
                others AS (
                    SELECT last_order_date, frequency, monetary
                      FROM cou_rfm_score
                     WHERE company_id = %(company)s AND frequency > 0 AND partner_id !=
                         ALL(%(ids)s)
                ),
                scored AS (
                    SELECT raw.*,
                           CASE WHEN raw.frequency > 0
                                THEN 1 + (5 * c.r_worse) / (c.n + 1) ELSE 1 END AS
                                    r_score,
                           CASE WHEN raw.frequency > 0
                                THEN 1 + (5 * c.f_worse) / (c.n + 1) ELSE 1 END AS
                                    f_score,
                           CASE WHEN raw.frequency > 0
                                THEN 1 + (5 * c.m_worse) / (c.n + 1) ELSE 1 END AS
                                    m_score
                      FROM raw
                      CROSS JOIN LATERAL (
                          SELECT COUNT(*) AS n,
                                 COUNT(*) FILTER (WHERE o.last_order_date <
                                     raw.last_order_date) AS r_worse,
                                 COUNT(*) FILTER (WHERE o.frequency < raw.frequency) AS
                                     f_worse,
                                 COUNT(*) FILTER (WHERE o.monetary < raw.monetary) AS
                                     m_worse
                            FROM others o
                      ) c
                )
                SELECT s.*, (s.f_score + s.m_score + 1) / 2 AS fm_score,
                    map.segment_code
                  FROM scored s
                  LEFT JOIN cou_rfm_segment_map map
                         ON map.r_score = s.r_score AND map.fm_score = (s.f_score +
                             s.m_score + 1) / 2
                """,
                raw=self._get_raw_values_query(company, today, partner_ids=ids),
                company=company.id,
                ids=ids,
            )
        )
        self._upsert_from_tmp(company, now)
        cr.execute(
            SQL(
                """
                DELETE FROM cou_rfm_score s
                 WHERE s.company_id = %s AND s.partner_id = ANY(%s)
                   AND NOT EXISTS (SELECT 1 FROM cou_rfm_tmp t WHERE t.partner_id =
                       s.partner_id)
                """,
                company.id,
                ids,
            )
        )
        cr.execute(SQL("DROP TABLE cou_rfm_tmp"))
        self.invalidate_model()
        segments = (
            self.env["cou.segment"]
            .sudo()
            .search(
                [("company_id", "=", company.id), ("segment_type", "=", "rfm")],
                order="id",
            )
        )
        segments._swap_members(partner_ids=ids, wait=True)

    # === RFM MATRIX (client action crm_order_unified_segment.rfm_matrix) === #
    @api.readonly
    @api.model
    def get_rfm_matrix(self):
        """The RFM grid of the current company: recency score (rows, 5 = most
        recent first) x frequency-monetary score (columns, 1 to 5).

        Two grouped reads with the user's rights (record rules apply), whatever
        the number of customers: the scores per (R, FM) cell and the segment
        mapping. Each cell: count, Ordered Revenue and the segment it maps to;
        each segment: count, Ordered Revenue and its share of the scored
        customers' Ordered Revenue (the segments partition the scored
        customers: the shares add up to 100 %).
        """
        company = self.env.company
        groups = self._read_group(
            [("company_id", "=", company.id)],
            ["r_score", "fm_score"],
            ["__count", "monetary:sum"],
        )
        cells_data = {
            (r, fm): (count, revenue or 0.0) for r, fm, count, revenue in groups
        }
        mapping = {
            (row.r_score, row.fm_score): row.segment_code
            for row in self.env["cou.rfm.segment.map"].search([])
        }
        labels = dict(self._fields["segment_code"]._description_selection(self.env))
        segment_ids = {
            segment.rfm_code: segment.id
            for segment in self.env["cou.segment"].search_fetch(
                [("segment_type", "=", "rfm"), ("company_id", "=", company.id)],
                ["rfm_code"],
            )
        }
        total_count = sum(count for count, _revenue in cells_data.values())
        total_revenue = sum(revenue for _count, revenue in cells_data.values())
        codes = [code for code, _label in RFM_SEGMENT_CODES]
        segments = {
            code: {
                "code": code,
                "name": labels.get(code, code),
                "segment_id": segment_ids.get(code, False),
                "color": codes.index(code) + 1,
                "count": 0,
                "revenue": 0.0,
            }
            for code in codes
        }
        rows = []
        for r_score in range(5, 0, -1):
            cells = []
            for fm_score in range(1, 6):
                count, revenue = cells_data.get((r_score, fm_score), (0, 0.0))
                code = mapping.get((r_score, fm_score))
                if code:
                    segments[code]["count"] += count
                    segments[code]["revenue"] += revenue
                cells.append(
                    {
                        "r_score": r_score,
                        "fm_score": fm_score,
                        "count": count,
                        "revenue": revenue,
                        "segment_code": code or False,
                        "segment_name": labels.get(code, "") if code else "",
                        "color": codes.index(code) + 1 if code else 0,
                    }
                )
            rows.append({"r_score": r_score, "cells": cells})
        for values in segments.values():
            values["share"] = (
                100.0 * values["revenue"] / total_revenue if total_revenue else 0.0
            )
        # customers outside the mapped cells (a mapping row removed): unsegmented
        mapped_count = sum(values["count"] for values in segments.values())
        return {
            "company_id": company.id,
            "company_name": company.name,
            "currency_id": company.currency_id.id,
            "rows": rows,
            "segments": [values for values in segments.values() if values["count"]],
            "total_count": total_count,
            "total_revenue": total_revenue,
            "unmapped_count": total_count - mapped_count,
        }

    @api.readonly
    @api.model
    def action_open_rfm_cell(self, r_score, fm_score):
        """The customers of one cell of the RFM grid of the current company."""
        if not (
            isinstance(r_score, int)
            and isinstance(fm_score, int)
            and 1 <= r_score <= 5
            and 1 <= fm_score <= 5
        ):
            raise ValidationError(self.env._("RFM scores go from 1 to 5."))
        company = self.env.company
        partner_ids = self.search(
            [
                ("company_id", "=", company.id),
                ("r_score", "=", r_score),
                ("fm_score", "=", fm_score),
            ]
        ).partner_id.ids
        return {
            "type": "ir.actions.act_window",
            "name": self.env._(
                "Customers with R = %(r)s, FM = %(fm)s", r=r_score, fm=fm_score
            ),
            "res_model": "res.partner",
            "views": [[False, "list"], [False, "kanban"], [False, "form"]],
            "domain": [("id", "in", partner_ids)],
            "context": {"create": False},
        }
