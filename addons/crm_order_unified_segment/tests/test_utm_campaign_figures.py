"""Campaign figures on a hand-built campaign: each figure follows from the
ones shown beside it (issue 14), sales rights and company (issue 10)."""

from datetime import datetime, timedelta

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, tagged

from .common import CouSegmentCommon

SENT = datetime(2025, 6, 1, 9, 0)


@tagged("post_install", "-at_install")
class TestUtmCampaignFigures(CouSegmentCommon):
    """Company B; campaign X with two mailings.

    ======  ==============================  ==================================
    who     mailing traces                  orders (company B unless told)
    ======  ==============================  ==================================
    P1      1: opened + clicked; 2: sent    100 + 200 after the click (click)
    P2      1: opened                       -
    P3      1: sent                         300 with the campaign (UTM)
    P4      1: bounced (sent, not delivered) -
    P5      1: sent, its contact C5 too     -
    P6      1: cancelled (never sent)       -
    P7      not mailed                      400 with the campaign (UTM)
    P1      -                               900 in company A, with the
                                            campaign (not credited)
    ======  ==============================  ==================================

    recipients 6 (P1..P5, C5: contacts, each once), delivered 5, opened 2,
    clicked 1; attributed orders 4 (P1 x2, P3, P7), customers 3, revenue
    1000; ordering recipients 2 (P1, P3): rate 2 / 6; revenue of recipients
    600 (P7 was not mailed): per recipient 100; per ordering customer 1000/3.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.cou_attribution_touch = "click"
        cls.company.cou_attribution_window_days = 7
        cls.campaign = (
            cls.env["utm.campaign"]
            .with_company(cls.company)
            .create(
                {"title": "COU Figures", "company_id": cls.company.id, "cou_cost": 250}
            )
        )
        mailing_vals = {
            "body_html": "<p>Hello</p>",
            "mailing_model_id": cls.env["ir.model"]._get_id("res.partner"),
            "campaign_id": cls.campaign.id,
        }
        cls.mailing_1 = cls.env["mailing.mailing"].create(
            dict(mailing_vals, subject="First")
        )
        cls.mailing_2 = cls.env["mailing.mailing"].create(
            dict(mailing_vals, subject="Second")
        )
        P = cls._seg_partner
        cls.p1, cls.p2, cls.p3, cls.p4, cls.p5, cls.p6, cls.p7 = (
            P(f"COU Fig P{i}") for i in range(1, 8)
        )
        cls.c5 = cls.env["res.partner"].create(
            {"name": "COU Fig C5", "parent_id": cls.p5.id, "email": "c5@example.com"}
        )

        def trace(mailing, partner, status="sent", clicked=None, sent=SENT):
            return cls.env["mailing.trace"].create(
                {
                    "model": "res.partner",
                    "res_id": partner.id,
                    "mass_mailing_id": mailing.id,
                    "email": partner.email,
                    "trace_status": status,
                    "sent_datetime": sent,
                    "links_click_datetime": clicked,
                }
            )

        trace(cls.mailing_1, cls.p1, "open", clicked=SENT + timedelta(hours=1))
        trace(cls.mailing_2, cls.p1, "sent", sent=SENT + timedelta(days=1))
        trace(cls.mailing_1, cls.p2, "open")
        trace(cls.mailing_1, cls.p3)
        trace(cls.mailing_1, cls.p4, "bounce")
        trace(cls.mailing_1, cls.p5)
        trace(cls.mailing_1, cls.c5)
        trace(cls.mailing_1, cls.p6, "cancel", sent=False)
        order = cls._seg_order
        cls.orders_p1 = order(cls.p1, 100, "2025-06-02 10:00:00") | order(
            cls.p1, 200, "2025-06-03 10:00:00"
        )
        cls.order_p3 = order(
            cls.p3, 300, "2025-06-20 10:00:00", campaign_id=cls.campaign.id
        )
        cls.order_p7 = order(
            cls.p7, 400, "2025-06-04 10:00:00", campaign_id=cls.campaign.id
        )
        cls.order_other_company = order(
            cls.p1,
            900,
            "2025-06-02 11:00:00",
            company=cls.company_a,
            campaign_id=cls.campaign.id,
        )
        cls.user_sales_marketing = cls.env["res.users"].create(
            {
                "name": "COU Sales Marketing",
                "login": "cou_sales_marketing",
                "company_id": cls.company.id,
                "company_ids": [(6, 0, [cls.company.id])],
                "groups_id": [
                    (
                        6,
                        0,
                        [
                            cls.env.ref("base.group_user").id,
                            cls.env.ref("sales_team.group_sale_salesman_all_leads").id,
                            cls.env.ref("mass_mailing.group_mass_mailing_user").id,
                        ],
                    )
                ],
            }
        )

    def _campaign(self, user=None):
        campaign = self.campaign.with_user(user or self.user_sales_marketing)
        campaign.invalidate_recordset()
        return campaign

    def test_campaign_attribution(self):
        self.assertEqual(
            (self.orders_p1 | self.order_p3 | self.order_p7).mapped(
                "cou_attributed_campaign_id"
            ),
            self.campaign,
        )
        self.assertEqual(
            set((self.orders_p1 | self.order_p3).mapped("cou_attribution_rule")),
            {"mailing_click", "utm"},
        )
        self.assertFalse(
            self.order_other_company.cou_attributed_campaign_id,
            "a campaign of company B gets no credit for an order of company A",
        )

    def test_campaign_mailing_figures(self):
        """Recipients, delivered, opened, clicked: from the traces as stock
        mass_mailing counts them, each recipient once."""
        campaign = self._campaign()
        self.assertEqual(campaign.cou_recipient_count, 6)
        self.assertEqual(campaign.cou_delivered_count, 5)
        self.assertEqual(campaign.cou_opened_count, 2)
        self.assertEqual(campaign.cou_clicked_count, 1)
        # the mailing's own statistics say the same for its traces
        self.assertEqual(self.mailing_1.sent, 6)
        self.assertEqual(self.mailing_1.opened, 2)
        self.assertEqual(self.mailing_1.clicked, 1)

    def test_campaign_attributed_figures(self):
        campaign = self._campaign()
        self.assertEqual(campaign.cou_order_count, 4)
        self.assertEqual(campaign.cou_customer_count, 3)
        self.assertEqual(campaign.cou_new_customer_count, 3)
        self.assertAlmostEqual(campaign.cou_revenue, 1000.0)
        self.assertAlmostEqual(
            campaign.cou_revenue_per_customer, 1000.0 / 3, delta=0.006
        )
        self.assertAlmostEqual(campaign.cou_roi, 100.0 * (1000 - 250) / 250)
        action = campaign.action_cou_view_attributed_orders()
        self.assertEqual(
            self.env["sale.order"].search(action["domain"]),
            self.orders_p1 | self.order_p3 | self.order_p7,
        )

    def test_campaign_ordering_rate_and_revenue_per_recipient(self):
        """Ordering rate = ordering recipients / recipients; revenue per
        recipient = attributed revenue of recipients / recipients."""
        campaign = self._campaign()
        self.assertEqual(campaign.cou_ordering_recipient_count, 2)
        self.assertAlmostEqual(campaign.cou_ordering_rate, 100.0 * 2 / 6, delta=0.051)
        self.assertAlmostEqual(campaign.cou_recipient_revenue, 600.0)
        self.assertAlmostEqual(campaign.cou_revenue_per_recipient, 100.0)
        # and they follow from each other as shown
        self.assertAlmostEqual(
            campaign.cou_ordering_rate,
            100.0
            * campaign.cou_ordering_recipient_count
            / campaign.cou_recipient_count,
            delta=0.051,
        )
        self.assertAlmostEqual(
            campaign.cou_revenue_per_recipient,
            campaign.cou_recipient_revenue / campaign.cou_recipient_count,
        )
        self.assertLessEqual(campaign.cou_recipient_revenue, campaign.cou_revenue)

    def test_campaign_test_group_figures(self):
        """Mailed (test group) = the recipients; any order within the window
        after their mailing counts: P1 (2 orders, 300). P3's order is 19 days
        after (window 7 days), P7 was not mailed."""
        campaign = self._campaign()
        self.assertEqual(campaign.cou_test_count, campaign.cou_recipient_count)
        self.assertEqual(campaign.cou_comparison_window_days, 7)
        self.assertEqual(campaign.cou_test_buyer_count, 1)
        self.assertAlmostEqual(campaign.cou_test_conversion, 100.0 / 6, delta=0.051)
        self.assertAlmostEqual(campaign.cou_test_revenue_per_member, 300.0 / 6)
        self.assertEqual(campaign.cou_holdout_count, 0)
        self.assertEqual(campaign.cou_uplift, 0.0)

    def test_campaign_funnel_steps(self):
        campaign = self._campaign()
        expected = {
            "recipients": self.p1 | self.p2 | self.p3 | self.p4 | self.p5 | self.c5,
            "opened": self.p1 | self.p2,
            "clicked": self.p1,
            "ordered": self.p1 | self.p3,
        }
        for step, partners in expected.items():
            action = campaign.action_cou_view_funnel_step(step)
            self.assertEqual(action["res_model"], "res.partner")
            self.assertEqual(
                self.env["res.partner"].search(action["domain"]), partners, step
            )
        self.assertEqual(len(expected["recipients"]), campaign.cou_recipient_count)
        self.assertEqual(len(expected["opened"]), campaign.cou_opened_count)
        self.assertEqual(len(expected["clicked"]), campaign.cou_clicked_count)
        self.assertEqual(
            len(expected["ordered"]), campaign.cou_ordering_recipient_count
        )
        with self.assertRaises(ValidationError):
            campaign.action_cou_view_funnel_step("bought")

    def test_campaign_figures_need_sales_rights(self):
        """A marketing user without sales rights sees the mailing figures, not
        what the campaign sold (fields, buttons, funnel's last step)."""
        campaign = self._campaign(self.user_marketing)
        self.assertEqual(campaign.cou_recipient_count, 6)
        for fname in (
            "cou_revenue",
            "cou_order_count",
            "cou_ordering_rate",
            "cou_revenue_per_recipient",
            "cou_attributed_order_ids",
        ):
            with self.assertRaises(AccessError, msg=fname):
                campaign.read([fname])
        with self.assertRaises(AccessError):
            campaign.action_cou_view_attributed_orders()
        with self.assertRaises(AccessError):
            campaign.action_cou_view_funnel_step("ordered")
        campaign.action_cou_view_funnel_step("clicked")
        arch = campaign.get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn("cou_recipient_count", arch)
        self.assertNotIn("cou_revenue", arch)
        arch = self._campaign().get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn("cou_revenue", arch)
        self.assertIn("cou_campaign_funnel", arch)

    def test_campaign_company_filter(self):
        """An order of company A forced onto the campaign of company B is not
        counted (nor is it listed); a campaign without company counts the
        orders of the user's companies."""
        self.order_other_company.sudo().cou_attributed_campaign_id = self.campaign
        campaign = self._campaign()
        self.assertEqual(campaign.cou_order_count, 4)
        self.assertAlmostEqual(campaign.cou_revenue, 1000.0)
        self.assertNotIn(
            self.order_other_company.id,
            self.env["sale.order"]
            .search(campaign.action_cou_view_attributed_orders()["domain"])
            .ids,
        )
        shared = self.env["utm.campaign"].create(
            {"title": "COU Shared", "company_id": False}
        )
        (
            self.order_p7 | self.order_other_company
        ).sudo().cou_attributed_campaign_id = shared
        shared_b = shared.with_user(self.user_sales_marketing)
        self.assertEqual(shared_b.cou_order_count, 1, "company B only")
        both = shared.with_user(self.user_hub_manager).with_context(
            allowed_company_ids=(self.company_a | self.company).ids
        )
        self.assertEqual(both.cou_order_count, 2)


@tagged("post_install", "-at_install")
class TestUtmCampaignRule(CouSegmentCommon):
    """The addon's multi-company rule on utm.campaign keeps sale, crm and
    mass_mailing working: their users create and use campaigns of their
    company and shared ones; only another company's campaigns are hidden."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.campaign_a = cls.env["utm.campaign"].create(
            {"title": "COU Rule A", "company_id": cls.company_a.id}
        )
        cls.campaign_shared = cls.env["utm.campaign"].create(
            {"title": "COU Rule Shared", "company_id": False}
        )

    def test_utm_campaign_rule_scope(self):
        Campaign = self.env["utm.campaign"].with_user(self.user_salesman_b)
        found = Campaign.search([("title", "like", "COU Rule")])
        self.assertEqual(found, self.campaign_shared, "not company A's campaign")
        found = (
            self.env["utm.campaign"]
            .with_user(self.user_hub_manager)
            .with_context(allowed_company_ids=(self.company_a | self.company).ids)
            .search([("title", "like", "COU Rule")])
        )
        self.assertEqual(found, self.campaign_a | self.campaign_shared)

    def test_utm_campaign_in_sales(self):
        """A salesman creates a campaign (their company by default) and puts
        it, or a shared one, on a quotation."""
        user = self.user_salesman_b
        campaign = (
            self.env["utm.campaign"]
            .with_user(user)
            .with_company(self.company)
            .create({"title": "COU Sales Campaign"})
        )
        self.assertEqual(campaign.company_id, self.company)
        partner = self._seg_partner("COU Rule Customer")
        with Form(self.env["sale.order"].with_user(user)) as order_form:
            order_form.partner_id = partner
            order_form.campaign_id = campaign
        order = order_form.save()
        self.assertEqual(order.campaign_id, campaign)
        order.campaign_id = self.campaign_shared
        self.assertEqual(order.campaign_id.title, "COU Rule Shared")
        self.assertEqual(campaign.with_user(user).quotation_count, 0)

    def test_utm_campaign_in_crm(self):
        user = self.env["res.users"].create(
            {
                "name": "COU CRM User",
                "login": "cou_crm_user",
                "company_id": self.company.id,
                "company_ids": [(6, 0, [self.company.id])],
                "groups_id": [
                    (6, 0, [self.env.ref("sales_team.group_sale_salesman").id])
                ],
            }
        )
        if "crm.lead" not in self.env:
            self.skipTest("crm is not installed")
        campaign = (
            self.env["utm.campaign"]
            .with_user(user)
            .create({"title": "COU CRM Campaign"})
        )
        lead = (
            self.env["crm.lead"]
            .with_user(user)
            .create({"name": "COU Lead", "campaign_id": campaign.id})
        )
        self.assertEqual(lead.campaign_id, campaign)
        lead.campaign_id = self.campaign_shared
        self.assertEqual(lead.campaign_id, self.campaign_shared)

    def test_utm_campaign_in_mass_mailing(self):
        user = self.user_marketing
        campaign = (
            self.env["utm.campaign"]
            .with_user(user)
            .create({"title": "COU Marketing Campaign"})
        )
        self.assertEqual(campaign.company_id, self.company)
        mailing = (
            self.env["mailing.mailing"]
            .with_user(user)
            .create(
                {
                    "subject": "COU Marketing",
                    "body_html": "<p>Hi</p>",
                    "mailing_model_id": self.env["ir.model"]._get_id("res.partner"),
                    "campaign_id": campaign.id,
                }
            )
        )
        self.assertEqual(campaign.mailing_mail_ids, mailing)
        self.assertEqual(mailing.with_user(user).campaign_id, campaign)
        campaign.with_user(user).write({"title": "COU Marketing Campaign 2"})
