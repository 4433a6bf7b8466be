import logging
import os
import socket
import threading
import time

from psycopg2 import errors as pg_errors

from odoo import api, fields, models
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

# Errors that mean "another worker got in the way": the chunk is tried again.
CONCURRENCY_ERRORS = (
    pg_errors.SerializationFailure,
    pg_errors.LockNotAvailable,
    pg_errors.DeadlockDetected,
)
MAX_ATTEMPTS = 5


class CouJobRetry(Exception):
    """Raised by a chunk's method when part of its work was left to a
    concurrent transaction: the chunk is rolled back and taken again."""


# advisory lock namespace of the planning of a run (with hashtext(job))
PLAN_LOCK = 0x434F554A  # "COUJ"
# a worker cron hands over to a fresh run of itself after this many seconds
WORKER_TIME_BUDGET = 240


class CouJobChunk(models.Model):
    """A slice of a heavy job that any worker may run.

    A cron job that recomputes much (segments, Customer 360 figures,
    forecasts, suggestions) plans a *run*: one row per chunk, each naming the
    model, the ``_cou_job_*`` method, the ids and the keyword arguments to
    call. Any worker then claims the next pending chunk with ``FOR NO KEY
    UPDATE SKIP LOCKED``, calls it and marks it done in the same transaction:

    - two workers (of one server or of several on the same database) never
      get the same chunk, so adding a server shortens the run;
    - a worker that dies mid-chunk rolls its transaction back, its lock goes
      with it, and the chunk is pending again for the next worker: the run
      resumes where it stopped, and nothing is done twice;
    - ``stage`` orders the chunks of a run (RFM scores before the segments
      that read them): a chunk is claimed only when no chunk of an earlier
      stage of its run is pending.

    The planning cron works on its run too, and wakes the worker crons
    (``ir_cron_cou_job_chunk_worker_*``) so that the cron workers of every
    server share it. In test mode everything runs at once in the caller's
    transaction, without commits. The queue_job bridge
    (``crm_order_unified_queue_job``) enqueues the chunks as jobs instead.
    """

    _name = "cou.job.chunk"
    _description = "Customer Hub Job Chunk"
    _order = "id desc"

    # === FIELDS === #
    job = fields.Char(required=True, index=True, readonly=True)
    run = fields.Char(required=True, index=True, readonly=True)
    stage = fields.Integer(readonly=True)
    res_model = fields.Char(string="Model", required=True, readonly=True)
    method = fields.Char(required=True, readonly=True)
    res_ids = fields.Json(string="Record IDs", readonly=True)
    kwargs = fields.Json(string="Arguments", readonly=True)
    record_count = fields.Integer(string="Records", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True, index=True)
    state = fields.Selection(
        selection=[("pending", "Pending"), ("done", "Done"), ("failed", "Failed")],
        required=True,
        default="pending",
        readonly=True,
    )
    attempts = fields.Integer(readonly=True)
    worker = fields.Char(readonly=True, help="Host and process that ran the chunk")
    date_started = fields.Datetime(string="Started", readonly=True)
    date_done = fields.Datetime(string="Finished", readonly=True)
    duration = fields.Float(string="Duration (s)", readonly=True, digits=(16, 3))
    error = fields.Text(readonly=True)

    def init(self):
        # the claim query: pending chunks in id order
        self.env.cr.execute(
            SQL(
                "CREATE INDEX IF NOT EXISTS cou_job_chunk_pending_idx"
                " ON cou_job_chunk (run, stage, id) WHERE state = 'pending'"
            )
        )

    # === BUSINESS METHODS: PLANNING === #
    @api.model
    def _cou_test_mode(self):
        return self.env.registry.in_test_mode() or getattr(
            threading.current_thread(), "testing", False
        )

    @api.model
    def _cou_run_job(self, job, stages):
        """Plan a run of ``job`` and have it worked off.

        :param stages: list of stages, each a list of chunks, each a dict
            ``{"model", "method", "ids", "kwargs", "company_id"}`` (the last
            three optional), called as
            ``env[model].browse(ids).with_company(company_id).method(**kwargs)``;
            ``method`` starts with ``_cou_job_``
        :return: the run's key, or False when a run of ``job`` is still open
            (another worker planned it: this call only helps it)
        """
        chunks = self.sudo()  # the chunks are the system's, whoever plans a run
        run = chunks._cou_plan(job, stages)
        chunks._cou_dispatch(run or None, job)
        return run

    @api.model
    def _cou_plan(self, job, stages):
        rows = [
            (stage, chunk) for stage, chunks in enumerate(stages) for chunk in chunks
        ]
        for _stage, chunk in rows:
            if not chunk["method"].startswith("_cou_job_"):
                raise ValueError(f"{chunk['method']}: a chunk calls a _cou_job_ method")
        cr = self.env.cr
        if not self._cou_test_mode():
            # a fresh transaction in READ COMMITTED for the check below: it
            # sees a run that another server committed just before
            cr.commit()  # pylint: disable=invalid-commit (batch job: planning is its own transaction)
            cr.execute(SQL("SET TRANSACTION ISOLATION LEVEL READ COMMITTED"))
        cr.execute(
            SQL("SELECT pg_try_advisory_xact_lock(%s, hashtext(%s))", PLAN_LOCK, job)
        )
        if not cr.fetchone()[0]:
            return False
        self.flush_model()
        cr.execute(
            SQL(
                "SELECT run FROM cou_job_chunk"
                " WHERE job = %s AND state = 'pending' LIMIT 1",
                job,
            )
        )
        if cr.fetchone():
            _logger.info("job %s: a run is still open, this worker helps it", job)
            return False
        run = f"{job}:{fields.Datetime.now():%Y%m%d%H%M%S}:{os.urandom(4).hex()}"
        if rows:
            cr.execute(
                SQL(
                    """INSERT INTO cou_job_chunk
                           (job, run, stage, res_model, method, res_ids, kwargs,
                            record_count, company_id, state, attempts,
                            create_uid, create_date, write_uid, write_date)
                    SELECT %(job)s, %(run)s, r.stage, r.res_model, r.method,
                           r.res_ids::jsonb, r.kwargs::jsonb,
                           jsonb_array_length(r.res_ids::jsonb), r.company_id,
                           'pending', 0, %(uid)s, now() at time zone 'UTC',
                           %(uid)s, now() at time zone 'UTC'
                      FROM unnest(%(stage)s::int[], %(model)s::varchar[],
                                  %(method)s::varchar[], %(ids)s::text[],
                                  %(kwargs)s::text[], %(company)s::int[])
                           AS r(stage, res_model, method, res_ids, kwargs,
                                company_id)""",
                    job=job,
                    run=run,
                    uid=self.env.uid,
                    stage=[stage for stage, _chunk in rows],
                    model=[chunk["model"] for _stage, chunk in rows],
                    method=[chunk["method"] for _stage, chunk in rows],
                    ids=[self._cou_json(chunk.get("ids") or []) for _s, chunk in rows],
                    kwargs=[
                        self._cou_json(chunk.get("kwargs") or {}) for _s, chunk in rows
                    ],
                    company=[chunk.get("company_id") or None for _s, chunk in rows],
                )
            )
        _logger.info("job %s: run %s planned, %d chunks", job, run, len(rows))
        if not self._cou_test_mode():
            cr.commit()  # pylint: disable=invalid-commit (the chunks must be seen by the other workers)
        return run

    @api.model
    def _cou_json(self, value):
        return fields.Json().convert_to_column(value, None)

    @api.model
    def _cou_dispatch(self, run, job):
        """Have the chunks of ``run`` (None: the open run of ``job``) worked
        off: wake the worker crons of every server and work with them.
        Override point (queue_job bridge)."""
        if not self._cou_test_mode():
            for cron in (
                self.env["ir.cron"]
                .sudo()
                .search([("code", "=", "model._cron_cou_process()")])
            ):
                cron._trigger()
            self.env.cr.commit()  # pylint: disable=invalid-commit (the triggers reach the other servers)
        return self._cou_process(run=run, job=job)

    # === BUSINESS METHODS: WORKING === #
    @api.model
    def _cou_claim_where(self):
        """Extra condition on the chunks a worker claims (override point)."""
        return SQL("TRUE")

    @api.model
    def _cou_claim(self, run=None, job=None, chunk_id=None):
        """Lock the next pending chunk that no other transaction holds and
        whose earlier stages are done; return it (empty when none)."""
        self.flush_model()
        self.env.cr.execute(
            SQL(
                """SELECT c.id FROM cou_job_chunk c
                    WHERE c.state = 'pending' AND %(run)s AND %(job)s AND %(id)s
                      AND %(extra)s
                      AND NOT EXISTS (
                          SELECT 1 FROM cou_job_chunk e
                           WHERE e.run = c.run AND e.stage < c.stage
                             AND e.state = 'pending')
                 ORDER BY c.stage, c.id
                    LIMIT 1
                      FOR NO KEY UPDATE SKIP LOCKED""",
                run=SQL("c.run = %s", run) if run else SQL("TRUE"),
                job=SQL("c.job = %s", job) if job else SQL("TRUE"),
                id=SQL("c.id = %s", chunk_id) if chunk_id else SQL("TRUE"),
                extra=self._cou_claim_where(),
            )
        )
        row = self.env.cr.fetchone()
        return self.browse(row[0] if row else ())

    @api.model
    def _cou_blocked(self, run=None, job=None):
        """Whether pending chunks wait for an earlier stage (worth waiting for)."""
        self.env.cr.execute(
            SQL(
                """SELECT 1 FROM cou_job_chunk c
                    WHERE c.state = 'pending' AND %(run)s AND %(job)s AND %(extra)s
                      AND EXISTS (
                          SELECT 1 FROM cou_job_chunk e
                           WHERE e.run = c.run AND e.stage < c.stage
                             AND e.state = 'pending')
                    LIMIT 1""",
                run=SQL("c.run = %s", run) if run else SQL("TRUE"),
                job=SQL("c.job = %s", job) if job else SQL("TRUE"),
                extra=self._cou_claim_where(),
            )
        )
        return bool(self.env.cr.fetchone())

    def _cou_execute(self):
        """Call the chunk's method (in the current transaction)."""
        self.ensure_one()
        method = self.method
        if not method.startswith("_cou_job_"):
            raise ValueError(f"{method}: a chunk calls a _cou_job_ method")
        records = self.env[self.res_model].sudo().browse(self.res_ids or [])
        if self.company_id:
            records = records.with_company(self.company_id)
        return getattr(records, method)(**(self.kwargs or {}))

    def _cou_mark(self, state, started, error=None):
        self.ensure_one()
        self.env.cr.execute(
            SQL(
                """UPDATE cou_job_chunk
                      SET state = %(state)s, worker = %(worker)s,
                          date_started = %(started)s,
                          date_done = clock_timestamp() at time zone 'UTC',
                          duration = %(duration)s, error = %(error)s,
                          write_date = now() at time zone 'UTC'
                    WHERE id = %(id)s""",
                state=state,
                worker=f"{socket.gethostname()}:{os.getpid()}",
                started=started[0],
                duration=round(time.time() - started[1], 3),
                error=error,
                id=self.id,
            )
        )
        self.invalidate_recordset()

    @api.model
    def _cou_process(self, run=None, job=None, commit=None, time_budget=None):
        """Claim and run pending chunks until none is left (or ``time_budget``
        seconds passed), committing after each one unless in test mode.

        :return: ``(done, remaining)`` chunk counts
        """
        if commit is None:
            commit = not self._cou_test_mode()
        cr = self.env.cr
        start = time.time()
        done = 0
        while time_budget is None or time.time() - start < time_budget:
            if commit:
                cr.commit()  # pylint: disable=invalid-commit (each chunk in a fresh transaction)
            try:
                chunk = self._cou_claim(run=run, job=job)
            except CONCURRENCY_ERRORS as exc:
                # another worker finished the chunk after our snapshot
                if not commit:
                    raise
                cr.rollback()
                _logger.info("job chunks: claim retried (%s)", exc.__class__.__name__)
                continue
            if not chunk:
                if commit and self._cou_blocked(run=run, job=job):
                    time.sleep(0.5)  # an earlier stage is being worked on
                    continue
                break
            if self._cou_run_claimed(chunk, commit):
                done += 1
        return done, self._cou_remaining(run=run, job=job)

    @api.model
    def _cou_run_claimed(self, chunk, commit):
        """Run a claimed (locked) chunk; True when it is done."""
        cr = self.env.cr
        started = (fields.Datetime.now(), time.time())
        if not commit:
            with cr.savepoint():
                chunk._cou_execute()
            chunk._cou_mark("done", started)
            return True
        chunk_id, attempts = chunk.id, chunk.attempts
        try:
            chunk._cou_execute()
            chunk._cou_mark("done", started)
            cr.commit()  # pylint: disable=invalid-commit (the chunk and its mark together)
            return True
        except Exception as exc:  # noqa: BLE001 - one failed chunk must not stop the others
            cr.rollback()
            self.env.invalidate_all()
            retry = self._cou_concurrency(exc) and attempts + 1 < MAX_ATTEMPTS
            (_logger.info if retry else _logger.exception)(
                "job chunk %s: %s", chunk_id, exc.__class__.__name__
            )
            # count the attempt, unless another worker took the chunk meanwhile
            chunk = self._cou_claim(chunk_id=chunk_id)
            if chunk:
                cr.execute(
                    SQL(
                        "UPDATE cou_job_chunk SET attempts = attempts + 1"
                        " WHERE id = %s",
                        chunk_id,
                    )
                )
                if not retry:
                    chunk._cou_mark(
                        "failed", started, str(exc) or exc.__class__.__name__
                    )
            cr.commit()  # pylint: disable=invalid-commit (keep the attempt)
            if retry:
                time.sleep(min(attempts + 1, 5))  # let the other writer finish
            return False

    @api.model
    def _cou_concurrency(self, exc):
        """Whether ``exc`` comes from a concurrency error, also when a later
        statement of the aborted transaction (a ``finally``) masked it."""
        seen = set()
        while exc is not None and id(exc) not in seen:
            if isinstance(exc, CONCURRENCY_ERRORS + (CouJobRetry,)):
                return True
            seen.add(id(exc))
            exc = exc.__cause__ or exc.__context__
        return False

    @api.model
    def _cou_remaining(self, run=None, job=None):
        self.env.cr.execute(
            SQL(
                "SELECT COUNT(*) FROM cou_job_chunk c"
                " WHERE c.state = 'pending' AND %s AND %s",
                SQL("c.run = %s", run) if run else SQL("TRUE"),
                SQL("c.job = %s", job) if job else SQL("TRUE"),
            )
        )
        return self.env.cr.fetchone()[0]

    @api.model
    def _cron_cou_process(self):
        """Worker crons: work off the pending chunks of every job for a few
        minutes, then hand over to a fresh run of the cron (its progress)."""
        start = time.time()
        done, remaining = self._cou_process(time_budget=WORKER_TIME_BUDGET)
        if time.time() - start < WORKER_TIME_BUDGET:
            remaining = 0  # what is left is held by other workers: no rerun
        if self.env.context.get("ir_cron_progress_id"):
            self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)

    @api.autovacuum
    def _gc_done_chunks(self):
        """Keep a month of finished chunks (the log of the runs)."""
        self.env.cr.execute(
            SQL(
                "DELETE FROM cou_job_chunk WHERE state != 'pending'"
                " AND date_done < now() at time zone 'UTC' - interval '30 days'"
            )
        )
