from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from .cou_recommendation import KINDS, MAX_ID

PANEL_LIMIT = 5


class SaleOrder(models.Model):
    _inherit = "sale.order"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    cou_recommendation_log_ids = fields.One2many(
        comodel_name="cou.recommendation.log",
        inverse_name="order_id",
        string="Suggestions Shown",
        groups="sales_team.group_sale_salesman",
    )

    # ------------------------------------------------------------
    # ACTION METHODS
    # ------------------------------------------------------------

    @api.readonly
    def cou_recommendation_panel_data(self):
        """What the Suggested panel of the order shows: the customer's best
        suggestions that are not on the order yet. Logs them as shown while
        the order is a quotation."""
        self.ensure_one()
        self.check_access("read")
        if not self.partner_id:
            return {"suggestions": [], "can_add": False}
        # the order's company, whatever company the user is working in
        Recommendation = self.env["cou.recommendation"].with_company(self.company_id)
        suggestions = Recommendation.get_recommendations(
            self.partner_id.ids,
            limit=PANEL_LIMIT,
            exclude_product_ids=self.order_line.product_id.ids,
        )[self.partner_id.id]
        can_add = self.state in ("draft", "sent") and not self.locked
        if can_add and suggestions:
            self.env["cou.recommendation.log"].sudo()._log_shown(self, suggestions)
        return {
            "suggestions": self.env["product.product"]
            .with_company(self.company_id)
            ._cou_recommendation_describe(
                suggestions,
                self.currency_id,
                self.pricelist_id,
                self.partner_id,
                date=self.date_order,
            ),
            "can_add": can_add and self.has_access("write"),
        }

    def action_cou_recommendation_add(self, product_id, kind=None):
        """Add a suggested product to the quotation (one unit, the usual
        price), and record that the suggestion was used."""
        self.ensure_one()
        self.check_access("write")
        if self.state not in ("draft", "sent") or self.locked:
            raise UserError(self.env._("Suggestions can only be added to a quotation."))
        valid_id = (
            isinstance(product_id, int)
            and not isinstance(product_id, bool)
            and 0 < product_id <= MAX_ID
        )
        product = self.env["product.product"]
        if valid_id:
            product = product.browse(product_id).exists()
        if not product:
            raise UserError(self.env._("This product no longer exists."))
        if kind not in (None, False, *(key for key, _label in KINDS)):
            raise UserError(
                self.env._(
                    "Unknown kinds of suggestion: choose among %(kinds)s.",
                    kinds=", ".join(key for key, _label in KINDS),
                )
            )
        line = self.env["sale.order.line"].create(
            {"order_id": self.id, "product_id": product.id, "product_uom_qty": 1.0}
        )
        Log = self.env["cou.recommendation.log"].sudo()
        log = Log.search(
            [("order_id", "=", self.id), ("product_id", "=", product.id)], limit=1
        )
        if log:
            log.order_line_id = line
        else:
            Log.create(
                {
                    "order_id": self.id,
                    "product_id": product.id,
                    "kind": kind or "cross_sell",
                    "order_line_id": line.id,
                }
            )
        return line.id

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _cou_recommendation_purchase_events(self, company, as_of, cut=None):
        """Purchases of ``company``'s confirmed orders dated before ``cut`` (a
        date or datetime; default ``as_of``): one ``(commercial partner,
        product, day)`` per product and order day, ``day`` counted from
        ``as_of`` (0 on that day, negative before)."""
        self.flush_model(["state", "date_order", "company_id", "partner_id"])
        self.env["sale.order.line"].flush_model(
            ["product_id", "order_id", "product_uom_qty", "display_type"]
        )
        self.env.cr.execute(
            SQL(
                """
                SELECT rp.commercial_partner_id, sol.product_id,
                       so.date_order::date - %(as_of)s::date AS day
                  FROM sale_order_line sol
                  JOIN sale_order so ON so.id = sol.order_id
                  JOIN res_partner rp ON rp.id = so.partner_id
                 WHERE so.state = 'sale'
                   AND so.company_id = %(company)s
                   AND so.date_order < %(cut)s
                   AND sol.product_id IS NOT NULL
                   AND sol.display_type IS NULL
                   AND sol.product_uom_qty > 0
                 GROUP BY 1, 2, 3
                """,
                as_of=as_of,
                cut=cut or as_of,
                company=company.id,
            )
        )
        return self.env.cr.fetchall()

    def _cou_recommendation_changed_customers(self, company, since):
        """Commercial partners of ``company`` whose orders changed since ``since``."""
        self.flush_model(["state", "company_id", "partner_id"])
        self.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT rp.commercial_partner_id
                  FROM sale_order so
                  JOIN res_partner rp ON rp.id = so.partner_id
                 WHERE so.company_id = %s AND so.write_date >= %s
                """,
                company.id,
                since,
            )
        )
        return {row[0] for row in self.env.cr.fetchall()}

    def _cou_recommendation_portal_suggestions(self):
        """Suggestions for the portal quotation page (empty unless the
        company shows them); read as superuser, the portal page is."""
        self.ensure_one()
        if not self.company_id.cou_recommendation_portal or self.state not in (
            "draft",
            "sent",
        ):
            return []
        order = self.sudo()
        suggestions = (
            self.env["cou.recommendation"]
            .sudo()
            .with_company(order.company_id)
            .get_recommendations(
                order.partner_id.ids,
                limit=3,
                kinds=["cross_sell", "upsell"],
                exclude_product_ids=order.order_line.product_id.ids,
            )[order.partner_id.id]
        )
        return (
            self.env["product.product"]
            .sudo()
            ._cou_recommendation_describe(
                suggestions, order.currency_id, order.pricelist_id, order.partner_id
            )
        )
