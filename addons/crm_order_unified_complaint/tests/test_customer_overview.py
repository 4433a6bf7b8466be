from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestComplaintCustomerOverview(TransactionCase):
    """The customer overview counts and lists the customer's open complaints."""

    def test_open_complaints_in_the_overview(self):
        customer = self.env["res.partner"].create(
            {"name": "COU Complaint Overview", "is_company": True}
        )
        contact = self.env["res.partner"].create(
            {"name": "COU Complaint Buyer", "parent_id": customer.id}
        )
        complaint = self.env["cou.complaint"].create(
            {"name": "COU Parcel crushed", "partner_id": contact.id}
        )
        overview = contact.get_customer_overview()
        figures = {f["name"]: f for f in overview["figures"]}
        self.assertEqual(figures["customer_open_complaint_count"]["value"], 1)
        self.assertEqual(
            figures["customer_open_complaint_count"]["action"],
            "action_cou_view_complaints",
        )
        items = {item["key"]: item for item in overview["open_items"]}
        self.assertEqual(items["complaints"]["count"], 1)
        self.assertEqual(
            [row["id"] for row in items["complaints"]["records"]], complaint.ids
        )
        self.assertEqual(items["complaints"]["records"][0]["detail"], complaint.name)
