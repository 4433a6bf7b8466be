import os
import re

import polib

from odoo.modules.module import get_module_path
from odoo.tools.translate import TranslationModuleReader

# a placeholder or QWeb expression that a translation must keep
PLACEHOLDER = re.compile(
    r'%\([a-z_]+\)[sd]|%[sd]|\{\{.*?\}\}|t-out="[^"]*"|t-att[a-z-]*="[^"]*"'
)


class CouJapaneseTranslationMixin:
    """The Japanese translation is part of the product: every term an addon
    exports (fields, selections, views, menus, messages, templates, JS) has a
    Japanese text in its i18n/ja.po. Each addon's test_i18n.py mixes this into
    a TransactionCase and names its addon in ``MODULE``."""

    MODULE = None
    MIN_TERMS = 10

    def _ja_po_path(self):
        return os.path.join(get_module_path(self.MODULE), "i18n", "ja.po")

    def _ja_po(self):
        path = self._ja_po_path()
        self.assertTrue(os.path.exists(path), "i18n/ja.po is missing")
        return {entry.msgid: entry.msgstr for entry in polib.pofile(path)}

    def test_ja_po_is_complete(self):
        ja = self._ja_po()
        terms = {
            row[4]
            for row in TranslationModuleReader(self.env.cr, modules=[self.MODULE])
            if row[4]
        }
        self.assertGreater(
            len(terms), self.MIN_TERMS, "the addon exports suspiciously few terms"
        )
        missing = sorted(term for term in terms if not ja.get(term))
        self.assertFalse(
            missing,
            "%d terms lack Japanese in %s/i18n/ja.po (run `make i18n`): %s"
            % (len(missing), self.MODULE, missing[:40]),
        )

    def test_ja_po_keeps_placeholders(self):
        """A translation keeps every placeholder and QWeb expression of its
        source, or formatting and mail rendering break in Japanese."""
        broken = [
            entry.msgid
            for entry in polib.pofile(self._ja_po_path())
            if entry.msgstr
            and sorted(PLACEHOLDER.findall(entry.msgid))
            != sorted(PLACEHOLDER.findall(entry.msgstr))
        ]
        self.assertFalse(broken, f"translations that lose placeholders: {broken[:20]}")

    def test_ja_po_loads_and_translates(self):
        """The addon's menus read in Japanese once the language is loaded."""
        self.env["res.lang"]._activate_lang("ja_JP")
        self.env["ir.module.module"]._load_module_terms(
            [self.MODULE], ["ja_JP"], overwrite=True
        )
        menu_ids = (
            self.env["ir.model.data"]
            .search([("module", "=", self.MODULE), ("model", "=", "ir.ui.menu")])
            .mapped("res_id")
        )
        menus = self.env["ir.ui.menu"].browse(menu_ids)
        self.assertTrue(menus, "the addon has no menu to check")
        ja = self._ja_po()
        for menu in menus:
            self.assertEqual(
                menu.with_context(lang="ja_JP").name,
                ja[menu.with_context(lang="en_US").name],
            )
