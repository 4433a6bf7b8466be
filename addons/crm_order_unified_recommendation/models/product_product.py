from odoo import api, models


class ProductProduct(models.Model):
    _inherit = "product.product"

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    @api.model
    def _cou_recommendation_describe(
        self, suggestions, currency, pricelist=None, partner=None, date=None
    ):
        """The suggestions as the panels show them: name, price, kind label.

        The price is the one ``pricelist`` gives one unit on ``date`` (the
        order's pricelist and date on an order: what the line added gets),
        else the list price."""
        products = self.browse([s["product_id"] for s in suggestions])
        kinds = dict(
            self.env["cou.recommendation"]
            ._fields["kind"]
            ._description_selection(self.env)
        )
        prices = {}
        if pricelist:
            prices = pricelist._get_products_price(
                products, 1.0, currency=currency or pricelist.currency_id, date=date
            )
        result = []
        for suggestion, product in zip(suggestions, products, strict=False):
            price = prices.get(product.id, product.lst_price)
            result.append(
                {
                    **suggestion,
                    "name": product.display_name,
                    "kind_label": kinds.get(suggestion["kind"], suggestion["kind"]),
                    "price": price,
                    "price_display": currency.format(price) if currency else str(price),
                }
            )
        return result
