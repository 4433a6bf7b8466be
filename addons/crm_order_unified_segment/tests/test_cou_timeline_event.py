from odoo.tests import tagged

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
