from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestSegmentCustomerOverview(TransactionCase):
    """The customer overview shows the customer's current segments as badges."""

    def test_segments_as_badges(self):
        customer = self.env["res.partner"].create(
            {"name": "COU Segment Overview", "is_company": True}
        )
        segment = self.env["cou.segment"].create(
            {
                "name": "COU Key accounts",
                "segment_type": "static",
                "company_id": self.env.company.id,
                "static_partner_ids": [(6, 0, customer.ids)],
                "color": 5,
                "description": "Chosen by hand.",
            }
        )
        self.env.invalidate_all()
        badges = customer.get_customer_overview()["badges"]
        self.assertIn(
            ("COU Key accounts", 5, "Chosen by hand.", segment.id),
            [(b["label"], b["color"], b["title"], b["id"]) for b in badges],
        )
        segment.static_partner_ids = [(3, customer.id)]  # left the segment
        self.env.invalidate_all()
        badges = customer.get_customer_overview()["badges"]
        self.assertNotIn(segment.id, [b["id"] for b in badges])
