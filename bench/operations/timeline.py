"""[timeline] Benchmark of the customer timeline (issue 3).

Operations (each returns the bench JSON object
``{"name", "size", "median_ms", "queries", "baseline"}`` with ``baseline``
``{"name", "median_ms", "queries"}``):

- ``timeline_first_page``: first page of 50 events of the customer with the most
  events (>= 20,000 once prepared) among all events (>= 2,000,000);
- ``timeline_next_pages``: the following pages (keyset cursor), median per page;
- ``timeline_type_filtered_page``: first page filtered on one category (invoices);

all against the stock Odoo equivalent: loading the chatter of one sale order
of that customer (``mail.message._message_fetch`` + ``Store`` formatting, as
``/mail/thread/messages`` does), measured in the same run on the same data.

``prepare(env, total_events=2_000_000, customer_events=20_000)`` tops the
generated database up with bulk SQL until both sizes are reached (a no-op when
they are; ``make bench BENCH_ARGS="--events 10000000 --ops timeline"`` sets
``total_events``): one ``INSERT ... SELECT generate_series`` per thread set,
the secondary indexes of ``mail_message`` dropped and rebuilt around a large
top-up (building an index from sorted rows is much faster than inserting
millions of random keys into it); emails (in and out), notes, completed
activities and tracking notifications (not events, but they fill
``mail_message`` as in real life), spread with a long tail over *all*
customers, their contacts and their orders, deliveries and invoices; the top
customer gets a few contacts and its messages spread over them and over its
documents the same way.
``size`` is the number of events in the database. Timings are the server
time of the request as a warm worker serves it: the RPC method called through
``call_kw`` with the web client's context (or the chatter controller's code),
SQL and JSON encoding included, client and network excluded; a fresh record
cache per request, the registry's caches warm; run as the admin user (record
rules applied). The timeline calls and the chatter baseline are interleaved
(one of each per round, medians of ``RUNS`` rounds), so that both see the
same load on a shared machine.

Standalone use on a database with sale orders (e.g. one ``make bench`` keeps)::

    env = odoo.api.Environment(cr, admin_id, {})
    print(json.dumps(bench.operations.timeline.run(env), indent=2))
"""

import json
import logging
import statistics
import sys
import time

from odoo.api import call_kw
from odoo.tools import SQL
from odoo.tools.json import json_default

from odoo.addons.mail.tools.discuss import Store

_logger = logging.getLogger(__name__)

PAGE = 50
SIZED_BY_EVENTS = True  # measured at each --events count (bench/run.py)
RUNS = 15
CUSTOMER_CONTACTS = 6


def _log(msg):
    print(f"[bench timeline] {msg}", file=sys.stderr, flush=True)


def _count_events(env, partner_id=None):
    Event = env["cou.timeline.event"].sudo()
    domain = [("partner_id", "=", partner_id)] if partner_id else []
    return Event.search_count(domain)


def _top_customer(env):
    """The commercial partner with the most sale orders (a cheap proxy for the
    most events)."""
    env.cr.execute("""
        SELECT p.commercial_partner_id FROM sale_order so JOIN res_partner p ON p.id =
            so.partner_id
        GROUP BY p.commercial_partner_id ORDER BY count(*) DESC, 1 LIMIT 1
    """)
    row = env.cr.fetchone()
    return row and row[0]


def _documents_sql(customer=None, exclude=None):
    """SELECT (model, res_id, weight) of the threads messages go to: customers and
    their contacts, their sale orders, deliveries and invoices (of one
    customer, or of all customers but ``exclude``). ``weight`` favours orders
    (most mail happens there), then partners, then deliveries and invoices."""
    if customer:
        partner_cond = SQL("p.commercial_partner_id = %s", customer)
    else:
        partner_cond = SQL(
            "p.customer_rank > 0 AND p.commercial_partner_id != %s", exclude or 0
        )
    return SQL(
        """
        SELECT 'res.partner' AS model, p.id AS res_id FROM res_partner p WHERE %(cond)s
        UNION ALL
        SELECT 'sale.order', so.id FROM sale_order so JOIN res_partner p ON p.id =
            so.partner_id WHERE %(cond)s
        UNION ALL
        SELECT 'sale.order', so.id FROM sale_order so JOIN res_partner p ON p.id =
            so.partner_id WHERE %(cond)s
        UNION ALL
        SELECT 'stock.picking', sp.id FROM stock_picking sp JOIN res_partner p ON p.id
            = sp.partner_id WHERE %(cond)s
        UNION ALL
        SELECT 'account.move', am.id FROM account_move am JOIN res_partner p ON p.id =
            am.partner_id
         WHERE %(cond)s AND am.move_type IN ('out_invoice', 'out_refund')
        """,
        cond=partner_cond,
    )


