"""Campaign recipient counts (cou.campaign.recipient.count, new in 18.0.2.5.0):
one row per campaign, counted from its recipient rows."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    cr.execute("SELECT DISTINCT campaign_id FROM cou_campaign_recipient")
    env["cou.campaign.recipient.count"]._cou_rebuild([row[0] for row in cr.fetchall()])
