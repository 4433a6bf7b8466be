from odoo.tests import TransactionCase, common, tagged
from odoo.tools import SQL

# queue_job 18.0.4 registers its patcher in odoo.tests.common.SETATTR_SOURCES,
# which Odoo 18.0 sources before its addition lack: give it the empty default
if not hasattr(common, "SETATTR_SOURCES"):
    common.SETATTR_SOURCES = {}

from odoo.addons.queue_job.tests.common import trap_jobs  # noqa: E402


@tagged("post_install", "-at_install")
class TestQueueJobBridge(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Chunk = cls.env["cou.job.chunk"]
        cls.partners = cls.env["res.partner"].create(
            [{"name": f"Queued customer {i}"} for i in range(3)]
        )

    def _stages(self):
        return [
            [
                {
                    "model": "res.partner",
                    "method": "_cou_job_refresh_customer_360",
                    "ids": [partner.id],
                    "kwargs": {"families": ["orders"]},
                }
                for partner in self.partners[:2]
            ],
            [
                {
                    "model": "res.partner",
                    "method": "_cou_job_refresh_customer_360",
                    "ids": self.partners[2:].ids,
                }
            ],
        ]

    def _order_counts(self):
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT customer_order_count IS NULL FROM res_partner"
                " WHERE id = ANY(%s) ORDER BY id",
                self.partners.ids,
            )
        )
        return [row[0] for row in self.env.cr.fetchall()]

    def _spoil(self):
        """Figures that the refresh replaces (the customers have no order)."""
        self.env.cr.execute(
            SQL(
                "UPDATE res_partner SET customer_order_count = %s::jsonb"
                " WHERE id = ANY(%s)",
                '{"0": 7}',
                self.partners.ids,
            )
        )
        self.partners.invalidate_recordset()

    def test_chunks_are_queued_on_the_channel_stage_after_stage(self):
        self._spoil()
        with trap_jobs() as trap:
            run = self.Chunk.with_context(cou_queue_job_enqueue=True)._cou_run_job(
                "test_queue_job_bridge", self._stages()
            )
            chunks = self.Chunk.search([("run", "=", run)], order="stage, id")
            self.assertEqual(chunks.mapped("state"), ["pending"] * 3)
            self.assertEqual(chunks.mapped("queued"), [True] * 3)
            trap.assert_jobs_count(3)
            for chunk in chunks:
                trap.assert_enqueued_job(
                    chunk._cou_queue_run_chunk,
                    properties={
                        "channel": "root.crm_order_unified",
                        "identity_key": f"cou_job_chunk:{chunk.id}",
                    },
                )
            # the stages are chained: the last chunk waits for the first two
            jobs = {job.recordset.id: job for job in trap.enqueued_jobs}
            self.assertEqual(
                {job.recordset.id for job in jobs[chunks[2].id].depends_on},
                set(chunks[:2].ids),
            )
            # the cron workers leave queued chunks to the jobs
            self.assertFalse(self.Chunk._cou_claim(run=run))
            self.assertEqual(self._order_counts(), [False] * 3)
            trap.perform_enqueued_jobs()
        chunks.invalidate_recordset()
        self.assertEqual(chunks.mapped("state"), ["done"] * 3)
        self.assertEqual(self._order_counts(), [True] * 3)
        # a job of a chunk done already has nothing left to do
        self.assertIn("already done", chunks[0]._cou_queue_run_chunk())

    def test_crons_compute_at_once_under_tests(self):
        """Installed with the other addons, the bridge leaves their tests as
        they are: a cron called in a test computes at once, nothing queued."""
        self._spoil()
        jobs_before = self.env["queue.job"].search_count([])
        with trap_jobs() as trap:
            self.env["res.partner"]._cou_refresh_customer_360_all(
                commit=True, families=["orders"]
            )
            trap.assert_jobs_count(0)
        self.assertEqual(self._order_counts(), [True] * 3)
        self.assertEqual(self.env["queue.job"].search_count([]), jobs_before)

    def test_channel_and_job_function(self):
        function = self.env["queue.job.function"].search(
            [("name", "=", "<cou.job.chunk>._cou_queue_run_chunk")]
        )
        self.assertEqual(function.channel, "root.crm_order_unified")
