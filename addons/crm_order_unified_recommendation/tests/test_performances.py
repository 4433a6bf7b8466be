from unittest.mock import patch

from odoo.tests import tagged, users, warmup

from .common import CouRecommendationCommon


@tagged("post_install", "-at_install")
class TestRecommendationPerformance(CouRecommendationCommon):
    """Suggestions for 1 and for 20 customers cost the same number of queries."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Recommendation._rebuild(cls.company_a)
        cls.many = cls.bakers | cls.drinkers | cls.regular | cls.newcomer
        cls.many |= cls.env["res.partner"].create(
            [{"name": f"COU Reco Perf {i}", "is_company": True} for i in range(10)]
        )
        cls.env.flush_all()

    @users("cou_salesman")
    @warmup
    def test_get_recommendations_query_budget(self):
        reco = self.env["cou.recommendation"]
        # the user's time zone (for today's date), then the suggestions with
        # their products' availability and the purchase checks: two queries
        # (an extension of _get_excluded_products, such as the care rules
        # bridge, counts its own: left out here)
        with patch.object(
            type(reco), "_get_excluded_products", lambda *args, **kwargs: {}
        ):
            with self.assertQueryCount(cou_salesman=2):
                reco.get_recommendations(self.bakers[3].ids)
            self.env.invalidate_all()
            with self.assertQueryCount(cou_salesman=2):
                result = reco.get_recommendations(self.many.ids, limit=5)
        self.assertEqual(len(result), len(self.many))
        self.assertTrue(all(result.values()))
