import psycopg2

from odoo import api, fields, models
from odoo.tools import SQL


class CouRecommendationLog(models.Model):
    """A suggestion shown on an order, and whether it was added.

    One row per order and product: ``shown`` when the order's Suggested panel
    listed it, ``added`` with the order line once a user added it from the
    panel. The revenue of the added lines follows the line (stored related
    fields), so the report shows what the suggestions sold per kind and
    salesperson.
    """

    _name = "cou.recommendation.log"
    _description = "Suggestion Use"
    _order = "shown_date desc, id desc"
    _rec_name = "product_id"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    order_id = fields.Many2one(
        comodel_name="sale.order",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(related="order_id.company_id", store=True, index=True)
    partner_id = fields.Many2one(
        related="order_id.partner_id", string="Customer", store=True
    )
    user_id = fields.Many2one(
        related="order_id.user_id", string="Salesperson", store=True
    )
    product_id = fields.Many2one(
        comodel_name="product.product", required=True, readonly=True, ondelete="cascade"
    )
    kind = fields.Selection(
        selection=[
            ("cross_sell", "Cross-sell"),
            ("replenish", "Replenishment"),
            ("upsell", "Upsell"),
        ],
        required=True,
        readonly=True,
    )
    reason = fields.Char(readonly=True)
    shown_date = fields.Datetime(
        string="Shown On", readonly=True, default=fields.Datetime.now
    )
    order_line_id = fields.Many2one(
        comodel_name="sale.order.line",
        string="Added Line",
        readonly=True,
        ondelete="set null",
    )
    added = fields.Boolean(
        string="Added to Order", compute="_compute_added", store=True
    )
    added_count = fields.Integer(string="Added", compute="_compute_added", store=True)
    shown_count = fields.Integer(string="Shown", default=1, readonly=True)
    currency_id = fields.Many2one(related="order_id.currency_id", store=True)
    added_amount = fields.Monetary(
        string="Revenue of Added Lines",
        related="order_line_id.price_subtotal",
        store=True,
        currency_field="currency_id",
    )
    order_state = fields.Selection(
        related="order_id.state", string="Order Status", store=True
    )

    _sql_constraints = [
        (
            "order_product_unique",
            "UNIQUE(order_id, product_id)",
            "A suggestion is logged once per order and product.",
        ),
    ]

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("order_line_id")
    def _compute_added(self):
        for log in self:
            log.added = bool(log.order_line_id)
            log.added_count = 1 if log.order_line_id else 0

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    @api.model
    def _log_shown(self, order, suggestions):
        """Record the suggestions shown on ``order`` (one row per product,
        set-based: existing rows are left as they are)."""
        if not suggestions:
            return
        self.flush_model()
        if self.env.cr.readonly:
            # on a read replica (the panel is @api.readonly): nothing to
            # write once logged; else Odoo runs the request again on the
            # primary (as when a read-only request writes)
            if self._cou_all_logged(order, suggestions):
                return
            raise psycopg2.errors.ReadOnlySqlTransaction(
                "new suggestions shown: logged on the primary"
            )
        now = fields.Datetime.now()
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO cou_recommendation_log
                       (order_id, company_id, partner_id, user_id, currency_id,
                        order_state, product_id, kind, reason, shown_date,
                        shown_count, added, added_count,
                        create_uid, create_date, write_uid, write_date)
                SELECT so.id, so.company_id, so.partner_id, so.user_id,
                       so.currency_id, so.state, t.product_id, t.kind, t.reason,
                       %(now)s, 1, FALSE, 0, %(uid)s, %(now)s, %(uid)s, %(now)s
                  FROM sale_order so,
                       unnest(%(products)s::int4[], %(kinds)s::varchar[],
                              %(reasons)s::varchar[]) AS t(product_id, kind, reason)
                 WHERE so.id = %(order)s
                ON CONFLICT (order_id, product_id) DO NOTHING
                """,
                now=now,
                uid=self.env.uid,
                order=order.id,
                products=[s["product_id"] for s in suggestions],
                kinds=[s["kind"] for s in suggestions],
                reasons=[s["reason"] for s in suggestions],
            )
        )
        self.invalidate_model()

    @api.model
    def _cou_all_logged(self, order, suggestions):
        """Whether every product of ``suggestions`` is logged on ``order``
        already (one query)."""
        products = {s["product_id"] for s in suggestions}
        self.env.cr.execute(
            SQL(
                """SELECT COUNT(*) FROM cou_recommendation_log
                    WHERE order_id = %s AND product_id = ANY(%s)""",
                order.id,
                list(products),
            )
        )
        return self.env.cr.fetchone()[0] == len(products)
