from odoo import api, fields, models

FORECAST_MONTHS = 6


class CouDashboard(models.AbstractModel):
    """The forecast on the Customer Hub dashboard, once forecasts exist: the
    forecast revenue of the company total for the next months, with its
    80 % interval."""

    _inherit = "cou.dashboard"

    @api.model
    def _cou_dashboard_sections(self, companies):
        sections = super()._cou_dashboard_sections(companies)
        if self._cou_can_see_revenue() and self.env["cou.forecast"].has_access("read"):
            section = self._cou_forecast_section(companies)
            if section:
                sections.append(section)
        return sections

    @api.model
    def _cou_forecast_domain(self, companies):
        """The latest monthly forecast rows of the company total, from this
        month on."""
        return [
            ("company_id", "in", companies.ids),
            ("is_latest", "=", True),
            ("granularity", "=", "month"),
            ("level", "=", "total"),
            ("row_type", "=", "forecast"),
            (
                "period_start",
                ">=",
                fields.Date.to_string(self._cou_today().replace(day=1)),
            ),
        ]

    @api.model
    def _cou_forecast_section(self, companies):
        """One grouped read of the forecast rows by period and company; None
        while there is no forecast. The interval of the revenue is the
        forecast's 80 % interval of the quantity, applied to the revenue in
        proportion (the forecast keeps its interval on the quantity)."""
        _ = self.env._
        domain = self._cou_forecast_domain(companies)
        groups = self.env["cou.forecast"]._read_group(
            domain,
            ["period_start:month", "company_id"],
            [
                "forecast_revenue:sum",
                "forecast_qty:sum",
                "lower_qty:sum",
                "upper_qty:sum",
            ],
        )
        if not groups:
            return None
        periods = {}
        for month, company, revenue, qty, lower, upper in groups:
            ratio_low = lower / qty if qty else 1.0
            ratio_high = upper / qty if qty else 1.0
            values = periods.setdefault(month, {"revenue": {}, "low": {}, "high": {}})
            values["revenue"][company.id] = revenue
            values["low"][company.id] = revenue * ratio_low
            values["high"][company.id] = revenue * ratio_high
        months = sorted(periods)[:FORECAST_MONTHS]
        lang = self.env["res.lang"]._lang_get(self.env.lang or "en_US")
        labels = [self._cou_month_label(month, lang) for month in months]
        series = {
            key: [self._cou_convert(periods[month][key]) for month in months]
            for key in ("revenue", "low", "high")
        }
        xmlid = "crm_order_unified_forecast.cou_forecast_action"
        actions = [
            self._cou_action(
                xmlid,
                _("Forecast of %(month)s", month=label),
                [
                    *[leaf for leaf in domain if leaf[0] != "period_start"],
                    ("period_start", "=", fields.Date.to_string(month)),
                ],
                ["list", "graph", "pivot"],
            )
            for month, label in zip(months, labels, strict=True)
        ]
        all_action = self._cou_action(
            xmlid,
            _("Revenue Forecast"),
            [
                *[leaf for leaf in domain if leaf[0] != "period_start"],
                ("period_start", ">=", fields.Date.to_string(months[0])),
                ("period_start", "<=", fields.Date.to_string(months[-1])),
            ],
            ["graph", "list", "pivot"],
        )
        tooltip = _(
            "Forecast ordered revenue of the company total (latest monthly forecast), "
            "with its 80% interval (the interval of the forecast quantity applied "
            "to the revenue)."
        )
        return {
            "key": "forecast",
            "title": _("Forecast"),
            "sequence": 60,
            "cards": [
                {
                    "key": "forecast_next",
                    "label": _("Forecast Revenue, %(month)s", month=labels[0]),
                    "value": series["revenue"][0],
                    "format": "monetary",
                    "subtitle": _(
                        "Next %(count)s months: %(amount)s",
                        count=len(months),
                        amount=self.env.company.currency_id.format(
                            sum(series["revenue"])
                        ),
                    ),
                    "tooltip": tooltip,
                    "action": actions[0],
                },
            ],
            "charts": [
                {
                    "key": "forecast_revenue",
                    "title": _("Revenue Forecast, Next Months"),
                    "type": "line",
                    "format": "monetary",
                    "labels": labels,
                    "datasets": [
                        {
                            "label": _("Forecast Revenue"),
                            "data": series["revenue"],
                            "actions": actions,
                        },
                        {
                            "label": _("Low (80%)"),
                            "data": series["low"],
                            "actions": actions,
                        },
                        {
                            "label": _("High (80%)"),
                            "data": series["high"],
                            "actions": actions,
                        },
                    ],
                    "tooltip": tooltip,
                    "action": all_action,
                }
            ],
        }
