import json

import numpy as np
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

from odoo.addons.crm_order_unified.models.res_partner import CUSTOMER_360_PREFETCH

from .. import engine

CUSTOMER_360_GROUP = "crm_order_unified.group_crm_order_unified_user"
REORDER_WINDOW_DAYS = 30
REORDER_HISTORY_YEARS = 3


class ResPartner(models.Model):
    _inherit = "res.partner"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    # Company-dependent like the core's Customer 360 figures (one jsonb value
    # per company, written on the commercial entity and all its contacts);
    # fetched with them (one query for the customer context of a document).
    customer_reorder_probability = fields.Float(
        string="Reorder Probability",
        company_dependent=True,
        prefetch=CUSTOMER_360_PREFETCH,
        readonly=True,
        digits=(16, 2),
        groups=CUSTOMER_360_GROUP,
        help="Probability (0-1) that the customer places a confirmed order in the "
        "next 30 days, learnt from the order intervals of the company's customers "
        "and the repurchase cycles of the consumables they buy. "
        "Recomputed with the forecasts.",
    )

    # ------------------------------------------------------------
    # CUSTOMER OVERVIEW
    # ------------------------------------------------------------

    def _get_customer_overview_figures(self):
        """The reorder probability as a figure card, after the order interval."""
        figures = super()._get_customer_overview_figures()
        figure = self._cou_overview_figure("customer_reorder_probability", "percent")
        probability = self.customer_reorder_probability
        figure["value"] = f"{round(probability * 100)} %" if probability else "–"
        names = [figure["name"] for figure in figures]
        at = (
            names.index("customer_order_interval_days") + 1
            if "customer_order_interval_days" in names
            else len(figures)
        )
        figures.insert(at, figure)
        return figures

    # ------------------------------------------------------------
    # ACTION METHODS
    # ------------------------------------------------------------

    def action_cou_schedule_reorder_call(self):
        """Schedule a call with each customer, for its salesperson (or you)."""
        activity_type = self.env.ref(
            "mail.mail_activity_data_call", raise_if_not_found=False
        )
        # a salesperson who may read the customer may plan a call with it,
        # without the right to edit contacts that activities on them require
        # (the Customer Hub staff, who read the reorder figures)
        if not self.env.user.has_group(CUSTOMER_360_GROUP):
            raise AccessError(
                self.env._("Only Customer Hub users can plan reorder calls.")
            )
        self.check_access("read")
        for partner in self.commercial_partner_id.sudo():
            partner.activity_schedule(
                activity_type_id=activity_type.id if activity_type else False,
                summary=self.env._("Due to reorder: call the customer"),
                date_deadline=partner.customer_next_order_date
                or fields.Date.context_today(self),
                user_id=partner.user_id.id or self.env.uid,
            )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._(
                    "Call scheduled with %(customers)s.",
                    customers=", ".join(self.commercial_partner_id.mapped("name")),
                ),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def action_cou_send_reorder_mailing(self):
        """Open a reminder mailing to these customers (a static segment of
        them, which the mailing targets)."""
        segment = self.env["cou.segment"].create(
            {
                "name": self.env._(
                    "Due to reorder on %(date)s",
                    date=fields.Date.to_string(fields.Date.context_today(self)),
                ),
                "segment_type": "static",
                "static_partner_ids": [
                    fields.Command.set(self.commercial_partner_id.ids)
                ],
                "company_id": self.env.company.id,
            }
        )
        return segment.action_create_mailing()

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    @api.model
    def _cou_compute_reorder_probability(self, company, as_of):
        """Learn and store every customer's reorder probability in ``company``
        as of ``as_of`` from the confirmed orders dated before it (each
        customer's order days, and its purchases of consumables for the
        products' repurchase cycles): two queries to read, one ``UPDATE`` to
        write."""
        date_from = as_of - relativedelta(years=REORDER_HISTORY_YEARS)
        SaleOrder = self.env["sale.order"]
        rows = SaleOrder._cou_forecast_order_days(company, date_from, as_of)
        purchases = SaleOrder._cou_forecast_consumable_purchases(
            company, date_from, as_of
        )
        order_days = {
            partner_id: np.array(sorted(day.toordinal() for day in days))
            for partner_id, days in rows
        }
        model = engine.ReorderModel(window=REORDER_WINDOW_DAYS).fit(
            order_days, as_of.toordinal(), purchases
        )
        probabilities = model.predict(order_days, as_of.toordinal(), purchases)
        self._cou_write_company_value(
            company,
            "customer_reorder_probability",
            {pid: round(p, 4) for pid, p in probabilities.items()},
        )

    @api.model
    def _cou_write_company_value(self, company, fname, values):
        """Set ``company``'s value of the company-dependent ``fname`` on the
        commercial entities of ``values`` (``{commercial id: value}``) and
        their contacts; the other partners lose their value in this company."""
        self.flush_model([fname, "commercial_partner_id"])
        key = str(company.id)
        self.env.cr.execute(
            SQL(
                """UPDATE res_partner AS p
                      SET %(field)s = NULLIF(
                              COALESCE(p.%(field)s, '{}'::jsonb) - %(key)s, '{}'::jsonb)
                    WHERE p.%(field)s ? %(key)s""",
                field=SQL.identifier(fname),
                key=key,
            )
        )
        if values:
            self.env.cr.execute(
                SQL(
                    """UPDATE res_partner AS p
                          SET %(field)s = COALESCE(p.%(field)s, '{}'::jsonb)
                                          || jsonb_build_object(%(key)s, d.value)
                         FROM jsonb_each(%(data)s::jsonb) AS d(partner, value)
                        WHERE p.commercial_partner_id = d.partner::int""",
                    field=SQL.identifier(fname),
                    key=key,
                    data=json.dumps({str(pid): value for pid, value in values.items()}),
                )
            )
        self.invalidate_model([fname])
