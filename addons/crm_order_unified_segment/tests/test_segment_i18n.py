import os

import polib

from odoo.modules.module import get_module_path
from odoo.tests import tagged

from .common import CouSegmentCommon


@tagged("post_install", "-at_install")
class TestSegmentNamesLateLanguage(CouSegmentCommon):
    """Japanese installed after the addon: the RFM segments it created read in
    Japanese, on the segment and wherever its name shows (the customer
    context of orders, deliveries and invoices, the timeline)."""

    def _ja(self):
        path = os.path.join(
            get_module_path("crm_order_unified_segment"), "i18n", "ja.po"
        )
        return {entry.msgid: entry.msgstr for entry in polib.pofile(path)}

    def _install_japanese_late(self, segments):
        """The segments as a database without Japanese has them, then Japanese
        installed the way Settings > Languages does it."""
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE cou_segment SET name = name - 'ja_JP' WHERE id = ANY(%s)",
            [segments.ids],
        )
        self.env.invalidate_all()
        self.assertEqual(
            segments.with_context(lang="ja_JP").mapped("name"),
            segments.with_context(lang="en_US").mapped("name"),
        )
        self.env["res.lang"]._activate_lang("ja_JP")
        self.env["ir.module.module"].search(
            [("name", "=", "crm_order_unified_segment")]
        )._update_translations(["ja_JP"])

    def test_rfm_segment_names_after_a_late_language_install(self):
        ja = self._ja()
        customer = self._seg_partner("COU Late JA")
        self._seg_order(customer, 500.0, "2026-01-10")
        self.env["cou.segment"]._recompute_all(commit=False, companies=self.company)
        segments = self.env["cou.segment"].search(
            [("company_id", "=", self.company.id), ("segment_type", "=", "rfm")]
        )
        self.assertEqual(len(segments), 11)
        self._install_japanese_late(segments)
        for segment in segments:
            english = segment.with_context(lang="en_US").name
            self.assertTrue(ja.get(english), english)
            self.assertEqual(segment.with_context(lang="ja_JP").name, ja[english])
        self.assertEqual(segments.filtered(lambda s: s.rfm_code == "champions")
                         .with_context(lang="ja_JP").name, ja["Champions"])  # fmt: skip
        # where the name is shown: the customer context of the order and the timeline
        member_segment = customer.with_company(self.company).cou_segment_ids
        self.assertTrue(member_segment)
        order = self.env["sale.order"].search([("partner_id", "=", customer.id)])
        names = (
            order.with_company(self.company)
            .with_context(lang="ja_JP")
            .cou_customer_segment_ids.mapped("display_name")
        )
        self.assertEqual(
            names,
            [ja[s.with_context(lang="en_US").name] for s in member_segment],
        )
        events = (
            self.env["cou.timeline.event"]
            .with_context(lang="ja_JP", allowed_company_ids=[self.company.id])
            .search(
                [
                    ("partner_id", "=", customer.id),
                    ("event_type", "=", "segment_entered"),
                ]
            )
        )
        self.assertTrue(events)
        self.assertEqual(
            set(events.mapped("name")),
            {ja[s.with_context(lang="en_US").name] for s in member_segment},
        )

    def test_names_the_user_chose_are_kept(self):
        """A segment renamed before Japanese is installed keeps its name, and
        loading the terms again (an upgrade) does not undo a Japanese name the
        user chose."""
        segments = self.env["cou.segment"]._ensure_rfm_segments(
            self.company
        ) or self.env["cou.segment"].search(
            [("company_id", "=", self.company.id), ("segment_type", "=", "rfm")]
        )
        lost = segments.filtered(lambda s: s.rfm_code == "lost")
        lost.with_context(lang="en_US").name = "Gone for good"
        self._install_japanese_late(segments)
        self.assertEqual(lost.with_context(lang="ja_JP").name, "Gone for good")
        champions = segments.filtered(lambda s: s.rfm_code == "champions")
        champions.with_context(lang="ja_JP").name = "最優良顧客"
        self.env["ir.module.module"].search(
            [("name", "=", "crm_order_unified_segment")]
        )._update_translations(["ja_JP"])
        self.assertEqual(champions.with_context(lang="ja_JP").name, "最優良顧客")
        self.assertEqual(champions.with_context(lang="en_US").name, "Champions")
