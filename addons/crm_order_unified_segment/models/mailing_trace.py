from odoo import api, models
from odoo.tools import create_index

from .cou_campaign_recipient import TRACE_FIELDS


class MailingTrace(models.Model):
    """The campaign recipients (cou.campaign.recipient) follow the traces:
    each create, write of a field they come from, and unlink refreshes the
    rows of the traces' recipients (one statement)."""

    _inherit = "mailing.trace"

    # === CRUD METHODS === #
    def init(self):
        res = super().init()
        # campaign attribution and the customer timeline look
        # traces up by customer
        create_index(
            self.env.cr,
            "mailing_trace_cou_partner_idx",
            self._table,
            ["res_id"],
            where="model = 'res.partner'",
        )
        # a campaign recipient's traces (cou.campaign.recipient._cou_refresh)
        create_index(
            self.env.cr,
            "mailing_trace_cou_campaign_recipient_idx",
            self._table,
            ["campaign_id", "model", "res_id"],
            where="campaign_id IS NOT NULL",
        )
        return res

    @api.model_create_multi
    def create(self, vals_list):
        traces = super().create(vals_list)
        self.env["cou.campaign.recipient"]._cou_refresh(
            traces._cou_get_recipient_keys()
        )
        return traces

    def write(self, vals):
        if not set(vals) & set(TRACE_FIELDS) and "mass_mailing_id" not in vals:
            return super().write(vals)
        keys = self._cou_get_recipient_keys()
        res = super().write(vals)
        self.env["cou.campaign.recipient"]._cou_refresh(
            keys | self._cou_get_recipient_keys()
        )
        return res

    def unlink(self):
        keys = self._cou_get_recipient_keys()
        res = super().unlink()
        self.env["cou.campaign.recipient"]._cou_refresh(keys)
        return res

    # === BUSINESS METHODS === #
    def _cou_get_recipient_keys(self):
        """{(campaign id, model, res id)} of the traces of a campaign."""
        return {
            (trace.campaign_id.id, trace.model, trace.res_id)
            for trace in self
            if trace.campaign_id
        }
