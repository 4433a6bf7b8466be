from odoo import api, fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    # === FIELDS === #
    cou_complaint_count = fields.Integer(
        string="Complaints",
        compute="_compute_cou_complaint_counts",
        groups="crm_order_unified_complaint.group_cou_complaint_user",
    )
    cou_open_complaint_count = fields.Integer(
        string="Open Complaints",
        compute="_compute_cou_complaint_counts",
        groups="crm_order_unified_complaint.group_cou_complaint_user",
    )

    # === COMPUTE METHODS === #
    @api.depends_context("uid")  # the complaints the user may read
    def _compute_cou_complaint_counts(self):
        """Complaints about any variant, each complaint counted once per template
        (one grouped query: complaint ids per variant, united per template)."""
        variants = self.with_context(active_test=False).product_variant_ids
        complaint_ids = {
            template.id: [set(), set()] for template in self
        }  # [all, open]
        if variants and self.env.user.has_group(
            "crm_order_unified_complaint.group_cou_complaint_user"
        ):
            groups = self.env["cou.complaint"]._read_group(
                [("product_ids", "in", variants.ids)],
                ["product_ids", "is_closed"],
                ["id:array_agg"],
            )
            for variant, is_closed, ids in groups:
                sets = complaint_ids.get(variant.product_tmpl_id.id)
                if sets is None:
                    continue
                sets[0].update(ids)
                if not is_closed:
                    sets[1].update(ids)
        for template in self:
            all_ids, open_ids = complaint_ids.get(template.id, (set(), set()))
            template.cou_complaint_count, template.cou_open_complaint_count = (
                len(all_ids),
                len(open_ids),
            )

    # === ACTION METHODS === #
    def action_cou_view_complaints(self):
        self.ensure_one()
        self.check_access("read")
        variants = self.with_context(active_test=False).product_variant_ids
        return self.env["cou.complaint"]._get_action_for(
            [("product_ids", "in", variants.ids)]
        )
