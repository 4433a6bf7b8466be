from odoo import api, fields, models


class ProductProduct(models.Model):
    """[complaint] Complaint counters of one variant. The variant form is built on the
    template form (``product.product_normal_form_view``), so it shows the template's
    smart button: without these fields and action, the delegated template counts
    would show and the button would call a method the variant does not have."""

    _inherit = "product.product"

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
        counts = self.env["cou.complaint"]._get_counts_by("product_ids", self)
        for product in self:
            product.cou_complaint_count, product.cou_open_complaint_count = counts.get(
                product.id, (0, 0)
            )

    # === ACTION METHODS === #
    def action_cou_view_complaints(self):
        self.ensure_one()
        self.check_access("read")
        return self.env["cou.complaint"]._get_action_for(
            [("product_ids", "in", self.ids)], {"default_product_ids": self.ids}
        )
