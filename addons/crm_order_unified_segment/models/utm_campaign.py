from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

DASHBOARD_FIELDS = [
    "cou_recipient_count",
    "cou_delivered_count",
    "cou_opened_count",
    "cou_clicked_count",
    "cou_order_count",
    "cou_customer_count",
    "cou_new_customer_count",
    "cou_revenue",
    "cou_roi",
    "cou_revenue_per_recipient",
    "cou_test_count",
    "cou_test_conversion",
    "cou_test_revenue_per_member",
    "cou_holdout_count",
    "cou_control_conversion",
    "cou_control_revenue_per_member",
    "cou_uplift",
    "cou_incremental_revenue",
]


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
    )
    # dashboard (one set of grouped queries for all campaigns, see
    # _compute_cou_dashboard)
    cou_recipient_count = fields.Integer(
        string="Recipients", compute="_compute_cou_dashboard"
    )
    cou_delivered_count = fields.Integer(
        string="Delivered", compute="_compute_cou_dashboard"
    )
    cou_opened_count = fields.Integer(string="Opened", compute="_compute_cou_dashboard")
    cou_clicked_count = fields.Integer(
        string="Clicked", compute="_compute_cou_dashboard"
    )
    cou_order_count = fields.Integer(
        string="Attributed Orders Count", compute="_compute_cou_dashboard"
    )
    cou_customer_count = fields.Integer(
        string="Customers", compute="_compute_cou_dashboard"
    )
    cou_new_customer_count = fields.Integer(
        string="New Customers",
        compute="_compute_cou_dashboard",
        help="Customers whose first confirmed order is attributed to this campaign.",
    )
    cou_revenue = fields.Monetary(
        string="Attributed Revenue",
        currency_field="currency_id",
        compute="_compute_cou_dashboard",
    )
    cou_roi = fields.Float(
        string="ROI (%)",
        digits=(16, 1),
        compute="_compute_cou_dashboard",
        help="(Attributed revenue - actual cost) / actual cost.",
    )
    cou_revenue_per_recipient = fields.Monetary(
        string="Revenue per Recipient",
        currency_field="currency_id",
        compute="_compute_cou_dashboard",
    )
    cou_test_count = fields.Integer(
        string="Mailed Customers", compute="_compute_cou_dashboard"
    )
    cou_test_conversion = fields.Float(
        string="Mailed: Ordering Rate (%)",
        digits=(16, 1),
        compute="_compute_cou_dashboard",
    )
    cou_test_revenue_per_member = fields.Monetary(
        string="Mailed: Revenue per Customer",
        currency_field="currency_id",
        compute="_compute_cou_dashboard",
    )
    cou_holdout_count = fields.Integer(
        string="Control Group Size", compute="_compute_cou_dashboard"
    )
    cou_control_conversion = fields.Float(
        string="Control: Ordering Rate (%)",
        digits=(16, 1),
        compute="_compute_cou_dashboard",
    )
    cou_control_revenue_per_member = fields.Monetary(
        string="Control: Revenue per Customer",
        currency_field="currency_id",
        compute="_compute_cou_dashboard",
    )
    cou_uplift = fields.Float(
        string="Uplift (points)",
        digits=(16, 1),
        compute="_compute_cou_dashboard",
        help="Ordering rate of the mailed customers minus that of the control group.",
    )
    cou_incremental_revenue = fields.Monetary(
        string="Incremental Revenue",
        currency_field="currency_id",
        compute="_compute_cou_dashboard",
        help="(Revenue per mailed customer - revenue per control customer) x mailed "
        "customers.",
    )

    # === COMPUTE METHODS === #
    def _compute_cou_dashboard(self):
        figures = self._get_cou_dashboard_figures()
        for campaign in self:
            values = figures.get(campaign.id, {})
            for name in DASHBOARD_FIELDS:
                campaign[name] = values.get(name, 0)

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
    def action_cou_view_attributed_orders(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id("sale.action_orders")
        action["domain"] = [("cou_attributed_campaign_id", "=", self.id)]
        action["context"] = {"create": False}
        return action

    # === BUSINESS METHODS === #
    def _get_cou_dashboard_figures(self):
        """{campaign id: {dashboard field: value}}: three grouped queries for
        the whole recordset (traces, attributed orders, test vs control)."""
        ids = [campaign_id for campaign_id in self.ids if campaign_id]
        if not ids:
            return {}
        self.env["mailing.trace"].flush_model()
        self.env["sale.order"].flush_model()
        self.env["cou.campaign.holdout"].flush_model()
        self.flush_recordset(["cou_cost", "company_id"])
        cr = self.env.cr
        figures = {campaign_id: {} for campaign_id in ids}
        cr.execute(
            SQL(
                """
                SELECT t.campaign_id,
                       COUNT(*),
                       COUNT(*) FILTER (WHERE t.trace_status IN ('sent', 'open',
                           'reply')),
                       COUNT(*) FILTER (WHERE t.trace_status IN ('open', 'reply')),
                       COUNT(*) FILTER (WHERE t.links_click_datetime IS NOT NULL),
                       COUNT(DISTINCT t.res_id) FILTER (WHERE t.model = 'res.partner'
                           AND t.trace_status != 'cancel')
                  FROM mailing_trace t
                 WHERE t.campaign_id = ANY(%s)
                 GROUP BY t.campaign_id
                """,
                ids,
            )
        )
        for (
            campaign_id,
            recipients,
            delivered,
            opened,
            clicked,
            mailed,
        ) in cr.fetchall():
            figures[campaign_id].update(
                cou_recipient_count=recipients,
                cou_delivered_count=delivered,
                cou_opened_count=opened,
                cou_clicked_count=clicked,
                cou_test_count=mailed,
            )
        cr.execute(
            SQL(
                """
                WITH att AS (
                    SELECT so.cou_attributed_campaign_id AS campaign_id,
                           p.commercial_partner_id AS partner_id,
                           COUNT(*) AS orders,
                           SUM(%(revenue)s) AS revenue,
                           MIN(so.date_order) AS first_date
                      FROM sale_order so
                      JOIN res_partner p ON p.id = so.partner_id
                     WHERE so.cou_attributed_campaign_id = ANY(%(ids)s) AND so.state =
                         'sale'
                     GROUP BY so.cou_attributed_campaign_id, p.commercial_partner_id
                )
                SELECT att.campaign_id, SUM(att.orders), COUNT(*), SUM(att.revenue),
                       COUNT(*) FILTER (WHERE NOT EXISTS (
                           SELECT 1 FROM sale_order o2
                             JOIN res_partner p2 ON p2.id = o2.partner_id
                            WHERE p2.commercial_partner_id = att.partner_id
                              AND o2.state = 'sale' AND o2.date_order < att.first_date))
                  FROM att
                 GROUP BY att.campaign_id
                """,
                revenue=self.env["sale.order"]._cou_order_revenue_sql("so"),
                ids=ids,
            )
        )
        for campaign_id, orders, customers, revenue, new_customers in cr.fetchall():
            figures[campaign_id].update(
                cou_order_count=orders,
                cou_customer_count=customers,
                cou_revenue=revenue or 0.0,
                cou_new_customer_count=new_customers,
            )
        # control group sizes and the period of each campaign (mailings, holdouts)
        cr.execute(
            SQL(
                """
                SELECT m.campaign_id, 0, MIN(LEAST(m.create_date, m.sent_date,
                    m.schedule_date)),
                       MAX(COALESCE(m.sent_date, now() AT TIME ZONE 'UTC'))
                  FROM mailing_mailing m
                 WHERE m.campaign_id = ANY(%(ids)s)
                 GROUP BY m.campaign_id
                 UNION ALL
                SELECT h.campaign_id, COUNT(*), MIN(h.holdout_date), MAX(h.holdout_date)
                  FROM cou_campaign_holdout h
                 WHERE h.campaign_id = ANY(%(ids)s)
                 GROUP BY h.campaign_id
                """,
                ids=ids,
            )
        )
        periods = {}
        for campaign_id, held, start, stop in cr.fetchall():
            if held:
                figures[campaign_id]["cou_holdout_count"] = held
            lo, hi = periods.get(campaign_id, (start, stop))
            periods[campaign_id] = (min(lo, start), max(hi, stop))
        # buyers: a member "ordered" when a confirmed order of theirs falls within
        # the attribution window after a mailing of the campaign reached them (or
        # after they were held out), whatever the order's attribution. From the
        # orders of the campaign's period (literal bounds: few rows, indexed) to
        # the traces and holdouts (indexed lookups).
        parts = []
        for campaign in self.filtered(lambda c: c.id in periods):
            span = timedelta(
                days=(
                    campaign.company_id or self.env.company
                ).cou_attribution_window_days
                or 0
            )
            lo, hi = periods[campaign.id]
            company = (
                SQL("AND so.company_id = %s", campaign.company_id.id)
                if campaign.company_id
                else SQL("")
            )
            parts.append(
                SQL(
                    """
                    SELECT %(campaign)s AS campaign_id, p.commercial_partner_id AS
                        partner_id,
                           so.date_order, %(span)s::interval AS span, %(revenue)s AS
                               revenue
                      FROM sale_order so
                      JOIN res_partner p ON p.id = so.partner_id
                     WHERE so.date_order >= %(lo)s AND so.date_order < %(hi)s AND
                         so.state = 'sale' %(company)s
                    """,
                    campaign=campaign.id,
                    span=span,
                    revenue=self.env["sale.order"]._cou_order_revenue_sql("so"),
                    lo=lo,
                    hi=hi + span,
                    company=company,
                )
            )
        if parts:
            cr.execute(
                SQL(
                    """
                    WITH orders AS MATERIALIZED (%(orders)s),
                    hits AS (
                        SELECT o.campaign_id, 'test' AS grp, o.partner_id, o.revenue
                          FROM orders o
                         WHERE EXISTS (
                               SELECT 1 FROM mailing_trace t
                                WHERE t.model = 'res.partner' AND t.res_id =
                                    o.partner_id
                                  AND t.campaign_id = o.campaign_id AND t.trace_status
                                      != 'cancel'
                                  AND COALESCE(t.sent_datetime, t.create_date) <=
                                      o.date_order
                                  AND COALESCE(t.sent_datetime, t.create_date) >
                                      o.date_order - o.span)
                         UNION ALL
                        SELECT o.campaign_id, 'control', o.partner_id, o.revenue
                          FROM orders o
                         WHERE EXISTS (
                               SELECT 1 FROM cou_campaign_holdout h
                                WHERE h.campaign_id = o.campaign_id AND h.partner_id =
                                    o.partner_id
                                  AND h.holdout_date <= o.date_order AND h.holdout_date
                                      > o.date_order - o.span)
                    )
                    SELECT campaign_id, grp, COUNT(DISTINCT partner_id), SUM(revenue)
                      FROM hits
                     GROUP BY campaign_id, grp
                    """,
                    orders=SQL(" UNION ALL ").join(parts),
                )
            )
            for campaign_id, group, buyers, revenue in cr.fetchall():
                values = figures[campaign_id]
                prefix = "cou_test" if group == "test" else "cou_control"
                members = values.get(
                    "cou_test_count" if group == "test" else "cou_holdout_count", 0
                )
                values[f"{prefix}_conversion"] = (
                    100.0 * buyers / members if members else 0.0
                )
                values[f"{prefix}_revenue_per_member"] = (
                    (revenue or 0.0) / members if members else 0.0
                )
        for campaign in self.filtered("id"):
            values = figures[campaign.id]
            revenue = values.get("cou_revenue", 0.0)
            recipients = values.get("cou_recipient_count", 0)
            values["cou_roi"] = (
                100.0 * (revenue - campaign.cou_cost) / campaign.cou_cost
                if campaign.cou_cost
                else 0.0
            )
            values["cou_revenue_per_recipient"] = (
                revenue / recipients if recipients else 0.0
            )
            if values.get("cou_holdout_count"):
                values["cou_uplift"] = values.get(
                    "cou_test_conversion", 0.0
                ) - values.get("cou_control_conversion", 0.0)
                values["cou_incremental_revenue"] = (
                    values.get("cou_test_revenue_per_member", 0.0)
                    - values.get("cou_control_revenue_per_member", 0.0)
                ) * values.get("cou_test_count", 0)
        return figures

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
                               COALESCE(o.campaign_id, touch.campaign_id) AS
                                   campaign_id,
                               CASE WHEN o.campaign_id IS NOT NULL THEN 'utm' ELSE
                                   touch.rule END AS rule,
                               CASE WHEN o.campaign_id IS NOT NULL THEN o.date_order
                                   ELSE touch.touch_date END
                                   AS touch_date
                          FROM sale_order o
                          JOIN res_partner p ON p.id = o.partner_id
                          LEFT JOIN LATERAL (
                              SELECT t.campaign_id, tt.rule, tt.touch_date
                                FROM res_partner tp
                                JOIN mailing_trace t
                                  ON t.model = 'res.partner' AND t.res_id = tp.id AND
                                      t.campaign_id IS NOT NULL
                               CROSS JOIN LATERAL (
                                   VALUES ('mailing_click', t.links_click_datetime, 1),
                                          ('mailing_received',
                                           CASE WHEN t.trace_status IN ('sent', 'open',
                                               'reply')
                                                THEN t.sent_datetime END, 2)
                               ) AS tt(rule, touch_date, priority)
                               WHERE o.campaign_id IS NULL
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
        self.env["mailing.trace"].create(
            [
                {
                    "model": "res.partner",
                    "res_id": partner.id,
                    "mass_mailing_id": mailing.id,
                    "email": partner.email or f"{partner.id}@example.com",
                    "trace_status": "open" if index % 3 else "sent",
                    "sent_datetime": sent,
                    "open_datetime": sent + timedelta(hours=3) if index % 3 else False,
                    "links_click_datetime": sent + timedelta(hours=4 + index)
                    if index % 2
                    else False,
                }
                for index, partner in enumerate(partners)
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
