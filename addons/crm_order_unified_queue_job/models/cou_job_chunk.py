import logging

from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.queue_job.delay import chain, group
from odoo.addons.queue_job.exception import RetryableJobError

_logger = logging.getLogger(__name__)

CHANNEL = "root.crm_order_unified"


class CouJobChunk(models.Model):
    """The chunks of a run become queue jobs on the ``root.crm_order_unified``
    channel, one per chunk, the stages of a run chained (a stage's jobs wait
    for every job of the stage before). The cron workers leave queued chunks
    alone; the job takes its chunk with the same ``SKIP LOCKED`` claim, so a
    chunk is still done once."""

    _inherit = "cou.job.chunk"

    queued = fields.Boolean(
        readonly=True, help="Run by a queue job instead of the cron workers"
    )

    @api.model
    def _cou_queue_enabled(self):
        """Tests of other addons call the crons and expect their results at
        once: under tests, chunks are queued only when asked in the context
        (``cou_queue_job_enqueue``)."""
        return not self._cou_test_mode() or self.env.context.get(
            "cou_queue_job_enqueue"
        )

    @api.model
    def _cou_claim_where(self):
        if self.env.context.get("cou_queue_job_run"):
            return super()._cou_claim_where()
        return SQL("c.queued IS NOT TRUE")

    @api.model
    def _cou_dispatch(self, run, job):
        if not self._cou_queue_enabled():
            return super()._cou_dispatch(run, job)
        if not run:
            # another worker planned the open run and queued its chunks
            return 0, self._cou_remaining(job=job)
        chunks = self.search(
            [("run", "=", run), ("state", "=", "pending")], order="stage, id"
        )
        stages = []
        for stage in sorted(set(chunks.mapped("stage"))):
            stages.append(
                group(
                    *(
                        chunk.delayable(
                            channel=CHANNEL,
                            description=self.env._(
                                "%(job)s: chunk %(chunk)s (%(count)s records)",
                                job=chunk.job,
                                chunk=chunk.id,
                                count=chunk.record_count,
                            ),
                            identity_key=f"cou_job_chunk:{chunk.id}",
                        )._cou_queue_run_chunk()
                        for chunk in chunks.filtered(lambda c, s=stage: c.stage == s)
                    )
                )
            )
        if stages:
            chain(*stages).delay()
            self.flush_model()
            self.env.cr.execute(
                SQL(
                    "UPDATE cou_job_chunk SET queued = TRUE WHERE id = ANY(%s)",
                    chunks.ids,
                )
            )
            self.invalidate_model(["queued"])
        _logger.info("job %s: run %s queued as %d jobs", job, run, len(chunks))
        return 0, len(chunks)

    def _cou_queue_run_chunk(self):
        """Queue job: run this chunk in the job's transaction (queue_job
        commits it, or retries it on a serialization failure)."""
        self.ensure_one()
        chunk = self.with_context(cou_queue_job_run=True)._cou_claim(chunk_id=self.id)
        if not chunk:
            state = self.read(["state"])[0]["state"]
            if state != "pending":
                return f"chunk {self.id} already {state}"
            # held by another worker, or an earlier stage is not done yet
            raise RetryableJobError(
                f"chunk {self.id} is busy", seconds=10, ignore_retry=True
            )
        chunk._cou_run_claimed(chunk, commit=False)
        return f"chunk {self.id} done ({chunk.record_count} records)"
