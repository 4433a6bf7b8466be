from freezegun import freeze_time

from odoo.tests import tagged

from odoo.addons.crm_order_unified.tests.common_readonly import ReadonlyCaseMixin

from .common import CouSegmentCommon

TODAY = "2025-06-30"


@tagged("post_install", "-at_install")
class TestSegmentReadonly(ReadonlyCaseMixin, CouSegmentCommon):
    """The RFM grid, its cell action, the segment and campaign screens read a
    read replica (read-only cursor): same results, nothing written."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.buyers = [cls._seg_partner(f"COU Replica {x}") for x in "ABC"]
        for index, partner in enumerate(cls.buyers):
            for month in range(index + 1):
                cls._seg_order(partner, 100 * (index + 1), f"2025-0{month + 1}-10")
        with freeze_time(TODAY):
            cls.env["cou.segment"]._recompute_all(commit=False, companies=cls.company)
        cls.campaign = (
            cls.env["utm.campaign"]
            .with_company(cls.company)
            .create({"title": "COU Replica", "company_id": cls.company.id})
        )

    def test_rfm_matrix_and_cell(self):
        Score = (
            self.env["cou.rfm.score"]
            .with_user(self.user_marketing)
            .with_company(self.company)
        )
        matrix = self.cou_assert_same_on_readonly(Score, "get_rfm_matrix")
        self.assertEqual(matrix["total_count"], 3)
        cell = next(
            cell for row in matrix["rows"] for cell in row["cells"] if cell["count"]
        )
        action = self.cou_assert_same_on_readonly(
            Score, "action_open_rfm_cell", cell["r_score"], cell["fm_score"]
        )
        self.assertTrue(action["domain"][0][2])

    def test_campaign_funnel_and_segments(self):
        campaign = self.campaign.with_company(self.company)
        spec = {
            "cou_recipient_count": {},
            "cou_ordering_recipient_count": {},
            "cou_revenue": {},
            "cou_uplift": {},
        }
        values = self.cou_assert_same_on_readonly(campaign, "web_read", spec)
        self.assertEqual(values[0]["cou_recipient_count"], 0)
        action = self.cou_assert_same_on_readonly(
            campaign, "action_cou_view_funnel_step", "recipients"
        )
        self.assertEqual(action["domain"], [("id", "in", [])])
        Segment = self.env["cou.segment"].with_user(self.user_marketing)
        rows = self.cou_assert_same_on_readonly(
            Segment.with_company(self.company),
            "web_search_read",
            [("company_id", "=", self.company.id)],
            {"display_name": {}, "member_count": {}},
        )
        self.assertTrue(rows["records"])
