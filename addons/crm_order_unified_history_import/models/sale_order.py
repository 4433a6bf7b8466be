from odoo import api, fields, models
from odoo.tools import SQL


class SaleOrder(models.Model):
    """Orders imported from another system by the order history import."""

    _inherit = "sale.order"

    # === FIELDS === #

    cou_imported = fields.Boolean(
        string="Imported History",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Order imported from another system by the order history import.",
    )
    cou_import_ref = fields.Char(
        string="Original Reference",
        readonly=True,
        copy=False,
        help="Order reference in the imported file; one imported order per reference "
        "and company.",
    )
    cou_import_run_id = fields.Many2one(
        comodel_name="cou.history.import.run",
        string="Import Run",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
    )

    _sql_constraints = [
        (
            "cou_import_ref_company_uniq",
            "UNIQUE(company_id, cou_import_ref)",
            "An order with this original reference was already imported for this "
            "company.",
        ),
    ]

    # === BUSINESS METHODS === #
    # imported orders in the customer figures

    @api.model
    def _cou_return_order_sql(self, alias):
        """An imported return order (a cancellation imported in "return
        orders" mode: negative quantities, negative amount) is a refund, not
        an order: it is left out of the order figures (count, average,
        first/last order dates, rhythm) and lowers the revenue only (see
        :meth:`_cou_read_imported_revenue`), as a credit note would."""
        self.flush_model(["cou_imported", "amount_untaxed"])
        return SQL(
            "(%s OR (%s IS TRUE AND %s < 0))",
            super()._cou_return_order_sql(alias),
            SQL.identifier(alias, "cou_imported"),
            SQL.identifier(alias, "amount_untaxed"),
        )

    @api.model
    def _cou_read_imported_revenue(self, commercial_partner_ids):
        """Revenue of imported history orders that have no invoice in Odoo
        (their invoices live in the previous system), per (commercial
        partner, company): each order's revenue rounded like an invoice's
        ``amount_untaxed_signed``. ``[(partner id, company id, amount)]``."""
        self.flush_model(
            [
                "cou_imported",
                "state",
                "partner_id",
                "company_id",
                "amount_untaxed",
                "currency_rate",
            ]
        )
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        self.env.cr.execute(
            SQL(
                """SELECT p.commercial_partner_id, so.company_id,
                          SUM(ROUND(%(revenue)s, cur.decimal_places))
                     FROM sale_order so
                     JOIN res_partner p ON p.id = so.partner_id
                     JOIN res_company c ON c.id = so.company_id
                     JOIN res_currency cur ON cur.id = c.currency_id
                    WHERE so.cou_imported
                      AND so.state = 'sale'
                      AND p.commercial_partner_id = ANY(%(ids)s)
                      AND NOT EXISTS (
                          SELECT 1
                            FROM sale_order_line sol
                            JOIN sale_order_line_invoice_rel rel ON rel.order_line_id =
                                sol.id
                           WHERE sol.order_id = so.id)
                 GROUP BY p.commercial_partner_id, so.company_id""",
                revenue=self._cou_order_revenue_sql("so"),
                ids=list(commercial_partner_ids),
            )
        )
        return [
            (partner_id, company_id, float(amount or 0.0))
            for partner_id, company_id, amount in self.env.cr.fetchall()
        ]

    # === BUSINESS METHODS === #
    # order history import

    @api.model
    def _cou_import_existing_refs(self, refs, company):
        """The original references among ``refs`` already imported for ``company``."""
        self.flush_model(["cou_import_ref", "company_id"])
        existing = set()
        refs = list(refs)
        for start in range(0, len(refs), 50000):
            self.env.cr.execute(
                SQL(
                    """SELECT cou_import_ref FROM sale_order
                        WHERE company_id = %s AND cou_import_ref = ANY(%s)""",
                    company.id,
                    refs[start : start + 50000],
                )
            )
            existing.update(ref for (ref,) in self.env.cr.fetchall())
        return existing
