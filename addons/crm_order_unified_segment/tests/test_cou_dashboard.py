from freezegun import freeze_time

from odoo.tests import tagged

from .common import CouSegmentCommon


@tagged("post_install", "-at_install")
class TestCouDashboardSegments(CouSegmentCommon):
    """The segment and campaign sections of the Customer Hub dashboard."""

    def _sections(self):
        env = self.env(
            user=self.user_hub_manager,
            context={"allowed_company_ids": self.company.ids},
        )
        data = env["cou.dashboard"].get_dashboard_data()
        return env, {section["key"]: section for section in data["sections"]}

    def _count(self, env, action):
        return env[action["res_model"]].search_count(action["domain"])

    @freeze_time("2026-03-15 12:00:00")
    def test_segment_figures(self):
        Segment = self.env["cou.segment"]
        Segment._ensure_rfm_segments(self.company)
        rfm = Segment.search(
            [("company_id", "=", self.company.id), ("segment_type", "=", "rfm")],
            limit=2,
        )
        static = Segment.create(
            {
                "name": "COU Dashboard VIP",
                "segment_type": "static",
                "company_id": self.company.id,
            }
        )
        partners = [self._seg_partner(f"cou_dash_{i}") for i in range(3)]
        Member = self.env["cou.segment.member"].sudo()
        for partner in partners:
            Member.create(
                {
                    "segment_id": static.id,
                    "partner_id": partner.id,
                    "company_id": self.company.id,
                    "date_from": "2025-12-01 10:00:00",
                }
            )
        # the first customer moves from one RFM segment to another in February
        Member.create(
            {
                "segment_id": rfm[0].id,
                "partner_id": partners[0].id,
                "company_id": self.company.id,
                "date_from": "2026-01-10 10:00:00",
                "date_to": "2026-02-05 10:00:00",
            }
        )
        Member.create(
            {
                "segment_id": rfm[1].id,
                "partner_id": partners[0].id,
                "company_id": self.company.id,
                "date_from": "2026-02-05 10:00:00",
            }
        )
        env, sections = self._sections()
        charts = {chart["key"]: chart for chart in sections["segments"]["charts"]}
        by_segment = charts["segments_customers"]
        index = by_segment["labels"].index(static.display_name)
        self.assertEqual(by_segment["datasets"][0]["data"][index], 3)
        for value, action in zip(
            by_segment["datasets"][0]["data"],
            by_segment["datasets"][0]["actions"],
            strict=True,
        ):
            self.assertEqual(self._count(env, action), value)
        moves = charts["segments_moves"]
        self.assertEqual(len(moves["labels"]), 6)
        datasets = {dataset["label"]: dataset for dataset in moves["datasets"]}
        # October .. March: January is index 3, February index 4
        self.assertEqual(datasets[rfm[0].display_name]["data"][3], 1)
        self.assertEqual(datasets[rfm[1].display_name]["data"][4], 1)
        for dataset in moves["datasets"]:
            for value, action in zip(dataset["data"], dataset["actions"], strict=True):
                self.assertEqual(self._count(env, action), value)

    @freeze_time("2026-03-15 12:00:00")
    def test_campaign_return(self):
        campaign = self.env["utm.campaign"].create(
            {
                "name": "COU Dashboard Spring",
                "company_id": self.company.id,
                "cou_cost": 50.0,
            }
        )
        customer = self._seg_partner("cou_dash_buyer")
        orders = self._seg_order(customer, 300.0, "2026-03-01 10:00:00")
        orders |= self._seg_order(customer, 200.0, "2026-03-02 10:00:00")
        orders.sudo().cou_attributed_campaign_id = campaign
        env, sections = self._sections()
        cards = {card["key"]: card for card in sections["campaigns"]["cards"]}
        chart = sections["campaigns"]["charts"][0]
        index = chart["labels"].index(campaign.display_name)
        revenue = chart["datasets"][0]
        self.assertEqual(revenue["data"][index], 500.0)
        self.assertEqual(chart["datasets"][1]["data"][index], 50.0)
        listed = env["sale.order"].search(revenue["actions"][index]["domain"])
        self.assertEqual(listed, orders)
        self.assertEqual(
            sum(o.amount_untaxed / o.currency_rate for o in listed),
            revenue["data"][index],
        )
        self.assertGreaterEqual(cards["campaign_revenue"]["value"], 500.0)
        attributed = env["sale.order"].search(
            cards["campaign_revenue"]["action"]["domain"]
        )
        self.assertAlmostEqual(
            sum(o.amount_untaxed / o.currency_rate for o in attributed),
            cards["campaign_revenue"]["value"],
        )
        self.assertIn("campaign_roi", cards)
