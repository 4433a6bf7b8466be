from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.osv import expression
from odoo.tools import SQL


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

    # === CRUD METHODS === #
    def write(self, vals):
        # the traces follow their mailing's campaign (stored related field):
        # their recipients move from the old campaign to the new one
        if "campaign_id" not in vals:
            return super().write(vals)
        keys = self._cou_get_trace_recipient_keys()
        res = super().write(vals)
        self.env["cou.campaign.recipient"]._cou_refresh(
            keys | self._cou_get_trace_recipient_keys()
        )
        return res

    def unlink(self):
        # the traces go with the mailing (ondelete cascade in the database)
        keys = self._cou_get_trace_recipient_keys()
        res = super().unlink()
        self.env["cou.campaign.recipient"]._cou_refresh(keys)
        return res

    # === BUSINESS METHODS === #
    def _cou_get_trace_recipient_keys(self):
        """{(campaign id, model, res id)} of the traces of these mailings."""
        if not self.ids:
            return set()
        self.env["mailing.trace"].flush_model(["campaign_id", "model", "res_id"])
        self.env.cr.execute(
            SQL(
                "SELECT DISTINCT campaign_id, model, res_id FROM mailing_trace"
                " WHERE mass_mailing_id = ANY(%s) AND campaign_id IS NOT NULL",
                self.ids,
            )
        )
        return set(self.env.cr.fetchall())

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
