"""[complaint] Operations of the complaints feature (issue 4), at 100,000 complaints.

- ``complaint_kanban_first_page``: what the complaints kanban loads when it opens,
  the calls and arguments of Odoo 18's web client (``web_read_group`` by stage,
  lazy, ``read_progress_bar``, then the first 40 cards of every unfolded column
  with the field specification read from the view), vs. the stock-Odoo way of
  finding complaints without a helpdesk: searching the sale orders' chatter for
  "complaint" (first 40 messages).
- ``complaint_customer_counters``: open/total complaints of 1,000 customers (the
  partner smart button, one grouped query), vs. counting the same customers'
  chatter messages that mention a complaint.

``_prepare`` tops the database up with bulk SQL to 100,000 complaints (a no-op
when they exist): rows as the ORM writes them, spread over the generated orders'
customers, every stage of the default team, 10 % breached (the open ones
with the "SLA Breach" activity the SLA job schedules for their responsible),
with the chatter messages the baselines search (one per complaint on its order).
"""

import json
import sys

from lxml import etree

from odoo.tools import SQL

from . import Operation, register

TARGET = 100_000
# kanban cards per column and columns the web client loads (kanban view
# defaults of Odoo 18's web client: relational_model.js, kanban_arch_parser.js)
CARD_LIMIT = 40
GROUP_LIMIT = 80
COUNT_LIMIT = 10_000
# fields a widget reads besides its own (the widgets' ``fieldDependencies``)
WIDGET_DEPENDENCIES = {
    "kanban_activity": [
        "activity_exception_decoration",
        "activity_exception_icon",
        "activity_state",
        "activity_summary",
        "activity_type_icon",
        "activity_type_id",
    ],
}


def kanban_calls(env, model):
    """What the web client sends when it opens the kanban view of ``model``:
    ``(aggregates, groupby, progress_bar, specification)`` read from the view
    (its fields, the widgets' dependencies, the progress bar field; a
    many2one is read with its display name, tags with their color)."""
    result = env[model].get_views([(False, "kanban")])
    arch = etree.fromstring(result["views"]["kanban"]["arch"])
    fields_info = env[model].fields_get(attributes=["type", "aggregator"])
    names = {}
    for node in arch.iter("field"):
        name = node.get("name")
        if name in fields_info:
            names.setdefault(name, node)
        for dependency in WIDGET_DEPENDENCIES.get(node.get("widget"), ()):
            names.setdefault(dependency, None)
    progress = arch.find("progressbar")
    progress_bar = None
    if progress is not None:
        names.setdefault(progress.get("field"), None)
        progress_bar = {
            "field": progress.get("field"),
            "colors": json.loads(progress.get("colors")),
            "help": progress.get("help", ""),
        }
    spec = {}
    for name, node in names.items():
        ftype = fields_info[name]["type"]
        invisible = node is not None and node.get("invisible") in ("1", "True")
        if ftype == "many2one":
            # getFieldsSpec (relational_model/utils.js): no display name for
            # an always invisible many2one
            spec[name] = {"fields": {} if invisible else {"display_name": {}}}
        elif ftype in ("one2many", "many2many"):
            options = node is not None and node.get("options") or ""
            if node is not None and node.get("widget") == "many2many_tags":
                sub = {"display_name": {}}
                if "color_field" in options:
                    sub["color"] = {}
                spec[name] = {"fields": sub}
            else:
                spec[name] = {}
        else:
            spec[name] = {}
    groupby = arch.get("default_group_by")
    aggregates = [
        f"{name}:{fields_info[name]['aggregator']}"
        for name in spec
        if fields_info[name].get("aggregator") and name != groupby
    ]
    return aggregates, groupby, progress_bar, spec


def _log(msg):
    print(f"[bench complaints] {msg}", file=sys.stderr, flush=True)


def _prepare(env, target=TARGET, commit=True):
    _prepare_complaints(env, target)
    _prepare_breach_activities(env)
    if commit:
        env.cr.commit()


