import math
from collections import defaultdict

from odoo import api, fields, models
from odoo.tools import float_round

DAYS_PER_MONTH = 30


class StockWarehouseOrderpoint(models.Model):
    _inherit = "stock.warehouse.orderpoint"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    cou_forecast_demand = fields.Float(
        string="Forecast Demand",
        compute="_compute_cou_forecast_demand",
        digits="Product Unit of Measure",
        help="Quantity of the product the latest monthly order forecast expects "
        "to be ordered "
        "during the lead time and the month after it.",
    )
    cou_forecast_lead_demand = fields.Float(
        string="Forecast Demand in Lead Time",
        compute="_compute_cou_forecast_demand",
        digits="Product Unit of Measure",
    )

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    def _compute_cou_forecast_demand(self):
        months_by_product = self._cou_forecast_months()
        today = fields.Date.context_today(self)
        for orderpoint in self:
            months = months_by_product.get(orderpoint.product_id.id, [])
            lead_days = (
                (orderpoint.lead_days_date - today).days
                if orderpoint.lead_days_date
                else 0
            )
            lead_months = max(1, math.ceil(max(lead_days, 0) / DAYS_PER_MONTH))
            orderpoint.cou_forecast_lead_demand = sum(months[:lead_months])
            orderpoint.cou_forecast_demand = sum(months[: lead_months + 1])

    # ------------------------------------------------------------
    # ACTION METHODS
    # ------------------------------------------------------------

    def action_cou_apply_forecast(self):
        """Propose the forecast as the rule's minimum (demand during the lead
        time) and maximum (plus the month after): Odoo's replenishment then
        computes the quantity to order, which the user confirms with *Order*."""
        self.check_access("write")
        for orderpoint in self:
            if not orderpoint.cou_forecast_demand:
                continue
            orderpoint.write(
                {
                    "product_min_qty": float_round(
                        orderpoint.cou_forecast_lead_demand,
                        precision_rounding=orderpoint.product_uom.rounding,
                    ),
                    "product_max_qty": float_round(
                        orderpoint.cou_forecast_demand,
                        precision_rounding=orderpoint.product_uom.rounding,
                    ),
                }
            )
        return True

    @api.model
    def action_cou_propose_from_forecast(self):
        """Replenishment proposal from the forecast: a manual reordering rule
        (created when missing, in the company's first warehouse) for every
        storable product the latest monthly forecast expects to sell, its
        minimum and maximum set from the forecast, shown in Odoo's
        replenishment list where the user orders what it proposes.

        Inventory users may read reordering rules but not create or edit
        them; as Odoo's own replenishment report does for its manual rules
        (``stock.warehouse.orderpoint._get_orderpoint_action``), the proposal
        creates and sets them as superuser once the user's read access is
        checked."""
        self.check_access("read")
        company = self.env.company
        forecasts = self.env["cou.forecast"]._read_group(
            [
                ("is_latest", "=", True),
                ("granularity", "=", "month"),
                ("level", "=", "product"),
                ("row_type", "=", "forecast"),
                ("company_id", "=", company.id),
                ("forecast_qty", ">", 0),
                ("product_id.is_storable", "=", True),
            ],
            ["product_id"],
        )
        products = self.env["product.product"].union(*(row[0] for row in forecasts))
        warehouse = self.env["stock.warehouse"].search(
            [("company_id", "=", company.id)], limit=1
        )
        orderpoints = self.search(
            [("product_id", "in", products.ids), ("company_id", "=", company.id)]
        )
        missing = products - orderpoints.product_id
        if warehouse and missing:
            orderpoints |= self.sudo().create(
                [
                    {
                        "product_id": product.id,
                        "warehouse_id": warehouse.id,
                        "location_id": warehouse.lot_stock_id.id,
                        "company_id": company.id,
                        "trigger": "manual",
                        "product_min_qty": 0.0,
                        "product_max_qty": 0.0,
                    }
                    for product in missing
                ]
            )
        orderpoints.sudo().action_cou_apply_forecast()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "stock.action_orderpoint_replenish"
        )
        action["domain"] = [("id", "in", orderpoints.ids)]
        action["context"] = {"search_default_trigger": False}
        return action

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _cou_forecast_months(self):
        """``{product id: [forecast quantity of the current month, the next, ...]}``
        from the latest monthly run of each orderpoint's company (one query)."""
        if not self:
            return {}
        today = fields.Date.context_today(self)
        rows = self.env["cou.forecast"]._read_group(
            [
                ("is_latest", "=", True),
                ("granularity", "=", "month"),
                ("level", "=", "product"),
                ("row_type", "=", "forecast"),
                ("product_id", "in", self.product_id.ids),
                ("company_id", "in", self.company_id.ids),
                ("period_start", ">=", today.replace(day=1)),
            ],
            ["product_id", "period_start:day"],
            ["forecast_qty:sum"],
        )
        months = defaultdict(list)
        for product, _period, qty in sorted(rows, key=lambda row: (row[0].id, row[1])):
            months[product.id].append(qty)
        return months
