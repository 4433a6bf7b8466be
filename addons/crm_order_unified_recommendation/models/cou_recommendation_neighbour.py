from odoo import fields, models
from odoo.tools import create_index


class CouRecommendationNeighbour(models.Model):
    """Product to product links of the suggestion model, per company.

    ``similar``: the few nearest products of a product (cosine on the
    customers' recency-weighted purchases), with the customers who bought
    both; ``upsell``: customers who bought the product moved up to the
    neighbour (same category, higher price). Written by
    ``cou.recommendation._rebuild``; read-only for users.
    """

    _name = "cou.recommendation.neighbour"
    _description = "Product Neighbour"
    _order = "company_id, product_id, kind, score desc, id"
    _rec_name = "neighbour_id"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    product_id = fields.Many2one(
        comodel_name="product.product", required=True, readonly=True, ondelete="cascade"
    )
    neighbour_id = fields.Many2one(
        comodel_name="product.product",
        string="Neighbour",
        required=True,
        readonly=True,
        ondelete="cascade",
    )
    kind = fields.Selection(
        selection=[("similar", "Bought Together"), ("upsell", "Moved Up To")],
        required=True,
        readonly=True,
    )
    score = fields.Float(readonly=True, digits=(16, 4))
    support = fields.Integer(string="Customers", readonly=True)
    as_of = fields.Date(string="Built From Orders Before", readonly=True)

    # ------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------

    def init(self):
        create_index(
            self.env.cr,
            "cou_recommendation_neighbour_company_product_idx",
            self._table,
            ["company_id", "product_id"],
        )
