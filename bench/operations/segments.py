"""[segment] Benchmark of segments and campaigns (issue 5).

Results (bench JSON objects):

- ``segments_recompute``: RFM scores of every customer of the main company
  plus the membership of every segment (11 RFM, 2 rule, 1 static), from an
  empty state, set-based (``cou.segment._recompute_all``), vs. the same result
  computed record by record through the ORM (per customer: its orders and
  credit notes read, its scores placed against the population, its rule
  filters evaluated, its membership rows created). The ORM baseline is
  measured on a sample of ``baseline_sample`` customers and scaled linearly to
  all customers (its cost per customer does not depend on their number); its
  scores are checked equal to the set-based ones on that sample.
- ``segments_recompute_steady``: the same recomputation when scores and
  memberships are already in place and few changed since the last run (about
  1 % of the scores, 100 static memberships): the daily job's usual case.
- ``campaign_dashboard``: the dashboard figures of a campaign with 100,000
  recipients (traces written with bulk SQL, a seventh of them clicked; a
  control group of a tenth of that size; the clickers' orders of the next 7
  days attributed), vs. stock Odoo's campaign figures (mailing statistics,
  quotation count, invoiced amount) of the same campaign.

Standalone::

    env = odoo.api.Environment(cr, admin_id, {})
    print(json.dumps(bench.operations.segments.run(env), indent=2))
"""

import bisect
import statistics
import sys
import time
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.tools import SQL

from odoo.addons.crm_order_unified_segment.models.utm_campaign import DASHBOARD_FIELDS

REPEAT = 3
RECIPIENTS = 100_000


def _log(msg):
    print(f"[bench segments] {msg}", file=sys.stderr, flush=True)


def _measure(env, func, repeat=REPEAT, setup=None):
    """Median wall time (ms) and queries of ``repeat`` runs after a warm-up;
    ``setup`` (untimed) runs before each."""
    cr = env.cr
    times, queries = [], []
    for i in range(repeat + 1):
        if setup:
            setup()
        env.flush_all()
        env.invalidate_all()
        count = cr.sql_log_count
        start = time.perf_counter()
        func()
        env.flush_all()
        if i:  # the first run warms up
            times.append((time.perf_counter() - start) * 1000)
            queries.append(cr.sql_log_count - count)
    return round(statistics.median(times), 2), int(statistics.median(queries))


def _reset(env, company):
    """No RFM score and no membership of ``company``: the state of a first
    run. Every run of the measure is in one transaction (rolled back at the
    end): rows deleted from the tables could never be vacuumed, and each later
    run would read and index-check every earlier run's rows (after five runs,
    six versions of each score and membership). When no other company has any,
    the tables are truncated instead (new empty files, as before a first run;
    the rollback restores them)."""
    cr = env.cr
    for table in ("cou_segment_member", "cou_rfm_score"):
        cr.execute(
            SQL(
                "SELECT 1 FROM %s WHERE company_id != %s LIMIT 1",
                SQL.identifier(table),
                company.id,
            )
        )
        if cr.fetchone():
            cr.execute(
                SQL(
                    "DELETE FROM %s WHERE company_id = %s",
                    SQL.identifier(table),
                    company.id,
                )
            )
        else:
            cr.execute(SQL("TRUNCATE %s", SQL.identifier(table)))
    env.invalidate_all()


def _prepare_segments(env, company):
    Segment = env["cou.segment"].with_context(tracking_disable=True)
    Segment._ensure_rfm_segments(company)
    rules = [
        ("Bench frequent buyers", "[('customer_order_count', '>=', 5)]"),
        (
            "Bench top RFM spenders",
            "[('rfm_monetary_score', '>=', 4), ('rfm_recency_score', '>=', 3)]",
        ),
    ]
    for name, domain in rules:
        if not Segment.search_count([("name", "=", name)]):
            Segment.with_context(cou_segment_no_recompute=True).create(
                {
                    "name": name,
                    "segment_type": "rule",
                    "domain": domain,
                    "company_id": company.id,
                }
            )
    if not Segment.search_count([("name", "=", "Bench key accounts")]):
        env.cr.execute(
            SQL("SELECT id FROM res_partner WHERE is_company ORDER BY id LIMIT 500")
        )
        Segment.with_context(cou_segment_no_recompute=True).create(
            {
                "name": "Bench key accounts",
                "segment_type": "static",
                "company_id": company.id,
                "static_partner_ids": [(6, 0, [row[0] for row in env.cr.fetchall()])],
            }
        )
    return Segment.search([("company_id", "=", company.id)])


