from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import SQL

# months of segment entries shown on the dashboard
SEGMENT_MOVE_MONTHS = 6
CAMPAIGN_CHART_SIZE = 10


class CouDashboard(models.AbstractModel):
    """Segments and campaigns on the Customer Hub dashboard: customers by
    segment now, the customers who entered each RFM segment month by month
    (from the membership history), and campaign return (attributed revenue
    against the campaign's actual cost)."""

    _inherit = "cou.dashboard"

    @api.model
    def _cou_dashboard_sections(self, companies):
        sections = super()._cou_dashboard_sections(companies)
        if self.env["cou.segment.member"].has_access("read"):
            sections.append(self._cou_segment_section(companies))
        if self._cou_can_see_revenue() and self.env["utm.campaign"].has_access("read"):
            sections.append(self._cou_campaign_section(companies))
        return sections

    # segments

    @api.model
    def _cou_segment_section(self, companies):
        """Two grouped reads of the memberships of ``companies``: the current
        ones by segment, the entries into RFM segments by month."""
        _ = self.env._
        Member = self.env["cou.segment.member"]
        xmlid = "crm_order_unified_segment.cou_segment_member_action_history"
        current = [("company_id", "in", companies.ids), ("date_to", "=", False)]
        by_segment = Member._read_group(current, ["segment_id"], ["__count"])
        by_segment.sort(key=lambda group: -group[1])
        views = ["list", "pivot", "graph"]
        segment_actions = [
            self._cou_action(
                xmlid,
                _("Customers in %(segment)s", segment=segment.display_name),
                [*current, ("segment_id", "=", segment.id)],
                views,
            )
            for segment, _count in by_segment
        ]
        # entries into RFM segments, month by month (this month to date)
        today = self._cou_today()
        months = [
            today.replace(day=1) - relativedelta(months=SEGMENT_MOVE_MONTHS - 1 - i)
            for i in range(SEGMENT_MOVE_MONTHS)
        ]
        moves_domain = [
            ("company_id", "in", companies.ids),
            ("segment_id.segment_type", "=", "rfm"),
            ("date_from", ">=", fields.Datetime.to_string(self._cou_utc(months[0]))),
        ]
        moves = Member._read_group(
            moves_domain, ["segment_id", "date_from:month"], ["__count"]
        )
        lang = self.env["res.lang"]._lang_get(self.env.lang or "en_US")
        labels = [self._cou_month_label(month, lang) for month in months]
        counts = {}
        for segment, month, count in moves:
            counts.setdefault(segment, {})[month.date().replace(day=1)] = count
        datasets = []
        for segment in sorted(counts, key=lambda s: (s.sequence, s.id)):
            actions = []
            for month, label in zip(months, labels, strict=True):
                actions.append(
                    self._cou_action(
                        xmlid,
                        _(
                            "Entered %(segment)s in %(month)s",
                            segment=segment.display_name,
                            month=label,
                        ),
                        [
                            ("company_id", "in", companies.ids),
                            ("segment_id", "=", segment.id),
                            (
                                "date_from",
                                ">=",
                                fields.Datetime.to_string(self._cou_utc(month)),
                            ),
                            (
                                "date_from",
                                "<",
                                fields.Datetime.to_string(
                                    self._cou_utc(month + relativedelta(months=1))
                                ),
                            ),
                        ],
                        views,
                    )
                )
            datasets.append(
                {
                    "label": segment.display_name,
                    "data": [counts[segment].get(month, 0) for month in months],
                    "actions": actions,
                    "stack": "moves",
                }
            )
        return {
            "key": "segments",
            "title": _("Segments"),
            "sequence": 40,
            "cards": [],
            "charts": [
                {
                    "key": "segments_customers",
                    "title": _("Customers by Segment"),
                    "type": "bar",
                    "format": "integer",
                    "labels": [segment.display_name for segment, _c in by_segment],
                    "datasets": [
                        {
                            "label": _("Customers"),
                            "data": [count for _s, count in by_segment],
                            "actions": segment_actions,
                        }
                    ],
                    "tooltip": _(
                        "Current members of each segment (a customer can be in "
                        "several segments, one RFM segment)."
                    ),
                    "empty": "" if by_segment else _("No segment member yet."),
                },
                {
                    "key": "segments_moves",
                    "title": _("Customers Entering each RFM Segment"),
                    "type": "bar",
                    "format": "integer",
                    "labels": labels,
                    "datasets": datasets,
                    "tooltip": _(
                        "Customers who entered each RFM segment in each of the "
                        "last %(months)s months (from the segment history: a "
                        "customer moving from one RFM segment to another enters "
                        "the new one).",
                        months=SEGMENT_MOVE_MONTHS,
                    ),
                    "empty": "" if datasets else _("No segment move yet."),
                },
            ],
        }

    # campaigns

    @api.model
    def _cou_campaign_section(self, companies):
        """Attributed revenue per campaign (one grouped query on the orders)
        beside the campaign's actual cost."""
        _ = self.env._
        query, revenue = self._cou_order_query(
            companies, [("cou_attributed_campaign_id", "!=", False)]
        )
        campaign_col = SQL.identifier(query.table, "cou_attributed_campaign_id")
        company_col = SQL.identifier(query.table, "company_id")
        query.groupby = SQL("%s, %s", campaign_col, company_col)
        self.env.cr.execute(
            query.select(campaign_col, company_col, SQL("SUM(%s)", revenue))
        )
        by_campaign = {}
        for campaign_id, company_id, amount in self.env.cr.fetchall():
            by_campaign.setdefault(campaign_id, {})[company_id] = amount
        revenues = {
            campaign_id: self._cou_convert(amounts)
            for campaign_id, amounts in by_campaign.items()
        }
        campaigns = self.env["utm.campaign"].browse(revenues).exists()
        campaigns = campaigns.sorted(lambda c: -revenues[c.id])
        target = self.env.company.currency_id
        costs = {
            campaign.id: campaign.currency_id._convert(
                campaign.cou_cost or 0.0,
                target,
                self.env.company,
                self._cou_today(),
                round=False,
            )
            if campaign.currency_id
            else campaign.cou_cost or 0.0
            for campaign in campaigns
        }
        total_revenue = sum(revenues[c.id] for c in campaigns)
        total_cost = sum(costs.values())
        order_domain = [
            *self._cou_order_domain(companies),
            ("cou_attributed_campaign_id", "!=", False),
        ]
        orders_xmlid = "sale.action_orders"
        campaigns_xmlid = (
            "crm_order_unified_segment.utm_campaign_action_crm_order_unified"
        )
        shown = campaigns[:CAMPAIGN_CHART_SIZE]
        revenue_tooltip = _(
            "Attributed revenue: ordered revenue (untaxed amount of the confirmed "
            "orders in company currency, returns left out) of the orders attributed "
            "to a campaign."
        )
        cards = [
            {
                "key": "campaign_revenue",
                "label": _("Campaign Revenue"),
                "value": total_revenue,
                "format": "monetary",
                "subtitle": _("%(count)s campaigns", count=len(campaigns)),
                "tooltip": revenue_tooltip,
                "action": self._cou_action(
                    orders_xmlid, _("Orders Attributed to a Campaign"), order_domain
                ),
            }
        ]
        if total_cost:
            cards.append(
                {
                    "key": "campaign_roi",
                    "label": _("Campaign ROI"),
                    "value": (total_revenue - total_cost) / total_cost,
                    "format": "percent",
                    "subtitle": _("Cost: %(cost)s", cost=target.format(total_cost)),
                    "tooltip": _(
                        "(Campaign revenue - actual cost) / actual cost, over the "
                        "campaigns with attributed orders. Opens those campaigns."
                    ),
                    "action": self._cou_action(
                        campaigns_xmlid,
                        _("Campaigns"),
                        [("id", "in", campaigns.ids)],
                        ["list", "form"],
                    ),
                }
            )
        datasets = [
            {
                "label": _("Campaign Revenue"),
                "data": [revenues[c.id] for c in shown],
                "actions": [
                    self._cou_action(
                        orders_xmlid,
                        _("Orders Attributed to %(campaign)s", campaign=c.display_name),
                        [
                            *self._cou_order_domain(companies),
                            ("cou_attributed_campaign_id", "=", c.id),
                        ],
                    )
                    for c in shown
                ],
            }
        ]
        if total_cost:
            datasets.append(
                {
                    "label": _("Actual Cost"),
                    "data": [costs[c.id] for c in shown],
                    "actions": [
                        {
                            "type": "ir.actions.act_window",
                            "res_model": "utm.campaign",
                            "res_id": c.id,
                            "views": [(False, "form")],
                        }
                        for c in shown
                    ],
                }
            )
        return {
            "key": "campaigns",
            "title": _("Campaign Return"),
            "sequence": 50,
            "cards": cards,
            "charts": [
                {
                    "key": "campaign_return",
                    "title": _("Campaign Revenue and Cost"),
                    "type": "bar",
                    "format": "monetary",
                    "labels": [c.display_name for c in shown],
                    "datasets": datasets,
                    "tooltip": revenue_tooltip,
                    "empty": ""
                    if shown
                    else _("No order attributed to a campaign yet."),
                }
            ],
        }
