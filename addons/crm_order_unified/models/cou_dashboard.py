from datetime import datetime, time

import pytz
from babel.dates import format_skeleton
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL
from odoo.tools.misc import babel_locale_parse

DASHBOARD_GROUP = "crm_order_unified.group_crm_order_unified_user"
# revenue is a sales figure: users without sales rights (warehouse, billing)
# see the customer figures but no revenue
REVENUE_GROUP = "sales_team.group_sale_salesman"
CUSTOMER_STATUSES = ("new", "returning", "lapsed")
# ``cr.cache`` key of the window actions read while the dashboard loads (each
# card and chart point opens a narrowed copy of one of a few actions)
ACTIONS_CACHE_KEY = "crm_order_unified.dashboard_actions"


class CouDashboard(models.AbstractModel):
    """The Customer Hub dashboard: live figures and charts, read in a few
    grouped queries when the dashboard opens (no snapshot).

    Definitions (all on confirmed sale orders, ``state = 'sale'``, of the
    companies selected in the company switcher and visible to the user by
    the record rules, returns left out, see
    :meth:`sale.order._cou_return_order_sql`; a customer is a commercial
    entity; periods in the user's time zone; "the last 12 months" runs from
    the same day one year ago to today):

    * Ordered revenue (受注額): untaxed amount of the orders in company
      currency at the order's rate (:meth:`sale.order._cou_order_revenue_sql`),
      by order date; this month / this year to date against the same days
      last year.
    * Active customers: ordered in the last 12 months.
    * New customers: active, first order ever in the last 12 months.
    * Returning customers: active, ordered before the last 12 months too
      (active = new + returning).
    * Lapsed customers: ordered in the 12 months before the last 12 months,
      not in the last 12 months.
    * Repeat-purchase rate: active customers with two orders or more in the
      last 12 months, over active customers.

    Extension point: :meth:`_cou_dashboard_sections` returns serialisable
    sections (cards and charts, each with the ``ir.actions`` dict that opens
    the records behind it); capability addons append theirs.
    """

    _name = "cou.dashboard"
    _description = "Customer Hub Dashboard"

    # === ACTION METHODS === #

    @api.readonly
    @api.model
    def get_dashboard_data(self):
        """Everything the dashboard paints: ``{"currency_id", "today",
        "sections": [...]}`` for the companies of the company switcher."""
        if not self.env.user.has_group(DASHBOARD_GROUP):
            raise AccessError(self.env._("Only Customer Hub users see the dashboard."))
        companies = self.env.companies
        self.env.cr.cache[ACTIONS_CACHE_KEY] = {}
        try:
            sections = self._cou_dashboard_sections(companies)
        finally:
            self.env.cr.cache.pop(ACTIONS_CACHE_KEY, None)
        return {
            "currency_id": self.env.company.currency_id.id,
            "today": fields.Date.to_string(self._cou_today()),
            "company_names": companies.mapped("name"),
            "sections": sorted(sections, key=lambda s: s.get("sequence", 50)),
        }

    # === BUSINESS METHODS === #
    # sections (extension point)

    @api.model
    def _cou_dashboard_sections(self, companies):
        """The dashboard's sections for ``companies``: a list of dicts
        ``{"key", "title", "sequence", "cards": [card], "charts": [chart]}``.

        A card: ``{"key", "label", "value", "format" ("monetary", "integer",
        "percent"), "tooltip", "action"}``, optionally ``"compare"``:
        ``{"value", "label"}`` (the same figure a year earlier) and
        ``"subtitle"``. A chart: ``{"key", "title", "type" (a Chart.js type),
        "labels", "datasets": [{"label", "data", "actions"}], "format",
        "tooltip"}``: ``actions[i]`` opens the records behind ``data[i]``.

        Capability addons extend it (``super()`` then append theirs)."""
        sections = []
        if self._cou_can_see_revenue():
            sections.append(self._cou_revenue_section(companies))
        if self.env["sale.order"].has_access("read"):
            sections.append(self._cou_customer_section(companies))
        return sections

    @api.model
    def _cou_can_see_revenue(self):
        return self.env.user.has_group(REVENUE_GROUP) and self.env[
            "sale.order"
        ].has_access("read")

    # periods

    @api.model
    def _cou_today(self):
        return fields.Date.context_today(self)

    @api.model
    def _cou_utc(self, day):
        """Naive UTC datetime of the user's local midnight starting ``day``."""
        tz = pytz.timezone(self.env.context.get("tz") or self.env.user.tz or "UTC")
        local = tz.localize(datetime.combine(day, time.min))
        return local.astimezone(pytz.utc).replace(tzinfo=None)

    @api.model
    def _cou_periods(self):
        """The periods of the figures, as ``{name: (start, end)}`` of naive
        UTC datetimes (start included, end excluded)."""
        today = self._cou_today()
        tomorrow = today + relativedelta(days=1)
        month = today.replace(day=1)
        year = today.replace(month=1, day=1)
        last_year = relativedelta(years=1)
        utc = self._cou_utc
        return {
            "month": (utc(month), utc(tomorrow)),
            "month_ly": (utc(month - last_year), utc(tomorrow - last_year)),
            "year": (utc(year), utc(tomorrow)),
            "year_ly": (utc(year - last_year), utc(tomorrow - last_year)),
            # the customer windows: the last 12 months, the 12 months before
            "last_12": (utc(tomorrow - last_year), utc(tomorrow)),
            "prev_12": (utc(tomorrow - 2 * last_year), utc(tomorrow - last_year)),
        }

    # orders

    @api.model
    def _cou_order_domain(self, companies):
        """The orders every figure counts: confirmed, of ``companies``, not
        returns (record rules apply on top when searched)."""
        return [
            ("state", "=", "sale"),
            ("company_id", "in", companies.ids),
            ("cou_is_return", "=", False),
        ]

    @api.model
    def _cou_order_query_domain(self, companies):
        """:meth:`_cou_order_domain` but returns: the queries leave them out
        with a condition on each row (see :meth:`_cou_order_query`)."""
        return [
            leaf
            for leaf in self._cou_order_domain(companies)
            if leaf != ("cou_is_return", "=", False)
        ]

    @api.model
    def _cou_order_query(self, companies, extra_domain=()):
        """``(query, revenue SQL)`` of the figure orders for the current
        user (record rules applied); the query's alias is ``sale_order``."""
        Order = self.env["sale.order"]
        # the domain and the revenue read stored columns; extra domains
        # (capability addons) read others: flush the model
        Order.flush_model()
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        query = Order._search(
            self._cou_order_query_domain(companies) + list(extra_domain)
        )
        # returns left out row by row (the domain's subquery of the returns
        # would scan every order once more)
        query.add_where(
            SQL("NOT COALESCE(%s, FALSE)", Order._cou_return_order_sql(query.table))
        )
        return query, Order._cou_order_revenue_sql(query.table)

    @api.model
    def _cou_action_dict(self, xmlid):
        """A copy of the window action ``xmlid`` as ``_for_xml_id`` reads it
        for the user, read once while the dashboard loads."""
        cache = self.env.cr.cache.get(ACTIONS_CACHE_KEY)
        if cache is None:
            return self.env["ir.actions.actions"]._for_xml_id(xmlid)
        key = (xmlid, self.env.uid, self.env.lang)
        if key not in cache:
            cache[key] = self.env["ir.actions.actions"]._for_xml_id(xmlid)
        return dict(cache[key])

    @api.model
    def _cou_action(self, xmlid, name, domain, views=None):
        """The window action ``xmlid`` narrowed to ``domain`` under ``name``
        (its search view and help kept, no default filter), for a card or a
        chart point; ``views`` (e.g. ``["list", "form"]``) reorders them."""
        action = self._cou_action_dict(xmlid)
        action.update(
            name=name, display_name=name, domain=domain, context={"create": False}
        )
        if views:
            action["views"] = [(False, view) for view in views]
        return action

    @api.model
    def _cou_orders_action(self, name, companies, start, end):
        """The orders behind a revenue figure: confirmed, not returns, of
        ``companies``, ordered in ``[start, end)``."""
        action = self._cou_action_dict("sale.action_orders")
        action.update(
            display_name=name,
            name=name,
            domain=self._cou_order_domain(companies)
            + [
                ("date_order", ">=", fields.Datetime.to_string(start)),
                ("date_order", "<", fields.Datetime.to_string(end)),
            ],
            context={"create": False},
        )
        return action

    @api.model
    def _cou_convert(self, amounts_by_company):
        """Sum of ``{company id: amount in its currency}`` in the current
        company's currency (today's rate)."""
        target = self.env.company.currency_id
        today = self._cou_today()
        total = 0.0
        for company_id, amount in amounts_by_company.items():
            company = self.env["res.company"].browse(company_id)
            total += company.currency_id._convert(
                amount or 0.0, target, self.env.company, today, round=False
            )
        return target.round(total)

    # revenue

    @api.model
    def _cou_revenue_section(self, companies):
        """The revenue cards and the revenue by month chart from one grouped
        query on the orders of the chart's 24 months, which hold the cards'
        periods: the revenue by month (of the user's time zone) and company,
        the month a year ago split at the same day (the cards compare with
        the same days last year)."""
        periods = self._cou_periods()
        months = [
            month - relativedelta(years=1) for month in self._cou_chart_months()
        ] + self._cou_chart_months()
        bounds = [self._cou_utc(month) for month in months]
        # the cards' periods start on the first day of a month of the chart,
        # and end today or on the same day last year (in the month a year ago)
        cutoff = periods["month_ly"][1]
        query, revenue = self._cou_order_query(
            companies,
            [
                ("date_order", ">=", bounds[0]),
                ("date_order", "<", periods["year"][1]),
            ],
        )
        date = SQL.identifier(query.table, "date_order")
        query.groupby = SQL("1, 2, 3")
        self.env.cr.execute(
            query.select(
                # the month of the row: the index of its bound (1 to 24)
                SQL("width_bucket(%s, %s::timestamp[])", date, bounds),
                SQL.identifier(query.table, "company_id"),
                SQL("%s < %s", date, cutoff),
                SQL("SUM(%s)", revenue),
                SQL("COUNT(*)"),
            )
        )
        names = ("month", "month_ly", "year", "year_ly")
        sums = {name: {} for name in names}
        counts = dict.fromkeys(names, 0)
        by_month = {}
        for index, company_id, before_cutoff, amount, count in self.env.cr.fetchall():
            month = months[index - 1]
            amount = amount or 0.0
            by_month.setdefault(month, {})
            by_month[month][company_id] = by_month[month].get(company_id, 0.0) + amount
            start = self._cou_utc(month)
            for name in names:
                period_start, period_end = periods[name]
                if period_start <= start < period_end and (
                    not name.endswith("_ly") or before_cutoff
                ):
                    sums[name][company_id] = sums[name].get(company_id, 0.0) + amount
                    counts[name] += count
        value = {name: self._cou_convert(sums[name]) for name in names}
        tooltip = self.env._(
            "Ordered revenue: untaxed amount of the confirmed orders in company "
            "currency (at each order's rate), by order date, returns left out; "
            "compared with the same days last year."
        )

        def card(key, label, name, compare_label):
            start, end = periods[name]
            ly_start, ly_end = periods[f"{name}_ly"]
            return {
                "key": key,
                "label": label,
                "value": value[name],
                "format": "monetary",
                "subtitle": self.env._("%(count)s orders", count=counts[name]),
                "compare": {
                    "value": value[f"{name}_ly"],
                    "label": compare_label,
                    "action": self._cou_orders_action(
                        compare_label, companies, ly_start, ly_end
                    ),
                },
                "tooltip": tooltip,
                "action": self._cou_orders_action(label, companies, start, end),
            }

        return {
            "key": "revenue",
            "title": self.env._("Ordered Revenue"),
            "sequence": 10,
            "cards": [
                card(
                    "revenue_month",
                    self.env._("Ordered Revenue This Month"),
                    "month",
                    self.env._("Same days last year"),
                ),
                card(
                    "revenue_year",
                    self.env._("Ordered Revenue This Year"),
                    "year",
                    self.env._("Same period last year"),
                ),
            ],
            "charts": [self._cou_revenue_by_month_chart(companies, by_month)],
        }

    @api.model
    def _cou_chart_months(self):
        """First days of the 12 months of the revenue chart, this one last."""
        month = self._cou_today().replace(day=1)
        return [month - relativedelta(months=11 - i) for i in range(12)]

    @api.model
    def _cou_month_bucket_sql(self, date):
        """SQL: the first day of the month (user's time zone) of the UTC
        timestamp ``date``."""
        tz = self.env.context.get("tz") or self.env.user.tz or "UTC"
        return SQL(
            "date_trunc('month', %s AT TIME ZONE 'UTC' AT TIME ZONE %s)::date", date, tz
        )

    @api.model
    def _cou_revenue_by_month_chart(self, companies, by_month=None):
        """Ordered revenue of the last 12 months (this one to date) beside the
        same months a year earlier; ``by_month``: ``{first day of a month:
        {company id: revenue}}`` of those 24 months (else one grouped query)."""
        today = self._cou_today()
        months = self._cou_chart_months()
        end = self._cou_utc(today + relativedelta(days=1))
        if by_month is None:
            first = months[0] - relativedelta(years=1)
            query, revenue = self._cou_order_query(
                companies,
                [
                    ("date_order", ">=", self._cou_utc(first)),
                    ("date_order", "<", end),
                ],
            )
            bucket = self._cou_month_bucket_sql(
                SQL.identifier(query.table, "date_order")
            )
            company = SQL.identifier(query.table, "company_id")
            query.groupby = SQL("1, 2")
            self.env.cr.execute(query.select(bucket, company, SQL("SUM(%s)", revenue)))
            by_month = {}
            for day, company_id, amount in self.env.cr.fetchall():
                by_month.setdefault(day, {})[company_id] = amount
        this_year, last_year, actions, actions_ly = [], [], [], []
        lang = self.env["res.lang"]._lang_get(self.env.lang or "en_US")
        labels = []
        for start in months:
            start_ly = start - relativedelta(years=1)
            labels.append(self._cou_month_label(start, lang))
            this_year.append(self._cou_convert(by_month.get(start, {})))
            last_year.append(self._cou_convert(by_month.get(start_ly, {})))
            stop = min(self._cou_utc(start + relativedelta(months=1)), end)
            actions.append(
                self._cou_orders_action(
                    labels[-1], companies, self._cou_utc(start), stop
                )
            )
            actions_ly.append(
                self._cou_orders_action(
                    self._cou_month_label(start_ly, lang),
                    companies,
                    self._cou_utc(start_ly),
                    self._cou_utc(start_ly + relativedelta(months=1)),
                )
            )
        return {
            "key": "revenue_by_month",
            "title": self.env._("Ordered Revenue by Month"),
            "type": "bar",
            "format": "monetary",
            "labels": labels,
            "datasets": [
                {
                    "label": self.env._("Last 12 months"),
                    "data": this_year,
                    "actions": actions,
                },
                {
                    "label": self.env._("A year earlier"),
                    "data": last_year,
                    "actions": actions_ly,
                },
            ],
            "tooltip": self.env._(
                "Ordered revenue (untaxed amount of the confirmed orders in company "
                "currency, returns left out) of each of the last 12 months, this "
                "month to date, beside the same month a year earlier."
            ),
        }

    @api.model
    def _cou_month_label(self, day, lang):
        """Month and year in the user's language ("Mar 2026", "2026年3月")."""
        return format_skeleton("yMMM", day, locale=babel_locale_parse(lang.code))

    # customers

    @api.model
    def _cou_customer_stats_sql(self, companies):
        """SQL of one row per customer (commercial entity) with a figure
        order: ``(partner_id, first_date, orders_last_12, orders_prev_12)``."""
        periods = self._cou_periods()
        query, _revenue = self._cou_order_query(
            companies, [("date_order", "<", periods["last_12"][1])]
        )
        partner = query.join(
            query.table, "partner_id", "res_partner", "id", "partner_id"
        )
        date = SQL.identifier(query.table, "date_order")
        commercial = SQL.identifier(partner, "commercial_partner_id")
        query.groupby = commercial
        return query.select(
            SQL("%s AS partner_id", commercial),
            SQL("MIN(%s) AS first_date", date),
            SQL(
                "COUNT(*) FILTER (WHERE %s >= %s) AS orders_last_12",
                date,
                periods["last_12"][0],
            ),
            SQL(
                "COUNT(*) FILTER (WHERE %s >= %s AND %s < %s) AS orders_prev_12",
                date,
                periods["prev_12"][0],
                date,
                periods["prev_12"][1],
            ),
        )

    @api.model
    def _cou_customer_condition_sql(self, status):
        """Condition on a row of :meth:`_cou_customer_stats_sql` for a
        customer ``status``: ``active``, ``new``, ``returning``, ``lapsed``,
        ``repeat`` (two orders or more in the last 12 months)."""
        start = self._cou_periods()["last_12"][0]
        return {
            "active": SQL("stats.orders_last_12 > 0"),
            "new": SQL("stats.orders_last_12 > 0 AND stats.first_date >= %s", start),
            "returning": SQL(
                "stats.orders_last_12 > 0 AND stats.first_date < %s", start
            ),
            "lapsed": SQL("stats.orders_last_12 = 0 AND stats.orders_prev_12 > 0"),
            "repeat": SQL("stats.orders_last_12 > 1"),
        }[status]

    @api.model
    def _cou_customer_ids_sql(self, status, companies=None):
        """SQL subquery of the customer ids with ``status`` (see
        :meth:`_cou_customer_condition_sql`)."""
        return SQL(
            "(SELECT stats.partner_id FROM (%s) stats WHERE %s)",
            self._cou_customer_stats_sql(companies or self.env.companies),
            self._cou_customer_condition_sql(status),
        )

    @api.model
    def _cou_read_customer_statuses(self, commercial_partner_ids):
        """``{partner id: (status or False, repeat buyer)}`` of the given
        commercial entities, for the selected companies."""
        if not commercial_partner_ids:
            return {}
        cases = SQL(
            "CASE WHEN %s THEN 'new' WHEN %s THEN 'returning' "
            "WHEN %s THEN 'lapsed' END",
            self._cou_customer_condition_sql("new"),
            self._cou_customer_condition_sql("returning"),
            self._cou_customer_condition_sql("lapsed"),
        )
        self.env.cr.execute(
            SQL(
                "SELECT stats.partner_id, %s, %s FROM (%s) stats "
                "WHERE stats.partner_id = ANY(%s)",
                cases,
                self._cou_customer_condition_sql("repeat"),
                self._cou_customer_stats_sql(self.env.companies),
                list(commercial_partner_ids),
            )
        )
        return {pid: (status, repeat) for pid, status, repeat in self.env.cr.fetchall()}

    @api.model
    def _cou_customers_action(self, name, status, companies):
        """The customers behind a customer figure (the Customers list)."""
        action = self._cou_action_dict(
            "crm_order_unified.res_partner_action_customer360"
        )
        if status == "repeat":
            domain = [("cou_repeat_buyer", "=", True)]
        elif status == "active":
            domain = [("cou_customer_status", "in", ["new", "returning"])]
        else:
            domain = [("cou_customer_status", "=", status)]
        action.update(
            name=name, display_name=name, domain=domain, context={"create": False}
        )
        return action

    @api.model
    def _cou_customer_section(self, companies):
        statuses = ("active", "new", "returning", "lapsed", "repeat")
        self.env.cr.execute(
            SQL(
                "SELECT %s FROM (%s) stats",
                SQL(", ").join(
                    SQL(
                        "COUNT(*) FILTER (WHERE %s)",
                        self._cou_customer_condition_sql(status),
                    )
                    for status in statuses
                ),
                self._cou_customer_stats_sql(companies),
            )
        )
        counts = dict(zip(statuses, self.env.cr.fetchone(), strict=True))
        rate = counts["repeat"] / counts["active"] if counts["active"] else 0.0
        _ = self.env._
        definitions = {
            "active": (
                _("Active Customers"),
                _("Customers who placed a confirmed order in the last 12 months."),
            ),
            "new": (
                _("New Customers"),
                _(
                    "Active customers whose first confirmed order ever is in the "
                    "last 12 months."
                ),
            ),
            "returning": (
                _("Returning Customers"),
                _("Active customers who had ordered before the last 12 months too."),
            ),
            "lapsed": (
                _("Lapsed Customers"),
                _(
                    "Customers who ordered in the 12 months before the last 12 "
                    "months but not in the last 12 months."
                ),
            ),
        }
        cards = [
            {
                "key": f"customers_{status}",
                "label": label,
                "value": counts[status],
                "format": "integer",
                "tooltip": tooltip
                + " "
                + _("A customer is a company with its contacts; returns left out."),
                "action": self._cou_customers_action(label, status, companies),
            }
            for status, (label, tooltip) in definitions.items()
        ]
        label = _("Repeat-Purchase Rate")
        cards.append(
            {
                "key": "repeat_rate",
                "label": label,
                "value": rate,
                "format": "percent",
                "subtitle": _(
                    "%(repeat)s of %(active)s active customers",
                    repeat=counts["repeat"],
                    active=counts["active"],
                ),
                "tooltip": _(
                    "Share of the active customers who placed two confirmed orders "
                    "or more in the last 12 months. Opens those customers."
                ),
                "action": self._cou_customers_action(
                    _("Repeat Customers"), "repeat", companies
                ),
                "count": counts["repeat"],
            }
        )
        return {
            "key": "customers",
            "title": _("Customers"),
            "sequence": 20,
            "cards": cards,
            "charts": [],
        }
