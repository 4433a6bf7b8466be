from odoo.tests import TransactionCase, tagged

CAPABILITY_APPS = ("mass_mailing", "rating")


@tagged("post_install", "-at_install")
class TestCoreAlone(TransactionCase):
    """The core installs and works on its own: Customer 360, the customer
    context and the timeline need none of the capabilities' Odoo apps.
    `make test` also runs the core's tests on a database where only the core
    is installed (its "core alone" step), where this test checks that the
    capabilities' apps really are absent."""

    def _installed(self, names):
        return self.env["ir.module.module"].search(
            [("name", "in", names), ("state", "=", "installed")]
        )

    def test_core_depends_on_no_capability_app(self):
        core = self.env["ir.module.module"].search([("name", "=", "crm_order_unified")])
        closure = core.upstream_dependencies(
            exclude_states=("uninstallable", "to remove")
        )
        self.assertFalse(set(closure.mapped("name")) & set(CAPABILITY_APPS))
        self.assertFalse(
            closure.filtered(lambda m: m.name.startswith("crm_order_unified_"))
        )

    def test_core_alone_has_no_capability_app(self):
        capabilities = self.env["ir.module.module"].search(
            [("name", "=like", "crm_order_unified_%"), ("state", "=", "installed")]
        )
        if capabilities:
            self.skipTest(
                "capabilities installed: checked in make test's core-alone step"
            )
        self.assertFalse(
            self._installed(CAPABILITY_APPS),
            "the core alone pulled in a capability's app",
        )
        partner = self.env["res.partner"].create(
            {"name": "Core Alone Co", "is_company": True}
        )
        self.assertEqual(partner.customer_order_count, 0)
        self.assertIn("cou.timeline.event", self.env)
        self.assertIn("cou_customer_order_count", self.env["sale.order"]._fields)
        self.assertNotIn("cou.complaint", self.env)
        self.assertNotIn("cou.segment", self.env)
