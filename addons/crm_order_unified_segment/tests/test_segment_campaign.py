import hashlib
from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .common import CouSegmentCommon

ORDER_DATE = datetime(2025, 6, 20, 12, 0)


def held_out(campaign_id, partner_id, share):
    """The documented holdout rule, in Python."""
    digest = hashlib.md5(f"{campaign_id}:{partner_id}".encode()).hexdigest()
    return int(digest[:7], 16) % 10000 < round(share * 100)


@tagged("post_install", "-at_install")
class TestSegmentCampaign(CouSegmentCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Campaign = cls.env["utm.campaign"].with_company(cls.company)
        cls.campaign_x = Campaign.create(
            {"title": "COU Campaign X", "company_id": cls.company.id}
        )
        cls.campaign_y = Campaign.create(
            {"title": "COU Campaign Y", "company_id": cls.company.id}
        )
        cls.customer = cls._seg_partner("COU Attr Customer")
        cls.customer_contact = cls.env["res.partner"].create(
            {
                "name": "COU Attr Contact",
                "parent_id": cls.customer.id,
                "email": "contact@example.com",
            }
        )
        cls.mailing_x = cls._seg_mailing(cls.campaign_x)
        cls.mailing_y = cls._seg_mailing(cls.campaign_y)

    @classmethod
    def _seg_mailing(cls, campaign, **vals):
        return cls.env["mailing.mailing"].create(
            {
                "subject": campaign.title,
                "body_html": "<p>Hello</p>",
                "mailing_model_id": cls.env["ir.model"]._get_id("res.partner"),
                "campaign_id": campaign.id,
                **vals,
            }
        )

    def _trace(self, mailing, partner, sent=None, clicked=None, status="sent"):
        return self.env["mailing.trace"].create(
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

    def _order_at(self, partner=None, **vals):
        return self._seg_order(partner or self.customer, 100.0, ORDER_DATE, **vals)

    # === ATTRIBUTION === #

    def test_segment_attribution_rules(self):
        # X: sent 5 days before, clicked 3 days before; Y: received 1 day before (no
        # click)
        self._trace(
            self.mailing_x,
            self.customer,
            sent=ORDER_DATE - timedelta(days=5),
            clicked=ORDER_DATE - timedelta(days=3),
        )
        self._trace(
            self.mailing_y, self.customer_contact, sent=ORDER_DATE - timedelta(days=1)
        )

        # default: order campaign, else clicked mailing (last touch)
        order = self._order_at()
        self.assertEqual(order.cou_attributed_campaign_id, self.campaign_x)
        self.assertEqual(order.cou_attribution_rule, "mailing_click")
        self.assertEqual(
            order.cou_attribution_touch_date, ORDER_DATE - timedelta(days=3)
        )

        # received counts too: Y's receipt (through a contact of the customer) is the
        # last touch
        self.company.cou_attribution_touch = "received"
        order = self._order_at()
        self.assertEqual(order.cou_attributed_campaign_id, self.campaign_y)
        self.assertEqual(order.cou_attribution_rule, "mailing_received")

        # first touch: X's receipt 5 days before
        self.company.cou_attribution_model = "first"
        order = self._order_at()
        self.assertEqual(order.cou_attributed_campaign_id, self.campaign_x)
        self.assertEqual(order.cou_attribution_rule, "mailing_received")
        self.assertEqual(
            order.cou_attribution_touch_date, ORDER_DATE - timedelta(days=5)
        )

        # window of 2 days: only Y's receipt is recent enough
        self.company.cou_attribution_window_days = 2
        order = self._order_at()
        self.assertEqual(order.cou_attributed_campaign_id, self.campaign_y)

        # the order's own campaign (UTM, e.g. from a mailing link) always wins
        order = self._order_at(campaign_id=self.campaign_x.id)
        self.assertEqual(order.cou_attributed_campaign_id, self.campaign_x)
        self.assertEqual(order.cou_attribution_rule, "utm")

        # UTM only: mailings do not count
        self.company.cou_attribution_touch = "utm"
        order = self._order_at()
        self.assertFalse(order.cou_attributed_campaign_id)
        self.assertFalse(order.cou_attribution_rule)

        # every touch shows in the customer's timeline
        events = self.env["cou.timeline.event"].search(
            [("partner_id", "=", self.customer.id), ("category", "=", "campaign")]
        )
        self.assertEqual(
            sorted(events.mapped("event_type")),
            ["mailing_clicked", "mailing_sent", "mailing_sent"]
            + ["order_attributed"] * 5,
        )

    def test_segment_attribution_ignores_late_and_foreign_touches(self):
        other = self._seg_partner("COU Attr Other")
        # clicked after the order, clicked 10 days before (window 7), clicked by someone
        # else
        self._trace(
            self.mailing_x,
            self.customer,
            sent=ORDER_DATE,
            clicked=ORDER_DATE + timedelta(hours=1),
        )
        self._trace(
            self.mailing_y,
            self.customer,
            sent=ORDER_DATE - timedelta(days=11),
            clicked=ORDER_DATE - timedelta(days=10),
        )
        self._trace(
            self.mailing_y,
            other,
            sent=ORDER_DATE - timedelta(days=1),
            clicked=ORDER_DATE - timedelta(days=1),
        )
        order = self._order_at()
        self.assertFalse(order.cou_attributed_campaign_id)

    # === DASHBOARD AND CONTROL GROUP === #

    def test_segment_campaign_dashboard_and_control_group(self):
        partners = self.env["res.partner"]
        for i in range(40):
            partners |= self._seg_partner(f"COU Ctrl {i:02d}")
        segment = (
            self.env["cou.segment"]
            .with_company(self.company)
            .create(
                {
                    "name": "COU Ctrl static",
                    "segment_type": "static",
                    "company_id": self.company.id,
                    "static_partner_ids": [(6, 0, partners.ids)],
                }
            )
        )
        campaign = (
            self.env["utm.campaign"]
            .with_company(self.company)
            .create(
                {
                    "title": "COU Ctrl Campaign",
                    "company_id": self.company.id,
                    "cou_segment_id": segment.id,
                    "cou_holdout_share": 25.0,
                    "cou_cost": 200.0,
                }
            )
        )
        mailing = self._seg_mailing(campaign)
        self.assertEqual(
            mailing.cou_segment_id,
            segment,
            "the campaign's target segment is the default",
        )
        self.assertIn("cou_segment_ids", mailing.mailing_domain)

        expected_held = partners.filtered(lambda p: held_out(campaign.id, p.id, 25.0))
        self.assertTrue(0 < len(expected_held) < 40)
        with freeze_time("2025-06-01 09:00:00"):
            recipients = mailing._get_recipients()
            # deterministic and stored: a second call holds out the same members
            self.assertEqual(set(mailing._get_recipients()), set(recipients))
        self.assertEqual(set(recipients), set((partners - expected_held).ids))
        self.assertEqual(campaign.cou_holdout_ids.partner_id, expected_held)

        # the mailing goes out: one trace per recipient, some opened / clicked
        mailed = partners - expected_held
        sent = datetime(2025, 6, 1, 9, 0)
        for index, partner in enumerate(mailed):
            self._trace(
                mailing,
                partner,
                sent=sent,
                status="open" if index < 10 else "sent",
                clicked=sent + timedelta(hours=2) if index < 4 else None,
            )
        # 4 clickers order (attributed); 2 more mailed customers order without clicking;
        # 1 held-out customer orders; one clicker was a new customer
        clickers = mailed[:4]
        for partner in clickers:
            self._seg_order(partner, 300.0, "2025-06-03 10:00:00")
        self._seg_order(
            clickers[1], 50.0, "2025-05-01 10:00:00"
        )  # bought before: not new
        for partner in mailed[4:6]:
            self._seg_order(partner, 100.0, "2025-06-04 10:00:00")
        self._seg_order(expected_held[0], 80.0, "2025-06-05 10:00:00")
        # outside the 7-day window: does not count for the control comparison
        self._seg_order(expected_held[-1], 999.0, "2025-07-01 10:00:00")

        campaign.invalidate_recordset()
        # every figure follows from the others beside it
        self.assertEqual(campaign.cou_ordering_recipient_count, 4)
        self.assertAlmostEqual(
            campaign.cou_ordering_rate, 400.0 / len(mailed), delta=0.051
        )
        self.assertAlmostEqual(campaign.cou_recipient_revenue, 1200.0)
        self.assertAlmostEqual(campaign.cou_revenue_per_customer, 300.0)
        self.assertEqual(campaign.cou_test_buyer_count, 6)
        self.assertEqual(campaign.cou_control_buyer_count, 1)
        self.assertEqual(campaign.cou_recipient_count, len(mailed))
        self.assertEqual(campaign.cou_delivered_count, len(mailed))
        self.assertEqual(campaign.cou_opened_count, 10)
        self.assertEqual(campaign.cou_clicked_count, 4)
        self.assertEqual(campaign.cou_order_count, 4)
        self.assertEqual(campaign.cou_customer_count, 4)
        self.assertEqual(campaign.cou_new_customer_count, 3)
        self.assertAlmostEqual(campaign.cou_revenue, 1200.0)
        self.assertAlmostEqual(campaign.cou_roi, 500.0)  # (1200 - 200) / 200
        self.assertAlmostEqual(
            campaign.cou_revenue_per_recipient, 1200.0 / len(mailed), delta=0.006
        )
        # control group: 6 of the mailed ordered within 7 days, 1 of the held out
        self.assertEqual(campaign.cou_test_count, len(mailed))
        self.assertEqual(campaign.cou_holdout_count, len(expected_held))
        test_rate = 100.0 * 6 / len(mailed)
        control_rate = 100.0 / len(expected_held)
        self.assertAlmostEqual(campaign.cou_test_conversion, test_rate, delta=0.051)
        self.assertAlmostEqual(
            campaign.cou_control_conversion, control_rate, delta=0.051
        )
        self.assertAlmostEqual(
            campaign.cou_uplift, test_rate - control_rate, delta=0.051
        )
        self.assertAlmostEqual(
            campaign.cou_test_revenue_per_member, 1400.0 / len(mailed), delta=0.006
        )
        self.assertAlmostEqual(
            campaign.cou_control_revenue_per_member,
            80.0 / len(expected_held),
            delta=0.006,
        )
        self.assertAlmostEqual(
            campaign.cou_incremental_revenue,
            (1400.0 / len(mailed) - 80.0 / len(expected_held)) * len(mailed),
            delta=0.006,
        )

    def test_segment_mailing_targets_members_at_send_time(self):
        partners = self.env["res.partner"]
        for i in range(3):
            partners |= self._seg_partner(f"COU Send {i}")
        segment = (
            self.env["cou.segment"]
            .with_company(self.company)
            .create(
                {
                    "name": "COU Send static",
                    "segment_type": "static",
                    "company_id": self.company.id,
                    "static_partner_ids": [(6, 0, partners[:2].ids)],
                }
            )
        )
        mailing = self._seg_mailing(self.campaign_x, cou_segment_id=segment.id)
        self.assertEqual(set(mailing._get_recipients()), set(partners[:2].ids))
        segment.static_partner_ids = [(4, partners[2].id), (3, partners[0].id)]
        self.assertEqual(set(mailing._get_recipients()), set(partners[1:].ids))
        mailing.action_send_mail()
        traces = self.env["mailing.trace"].search(
            [("mass_mailing_id", "=", mailing.id)]
        )
        self.assertEqual(set(traces.mapped("res_id")), set(partners[1:].ids))
        with self.assertRaises(ValidationError):
            self._seg_mailing(
                self.campaign_x,
                cou_segment_id=segment.id,
                mailing_model_id=self.env["ir.model"]._get_id("mailing.list"),
            )

    def test_segment_campaign_checks(self):
        with self.assertRaises(ValidationError):
            self.campaign_x.cou_holdout_share = 100
        with self.assertRaises(ValidationError):
            self.campaign_x.write(
                {"cou_date_start": "2025-06-10", "cou_date_end": "2025-06-01"}
            )

    def test_segment_mailing_subject_is_not_the_segment_name(self):
        """A mailing created from a segment does not show customers the
        segment's internal name as its subject: the user writes it."""
        segment = (
            self.env["cou.segment"]
            .with_company(self.company)
            .create(
                {
                    "name": "Champions",
                    "segment_type": "static",
                    "company_id": self.company.id,
                    "static_partner_ids": [(6, 0, self.customer.ids)],
                }
            )
        )
        action = segment.with_user(self.user_marketing).action_create_mailing()
        self.assertFalse(action["context"]["default_subject"])
        Mailing = (
            self.env["mailing.mailing"]
            .with_user(self.user_marketing)
            .with_company(self.company)
            .with_context(**action["context"])
        )
        form = Form(Mailing)
        self.assertFalse(form.subject)
        self.assertEqual(form.cou_segment_id, segment)
        form.subject = "Our picks for you this season"
        mailing = form.save()
        self.assertEqual(mailing.subject, "Our picks for you this season")
        self.assertNotEqual(mailing.subject, segment.name)
        self.assertEqual(set(mailing._get_recipients()), set(self.customer.ids))
