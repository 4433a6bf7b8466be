import numpy as np

from odoo import api, models
from odoo.tools import SQL

PERIOD_UNITS = {"month": "month", "week": "week"}


class SaleOrder(models.Model):
    _inherit = "sale.order"

    # ------------------------------------------------------------
    # BUSINESS METHODS: SQL of the forecast series
    # ------------------------------------------------------------

    @api.model
    def _cou_forecast_series_rows(
        self, company, date_from, date_to, granularity, level, members_at=None
    ):
        """Confirmed order lines of ``company`` dated in ``[date_from,
        date_to)``, summed per series and period, in one grouped query:
        ``[(series key, period start, orders, quantity, revenue)]``.

        Only confirmed orders count (``state = 'sale'``): a quotation, or an
        order cancelled minutes after its confirmation, never does. Returns
        (imported return orders) are left out as in the Customer 360 figures.
        Revenue is the untaxed line amount in the company currency, at the
        order's rate. The series key is None for ``total``, the product,
        its category, or the segment the customer belonged to at
        ``members_at`` (default ``date_to``; one row per segment).
        """
        self.flush_model(
            ["state", "company_id", "date_order", "currency_rate", "partner_id"]
        )
        self.env["sale.order.line"].flush_model(
            [
                "order_id",
                "product_id",
                "product_uom_qty",
                "price_subtotal",
                "display_type",
                "is_downpayment",
            ]
        )
        self.env["product.product"].flush_model(["product_tmpl_id"])
        self.env["product.template"].flush_model(["categ_id"])
        joins = SQL()
        key = SQL("NULL::int")
        if level == "product":
            key = SQL("sol.product_id")
        elif level == "category":
            joins = SQL(
                """JOIN product_product pp ON pp.id = sol.product_id
                   JOIN product_template pt ON pt.id = pp.product_tmpl_id"""
            )
            key = SQL("pt.categ_id")
        elif level == "segment":
            self.env["cou.segment.member"].flush_model(
                ["segment_id", "partner_id", "date_from", "date_to"]
            )
            joins = SQL(
                """JOIN res_partner cp ON cp.id = so.partner_id
                   JOIN cou_segment_member csm
                     ON csm.partner_id = cp.commercial_partner_id
                    AND csm.company_id = so.company_id
                    AND csm.date_from < %(members_at)s
                    AND (csm.date_to IS NULL OR csm.date_to >= %(members_at)s)""",
                members_at=members_at or date_to,
            )
            key = SQL("csm.segment_id")
        self.env.cr.execute(
            SQL(
                """SELECT %(key)s AS key,
                          date_trunc(%(unit)s, so.date_order)::date AS period,
                          COUNT(DISTINCT so.id),
                          SUM(sol.product_uom_qty),
                          SUM(sol.price_subtotal
                              / COALESCE(NULLIF(so.currency_rate, 0), 1))
                     FROM sale_order_line sol
                     JOIN sale_order so ON so.id = sol.order_id
                          %(joins)s
                    WHERE so.state = 'sale'
                      AND so.company_id = %(company)s
                      AND so.date_order >= %(date_from)s
                      AND so.date_order < %(date_to)s
                      AND sol.product_id IS NOT NULL
                      AND sol.display_type IS NULL
                      AND sol.is_downpayment IS NOT TRUE
                      AND NOT %(is_return)s
                 GROUP BY 1, 2""",
                key=key,
                unit=PERIOD_UNITS[granularity],
                joins=joins,
                company=company.id,
                date_from=date_from,
                date_to=date_to,
                is_return=self._cou_return_order_sql("so"),
            )
        )
        return self.env.cr.fetchall()

    @api.model
    def _cou_forecast_order_days(self, company, date_from, date_to):
        """Days with a confirmed order per customer (commercial entity) of
        ``company`` in ``[date_from, date_to)``, one query:
        ``[(commercial partner id, [dates])]``."""
        self.flush_model(["state", "company_id", "date_order", "partner_id"])
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        self.env.cr.execute(
            SQL(
                """SELECT p.commercial_partner_id,
                          array_agg(DISTINCT so.date_order::date)
                     FROM sale_order so
                     JOIN res_partner p ON p.id = so.partner_id
                    WHERE so.state = 'sale'
                      AND so.company_id = %(company)s
                      AND so.date_order >= %(date_from)s
                      AND so.date_order < %(date_to)s
                      AND NOT %(is_return)s
                 GROUP BY p.commercial_partner_id""",
                company=company.id,
                date_from=date_from,
                date_to=date_to,
                is_return=self._cou_return_order_sql("so"),
            )
        )
        return self.env.cr.fetchall()

    @api.model
    def _cou_forecast_consumable_purchases(self, company, date_from, date_to):
        """Purchases of consumables (goods, not services) per customer
        (commercial entity) of ``company`` in ``[date_from, date_to)``, one
        query: three arrays ``(customers, products, days)``, one entry per
        customer, product and day it was bought (days as
        ``date.toordinal()``), for the products' repurchase cycles."""
        self.flush_model(["state", "company_id", "date_order", "partner_id"])
        self.env["sale.order.line"].flush_model(
            ["order_id", "product_id", "product_uom_qty", "display_type"]
        )
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        self.env["product.product"].flush_model(["product_tmpl_id"])
        self.env["product.template"].flush_model(["type"])
        self.env.cr.execute(
            SQL(
                """SELECT array_agg(customer), array_agg(product), array_agg(day)
                     FROM (SELECT DISTINCT p.commercial_partner_id AS customer,
                                  sol.product_id AS product,
                                  so.date_order::date - DATE '0001-01-01' + 1 AS day
                             FROM sale_order_line sol
                             JOIN sale_order so ON so.id = sol.order_id
                             JOIN res_partner p ON p.id = so.partner_id
                             JOIN product_product pp ON pp.id = sol.product_id
                             JOIN product_template pt ON pt.id = pp.product_tmpl_id
                            WHERE so.state = 'sale'
                              AND so.company_id = %(company)s
                              AND so.date_order >= %(date_from)s
                              AND so.date_order < %(date_to)s
                              AND pt.type = 'consu'
                              AND sol.display_type IS NULL
                              AND sol.product_uom_qty > 0
                              AND NOT %(is_return)s) AS purchases""",
                company=company.id,
                date_from=date_from,
                date_to=date_to,
                is_return=self._cou_return_order_sql("so"),
            )
        )
        customers, products, days = self.env.cr.fetchone()
        return tuple(
            np.array(values or [], dtype=np.int64)
            for values in (customers, products, days)
        )
