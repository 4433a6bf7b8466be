from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestCareCustomerOverview(TransactionCase):
    """The customer overview shows the customer's care attributes."""

    def test_care_attributes_in_the_overview(self):
        attribute = self.env["cou.care.attribute"].create(
            {"name": "COU Sensitive skin", "color": 3, "description": "Ask first."}
        )
        customer = self.env["res.partner"].create(
            {"name": "COU Care Overview", "is_company": True}
        )
        contact = self.env["res.partner"].create(
            {"name": "COU Care Buyer", "parent_id": customer.id}
        )
        self.assertEqual(contact.get_customer_overview()["care"], [])
        customer.care_attribute_ids = attribute
        care = contact.get_customer_overview()["care"]
        self.assertEqual(
            [(c["label"], c["color"], c["title"], c["id"]) for c in care],
            [("COU Sensitive skin", 3, "Ask first.", attribute.id)],
        )
