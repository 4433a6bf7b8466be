from odoo.tests import tagged, users, warmup

from odoo.addons.crm_order_unified_recommendation.tests.common import (
    CouRecommendationCommon,
)


@tagged("post_install", "-at_install")
class TestRecommendationCare(CouRecommendationCommon):
    """Suggestions leave out what the customer's blocking care rules forbid.

    In the basket world, the fourth baker is offered jam (cross-sell) and
    sourdough (upsell), the third drinker tea.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Recommendation._rebuild(cls.company_a)
        # care rules are a Customer Hub manager's (the superuser here)
        Attribute = cls.env["cou.care.attribute"].sudo()
        cls.attr_sugar = Attribute.create({"name": "COU Reco No sugar"})
        cls.attr_gluten = Attribute.create({"name": "COU Reco Gluten-free"})
        cls.attr_caffeine = Attribute.create({"name": "COU Reco No caffeine"})
        cls.tag_caffeine = cls.env["product.tag"].create({"name": "COU Caffeine"})
        cls.tea.product_tmpl_id.product_tag_ids = cls.tag_caffeine
        cls.categ_breads = cls.env["product.category"].create(
            {"name": "COU Breads", "parent_id": cls.categ_bakery.id}
        )
        cls.categ_sourdough = cls.env["product.category"].create(
            {"name": "COU Sourdough breads", "parent_id": cls.categ_breads.id}
        )
        Rule = cls.env["cou.care.rule"].sudo()
        cls.rule_jam = Rule.create(
            {
                "attribute_id": cls.attr_sugar.id,
                "product_id": cls.jam.id,
                "level": "block",
                "message": "Jam is full of sugar.",
            }
        )
        cls.rule_breads = Rule.create(
            {
                "attribute_id": cls.attr_gluten.id,
                "categ_id": cls.categ_breads.id,
                "level": "block",
                "message": "Bread contains gluten.",
            }
        )
        cls.rule_tea = Rule.create(
            {
                "attribute_id": cls.attr_caffeine.id,
                "product_tag_id": cls.tag_caffeine.id,
                "level": "block",
                "message": "Tea contains caffeine.",
            }
        )
        cls.baker = cls.bakers[3]
        cls.contact = cls.env["res.partner"].create(
            {"name": "COU Baker Contact", "parent_id": cls.baker.id}
        )

    def test_suggested_without_care_attributes(self):
        self.assertIn(self.jam, self._reco_products(self.baker))
        self.assertIn(self.sourdough, self._reco_products(self.baker))
        self.assertIn(self.tea, self._reco_products(self.drinkers[2]))

    def test_product_block_rule(self):
        self.baker.sudo().care_attribute_ids = self.attr_sugar
        products = self._reco_products(self.baker)
        self.assertNotIn(self.jam, products)
        self.assertIn(self.sourdough, products, "only the blocked product goes")
        self.assertNotIn(
            self.jam, self._reco_products(self.contact), "its contacts neither"
        )

    def test_category_rule_blocks_sub_categories(self):
        self.sourdough.categ_id = self.categ_sourdough
        self.baker.sudo().care_attribute_ids = self.attr_gluten
        products = self._reco_products(self.baker)
        self.assertNotIn(self.sourdough, products)
        self.assertIn(self.jam, products)

    def test_tag_rule(self):
        self.drinkers[2].sudo().care_attribute_ids = self.attr_caffeine
        self.assertNotIn(self.tea, self._reco_products(self.drinkers[2]))
        # a tag on the variant only blocks too
        self.tea.product_tmpl_id.product_tag_ids = False
        self.assertIn(self.tea, self._reco_products(self.drinkers[2]))
        self.tea.additional_product_tag_ids = self.tag_caffeine
        self.assertNotIn(self.tea, self._reco_products(self.drinkers[2]))

    def test_only_blocking_active_rules_of_the_company(self):
        self.baker.sudo().care_attribute_ids = self.attr_sugar
        self.rule_jam = self.rule_jam.sudo()
        self.rule_jam.level = "warning"
        self.assertIn(self.jam, self._reco_products(self.baker), "a warning only")
        self.rule_jam.level = "block"
        self.rule_jam.active = False
        self.assertIn(self.jam, self._reco_products(self.baker), "archived rule")
        self.rule_jam.write({"active": True, "company_id": self.company_b.id})
        self.assertIn(self.jam, self._reco_products(self.baker), "other company")
        self.attr_sugar.sudo().active = False
        self.rule_jam.company_id = False
        self.assertIn(self.jam, self._reco_products(self.baker), "archived attribute")

    def test_order_panel_leaves_blocked_products_out(self):
        self.baker.sudo().care_attribute_ids = self.attr_sugar
        quotation = self._cou_create_order(
            self.baker, [(self.bread, 1, 2.0)], confirm=False
        )
        ids = [
            s["product_id"]
            for s in quotation.cou_recommendation_panel_data()["suggestions"]
        ]
        self.assertNotIn(self.jam.id, ids)
        self.assertIn(self.sourdough.id, ids)

    @users("cou_salesman")
    @warmup
    def test_query_budget(self):
        """The care exclusions cost one query, whatever the number of customers."""
        self.env["res.partner"].browse(
            (self.baker | self.drinkers[2]).ids
        ).sudo().care_attribute_ids = self.attr_sugar | self.attr_caffeine
        self.env.flush_all()
        reco = self.env["cou.recommendation"]
        with self.assertQueryCount(cou_salesman=3):
            reco.get_recommendations(self.baker.ids)
        self.env.invalidate_all()
        with self.assertQueryCount(cou_salesman=3):
            result = reco.get_recommendations(
                (self.bakers | self.drinkers | self.regular).ids
            )
        self.assertNotIn(self.jam.id, [s["product_id"] for s in result[self.baker.id]])
        self.assertNotIn(
            self.tea.id, [s["product_id"] for s in result[self.drinkers[2].id]]
        )
