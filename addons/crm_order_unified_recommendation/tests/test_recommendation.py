from datetime import timedelta
from unittest.mock import patch

import numpy as np

from odoo.tests import tagged
from odoo.tools import SQL, mute_logger

from odoo.addons.crm_order_unified_recommendation.engine.recommender import (
    Recommender,
    ranges,
)
from odoo.addons.crm_order_unified_recommendation.models.cou_recommendation import (
    REBUILD_LOCK,
    CouRecommendation,
)

from .common import CouRecommendationCommon


@tagged("post_install", "-at_install")
class TestRecommendation(CouRecommendationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.counts = cls.Recommendation._rebuild(cls.company_a)

    # ------------------------------------------------------------
    # THE BASKET WORLD
    # ------------------------------------------------------------

    def test_rebuild_counts(self):
        self.assertFalse(self.counts["incremental"])
        self.assertEqual(self.counts["customers"], 8)
        self.assertTrue(self.company_a.cou_recommendation_build_date)

    def test_item_neighbours(self):
        """Jam is among bread's nearest products, tea is coffee's."""
        Neighbour = self.env["cou.recommendation.neighbour"]
        jam = Neighbour.search(
            [
                ("product_id", "=", self.bread.id),
                ("neighbour_id", "=", self.jam.id),
                ("kind", "=", "similar"),
            ]
        )
        self.assertEqual(jam.support, 3, "three customers bought bread and jam")
        tea = Neighbour.search(
            [
                ("product_id", "=", self.coffee.id),
                ("neighbour_id", "=", self.tea.id),
                ("kind", "=", "similar"),
            ]
        )
        self.assertEqual(tea.support, 2)
        self.assertFalse(
            Neighbour.search(
                [
                    ("product_id", "=", self.coffee.id),
                    ("neighbour_id", "=", self.jam.id),
                ]
            ),
            "no customer bought coffee and jam: they are not neighbours",
        )
        upsell = Neighbour.search(
            [("kind", "=", "upsell"), ("product_id", "=", self.bread.id)]
        )
        self.assertEqual(upsell.neighbour_id, self.sourdough)
        self.assertEqual(upsell.support, 2)

    def test_cross_sell_what_similar_customers_bought(self):
        suggestions = self._reco_by_product(self.bakers[3])
        self.assertIn(self.jam.id, suggestions)
        self.assertEqual(suggestions[self.jam.id]["kind"], "cross_sell")
        self.assertNotIn(
            self.bread.id, suggestions, "a product the customer buys is no cross-sell"
        )
        drinker = self._reco_by_product(self.drinkers[2])
        self.assertEqual(drinker[self.tea.id]["kind"], "cross_sell")
        self.assertEqual(
            drinker[self.tea.id]["reason"],
            "Bought by 2 customers who also buy COU Coffee",
        )

    def test_best_first_and_shape(self):
        result = self.Recommendation.get_recommendations(self.bakers[3].ids, limit=5)
        self.assertEqual(list(result), self.bakers[3].ids)
        rows = result[self.bakers[3].id]
        self.assertLessEqual(len(rows), 5)
        for row in rows:
            self.assertEqual(set(row), {"product_id", "kind", "score", "reason"})
            self.assertIsInstance(row["product_id"], int)
            self.assertIsInstance(row["score"], float)
            self.assertIn(row["kind"], ("cross_sell", "replenish", "upsell"))
            self.assertTrue(row["reason"])
        scores = [row["score"] for row in rows]
        self.assertEqual(scores, sorted(scores, reverse=True))
        self.assertEqual(rows[0]["product_id"], self.jam.id)
        self.assertEqual(
            len({row["product_id"] for row in rows}), len(rows), "one row per product"
        )

    def test_upsell_customers_moved_up(self):
        suggestions = self._reco_by_product(self.bakers[3])
        self.assertEqual(suggestions[self.sourdough.id]["kind"], "upsell")
        self.assertEqual(
            suggestions[self.sourdough.id]["reason"],
            "2 customers who bought COU Bread moved up to this one",
        )
        only = self._reco_products(self.bakers[3], kinds=["upsell"])
        self.assertEqual(only, self.sourdough)

    def test_replenish_due_products(self):
        suggestions = self._reco_by_product(self.regular)
        self.assertEqual(suggestions[self.coffee.id]["kind"], "replenish")
        self.assertEqual(
            suggestions[self.coffee.id]["reason"],
            "Bought 4 times, about every 10 days; last time 9 days ago",
        )
        # not due: the drinkers bought coffee once
        self.assertNotIn(self.coffee.id, self._reco_by_product(self.drinkers[0]))

    def test_popularity_for_new_customers(self):
        suggestions = self.Recommendation.get_recommendations(self.newcomer.ids)[
            self.newcomer.id
        ]
        self.assertEqual(len(suggestions), 5)
        self.assertTrue(all(s["kind"] == "cross_sell" for s in suggestions))
        self.assertIn("Popular: bought by", suggestions[0]["reason"])
        # bread, butter and coffee: four customers each in the last 90 days
        self.assertIn(
            self.env["product.product"].browse(suggestions[0]["product_id"]),
            self.bread | self.butter | self.coffee,
        )
        self.assertEqual(
            suggestions[0]["reason"],
            "Popular: bought by 4 customers in the last 90 days",
        )

    def test_contact_gets_its_company_suggestions(self):
        contact = self.env["res.partner"].create(
            {"name": "COU Baker Contact", "parent_id": self.bakers[3].id}
        )
        self.assertEqual(
            self._reco_products(contact), self._reco_products(self.bakers[3])
        )

    # ------------------------------------------------------------
    # EXCLUSIONS
    # ------------------------------------------------------------

    def test_exclude_archived_and_not_sold(self):
        self.jam.active = False
        self.assertNotIn(self.jam, self._reco_products(self.bakers[3]))
        self.tea.product_tmpl_id.sale_ok = False
        self.assertNotIn(self.tea, self._reco_products(self.drinkers[2]))

    def test_exclude_other_company_products(self):
        # sale forbids restricting a product sold in company A to company B
        # through the ORM: write it as an import or another addon might
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "UPDATE product_template SET company_id = %s WHERE id = %s",
                self.company_b.id,
                self.tea.product_tmpl_id.id,
            )
        )
        self.env.invalidate_all()
        self.assertNotIn(self.tea, self._reco_products(self.drinkers[2]))

    def test_other_company_model_is_separate(self):
        """Company B has no orders: its customers get nothing from company A's model."""
        self.Recommendation._rebuild(self.company_b)
        reco_b = self.Recommendation.with_company(self.company_b)
        self.assertEqual(
            reco_b.get_recommendations(self.bakers[3].ids)[self.bakers[3].id], []
        )
        self.assertTrue(
            self._reco_products(self.bakers[3]), "company A keeps its suggestions"
        )

    def test_exclude_products_on_the_order(self):
        products = self._reco_products(self.bakers[3], exclude_product_ids=self.jam.ids)
        self.assertNotIn(self.jam, products)
        self.assertIn(self.sourdough, products)

    def test_exclude_purchased(self):
        self.assertIn(self.coffee, self._reco_products(self.regular))
        self.assertNotIn(
            self.coffee, self._reco_products(self.regular, exclude_purchased=True)
        )
        # bought since the build: no longer new to the customer
        self._cou_create_order(self.bakers[3], [(self.jam, 1, 4.0)])
        self.assertNotIn(
            self.jam, self._reco_products(self.bakers[3], exclude_purchased=True)
        )

    def test_excluded_products_extension_point(self):
        """What the care rules addon will block through ``_get_excluded_products``."""
        baker, jam = self.bakers[3], self.jam
        with patch.object(
            CouRecommendation,
            "_get_excluded_products",
            lambda _self, ids, product_ids=None: {baker.id: {jam.id}},
        ):
            self.assertNotIn(self.jam, self._reco_products(baker))
        self.assertIn(self.jam, self._reco_products(baker))

    # ------------------------------------------------------------
    # BUILDS
    # ------------------------------------------------------------

    def test_as_of_never_lets_a_later_order_in(self):
        self._cou_create_order(
            self.drinkers[0],
            [(self.cake, 1, 9.0)],
            date=str(self.today - timedelta(days=5)) + " 10:00:00",
        )
        as_of = self.today - timedelta(days=10)
        self.Recommendation._rebuild(self.company_a, as_of=as_of)
        everything = self.Recommendation.search(
            [("company_id", "=", self.company_a.id)]
        )
        self.assertNotIn(self.cake, everything.product_id)
        self.assertNotIn(self.cake, everything.reason_product_id)
        neighbours = self.env["cou.recommendation.neighbour"].search([])
        self.assertNotIn(self.cake, neighbours.product_id | neighbours.neighbour_id)
        self.assertEqual(set(everything.mapped("as_of")), {as_of})
        # the regular's last coffee (9 days ago) is after the cut: 3 purchases
        replenish = everything.filtered(
            lambda r: r.partner_id == self.regular and r.kind == "replenish"
        )
        self.assertEqual(replenish.purchase_count, 3)
        # the order of the cut day itself is excluded too
        self.Recommendation._rebuild(
            self.company_a, as_of=self.today - timedelta(days=9)
        )
        replenish = self.Recommendation.search(
            [("partner_id", "=", self.regular.id), ("kind", "=", "replenish")]
        )
        self.assertEqual(replenish.purchase_count, 3)

    def test_incremental_rebuild_only_changed_customers(self):
        cr = self.env.cr
        self.env.flush_all()
        # everything so far was written an hour before the last build
        cr.execute(
            SQL(
                "UPDATE sale_order"
                " SET write_date = now() at time zone 'UTC' - interval '1 hour'"
            )
        )
        self.company_a.cou_recommendation_build_date = cr.now() - timedelta(minutes=30)
        untouched = self.Recommendation.search([("partner_id", "=", self.bakers[3].id)])
        self.assertIn(self.tea, self._reco_products(self.drinkers[2]))
        self._cou_create_order(self.drinkers[2], [(self.tea, 1, 6.0)])
        counts = self.Recommendation._rebuild(self.company_a, incremental=True)
        self.assertTrue(counts["incremental"])
        self.assertEqual(counts["customers"], 1)
        self.assertNotIn(self.tea, self._reco_products(self.drinkers[2]))
        self.assertTrue(
            untouched.exists(), "the other customers' rows are kept as they are"
        )
        # popular products are rebuilt company-wide
        self.assertTrue(self.Recommendation.search([("partner_id", "=", False)]))

    @mute_logger(
        "odoo.addons.crm_order_unified_recommendation.models.cou_recommendation"
    )
    def test_rebuild_skips_company_locked_by_other_worker(self):
        # a company this transaction never built (it would hold the lock itself)
        company = self.env["res.company"].create({"name": "COU Locked Company"})
        with self.registry.cursor() as other_cr:
            other_cr.execute(
                SQL("SELECT pg_advisory_xact_lock(%s, %s)", REBUILD_LOCK, company.id)
            )
            self.assertFalse(self.Recommendation._rebuild(company))
            other_cr.rollback()
        self.assertTrue(self.Recommendation._rebuild(company))

    def test_cron(self):
        self.Recommendation._cron_rebuild()
        self.Recommendation._cron_rebuild(incremental=True)
        self.assertIn(self.jam, self._reco_products(self.bakers[3]))

    def test_japanese_reasons(self):
        self.env["res.lang"]._activate_lang("ja_JP")
        self.env["ir.module.module"]._load_module_terms(
            ["crm_order_unified_recommendation"], ["ja_JP"], overwrite=True
        )
        reco = self.Recommendation.with_context(lang="ja_JP")
        reason = reco.get_recommendations(self.drinkers[2].ids)[self.drinkers[2].id][0][
            "reason"
        ]
        self.assertNotIn("Bought by", reason)

    def test_engine_ranges_and_unique_events(self):
        """The vectorised helpers of the build give what the loops gave."""
        starts, counts = np.array([5, 0, 9, 2]), np.array([2, 0, 3, 1])
        self.assertEqual(
            ranges(starts, counts).tolist(),
            np.concatenate(
                [np.arange(s, s + n) for s, n in zip(starts, counts, strict=True)]
            ).tolist(),
        )
        self.assertEqual(ranges([], []).tolist(), [])
        # the same (customer, product, day) twice is one purchase; later days out
        rec = Recommender().fit([0, 0, 1, 1, 0], [1, 1, 0, 1, 1], [3, 3, -2, 4, 9], 5)
        self.assertEqual(rec._events.tolist(), [[0, 1, 3], [1, 0, -2], [1, 1, 4]])