def _prepare_complaints(env, target):
    cr = env.cr
    cr.execute("SELECT count(*) FROM cou_complaint")
    existing = cr.fetchone()[0]
    missing = target - existing
    if missing <= 0:
        return
    _log(f"inserting {missing} complaints")
    cr.execute("SELECT COALESCE(max(id), 0) FROM cou_complaint")
    last_id = cr.fetchone()[0]
    team = env.ref("crm_order_unified_complaint.cou_complaint_team_customer_care")
    stages = team._get_stages()
    sla = team.sla_ids.filtered(lambda s: not s.priority)[:1]
    categories = env["cou.complaint.category"].search([])
    # lists of ids: psycopg2 passes them as arrays (ARRAY[...] / '{}')
    stage_ids = stages.ids
    closed_ids = stages.filtered("is_closed").ids
    category_ids = categories.ids
    cr.execute(
        SQL(
            """
            WITH src AS (
                SELECT so.id AS order_id, so.name AS order_name, so.partner_id,
                    p.commercial_partner_id,
                    cp.complete_name AS commercial_partner_name,
                    so.company_id, p.email,
                       row_number() OVER () AS n
                  FROM sale_order so JOIN res_partner p ON p.id = so.partner_id
                  JOIN res_partner cp ON cp.id = p.commercial_partner_id
                 WHERE so.state = 'sale'
                 ORDER BY so.id
            ), cnt AS (SELECT count(*) AS c FROM src),
            gen AS (
                SELECT g, 1 + mod(g::bigint * 7919, cnt.c) AS n,
                    %(stages)s::int[] AS st, %(cats)s::int[] AS ca,
                       (now() AT TIME ZONE 'UTC') -
                           (mod(g::bigint * 104729, 730 * 24) || ' hours')::interval AS
                           opened
                  FROM generate_series(%(start)s, %(stop)s) g CROSS JOIN cnt
            )
            INSERT INTO cou_complaint (reference, name, active, company_id, team_id,
                partner_id,
                                       commercial_partner_id, commercial_partner_name,
                                       email_from, channel,
                                           category_id, priority,
                                       sale_order_id, sale_order_name, product_id,
                                           stage_id, is_closed,
                                           date_open,
                                       date_last_stage_update, date_closed,
                                           first_response_date, sla_id,
                                       sla_paused_hours, sla_first_response_deadline,
                                           sla_resolution_deadline,
                                       sla_first_response_breached,
                                           sla_resolution_breached, sla_breached,
                                       sla_breach_date, portal_company_visible, color,
                                       has_open_activity,
                                       create_uid, write_uid, create_date, write_date)
            SELECT 'BENCH/' || lpad(g::text, 7, '0'), 'Bench complaint ' || g, TRUE,
                src.company_id, %(team)s,
                   src.partner_id, src.commercial_partner_id,
                   src.commercial_partner_name, src.email,
                   (ARRAY['email', 'phone', 'portal', 'in_person', 'other'])[1 +
                       mod(g, 5)],
                   ca[1 + mod(g, array_length(ca, 1))], mod(g, 4)::text, src.order_id,
                       src.order_name, NULL,
                   st[1 + mod(g, array_length(st, 1))],
                   st[1 + mod(g, array_length(st, 1))] = ANY(%(closed)s::int[]),
                   opened, opened,
                   CASE WHEN st[1 + mod(g, array_length(st, 1))] =
                       ANY(%(closed)s::int[])
                        THEN opened + interval '30 hours' END,
                   opened + interval '3 hours', %(sla)s, 0,
                   opened + interval '8 hours', opened + interval '56 hours',
                   FALSE, mod(g, 10) = 0, mod(g, 10) = 0,
                   CASE WHEN mod(g, 10) = 0 THEN opened + interval '56 hours' END,
                       FALSE, 0, FALSE,
                   1, 1, opened, opened
              FROM gen JOIN src ON src.n = gen.n
            """,
            stages=stage_ids,
            cats=category_ids,
            closed=closed_ids,
            team=team.id,
            sla=sla.id or None,
            start=existing + 1,
            stop=target,
        )
    )
    # the stock alternative: the complaint lives in the order's chatter
    cr.execute(
        SQL(
            """
            INSERT INTO mail_message (model, res_id, message_type, subtype_id, subject,
                body, date, author_id,
                                      create_uid, write_uid, create_date, write_date,
                                          is_internal,
                                      reply_to_force_new, email_add_signature)
            SELECT 'sale.order', c.sale_order_id, 'email', %(comment)s,
                'Complaint: ' || c.name,
                   '<p>Customer complaint about this order</p>', c.date_open,
                       c.partner_id, 1, 1,
                   c.date_open, c.date_open, FALSE, FALSE, FALSE
              FROM cou_complaint c WHERE c.id > %(last)s
            """,
            comment=env.ref("mail.mt_comment").id,
            last=last_id,
        )
    )
    cr.execute("ANALYZE cou_complaint")
    cr.execute("ANALYZE mail_message")
    env.invalidate_all()
    _log("complaints ready")


