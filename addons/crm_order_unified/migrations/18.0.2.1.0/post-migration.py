"""18.0.2.1.0: the Ordered Revenue figure (``customer_ordered_revenue``) and
the quotation sendings flagged on their message (``cou_quotation_sent``).

* the new figure is computed for every customer (the order figures family);
* each quotation already sent keeps one "Quotation sent" event in the
  timeline: its first public email by an employee before its confirmation
  (what earlier versions took for the sending) is flagged; the follow-ups
  become emails, as new ones are.
"""

import logging

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    comment = env["ir.model.data"]._xmlid_to_res_id(
        "mail.mt_comment", raise_if_not_found=False
    )
    cr.execute(
        SQL(
            """UPDATE mail_message AS m SET cou_quotation_sent = TRUE
                WHERE m.id IN (
                    SELECT DISTINCT ON (so.id) msg.id
                      FROM sale_order so
                      JOIN mail_message msg
                        ON msg.model = 'sale.order' AND msg.res_id = so.id
                      JOIN res_users u ON u.id = msg.create_uid AND NOT u.share
                     WHERE so.state IN ('sent', 'sale', 'cancel')
                       AND msg.message_type = 'comment'
                       AND msg.subtype_id = %(comment)s
                       AND msg.mail_activity_type_id IS NULL
                       AND NOT COALESCE(msg.is_internal, FALSE)
                       AND (so.state != 'sale' OR msg.date < so.date_order)
                  ORDER BY so.id, msg.date, msg.id)""",
            comment=comment,
        )
    )
    _logger.info("crm_order_unified 18.0.2.1.0: %s quotation sendings", cr.rowcount)
    env["res.partner"]._cou_refresh_customer_360_all(families=["orders"])
