"""The Apps menu shows each Customer Hub addon's page from its
static/description/index.html (tools/gen_readme.py), not its Markdown README
read as reStructuredText."""

from odoo.modules.module import get_manifest
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestModuleDescription(TransactionCase):
    def test_apps_page_of_every_addon(self):
        modules = self.env["ir.module.module"].search(
            [("name", "=like", "crm_order_unified%")]
        )
        self.assertIn("crm_order_unified", modules.mapped("name"))
        for module in modules:
            with self.subTest(module=module.name):
                page = module.description_html
                self.assertTrue(page.startswith('<section class="oe_container">'))
                self.assertIn(f"<h1>{get_manifest(module.name)['name']}</h1>", page)
                # no Markdown heading or table left as text
                self.assertNotIn("<p>#", page)
                self.assertNotIn("<p>|", page)
        core = modules.filtered(lambda m: m.name == "crm_order_unified")
        # the README's screenshots, from the addon's static route
        self.assertIn(
            'src="/crm_order_unified/static/description/dashboard_en.png"',
            core.description_html,
        )
