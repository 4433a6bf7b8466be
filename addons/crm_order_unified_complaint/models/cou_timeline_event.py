from odoo import fields, models
from odoo.tools import SQL


class CouTimelineEvent(models.Model):
    _inherit = "cou.timeline.event"
    _depends = {
        "cou.complaint": [
            "reference",
            "name",
            "date_open",
            "date_closed",
            "partner_id",
            "company_id",
            "user_id",
            "stage_id",
            "is_closed",
        ],
        "cou.complaint.stage": ["is_cancelled"],
        "mail.tracking.value": ["field_id", "new_value_char", "mail_message_id"],
        "rating.rating": ["res_model", "res_id", "rating", "feedback", "consumed"],
    }

    event_type = fields.Selection(
        selection_add=[
            ("complaint_opened", "Complaint opened"),
            ("complaint_stage", "Complaint stage changed"),
            ("complaint_resolved", "Complaint resolved"),
            ("complaint_rated", "Complaint rated"),
        ],
        ondelete={
            "complaint_opened": "cascade",
            "complaint_stage": "cascade",
            "complaint_resolved": "cascade",
            "complaint_rated": "cascade",
        },
    )
    category = fields.Selection(
        selection_add=[("complaint", "Complaints")],
        ondelete={"complaint": "cascade"},
    )

    def _get_timeline_icons(self):
        return {
            **super()._get_timeline_icons(),
            "complaint_opened": "fa-exclamation-circle",
            "complaint_stage": "fa-exchange",
            "complaint_resolved": "fa-check-circle-o",
            "complaint_rated": "fa-smile-o",
        }

    def _get_timeline_sources(self):
        return super()._get_timeline_sources() + self._get_timeline_complaint_sources()

    def _get_timeline_complaint_sources(self):
        contact = SQL(
            "res_partner AS cou_contact ON cou_contact.id = cou_complaint.partner_id"
        )
        common = {
            "row": SQL("cou_complaint.id"),
            "category": "complaint",
            "name": SQL("cou_complaint.reference"),
            "summary": SQL("cou_complaint.name"),
            "user_id": SQL("cou_complaint.user_id"),
            "company_id": SQL("cou_complaint.company_id"),
            "partner_id": SQL("cou_contact.commercial_partner_id"),
            "contact_id": SQL("cou_complaint.partner_id"),
            "res_model": "cou.complaint",
            "res_id": SQL("cou_complaint.id"),
        }
        stage_field = self.env["ir.model.fields"]._get("cou.complaint", "stage_id").id
        return [
            {
                "code": 30,
                "model": "cou.complaint",
                "from": SQL("cou_complaint JOIN %s", contact),
                "where": SQL("cou_complaint.active"),
                "columns": {
                    **common,
                    "date": SQL("cou_complaint.date_open"),
                    "event_type": "complaint_opened",
                },
            },
            {
                "code": 31,
                "model": "cou.complaint",
                "from": SQL(
                    """mail_tracking_value AS cou_tracking
                       JOIN mail_message AS cou_message ON cou_message.id =
                           cou_tracking.mail_message_id
                       JOIN cou_complaint ON cou_complaint.id = cou_message.res_id
                                         AND cou_message.model = 'cou.complaint'
                       JOIN %s""",
                    contact,
                ),
                "where": SQL(
                    "cou_tracking.field_id = %s AND cou_complaint.active", stage_field
                ),
                "columns": {
                    **common,
                    "row": SQL("cou_tracking.id"),
                    "date": SQL("cou_message.date"),
                    "event_type": "complaint_stage",
                    "summary": SQL(
                        "cou_complaint.name || ': ' || "
                        "COALESCE(cou_tracking.old_value_char, '') || ' → ' "
                        "|| COALESCE(cou_tracking.new_value_char, '')"
                    ),
                },
            },
            {
                "code": 32,
                "model": "cou.complaint",
                "from": SQL(
                    "cou_complaint JOIN %s JOIN cou_complaint_stage AS cou_stage ON "
                    "cou_stage.id = cou_complaint.stage_id",
                    contact,
                ),
                "where": SQL(
                    "cou_complaint.active AND cou_complaint.date_closed IS NOT NULL "
                    "AND cou_stage.is_cancelled IS NOT TRUE"
                ),
                "columns": {
                    **common,
                    "date": SQL("cou_complaint.date_closed"),
                    "event_type": "complaint_resolved",
                },
            },
            {
                "code": 33,
                "model": "cou.complaint",
                "from": SQL(
                    """rating_rating AS cou_rating
                       JOIN cou_complaint ON cou_complaint.id = cou_rating.res_id
                                         AND cou_rating.res_model = 'cou.complaint'
                       JOIN %s""",
                    contact,
                ),
                "where": SQL(
                    "cou_rating.consumed AND cou_rating.rating >= 1 AND "
                    "cou_complaint.active"
                ),
                "columns": {
                    **common,
                    "row": SQL("cou_rating.id"),
                    "date": SQL("cou_rating.write_date"),
                    "event_type": "complaint_rated",
                    "summary": SQL(
                        "cou_complaint.name || ': ' || CAST(CAST(cou_rating.rating AS "
                        "integer) AS varchar) || '/5'"
                        " || COALESCE(' ' || NULLIF(cou_rating.feedback, ''), '')"
                    ),
                },
            },
        ]
