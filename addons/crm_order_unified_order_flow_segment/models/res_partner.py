from odoo import api, fields, models

from odoo.addons.crm_order_unified_order_flow.models.res_partner import (
    AUTO_INVOICE_POLICIES,
)


class ResPartner(models.Model):
    _inherit = "res.partner"

    # === FIELDS === #

    cou_effective_invoice_policy = fields.Selection(
        selection=AUTO_INVOICE_POLICIES,
        string="Automatic Invoicing Applied",
        compute="_compute_cou_effective_invoice_policy",
        help="The policy the order flow applies in the current company: the "
        "customer's own, else the one of its first segment (in the segments' "
        "order) that has a policy.",
    )
    cou_invoice_policy_source = fields.Selection(
        selection=[
            ("customer", "Set on the customer"),
            ("segment", "From a segment"),
            ("unset", "Not set"),
        ],
        string="Automatic Invoicing Source",
        compute="_compute_cou_effective_invoice_policy",
    )
    cou_invoice_policy_segment_id = fields.Many2one(
        comodel_name="cou.segment",
        string="Automatic Invoicing From Segment",
        compute="_compute_cou_effective_invoice_policy",
    )

    # === COMPUTE METHODS === #

    @api.depends("commercial_partner_id.auto_invoice_policy")
    @api.depends_context("company")
    def _compute_cou_effective_invoice_policy(self):
        commercial = self.commercial_partner_id
        segments = commercial._cou_invoice_policy_segments(self.env.company)
        for partner in self:
            entity = partner.commercial_partner_id
            segment = segments.get(entity.id)
            if entity.auto_invoice_policy:
                partner.cou_effective_invoice_policy = entity.auto_invoice_policy
                partner.cou_invoice_policy_source = "customer"
                partner.cou_invoice_policy_segment_id = False
            elif segment:
                partner.cou_effective_invoice_policy = segment.auto_invoice_policy
                partner.cou_invoice_policy_source = "segment"
                partner.cou_invoice_policy_segment_id = segment.id
            else:
                partner.cou_effective_invoice_policy = False
                partner.cou_invoice_policy_source = "unset"
                partner.cou_invoice_policy_segment_id = False

    # === BUSINESS METHODS === #

    def _cou_invoice_policy_segments(self, company):
        """``{partner id: segment}``: for each partner of ``self`` (commercial
        entities), the segment whose automatic invoicing policy applies to it in
        ``company`` when it has none of its own: among the active segments of
        the company it is currently a member of and that set a policy, the first
        in the segments' order (sequence, then id). One query for all; the
        segments come with superuser rights (a salesperson may not read
        segments, yet their policy applies)."""
        if not self:
            return {}
        members = (
            self.env["cou.segment.member"]
            .sudo()
            .search(
                [
                    ("partner_id", "in", self.ids),
                    ("date_to", "=", False),
                    ("company_id", "=", company.id),
                    ("segment_id.active", "=", True),
                    ("segment_id.auto_invoice_policy", "!=", False),
                ],
                # cou.segment's own order: sequence, id
                order="segment_id, id",
            )
        )
        result = {}
        for member in members:
            # members in the segments' order: the first one per partner wins
            result.setdefault(member.partner_id.id, member.segment_id)
        return result