def _insert_messages(env, documents, count):
    """Bulk-insert ``count`` timeline messages (+ 1 tracking notification per 5,
    which are not events) on the threads of ``documents`` (SQL of (model, res_id)
    rows), with a long tail (some threads get many, most get a few), dated over
    the last two years, more in recent months. Rows as ``message_post`` writes
    them: 1/20 completed activities, 6/20 incoming emails, 6/20 comments sent
    to followers, the rest internal notes."""
    if count <= 0:
        return
    ref = env.ref
    env.cr.execute(
        SQL(
            """
        WITH docs AS (SELECT row_number() OVER (ORDER BY random()) AS n, model,
            res_id FROM (%(documents)s) d),
             nb AS (SELECT count(*) AS c FROM docs),
             gen AS (SELECT g, 1 + floor(power(random(), 1.6) * nb.c)::int AS n,
                 random() AS r
                       FROM generate_series(1, %(count)s + %(count)s / 5) g CROSS JOIN
                           nb)
        INSERT INTO mail_message (model, res_id, message_type, subtype_id,
            mail_activity_type_id, subject, body,
                                  date, author_id, create_uid, write_uid, create_date,
                                      write_date,
                                  is_internal, reply_to_force_new, email_add_signature)
        SELECT docs.model, docs.res_id,
               CASE WHEN g > %(count)s OR mod(g, 20) = 0 THEN 'notification'
                    WHEN mod(g, 20) <= 6 THEN 'email' ELSE 'comment' END,
               CASE WHEN g > %(count)s THEN %(note)s WHEN mod(g, 20) = 0 THEN
                   %(activities)s
                    WHEN mod(g, 20) <= 12 THEN %(comment)s ELSE %(note)s END,
               CASE WHEN g <= %(count)s AND mod(g, 20) = 0 THEN %(call)s END,
               CASE WHEN g <= %(count)s AND mod(g, 20) BETWEEN 1 AND 12 THEN
                   'Bench message ' || g END,
               '<p>Bench body ' || g || ' about the order, delivery and invoice</p>',
               (now() AT TIME ZONE 'UTC') - power(gen.r, 1.3) * interval '730 days',
               3, 2, 2, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC', FALSE,
                   FALSE, TRUE
          FROM gen JOIN docs USING (n)
        """,
            documents=documents,
            count=count,
            note=ref("mail.mt_note").id,
            comment=ref("mail.mt_comment").id,
            activities=ref("mail.mt_activities").id,
            call=ref("mail.mail_activity_data_call").id,
        )
    )


def _ensure_contacts(env, customer):
    partner = env["res.partner"].browse(customer)
    missing = CUSTOMER_CONTACTS - len(partner.child_ids)
    if missing > 0:
        env["res.partner"].with_context(
            cou_skip_customer_360=True, tracking_disable=True
        ).create(
            [
                {"name": f"Bench Contact {i}", "parent_id": customer, "type": "contact"}
                for i in range(missing)
            ]
        )
        env.flush_all()


def _message_indexes(env):
    """``(name, definition)`` of the indexes of mail_message that back no
    constraint (the primary key stays)."""
    env.cr.execute("""
        SELECT i.indexname, i.indexdef FROM pg_indexes i
         WHERE i.schemaname = current_schema() AND i.tablename = 'mail_message'
           AND NOT EXISTS (SELECT 1 FROM pg_constraint c
                            WHERE c.conname = i.indexname)
         ORDER BY 1
    """)
    return env.cr.fetchall()


def _insert_all(env, customer, others, mine):
    """Insert the messages; around a large insert (more rows than the table
    holds), drop the secondary indexes and rebuild them after."""
    others, mine = max(others, 0), max(mine, 0)
    env.cr.execute("SELECT reltuples FROM pg_class WHERE relname = 'mail_message'")
    rows = max(env.cr.fetchone()[0], 0)
    indexes = _message_indexes(env) if others + mine > max(rows, 100_000) else []
    for name, _definition in indexes:
        env.cr.execute(SQL("DROP INDEX %s", SQL.identifier(name)))
    _insert_messages(env, _documents_sql(exclude=customer), others)
    _insert_messages(env, _documents_sql(customer=customer), mine)
    if indexes:
        _log(f"rebuilding {len(indexes)} indexes of mail_message")
        env.cr.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for _name, definition in indexes:
            env.cr.execute(definition)


def prepare(env, total_events=2_000_000, customer_events=20_000):
    env.flush_all()
    customer = _top_customer(env)
    if not customer:
        raise RuntimeError(
            "the bench database has no sale order: generate the data first"
        )
    have = _count_events(env, customer)
    total = _count_events(env)
    others = total_events - customer_events - (total - have)
    if others > 0 or have < customer_events:
        _log(f"topping up: {total} events, customer {customer} has {have}")
        _ensure_contacts(env, customer)
        start = time.time()
        _insert_all(env, customer, others, customer_events - have)
        env.cr.execute("ANALYZE mail_message")
        env.cr.commit()
        _log(f"inserted messages in {time.time() - start:.0f} s")
    return customer


