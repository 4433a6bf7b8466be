import random
from datetime import datetime, time, timedelta

import numpy as np
from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models

# monthly mean temperature (°C) of a temperate climate, January first
DEMO_TEMPERATURES = (4.5, 5.0, 7.0, 9.5, 12.5, 15.5, 17.5, 17.0, 14.5, 11.0, 7.5, 5.0)


class CouForecastDriver(models.Model):
    """An external driver of demand (e.g. the monthly mean temperature) for a
    product category: its past values and the expected ones. The monthly and
    weekly forecasts of the category and of its products get a
    regression-on-the-driver candidate, kept only where it beats the others
    in the backtest (weeks take the mean of their days' monthly values)."""

    _name = "cou.forecast.driver"
    _description = "Forecast Driver"
    _order = "name, id"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    name = fields.Char(required=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        comodel_name="res.company",
        string="Company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    categ_id = fields.Many2one(
        comodel_name="product.category",
        string="Product Category",
        required=True,
        help="The driver applies to this category's forecast and to its products'.",
    )
    unit = fields.Char(help="Unit of the values, e.g. °C.")
    value_ids = fields.One2many(
        comodel_name="cou.forecast.driver.value",
        inverse_name="driver_id",
        string="Monthly Values",
        copy=True,
    )

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    @api.model
    def _cou_driver_arrays(self, company, periods, granularity="month"):
        """``{category id: array of the driver's values over periods}``
        (NaN where no value), for the company's active drivers, one query.

        Values are monthly; a weekly period gets the mean of its seven days'
        monthly values (a week across two months weighs each by its days in
        it), NaN when a month it touches has none."""
        if not periods:
            return {}
        last_day = periods[-1] + timedelta(days=6 if granularity == "week" else 0)
        rows = self.env["cou.forecast.driver.value"]._read_group(
            [
                ("driver_id.company_id", "=", company.id),
                ("driver_id.active", "=", True),
                ("period_start", ">=", periods[0].replace(day=1)),
                ("period_start", "<=", last_day),
            ],
            ["driver_id", "period_start:month"],
            ["value:avg"],
        )
        monthly = {}
        for driver, month, value in rows:
            month = month.date() if hasattr(month, "date") else month
            monthly.setdefault(driver.categ_id.id, {})[month] = value
        arrays = {}
        for categ_id, values in monthly.items():
            if granularity == "week":
                arrays[categ_id] = np.array(
                    [
                        np.mean(
                            [
                                values.get(
                                    (start + timedelta(days=d)).replace(day=1), np.nan
                                )
                                for d in range(7)
                            ]
                        )
                        for start in periods
                    ]
                )
            else:
                arrays[categ_id] = np.array(
                    [values.get(period, np.nan) for period in periods]
                )
        return arrays

    @api.model
    def _cou_demo_heat_wave(self, months=26, seed=42):
        """Demo data: a category of summer products (ice cream, cold
        drinks) whose sales follow the temperature, ``months`` months of
        confirmed orders, last summer's heat wave (+6 °C in July: sales
        surged) and a temperature driver holding the past months and the
        expected next six (a warm spell in the third one)."""
        rng = random.Random(seed)
        company = self.env.company
        today = fields.Date.context_today(self)
        current = today.replace(day=1)
        start = current - relativedelta(months=months)
        categ = self.env["product.category"].create(
            {"name": self.env._("Ice Cream & Cold Drinks")}
        )
        products = self.env["product.product"].create(
            [
                {
                    "name": name,
                    "categ_id": categ.id,
                    "type": "consu",
                    "is_storable": True,
                    "list_price": price,
                    "standard_price": price / 2,
                }
                for name, price in (
                    (self.env._("Vanilla Ice Cream Tub"), 4.5),
                    (self.env._("Sparkling Lemonade 1 L"), 1.8),
                )
            ]
        )
        # kiosks of their own: the demo company's customers keep the history
        # the core's demo plan gives them
        partners = self.env["res.partner"].create(
            [
                {
                    "name": self.env._("Beach Kiosk %(number)s", number=i),
                    "is_company": True,
                    "customer_rank": 1,
                }
                for i in range(1, 7)
            ]
        )
        heat_wave_year = current.year if current.month > 7 else current.year - 1
        temperatures = []
        for k in range(months + 6):
            month = start + relativedelta(months=k)
            value = DEMO_TEMPERATURES[month.month - 1] + rng.uniform(-1.0, 1.0)
            if month.month == 7 and month.year == heat_wave_year:
                value += 6.0  # last summer's heat wave
            if k == months + 2:
                value += 5.0  # the expected warm spell
            temperatures.append((month, round(value, 1)))
        self.create(
            {
                "name": self.env._("Mean temperature"),
                "categ_id": categ.id,
                "unit": "°C",
                "company_id": company.id,
                "value_ids": [
                    Command.create({"period_start": month, "value": value})
                    for month, value in temperatures
                ],
            }
        )
        # the demo records' names in every installed language
        for code, _name in self.env["res.lang"].get_installed():
            if code == "en_US":
                continue
            env = self.with_context(lang=code).env
            categ.with_context(lang=code).name = env._("Ice Cream & Cold Drinks")
            products[0].with_context(lang=code).name = env._("Vanilla Ice Cream Tub")
            products[1].with_context(lang=code).name = env._("Sparkling Lemonade 1 L")
        order_vals, dates = [], []
        for month, temperature in temperatures[:months]:
            demand = {
                product: max(0.0, base + slope * (temperature - 5.0))
                for product, base, slope in (
                    (products[0], 20, 14),
                    (products[1], 40, 9),
                )
            }
            for i in range(4):
                order_vals.append(
                    {
                        "partner_id": rng.choice(partners).id,
                        "company_id": company.id,
                        "order_line": [
                            Command.create(
                                {
                                    "product_id": product.id,
                                    "product_uom_qty": max(
                                        1, round(qty / 4 * rng.uniform(0.8, 1.2))
                                    ),
                                }
                            )
                            for product, qty in demand.items()
                        ],
                    }
                )
                dates.append(
                    datetime.combine(month.replace(day=3 + 7 * i), time(10, 0))
                )
        orders = self.env["sale.order"].create(order_vals)
        orders.action_confirm()
        for order, date in zip(orders, dates, strict=True):
            order.date_order = date
        return categ
