"""``get_recommendations`` over JSON-RPC (issue 10): arguments of any JSON type
end in a clear, translated error or a correct answer, never a traceback."""

import logging

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.crm_order_unified.tests.common_rpc import RpcCasesMixin

from .common import CouRecommendationCommon

_logger = logging.getLogger(__name__)
HUGE = 2**70


@tagged("post_install", "-at_install")
class TestRecommendationRpc(RpcCasesMixin, CouRecommendationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Recommendation._rebuild(cls.company_a)

    def test_get_recommendations(self):
        Reco = self.Recommendation.with_user(self.user_hub_manager)
        baker = self.bakers[3].id
        jam = self.jam.id

        def rows(count=None, first=None, without=None):
            def check(result):
                got = result.get(baker)
                return (
                    isinstance(got, list)
                    and (count is None or len(got) == count)
                    and (first is None or got[0]["product_id"] == first)
                    and (
                        without is None or without not in [r["product_id"] for r in got]
                    )
                )

            return check

        def empty(result):
            return result == {}

        err = UserError
        cases = [
            ("ids", [[baker]], {}, rows(first=jam)),
            ("ids keyword", [], {"partner_ids": [baker]}, rows(first=jam)),
            ("ids twice", [[baker, baker]], {}, rows(first=jam)),
            ("ids empty", [[]], {}, empty),
            ("ids null", [None], {}, empty),
            ("ids false", [False], {}, empty),
            ("ids int", [baker], {}, err),
            ("ids string", ["1,2"], {}, err),
            ("ids of strings", [["1"]], {}, err),
            ("ids of floats", [[1.5]], {}, err),
            ("ids of null", [[None]], {}, err),
            ("ids of bools", [[True]], {}, err),
            ("ids nested", [[[baker]]], {}, err),
            ("ids dict", [{"id": baker}], {}, err),
            ("ids huge", [[HUGE]], {}, err),
            ("ids negative", [[-1]], {}, err),
            ("ids deleted", [[2**31 - 1]], {}, lambda r: r == {2**31 - 1: []}),
            ("limit 1", [[baker]], {"limit": 1}, rows(count=1, first=jam)),
            ("limit null", [[baker]], {"limit": None}, rows(first=jam)),
            ("limit zero is the default", [[baker]], {"limit": 0}, rows(first=jam)),
            ("limit negative", [[baker]], {"limit": -3}, rows(count=1)),
            ("limit huge", [[baker]], {"limit": HUGE}, rows(first=jam)),
            ("limit string", [[baker]], {"limit": "5"}, err),
            ("limit float", [[baker]], {"limit": 2.5}, err),
            ("limit list", [[baker]], {"limit": [5]}, err),
            ("kinds cross-sell", [[baker]], {"kinds": ["cross_sell"]}, rows(first=jam)),
            ("kinds null", [[baker]], {"kinds": None}, rows(first=jam)),
            ("kinds string", [[baker]], {"kinds": "cross_sell"}, err),
            ("kinds of ints", [[baker]], {"kinds": [1]}, err),
            ("kinds unknown", [[baker]], {"kinds": ["cross_sell", "x"]}, err),
            ("kinds dict", [[baker]], {"kinds": {"cross_sell": 1}}, err),
            (
                "exclude jam",
                [[baker]],
                {"exclude_product_ids": [jam]},
                rows(without=jam),
            ),
            ("exclude null", [[baker]], {"exclude_product_ids": None}, rows(first=jam)),
            ("exclude int", [[baker]], {"exclude_product_ids": jam}, err),
            ("exclude of strings", [[baker]], {"exclude_product_ids": ["x"]}, err),
            ("exclude huge", [[baker]], {"exclude_product_ids": [HUGE]}, err),
            ("purchased true", [[baker]], {"exclude_purchased": True}, rows()),
            ("purchased string", [[baker]], {"exclude_purchased": "no"}, err),
            ("purchased list", [[baker]], {"exclude_purchased": []}, err),
        ]
        with mute_logger("odoo.sql_db"):
            errors, results = self._run_rpc_cases(Reco, "get_recommendations", cases)
        _logger.info(
            "get_recommendations: %s clean errors, %s results", errors, results
        )

    def test_add_suggestion_to_quotation(self):
        quotation = self._cou_create_order(
            self.bakers[3], [(self.bread, 1, 2.0)], confirm=False
        )
        Order = self.env["sale.order"].with_user(self.user_hub_manager)
        ids = quotation.ids
        jam = self.jam.id
        err = UserError

        def added(line_id):
            line = self.env["sale.order.line"].browse(line_id)
            return line.order_id == quotation and line.product_id == self.jam

        cases = [
            ("product", [ids, jam], {}, added),
            ("product and kind", [ids, jam], {"kind": "cross_sell"}, added),
            ("product keyword", [ids], {"product_id": jam, "kind": None}, added),
            ("product string", [ids, str(jam)], {}, err),
            ("product float", [ids, 1.5], {}, err),
            ("product list", [ids, [jam]], {}, err),
            ("product null", [ids, None], {}, err),
            ("product true", [ids, True], {}, err),
            ("product huge", [ids, HUGE], {}, err),
            ("product deleted", [ids, 2**31 - 1], {}, err),
            ("kind unknown", [ids, jam], {"kind": "hack"}, err),
            ("kind int", [ids, jam], {"kind": 3}, err),
            ("kind list", [ids, jam], {"kind": ["upsell"]}, err),
        ]
        with mute_logger("odoo.sql_db"):
            errors, results = self._run_rpc_cases(
                Order, "action_cou_recommendation_add", cases
            )
        _logger.info(
            "action_cou_recommendation_add: %s clean errors, %s results",
            errors,
            results,
        )

    def test_error_in_japanese(self):
        self.env["res.lang"]._activate_lang("ja_JP")
        self.env["ir.module.module"]._load_module_terms(
            ["crm_order_unified_recommendation"], ["ja_JP"], overwrite=True
        )
        Reco = self.Recommendation.with_user(self.user_hub_manager)
        with self.assertRaisesRegex(UserError, "連絡先ID"):
            Reco.with_context(lang="ja_JP").get_recommendations("abc")
