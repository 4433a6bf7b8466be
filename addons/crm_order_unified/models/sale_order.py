from odoo import api, fields, models
from odoo.tools import SQL

# Changing one of these on a confirmed order changes its customer's order figures.
# Line changes (``order_line``) are caught on sale.order.line itself, whichever
# way they are made (see models/sale_order_line.py, [foundation] section).
ORDER_FIGURE_FIELDS = {"state", "partner_id", "date_order", "company_id", "currency_id"}


class SaleOrder(models.Model):
    _name = "sale.order"
    _inherit = ["sale.order", "cou.customer.context.mixin"]

    # === FIELDS === #
    cou_is_return = fields.Boolean(
        string="Return Order",
        compute="_compute_cou_is_return",
        search="_search_cou_is_return",
        help="A refund recorded as an order (e.g. an imported return order): left "
        "out of the order figures and of the ordered revenue.",
    )

    # === COMPUTE METHODS === #
    def _compute_cou_is_return(self):
        ids = [order_id for order_id in self.ids if order_id]
        returns = set()
        if ids:
            self.flush_recordset()
            self.env.cr.execute(
                SQL(
                    "SELECT so.id FROM sale_order so WHERE so.id = ANY(%s) AND %s",
                    ids,
                    self._cou_return_order_sql("so"),
                )
            )
            returns = {row[0] for row in self.env.cr.fetchall()}
        for order in self:
            order.cou_is_return = order.id in returns

    def _search_cou_is_return(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            return NotImplemented
        positive = (operator == "=") == value
        returns = SQL(
            "(SELECT so.id FROM sale_order so WHERE %s)",
            self._cou_return_order_sql("so"),
        )
        return [("id", "in" if positive else "not in", returns)]

    # === CRUD METHODS === #

    @api.model_create_multi
    def create(self, vals_list):
        orders = super().create(vals_list)
        confirmed = orders.filtered(lambda order: order.state == "sale")
        if confirmed:
            confirmed.partner_id._cou_mark_customer_360_dirty(["orders"])
        return orders

    def write(self, vals):
        if not ORDER_FIGURE_FIELDS & set(vals):
            return super().write(vals)
        touched = self.filtered(lambda order: order.state == "sale")
        partners = touched.partner_id
        res = super().write(vals)
        partners |= self.filtered(lambda order: order.state == "sale").partner_id
        if partners:
            partners._cou_mark_customer_360_dirty(["orders"])
        return res

    def message_post(self, **kwargs):
        # A sending of the quotation (the Send by Email composer with the
        # quotation template sets ``mark_so_as_sent``; Mark as Sent posts the
        # "Quotation sent" notification) is flagged on its message: the
        # customer timeline shows one "Quotation sent" event per sending.
        if self.state in ("draft", "sent") and "cou_quotation_sent" not in kwargs:
            xmlid_to_id = self.env["ir.model.data"]._xmlid_to_res_id
            subtype = kwargs.get("subtype_id") or (
                kwargs.get("subtype_xmlid")
                and xmlid_to_id(kwargs["subtype_xmlid"], raise_if_not_found=False)
            )
            if (
                self.env.context.get("mark_so_as_sent")
                and kwargs.get("message_type") == "comment"
                and subtype == xmlid_to_id("mail.mt_comment")
            ) or subtype == xmlid_to_id("sale.mt_order_sent", raise_if_not_found=False):
                kwargs["cou_quotation_sent"] = True
        return super().message_post(**kwargs)

    def _get_message_create_valid_field_names(self):
        return super()._get_message_create_valid_field_names() | {"cou_quotation_sent"}

    # === BUSINESS METHODS === #
    # SQL of the customer figures

    @api.model
    def _cou_order_revenue_sql(self, alias):
        """SQL expression: the untaxed amount of the ``sale_order`` row
        ``alias`` in its company's currency (at the order's rate). The one
        definition of an order's revenue, used by the Customer 360 figures,
        the RFM scores and campaign attribution."""
        return SQL(
            "(%s / COALESCE(NULLIF(%s, 0), 1))",
            SQL.identifier(alias, "amount_untaxed"),
            SQL.identifier(alias, "currency_rate"),
        )

    @api.model
    def _cou_return_order_sql(self, alias):
        """SQL condition on the ``sale_order`` row ``alias``: true for an
        order that is really a return (a refund, not an order), left out of
        the order figures. None in the core; the history import extends it
        for imported return orders."""
        return SQL("FALSE")

    @api.model
    def _cou_read_customer_order_figures(self, commercial_partner_ids):
        """Confirmed orders per (commercial partner, company), one query:
        ``[(partner id, company id, count, first date, last date, revenue)]``."""
        self.flush_model(
            [
                "state",
                "partner_id",
                "company_id",
                "date_order",
                "amount_untaxed",
                "currency_rate",
            ]
        )
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        self.env.cr.execute(
            SQL(
                # per contact (LATERAL): index lookups by partner, whatever
                # the planner guesses of the other conditions
                """SELECT p.commercial_partner_id, so.company_id, SUM(so.count)::int,
                          MIN(so.first)::date, MAX(so.last)::date, SUM(so.revenue)
                     FROM res_partner p
                     CROSS JOIN LATERAL (
                           SELECT so.company_id, COUNT(*) AS count,
                                  MIN(so.date_order) AS first,
                                  MAX(so.date_order) AS last,
                                  SUM(%(revenue)s) AS revenue
                             FROM sale_order so
                            WHERE so.partner_id = p.id
                              AND so.state = 'sale'
                              AND NOT %(is_return)s
                         GROUP BY so.company_id
                     ) AS so
                    WHERE p.commercial_partner_id = ANY(%(ids)s)
                 GROUP BY p.commercial_partner_id, so.company_id""",
                revenue=self._cou_order_revenue_sql("so"),
                ids=list(commercial_partner_ids),
                is_return=self._cou_return_order_sql("so"),
            )
        )
        return self.env.cr.fetchall()
