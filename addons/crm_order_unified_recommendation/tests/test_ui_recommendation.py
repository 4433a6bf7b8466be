from odoo.tests import tagged

from odoo.addons.crm_order_unified.tests.common_tour import CouTourCase


@tagged("post_install", "-at_install", "cou_tour")
class TestUiRecommendation(CouTourCase):
    """Open a demo quotation, see its suggestions with their reasons, add one."""

    def test_recommendation_tour(self):
        env = self.env
        env["cou.recommendation"]._rebuild(env.ref("base.main_company"))
        # a demo quotation of a customer with history, which has suggestions
        quotations = env["sale.order"].search(
            [
                ("state", "in", ("draft", "sent")),
                ("company_id", "=", env.ref("base.main_company").id),
                ("partner_id.commercial_partner_id.customer_order_count", ">", 1),
            ],
            order="id",
        )
        self.assertTrue(quotations, "the demo company has quotations")
        order = next(
            (
                q
                for q in quotations
                if env["cou.recommendation"].get_recommendations(
                    q.partner_id.ids, exclude_product_ids=q.order_line.product_id.ids
                )[q.partner_id.id]
            ),
            None,
        )
        self.assertTrue(order, "a demo quotation gets suggestions")
        lines_before = len(order.order_line)
        self.start_tour(
            f"/odoo/action-sale.action_quotations_with_onboarding/{order.id}",
            "crm_order_unified_recommendation_tour",
            login="admin",
        )
        self.assertEqual(len(order.order_line), lines_before + 1)
        log = env["cou.recommendation.log"].search(
            [("order_id", "=", order.id), ("added", "=", True)]
        )
        self.assertEqual(len(log), 1)
