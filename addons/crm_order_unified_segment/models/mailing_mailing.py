from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.osv import expression


class MailingMailing(models.Model):
    """A mass mailing can target a customer segment: its recipients are the
    segment's members at send time (the filter is evaluated when sending),
    minus the campaign's control group when the campaign has a holdout share."""

    _inherit = "mailing.mailing"

    # === FIELDS === #
    cou_segment_id = fields.Many2one(
        comodel_name="cou.segment",
        string="Customer Segment",
        compute="_compute_cou_segment_id",
        store=True,
        readonly=False,
        precompute=True,
        index="btree_not_null",
        domain="[('company_id', 'in', allowed_company_ids)]",
        help="Send to the members of this segment at send time (recipients must be "
        "Contacts).",
    )

    # === COMPUTE METHODS === #
    @api.depends("campaign_id")
    def _compute_cou_segment_id(self):
        for mailing in self:
            if not mailing.cou_segment_id and mailing.campaign_id.cou_segment_id:
                mailing.cou_segment_id = mailing.campaign_id.cou_segment_id

    @api.depends(
        "mailing_model_id",
        "contact_list_ids",
        "mailing_type",
        "mailing_filter_id",
        "cou_segment_id",
    )
    def _compute_mailing_domain(self):
        res = super()._compute_mailing_domain()
        for mailing in self.filtered(
            lambda m: m.cou_segment_id and m.mailing_model_id.model == "res.partner"
        ):
            domain = mailing._parse_mailing_domain()
            mailing.mailing_domain = repr(
                expression.AND([domain, mailing._get_cou_segment_domain()])
            )
        return res

    # === CONSTRAINT METHODS === #
    @api.constrains("cou_segment_id", "mailing_model_id")
    def _check_cou_segment_model(self):
        for mailing in self:
            if (
                mailing.cou_segment_id
                and mailing.mailing_model_id.model != "res.partner"
            ):
                raise ValidationError(
                    self.env._(
                        "A mailing that targets a customer segment must have Contacts as recipients."  # noqa: E501 (one translatable literal)
                    )
                )

    # === ONCHANGE METHODS === #
    @api.onchange("cou_segment_id")
    def _onchange_cou_segment_id(self):
        if self.cou_segment_id and self.mailing_model_id.model != "res.partner":
            self.mailing_model_id = self.env["ir.model"]._get("res.partner")

    # === BUSINESS METHODS === #
    def _get_cou_segment_domain(self):
        self.ensure_one()
        return [("cou_segment_ids", "in", self.cou_segment_id.ids)]

    def _get_recipients_domain(self):
        domain = super()._get_recipients_domain()
        if self.cou_segment_id and self.mailing_model_real == "res.partner":
            domain = expression.AND([domain, self._get_cou_segment_domain()])
        return domain

    def _get_recipients(self):
        res_ids = super()._get_recipients()
        campaign = self.campaign_id
        if (
            self.cou_segment_id
            and campaign.cou_holdout_share
            and self.mailing_model_real == "res.partner"
        ):
            held_out = campaign._cou_apply_holdout(res_ids, self)
            res_ids = [res_id for res_id in res_ids if res_id not in held_out]
        return res_ids
