import os
import re

import polib

from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import TranslationModuleReader

MODULE = "crm_order_unified"


@tagged("post_install", "-at_install")
class TestJapaneseTranslation(TransactionCase):
    """The Japanese translation is part of the product: every term the addon
    exports (fields, selections, views, menus, messages, templates, JS) has a
    Japanese text in i18n/ja.po."""

    def _ja_po(self):
        path = os.path.join(os.path.dirname(os.path.dirname(__file__)), "i18n", "ja.po")
        self.assertTrue(os.path.exists(path), "i18n/ja.po is missing")
        return {entry.msgid: entry.msgstr for entry in polib.pofile(path)}

    def test_ja_po_is_complete(self):
        ja = self._ja_po()
        terms = {row[4] for row in TranslationModuleReader(self.env.cr, modules=[MODULE]) if row[4]}
        self.assertGreater(len(terms), 50, "the addon exports suspiciously few terms")
        missing = sorted(term for term in terms if not ja.get(term))
        self.assertFalse(
            missing,
            "%d terms lack Japanese in i18n/ja.po (run `make i18n`): %s" % (len(missing), missing[:40]),
        )

    def test_ja_po_keeps_placeholders(self):
        """A translation keeps every placeholder and QWeb expression of its
        source, or formatting and mail rendering break in Japanese."""
        pattern = re.compile(r'%\([a-z_]+\)[sd]|%[sd]|\{\{.*?\}\}|t-out="[^"]*"|t-att[a-z-]*="[^"]*"')
        path = os.path.join(os.path.dirname(os.path.dirname(__file__)), "i18n", "ja.po")
        broken = [
            entry.msgid
            for entry in polib.pofile(path)
            if entry.msgstr and sorted(pattern.findall(entry.msgid)) != sorted(pattern.findall(entry.msgstr))
        ]
        self.assertFalse(broken, "translations that lose placeholders: %s" % broken[:20])

    def test_ja_po_loads_and_translates(self):
        self.env["res.lang"]._activate_lang("ja_JP")
        self.env["ir.module.module"]._load_module_terms([MODULE], ["ja_JP"], overwrite=True)
        menu = self.env.ref("crm_order_unified.crm_order_unified_menu_root")
        self.assertEqual(menu.with_context(lang="ja_JP").name, self._ja_po()["Customer Hub"])
        self.assertNotEqual(menu.with_context(lang="ja_JP").name, "Customer Hub")