def _orm_baseline(env, company, sample, population, segments):
    """Record by record through the ORM: the scores of ``sample`` placed
    against ``population`` (sorted raw values), and the membership rows of
    every segment created one by one. Returns {partner id: (r, f, m, code)}."""
    today = fields.Date.context_today(env["res.partner"])
    start = today - relativedelta(months=company.cou_rfm_window_months or 24)
    stop = today + timedelta(days=1)
    mapping = {
        (m.r_score, m.fm_score): m.segment_code
        for m in env["cou.rfm.segment.map"].search([])
    }
    dates, freqs, monies, n = population
    Member = env["cou.segment.member"]
    Partner = env["res.partner"].with_company(company)
    result = {}
    now = fields.Datetime.now()
    for partner in sample:
        orders = env["sale.order"].search_read(
            [
                ("partner_id", "child_of", partner.id),
                ("company_id", "=", company.id),
                ("state", "=", "sale"),
                ("date_order", ">=", start),
                ("date_order", "<", stop),
            ],
            ["date_order", "amount_untaxed", "currency_rate"],
        )
        refunds = env["account.move"].search_read(
            [
                ("commercial_partner_id", "=", partner.id),
                ("company_id", "=", company.id),
                ("move_type", "=", "out_refund"),
                ("state", "=", "posted"),
                ("invoice_date", ">=", start),
                ("invoice_date", "<", stop),
            ],
            ["amount_untaxed_signed"],
        )
        frequency = len(orders)
        monetary = sum(
            o["amount_untaxed"] / (o["currency_rate"] or 1) for o in orders
        ) + sum(r["amount_untaxed_signed"] for r in refunds)
        if frequency:
            last = max(o["date_order"] for o in orders).date()
            r = 1 + 5 * bisect.bisect_left(dates, last) // n
            f = 1 + 5 * bisect.bisect_left(freqs, frequency) // n
            m = 1 + 5 * bisect.bisect_left(monies, round(monetary, 2) - 0.005) // n
        else:
            r = f = m = 1
        code = mapping.get((r, (f + m + 1) // 2))
        result[partner.id] = (r, f, m, code)
        for segment in segments:
            if segment.segment_type == "rfm":
                member = segment.rfm_code == code
            elif segment.segment_type == "static":
                member = partner in segment.static_partner_ids
            else:
                member = bool(
                    Partner.search_count(
                        [("id", "=", partner.id), *segment._get_domain()]
                    )
                )
            if member:
                Member.create(
                    {
                        "segment_id": segment.id,
                        "partner_id": partner.id,
                        "company_id": company.id,
                        "date_from": now,
                    }
                )
    return result


def _segments_recompute(env, baseline_sample):
    company = env.company
    segments = _prepare_segments(env, company)
    env.cr.execute(
        SQL("SELECT COUNT(*) FROM sale_order_line WHERE company_id = %s", company.id)
    )
    lines = env.cr.fetchone()[0]
    Segment = env["cou.segment"].sudo()

    def set_based():
        result = Segment._recompute_all(commit=False, companies=company)
        assert not result["broken"] and not result["skipped"], result

    ms, queries = _measure(env, set_based, setup=lambda: _reset(env, company))
    env.cr.execute(
        SQL("SELECT COUNT(*) FROM cou_rfm_score WHERE company_id = %s", company.id)
    )
    customers = env.cr.fetchone()[0]
    _log(
        f"set-based: {customers} customers, {lines} order lines, "
        f"{len(segments)} segments in {ms} ms"
    )

    # steady state: the same recomputation when everything is in place and
    # little changed since the last run (about 1 % of the scores differ, 100
    # customers swapped in the static segment), on tables without the rows of
    # the runs above (reset: the warm-up run fills them, as a first run)
    static = segments.filtered(lambda s: s.segment_type == "static")[:1]
    _reset(env, company)

    def perturb():
        env.cr.execute(
            SQL(
                "UPDATE cou_rfm_score SET monetary = monetary + 1"
                " WHERE company_id = %s AND mod(partner_id, 100) = 0",
                company.id,
            )
        )
        if static:
            env.cr.execute(
                SQL(
                    """
                    WITH gone AS (
                        DELETE FROM cou_segment_static_partner_rel
                         WHERE segment_id = %(segment)s
                           AND partner_id IN
                               (SELECT partner_id FROM cou_segment_static_partner_rel
                                               WHERE segment_id = %(segment)s ORDER BY
                                                   random() LIMIT 50)
                    )
                    INSERT INTO cou_segment_static_partner_rel (segment_id, partner_id)
                    SELECT %(segment)s, p.id FROM res_partner p
                     WHERE p.is_company AND p.active AND NOT EXISTS (
                           SELECT 1 FROM cou_segment_static_partner_rel r
                            WHERE r.segment_id = %(segment)s AND r.partner_id = p.id)
                     ORDER BY random() LIMIT 50
                    """,
                    segment=static.id,
                )
            )

    s_ms, s_queries = _measure(env, set_based, setup=perturb)
    _log(f"set-based, steady state (few changes): {s_ms} ms")

    # population of buyers (the baseline places each sampled customer against it)
    env.cr.execute(
        SQL(
            "SELECT last_order_date, frequency, ROUND(monetary, 2) FROM cou_rfm_score"
            " WHERE company_id = %s AND frequency > 0",
            company.id,
        )
    )
    rows = env.cr.fetchall()
    population = (
        sorted(r[0] for r in rows),
        sorted(r[1] for r in rows),
        sorted(float(r[2]) for r in rows),
        len(rows),
    )
    env.cr.execute(
        SQL(
            "SELECT partner_id, r_score, f_score, m_score, segment_code"
            " FROM cou_rfm_score WHERE company_id = %s ORDER BY partner_id",
            company.id,
        )
    )
    expected = {row[0]: tuple(row[1:]) for row in env.cr.fetchall()}
    step = max(1, len(expected) // baseline_sample)
    sample = env["res.partner"].browse(list(expected)[::step][:baseline_sample])
    got = {}

    def orm():
        got.update(_orm_baseline(env, company, sample, population, segments))

    def reset_sample():
        env.cr.execute(
            SQL(
                "DELETE FROM cou_segment_member"
                " WHERE company_id = %s AND partner_id = ANY(%s)",
                company.id,
                sample.ids,
            )
        )

    b_ms, b_queries = _measure(env, orm, repeat=1, setup=reset_sample)
    same = all(got.get(pid) == expected[pid] for pid in sample.ids)
    scale = customers / len(sample)
    _log(
        f"ORM baseline: {len(sample)} customers in {b_ms} ms, x{scale:.1f}; "
        f"same scores: {same}"
    )
    if not same:
        bad = [
            (pid, got.get(pid), expected[pid])
            for pid in sample.ids
            if got.get(pid) != expected[pid]
        ][:5]
        _log(f"differences: {bad}")
    steady = {
        "name": "segments_recompute_steady",
        "size": customers,
        "order_lines": lines,
        "segments": len(segments),
        "median_ms": s_ms,
        "queries": s_queries,
        "baseline": None,
    }
    return steady, {
        "name": "segments_recompute",
        "size": customers,
        "order_lines": lines,
        "segments": len(segments),
        "median_ms": ms,
        "queries": queries,
        "baseline": {
            "name": "ORM record by record, same result "
            f"(measured on {len(sample)} customers, scaled x{scale:.1f};"
            f" scores checked equal: {same})",
            "median_ms": round(b_ms * scale, 2),
            "queries": int(b_queries * scale),
        },
    }


def _prepare_campaign(env, recipients):
    """A campaign whose mailing reached ``recipients`` customers (bulk SQL)."""
    company = env.company
    Campaign = env["utm.campaign"]
    campaign = Campaign.search([("name", "=", "Bench campaign")], limit=1)
    if not campaign:
        campaign = Campaign.create(
            {
                "title": "Bench campaign",
                "name": "Bench campaign",
                "cou_holdout_share": 10,
                "cou_cost": 5000,
            }
        )
    mailing = env["mailing.mailing"].search(
        [("campaign_id", "=", campaign.id)], limit=1
    )
    if not mailing:
        mailing = env["mailing.mailing"].create(
            {
                "subject": "Bench mailing",
                "body_html": "<p>Bench</p>",
                "mailing_model_id": env["ir.model"]._get_id("res.partner"),
                "campaign_id": campaign.id,
                "state": "done",
            }
        )
    env.cr.execute(
        SQL("SELECT COUNT(*) FROM mailing_trace WHERE mass_mailing_id = %s", mailing.id)
    )
    if env.cr.fetchone()[0]:
        return campaign
    env.cr.execute(
        SQL(
            "SELECT MAX(date_order) FROM sale_order"
            " WHERE company_id = %s AND state = 'sale'",
            company.id,
        )
    )
    sent = env.cr.fetchone()[0] - timedelta(days=20)
    env.cr.execute(
        SQL(
            """
            WITH customers AS (
                SELECT id FROM res_partner WHERE id = commercial_partner_id AND active
                    ORDER BY id LIMIT %(limit)s
            ), numbered AS (
                SELECT id, row_number() OVER (ORDER BY id) AS n FROM customers
            )
            INSERT INTO mailing_trace (model, res_id, mass_mailing_id, campaign_id,
                email, trace_type, trace_status,
                                       sent_datetime, open_datetime,
                                           links_click_datetime,
                                       create_uid, create_date, write_uid, write_date)
            SELECT 'res.partner', id, %(mailing)s, %(campaign)s,
                'bench' || id || '@example.com', 'mail',
                   CASE WHEN mod(n, 3) = 0 THEN 'open' WHEN mod(n, 50) = 1 THEN
                       'bounce' ELSE 'sent' END,
                   %(sent)s, CASE WHEN mod(n, 3) = 0 THEN %(sent)s + interval '2 hours'
                       END,
                   CASE WHEN mod(n, 7) = 0 THEN %(sent)s + interval '3 hours' END,
                   1, now(), 1, now()
              FROM numbered
            """,
            limit=recipients,
            campaign=campaign.id,
            mailing=mailing.id,
            sent=sent,
        )
    )
    # control group: a tenth of the recipients' size, among the customers not mailed
    # (the contacts placing orders for their company when the customers run out)
    env.cr.execute(
        SQL(
            """
            INSERT INTO cou_campaign_holdout
                (campaign_id, partner_id, mailing_id, company_id, holdout_date,
                                              create_uid, create_date, write_uid,
                                                  write_date)
            SELECT %(campaign)s, p.id, %(mailing)s, %(company)s, %(sent)s, 1, now(), 1,
                now()
              FROM res_partner p
             WHERE p.active AND NOT EXISTS (
                   SELECT 1 FROM mailing_trace t
                    WHERE t.model = 'res.partner' AND t.res_id = p.id AND
                        t.mass_mailing_id = %(mailing)s)
             ORDER BY p.id DESC
             LIMIT %(limit)s
            """,
            campaign=campaign.id,
            mailing=mailing.id,
            company=company.id,
            sent=sent,
            limit=recipients // 10,
        )
    )
    env.cr.execute(
        SQL(
            """
            UPDATE sale_order so SET cou_attributed_campaign_id = %(campaign)s,
                cou_attribution_rule = 'mailing_click',
                   cou_attribution_touch_date = %(sent)s + interval '3 hours'
              FROM res_partner p, mailing_trace t
             WHERE so.company_id = %(company)s AND so.state = 'sale'
               AND so.date_order >= %(sent)s + interval '3 hours' AND so.date_order <
                   %(sent)s + interval '7 days'
               AND p.id = so.partner_id
               AND t.model = 'res.partner' AND t.res_id = p.commercial_partner_id AND
                   t.mass_mailing_id = %(mailing)s
               AND t.links_click_datetime IS NOT NULL
            """,
            mailing=mailing.id,
            sent=sent,
            campaign=campaign.id,
            company=company.id,
        )
    )
    env.cr.execute(
        SQL("UPDATE mailing_mailing SET sent_date = %s WHERE id = %s", sent, mailing.id)
    )
    env.cr.execute(SQL("ANALYZE mailing_trace"))
    # the traces were written with SQL: their recipients are refreshed once, as
    # a bulk loader does (the ORM refreshes them on each create/write)
    env["cou.campaign.recipient"]._cou_refresh_campaigns(campaign.ids)
    env.cr.execute(SQL("ANALYZE cou_campaign_holdout"))
    env.cr.execute(SQL("ANALYZE cou_campaign_recipient"))
    env.invalidate_all()
    return campaign


def _campaign_dashboard(env, recipients, repeat=5):
    campaign = _prepare_campaign(env, recipients)

    def dashboard():
        campaign.invalidate_recordset()
        campaign.read(DASHBOARD_FIELDS)

    def stock():
        campaign.invalidate_recordset()
        campaign.read(
            [
                "received_ratio",
                "opened_ratio",
                "replied_ratio",
                "bounced_ratio",
                "quotation_count",
                "invoiced_amount",
            ]
        )

    # the runs alternate with the stock figures' (dashboard, stock, stock,
    # dashboard, ...), as bench/run.py measures its registered operations
    from bench.run import measure  # noqa: PLC0415

    (ms, queries), (b_ms, b_queries) = measure(
        env, lambda i: dashboard(), repeat, baseline=lambda i: stock()
    )
    count = campaign.cou_recipient_count
    _log(
        f"dashboard of a campaign with {count} recipients: {ms} ms "
        f"(stock figures {b_ms} ms)"
    )
    return {
        "name": "campaign_dashboard",
        "size": count,
        "median_ms": ms,
        "queries": queries,
        "baseline": {
            "name": "stock campaign figures "
            "(mailing ratios, quotation count, invoiced amount)",
            "median_ms": b_ms,
            "queries": b_queries,
        },
    }


def run(env, baseline_sample=1000, recipients=RECIPIENTS, only=(), **kwargs):
    """``only``: names of the results to measure (default all; ``make bench
    BENCH_ARGS="--ops segments:campaign_dashboard"``)."""
    env = env(user=env.ref("base.user_admin"), su=True)
    results = []
    if not only or {"segments_recompute", "segments_recompute_steady"} & set(only):
        steady, full = _segments_recompute(env, baseline_sample)
        results = [full, steady]
        env.cr.rollback()
        env.invalidate_all()
    if not only or "campaign_dashboard" in only:
        results.append(_campaign_dashboard(env, recipients))
    env.cr.rollback()
    env.invalidate_all()
    return results
