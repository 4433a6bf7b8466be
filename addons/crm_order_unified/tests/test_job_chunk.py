import threading
import time
from contextlib import ExitStack, closing

from odoo import SUPERUSER_ID, api, fields, sql_db
from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL


@tagged("post_install", "-at_install")
class TestJobChunk(TransactionCase):
    """Chunks of a job run claimed by several workers. The workers are real
    connections (the test's own transaction is not seen by them): what they
    create is committed and removed at the end of each test."""

    def _cursor(self, stack):
        cr = stack.enter_context(
            closing(sql_db.db_connect(self.env.cr.dbname).cursor())
        )
        return cr, api.Environment(cr, SUPERUSER_ID, {})["cou.job.chunk"]

    def _cleanup(self, job):
        with closing(sql_db.db_connect(self.env.cr.dbname).cursor()) as cr:
            cr.execute(SQL("DELETE FROM cou_job_chunk WHERE job = %s", job))
            cr.commit()  # pylint: disable=invalid-commit (a worker connection, not the test)

    def _partner_chunks(self, ids, size, families=None):
        return [
            {
                "model": "res.partner",
                "method": "_cou_job_refresh_customer_360",
                "ids": ids[start : start + size],
                "kwargs": {"families": families},
            }
            for start in range(0, len(ids), size)
        ]

    def test_claims_are_disjoint_and_a_crashed_claim_is_taken_over(self):
        job = "test_chunk_claims"
        self.addCleanup(self._cleanup, job)
        with ExitStack() as stack:
            cr0, chunks0 = self._cursor(stack)
            stages = [self._partner_chunks([1, 2, 3], 1), self._partner_chunks([4], 1)]
            run = chunks0._cou_plan(job, stages)
            cr0.commit()
            self.assertFalse(chunks0._cou_plan(job, stages), "one open run per job")
            cr0.rollback()
            (cr_a, chunks_a), (cr_b, chunks_b), (cr_c, chunks_c) = (
                self._cursor(stack) for _i in range(3)
            )
            claim_a = chunks_a._cou_claim(run=run)
            claim_b = chunks_b._cou_claim(run=run)
            claim_c = chunks_c._cou_claim(run=run)
            self.assertEqual(
                [claim_a.res_ids, claim_b.res_ids, claim_c.res_ids],
                [[1], [2], [3]],
                "three workers, three different chunks",
            )
            # the last stage waits for the first one, held by the others
            cr_d, chunks_d = self._cursor(stack)
            self.assertFalse(chunks_d._cou_claim(run=run))
            self.assertTrue(chunks_d._cou_blocked(run=run))
            cr_d.rollback()
            # worker A dies mid-chunk: its chunk is pending again, D takes it
            cr_a.rollback()
            claim_d = chunks_d._cou_claim(run=run)
            self.assertEqual(claim_d.res_ids, [1], "the crashed chunk is taken over")
            for claim, cr in ((claim_b, cr_b), (claim_c, cr_c), (claim_d, cr_d)):
                claim._cou_execute()
                claim._cou_mark("done", (fields.Datetime.now(), time.time()))
                cr.commit()  # pylint: disable=invalid-commit (a worker connection, not the test)
            last = chunks_a._cou_claim(run=run)
            self.assertEqual((last.stage, last.res_ids), (1, [4]))
            cr_a.rollback()
            cr0.execute(
                SQL(
                    "SELECT state, COUNT(*) FROM cou_job_chunk WHERE run = %s"
                    " GROUP BY state ORDER BY state",
                    run,
                )
            )
            self.assertEqual(cr0.fetchall(), [("done", 3), ("pending", 1)])
            cr0.rollback()

    def test_two_workers_equal_one(self):
        """Two workers share a run of Customer 360 refresh chunks: every chunk
        runs once, and the figures equal a refresh in one transaction."""
        job = "test_chunk_two_workers"
        self.addCleanup(self._cleanup, job)
        Partner = self.env["res.partner"]
        fnames = [
            fname
            for _method, family_fnames in Partner._get_customer_360_families().values()
            for fname in family_fnames
        ]
        columns = SQL(", ").join(SQL.identifier(fname) for fname in fnames)
        with ExitStack() as stack:
            cr0, chunks0 = self._cursor(stack)
            env0 = chunks0.env
            cr0.execute(
                "SELECT id FROM res_partner WHERE id = commercial_partner_id"
                " ORDER BY id LIMIT 60"
            )
            ids = [row[0] for row in cr0.fetchall()]
            read = SQL(
                "SELECT id, %s FROM res_partner WHERE id = ANY(%s) ORDER BY id",
                columns,
                ids,
            )
            # the single-worker answer (not kept)
            env0["res.partner"].browse(ids)._cou_refresh_customer_360()
            env0.flush_all()
            cr0.execute(read)
            expected = cr0.fetchall()
            cr0.rollback()
            env0.invalidate_all()
            # wrong figures, to be repaired by the run
            cr0.execute(
                SQL(
                    "UPDATE res_partner SET %s WHERE id = ANY(%s)",
                    SQL(", ").join(
                        SQL("%s = '{\"0\": 1}'::jsonb", SQL.identifier(fname))
                        for fname in fnames
                    ),
                    ids,
                )
            )
            run = chunks0._cou_plan(job, [self._partner_chunks(ids, 4)])
            cr0.commit()
            workers = [self._cursor(stack) for _i in range(2)]
            results = [None, None]
            errors = []

            def work(index):
                try:
                    results[index] = workers[index][1]._cou_process(
                        run=run, commit=True
                    )
                except Exception as exc:  # noqa: BLE001 - reported below
                    errors.append(exc)

            threads = [threading.Thread(target=work, args=(i,)) for i in (0, 1)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(120)
            self.assertFalse(errors)
            count = len(range(0, len(ids), 4))
            self.assertEqual(sum(done for done, _remaining in results), count)
            cr0.execute(
                SQL(
                    "SELECT COUNT(*), COUNT(*) FILTER (WHERE state = 'done'"
                    " AND attempts = 0) FROM cou_job_chunk WHERE run = %s",
                    run,
                )
            )
            self.assertEqual(cr0.fetchone(), (count, count), "each chunk done once")
            cr0.execute(read)
            self.assertEqual(cr0.fetchall(), expected)
            cr0.rollback()

    def test_test_mode_runs_at_once(self):
        """Under tests (and in the caller's transaction) a run is worked off
        at once, stage after stage, without commits."""
        partner = self.env["res.partner"].create({"name": "Chunky"})
        self.env.cr.execute(
            SQL(
                "UPDATE res_partner SET customer_order_count = NULL WHERE id = %s",
                partner.id,
            )
        )
        Chunk = self.env["cou.job.chunk"]
        run = Chunk._cou_run_job(
            "test_chunk_test_mode",
            [self._partner_chunks([partner.id], 1, ["orders"])] * 2,
        )
        chunks = Chunk.search([("run", "=", run)], order="stage")
        self.assertEqual(chunks.mapped("state"), ["done", "done"])
        self.assertLessEqual(
            chunks[0].date_done.replace(microsecond=0), chunks[1].date_started
        )
        with self.assertRaises(ValueError):
            Chunk._cou_run_job(
                "test_chunk_bad", [[{"model": "res.partner", "method": "unlink"}]]
            )
