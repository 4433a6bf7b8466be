from odoo import fields, models
from odoo.tools import SQL

# the care events' source code on the timeline (50-63: other addons)
CARE_TIMELINE_CODE = 55


class CouTimelineEvent(models.Model):
    _inherit = "cou.timeline.event"
    _depends = {
        "cou.care.event": [
            "date",
            "event_type",
            "user_id",
            "order_id",
            "partner_id",
            "message",
            "reason",
            "company_id",
            "product_id",
            "level",
        ],
    }

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    event_type = fields.Selection(
        selection_add=[
            ("care_shown", "Care warning shown"),
            ("care_acknowledged", "Care warning acknowledged"),
            ("care_overridden", "Care block overridden"),
            ("care_swapped", "Care alternative chosen"),
        ],
        ondelete={
            "care_shown": "cascade",
            "care_acknowledged": "cascade",
            "care_overridden": "cascade",
            "care_swapped": "cascade",
        },
    )
    category = fields.Selection(
        selection_add=[("care", "Care Warnings")],
        ondelete={"care": "cascade"},
    )

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _get_timeline_icons(self):
        return {
            **super()._get_timeline_icons(),
            "care_shown": "fa-heartbeat",
            "care_acknowledged": "fa-check",
            "care_overridden": "fa-unlock",
            "care_swapped": "fa-exchange",
        }

    def _get_timeline_sources(self):
        return super()._get_timeline_sources() + self._get_timeline_care_sources()

    def _get_timeline_care_sources(self):
        return [
            {
                "code": CARE_TIMELINE_CODE,
                "model": "cou.care.event",
                "from": SQL(
                    "cou_care_event"
                    " JOIN res_partner AS cou_contact"
                    " ON cou_contact.id = cou_care_event.partner_id"
                    " JOIN sale_order AS cou_care_order"
                    " ON cou_care_order.id = cou_care_event.order_id"
                ),
                "columns": {
                    "row": SQL("cou_care_event.id"),
                    "date": SQL("cou_care_event.date"),
                    "event_type": SQL("'care_' || cou_care_event.event_type"),
                    "category": "care",
                    "name": SQL("cou_care_order.name"),
                    "summary": SQL(
                        "COALESCE(cou_care_event.message, '')"
                        " || COALESCE(' / ' || NULLIF(cou_care_event.reason, ''), '')"
                    ),
                    "user_id": SQL("cou_care_event.user_id"),
                    "company_id": SQL("cou_care_event.company_id"),
                    "partner_id": SQL("cou_contact.commercial_partner_id"),
                    "contact_id": SQL("cou_care_event.partner_id"),
                    "res_model": "sale.order",
                    "res_id": SQL("cou_care_event.order_id"),
                    "is_internal": True,
                },
            }
        ]
