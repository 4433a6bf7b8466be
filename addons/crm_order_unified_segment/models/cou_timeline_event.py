from odoo import fields, models
from odoo.tools import SQL


class CouTimelineEvent(models.Model):
    """Segment and campaign events in the customer timeline (codes 40-45):
    entering / leaving a segment, mailings sent, opened and clicked, orders
    attributed to a campaign."""

    _inherit = "cou.timeline.event"
    _depends = {
        "cou.segment.member": [
            "segment_id",
            "partner_id",
            "company_id",
            "date_from",
            "date_to",
        ],
        "mailing.trace": [
            "model",
            "res_id",
            "mass_mailing_id",
            "campaign_id",
            "sent_datetime",
            "open_datetime",
            "links_click_datetime",
            "trace_status",
        ],
        "mailing.mailing": ["subject", "campaign_id", "cou_segment_id", "user_id"],
        "cou.segment": ["name", "company_id"],
        "res.users": ["company_id"],
        "utm.campaign": ["title", "company_id"],
        "sale.order": [
            "cou_attributed_campaign_id",
            "cou_attribution_rule",
            "cou_attribution_touch_date",
        ],
    }

    # === FIELDS === #
    event_type = fields.Selection(
        selection_add=[
            ("segment_entered", "Entered segment"),
            ("segment_left", "Left segment"),
            ("mailing_sent", "Mailing sent"),
            ("mailing_opened", "Mailing opened"),
            ("mailing_clicked", "Mailing clicked"),
            ("order_attributed", "Order attributed to campaign"),
        ],
        ondelete={
            "segment_entered": "cascade",
            "segment_left": "cascade",
            "mailing_sent": "cascade",
            "mailing_opened": "cascade",
            "mailing_clicked": "cascade",
            "order_attributed": "cascade",
        },
    )
    category = fields.Selection(
        selection_add=[("segment", "Segments"), ("campaign", "Campaigns")],
        ondelete={"segment": "cascade", "campaign": "cascade"},
    )

    # === BUSINESS METHODS === #
    def _get_timeline_icons(self):
        return {
            **super()._get_timeline_icons(),
            "segment_entered": "fa-sign-in",
            "segment_left": "fa-sign-out",
            "mailing_sent": "fa-bullhorn",
            "mailing_opened": "fa-envelope-open-o",
            "mailing_clicked": "fa-mouse-pointer",
            "order_attributed": "fa-line-chart",
        }

    def _get_timeline_sources(self):
        return super()._get_timeline_sources() + self._get_timeline_segment_sources()

    def _cou_translated(self, column):
        """A translated (jsonb) column in the user's language."""
        return SQL(
            "COALESCE(%s->>%s, %s->>'en_US')", column, self.env.lang or "en_US", column
        )

    def _get_timeline_segment_sources(self):
        member_common = {
            "row": SQL("cou_segment_member.id"),
            "category": "segment",
            "name": self._cou_translated(SQL("cou_seg.name")),
            "company_id": SQL("cou_segment_member.company_id"),
            "partner_id": SQL("cou_member_partner.commercial_partner_id"),
            "contact_id": SQL("cou_segment_member.partner_id"),
            "res_model": "cou.segment",
            "res_id": SQL("cou_segment_member.segment_id"),
            "is_internal": True,
        }
        member_from = SQL(
            "cou_segment_member"
            " JOIN cou_segment AS cou_seg ON cou_seg.id = cou_segment_member.segment_id"
            " JOIN res_partner AS cou_member_partner ON cou_member_partner.id = "
            "cou_segment_member.partner_id"
        )
        # mailing touches: anyone who may read the customer sees them, in the
        # company of the mailing (its campaign's, else its segment's, else its
        # sender's): a shared contact does not show another company's mailings
        trace_from = SQL(
            "mailing_trace"
            " JOIN res_partner ON res_partner.id = mailing_trace.res_id AND "
            "mailing_trace.model = 'res.partner'"
            " JOIN mailing_mailing AS cou_mailing ON cou_mailing.id = "
            "mailing_trace.mass_mailing_id"
            " LEFT JOIN utm_campaign AS cou_trace_campaign ON cou_trace_campaign.id = "
            "COALESCE(mailing_trace.campaign_id, cou_mailing.campaign_id)"
            " LEFT JOIN cou_segment AS cou_trace_segment ON cou_trace_segment.id = "
            "cou_mailing.cou_segment_id"
            " LEFT JOIN res_users AS cou_trace_sender ON cou_trace_sender.id = "
            "cou_mailing.user_id"
        )
        trace_common = {
            "row": SQL("mailing_trace.id"),
            "category": "campaign",
            "name": SQL("cou_mailing.subject"),
            "partner_id": SQL("res_partner.commercial_partner_id"),
            "contact_id": SQL("res_partner.id"),
            "res_model": SQL(
                "CASE WHEN mailing_trace.campaign_id IS NOT NULL THEN 'utm.campaign' "
                "ELSE 'res.partner' END"
            ),
            "res_id": SQL("COALESCE(mailing_trace.campaign_id, res_partner.id)"),
            "company_id": SQL(
                "COALESCE(cou_trace_campaign.company_id, cou_trace_segment.company_id, "
                "cou_trace_sender.company_id)"
            ),
            "is_internal": True,
        }
        return [
            {
                "code": 40,
                "model": "cou.segment.member",
                "from": member_from,
                "columns": {
                    **member_common,
                    "date": SQL("cou_segment_member.date_from"),
                    "event_type": "segment_entered",
                },
            },
            {
                "code": 41,
                "model": "cou.segment.member",
                "from": member_from,
                "where": SQL("cou_segment_member.date_to IS NOT NULL"),
                "columns": {
                    **member_common,
                    "date": SQL("cou_segment_member.date_to"),
                    "event_type": "segment_left",
                },
            },
            {
                "code": 42,
                "model": "res.partner",
                "from": trace_from,
                "where": SQL("mailing_trace.trace_status IN ('sent', 'open', 'reply')"),
                "columns": {
                    **trace_common,
                    "date": SQL("mailing_trace.sent_datetime"),
                    "event_type": "mailing_sent",
                },
            },
            {
                "code": 43,
                "model": "res.partner",
                "from": trace_from,
                "columns": {
                    **trace_common,
                    "date": SQL("mailing_trace.open_datetime"),
                    "event_type": "mailing_opened",
                },
            },
            {
                "code": 44,
                "model": "res.partner",
                "from": trace_from,
                "columns": {
                    **trace_common,
                    "date": SQL("mailing_trace.links_click_datetime"),
                    "event_type": "mailing_clicked",
                },
            },
            {
                "code": 45,
                "model": "sale.order",
                "from": SQL(
                    "sale_order"
                    " JOIN res_partner AS cou_contact ON cou_contact.id = "
                    "sale_order.partner_id"
                    " JOIN utm_campaign AS cou_campaign ON cou_campaign.id = "
                    "sale_order.cou_attributed_campaign_id"
                ),
                "where": SQL("sale_order.state = 'sale'"),
                "columns": {
                    "row": SQL("sale_order.id"),
                    "date": SQL("sale_order.date_order"),
                    "event_type": "order_attributed",
                    "category": "campaign",
                    "name": self._cou_translated(SQL("cou_campaign.title")),
                    "summary": SQL("sale_order.name"),
                    "amount": SQL("sale_order.amount_untaxed"),
                    "currency_id": SQL("sale_order.currency_id"),
                    "user_id": SQL("sale_order.user_id"),
                    "company_id": SQL("sale_order.company_id"),
                    "partner_id": SQL("cou_contact.commercial_partner_id"),
                    "contact_id": SQL("sale_order.partner_id"),
                    "res_model": "sale.order",
                    "res_id": SQL("sale_order.id"),
                    "is_internal": True,
                },
            },
        ]