def _request(env, method):
    """Serve ``method`` as one web request would: a fresh record cache (a new
    request has a new environment; the registry and its ormcaches stay warm,
    as in a running worker), the call, and the JSON encoding of its result.
    Returns the server time in ms and the number of SQL queries."""
    env.flush_all()
    env.invalidate_all()
    start_q = env.cr.sql_log_count
    start = time.perf_counter()
    json.dumps(method(), default=json_default)
    return (time.perf_counter() - start) * 1000, env.cr.sql_log_count - start_q


def _measure(env, methods, runs=RUNS):
    """Median server time (ms) and median query count of each of ``methods``
    (name -> callable), after one warm-up call each. The methods are called in
    turn within each round, so that they are compared under the same load
    (the machine may be shared)."""
    for method in methods.values():
        _request(
            env, method
        )  # warm-up: registry caches, ormcaches (rules, access), PostgreSQL buffers
    samples = {name: ([], []) for name in methods}
    order = list(methods.items())
    for _ in range(runs):
        # each method goes first in turn (the first of a round may meet data
        # outside PostgreSQL's buffers, as bench/run.py alternates)
        order = order[1:] + order[:1]
        for name, method in order:
            ms, queries = _request(env, method)
            samples[name][0].append(ms)
            samples[name][1].append(queries)
    return {
        name: (round(statistics.median(times), 2), int(statistics.median(queries)))
        for name, (times, queries) in samples.items()
    }


def run(env, repeat=None, **kwargs):
    """Measure the timeline operations (``total_events``: events in the
    database, default 2,000,000, the bench's ``--events``)."""
    admin = env.ref("base.user_admin")
    customer = prepare(
        env(su=True),
        **{k: v for k, v in kwargs.items() if k in ("total_events", "customer_events")},
    )
    customer_events = _count_events(env, customer)
    total = _count_events(env)
    _log(
        f"{PAGE} events per page; {total} events, "
        f"customer {customer} has {customer_events} events"
    )
    # the context the web client sends with every call
    context = {
        "lang": "en_US",
        "tz": "UTC",
        "uid": admin.id,
        "allowed_company_ids": [admin.company_id.id],
    }
    env = env(user=admin, context=context)

    env.cr.execute(
        """
        SELECT so.id FROM sale_order so JOIN res_partner p ON p.id = so.partner_id
        LEFT JOIN mail_message m ON m.model = 'sale.order' AND m.res_id = so.id
        WHERE p.commercial_partner_id = %s GROUP BY so.id ORDER BY count(m.id) DESC
            LIMIT 1
    """,
        [customer],
    )
    order_id = env.cr.fetchone()[0]

    def chatter():
        # what /mail/thread/messages serves when the chatter of the order opens
        domain = [
            ("res_id", "=", order_id),
            ("model", "=", "sale.order"),
            ("message_type", "!=", "user_notification"),
        ]
        res = env["mail.message"]._message_fetch(domain, limit=30)
        messages = res.pop("messages")
        messages.set_message_done()
        return {
            **res,
            "data": Store(messages, for_current_user=True).get_result(),
            "messages": Store.many_ids(messages),
        }

    def page(**kwargs):
        # what /web/dataset/call_kw/cou.timeline.event/get_timeline_page serves
        return lambda: call_kw(
            env["cou.timeline.event"],
            "get_timeline_page",
            [customer],
            {"limit": PAGE, "context": context, **kwargs},
        )

    # cursors of the next pages (2 to 10), each measured in turn
    cursors = []
    result = page()()
    while result["next_cursor"] and len(cursors) < 9:
        cursors.append(result["next_cursor"])
        result = page(cursor=result["next_cursor"])()
    index = [0]

    def next_page():
        index[0] += 1
        return page(cursor=cursors[index[0] % len(cursors)])()

    methods = {
        "chatter": chatter,
        "first": page(),
        "filtered": page(categories=["invoice"]),
    }
    if cursors:
        methods["next"] = next_page
    measures = _measure(env, methods, runs=repeat or RUNS)
    baseline_ms, baseline_q = measures["chatter"]
    baseline = {
        "name": "stock chatter of one sale order "
        "(/mail/thread/messages: fetch + format, 30 messages)",
        "median_ms": baseline_ms,
        "queries": baseline_q,
    }
    results = []
    for name, key in (
        ("timeline_first_page", "first"),
        ("timeline_next_pages", "next"),
        ("timeline_type_filtered_page", "filtered"),
    ):
        median_ms, queries = measures.get(key, (None, None))
        results.append(
            {
                "name": name,
                "size": total,
                "median_ms": median_ms,
                "queries": queries,
                "baseline": baseline,
            }
        )
    env.cr.rollback()
    return results
