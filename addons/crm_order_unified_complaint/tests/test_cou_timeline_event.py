from datetime import timedelta

from lxml import etree

from odoo import fields
from odoo.osv.expression import AND as expression_and
from odoo.osv.expression import OR as expression_or
from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from odoo.addons.crm_order_unified.tests.test_timeline import TimelineCommon


@tagged("post_install", "-at_install")
class TestComplaintTimeline(TimelineCommon):
    """Complaint events in the customer timeline: their filter, their icons."""

    def test_complaints_and_returns_this_quarter_by_customer(self):
        """The shipped search filters answer "complaints and returns this
        quarter, grouped by customer" (filters of one group are OR-ed)."""
        arch = etree.fromstring(
            self.Event.get_views([(False, "search")])["views"]["search"]["arch"]
        )
        filters = {node.get("name"): node for node in arch.iter("filter")}
        for name in (
            "filter_complaint",
            "filter_return",
            "filter_date",
            "groupby_partner",
        ):
            self.assertIn(name, filters)
        # one group: no separator between the two filters
        siblings = list(filters["filter_return"].getparent())
        between = siblings[
            siblings.index(filters["filter_return"]) : siblings.index(
                filters["filter_complaint"]
            )
            + 1
        ]
        self.assertFalse([node for node in between if node.tag == "separator"])

        self._create_delivered_order_and_return()
        complaint = self.env["cou.complaint"].create(
            {"name": "Broken widget", "partner_id": self.contact.id}
        )
        domain = expression_or(
            [
                safe_eval(filters["filter_complaint"].get("domain")),
                safe_eval(filters["filter_return"].get("domain")),
            ]
        )
        today = fields.Date.context_today(self.Event)
        quarter_start = fields.Date.start_of(today, "quarter")
        domain = expression_and(
            [
                domain,
                [
                    ("date", ">=", fields.Datetime.to_datetime(quarter_start)),
                    (
                        "date",
                        "<",
                        fields.Datetime.to_datetime(
                            fields.Date.end_of(today, "quarter")
                        )
                        + timedelta(days=1),
                    ),
                ],
            ]
        )
        groups = dict(self.Event._read_group(domain, ["partner_id"], ["__count"]))
        self.assertEqual(
            groups.get(self.customer), 2, "one return and one complaint opened"
        )
        events = self.Event.search(domain + [("partner_id", "=", self.customer.id)])
        self.assertEqual(set(events.mapped("category")), {"delivery", "complaint"})
        self.assertIn(
            complaint.id,
            events.filtered(lambda e: e.category == "complaint").mapped("res_id"),
        )

    def test_complaint_event_types_have_icons(self):
        config = self.env["cou.timeline.event"].get_timeline_config()
        for key in (
            "complaint_opened",
            "complaint_stage",
            "complaint_resolved",
            "complaint_rated",
        ):
            self.assertTrue(config["icons"].get(key), key)
