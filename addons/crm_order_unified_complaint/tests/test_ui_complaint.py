from datetime import timedelta

from odoo import Command, fields, http
from odoo.tests import new_test_user

from odoo.addons.crm_order_unified.tests.common_tour import CouTourCase


class TestComplaintUi(CouTourCase):
    """Back end: file a complaint from an order, move it through the kanban, close it.
    Portal: "My complaints", filing from an order page, follow, no access to others'."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.customer = env["res.partner"].create(
            {
                "name": "Tour Complaint Customer",
                "is_company": True,
                "email": "tour.complaint@example.com",
            }
        )
        product = env["product.product"].create(
            {"name": "Tour Complaint Lamp", "type": "consu", "list_price": 20.0}
        )
        cls.order = env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "product_uom_qty": 1,
                            "price_unit": 20.0,
                        }
                    )
                ],
            }
        )
        cls.order.action_confirm()
        cls.portal_user = new_test_user(
            env,
            "cou_tour_portal",
            groups="base.group_portal",
            name="Pat Portal",
            password="cou_tour_portal",
        )
        cls.portal_user.partner_id.parent_id = cls.customer
        cls.order.message_subscribe(partner_ids=cls.portal_user.partner_id.ids)

    def test_complaint_tour(self):
        self.start_tour(
            f"/odoo/sales/{self.order.id}",
            "crm_order_unified_complaint_tour",
            login="admin",
        )
        complaint = self.env["cou.complaint"].search(
            [("name", "=", "Tour: lamp arrived broken")]
        )
        self.assertEqual(complaint.sale_order_id, self.order)
        self.assertEqual(complaint.commercial_partner_id, self.customer)
        self.assertTrue(complaint.is_closed)
        self.assertEqual(complaint.resolution_type, "replacement")

    def test_complaint_overview_tour(self):
        """The team overview: a figure opens the list behind it."""
        env = self.env(context=dict(self.env.context, tracking_disable=True))
        team = env["cou.complaint.team"].create(
            {
                "name": "Tour Overview Team",
                "resource_calendar_id": False,
                "member_ids": [Command.link(env.ref("base.user_admin").id)],
            }
        )
        env["cou.complaint.sla"].create(
            {"name": "Tour SLA", "team_id": team.id, "first_response_hours": 2}
        )
        now = fields.Datetime.now()
        complaints = env["cou.complaint"].create(
            [
                {
                    "name": "Tour: overdue complaint",
                    "team_id": team.id,
                    "partner_id": self.customer.id,
                    "date_open": now - timedelta(days=10),
                },
                {
                    "name": "Tour: fresh complaint",
                    "team_id": team.id,
                    "partner_id": self.customer.id,
                },
            ]
        )
        self.assertEqual(team.overdue_complaint_count, 1)
        self.assertEqual(team.open_complaint_count, 2)
        self.assertTrue(complaints[0].sla_breached)
        self.start_tour(
            "/odoo", "crm_order_unified_complaint_overview_tour", login="admin"
        )

    def test_portal_file_and_follow(self):
        self.authenticate("cou_tour_portal", "cou_tour_portal")
        page = self.url_open(f"/my/orders/{self.order.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn(f"/my/complaints/new?order_id={self.order.id}", page.text)
        form = self.url_open(f"/my/complaints/new?order_id={self.order.id}")
        self.assertIn(self.order.name, form.text)
        response = self.url_open(
            "/my/complaints/new",
            data={
                "csrf_token": http.Request.csrf_token(self),
                "order_id": self.order.id,
                "name": "Portal: cable too short",
                "description": "The cable\nis too short.",
            },
        )
        self.assertEqual(response.status_code, 200)
        complaint = self.env["cou.complaint"].search(
            [("name", "=", "Portal: cable too short")]
        )
        self.assertEqual(complaint.channel, "portal")
        self.assertEqual(complaint.partner_id, self.portal_user.partner_id)
        self.assertEqual(complaint.sale_order_id, self.order)
        self.assertIn(f"/my/complaints/{complaint.id}", response.url)
        listing = self.url_open("/my/complaints")
        self.assertIn(complaint.reference, listing.text)
        self.url_open(
            f"/my/complaints/{complaint.id}/follow",
            data={"csrf_token": http.Request.csrf_token(self), "follow": "0"},
        )
        self.assertNotIn(self.portal_user.partner_id, complaint.message_partner_ids)
        self.url_open(
            f"/my/complaints/{complaint.id}/follow",
            data={"csrf_token": http.Request.csrf_token(self), "follow": "1"},
        )
        self.assertIn(self.portal_user.partner_id, complaint.message_partner_ids)

    def test_portal_refuses_foreign_documents(self):
        other = self.env["res.partner"].create({"name": "Foreign Tour Customer"})
        foreign_order = self.env["sale.order"].create({"partner_id": other.id})
        foreign_complaint = self.env["cou.complaint"].create(
            {"name": "Not yours", "partner_id": other.id}
        )
        self.authenticate("cou_tour_portal", "cou_tour_portal")
        response = self.url_open(f"/my/complaints/new?order_id={foreign_order.id}")
        self.assertTrue(
            response.url.endswith("/my"), "redirected: the order is not theirs"
        )
        response = self.url_open(f"/my/complaints/{foreign_complaint.id}")
        self.assertTrue(response.url.endswith("/my"))
        self.assertNotIn("Not yours", self.url_open("/my/complaints").text)
        response = self.url_open(
            "/my/complaints/new",
            data={
                "csrf_token": http.Request.csrf_token(self),
                "order_id": self.order.id,
                "name": "",
                "description": "",
            },
        )
        self.assertIn("Please give a subject", response.text)

    def test_customer_rates_through_token_route(self):
        """The rating request's link opens Odoo's /rate/<token>/<rate> page; submitting
        it rates the complaint."""
        stage_resolved = self.env.ref(
            "crm_order_unified_complaint.cou_complaint_stage_resolved"
        )
        stage_resolved.rating_template_id = self.env.ref(
            "crm_order_unified_complaint.mail_template_cou_complaint_rating_request"
        )
        complaint = self.env["cou.complaint"].create(
            {
                "name": "Tour: rate me",
                "partner_id": self.portal_user.partner_id.id,
                "sale_order_id": self.order.id,
            }
        )
        complaint.action_close()
        rating = complaint.rating_ids
        self.assertEqual(len(rating), 1)
        self.assertFalse(rating.consumed)
        self.authenticate(None, None)  # the public visitor clicking in the email
        page = self.url_open(f"/rate/{rating.access_token}/5")
        self.assertEqual(page.status_code, 200)
        self.assertIn("submit_feedback", page.text)
        response = self.url_open(
            f"/rate/{rating.access_token}/submit_feedback",
            data={
                "csrf_token": http.Request.csrf_token(self),
                "rate": "5",
                "feedback": "Great care",
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertTrue(rating.consumed)
        self.assertEqual(rating.rating, 5)
        self.assertEqual(complaint.rating_last_value, 5)
        self.assertEqual(complaint.rating_last_feedback, "Great care")
        self.assertEqual(
            rating.parent_res_id,
            complaint.team_id.id,
            "counts in the team's satisfaction",
        )
        self.assertEqual(self.customer.cou_complaint_rating_satisfaction, 100)
        self.assertTrue(
            complaint.message_ids.filtered(
                lambda m: m.author_id == self.portal_user.partner_id
            )
        )

    def test_portal_file_from_delivery_and_mismatch_refused(self):
        """Filing from a delivery fills its order; a delivery of another order is
        refused with the model's message (no traceback, nothing written)."""
        delivery = self.order.picking_ids[:1]
        self.assertTrue(delivery)
        second = self.order.copy()
        second.action_confirm()
        second.message_subscribe(
            partner_ids=self.portal_user.partner_id.ids
        )  # the customer sees it
        self.authenticate("cou_tour_portal", "cou_tour_portal")
        response = self.url_open(
            "/my/complaints/new",
            data={
                "csrf_token": http.Request.csrf_token(self),
                "picking_id": delivery.id,
                "name": "Portal: dented box",
                "description": "Dented.",
            },
        )
        self.assertEqual(response.status_code, 200)
        complaint = self.env["cou.complaint"].search(
            [("name", "=", "Portal: dented box")]
        )
        self.assertEqual(
            (complaint.picking_id, complaint.sale_order_id), (delivery, self.order)
        )
        response = self.url_open(
            "/my/complaints/new",
            data={
                "csrf_token": http.Request.csrf_token(self),
                "order_id": second.id,
                "picking_id": delivery.id,
                "name": "Portal: mismatch",
                "description": "Wrong pair.",
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("is not a delivery of the sale order", response.text)
        self.assertFalse(
            self.env["cou.complaint"].search([("name", "=", "Portal: mismatch")])
        )
