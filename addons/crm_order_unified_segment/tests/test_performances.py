"""Query budget of the campaign dashboard: the figures of several campaigns
(kanban cards, the Results tab) in a fixed number of queries."""

from datetime import datetime, timedelta

from odoo.tests import new_test_user, tagged, users, warmup

from odoo.addons.crm_order_unified_segment.models.utm_campaign import DASHBOARD_FIELDS

from .common import CouSegmentCommon

SENT = datetime(2025, 6, 1, 9, 0)


@tagged("post_install", "-at_install")
class TestCampaignDashboardPerformance(CouSegmentCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.cou_attribution_touch = "click"
        cls.company.cou_attribution_window_days = 7
        new_test_user(
            cls.env,
            login="cou_perf_sales_marketing",
            groups="base.group_user,sales_team.group_sale_salesman_all_leads,"
            "mass_mailing.group_mass_mailing_user",
            company_id=cls.company.id,
            company_ids=[cls.company.id],
        )
        cls.campaigns = cls.env["utm.campaign"]
        partners = [cls._seg_partner(f"COU Perf P{i}") for i in range(6)]
        for index in range(3):
            campaign = cls.env["utm.campaign"].create(
                {
                    "title": f"COU Perf {index}",
                    "company_id": cls.company.id,
                    "cou_cost": 100,
                }
            )
            mailing = cls.env["mailing.mailing"].create(
                {
                    "subject": f"COU Perf {index}",
                    "body_html": "<p>Hello</p>",
                    "mailing_model_id": cls.env["ir.model"]._get_id("res.partner"),
                    "campaign_id": campaign.id,
                }
            )
            for number, partner in enumerate(partners[index:]):
                cls.env["mailing.trace"].create(
                    {
                        "model": "res.partner",
                        "res_id": partner.id,
                        "mass_mailing_id": mailing.id,
                        "email": partner.email,
                        "trace_status": "open" if number % 2 else "sent",
                        "sent_datetime": SENT,
                        "links_click_datetime": SENT + timedelta(hours=1)
                        if number % 3 == 0
                        else False,
                    }
                )
            # the control group is written at send time (as the system)
            cls.env["cou.campaign.holdout"].sudo().create(
                {
                    "campaign_id": campaign.id,
                    "partner_id": partners[index].id,
                    "company_id": cls.company.id,
                    "holdout_date": SENT,
                }
            )
            cls.campaigns |= campaign
        for index, partner in enumerate(partners):
            cls._seg_order(
                partner,
                100.0 * (index + 1),
                "2025-06-02 10:00:00",
                campaign_id=cls.campaigns[index % 3].id,
            )

    @users("cou_perf_sales_marketing")
    @warmup
    def test_campaign_dashboard_query_count(self):
        campaigns = self.campaigns.with_user(self.env.user)
        # warm the caches a web request has (access rules, companies, currency)
        campaigns.read(DASHBOARD_FIELDS)
        campaigns.invalidate_recordset()
        # the campaigns, then their figures for all at once: the mailing
        # figures with the control group's, then the order figures
        with self.assertQueryCount(3):
            values = campaigns.read(DASHBOARD_FIELDS)
        self.assertEqual([row["cou_recipient_count"] for row in values], [6, 5, 4])
        self.assertEqual([row["cou_holdout_count"] for row in values], [1, 1, 1])
        self.assertEqual([row["cou_order_count"] for row in values], [2, 2, 2])
