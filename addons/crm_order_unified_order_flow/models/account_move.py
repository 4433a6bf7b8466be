import logging

from odoo import models

_logger = logging.getLogger(__name__)


class AccountMove(models.Model):
    _inherit = "account.move"

    # === BUSINESS METHODS === #

    def _cou_flow_send(self):
        """Send the invoices posted by the automatic invoicing, each with the
        customer's default sending settings (Odoo's Send & Print). An invoice
        that cannot be sent stays posted, with the reason in its chatter."""
        for move in self:
            if not move.partner_id.email:
                move.message_post(
                    body=self.env._(
                        "Posted automatically, not sent: %(customer)s has no email "
                        "address.",
                        customer=move.partner_id.display_name,
                    )
                )
                continue
            try:
                with self.env.cr.savepoint():
                    move._generate_and_send(allow_fallback_pdf=True)
            except Exception as e:  # noqa: BLE001 (reported on the invoice)
                _logger.info("sending invoice %s failed: %s", move.id, e)
                move.message_post(
                    body=self.env._(
                        "Posted automatically, sending failed: %(reason)s",
                        reason=str(e),
                    )
                )
