import json
import logging
from datetime import timedelta

import numpy as np
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import SQL, create_index

from .. import engine

_logger = logging.getLogger(__name__)

SEASON_LENGTH = {"month": 12, "week": 52}
HISTORY_PERIODS = {"month": 36, "week": 156}  # history read for fitting
ACTUAL_PERIODS = {"month": 12, "week": 26}  # past periods stored beside the forecast
LEVELS = ("total", "category", "segment", "product")
LOCK_NAMESPACE = 0x636F75  # "cou": pg_try_advisory_lock(namespace, key)


class CouForecast(models.Model):
    """One forecast (or one past actual) of one series and one period.

    A series is the company total, a product category, a customer segment or
    a product, at a granularity (month or week). :meth:`_run_forecast` reads
    the confirmed order lines dated before ``as_of``, lets the engine
    (``engine/``) choose each series' method by rolling-origin backtest and
    stores, per series, ``horizon`` forecast rows from the period holding
    ``as_of`` (the partial current period is forecast, never fitted) and the
    actuals of the last periods for the actual-versus-forecast views. The
    rows of a run are kept: a run for a past ``as_of`` shows what the model
    would have said then; ``is_latest`` marks each company's newest run.
    """

    _name = "cou.forecast"
    _description = "Order Forecast"
    _order = "as_of desc, level, period_start, id"
    _rec_name = "period_start"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    company_id = fields.Many2one(
        comodel_name="res.company",
        string="Company",
        required=True,
        readonly=True,
        index=True,
    )
    currency_id = fields.Many2one(related="company_id.currency_id", string="Currency")
    as_of = fields.Date(
        required=True,
        readonly=True,
        help="The date whose data the forecast used.",
    )
    is_latest = fields.Boolean(string="Latest Run", readonly=True, index=True)
    granularity = fields.Selection(
        selection=[("month", "Month"), ("week", "Week")],
        required=True,
        readonly=True,
    )
    level = fields.Selection(
        selection=[
            ("total", "Company Total"),
            ("category", "Product Category"),
            ("segment", "Customer Segment"),
            ("product", "Product"),
        ],
        required=True,
        readonly=True,
    )
    row_type = fields.Selection(
        selection=[("actual", "Actual"), ("forecast", "Forecast")],
        required=True,
        readonly=True,
        default="forecast",
    )
    product_id = fields.Many2one(
        comodel_name="product.product",
        string="Product",
        readonly=True,
        index="btree_not_null",
    )
    categ_id = fields.Many2one(
        comodel_name="product.category", string="Product Category", readonly=True
    )
    segment_id = fields.Many2one(
        comodel_name="cou.segment", string="Customer Segment", readonly=True
    )
    period_start = fields.Date(string="Period", required=True, readonly=True)
    forecast_orders = fields.Float(digits=(16, 1), readonly=True)
    forecast_qty = fields.Float(
        string="Forecast Quantity", digits="Product Unit of Measure", readonly=True
    )
    forecast_revenue = fields.Monetary(readonly=True)
    lower_qty = fields.Float(
        string="Quantity Low",
        digits="Product Unit of Measure",
        readonly=True,
        help="Lower bound of the 80% prediction interval of the quantity.",
    )
    upper_qty = fields.Float(
        string="Quantity High",
        digits="Product Unit of Measure",
        readonly=True,
        help="Upper bound of the 80% prediction interval of the quantity.",
    )
    actual_orders = fields.Float(digits=(16, 1), readonly=True)
    actual_qty = fields.Float(
        string="Actual Quantity", digits="Product Unit of Measure", readonly=True
    )
    actual_revenue = fields.Monetary(readonly=True)
    chart_qty = fields.Float(
        string="Quantity",
        digits="Product Unit of Measure",
        readonly=True,
        help="The actual quantity on an actual row, the forecast on a forecast row "
        "(for the graphs).",
    )
    chart_revenue = fields.Monetary(
        string="Revenue",
        readonly=True,
        help="The actual revenue on an actual row, the forecast on a forecast row "
        "(for the graphs).",
    )
    chart_orders = fields.Float(string="Orders", digits=(16, 1), readonly=True)
    last_year_revenue = fields.Monetary(
        string="Revenue Last Year",
        readonly=True,
        help="Actual revenue of the same period one year earlier.",
    )
    below_last_year = fields.Boolean(
        readonly=True,
        help="The series' forecast revenue over the horizon is below the same "
        "periods of last year.",
    )
    method = fields.Char(
        readonly=True,
        help="Method chosen for the series by rolling-origin backtest on its own past "
        "(a + joins the methods of a combination).",
    )
    series_kind = fields.Selection(
        selection=[
            ("smooth", "Regular"),
            ("intermittent", "Intermittent"),
            ("new", "New"),
            ("inactive", "No Longer Sold"),
            ("empty", "No Sales"),
        ],
        string="Demand Pattern",
        readonly=True,
    )
    backtest_smape = fields.Float(
        string="Backtest sMAPE (%)",
        digits=(16, 1),
        readonly=True,
        help="Symmetric mean absolute percentage error (0-200) of the chosen "
        "method on the "
        "series' own past, on the quantity. Empty: too little history to backtest.",
    )
    backtest_mase = fields.Float(
        string="Backtest MASE",
        digits=(16, 2),
        readonly=True,
        help="Mean absolute error of the chosen method on the series' own past, "
        "divided by the "
        "error of the seasonal-naive forecast: below 1 beats it.",
    )

    def init(self):
        create_index(
            self.env.cr,
            "cou_forecast_run_idx",
            self._table,
            ["company_id", "granularity", "as_of", "level"],
        )

    # ------------------------------------------------------------
    # ACTION METHODS
    # ------------------------------------------------------------

    @api.model
    def action_recompute(self):
        """Recompute the monthly and weekly forecasts of the current company now."""
        self.check_access("create")
        company = self.env.company
        for granularity in ("month", "week"):
            self.sudo()._run_forecast(company, granularity=granularity)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._(
                    "Forecasts of %(company)s recomputed.", company=company.name
                ),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    @api.model
    def action_open_replenishment(self):
        """Replenishment proposal from the latest monthly product forecasts."""
        return self.env["stock.warehouse.orderpoint"].action_cou_propose_from_forecast()

    def action_suggest_campaign(self):
        """Open a mailing to the customers who bought the category last year."""
        self.ensure_one()
        categ = self.categ_id
        date_from = self.as_of - relativedelta(years=1)
        partners = self.env["sale.order.line"]._read_group(
            [
                ("order_id.state", "=", "sale"),
                ("order_id.company_id", "=", self.company_id.id),
                ("order_id.date_order", ">=", date_from),
                ("order_id.date_order", "<", self.as_of),
                ("product_id.categ_id", "child_of", categ.id),
            ],
            ["order_partner_id"],
        )
        customers = (
            self.env["res.partner"]
            .browse([row[0].id for row in partners])
            .commercial_partner_id
        )
        segment = self.env["cou.segment"].create(
            {
                "name": self.env._(
                    "Bought %(category)s (campaign suggestion)",
                    category=categ.display_name,
                ),
                "segment_type": "static",
                "static_partner_ids": [fields.Command.set(customers.ids)],
                "company_id": self.company_id.id,
            }
        )
        return segment.action_create_mailing()

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    @api.model
    def _cou_period_start(self, day, granularity):
        if granularity == "week":
            return day - timedelta(days=day.weekday())
        return day.replace(day=1)

    @api.model
    def _cou_periods(self, start, count, granularity):
        step = (
            relativedelta(weeks=1) if granularity == "week" else relativedelta(months=1)
        )
        return [start + step * k for k in range(count)]

    @api.model
    def _cou_demo_run_forecast(self):
        """Demo data: the forecasts of the current company."""
        for granularity in ("month", "week"):
            self._run_forecast(self.env.company, granularity=granularity)

    @api.model
    def _cron_run_forecast(self, horizon=6):
        """Scheduled: recompute every company's monthly and weekly forecasts
        as a job run (cou.job.chunk): each company and granularity is a chunk
        that any cron worker of any server may take, in its own transaction;
        a company whose run another worker holds is skipped."""
        return self.env["cou.job.chunk"]._cou_run_job(
            "forecast",
            [
                [
                    {
                        "model": "cou.forecast",
                        "method": "_cou_job_run_forecast",
                        "kwargs": {
                            "company_id": company.id,
                            "granularity": granularity,
                            "horizon": horizon,
                        },
                        "company_id": company.id,
                    }
                    for company in self.env["res.company"].search([])
                    for granularity in ("month", "week")
                ]
            ],
        )

    @api.model
    def _cou_job_run_forecast(self, company_id, granularity, horizon):
        """A chunk of the forecast run: one company and granularity."""
        company = self.env["res.company"].browse(company_id)
        self._run_forecast(company, granularity=granularity, horizon=horizon)

    @api.model
    def _run_forecast(
        self,
        company,
        as_of=None,
        granularity="month",
        horizon=6,
        commit=False,
        chunk_size=500,
    ):
        """Compute and store the forecasts of every level of ``company`` from
        the confirmed orders dated before ``as_of`` (default: today), and its
        customers' reorder probabilities as of that date.

        Safe with several workers: the run of one company and granularity
        holds a PostgreSQL advisory lock; a second run finding it taken
        returns False at once. ``commit`` commits after each chunk of
        ``chunk_size`` series (cron); the run's rows become the latest only at
        the end.

        :return: number of series forecast, or False when another run holds the lock
        """
        as_of = fields.Date.to_date(as_of) or fields.Date.context_today(self)
        horizon = max(1, min(int(horizon), 6))
        lock_key = company.id * 2 + (1 if granularity == "week" else 0)
        self.env.cr.execute(
            SQL("SELECT pg_try_advisory_lock(%s, %s)", LOCK_NAMESPACE, lock_key)
        )
        if not self.env.cr.fetchone()[0]:
            _logger.info(
                "Forecast of company %s (%s) already running in another worker",
                company.id,
                granularity,
            )
            return False
        try:
            count = self._cou_run_forecast_locked(
                company, as_of, granularity, horizon, commit, chunk_size
            )
        finally:
            self.env.cr.execute(
                SQL("SELECT pg_advisory_unlock(%s, %s)", LOCK_NAMESPACE, lock_key)
            )
        return count

    def _cou_run_forecast_locked(
        self, company, as_of, granularity, horizon, commit, chunk_size
    ):
        m = SEASON_LENGTH[granularity]
        current = self._cou_period_start(as_of, granularity)
        length = HISTORY_PERIODS[granularity]
        step = (
            relativedelta(weeks=length)
            if granularity == "week"
            else relativedelta(months=length)
        )
        history = self._cou_periods(current - step, length, granularity)
        future = self._cou_periods(current, horizon, granularity)
        self.flush_model()
        self.env.cr.execute(
            SQL(
                "DELETE FROM cou_forecast"
                " WHERE company_id = %s AND granularity = %s AND as_of = %s",
                company.id,
                granularity,
                as_of,
            )
        )
        count = 0
        drivers = self.env["cou.forecast.driver"]._cou_driver_arrays(
            company, history + future, granularity
        )
        for level in LEVELS:
            # the partial current period is never fitted: data up to its start
            # a segment's series: the history of its members at the end of as_of
            rows = self.env["sale.order"]._cou_forecast_series_rows(
                company,
                history[0],
                current,
                granularity,
                level,
                members_at=as_of + timedelta(days=1),
            )
            series = self._cou_build_series(rows, history)
            keys = sorted(series, key=lambda k: (k is not None, k or 0))
            categ_of = {}
            if level == "product" and drivers:
                products = (
                    self.env["product.product"]
                    .browse(keys)
                    .with_context(active_test=False)
                )
                categ_of = {product.id: product.categ_id.id for product in products}
            if level == "total" and not keys:
                keys, series = [None], {None: np.zeros((3, len(history)))}
            for start in range(0, len(keys), chunk_size):
                values = []
                for key in keys[start : start + chunk_size]:
                    values.extend(
                        self._cou_forecast_one(
                            level,
                            key,
                            series[key],
                            history,
                            future,
                            m,
                            horizon,
                            drivers.get(
                                categ_of.get(key) if level == "product" else key
                            )
                            if level in ("product", "category")
                            else None,
                        )
                    )
                self._cou_insert_rows(company, as_of, granularity, values)
                count += len(keys[start : start + chunk_size])
                if commit:
                    self.env.cr.commit()  # pylint: disable=invalid-commit (batch cron: keep each chunk)
        self.env.cr.execute(
            SQL(
                """UPDATE cou_forecast SET is_latest = (as_of = %(as_of)s)
                    WHERE company_id = %(company)s AND granularity = %(granularity)s
                      AND (is_latest OR as_of = %(as_of)s)""",
                as_of=as_of,
                company=company.id,
                granularity=granularity,
            )
        )
        if granularity == "month":
            self.env["res.partner"]._cou_compute_reorder_probability(company, as_of)
        self.invalidate_model()
        if commit:
            self.env.cr.commit()  # pylint: disable=invalid-commit (batch cron: keep each chunk)
        return count

    @api.model
    def _cou_build_series(self, rows, history):
        """``{key: array (orders, quantity, revenue) x periods}`` from grouped rows."""
        index = {period: i for i, period in enumerate(history)}
        series = {}
        for key, period, orders, qty, revenue in rows:
            if period not in index:
                continue
            data = series.setdefault(key, np.zeros((3, len(history))))
            data[:, index[period]] = (orders or 0.0, qty or 0.0, revenue or 0.0)
        return series

    @api.model
    def _cou_forecast_one(
        self, level, key, data, history, future, m, horizon, driver=None
    ):
        """The rows of one series: its last actuals and its forecasts.

        :param driver: values of the series' external driver over
            ``history + future`` (NaN where unknown), or None"""
        orders, qty, revenue = (np.maximum(row, 0.0) for row in data)
        aggregate = level != "product"
        result = engine.forecast_series(
            qty, m, horizon, fast=not aggregate, aggregate=aggregate, driver=driver
        )
        if not aggregate:
            # a product's orders and revenue follow its quantity forecast at
            # its last season's revenue and orders per unit: no second and
            # third fit for each of thousands of products
            f_orders = result.mean * self._cou_per_unit(orders, qty, m)
            f_revenue = result.mean * self._cou_per_unit(revenue, qty, m)
        else:
            f_orders = engine.forecast_series(
                orders, m, horizon, aggregate=True, driver=driver
            ).mean
            f_revenue = engine.forecast_series(
                revenue, m, horizon, aggregate=True, driver=driver
            ).mean
        key_field = {
            "product": "product_id",
            "category": "categ_id",
            "segment": "segment_id",
        }.get(level)
        base = {
            "level": level,
            "product_id": None,
            "categ_id": None,
            "segment_id": None,
        }
        if key_field:
            base[key_field] = key
        n = len(history)
        last_year = [
            revenue[n - m + k] if n - m + k < n else 0.0 for k in range(horizon)
        ]
        below = bool(sum(last_year) > 0 and float(np.sum(f_revenue)) < sum(last_year))
        rows = []
        for k in range(max(0, n - ACTUAL_PERIODS["week" if m == 52 else "month"]), n):
            if not (orders[k] or qty[k] or revenue[k]) and level == "product":
                continue
            rows.append(
                {
                    **base,
                    "row_type": "actual",
                    "period_start": history[k].isoformat(),
                    "actual_orders": float(orders[k]),
                    "actual_qty": float(qty[k]),
                    "actual_revenue": float(revenue[k]),
                    "chart_orders": float(orders[k]),
                    "chart_qty": float(qty[k]),
                    "chart_revenue": float(revenue[k]),
                }
            )
        for k, period in enumerate(future):
            rows.append(
                {
                    **base,
                    "row_type": "forecast",
                    "period_start": period.isoformat(),
                    "forecast_orders": float(f_orders[k]),
                    "forecast_qty": float(result.mean[k]),
                    "forecast_revenue": float(f_revenue[k]),
                    "chart_orders": float(f_orders[k]),
                    "chart_qty": float(result.mean[k]),
                    "chart_revenue": float(f_revenue[k]),
                    "lower_qty": float(result.lower[k]),
                    "upper_qty": float(result.upper[k]),
                    "last_year_revenue": float(last_year[k]),
                    "below_last_year": below,
                    "method": result.method,
                    "series_kind": result.kind,
                    "backtest_smape": result.smape,
                    "backtest_mase": result.mase,
                }
            )
        return rows

    @api.model
    def _cou_per_unit(self, values, qty, m):
        """``values`` per unit of quantity over the last season (over the
        whole series when the last season sold nothing; 0 without sales)."""
        for window in (slice(-m, None), slice(None)):
            sold = float(np.sum(qty[window]))
            if sold > 0:
                return float(np.sum(values[window])) / sold
        return 0.0

    @api.model
    def _cou_insert_rows(self, company, as_of, granularity, values):
        """Write the rows in one ``INSERT`` (tens of thousands per run)."""
        if not values:
            return
        columns = {
            "level": "varchar",
            "row_type": "varchar",
            "product_id": "int",
            "categ_id": "int",
            "segment_id": "int",
            "period_start": "date",
            "forecast_orders": "float8",
            "forecast_qty": "float8",
            "forecast_revenue": "numeric",
            "lower_qty": "float8",
            "upper_qty": "float8",
            "actual_orders": "float8",
            "actual_qty": "float8",
            "actual_revenue": "numeric",
            "chart_orders": "float8",
            "chart_qty": "float8",
            "chart_revenue": "numeric",
            "last_year_revenue": "numeric",
            "below_last_year": "bool",
            "method": "varchar",
            "series_kind": "varchar",
            "backtest_smape": "float8",
            "backtest_mase": "float8",
        }
        names = SQL(", ").join(SQL.identifier(name) for name in columns)
        self.env.cr.execute(
            SQL(
                """INSERT INTO cou_forecast (
                          company_id, as_of, granularity, is_latest,
                          create_uid, create_date, write_uid, write_date, %(names)s)
                   SELECT %(company)s, %(as_of)s, %(granularity)s, FALSE,
                          %(uid)s, now() AT TIME ZONE 'UTC',
                          %(uid)s, now() AT TIME ZONE 'UTC', %(names)s
                     FROM jsonb_to_recordset(%(data)s::jsonb) AS r(%(definition)s)""",
                names=names,
                company=company.id,
                as_of=as_of,
                granularity=granularity,
                uid=self.env.uid,
                data=json.dumps(values),
                definition=SQL(", ").join(
                    SQL("%s %s", SQL.identifier(name), SQL(sql_type))
                    for name, sql_type in columns.items()
                ),
            )
        )
