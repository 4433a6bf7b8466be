"""Access matrix of the forecast addon (see the core's ``access_matrix.py``)."""

from odoo import fields
from odoo.tests import tagged

from odoo.addons.crm_order_unified.tests.access_matrix import (
    INTERNAL,
    MARK_B,
    AccessMatrixCase,
    method,
    rights,
    roles,
)

#: every internal role but the plain employee and the marketing user implies
#: the Customer Hub user group; the Hub manager is a planner
HUB = INTERNAL - roles("employee", "marketing")
PLANNERS = roles("planner", "hub_manager")
SALES = roles("salesman", "salesman_all", "sale_manager")


@tagged("post_install", "-at_install")
class TestAccessMatrixForecast(AccessMatrixCase):
    MODULE = "crm_order_unified_forecast"

    MODELS = {
        "cou.forecast": rights(r=HUB, w=PLANNERS, c=PLANNERS, d=PLANNERS),
        "cou.forecast.driver": rights(r=HUB, w=PLANNERS, c=PLANNERS, d=PLANNERS),
        "cou.forecast.driver.value": rights(r=HUB, w=PLANNERS, c=PLANNERS, d=PLANNERS),
    }

    METHODS = {
        # recomputes as superuser: for who may write forecasts
        ("cou.forecast", "action_recompute"): method(PLANNERS, call_ok=False),
        # the proposal's reordering rules are made as superuser once the user's
        # read access to them is checked, as Odoo's replenishment report does:
        # the inventory users and the salespeople (Odoo lets them read rules)
        ("cou.forecast", "action_open_replenishment"): method(
            roles("stock_user") | SALES
        ),
        # a segment of the category's buyers: who may read company A's order
        # lines and create segments (no single-group role does)
        ("cou.forecast", "action_suggest_campaign"): method(roles()),
        # the reorder list's buttons: the salespeople of the customer
        ("res.partner", "action_cou_schedule_reorder_call"): method(
            HUB, args=lambda case, rec: [case.customer_company.ids]
        ),
        ("res.partner", "action_cou_send_reorder_mailing"): method(
            roles("marketing"),
            args=lambda case, rec: [case.customer_company.ids],
        ),
        ("stock.warehouse.orderpoint", "action_cou_apply_forecast"): method(
            roles(), args=lambda case, rec: [case.mx_orderpoint.ids]
        ),
        ("stock.warehouse.orderpoint", "action_cou_propose_from_forecast"): method(
            roles("stock_user") | SALES
        ),
    }

    OVERRIDES = {
        ("cou.forecast.driver.value", "create"): "CRUD",
        ("cou.forecast.driver.value", "write"): "CRUD",
    }

    @classmethod
    def _matrix_setup(cls):
        today = fields.Date.today()
        category = cls.product_order.categ_id
        marks = (("COU MX", cls.company_a), (MARK_B, cls.company_b))

        def forecast_vals(company):
            return {
                "company_id": company.id,
                "as_of": today,
                "granularity": "month",
                "level": "category",
                "row_type": "forecast",
                "categ_id": category.id,
                "period_start": today.replace(day=1),
                "method": "matrix",
            }

        Forecast = cls.env["cou.forecast"]
        cls.matrix_vals["cou.forecast"] = forecast_vals
        cls.matrix_records["cou.forecast"] = tuple(
            Forecast.create(forecast_vals(company)) for __, company in marks
        )
        cls.matrix_write["cou.forecast"] = {"forecast_qty": 3.0}

        Driver = cls.env["cou.forecast.driver"]
        cls.matrix_vals["cou.forecast.driver"] = lambda company: {
            "name": "Temperature",
            "company_id": company.id,
            "categ_id": category.id,
        }
        drivers = tuple(
            Driver.create(
                {
                    "name": f"{mark} driver",
                    "company_id": company.id,
                    "categ_id": category.id,
                }
            )
            for mark, company in marks
        )
        cls.matrix_records["cou.forecast.driver"] = drivers
        cls.matrix_write["cou.forecast.driver"] = {"unit": "C"}
        by_company = dict(zip((c for __, c in marks), drivers, strict=True))

        Value = cls.env["cou.forecast.driver.value"]
        cls.matrix_vals["cou.forecast.driver.value"] = lambda company: {
            "driver_id": by_company[company].id,
            "period_start": today.replace(day=1, year=today.year + 1),
            "value": 12.5,
        }
        cls.matrix_records["cou.forecast.driver.value"] = tuple(
            Value.create(
                {
                    "driver_id": driver.id,
                    "period_start": today.replace(day=1),
                    "value": 20.0,
                }
            )
            for driver in drivers
        )
        cls.matrix_write["cou.forecast.driver.value"] = {"value": 21.0}

        warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company_a.id)], limit=1
        )
        storable = cls.env["product.product"].create(
            {"name": "COU MX storable", "is_storable": True, "categ_id": category.id}
        )
        cls.mx_orderpoint = cls.env["stock.warehouse.orderpoint"].create(
            {
                "product_id": storable.id,
                "warehouse_id": warehouse.id,
                "location_id": warehouse.lot_stock_id.id,
                "company_id": cls.company_a.id,
            }
        )
