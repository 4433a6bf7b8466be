from odoo.tests import tagged

from odoo.addons.crm_order_unified.tests.common_tour import CouTourCase


@tagged("post_install", "-at_install", "cou_tour")
class TestOrderFlowTour(CouTourCase):
    """The stock check as a salesperson meets it (needs the demo data)."""

    def test_order_flow_tour(self):
        order = self.env.ref(
            "crm_order_unified_order_flow.cou_flow_demo_quotation_short",
            raise_if_not_found=False,
        )
        if not order:
            self.skipTest("needs the demo data of crm_order_unified_order_flow")
        self.start_tour(
            f"/odoo/action-sale.action_quotations_with_onboarding/{order.id}",
            "crm_order_unified_order_flow_tour",
            login="admin",
        )
        self.assertEqual(order.state, "sale")
        self.assertTrue(order.commitment_date, "delivered all on the available date")
