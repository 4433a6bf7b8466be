from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    # === FIELDS === #
    cou_complaint_count = fields.Integer(
        string="Complaints",
        compute="_compute_cou_complaint_counts",
        groups="crm_order_unified.group_cou_complaint_user",
    )
    cou_open_complaint_count = fields.Integer(
        string="Open Complaints",
        compute="_compute_cou_complaint_counts",
        groups="crm_order_unified.group_cou_complaint_user",
    )

    # === COMPUTE METHODS === #
    def _compute_cou_complaint_counts(self):
        variants = self.with_context(active_test=False).product_variant_ids
        counts = self.env["cou.complaint"]._get_counts_by("product_ids", variants)
        for template in self:
            total = open_count = 0
            for variant in template.with_context(active_test=False).product_variant_ids:
                variant_total, variant_open = counts.get(variant.id, (0, 0))
                total += variant_total
                open_count += variant_open
            template.cou_complaint_count, template.cou_open_complaint_count = total, open_count

    # === ACTION METHODS === #
    def action_cou_view_complaints(self):
        self.ensure_one()
        variants = self.with_context(active_test=False).product_variant_ids
        return self.env["cou.complaint"]._get_action_for([("product_ids", "in", variants.ids)])
