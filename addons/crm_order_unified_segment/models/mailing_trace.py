from odoo import models
from odoo.tools import create_index


class MailingTrace(models.Model):
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
        return res
