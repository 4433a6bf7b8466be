from odoo import fields
from odoo.tests import new_test_user, tagged

from odoo.addons.crm_order_unified.tests.test_timeline import TimelineCommon


@tagged("post_install", "-at_install")
class TestSegmentTimeline(TimelineCommon):
    """Segment and campaign events in the customer timeline: filters, icons."""

    def test_segment_event_types_and_filters(self):
        types = [key for key, _label in self.Event._fields["event_type"].selection]
        self.assertIn("segment_entered", types)
        config = self.Event.get_timeline_config()
        missing = [
            key
            for key in types
            if key.startswith(("segment_", "campaign_"))
            and not config["icons"].get(key)
        ]
        self.assertFalse(missing, f"segment event types without an icon: {missing}")
        search = self.Event.get_views([(False, "search")])["views"]["search"]["arch"]
        self.assertIn('name="filter_segment"', search)
        self.assertIn('name="filter_campaign"', search)

    def test_mailing_events_have_the_mailing_company(self):
        """A mailing of company B's campaign to a contact shared by both
        companies shows in B's timeline, not in A's."""
        company_b = self.env["res.company"].create({"name": "COU Mailing B"})
        campaign_b = self.env["utm.campaign"].create(
            {"name": "B spring", "company_id": company_b.id}
        )
        mailing = self.env["mailing.mailing"].create(
            {
                "subject": "B's secret spring offer",
                "body_html": "<p>Hello</p>",
                "mailing_model_id": self.env["ir.model"]._get_id("res.partner"),
                "campaign_id": campaign_b.id,
            }
        )
        self.env["mailing.trace"].create(
            {
                "model": "res.partner",
                "res_id": self.contact.id,
                "mass_mailing_id": mailing.id,
                "campaign_id": campaign_b.id,
                "trace_status": "sent",
                "sent_datetime": fields.Datetime.now(),
                "email": "contact@example.com",
            }
        )
        self.env.flush_all()
        domain = [
            ("partner_id", "=", self.customer.id),
            ("event_type", "=", "mailing_sent"),
        ]
        event = self.Event.with_context(allowed_company_ids=[company_b.id]).search(
            domain
        )
        self.assertEqual(event.company_id, company_b)
        user_a = new_test_user(
            self.env,
            login="cou_mailing_user_a",
            groups="base.group_user,sales_team.group_sale_salesman_all_leads",
            company_id=self.company.id,
            company_ids=[self.company.id],
        )
        self.assertFalse(self.Event.with_user(user_a).search(domain))
