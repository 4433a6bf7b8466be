"""Shared test base of crm_order_unified_forecast.

``CouForecastCommon`` adds to the core's ``CouCommon`` (two companies,
customers, one user per role) two product categories with a storable product
each, a forecast planner, and helpers that create confirmed orders in bulk
through the ORM, one per row, dated afterwards as the history import does.
"""

from datetime import date, datetime

from dateutil.relativedelta import relativedelta

from odoo import Command
from odoo.tests import new_test_user, tagged

from odoo.addons.crm_order_unified.tests.common import CouCommon


@tagged("post_install", "-at_install")
class CouForecastCommon(CouCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Category = cls.env["product.category"]
        cls.categ_drinks = Category.create({"name": "COU Cold Drinks"})
        cls.categ_tea = Category.create({"name": "COU Hot Tea"})
        product_vals = {
            "type": "consu",
            "is_storable": True,
            "list_price": 2.0,
            "taxes_id": [Command.clear()],
            "company_id": False,
        }
        cls.product_lemonade = cls.env["product.product"].create(
            {**product_vals, "name": "COU Lemonade", "categ_id": cls.categ_drinks.id}
        )
        cls.product_tea = cls.env["product.product"].create(
            {**product_vals, "name": "COU Earl Grey", "categ_id": cls.categ_tea.id}
        )
        cls.user_planner = new_test_user(
            cls.env,
            login="cou_forecast_planner",
            groups="base.group_user,sales_team.group_sale_salesman,"
            "crm_order_unified_forecast.group_cou_forecast_planner",
            company_id=cls.company_a.id,
            company_ids=[cls.company_a.id],
        )
        cls.Forecast = cls.env["cou.forecast"]

    @classmethod
    def _cou_history(cls, rows, partner=None, company=None):
        """Confirmed orders from ``rows``:
        ``[(datetime, product, quantity, unit price)]``,
        one order per row, dated by ``date_order`` written after confirmation
        (as the history import does)."""
        partner = partner or cls.customer_company
        company = company or cls.company_a
        orders = (
            cls.env["sale.order"]
            .with_company(company)
            .create(
                [
                    {
                        "partner_id": partner.id,
                        "company_id": company.id,
                        "order_line": [
                            Command.create(
                                {
                                    "product_id": product.id,
                                    "product_uom_qty": qty,
                                    "price_unit": price,
                                }
                            )
                        ],
                    }
                    for _when, product, qty, price in rows
                ]
            )
        )
        orders.with_context(cou_skip_customer_360=True).action_confirm()
        for order, (when, *_rest) in zip(orders, rows, strict=True):
            order.date_order = when
        return orders

    @classmethod
    def _cou_monthly_rows(cls, product, first_month, quantities, price=2.0, day=10):
        """One order a month from ``first_month`` (a date) with the given quantities
        (0 skips the month)."""
        return [
            (
                datetime.combine(
                    first_month + relativedelta(months=i, day=day), datetime.min.time()
                ),
                product,
                qty,
                price,
            )
            for i, qty in enumerate(quantities)
            if qty
        ]

    def _cou_rows(
        self,
        as_of,
        level="product",
        row_type="forecast",
        granularity="month",
        company=None,
        **keys,
    ):
        domain = [
            ("company_id", "=", (company or self.company_a).id),
            ("as_of", "=", as_of),
            ("granularity", "=", granularity),
            ("level", "=", level),
            ("row_type", "=", row_type),
        ]
        domain += [(name, "=", value.id) for name, value in keys.items()]
        return self.Forecast.search(domain, order="period_start")


FIRST_MONTH = date(2022, 1, 1)
