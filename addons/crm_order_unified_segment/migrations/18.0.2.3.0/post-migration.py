"""Campaign recipients (cou.campaign.recipient, new in 18.0.2.3.0): one row
per campaign and recipient, computed from the existing mailing traces."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    cr.execute("SELECT DISTINCT campaign_id FROM mailing_trace WHERE campaign_id > 0")
    env["cou.campaign.recipient"]._cou_refresh_campaigns(
        [row[0] for row in cr.fetchall()]
    )
