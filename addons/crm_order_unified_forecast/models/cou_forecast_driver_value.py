from odoo import api, fields, models


class CouForecastDriverValue(models.Model):
    _name = "cou.forecast.driver.value"
    _description = "Forecast Driver Value"
    _order = "period_start, id"
    _rec_name = "period_start"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    driver_id = fields.Many2one(
        comodel_name="cou.forecast.driver",
        string="Driver",
        required=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(related="driver_id.company_id", store=True, index=True)
    period_start = fields.Date(
        string="Month",
        required=True,
        help="Any day of the month; stored as its first day.",
    )
    value = fields.Float(required=True, digits=(16, 2))

    _sql_constraints = [
        (
            "driver_month_uniq",
            "UNIQUE(driver_id, period_start)",
            "A driver has one value per month.",
        )
    ]

    # ------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("period_start"):
                vals["period_start"] = fields.Date.to_date(
                    vals["period_start"]
                ).replace(day=1)
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("period_start"):
            vals["period_start"] = fields.Date.to_date(vals["period_start"]).replace(
                day=1
            )
        return super().write(vals)
