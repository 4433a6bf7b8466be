import os
import re

import polib

from odoo.modules.module import get_module_path
from odoo.tools.translate import TranslationModuleReader

# a placeholder or QWeb expression that a translation must keep
PLACEHOLDER = re.compile(
    r'%\([a-z_]+\)[sd]|%[sd]|\{\{.*?\}\}|t-out="[^"]*"|t-att[a-z-]*="[^"]*"'
)

# sources of what customers read: mail templates' bodies and subjects, portal
# templates, portal messages, portal controllers (see readme/GLOSSARY.md)
CUSTOMER_FACING = re.compile(
    r"mail\.template,(body_html|subject):|arch_db:[\w.]*portal|,portal_message:"
    r"|/controllers/"
)


def _glossary_cells(cell):
    cell = cell.strip().replace("`", "")
    if cell in ("", "—", "-"):
        return []
    return [term.strip() for term in cell.split(",") if term.strip()]


def read_glossary():
    """The rows of the terms table of crm_order_unified/readme/GLOSSARY.md:
    dicts with the English concept, the staff terms, the customer-facing
    terms, the forbidden variants and the exempting words."""
    path = os.path.join(get_module_path("crm_order_unified"), "readme", "GLOSSARY.md")
    with open(path, encoding="utf-8") as glossary:
        lines = glossary.read().splitlines()
    rows = []
    header = None
    for line in lines:
        if not line.startswith("|"):
            header = None
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if header is None:
            header = [cell.lower() for cell in cells]
            continue
        if set("".join(cells)) <= set("-: "):
            continue
        if header[:4] != ["english", "日本語", "お客様向け", "not"]:
            continue
        row = dict(zip(header, cells, strict=False))
        rows.append(
            {
                "english": row["english"],
                "staff": _glossary_cells(row["日本語"]),
                "customer": _glossary_cells(row["お客様向け"]),
                "not": _glossary_cells(row["not"]),
                "except": [
                    word.lower()
                    for word in _glossary_cells(row.get("except about", ""))
                ],
            }
        )
    return rows


def glossary_violations(entries, rows):
    """(msgid, concept, variant, msgstr) of every translation that uses a
    forbidden variant. A variant inside an accepted term of its row that
    contains it (ご注文 for 注文) is fine; in customer-facing entries (all
    their sources are) the staff term is forbidden when the row names another
    customer-facing term."""
    found = []
    for entry in entries:
        if not entry.msgstr:
            continue
        sources = " ".join(str(occurrence[0]) for occurrence in entry.occurrences)
        about = f"{entry.msgid} {sources}".lower()
        # a msgid that a staff screen shares has one translation: the staff one
        customer_facing = bool(entry.occurrences) and all(
            CUSTOMER_FACING.search(str(occurrence[0]))
            for occurrence in entry.occurrences
        )
        for row in rows:
            if any(word in about for word in row["except"]):
                continue
            accepted = row["staff"] + row["customer"]
            variants = list(row["not"])
            if customer_facing and row["customer"] and row["staff"]:
                if row["staff"][0] not in row["customer"]:
                    variants.append(row["staff"][0])
                    accepted = row["customer"]
            for variant in variants:
                text = entry.msgstr
                for term in sorted(accepted, key=len, reverse=True):
                    if variant in term and term != variant:
                        text = text.replace(term, "\x00")
                if variant in text:
                    found.append((entry.msgid, row["english"], variant, entry.msgstr))
    return found


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

    def test_ja_po_uses_the_glossary(self):
        """Every translation uses the one term per concept of
        crm_order_unified/readme/GLOSSARY.md, and customer-facing texts its
        polite terms."""
        rows = read_glossary()
        self.assertGreater(len(rows), 20, "the glossary table was not parsed")
        found = glossary_violations(polib.pofile(self._ja_po_path()), rows)
        self.assertFalse(
            found,
            "%d translations of %s/i18n/ja.po use a variant the glossary forbids "
            "(msgid, concept, variant, msgstr): %s"
            % (len(found), self.MODULE, found[:20]),
        )

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
