from datetime import datetime

from freezegun import freeze_time

from odoo.tests import tagged

from .common import ComplaintCommon


@tagged("post_install", "-at_install")
class TestComplaintRating(ComplaintCommon):
    """Satisfaction ratings (rating.mixin): the request on closing, the customer's
    answer, and the figures on the complaint, its team and the customer. The token
    route itself (/rate/<token>/<rate>) is exercised in test_ui_complaint.py, which
    runs with an HTTP server."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rating_template = cls.env.ref(
            "crm_order_unified_complaint.mail_template_cou_complaint_rating_request"
        )
        # Set here so that the tests do not depend on the data (noupdate) of an old
        # database.
        cls.stage_resolved.rating_template_id = cls.rating_template

    def _close_and_get_rating(self, complaint):
        complaint.with_user(self.user_agent).action_close()
        return self.env["rating.rating"].search(
            [("res_model", "=", "cou.complaint"), ("res_id", "=", complaint.id)]
        )

    def test_rating_request_sent_on_close(self):
        complaint = self._create_complaint(user_id=self.user_agent.id)
        self.assertFalse(complaint.rating_ids)
        complaint.stage_id = self.stage_progress
        self.assertFalse(complaint.rating_ids, "no request before a closing stage")
        rating = self._close_and_get_rating(complaint)
        self.assertEqual(len(rating), 1)
        self.assertFalse(rating.consumed)
        self.assertEqual(rating.partner_id, self.contact)
        self.assertEqual(rating.rated_partner_id, self.user_agent.partner_id)
        self.assertEqual(rating.parent_res_model, "cou.complaint.team")
        self.assertEqual(rating.parent_res_id, self.team.id)
        message = complaint.message_ids.filtered(
            lambda m: rating.access_token in (m.body or "")
        )
        self.assertEqual(len(message), 1, "the request carries the rating links")
        self.assertIn(self.contact, message.partner_ids)
        self.assertIn(f"/rate/{rating.access_token}/5", message.body)

    def test_no_rating_request_when_team_opts_out_or_cancelled(self):
        self.team.use_rating = False
        complaint = self._create_complaint()
        self.assertFalse(self._close_and_get_rating(complaint))
        self.team.use_rating = True
        cancelled = self._create_complaint()
        cancelled.stage_id = self.stage_cancelled
        self.assertFalse(
            cancelled.rating_ids, "the cancelled stage has no rating template"
        )

    def test_customer_rating_shows_on_complaint_team_and_customer(self):
        complaint = self._create_complaint(user_id=self.user_agent.id)
        rating = self._close_and_get_rating(complaint)
        # What the /rate/<token>/submit_feedback route does (sudo, found by token).
        complaint.sudo().rating_apply(
            5, token=rating.access_token, feedback="Fast replacement, thanks"
        )
        self.assertTrue(rating.consumed)
        self.assertEqual(complaint.rating_last_value, 5)
        self.assertEqual(complaint.rating_count, 1)
        self.assertEqual(complaint.rating_avg, 5)
        self.assertEqual(complaint.rating_last_feedback, "Fast replacement, thanks")
        self.assertEqual(self.team.rating_count, 1)
        self.assertEqual(self.team.rating_percentage_satisfaction, 100)
        customer = self.customer.with_user(self.user_agent)
        self.assertEqual(customer.cou_complaint_rating_count, 1)
        self.assertEqual(customer.cou_complaint_rating_satisfaction, 100)
        self.assertEqual(
            self.contact.with_user(self.user_agent).cou_complaint_rating_satisfaction,
            100,
            "every contact shows its company's figure",
        )

        second = self._create_complaint()
        second_rating = self._close_and_get_rating(second)
        second.sudo().rating_apply(1, token=second_rating.access_token)
        self.customer.invalidate_recordset()
        self.team.invalidate_recordset()
        self.assertEqual(self.customer.cou_complaint_rating_count, 2)
        self.assertEqual(self.customer.cou_complaint_rating_satisfaction, 50)
        self.assertEqual(self.team.rating_percentage_satisfaction, 50)
        self.assertEqual(self.other_customer.cou_complaint_rating_count, 0)
        action = self.customer.action_cou_view_complaint_ratings()
        self.assertEqual(
            self.env["rating.rating"].search(action["domain"]), rating | second_rating
        )
        self.assertEqual(
            self.env["rating.rating"].search(complaint.action_open_ratings()["domain"]),
            rating,
        )
        self.assertEqual(
            self.env["rating.rating"].search(self.team.action_view_ratings()["domain"]),
            rating | second_rating,
        )
        self.assertEqual(
            self.Complaint.search(
                [("id", "in", (complaint | second).ids), ("rating_avg", "<", 3)]
            ),
            second,
        )

    def test_customer_figures_are_set_based(self):
        """As many queries for one customer as for many (one grouped query on
        ratings)."""
        third = self.env["res.partner"].create(
            {"name": "Third Customer", "is_company": True}
        )
        for partner in (self.contact, self.other_customer, third):
            complaint = self._create_complaint(partner_id=partner.id)
            complaint.sudo().rating_apply(
                5, token=self._close_and_get_rating(complaint).access_token
            )
        self.env.flush_all()

        everyone = self.customer | self.contact | self.other_customer | third

        def count_queries(partners):
            self.env.invalidate_all()
            everyone.commercial_partner_id.mapped(
                "name"
            )  # prefetch outside the measure
            before = self.env.cr.sql_log_count
            partners._compute_cou_complaint_rating()
            return self.env.cr.sql_log_count - before

        one = count_queries(self.customer)
        many = count_queries(everyone)
        self.assertLessEqual(
            many, one, "the number of queries does not grow with the customers"
        )
        self.assertLessEqual(many, 3)
        self.assertEqual(third.cou_complaint_rating_count, 1)

    def test_rating_timeline_event(self):
        complaint = self._create_complaint()
        rating = self._close_and_get_rating(complaint)
        complaint.sudo().rating_apply(
            3, token=rating.access_token, feedback="OK in the end"
        )
        self.env.flush_all()
        events = self.env["cou.timeline.event"].search(
            [
                ("partner_id", "=", self.customer.id),
                ("event_type", "=", "complaint_rated"),
                ("res_id", "=", complaint.id),
            ]
        )
        self.assertEqual(len(events), 1)
        self.assertEqual(events.res_model, "cou.complaint")
        self.assertEqual(events.category, "complaint")
        self.assertEqual(events.contact_id, self.contact)
        self.assertEqual(events.summary, "Broken kettle: 3/5 OK in the end")
        self.assertFalse(
            self.env["cou.timeline.event"]
            .with_user(self.user_outsider)
            .search(
                [("event_type", "=", "complaint_rated"), ("res_id", "=", complaint.id)]
            ),
            "the complaint's access rules apply",
        )

    def test_automated_action_reacts_to_low_rating(self):
        automation = self.env.ref(
            "crm_order_unified_complaint.base_automation_cou_complaint_low_rating"
        )
        automation.active = True
        happy = self._create_complaint(user_id=self.user_agent.id)
        unhappy = self._create_complaint(user_id=self.user_agent.id)
        happy_rating = self._close_and_get_rating(happy)
        unhappy_rating = self._close_and_get_rating(unhappy)
        happy.sudo().rating_apply(5, token=happy_rating.access_token)
        unhappy.sudo().rating_apply(1, token=unhappy_rating.access_token)
        # rating_last_value is recomputed (and the automation runs) at flush
        self.env.flush_all()
        self.assertFalse(happy.activity_ids)
        self.assertEqual(
            unhappy.activity_ids.user_id,
            self.user_manager,
            "the team leader calls back",
        )
        self.assertIn("1/5", unhappy.activity_ids.note)


@tagged("post_install", "-at_install")
class TestComplaintBreachOnSave(ComplaintCommon):
    """A breach detected when a complaint is saved (not by the SLA job) schedules the
    responsible's activity with the job's helper, once."""

    def test_breach_on_create_schedules_activity(self):
        with freeze_time("2024-03-06 12:00:00"):  # Wednesday
            complaint = self._create_complaint(
                user_id=self.user_agent.id, date_open=datetime(2024, 3, 1, 9, 0)
            )
            self.assertTrue(complaint.sla_breached)
            self.assertEqual(complaint.activity_ids.user_id, self.user_agent)
            self.assertFalse(
                self.Complaint._cron_check_sla() & complaint,
                "the job does not flag it again",
            )
            self.assertEqual(len(complaint.activity_ids), 1)

    def test_breach_on_write_schedules_activity(self):
        with freeze_time("2024-03-01 09:00:00"):  # Friday
            complaint = self._create_complaint()
            self.assertFalse(complaint.sla_breached)
        with freeze_time("2024-03-01 11:00:00"):
            self.env["cou.complaint.sla"].create(
                {
                    "name": "Urgent",
                    "team_id": self.team.id,
                    "priority": "3",
                    "first_response_hours": 1,
                }
            )
            complaint.priority = (
                "3"  # the tighter policy's deadline (10:00) already passed
            )
            self.assertTrue(complaint.sla_breached)
            self.assertEqual(
                complaint.activity_ids.user_id,
                self.user_manager,
                "no assignee: the team leader",
            )
            complaint.name = "Broken kettle (urgent)"
            self.assertEqual(len(complaint.activity_ids), 1, "scheduled once")

    def test_late_closing_schedules_nothing(self):
        with freeze_time("2024-03-01 09:00:00"):
            complaint = self._create_complaint(user_id=self.user_agent.id)
        with freeze_time("2024-03-11 09:00:00"):
            complaint.with_context(cou_skip_breach_check=False).action_close()
            self.assertTrue(complaint.sla_breached)
            self.assertFalse(
                complaint.activity_ids, "a closed complaint needs no reminder"
            )

    def test_customer_rating_counts_per_company(self):
        """A rating on a complaint of company B does not count for company A."""
        company_b = self.env["res.company"].create({"name": "COU Ratings B"})
        self.env.user.company_ids |= company_b
        team_b = self.env["cou.complaint.team"].create(
            {"name": "Care B", "company_id": company_b.id}
        )
        complaint_b = self.Complaint.with_company(company_b).create(
            {
                "name": "B: late parcel",
                "team_id": team_b.id,
                "partner_id": self.contact.id,
                "company_id": company_b.id,
            }
        )
        rating = self.env["rating.rating"].create(
            {
                "res_model_id": self.env["ir.model"]._get_id("cou.complaint"),
                "res_id": complaint_b.id,
                "partner_id": self.contact.id,
                "rating": 1,
                "consumed": True,
            }
        )
        in_a = self.customer.with_context(allowed_company_ids=[self.env.company.id])
        self.assertEqual(in_a.cou_complaint_rating_count, 0)
        in_b = self.customer.with_context(allowed_company_ids=[company_b.id])
        self.assertEqual(in_b.cou_complaint_rating_count, 1)
        self.assertTrue(rating)
