from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import SQL

DASHBOARD_FIELDS = [
    "cou_recipient_count",
    "cou_delivered_count",
    "cou_opened_count",
    "cou_clicked_count",
    "cou_ordering_recipient_count",
    "cou_ordering_rate",
    "cou_order_count",
    "cou_customer_count",
    "cou_new_customer_count",
    "cou_revenue",
    "cou_recipient_revenue",
    "cou_roi",
    "cou_revenue_per_recipient",
    "cou_revenue_per_customer",
    "cou_test_count",
    "cou_test_buyer_count",
    "cou_test_conversion",
    "cou_test_revenue_per_member",
    "cou_holdout_count",
    "cou_control_buyer_count",
    "cou_control_conversion",
    "cou_control_revenue_per_member",
    "cou_uplift",
    "cou_incremental_revenue",
]
# reading what the campaign sold takes sales rights (as sale's own campaign figures)
SALES_GROUP = "sales_team.group_sale_salesman"


class UtmCampaign(models.Model):
    """Campaign tracking from mailing to revenue.

    Attribution (stored on sale.order by _cou_attribute_orders, run at order
    confirmation): an order carrying a campaign (UTM campaign_id, also set when
    the customer came through a mailing link) is attributed to it (rule
    "utm"). Otherwise, when the company allows it (cou_attribution_touch), to
    the campaign of a mailing the customer - any contact of the commercial
    entity - clicked ("mailing_click") or received ("mailing_received") within
    cou_attribution_window_days before the order; among several touches the
    latest wins (last touch, default) or the earliest (first touch); on equal
    times a click beats a receipt.

    Control group: when the campaign has a holdout share and a mailing
    targets a segment, that share of the members is held out at send time
    (cou.campaign.holdout). The dashboard compares the mailed members (test)
    with the held-out ones (control): share who placed a confirmed order
    within the attribution window after a mailing of the campaign reached
    them (after they were held out), whatever the order's attribution, and
    that revenue per member.

    Figures (the Results tab; each field's help repeats its definition):
    - recipients, delivered, opened, clicked: from mailing.trace as stock
      mass_mailing counts them (sent = has a sent date; delivered = status
      sent, open or reply; opened = open or reply; clicked = has a click
      date), each recipient (contact) counted once per campaign however many
      of its mailings they got;
    - attributed orders, customers (commercial entities), revenue: confirmed
      orders attributed to the campaign, of the campaign's company (of the
      user's companies when the campaign has none), return orders left out;
      revenue is Ordered Revenue;
    - ordering recipients: recipients whose customer has an attributed order;
      ordering rate = ordering recipients / recipients; revenue per recipient
      = attributed revenue of the recipients' customers / recipients; revenue
      per ordering customer = attributed revenue / attributed customers.
    All order figures need sales rights (SALES_GROUP).
    """

    _inherit = "utm.campaign"

    # === FIELDS === #
    cou_budget = fields.Monetary(string="Budget", currency_field="currency_id")
    cou_cost = fields.Monetary(
        string="Actual Cost",
        currency_field="currency_id",
        help="What the campaign cost; ROI is computed on it.",
    )
    cou_date_start = fields.Date(string="Start Date")
    cou_date_end = fields.Date(string="End Date")
    cou_segment_id = fields.Many2one(
        comodel_name="cou.segment",
        string="Target Segment",
        domain="[('company_id', 'in', [company_id, False])]",
        help="New mailings of this campaign target this segment: recipients are its "
        "members at send time.",
    )
    cou_holdout_share = fields.Float(
        string="Holdout Share (%)",
        digits=(5, 1),
        help="Share of the target segment's members kept out of the mailings as a "
        "control group.",
    )
    cou_holdout_ids = fields.One2many(
        comodel_name="cou.campaign.holdout",
        inverse_name="campaign_id",
        string="Control Group",
    )
    cou_attributed_order_ids = fields.One2many(
        comodel_name="sale.order",
        inverse_name="cou_attributed_campaign_id",
        string="Attributed Orders",
        groups=SALES_GROUP,
    )
    # dashboard (one set of grouped queries for all campaigns, see
    # _compute_cou_dashboard)
    cou_recipient_count = fields.Integer(
        string="Recipients",
        compute="_compute_cou_dashboard",
        help="Contacts a mailing of this campaign was sent to (mailing traces with a "
        "sent date), each counted once.",
    )
    cou_delivered_count = fields.Integer(
        string="Delivered",
        compute="_compute_cou_dashboard",
        help="Recipients whose mail was delivered (trace status sent, opened or "
        "replied; not bounced), as the mailing's own statistics count them.",
    )
    cou_opened_count = fields.Integer(
        string="Opened",
        compute="_compute_cou_dashboard",
        help="Recipients who opened a mailing of this campaign (trace status opened "
        "or replied).",
    )
    cou_clicked_count = fields.Integer(
        string="Clicked",
        compute="_compute_cou_dashboard",
        help="Recipients who clicked a link of a mailing of this campaign (trace with "
        "a click date).",
    )
    cou_ordering_recipient_count = fields.Integer(
        string="Ordering Recipients",
        compute="_compute_cou_dashboard",
        groups=SALES_GROUP,
        help="Recipients whose customer (commercial entity) placed a confirmed order "
        "attributed to this campaign.",
    )
    cou_ordering_rate = fields.Float(
        string="Ordering Rate (%)",
        digits=(16, 1),
        compute="_compute_cou_dashboard",
        groups=SALES_GROUP,
        help="Ordering recipients / recipients.",
    )
    cou_order_count = fields.Integer(
        string="Attributed Orders",
        compute="_compute_cou_dashboard",
        groups=SALES_GROUP,
        help="Confirmed orders attributed to this campaign (UTM campaign of the "
        "order, or a mailing touch within the attribution window), of the campaign's "
        "company; return orders left out.",
    )
    cou_customer_count = fields.Integer(
        string="Attributed Customers",
        compute="_compute_cou_dashboard",
        groups=SALES_GROUP,
        help="Customers (commercial entities) with an attributed order.",
    )
    cou_new_customer_count = fields.Integer(
        string="New Customers",
        compute="_compute_cou_dashboard",
        groups=SALES_GROUP,
        help="Attributed customers whose first confirmed order is attributed to this "
        "campaign.",
    )
    cou_revenue = fields.Monetary(
        string="Attributed Revenue",
        currency_field="currency_id",
        compute="_compute_cou_dashboard",
        groups=SALES_GROUP,
        help="Ordered Revenue of the attributed orders: untaxed amount in company "
        "currency.",
    )
    cou_recipient_revenue = fields.Monetary(
        string="Attributed Revenue of Recipients",
        currency_field="currency_id",
        compute="_compute_cou_dashboard",
        groups=SALES_GROUP,
        help="The part of the attributed revenue that comes from the recipients' "
        "customers (orders through a forwarded link or a campaign set by hand on "
        "the order of someone not mailed are left out).",
    )
    cou_roi = fields.Float(
        string="ROI (%)",
        digits=(16, 1),
        compute="_compute_cou_dashboard",
        groups=SALES_GROUP,
        help="(Attributed revenue - actual cost) / actual cost.",
    )
    cou_revenue_per_recipient = fields.Monetary(
        string="Revenue per Recipient",
        currency_field="currency_id",
        compute="_compute_cou_dashboard",
        groups=SALES_GROUP,
        help="Attributed revenue of recipients / recipients.",
    )
    cou_revenue_per_customer = fields.Monetary(
        string="Revenue per Ordering Customer",
        currency_field="currency_id",
        compute="_compute_cou_dashboard",
        groups=SALES_GROUP,
        help="Attributed revenue / attributed customers.",
    )
    cou_test_count = fields.Integer(
        string="Mailed Recipients",
        compute="_compute_cou_dashboard",
        help="The test group: the recipients.",
    )
    cou_comparison_window_days = fields.Integer(
        string="Comparison Window (days)",
        compute="_compute_cou_comparison_window_days",
        help="Mailed recipients and control group members are compared on their "
        "confirmed orders within this many days after the mailing (after being held "
        "out): the attribution window of the campaign's company.",
    )
    cou_test_buyer_count = fields.Integer(
        string="Mailed: Ordered in Window",
        compute="_compute_cou_dashboard",
        groups=SALES_GROUP,
        help="Recipients whose customer placed a confirmed order, attributed or not, "
        "between the first mailing they got and the end of the attribution window "
        "after the last one.",
    )
    cou_test_conversion = fields.Float(
        string="Mailed: Ordering Rate in Window (%)",
        digits=(16, 1),
        compute="_compute_cou_dashboard",
        groups=SALES_GROUP,
        help="Mailed: ordered in window / mailed recipients. Any order counts "
        "(attributed or not), as for the control group.",
    )
    cou_test_revenue_per_member = fields.Monetary(
        string="Mailed: Revenue in Window per Recipient",
        currency_field="currency_id",
        compute="_compute_cou_dashboard",
        groups=SALES_GROUP,
        help="Ordered Revenue of the orders counted in 'Mailed: Ordered in Window' / "
        "mailed recipients.",
    )
    cou_holdout_count = fields.Integer(
        string="Control Group Size",
        compute="_compute_cou_dashboard",
        help="Segment members held out of the mailings.",
    )
    cou_control_buyer_count = fields.Integer(
        string="Control: Ordered in Window",
        compute="_compute_cou_dashboard",
        groups=SALES_GROUP,
        help="Held-out members who placed a confirmed order within the attribution "
        "window after they were held out.",
    )
    cou_control_conversion = fields.Float(
        string="Control: Ordering Rate in Window (%)",
        digits=(16, 1),
        compute="_compute_cou_dashboard",
        groups=SALES_GROUP,
        help="Control: ordered in window / control group size.",
    )
    cou_control_revenue_per_member = fields.Monetary(
        string="Control: Revenue in Window per Member",
        currency_field="currency_id",
        compute="_compute_cou_dashboard",
        groups=SALES_GROUP,
        help="Ordered Revenue of the orders counted in 'Control: Ordered in Window' / "
        "control group size.",
    )
    cou_uplift = fields.Float(
        string="Uplift (points)",
        digits=(16, 1),
        compute="_compute_cou_dashboard",
        groups=SALES_GROUP,
        help="Mailed: ordering rate in window minus Control: ordering rate in window.",
    )
    cou_incremental_revenue = fields.Monetary(
        string="Incremental Revenue",
        currency_field="currency_id",
        compute="_compute_cou_dashboard",
        groups=SALES_GROUP,
        help="(Mailed: revenue in window per recipient - Control: revenue in window "
        "per member) x mailed recipients.",
    )

    # === COMPUTE METHODS === #
    @api.depends_context("allowed_company_ids")
    def _compute_cou_dashboard(self):
        figures = self._get_cou_dashboard_figures()
        for campaign in self:
            values = figures.get(campaign.id, {})
            for name in DASHBOARD_FIELDS:
                campaign[name] = values.get(name, 0)

    @api.depends("company_id.cou_attribution_window_days")
    @api.depends_context("company")
    def _compute_cou_comparison_window_days(self):
        for campaign in self:
            campaign.cou_comparison_window_days = (
                campaign.company_id or self.env.company
            ).cou_attribution_window_days

    # === CONSTRAINT METHODS === #
    @api.constrains("cou_holdout_share")
    def _check_cou_holdout_share(self):
        for campaign in self:
            if not 0 <= campaign.cou_holdout_share < 100:
                raise ValidationError(
                    self.env._("The holdout share must be at least 0% and below 100%.")
                )

    @api.constrains("cou_date_start", "cou_date_end")
    def _check_cou_dates(self):
        for campaign in self:
            if (
                campaign.cou_date_start
                and campaign.cou_date_end
                and campaign.cou_date_end < campaign.cou_date_start
            ):
                raise ValidationError(
                    self.env._("The campaign cannot end before it starts.")
                )

    # === ACTION METHODS === #
    def _cou_check_sales_rights(self):
        if not self.env.user.has_group(SALES_GROUP):
            raise AccessError(
                self.env._("Only sales users can see what a campaign sold.")
            )

    def _cou_get_order_company_ids(self):
        """Companies whose orders count for this campaign: its own, or the
        user's companies when it has none."""
        self.ensure_one()
        return self.company_id.ids or self.env.companies.ids

    def _cou_get_attributed_order_domain(self):
        self.ensure_one()
        return [
            ("cou_attributed_campaign_id", "=", self.id),
            ("state", "=", "sale"),
            ("company_id", "in", self._cou_get_order_company_ids()),
        ]

    def action_cou_view_attributed_orders(self):
        self.ensure_one()
        self._cou_check_sales_rights()
        action = self.env["ir.actions.actions"]._for_xml_id("sale.action_orders")
        action["domain"] = self._cou_get_attributed_order_domain()
        action["context"] = {"create": False}
        return action

    def _cou_get_recipient_trace_domain(self):
        self.ensure_one()
        return [("campaign_id", "=", self.id), ("sent_datetime", "!=", False)]

    @api.readonly
    def action_cou_view_funnel_step(self, step):
        """The list behind a step of the campaign funnel (widget
        cou_campaign_funnel): the recipients (contacts) at that step, each
        once, as the figures count them; for "ordered", the recipients whose
        customer placed an attributed order (the attributed orders themselves
        are behind the stat button)."""
        self.ensure_one()
        if step not in ("recipients", "opened", "clicked", "ordered"):
            raise ValidationError(
                self.env._("Unknown funnel step: %(step)s", step=str(step))
            )
        names = {
            "recipients": self.env._("Recipients"),
            "opened": self.env._("Opened"),
            "clicked": self.env._("Clicked"),
            "ordered": self.env._("Ordering Recipients"),
        }
        domain = self._cou_get_recipient_trace_domain() + [
            ("model", "=", "res.partner")
        ]
        if step == "opened":
            domain += [("trace_status", "in", ("open", "reply"))]
        elif step == "clicked":
            domain += [("links_click_datetime", "!=", False)]
        elif step == "ordered":
            self._cou_check_sales_rights()
            customers = (
                self.env["sale.order"]
                .search(self._cou_get_attributed_order_domain())
                .partner_id.commercial_partner_id
            )
        partner_ids = [
            res_id
            for [res_id] in self.env["mailing.trace"]._read_group(domain, ["res_id"])
        ]
        partners = (
            self.env["res.partner"].with_context(active_test=False).browse(partner_ids)
        )
        if step == "ordered":
            partners = partners.filtered(
                lambda partner: partner.commercial_partner_id in customers
            )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._(
                "%(campaign)s: %(step)s", campaign=self.title, step=names[step]
            ),
            "res_model": "res.partner",
            "views": [[False, "list"], [False, "form"]],
            "domain": [("id", "in", partners.ids)],
            "context": {"create": False, "active_test": False},
        }

    # === BUSINESS METHODS === #
    def _get_cou_dashboard_figures(self):
        """{campaign id: {dashboard field: value}} for the whole recordset in
        two statements, definitions in the class docstring and the fields'
        help: the mailing figures and the control group's size and dates
        (the recipients' running counts, cou.campaign.recipient.count, and
        one pass over the control group), then, for sales users only (the order figures
        are theirs), the attributed orders and the test/control windows."""
        ids = [campaign_id for campaign_id in self.ids if campaign_id]
        if not ids:
            return {}
        self.env["cou.campaign.recipient"].flush_model()
        self.env["cou.campaign.holdout"].flush_model()
        self.flush_recordset(["cou_cost", "company_id"])
        cr = self.env.cr
        figures = {campaign_id: {} for campaign_id in ids}
        cr.execute(
            SQL(
                """
                SELECT c.id, COALESCE(r.recipients, 0), COALESCE(r.delivered, 0),
                       COALESCE(r.opened, 0), COALESCE(r.clicked, 0),
                       r.first_sent, r.last_sent,
                       COALESCE(h.held, 0), h.first_held, h.last_held
                  FROM unnest(%(ids)s::int[]) AS c(id)
                  LEFT JOIN (
                      SELECT r.campaign_id, SUM(r.recipients) AS recipients,
                             SUM(r.delivered) AS delivered,
                             SUM(r.opened) AS opened,
                             SUM(r.clicked) AS clicked,
                             MIN(r.first_sent_datetime) AS first_sent,
                             MAX(r.last_sent_datetime) AS last_sent
                        FROM cou_campaign_recipient_count r
                       WHERE r.campaign_id = ANY(%(ids)s)
                       GROUP BY r.campaign_id
                  ) r ON r.campaign_id = c.id
                  LEFT JOIN (
                      SELECT h.campaign_id, COUNT(*) AS held,
                             MIN(h.holdout_date) AS first_held,
                             MAX(h.holdout_date) AS last_held
                        FROM cou_campaign_holdout h
                       WHERE h.campaign_id = ANY(%(ids)s)
                       GROUP BY h.campaign_id
                  ) h ON h.campaign_id = c.id
                """,
                ids=ids,
            )
        )
        windows = {}
        for (
            campaign_id,
            recipients,
            delivered,
            opened,
            clicked,
            first_sent,
            last_sent,
            held,
            first_held,
            last_held,
        ) in cr.fetchall():
            figures[campaign_id].update(
                cou_recipient_count=recipients,
                cou_delivered_count=delivered,
                cou_opened_count=opened,
                cou_clicked_count=clicked,
                cou_test_count=recipients,
                cou_holdout_count=held,
            )
            windows[campaign_id] = (first_sent, last_sent, first_held, last_held)
        if self.env.su or self.env.user.has_group(SALES_GROUP):
            self._get_cou_order_figures(figures, windows)
        for campaign in self.filtered("id"):
            values = figures[campaign.id]
            revenue = values.get("cou_revenue", 0.0)
            values["cou_roi"] = (
                100.0 * (revenue - campaign.cou_cost) / campaign.cou_cost
                if campaign.cou_cost
                else 0.0
            )
            for group, size in (
                ("test", values.get("cou_test_count", 0)),
                ("control", values["cou_holdout_count"]),
            ):
                buyers = values.get(f"cou_{group}_buyer_count", 0)
                values[f"cou_{group}_conversion"] = (
                    100.0 * buyers / size if size else 0.0
                )
                values[f"cou_{group}_revenue_per_member"] = (
                    values.pop(f"cou_{group}_revenue", 0.0) / size if size else 0.0
                )
            if values["cou_holdout_count"]:
                values["cou_uplift"] = (
                    values["cou_test_conversion"] - values["cou_control_conversion"]
                )
                values["cou_incremental_revenue"] = (
                    values["cou_test_revenue_per_member"]
                    - values["cou_control_revenue_per_member"]
                ) * values.get("cou_test_count", 0)
        return figures

    def _get_cou_order_figures(self, figures, windows):
        """Add the order figures to ``figures`` (see
        _get_cou_dashboard_figures) in one statement; ``windows``: {campaign
        id: (first sent, last sent, first held out, last held out)}.

        Test (recipients) vs control (held out): any confirmed order of their
        customer, attributed or not, within the attribution window after the
        mailing reached them (after they were held out), of the campaign's
        company. Each campaign's orders that can count are read by date range
        (index on date_order), its attributed orders by campaign (index);
        only the recipients and held-out customers of their customers are
        looked up (the recipients' and the holdouts' indexes on the
        customer): the others order nothing, count in no figure but the
        group sizes."""
        self.env["sale.order"].flush_model()
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        SaleOrder = self.env["sale.order"]
        campaigns = self.browse(list(windows))
        rows = []
        for campaign in campaigns:
            company = campaign.company_id or self.env.company
            span = timedelta(days=company.cou_attribution_window_days or 0)
            first_sent, last_sent, first_held, last_held = windows[campaign.id]
            starts = [date for date in (first_sent, first_held) if date]
            ends = [date + span for date in (last_sent, last_held) if date]
            rows.append(
                (
                    campaign.id,
                    campaign.company_id.id or None,
                    span,
                    min(starts) if starts else None,
                    max(ends) if ends else None,
                )
            )
        ids, company_ids, spans, date_froms, date_tos = (
            [row[index] for row in rows] for index in range(5)
        )
        # company_match(so, cp): an order of the campaign's company (of the
        # user's companies for a campaign without one)
        self.env.cr.execute(
            SQL(
                """
                WITH cp AS MATERIALIZED (
                    SELECT *
                      FROM unnest(%(ids)s::int[], %(company_ids)s::int[],
                                  %(spans)s::interval[], %(date_froms)s::timestamp[],
                                  %(date_tos)s::timestamp[])
                           AS cp(campaign_id, company_id, span, date_from, date_to)
                ),
                -- an order's customer is looked up by order (primary key),
                -- whatever the planner guesses of a window's orders
                att AS MATERIALIZED (
                    SELECT o.campaign_id, o.campaign_company_id, o.customer_id,
                           COUNT(*) AS orders,
                           SUM(o.revenue) AS revenue,
                           MIN(o.date_order) AS first_date
                      FROM (
                          SELECT cp.campaign_id, cp.company_id AS campaign_company_id,
                                 (SELECT p.commercial_partner_id FROM res_partner p
                                   WHERE p.id = so.partner_id) AS customer_id,
                                 %(revenue)s AS revenue, so.date_order
                            FROM cp
                            JOIN sale_order so
                              ON so.cou_attributed_campaign_id = cp.campaign_id
                           WHERE so.state = 'sale'
                             AND NOT %(is_return)s
                             AND (so.company_id = cp.company_id
                                  OR (cp.company_id IS NULL
                                      AND so.company_id = ANY(%(companies)s)))
                      ) o
                     GROUP BY o.campaign_id, o.campaign_company_id, o.customer_id
                ),
                win AS MATERIALIZED (
                    SELECT cp.campaign_id, so.id, so.date_order,
                           (SELECT p.commercial_partner_id FROM res_partner p
                             WHERE p.id = so.partner_id) AS customer_id,
                           %(revenue)s AS revenue
                      FROM cp
                      JOIN sale_order so ON so.date_order >= cp.date_from
                                        AND so.date_order < cp.date_to
                     -- the widest window as constants: the planner estimates
                     -- from the dates' statistics (not a third of the orders)
                     WHERE so.date_order >= %(win_from)s AND so.date_order < %(win_to)s
                       AND so.state = 'sale' AND NOT %(is_return)s
                       AND (so.company_id = cp.company_id
                            OR (cp.company_id IS NULL
                                AND so.company_id = ANY(%(companies)s)))
                ),
                -- the recipients of each customer with an attributed order (the
                -- recipients' index on their customer)
                ratt AS MATERIALIZED (
                    SELECT att.campaign_id, att.customer_id, COUNT(*) AS recipients
                      FROM att
                      JOIN cou_campaign_recipient r
                        ON r.customer_id = att.customer_id
                       AND r.campaign_id = att.campaign_id
                     GROUP BY att.campaign_id, att.customer_id
                ),
                ordering AS (
                    SELECT campaign_id, SUM(recipients) AS ordering
                      FROM ratt
                     GROUP BY campaign_id
                ),
                a AS (
                    SELECT att.campaign_id,
                           SUM(att.orders) AS orders,
                           COUNT(*) AS customers,
                           SUM(att.revenue) AS revenue,
                           SUM(att.revenue) FILTER (WHERE rc.customer_id IS NOT NULL)
                               AS recipient_revenue,
                           COUNT(*) FILTER (WHERE NOT EXISTS (
                               SELECT 1 FROM sale_order o2
                                 JOIN res_partner p2 ON p2.id = o2.partner_id
                                WHERE p2.commercial_partner_id = att.customer_id
                                  AND o2.state = 'sale'
                                  AND o2.date_order < att.first_date
                                  AND (o2.company_id = att.campaign_company_id
                                       OR (att.campaign_company_id IS NULL
                                           AND o2.company_id = ANY(%(companies)s)))))
                               AS new_customers
                      FROM att
                      LEFT JOIN ratt rc
                             ON rc.campaign_id = att.campaign_id
                            AND rc.customer_id = att.customer_id
                     GROUP BY att.campaign_id
                ),
                -- test: a window order of a customer within the window of one of
                -- its contacts the campaign reached, with the number of those
                -- contacts (each window order looks its customer's recipients
                -- up by index, whatever the planner guesses of the CTE sizes)
                thits AS MATERIALIZED (
                    SELECT w.campaign_id, w.customer_id, w.id AS order_id, w.revenue,
                           r.recipients
                      FROM win w
                      JOIN cp ON cp.campaign_id = w.campaign_id
                     CROSS JOIN LATERAL (
                          SELECT COUNT(*) AS recipients,
                                 BOOL_OR(w.date_order >= r.first_sent_datetime
                                         AND w.date_order
                                             < r.last_sent_datetime + cp.span) AS hit
                            FROM cou_campaign_recipient r
                           WHERE r.customer_id = w.customer_id
                             AND r.campaign_id = w.campaign_id
                     ) r
                     WHERE r.hit
                ),
                -- control: a window order of a held-out customer within its
                -- window (the holdouts' index on the customer; one row per
                -- order: a customer is held out of a campaign once)
                chits AS MATERIALIZED (
                    SELECT w.campaign_id, w.customer_id, w.id AS order_id, w.revenue
                      FROM win w
                      JOIN cp ON cp.campaign_id = w.campaign_id
                      JOIN cou_campaign_holdout h
                        ON h.campaign_id = w.campaign_id
                       AND h.partner_id = w.customer_id
                     WHERE w.date_order >= h.holdout_date
                       AND w.date_order < h.holdout_date + cp.span
                ),
                -- buyers: the test members (recipients) whose customer has a
                -- test hit, the control members (one per customer) with one
                buyers AS (
                    SELECT 'test' AS grp, d.campaign_id, SUM(d.recipients) AS buyers
                      FROM (SELECT DISTINCT campaign_id, customer_id, recipients
                              FROM thits) d
                     GROUP BY d.campaign_id
                     UNION ALL
                    SELECT 'control', campaign_id, COUNT(DISTINCT customer_id)
                      FROM chits
                     GROUP BY campaign_id
                ),
                won AS (
                    SELECT 'test' AS grp, campaign_id, SUM(revenue) AS revenue
                      FROM thits
                     GROUP BY campaign_id
                     UNION ALL
                    SELECT 'control', campaign_id, SUM(revenue)
                      FROM chits
                     GROUP BY campaign_id
                )
                SELECT cp.campaign_id,
                       COALESCE(o.ordering, 0),
                       COALESCE(a.orders, 0), COALESCE(a.customers, 0),
                       COALESCE(a.revenue, 0), COALESCE(a.recipient_revenue, 0),
                       COALESCE(a.new_customers, 0),
                       COALESCE(tb.buyers, 0), COALESCE(tw.revenue, 0),
                       COALESCE(cb.buyers, 0), COALESCE(cw.revenue, 0)
                  FROM cp
                  LEFT JOIN ordering o ON o.campaign_id = cp.campaign_id
                  LEFT JOIN a ON a.campaign_id = cp.campaign_id
                  LEFT JOIN buyers tb ON tb.grp = 'test'
                                     AND tb.campaign_id = cp.campaign_id
                  LEFT JOIN won tw ON tw.grp = 'test'
                                  AND tw.campaign_id = cp.campaign_id
                  LEFT JOIN buyers cb ON cb.grp = 'control'
                                     AND cb.campaign_id = cp.campaign_id
                  LEFT JOIN won cw ON cw.grp = 'control'
                                  AND cw.campaign_id = cp.campaign_id
                """,
                ids=ids,
                company_ids=company_ids,
                spans=spans,
                date_froms=date_froms,
                date_tos=date_tos,
                win_from=min(filter(None, date_froms), default=None),
                win_to=max(filter(None, date_tos), default=None),
                companies=self.env.companies.ids,
                revenue=SaleOrder._cou_order_revenue_sql("so"),
                is_return=SaleOrder._cou_return_order_sql("so"),
            )
        )
        for (
            campaign_id,
            ordering,
            orders,
            customers,
            revenue,
            recipient_revenue,
            new_customers,
            test_buyers,
            test_revenue,
            control_buyers,
            control_revenue,
        ) in self.env.cr.fetchall():
            values = figures[campaign_id]
            recipients = values.get("cou_recipient_count", 0)
            values.update(
                cou_ordering_recipient_count=ordering,
                cou_ordering_rate=100.0 * ordering / recipients if recipients else 0.0,
                cou_order_count=int(orders),
                cou_customer_count=customers,
                cou_revenue=float(revenue),
                cou_recipient_revenue=float(recipient_revenue),
                cou_revenue_per_recipient=float(recipient_revenue) / recipients
                if recipients
                else 0.0,
                cou_revenue_per_customer=float(revenue) / customers
                if customers
                else 0.0,
                cou_new_customer_count=new_customers,
            )
            for group, buyers, group_revenue in (
                ("test", test_buyers, test_revenue),
                ("control", control_buyers, control_revenue),
            ):
                if buyers:
                    values[f"cou_{group}_buyer_count"] = buyers
                    values[f"cou_{group}_revenue"] = float(group_revenue)

    def _cou_apply_holdout(self, partner_ids, mailing):
        """Hold out this campaign's share of ``partner_ids`` (deterministic,
        see cou.campaign.holdout), store them, and return the ids of all
        held-out partners among ``partner_ids`` (including earlier ones)."""
        self.ensure_one()
        if not partner_ids:
            return set()
        self.env["cou.campaign.holdout"].flush_model()
        threshold = int(round(self.cou_holdout_share * 100))
        now = fields.Datetime.now()
        cr = self.env.cr
        if threshold > 0:
            cr.execute(
                SQL(
                    """
                    INSERT INTO cou_campaign_holdout
                           (campaign_id, partner_id, segment_id, mailing_id,
                               company_id, holdout_date,
                            create_uid, create_date, write_uid, write_date)
                    SELECT %(campaign)s, pid, %(segment)s, %(mailing)s, %(company)s,
                        %(now)s,
                           %(uid)s, %(now)s, %(uid)s, %(now)s
                      FROM unnest(%(pids)s::int[]) AS pid
                     WHERE mod(('x' || substr(md5(%(campaign)s::text || ':' ||
                         pid::text), 1, 7))::bit(28)::int,
                               10000) < %(threshold)s
                    ON CONFLICT (campaign_id, partner_id) DO NOTHING
                    """,
                    campaign=self.id,
                    segment=mailing.cou_segment_id.id or None,
                    mailing=mailing.id or None,
                    company=(self.company_id or mailing.cou_segment_id.company_id).id
                    or None,
                    now=now,
                    uid=self.env.uid,
                    pids=list(partner_ids),
                    threshold=threshold,
                )
            )
            self.env["cou.campaign.holdout"].invalidate_model()
        cr.execute(
            SQL(
                "SELECT partner_id FROM cou_campaign_holdout WHERE campaign_id = %s "
                "AND partner_id = ANY(%s)",
                self.id,
                list(partner_ids),
            )
        )
        return {row[0] for row in cr.fetchall()}

    @api.model
    def _cou_attribute_orders(self, orders):
        """Store the attributed campaign, rule and touch date on confirmed
        ``orders``: one UPDATE per company (rules in the class docstring)."""
        orders = orders.filtered(lambda order: order.state == "sale")
        if not orders:
            return
        self.env["sale.order"].flush_model(
            ["campaign_id", "date_order", "partner_id", "state", "company_id"]
        )
        self.env["mailing.trace"].flush_model()
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        for company in orders.company_id:
            company_orders = orders.filtered(
                lambda order, company=company: order.company_id == company
            )
            touch = company.cou_attribution_touch
            rules = {
                "utm": [],
                "click": ["mailing_click"],
                "received": ["mailing_click", "mailing_received"],
            }[touch]
            direction = (
                SQL("ASC") if company.cou_attribution_model == "first" else SQL("DESC")
            )
            self.env.cr.execute(
                SQL(
                    """
                    UPDATE sale_order so
                       SET cou_attributed_campaign_id = x.campaign_id,
                           cou_attribution_rule = x.rule,
                           cou_attribution_touch_date = x.touch_date
                      FROM (
                        SELECT o.id AS order_id,
                               COALESCE(oc.id, touch.campaign_id) AS
                                   campaign_id,
                               CASE WHEN oc.id IS NOT NULL THEN 'utm' ELSE
                                   touch.rule END AS rule,
                               CASE WHEN oc.id IS NOT NULL THEN o.date_order
                                   ELSE touch.touch_date END
                                   AS touch_date
                          FROM sale_order o
                          JOIN res_partner p ON p.id = o.partner_id
                          -- a campaign of another company gets no credit for
                          -- the order (neither its UTM campaign nor a touch)
                          LEFT JOIN utm_campaign oc
                                 ON oc.id = o.campaign_id
                                AND (oc.company_id IS NULL OR oc.company_id =
                                     o.company_id)
                          LEFT JOIN LATERAL (
                              SELECT t.campaign_id, tt.rule, tt.touch_date
                                FROM res_partner tp
                                JOIN mailing_trace t
                                  ON t.model = 'res.partner' AND t.res_id = tp.id AND
                                      t.campaign_id IS NOT NULL
                                JOIN utm_campaign tc
                                  ON tc.id = t.campaign_id
                                 AND (tc.company_id IS NULL OR tc.company_id =
                                      o.company_id)
                               CROSS JOIN LATERAL (
                                   VALUES ('mailing_click', t.links_click_datetime, 1),
                                          ('mailing_received',
                                           CASE WHEN t.trace_status IN ('sent', 'open',
                                               'reply')
                                                THEN t.sent_datetime END, 2)
                               ) AS tt(rule, touch_date, priority)
                               WHERE oc.id IS NULL
                                 AND tp.commercial_partner_id = p.commercial_partner_id
                                 AND tt.rule = ANY(%(rules)s)
                                 AND tt.touch_date <= o.date_order
                                 AND tt.touch_date >= o.date_order - make_interval(days
                                     => %(days)s)
                               ORDER BY tt.touch_date %(direction)s, tt.priority, t.id
                                   DESC
                               LIMIT 1
                          ) touch ON TRUE
                         WHERE o.id = ANY(%(ids)s)
                      ) x
                     WHERE so.id = x.order_id
                    """,
                    rules=rules,
                    days=company.cou_attribution_window_days or 0,
                    direction=direction,
                    ids=company_orders.ids,
                )
            )
        orders.invalidate_recordset(
            [
                "cou_attributed_campaign_id",
                "cou_attribution_rule",
                "cou_attribution_touch_date",
            ]
        )

    # === DEMO === #
    def _cou_demo_campaign(self, days_ago=45):
        """demo/cou_segment_demo.xml: a mailing of this campaign sent to its
        target segment ``days_ago`` days before the demo anchor day (control
        group held out), with deterministic opens and clicks; the members'
        orders in the following month carry the campaign (as if they came
        through the mailing's links) or are attributed by the click rule."""
        self.ensure_one()
        anchor = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("crm_order_unified.demo_anchor_date")
        )
        today = (
            fields.Datetime.to_datetime(anchor)
            if anchor
            else fields.Datetime.now().replace(hour=0, minute=0)
        )
        sent = today.replace(hour=9, minute=0, second=0, microsecond=0) - timedelta(
            days=days_ago
        )
        mailing = self.env["mailing.mailing"].create(
            {
                "subject": self.env._("Our new collection, picked for you"),
                "body_html": "<p>{}</p>".format(
                    self.env._("Discover the new season's products.")
                ),
                "mailing_model_id": self.env["ir.model"]._get_id("res.partner"),
                "campaign_id": self.id,
                "cou_segment_id": self.cou_segment_id.id,
            }
        )
        partners = self.env["res.partner"].browse(sorted(mailing._get_recipients()))
        self.cou_holdout_ids.write({"holdout_date": sent})
        # as stock mass_mailing records them: a click opens the mail too
        # (link.tracker.click.add_click), and each click is a link.tracker.click
        # row, so the mailing's and the campaign's Clicks buttons agree with
        # the traces
        traces = self.env["mailing.trace"].create(
            [
                {
                    "model": "res.partner",
                    "res_id": partner.id,
                    "mass_mailing_id": mailing.id,
                    "email": partner.email or f"{partner.id}@example.com",
                    "trace_status": "open" if index % 3 or index % 2 else "sent",
                    "sent_datetime": sent,
                    "open_datetime": sent + timedelta(hours=3)
                    if index % 3 or index % 2
                    else False,
                    "links_click_datetime": sent + timedelta(hours=4 + index)
                    if index % 2
                    else False,
                }
                for index, partner in enumerate(partners)
            ]
        )
        clicked = traces.filtered("links_click_datetime")
        if clicked:
            link = self.env["link.tracker"].create(
                {
                    "url": "https://www.example.com/new-collection",
                    "title": self.env._("New collection"),
                    "campaign_id": self.id,
                    "mass_mailing_id": mailing.id,
                    "source_id": mailing.source_id.id,
                    "medium_id": mailing.medium_id.id,
                }
            )
            self.env["link.tracker.click"].create(
                [
                    {
                        "link_id": link.id,
                        "mailing_trace_id": trace.id,
                        "mass_mailing_id": mailing.id,
                        "campaign_id": self.id,
                        "ip": f"192.0.2.{index % 250 + 1}",
                    }
                    for index, trace in enumerate(clicked)
                ]
            )
        mailing.write({"state": "done", "sent_date": sent})
        self.write(
            {
                "cou_date_start": sent.date(),
                "cou_date_end": (sent + timedelta(days=30)).date(),
            }
        )
        orders = self.env["sale.order"].search(
            [
                ("partner_id", "child_of", partners.ids),
                ("state", "=", "sale"),
                ("date_order", ">=", sent),
                ("date_order", "<", sent + timedelta(days=30)),
            ],
            order="date_order, id",
        )
        orders[::2].write(
            {
                "campaign_id": self.id,
                "source_id": mailing.source_id.id,
                "medium_id": mailing.medium_id.id,
            }
        )
        self._cou_attribute_orders(orders)
        return mailing
