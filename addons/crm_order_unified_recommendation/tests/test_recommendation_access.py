from odoo.exceptions import AccessError
from odoo.tests import tagged, users

from .common import CouRecommendationCommon


@tagged("post_install", "-at_install")
class TestRecommendationAccess(CouRecommendationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Recommendation._rebuild(cls.company_a)
        cls.Recommendation._rebuild(cls.company_b)

    @users("cou_salesman")
    def test_salesman_reads_suggestions(self):
        reco = self.env["cou.recommendation"]
        result = reco.get_recommendations(self.bakers[3].ids)
        self.assertTrue(result[self.bakers[3].id])
        self.assertTrue(reco.search([]))

    @users("cou_salesman")
    def test_salesman_cannot_write_the_model(self):
        reco = self.env["cou.recommendation"].search([], limit=1)
        with self.assertRaises(AccessError):
            reco.unlink()
        with self.assertRaises(AccessError):
            self.env["cou.recommendation.neighbour"].search([], limit=1).unlink()

    @users("cou_employee")
    def test_employee_without_hub_access(self):
        with self.assertRaises(AccessError):
            self.env["cou.recommendation"].get_recommendations(self.bakers[3].ids)

    @users("cou_sale_manager")
    def test_company_rule(self):
        """Rows of a company the user is not working in stay hidden."""
        reco = self.env["cou.recommendation"].with_context(
            allowed_company_ids=[self.company_a.id]
        )
        self.assertEqual(reco.search([]).company_id, self.company_a)
