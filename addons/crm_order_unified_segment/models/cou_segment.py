import logging

from psycopg2 import errors as pg_errors

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import SQL
from odoo.tools.safe_eval import datetime as safe_datetime
from odoo.tools.safe_eval import dateutil as safe_dateutil
from odoo.tools.safe_eval import safe_eval
from odoo.tools.safe_eval import time as safe_time

from odoo.addons.base_automation.models.base_automation import (
    CREATE_TRIGGERS,
    WRITE_TRIGGERS,
)
from odoo.addons.crm_order_unified.models.cou_job_chunk import CouJobRetry

from .cou_rfm_segment_map import RFM_SEGMENT_CODES

_logger = logging.getLogger(__name__)

# Errors that mean "another worker got there first": the segment is left to it.
CONCURRENCY_ERRORS = (
    pg_errors.SerializationFailure,
    pg_errors.LockNotAvailable,
    pg_errors.UniqueViolation,
    pg_errors.DeadlockDetected,
)


class CouSegment(models.Model):
    """A group of customers (commercial entities) of one company.

    - ``rfm``: one per named RFM segment and company, fed by cou.rfm.score;
    - ``rule``: a domain on res.partner (any searchable field, including the
      Customer 360 figures and the RFM scores);
    - ``static``: members chosen by hand.

    Membership lives in cou.segment.member (with history) and is recomputed
    set-based by _swap_members, one segment per transaction; see
    _cron_recompute for the worker-safety rules.
    """

    _name = "cou.segment"
    _description = "Customer Segment"
    _inherit = ["mail.thread"]
    _order = "sequence, id"
    _check_company_auto = True

    # === FIELDS === #
    name = fields.Char(required=True, translate=True, tracking=True)
    active = fields.Boolean(default=True)
    sequence = fields.Integer(default=10)
    color = fields.Integer()
    description = fields.Text(translate=True)
    segment_type = fields.Selection(
        selection=[("rfm", "RFM"), ("rule", "Rule"), ("static", "Static")],
        string="Type",
        required=True,
        default="rule",
        tracking=True,
        help="RFM: filled from the RFM scores. Rule: customers matching a filter. "
        "Static: customers chosen by hand.",
    )
    rfm_code = fields.Selection(
        selection=RFM_SEGMENT_CODES, string="RFM Segment", readonly=True, copy=False
    )
    domain = fields.Char(
        string="Filter",
        default="[]",
        tracking=True,
        help="Customers matching this filter are members (rule segments).",
    )
    static_partner_ids = fields.Many2many(
        comodel_name="res.partner",
        relation="cou_segment_static_partner_rel",
        column1="segment_id",
        column2="partner_id",
        string="Chosen Customers",
        check_company=True,
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        string="Company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(related="company_id.currency_id", string="Currency")
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Filter Owner",
        default=lambda self: self.env.user,
        readonly=True,
        copy=False,
        tracking=True,
        help="A rule's filter is evaluated with this user's access rights, in the "
        "segment's company only, also by the scheduled job: members are customers "
        "this user may find. Whoever creates the segment or changes its filter "
        "becomes its owner.",
    )
    state = fields.Selection(
        selection=[("ok", "OK"), ("broken", "Broken")],
        string="Status",
        default="ok",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
    )
    broken_reason = fields.Text(string="Why Broken", readonly=True, copy=False)
    member_count = fields.Integer(string="Members", readonly=True, copy=False)
    revenue = fields.Monetary(
        string="Ordered Revenue",
        readonly=True,
        copy=False,
        help="Ordered Revenue of the current members over the RFM window: untaxed "
        "amount of their confirmed orders in company currency (return orders left "
        "out). Never negative: a customer with refunds only has no ordered revenue.",
    )
    revenue_share = fields.Float(
        string="Share of Ordered Revenue (%)",
        readonly=True,
        copy=False,
        digits=(16, 1),
        help="Members' Ordered Revenue over the RFM window, as a share of the Ordered "
        "Revenue of all customers with an RFM score (the segmented customers). The RFM "
        "segments divide these customers among them: their shares add up to 100 %.",
    )
    last_compute_date = fields.Datetime(
        string="Last Recomputed", readonly=True, copy=False
    )
    member_ids = fields.One2many(
        comodel_name="cou.segment.member",
        inverse_name="segment_id",
        string="Current Members",
        domain=[("date_to", "=", False)],
    )

    _sql_constraints = [
        (
            "cou_segment_rfm_company_uniq",
            "UNIQUE(company_id, rfm_code)",
            "Each RFM segment exists once per company.",
        ),
    ]

    # === CONSTRAINT METHODS === #
    @api.constrains("domain", "segment_type", "company_id")
    def _check_domain(self):
        for segment in self.filtered(lambda s: s.segment_type == "rule"):
            try:
                # building the query raises on unknown fields; running it on
                # bad values (a text compared with a number...)
                with self.env.cr.savepoint():
                    self.env.cr.execute(
                        SQL("SELECT 1 FROM (%s) q LIMIT 1", segment._get_target_query())
                    )
            except Exception as exc:  # noqa: BLE001 - any failure means the filter is unusable
                raise ValidationError(
                    self.env._(
                        "The filter of segment %(name)s is not valid: %(error)s",
                        name=segment.name,
                        error=str(exc) or exc.__class__.__name__,
                    )
                ) from exc

    # === CRUD METHODS === #
    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            # the filter runs with its owner's rights: nobody borrows another's
            vals_list = [dict(vals, user_id=self.env.uid) for vals in vals_list]
        segments = super().create(vals_list)
        segments.filtered(lambda s: s.segment_type != "rfm")._recompute(commit=False)
        return segments

    def write(self, vals):
        if not self.env.su and {"domain", "segment_type", "user_id"} & set(vals):
            # who changes the filter owns it: it runs with their rights
            vals = dict(vals, user_id=self.env.uid)
        res = super().write(vals)
        if {"domain", "static_partner_ids", "segment_type", "active"} & set(
            vals
        ) and not self.env.context.get("cou_segment_no_recompute"):
            self.filtered(lambda s: s.segment_type != "rfm" and s.active)._recompute(
                commit=False
            )
        return res

    # === ACTION METHODS === #
    def _check_can_recompute(self):
        if not (
            self.env.user.has_group("crm_order_unified.group_crm_order_unified_manager")
            or self.env.user.has_group("mass_mailing.group_mass_mailing_user")
        ):
            raise AccessError(
                self.env._(
                    "Only marketing users and Customer Hub managers can recompute segments."  # noqa: E501 (one translatable literal)
                )
            )

    def action_recompute(self):
        """Button: recompute these segments now (RFM scores first when an
        RFM segment is among them)."""
        self._check_can_recompute()
        self.check_access("read")
        companies = self.filtered(lambda s: s.segment_type == "rfm").company_id
        for company in companies:
            self.env["cou.rfm.score"].sudo()._recompute_company(company)
        result = self.sudo()._recompute(commit=False)
        return self._notify_recompute(result)

    @api.model
    def action_recompute_all(self):
        """Menu/server action: RFM and every segment of the user's companies."""
        self._check_can_recompute()
        result = self.sudo()._recompute_all(commit=False, companies=self.env.companies)
        return self._notify_recompute(result)

    def _notify_recompute(self, result):
        message = self.env._(
            "%(done)s segment(s) recomputed, %(skipped)s left to another worker, %(broken)s broken.",  # noqa: E501 (one translatable literal)
            done=len(result["done"]),
            skipped=len(result["skipped"]),
            broken=len(result["broken"]),
        )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Segments"),
                "message": message,
                "type": "warning" if result["broken"] else "success",
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def action_view_members(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_order_unified_segment.cou_segment_member_action"
        )
        action["domain"] = [("segment_id", "=", self.id)]
        action["context"] = {"search_default_filter_current": 1}
        return action

    def action_view_partners(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.name,
            "res_model": "res.partner",
            "view_mode": "list,kanban,form",
            "domain": [("cou_segment_ids", "in", self.ids)],
        }

    def action_create_mailing(self):
        """Open a new mass mailing that targets this segment."""
        self.ensure_one()
        self.check_access("read")
        self.env["mailing.mailing"].check_access("create")
        return {
            "type": "ir.actions.act_window",
            "res_model": "mailing.mailing",
            "view_mode": "form",
            "target": "current",
            "context": {
                "default_cou_segment_id": self.id,
                "default_mailing_type": "mail",
                "default_mailing_model_id": self.env["ir.model"]._get_id("res.partner"),
                # the subject is what customers read: the user writes it (the
                # segment's name, "Champions", is an internal label)
                "default_subject": False,
            },
        }

    # === BUSINESS METHODS === #
    @api.model
    def _ensure_rfm_segments(self, companies=None):
        """Create the named RFM segments of ``companies`` that are missing,
        with their names translated in every active language."""
        companies = companies or self.env["res.company"].sudo().search([])
        existing = {
            (company.id, code)
            for company, code in self.sudo()
            .with_context(active_test=False)
            ._read_group(
                [("segment_type", "=", "rfm"), ("company_id", "in", companies.ids)],
                ["company_id", "rfm_code"],
            )
        }
        codes = [code for code, _label in RFM_SEGMENT_CODES]
        vals_list = [
            {
                "name": dict(RFM_SEGMENT_CODES)[code],
                "segment_type": "rfm",
                "rfm_code": code,
                "company_id": company.id,
                "sequence": index,
                "color": index,
            }
            for company in companies
            for index, code in enumerate(codes, start=1)
            if (company.id, code) not in existing
        ]
        if not vals_list:
            return self.browse()
        segments = self.sudo().with_context(lang="en_US").create(vals_list)
        field = self._fields["rfm_code"]
        for lang, _name in self.env["res.lang"].get_installed():
            if lang == "en_US":
                continue
            labels = dict(
                field._description_selection(self.with_context(lang=lang).env)
            )
            for segment in segments:
                segment.with_context(
                    lang=lang, cou_segment_no_recompute=True
                ).name = labels[segment.rfm_code]
        return segments

    @api.model
    def _translate_rfm_segment_names(self, langs, overwrite=False):
        """Name the RFM segments in ``langs`` after the labels of their RFM
        segment, which come with the languages' terms: a language installed
        after the addon translates the segments it created. A segment renamed
        in a language (its name there is not the English label) keeps its name,
        unless ``overwrite``. One write per language and segment."""
        segments = (
            self.sudo()
            .with_context(active_test=False)
            .search([("segment_type", "=", "rfm")])
        )
        field = self._fields["rfm_code"]
        english = dict(
            field._description_selection(self.with_context(lang="en_US").env)
        )
        default = segments.filtered(
            lambda s: s.with_context(lang="en_US").name == english.get(s.rfm_code)
        )
        for lang in set(langs) - {"en_US"}:
            labels = dict(
                field._description_selection(self.with_context(lang=lang).env)
            )
            in_lang = default.with_context(lang=lang, cou_segment_no_recompute=True)
            for code, label in labels.items():
                todo = in_lang.filtered(
                    lambda s, code=code, label=label: s.rfm_code == code
                    and (overwrite or s.name == english[code])
                    and s.name != label
                )
                if todo:
                    todo.write({"name": label})

    def _get_eval_context(self):
        return {
            "datetime": safe_datetime,
            "dateutil": safe_dateutil,
            "time": safe_time,
            "relativedelta": safe_dateutil.relativedelta.relativedelta,
            "context_today": lambda: fields.Date.context_today(self),
            "uid": self._get_filter_owner().id,
            "company_id": self.company_id.id,
        }

    def _get_filter_owner(self):
        """The user whose rights a rule's filter is evaluated with."""
        self.ensure_one()
        segment = self.sudo()
        return segment.user_id or segment.create_uid or self.env.user

    def _get_domain(self):
        self.ensure_one()
        domain = safe_eval(self.domain or "[]", self._get_eval_context())
        if not isinstance(domain, list | tuple):
            raise ValueError(self.env._("A filter must be a list of conditions."))
        return list(domain)

    def _get_target_query(self, partner_ids=None):
        """SQL selecting the partner ids (column partner_id) that must be
        members of this segment now. Raises when a rule's filter is unusable."""
        self.ensure_one()
        restrict = SQL("")
        if self.segment_type == "rfm":
            if partner_ids is not None:
                restrict = SQL("AND partner_id = ANY(%s)", list(partner_ids))
            return SQL(
                "SELECT partner_id FROM cou_rfm_score WHERE company_id = %s AND "
                "segment_code = %s %s",
                self.company_id.id,
                self.rfm_code,
                restrict,
            )
        if self.segment_type == "static":
            if partner_ids is not None:
                restrict = SQL("AND rel.partner_id = ANY(%s)", list(partner_ids))
            return SQL(
                """
                SELECT DISTINCT rel.partner_id
                  FROM cou_segment_static_partner_rel rel
                  JOIN res_partner p ON p.id = rel.partner_id AND p.active
                 WHERE rel.segment_id = %s %s
                """,
                self.id,
                restrict,
            )
        # rule: the filter on the company's commercial entities, with the
        # rights of the filter's owner (record rules, access rights of every
        # model the filter goes through), in the segment's company only: a
        # filter finds no customer by what its owner may not read
        owner = self._get_filter_owner()
        company = self.company_id
        if company not in owner.sudo().company_ids:
            raise AccessError(
                self.env._(
                    "%(user)s, the owner of segment %(name)s, has no access to "
                    "company %(company)s.",
                    user=owner.sudo().name,
                    name=self.name,
                    company=company.name,
                )
            )
        Partner = (
            self.env["res.partner"]
            .with_user(owner)
            .with_context(
                active_test=True,
                allowed_company_ids=[company.id],
            )
        )
        domain = self._get_domain()
        domain = [("company_id", "in", [False, self.company_id.id])] + domain
        if partner_ids is not None:
            domain = [("id", "in", list(partner_ids))] + domain
        query = Partner._search(domain)
        query.add_where(
            SQL(
                "%s = %s",
                SQL.identifier(query.table, "commercial_partner_id"),
                SQL.identifier(query.table, "id"),
            )
        )
        return SQL(
            "SELECT DISTINCT q.id AS partner_id FROM (%s) q",
            query.select(SQL.identifier(query.table, "id")),
        )

    def _mark_broken(self, reason):
        self.ensure_one()
        self.env.cr.execute(
            SQL(
                "UPDATE cou_segment SET state = 'broken', broken_reason = %s, "
                "write_date = %s WHERE id = %s",
                reason,
                fields.Datetime.now(),
                self.id,
            )
        )
        self.invalidate_recordset(["state", "broken_reason"])

    def _swap_members(self, partner_ids=None, wait=False):
        """Replace the current members of these segments (of one company) by
        their target sets in one statement, set-based: leavers get
        ``date_to``, newcomers a new row, stayers are untouched. Several RFM
        segments swapped together read the scores once (one scan of the
        scores and of their members instead of one per segment).
        ``partner_ids`` limits the swap to those customers (order
        confirmation). Returns the segments swapped.

        Worker safety: the segment rows are locked first (FOR NO KEY UPDATE);
        with ``wait`` False a segment locked by another worker is skipped
        (left out of the result). The lock, the UPDATE of the segment rows at
        the end and the partial unique index on current members make a
        concurrent run either wait, skip, or fail with a serialization error
        that the caller rolls back - never duplicate or lose a member.
        """
        if not self:
            return self
        self.company_id.ensure_one()
        cr = self.env.cr
        lock = (
            SQL("FOR NO KEY UPDATE") if wait else SQL("FOR NO KEY UPDATE SKIP LOCKED")
        )
        cr.execute(
            SQL(
                "SELECT id FROM cou_segment WHERE id = ANY(%s) ORDER BY id %s",
                self.ids,
                lock,
            )
        )
        locked = {row[0] for row in cr.fetchall()}
        segments = self.filtered(lambda s: s.id in locked)
        if not segments:
            return segments
        target = segments._get_targets_query(partner_ids)  # may raise: filter broken
        self.env["cou.segment.member"].flush_model()
        now = fields.Datetime.now()
        company_id = segments.company_id.id
        # The difference between the targets and the current members, in one
        # FULL JOIN (always a hash or merge join, so its cost stays linear
        # whatever the statistics of cou_segment_member say; an anti-join
        # planned from stale statistics, or probing the table the same
        # statement writes, can turn quadratic), and the whole swap in the
        # same statement: its CTEs all read the members as they were before
        # it (one snapshot), leavers get their date_to, newcomers a row and,
        # for a full swap, each segment its figures from its target (the
        # current members once the statement is done). No temporary table,
        # one round trip.
        full = partner_ids is None
        restrict = (
            SQL("") if full else SQL("AND m.partner_id = ANY(%s)", list(partner_ids))
        )
        figures = SQL("")
        if full:
            self.env["cou.rfm.score"].flush_model()
            figures = SQL(
                """,
                figures AS (
                    UPDATE cou_segment s
                       SET %(set_figures)s
                      FROM (SELECT seg.id, COUNT(d.partner_id) AS cnt,
                                   COALESCE(SUM(r.monetary), 0) AS rev
                              FROM unnest(%(ids)s::int[]) AS seg(id)
                              LEFT JOIN diff d
                                     ON d.segment_id = seg.id AND d.in_target
                              LEFT JOIN cou_rfm_score r
                                     ON r.partner_id = d.partner_id
                                    AND r.company_id = %(company)s
                             GROUP BY seg.id) x,
                           (%(total)s) tot
                     WHERE s.id = x.id
                    RETURNING s.id
                )
                """,
                set_figures=segments._get_figures_set_sql(now),
                total=segments._get_figures_total_sql(),
                company=company_id,
                ids=segments.ids,
            )
        # A full swap reads whole populations (a rule's filter on every
        # customer of the company, the figures of every member): hash joins
        # read each table once. The planner misestimates the commercial
        # entities (commercial_partner_id = id: 0.5 % of the partners instead
        # of nine in ten) and the members of a segment, and would nest loops
        # with an index probe per customer (EXPLAIN ANALYZE at 100,000
        # customers: a rule's filter 1.0 M buffer hits against 31,000, the RFM
        # segments' figures 329,000 against 1,100). For this statement only.
        if full:
            cr.execute(
                SQL(
                    "SELECT current_setting('enable_nestloop'),"
                    " set_config('enable_nestloop', 'off', true)"
                )
            )
            nestloop = cr.fetchone()[0]
        cr.execute(
            SQL(
                """
                WITH diff AS MATERIALIZED (
                    SELECT COALESCE(t.segment_id, c.segment_id) AS segment_id,
                           COALESCE(t.partner_id, c.partner_id) AS partner_id,
                           c.id AS member_id,
                           t.partner_id IS NOT NULL AS in_target
                      FROM (SELECT DISTINCT q.segment_id, q.partner_id
                              FROM (%(target)s) q
                             WHERE q.partner_id IS NOT NULL) t
                      FULL JOIN (SELECT m.id, m.segment_id, m.partner_id
                                   FROM cou_segment_member m
                                  WHERE m.segment_id = ANY(%(ids)s)
                                    AND m.date_to IS NULL %(restrict)s) c
                             ON c.segment_id = t.segment_id
                            AND c.partner_id = t.partner_id
                ),
                gone AS (
                    UPDATE cou_segment_member m
                       SET date_to = %(now)s
                     WHERE m.id = ANY(ARRAY(SELECT d.member_id FROM diff d
                                             WHERE NOT d.in_target))
                       AND m.date_to IS NULL
                 RETURNING m.id
                ),
                came AS (
                    INSERT INTO cou_segment_member
                           (segment_id, partner_id, company_id, date_from)
                    SELECT d.segment_id, d.partner_id, %(company)s, %(now)s
                      FROM diff d
                     WHERE d.in_target AND d.member_id IS NULL
                     -- in the order of the customers: each row's foreign-key
                     -- checks and index entries land next to the previous
                     -- one's (a first run inserts every member)
                     ORDER BY d.partner_id, d.segment_id
                 RETURNING id
                )%(figures)s
                SELECT ARRAY(SELECT id FROM gone ORDER BY id),
                       ARRAY(SELECT id FROM came ORDER BY id)
                """,
                ids=segments.ids,
                company=company_id,
                target=target,
                restrict=restrict,
                now=now,
                figures=figures,
            )
        )
        left_ids, entered_ids = cr.fetchone()
        if full:
            cr.execute(SQL("SELECT set_config('enable_nestloop', %s, true)", nestloop))
            segments._invalidate_figures()
        else:
            segments._update_figures(now)
        self.env["cou.segment.member"].invalidate_model()
        segments.invalidate_recordset(["member_ids"])
        segments._run_member_automations(entered_ids, left_ids)
        return segments

    def _get_targets_query(self, partner_ids=None):
        """SQL selecting the (segment_id, partner_id) pairs that must be
        members of these segments now: the RFM segments' from one scan of the
        scores, each other segment's from its own query
        (_get_target_query). Raises when a rule's filter is unusable."""
        rfm = self.filtered(lambda s: s.segment_type == "rfm")
        queries = []
        if rfm:
            restrict = SQL("")
            if partner_ids is not None:
                restrict = SQL("AND r.partner_id = ANY(%s)", list(partner_ids))
            queries.append(
                SQL(
                    """
                    SELECT seg.id AS segment_id, r.partner_id
                      FROM cou_rfm_score r
                      JOIN unnest(%s::int[], %s::varchar[]) AS seg(id, code)
                           ON seg.code = r.segment_code
                     WHERE r.company_id = %s %s
                    """,
                    rfm.ids,
                    rfm.mapped("rfm_code"),
                    rfm.company_id.id,
                    restrict,
                )
            )
        queries.extend(
            SQL(
                "SELECT %s AS segment_id, q.partner_id FROM (%s) q",
                segment.id,
                segment._get_target_query(partner_ids),
            )
            for segment in self - rfm
        )
        return SQL(" UNION ALL ").join(queries)

    def _get_figures_set_sql(self, now):
        """SET clause of the segment's figures, from ``x`` (cnt, rev: count and
        Ordered Revenue of its members) and ``tot`` (rev: Ordered Revenue of all
        scored customers of its company)."""
        return SQL(
            """
            member_count = x.cnt,
            revenue = x.rev,
            revenue_share = CASE WHEN tot.rev > 0 THEN ROUND(100 * x.rev / tot.rev, 2)
                                 ELSE 0 END,
            last_compute_date = %(now)s,
            state = 'ok',
            broken_reason = NULL,
            write_date = %(now)s
            """,
            now=now,
        )

    def _get_figures_total_sql(self):
        """SQL of the Ordered Revenue (column rev) of the scored customers of
        the segment's company (read once by _recompute for segments swapped in
        one transaction, which writes no score)."""
        totals = dict(self.env.context.get("cou_segment_rfm_totals") or ())
        if self.company_id.id in totals:
            return SQL("SELECT %s::numeric AS rev", totals[self.company_id.id])
        return SQL(
            "SELECT COALESCE(SUM(monetary), 0) AS rev FROM cou_rfm_score"
            " WHERE company_id = %s",
            self.company_id.id,
        )

    def _invalidate_figures(self):
        self.invalidate_recordset(
            [
                "member_count",
                "revenue",
                "revenue_share",
                "last_compute_date",
                "state",
                "broken_reason",
            ]
        )

    def _update_figures(self, now):
        """Store member count, members' revenue and revenue share of the
        current members of these segments (of one company; one statement)."""
        self.env["cou.rfm.score"].flush_model()
        self.env.cr.execute(
            SQL(
                """
                UPDATE cou_segment s
                   SET %(set_figures)s
                  FROM (SELECT seg.id, COUNT(m.id) AS cnt,
                               COALESCE(SUM(r.monetary), 0) AS rev
                          FROM unnest(%(ids)s::int[]) AS seg(id)
                          LEFT JOIN cou_segment_member m
                                 ON m.segment_id = seg.id AND m.date_to IS NULL
                          LEFT JOIN cou_rfm_score r ON r.partner_id = m.partner_id AND
                              r.company_id = %(company)s
                         GROUP BY seg.id) x,
                       (%(total)s) tot
                 WHERE s.id = x.id
                """,
                set_figures=self._get_figures_set_sql(now),
                total=self._get_figures_total_sql(),
                company=self.company_id.id,
                ids=self.ids,
            )
        )
        self._invalidate_figures()

    def _run_member_automations(self, entered_ids, left_ids):
        """Run the automated actions of cou.segment.member for rows written
        in SQL: creation triggers for newcomers, update triggers (date_to
        changed) for leavers. One search when no automation exists."""
        Member = self.env["cou.segment.member"]
        Automation = self.env["base.automation"]
        if entered_ids:
            members = Member.browse(entered_ids)
            for automation in Automation._get_actions(
                members, CREATE_TRIGGERS
            ).with_context(old_values=None):
                automation._process(automation._filter_post(members, feedback=True))
        if left_ids:
            members = Member.browse(left_ids)
            old_values = {member_id: {"date_to": False} for member_id in left_ids}
            for automation in Automation._get_actions(
                members, WRITE_TRIGGERS
            ).with_context(old_values=old_values):
                records, domain_post = automation._filter_post_export_domain(
                    members, feedback=True
                )
                automation._process(records, domain_post=domain_post)

    def _recompute(self, commit=False):
        """Recompute the membership of these segments, each (the RFM
        segments of a company together, _get_swap_batches) in its own
        transaction (``commit``) or savepoint. A rule whose filter no longer
        works (field removed...) marks its segment broken and is skipped; the
        others go on. Returns {"done", "skipped", "broken"} lists of ids."""
        result = {"done": [], "skipped": [], "broken": []}
        cr = self.env.cr
        segments = self
        if not commit and len(self) > 1:
            # one transaction: the scored customers' Ordered Revenue of each
            # company, the denominator of every revenue share, is read once
            self.env["cou.rfm.score"].flush_model(["company_id", "monetary"])
            company_ids = self.company_id.ids
            cr.execute(
                SQL(
                    "SELECT company_id, COALESCE(SUM(monetary), 0) FROM cou_rfm_score"
                    " WHERE company_id = ANY(%s) GROUP BY company_id",
                    company_ids,
                )
            )
            totals = dict(cr.fetchall())
            segments = self.with_context(
                cou_segment_rfm_totals=tuple(
                    (company_id, totals.get(company_id, 0))
                    for company_id in company_ids
                )
            )
        for batch_ids in self._get_swap_batches():
            batch = segments.browse(batch_ids)
            try:
                if commit:
                    done = batch._swap_members()
                    cr.commit()  # pylint: disable=invalid-commit (batch job: one segment at a time)
                else:
                    with cr.savepoint():
                        done = batch._swap_members()
            except CONCURRENCY_ERRORS as exc:
                if commit:
                    cr.rollback()
                self.env.invalidate_all()
                _logger.info(
                    "Segments %s left to a concurrent recomputation (%s)",
                    batch_ids,
                    exc.__class__.__name__,
                )
                result["skipped"].extend(batch_ids)
                continue
            except Exception as exc:  # noqa: BLE001 - a broken filter must not stop the others
                if commit:
                    cr.rollback()
                self.env.invalidate_all()
                _logger.warning("Segments %s are broken: %s", batch_ids, exc)
                for segment in batch:
                    segment._mark_broken(str(exc) or exc.__class__.__name__)
                if commit:
                    cr.commit()  # pylint: disable=invalid-commit (batch job: one segment at a time)
                result["broken"].extend(batch_ids)
                continue
            for segment_id in batch_ids:
                result["done" if segment_id in done.ids else "skipped"].append(
                    segment_id
                )
        return result

    def _get_swap_batches(self):
        """The ids of these segments in the groups _recompute swaps together:
        the RFM segments of a company in one statement (one scan of the
        scores and their members), each rule or static segment alone (a
        broken filter marks its own segment only). In the order of ``self``
        (a company's RFM segments where its first one is)."""
        batches = []
        rfm = {}
        for segment in self:
            if segment.segment_type != "rfm":
                batches.append([segment.id])
            elif segment.company_id.id in rfm:
                rfm[segment.company_id.id].append(segment.id)
            else:
                rfm[segment.company_id.id] = [segment.id]
                batches.append(rfm[segment.company_id.id])
        return batches

    @api.model
    def _recompute_all(self, commit=True, companies=None):
        """RFM scores of each company, then every active segment."""
        companies = companies or self.env["res.company"].search([])
        self._ensure_rfm_segments(companies)
        if commit:
            self.env.cr.commit()  # pylint: disable=invalid-commit (batch job: one segment at a time)
        for company in companies:
            try:
                self.env["cou.rfm.score"]._recompute_company(company)
                if commit:
                    self.env.cr.commit()  # pylint: disable=invalid-commit (batch job: one segment at a time)
            except CONCURRENCY_ERRORS:
                if not commit:
                    raise
                self.env.cr.rollback()
                _logger.info(
                    "RFM of company %s left to a concurrent recomputation", company.id
                )
        segments = self.search(
            [("company_id", "in", companies.ids)], order="segment_type, id"
        )
        return segments._recompute(commit=commit)

    @api.model
    def _cron_recompute(self):
        """Scheduled job: recompute RFM and all segments as a job run
        (cou.job.chunk) that the cron workers of every server share: the RFM
        of each company is a chunk, then (once they are all done) each
        segment is a chunk (the RFM segments of a company one chunk: swapped
        together); each chunk is its own transaction. Returns the
        run's key (False when another worker's run was still open: this one
        helped it)."""
        companies = self.env["res.company"].search([])
        self.sudo()._ensure_rfm_segments(companies)
        segments = self.sudo().search(
            [("company_id", "in", companies.ids)], order="segment_type, id"
        )
        return self.env["cou.job.chunk"]._cou_run_job(
            "segment_recompute",
            [
                [
                    {
                        "model": "cou.segment",
                        "method": "_cou_job_recompute_rfm",
                        "kwargs": {"company_id": company.id},
                        "company_id": company.id,
                    }
                    for company in companies
                ],
                [
                    {
                        "model": "cou.segment",
                        "method": "_cou_job_recompute",
                        "ids": batch_ids,
                        "company_id": segments.browse(batch_ids[0]).company_id.id,
                    }
                    for batch_ids in segments._get_swap_batches()
                ],
            ],
        )

    @api.model
    def _cou_job_recompute_rfm(self, company_id):
        """A chunk of the recompute run: the RFM scores of one company."""
        company = self.env["res.company"].browse(company_id)
        self.env["cou.rfm.score"]._recompute_company(company)

    def _cou_job_recompute(self):
        """A chunk of the recompute run: the members of these segments; a
        segment that a concurrent transaction changed is taken again (the
        chunk is retried)."""
        result = self._recompute(commit=False)
        if result["skipped"]:
            raise CouJobRetry(f"segments {result['skipped']} changed meanwhile")
        return result

    # === DEMO === #
    @api.model
    def _demo_recompute(self):
        """demo/cou_segment_demo.xml: RFM and segments of the demo company,
        after the demo generator built its orders."""
        return self.sudo()._recompute_all(commit=False, companies=self.env.company)

    @api.model
    def _demo_spread_history(self):
        """demo/cou_segment_demo.xml: the segment history as months of nightly
        recomputations would have left it, instead of every entry dated at
        install time. Each current member of the demo company's segments
        entered on a day of the last ten months (never before the customer's
        last order for an RFM segment), and about two in five RFM members came
        from the segment customers usually move from (a Champion was Loyal, a
        Lost customer was Hibernating...). Deterministic (hash of the ids),
        set-based."""
        anchor = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("crm_order_unified.demo_anchor_date")
        )
        today = (
            fields.Datetime.to_datetime(anchor)
            if anchor
            else fields.Datetime.now().replace(hour=0, minute=0, second=0)
        )
        company = self.env.company
        self.env["cou.segment.member"].flush_model()
        cr = self.env.cr
        cr.execute(
            SQL(
                """
                UPDATE cou_segment_member m
                   SET date_from = %(today)s::timestamp + interval '2 hours'
                           - make_interval(days => 1 + mod(abs(hashtext(
                               m.partner_id || ':' || m.segment_id)), 300))
                  FROM cou_segment s
                 WHERE s.id = m.segment_id AND s.company_id = %(company)s
                   AND m.date_to IS NULL AND s.segment_type != 'rfm'
                """,
                today=today,
                company=company.id,
            )
        )
        cr.execute(
            SQL(
                """
                UPDATE cou_segment_member m
                   SET date_from = LEAST(%(today)s::timestamp, GREATEST(
                           %(today)s::timestamp + interval '2 hours'
                               - make_interval(days => 1 + mod(abs(hashtext(
                                   m.partner_id || ':' || m.segment_id)), 300)),
                           r.last_order_date + interval '1 day 2 hours'))
                  FROM cou_segment s, cou_rfm_score r
                 WHERE s.id = m.segment_id AND s.company_id = %(company)s
                   AND s.segment_type = 'rfm' AND m.date_to IS NULL
                   AND r.company_id = s.company_id AND r.partner_id = m.partner_id
                """,
                today=today,
                company=company.id,
            )
        )
        came_from = [
            ("champions", "loyal"),
            ("loyal", "potential_loyalist"),
            ("potential_loyalist", "new"),
            ("promising", "new"),
            ("need_attention", "loyal"),
            ("about_to_sleep", "need_attention"),
            ("at_risk", "loyal"),
            ("cant_lose", "champions"),
            ("hibernating", "about_to_sleep"),
            ("lost", "hibernating"),
        ]
        cr.execute(
            SQL(
                """
                INSERT INTO cou_segment_member
                       (segment_id, partner_id, company_id, date_from, date_to)
                SELECT prev.id, m.partner_id, m.company_id,
                       m.date_from - make_interval(days => 30 + mod(abs(hashtext(
                           m.partner_id || ':prev')), 200)),
                       m.date_from
                  FROM cou_segment_member m
                  JOIN cou_segment s ON s.id = m.segment_id
                  JOIN unnest(%(now_codes)s::varchar[], %(prev_codes)s::varchar[])
                       AS f(code, prev_code) ON f.code = s.rfm_code
                  JOIN cou_segment prev ON prev.company_id = s.company_id
                       AND prev.segment_type = 'rfm' AND prev.rfm_code = f.prev_code
                 WHERE s.company_id = %(company)s AND s.segment_type = 'rfm'
                   AND m.date_to IS NULL
                   AND mod(abs(hashtext(m.partner_id || ':moved')), 5) < 2
                """,
                company=company.id,
                now_codes=[code for code, _prev in came_from],
                prev_codes=[prev for _code, prev in came_from],
            )
        )
        self.env["cou.segment.member"].invalidate_model()
