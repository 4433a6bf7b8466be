"""Worker safety of the segment job, on committed data and real cursors.

These tests commit (other cursors must see the data) and clean up after
themselves in ``finally`` blocks.
"""

import threading

from odoo import SUPERUSER_ID, api
from odoo.tests import BaseCase, tagged
from odoo.tools import SQL, mute_logger

TAG = "COUCONC"


@tagged("post_install", "-at_install")
class TestSegmentConcurrency(BaseCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        from odoo.modules.registry import Registry
        from odoo.tests.common import get_db_name

        cls.registry = Registry(get_db_name())

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            partners = env["res.partner"].create(
                [
                    {"name": f"COU conc {i}", "ref": TAG, "is_company": True}
                    for i in range(60)
                ]
            )
            segment = env["cou.segment"].create(
                {
                    "name": "COU conc rule",
                    "segment_type": "rule",
                    "domain": f"[('ref', '=', '{TAG}')]",
                }
            )
            static = env["cou.segment"].create(
                {
                    "name": "COU conc static",
                    "segment_type": "static",
                    "static_partner_ids": [(6, 0, partners[:30].ids)],
                }
            )
            self.partner_ids = partners.ids
            self.segment_ids = [segment.id, static.id]
            cr.commit()  # pylint: disable=invalid-commit (own cursor, seen by workers)
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["cou.segment"].browse(self.segment_ids).unlink()
            env["res.partner"].browse(self.partner_ids).unlink()
            cr.commit()  # pylint: disable=invalid-commit (own cursor, seen by workers)

    def _change_targets(self):
        """Half of the rule's members leave, 20 new customers enter the static."""
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["res.partner"].browse(self.partner_ids[:30]).write(
                {"ref": "COUCONC-OUT"}
            )
            cr.execute(
                SQL(
                    "INSERT INTO cou_segment_static_partner_rel (segment_id, "
                    "partner_id) SELECT %s, unnest(%s::int[])",
                    self.segment_ids[1],
                    self.partner_ids[30:50],
                )
            )
            cr.commit()  # pylint: disable=invalid-commit (own cursor, seen by workers)

    def _check_members(self):
        """Exactly the expected current members, once each, and one closed
        history row per leaver."""
        expected = {
            self.segment_ids[0]: set(self.partner_ids[30:]),
            self.segment_ids[1]: set(self.partner_ids[:50]),
        }
        with self.registry.cursor() as cr:
            for segment_id, partner_ids in expected.items():
                cr.execute(
                    SQL(
                        "SELECT partner_id, COUNT(*) FROM cou_segment_member"
                        " WHERE segment_id = %s AND date_to IS NULL GROUP BY "
                        "partner_id",
                        segment_id,
                    )
                )
                rows = dict(cr.fetchall())
                self.assertEqual(set(rows), partner_ids, "no member lost, no stranger")
                self.assertEqual(set(rows.values()), {1}, "no duplicated member")
                cr.execute(
                    SQL(
                        "SELECT member_count FROM cou_segment WHERE id = %s", segment_id
                    )
                )
                self.assertEqual(cr.fetchone()[0], len(partner_ids))
            cr.execute(
                SQL(
                    "SELECT COUNT(*) FROM cou_segment_member WHERE segment_id = %s AND "
                    "date_to IS NOT NULL",
                    self.segment_ids[0],
                )
            )
            self.assertEqual(cr.fetchone()[0], 30, "each leaver closed once")

    @mute_logger("odoo.addons.crm_order_unified_segment.models.cou_segment")
    def test_segment_two_concurrent_runs(self):
        """Two workers recompute the same segments at the same moment."""
        self._change_targets()
        barrier = threading.Barrier(2)
        results, errors = [], []

        def run():
            try:
                with self.registry.cursor() as cr:
                    env = api.Environment(cr, SUPERUSER_ID, {})
                    barrier.wait(timeout=30)
                    results.append(
                        env["cou.segment"]
                        .browse(self.segment_ids)
                        ._recompute(commit=True)
                    )
            except Exception as exc:  # noqa: BLE001 - reported by the assertion below
                errors.append(exc)

        threads = [threading.Thread(target=run) for _i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        self.assertFalse(errors)
        self.assertEqual(len(results), 2)
        self.assertFalse(any(result["broken"] for result in results))
        self._check_members()

    @mute_logger("odoo.addons.crm_order_unified_segment.models.cou_segment")
    def test_segment_run_skips_segment_locked_by_other_worker(self):
        """Deterministic interleavings: a segment locked by a worker in the
        middle of its swap is skipped; a worker whose snapshot predates
        another's commit rolls that segment back instead of duplicating."""
        self._change_targets()
        with self.registry.cursor() as cr_a, self.registry.cursor() as cr_b:
            env_a = api.Environment(cr_a, SUPERUSER_ID, {})
            env_b = api.Environment(cr_b, SUPERUSER_ID, {})
            rule_a = env_a["cou.segment"].browse(self.segment_ids[0])
            # worker A is swapping the rule segment (not committed yet)
            self.assertTrue(rule_a._swap_members())
            # worker B: rule locked -> skipped; static free -> done
            result = (
                env_b["cou.segment"].browse(self.segment_ids)._recompute(commit=True)
            )
            self.assertEqual(result["skipped"], [self.segment_ids[0]])
            self.assertEqual(result["done"], [self.segment_ids[1]])
            # worker B takes its snapshot, then A commits the rule segment
            cr_b.execute(SQL("SELECT 1"))
            cr_a.commit()
            result = (
                env_b["cou.segment"].browse(self.segment_ids[0])._recompute(commit=True)
            )
            self.assertEqual(result["skipped"], [self.segment_ids[0]])
            # a fresh run finds nothing left to do
            result = (
                env_b["cou.segment"].browse(self.segment_ids)._recompute(commit=True)
            )
            self.assertEqual(result["done"], self.segment_ids)
        self._check_members()
