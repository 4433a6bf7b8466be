from odoo import api, models
from odoo.tools import SQL


class CouRecommendation(models.Model):
    _inherit = "cou.recommendation"

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    @api.model
    def _get_excluded_products(self, partner_ids, product_ids=None):
        """Add the products the customers' blocking care rules forbid.

        One query whatever the number of customers, products and rules: the
        customers' care attributes (set by hand, or derived in one of the
        user's companies, as the care addon shows them), the active blocking
        rules of the current company (or shared) on these attributes, and
        the candidate products they match: the product itself, a product of
        the rule's category or of one of its sub-categories, or a product
        tagged with the rule's tag (on the product or on its variant).
        """
        result = super()._get_excluded_products(partner_ids, product_ids=product_ids)
        partner_ids = [int(pid) for pid in partner_ids or []]
        if not partner_ids or (product_ids is not None and not len(product_ids)):
            return result
        for model, fnames in (
            ("cou.care.rule", ["active", "level", "company_id", "attribute_id"]),
            ("cou.care.partner.attribute", ["partner_id", "attribute_id"]),
            ("cou.care.attribute", ["active"]),
            ("res.partner", ["commercial_partner_id"]),
            ("product.product", ["product_tmpl_id", "additional_product_tag_ids"]),
            ("product.template", ["categ_id", "product_tag_ids"]),
            ("product.category", ["parent_path"]),
        ):
            self.env[model].flush_model(fnames)
        self.env["cou.care.rule"].flush_model(
            ["product_id", "categ_id", "product_tag_id"]
        )
        self.env["cou.care.partner.attribute"].flush_model(["company_id"])
        products = (
            SQL("pp.id = ANY(%s)", [int(pid) for pid in product_ids])
            if product_ids is not None
            else SQL("pp.active")
        )
        self.env.cr.execute(
            SQL(
                """
                WITH asked AS (
                    SELECT rp.id AS asked_id, rp.commercial_partner_id AS customer_id
                      FROM res_partner rp
                     WHERE rp.id = ANY(%(partners)s)
                ), blocking AS (
                    SELECT DISTINCT a.asked_id, r.product_id, r.categ_id,
                           r.product_tag_id, rc.parent_path AS categ_path
                      FROM asked a
                      JOIN cou_care_partner_attribute link
                        ON link.partner_id = a.customer_id
                       AND (link.company_id IS NULL
                            OR link.company_id = ANY(%(companies)s))
                      JOIN cou_care_attribute attr
                        ON attr.id = link.attribute_id AND attr.active
                      JOIN cou_care_rule r
                        ON r.attribute_id = link.attribute_id
                       AND r.active
                       AND r.level = 'block'
                       AND (r.company_id IS NULL OR r.company_id = %(company)s)
                      LEFT JOIN product_category rc ON rc.id = r.categ_id
                )
                SELECT DISTINCT b.asked_id, pp.id
                  FROM blocking b
                  JOIN product_product pp ON %(products)s
                  JOIN product_template pt ON pt.id = pp.product_tmpl_id
                  LEFT JOIN product_category pc ON pc.id = pt.categ_id
                 WHERE pp.id = b.product_id
                    OR (b.categ_path IS NOT NULL
                        AND LEFT(pc.parent_path, LENGTH(b.categ_path)) = b.categ_path)
                    OR (b.product_tag_id IS NOT NULL AND (
                        EXISTS (
                            SELECT 1 FROM product_tag_product_template_rel tt
                             WHERE tt.product_template_id = pt.id
                               AND tt.product_tag_id = b.product_tag_id)
                        OR EXISTS (
                            SELECT 1 FROM product_tag_product_product_rel vt
                             WHERE vt.product_product_id = pp.id
                               AND vt.product_tag_id = b.product_tag_id)))
                """,
                partners=partner_ids,
                companies=self.env.companies.ids,
                company=self.env.company.id,
                products=products,
            )
        )
        for partner_id, product_id in self.env.cr.fetchall():
            result.setdefault(partner_id, set()).add(product_id)
        return result