def _prepare_breach_activities(env):
    """The "SLA Breach" activity that the product schedules for the
    responsible of every open breached complaint (the SLA job does it when the
    deadline passes, dated that day): one prototype through the ORM, the
    others copied from its row in SQL (a no-op when they exist)."""
    cr = env.cr
    Complaint = env["cou.complaint"].sudo()
    activity_type = Complaint._get_breach_activity_type()
    candidates = SQL(
        """cou_complaint c JOIN cou_complaint_team t ON t.id = c.team_id
         WHERE c.reference LIKE %s AND c.active AND c.sla_breached
           AND c.is_closed IS NOT TRUE AND COALESCE(c.user_id, t.user_id) IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM mail_activity a
                            WHERE a.res_model = 'cou.complaint' AND a.res_id = c.id
                              AND a.activity_type_id = %s)""",
        "BENCH/%",
        activity_type.id,
    )
    cr.execute(SQL("SELECT min(c.id), count(*) FROM %s", candidates))
    first_id, count = cr.fetchone()
    if not count:
        return
    _log(f"scheduling {count} SLA breach activities")
    prototype = Complaint.browse(first_id)
    activity = prototype._schedule_breach_activities()
    activity.flush_recordset()
    # dated on the breach, as the SLA job would have scheduled it
    cr.execute(
        SQL(
            """UPDATE mail_activity SET date_deadline = %(when)s::date,
                      create_date = %(when)s, write_date = %(when)s
                WHERE id = %(id)s""",
            when=prototype.sla_breach_date,
            id=activity.id,
        )
    )
    # the note and the record name hold the complaint's display name
    cr.execute(
        SQL(
            """
            INSERT INTO mail_activity (res_model_id, res_id, activity_type_id,
                user_id, request_partner_id, recommended_activity_type_id,
                previous_activity_type_id, create_uid, write_uid, res_model,
                res_name, summary, user_tz, date_deadline, date_done, note,
                automated, active, create_date, write_date)
            SELECT p.res_model_id, c.id, p.activity_type_id,
                   COALESCE(c.user_id, t.user_id), p.request_partner_id,
                   p.recommended_activity_type_id, p.previous_activity_type_id,
                   p.create_uid, p.write_uid, p.res_model,
                   c.reference || ' ' || c.name, p.summary, p.user_tz,
                   c.sla_breach_date::date, p.date_done,
                   replace(p.note, %(name)s, c.reference || ' ' || c.name),
                   p.automated, p.active, c.sla_breach_date, c.sla_breach_date
              FROM mail_activity p, %(candidates)s AND p.id = %(prototype)s
            """,
            name=prototype.display_name,
            candidates=candidates,
            prototype=activity.id,
        )
    )
    # and the complaints' flag of an open activity (stored, computed from
    # their activities by the ORM)
    cr.execute(
        SQL(
            """UPDATE cou_complaint c SET has_open_activity = TRUE
                WHERE c.has_open_activity IS NOT TRUE
                  AND EXISTS (SELECT 1 FROM mail_activity a
                               WHERE a.res_model = 'cou.complaint'
                                 AND a.res_id = c.id AND a.active)"""
        )
    )
    cr.execute("ANALYZE mail_activity")
    cr.execute("ANALYZE cou_complaint")
    env.invalidate_all()
    _log("SLA breach activities ready")


@register("complaint_kanban_first_page")
def complaint_kanban_first_page(ctx):
    """Open the complaints kanban at 100,000 complaints as the web client
    does: the columns by stage with their counts (``web_read_group``, lazy:
    folded stages stay closed), the progress bars (``read_progress_bar``),
    then the first 40 cards of every open column (``web_search_read`` with
    the card's field specification, counted up to 10,000)."""
    env = ctx.env
    _prepare(env)
    aggregates, groupby, progress_bar, spec = kanban_calls(env, "cou.complaint")
    context = {**env.context, "bin_size": True}
    Complaint = env["cou.complaint"].with_context(context)

    def run(_i):
        groups = Complaint.web_read_group(
            [], aggregates, [groupby], limit=GROUP_LIMIT, lazy=True
        )["groups"]
        if progress_bar:
            Complaint.read_progress_bar([], groupby, progress_bar)
        for group in groups:
            if group.get("__fold") or not group[f"{groupby}_count"]:
                continue
            Complaint.with_context(
                **{f"default_{groupby}": group[groupby] and group[groupby][0]}
            ).web_search_read(
                group["__domain"], spec, limit=CARD_LIMIT, count_limit=COUNT_LIMIT + 1
            )

    def baseline(_i):
        env["mail.message"].search_fetch(
            [
                ("model", "=", "sale.order"),
                ("message_type", "!=", "notification"),
                ("subject", "ilike", "complaint"),
            ],
            ["subject", "body", "author_id", "date", "res_id"],
            limit=40,
            order="id desc",
        )

    size = env["cou.complaint"].search_count([])
    return Operation(
        run,
        size,
        "stock: search the orders' chatter for complaints (first 40)",
        baseline,
    )


@register("complaint_customer_counters")
def complaint_customer_counters(ctx):
    """Open/total complaints of 1,000 customers (smart button counters, one
    grouped query), vs. counting their complaint messages in the chatter."""
    env = ctx.env
    _prepare(env)
    partners = ctx.sample_customers(1000)

    def run(_i):
        partners.invalidate_recordset(
            ["cou_complaint_count", "cou_open_complaint_count"]
        )
        partners.mapped("cou_open_complaint_count")

    def baseline(_i):
        orders = env["sale.order"].search([("partner_id", "child_of", partners.ids)])
        env["mail.message"]._read_group(
            [
                ("model", "=", "sale.order"),
                ("res_id", "in", orders.ids),
                ("subject", "ilike", "complaint"),
            ],
            ["res_id"],
            ["__count"],
        )

    return Operation(
        run,
        len(partners),
        "stock: count the customers' complaint messages in the chatter",
        baseline,
    )
