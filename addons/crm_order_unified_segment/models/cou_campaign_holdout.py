from odoo import fields, models


class CouCampaignHoldout(models.Model):
    """A segment member held out of a campaign's mailings (control group).

    Chosen at send time, deterministically: a member is held out when
    int(md5("<campaign id>:<partner id>")[:7], 16) % 10000 is below the
    campaign's holdout share x 100 (see utm.campaign._cou_apply_holdout);
    once held out, a member stays out of every mailing of the campaign.
    """

    _name = "cou.campaign.holdout"
    _description = "Campaign Control Group Member"
    _order = "holdout_date desc, id desc"
    _rec_name = "partner_id"

    # === FIELDS === #
    campaign_id = fields.Many2one(
        comodel_name="utm.campaign",
        string="Campaign",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    segment_id = fields.Many2one(
        comodel_name="cou.segment", string="Segment", readonly=True, ondelete="set null"
    )
    mailing_id = fields.Many2one(
        comodel_name="mailing.mailing",
        string="Mailing",
        readonly=True,
        ondelete="set null",
    )
    company_id = fields.Many2one(
        comodel_name="res.company", string="Company", readonly=True, index=True
    )
    holdout_date = fields.Datetime(string="Held Out On", required=True, readonly=True)

    _sql_constraints = [
        (
            "cou_campaign_holdout_uniq",
            "UNIQUE(campaign_id, partner_id)",
            "A customer is held out of a campaign once.",
        ),
    ]
