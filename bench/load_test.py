"""Bounded load on Odoo servers of one database (make load-test).

Run by scripts/load_test.sh in three phases:

- ``one``: CLIENTS JSON-RPC clients on the first server for SECONDS create,
  confirm, deliver and invoice orders, one client imports a small history
  file, and the heavy jobs (segments, forecasts, suggestions, imports,
  overdue amounts) are triggered in the cron workers at the start;
- ``two``: the same on both servers (clients spread over them);
- ``check``: the heavy jobs run once more at rest, then: no error in the
  servers' logs other than retried serialization failures, every job chunk
  done once and no two runs of one job at the same time, and the Customer
  360 figures, RFM scores and segment members equal to a from-scratch
  recomputation (in a transaction rolled back). Prints one JSON object;
  exits 1 when a check fails.

Localhost only; needs the project's venv (psycopg2, and odoo for the check).
"""

import argparse
import base64
import json
import os
import random
import re
import sys
import threading
import time
import urllib.request

import psycopg2

HEAVY_CRONS = [
    "crm_order_unified_segment.ir_cron_cou_segment_recompute",
    "crm_order_unified_forecast.ir_cron_cou_forecast",
    "crm_order_unified_recommendation.ir_cron_cou_recommendation_rebuild",
    "crm_order_unified_history_import.ir_cron_cou_history_import",
    "crm_order_unified.ir_cron_customer360_overdue",
]
SEGMENT_CRON = HEAVY_CRONS[0]
SERIALIZATION = ("could not serialize", "SerializationFailure", "deadlock detected")


class RpcError(Exception):
    pass


class Client:
    def __init__(self, port, db, login="admin", password="admin"):
        self.url = f"http://127.0.0.1:{port}/jsonrpc"
        self.db, self.password = db, password
        self.uid = self._call("common", "login", db, login, password)
        if not self.uid:
            raise RpcError(f"cannot log in as {login} on port {port}")

    def _call(self, service, method, *args):
        body = json.dumps(
            {
                "jsonrpc": "2.0",
                "method": "call",
                "params": {"service": service, "method": method, "args": args},
                "id": random.randint(1, 10**9),
            }
        ).encode()
        request = urllib.request.Request(
            self.url, body, {"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=600) as response:
            reply = json.loads(response.read())
        if reply.get("error"):
            data = reply["error"].get("data") or {}
            raise RpcError(f"{data.get('name')}: {data.get('message')}")
        return reply["result"]

    def call(self, model, method, *args, **kwargs):
        return self._call(
            "object",
            "execute_kw",
            self.db,
            self.uid,
            self.password,
            model,
            method,
            list(args),
            kwargs,
        )


def connect(db):
    return psycopg2.connect(dbname=db)


def cron_ids(cr, xmlids):
    ids = []
    for xmlid in xmlids:
        module, name = xmlid.split(".")
        cr.execute(
            "SELECT res_id FROM ir_model_data"
            " WHERE module = %s AND name = %s AND model = 'ir.cron'",
            (module, name),
        )
        row = cr.fetchone()
        if row:
            ids.append(row[0])
    return ids


def quiet_other_crons(db):
    """The other scheduled actions of a fresh database are all due: put them
    off a day, so that both phases measure the same background work."""
    with connect(db) as conn, conn.cursor() as cr:
        ids = cron_ids(cr, HEAVY_CRONS)
        cr.execute(
            "UPDATE ir_cron SET nextcall = now() at time zone 'UTC' + interval '1 day'"
            " WHERE active AND NOT (id = ANY(%s)) AND ir_actions_server_id NOT IN"
            " (SELECT id FROM ir_act_server WHERE code = 'model._cron_cou_process()')",
            (ids,),
        )


def trigger(db, xmlids):
    """What ir.cron._trigger() does: a trigger row per cron, then a NOTIFY
    that wakes the cron workers of every server."""
    with connect(db) as conn, conn.cursor() as cr:
        ids = cron_ids(cr, xmlids)
        cr.executemany(
            "INSERT INTO ir_cron_trigger (cron_id, call_at, create_date, write_date)"
            " VALUES (%s, now() at time zone 'UTC', now() at time zone 'UTC',"
            " now() at time zone 'UTC')",
            [(cron_id,) for cron_id in ids],
        )
    with connect("postgres") as conn, conn.cursor() as cr:
        cr.execute("NOTIFY cron_trigger, %s", (db,))
    return ids


def wait_jobs(db, limit=900):
    """Wait until the heavy crons have consumed their triggers, none runs
    and no job chunk is pending. Returns the seconds waited."""
    start = time.time()
    with connect(db) as conn:
        conn.autocommit = True
        with conn.cursor() as cr:
            ids = cron_ids(cr, HEAVY_CRONS)
            cr.execute(
                "SELECT res_id FROM ir_model_data WHERE module = 'crm_order_unified'"
                " AND model = 'ir.cron' AND name LIKE 'ir_cron_cou_job_chunk_worker_%'"
            )
            ids += [row[0] for row in cr.fetchall()]
            while time.time() - start < limit:
                cr.execute(
                    "SELECT COUNT(*) FROM ir_cron_trigger WHERE cron_id = ANY(%s)"
                    " AND call_at <= now() at time zone 'UTC'",
                    (ids,),
                )
                triggers = cr.fetchone()[0]
                cr.execute("SELECT COUNT(*) FROM cou_job_chunk WHERE state = 'pending'")
                pending = cr.fetchone()[0]
                cr.execute("BEGIN")
                cr.execute(
                    "SELECT COUNT(*) FROM (SELECT id FROM ir_cron WHERE id = ANY(%s)"
                    " FOR NO KEY UPDATE SKIP LOCKED) free",
                    (ids,),
                )
                running = len(ids) - cr.fetchone()[0]
                cr.execute("ROLLBACK")
                if not (triggers or pending or running):
                    return round(time.time() - start, 1)
                time.sleep(1)
    raise SystemExit(f"the heavy jobs did not finish within {limit} s")


def order_flow(client, partner_id, products):
    lines = [
        (0, 0, {"product_id": product, "product_uom_qty": random.randint(1, 5)})
        for product in random.sample(products, random.randint(1, 3))
    ]
    order_id = client.call(
        "sale.order", "create", {"partner_id": partner_id, "order_line": lines}
    )
    client.call("sale.order", "action_confirm", [order_id])
    pickings = client.call(
        "stock.picking",
        "search_read",
        [("sale_id", "=", order_id), ("state", "not in", ("done", "cancel"))],
        ["move_ids"],
    )
    for picking in pickings:
        moves = client.call(
            "stock.move", "read", picking["move_ids"], ["product_uom_qty"]
        )
        for move in moves:
            client.call(
                "stock.move",
                "write",
                [move["id"]],
                {"quantity": move["product_uom_qty"], "picked": True},
            )
        result = client.call("stock.picking", "button_validate", [picking["id"]])
        if isinstance(result, dict):
            raise RpcError(f"delivery asks for {result.get('res_model')}")
    wizard = client.call(
        "sale.advance.payment.inv",
        "create",
        {"advance_payment_method": "delivered", "sale_order_ids": [(6, 0, [order_id])]},
    )
    client.call("sale.advance.payment.inv", "create_invoices", [wizard])
    invoices = client.call(
        "account.move",
        "search",
        [("line_ids.sale_line_ids.order_id", "=", order_id), ("state", "=", "draft")],
    )
    if not invoices:
        raise RpcError(f"order {order_id}: no invoice")
    client.call("account.move", "action_post", invoices)
    return order_id


def history_csv(tag, orders=30):
    rows = [
        "order_ref,date,customer_ref,customer_name,customer_email,country,"
        "product_code,product_name,quantity,unit_price,currency"
    ]
    for n in range(orders):
        for k in range(3):
            rows.append(
                f"LT-{tag}-{n},2025-0{1 + n % 9}-1{k} 09:00:00,LTC{n % 10},"
                f"Load Customer {n % 10},load{n % 10}@example.com,Japan,"
                f"LTP{k},Load Product {k},{1 + k},{10 + k}.00,JPY"
            )
    return ("\n".join(rows) + "\n").encode()


def run_import(client, tag):
    wizard = client.call(
        "cou.history.import",
        "create",
        {
            "file": base64.b64encode(history_csv(tag)).decode(),
            "file_name": f"load_{tag}.csv",
        },
    )
    client.call("cou.history.import", "action_load_file", [wizard])
    client.call("cou.history.import", "action_import", [wizard])


def phase(args):
    ports = [int(p) for p in args.ports.split(",")]
    admin = Client(ports[0], args.db)
    partners = [
        p["id"]
        for p in admin.call(
            "res.partner",
            "search_read",
            [("customer_rank", ">", 0), ("parent_id", "=", False)],
            ["id"],
            limit=400,
        )
    ]
    products = [
        p["id"]
        for p in admin.call(
            "product.product",
            "search_read",
            [("sale_ok", "=", True), ("type", "=", "consu")],
            ["id"],
            limit=60,
        )
    ]
    if not partners or len(products) < 3:
        raise SystemExit("the database has no customers or products to order")
    deadline = time.time() + args.seconds
    stats = {"orders": 0, "errors": [], "client_retries": 0, "import_s": None}
    lock = threading.Lock()

    def worker(index):
        rnd = random.Random(index * 7919 + len(ports))
        client = Client(ports[index % len(ports)], args.db)
        while time.time() < deadline:
            partner = rnd.choice(partners)
            for attempt in range(3):
                try:
                    order_flow(client, partner, products)
                    with lock:
                        stats["orders"] += 1
                    break
                except RpcError as exc:
                    serialization = any(s in str(exc) for s in SERIALIZATION)
                    with lock:
                        if serialization and attempt < 2:
                            stats["client_retries"] += 1
                            continue
                        stats["errors"].append(str(exc)[:300])
                    break

    def importer():
        client = Client(ports[-1], args.db)
        start = time.time()
        try:
            run_import(client, f"{args.phase}{int(start)}")
            stats["import_s"] = round(time.time() - start, 1)
        except RpcError as exc:
            with lock:
                stats["errors"].append("import: " + str(exc)[:300])

    if args.phase == "one":
        quiet_other_crons(args.db)
    started = time.time()
    trigger(args.db, HEAVY_CRONS)
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(args.clients)]
    threads.append(threading.Thread(target=importer))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    load_s = time.time() - started
    jobs_wait_s = wait_jobs(args.db)
    result = {
        "servers": len(ports),
        "clients": args.clients,
        "seconds": round(load_s, 1),
        "orders": stats["orders"],
        "orders_per_minute": round(stats["orders"] * 60 / load_s, 1),
        "client_retried_serialization_failures": stats["client_retries"],
        "errors": stats["errors"][:20],
        "error_count": len(stats["errors"]),
        "import_s": stats["import_s"],
        "heavy_jobs_done_after_load_s": jobs_wait_s,
        "runs": job_runs(args.db, since=started),
        "loadavg": open("/proc/loadavg").read().split()[:3],
    }
    state = {}
    result["started"] = started
    if os.path.exists(args.state) and args.phase != "one":
        with open(args.state) as f:
            state = json.load(f)
    state[args.phase] = result
    with open(args.state, "w") as f:
        json.dump(state, f)
    print(json.dumps({"phase": args.phase, **result}))


def job_runs(db, since=None):
    """Each run of a job: its chunks, how many workers (processes) shared
    it, its wall time (first start to last end)."""
    with connect(db) as conn, conn.cursor() as cr:
        cr.execute(
            """SELECT job, run, COUNT(*), COUNT(DISTINCT worker),
                      COUNT(*) FILTER (WHERE state = 'done'),
                      EXTRACT(EPOCH FROM MAX(date_done) - MIN(date_started)),
                      SUM(duration)
                 FROM cou_job_chunk
                WHERE %s IS NULL OR create_date >= to_timestamp(%s) at time zone 'UTC'
             GROUP BY job, run ORDER BY MIN(date_started)""",
            (since, since or 0),
        )
        return [
            {
                "job": job,
                "chunks": count,
                "done": done,
                "workers": workers,
                "wall_s": round(float(wall or 0), 2),
                "work_s": round(float(work or 0), 2),
            }
            for job, _run, count, workers, done, wall, work in cr.fetchall()
        ]


LOG_RECORD = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ (\d+) (\w+) ")


def log_records(path):
    """``[(pid, level, text)]`` of an Odoo log file (a record and the lines
    that follow it, such as a traceback)."""
    records = []
    with open(path, errors="replace") as f:
        for line in f:
            match = LOG_RECORD.match(line)
            if match:
                records.append((match[1], match[2], line))
            elif records:
                pid, level, text = records[-1]
                records[-1] = (pid, level, text + line)
    return records


def check_logs(paths):
    """Errors of the servers' logs, but the serialization failures that were
    retried: a request by Odoo (``... tries left, try again``), a job chunk
    by the chunk worker (``job chunk N: ...`` then taken again). The
    statement that fails after it in the aborted transaction (a ``finally``)
    is part of it."""
    errors, retried = [], 0
    for path in paths:
        records = log_records(path)
        for n, (pid, level, text) in enumerate(records):
            if level not in ("ERROR", "CRITICAL"):
                continue
            if any(s in text for s in SERIALIZATION):
                later = [
                    t
                    for p, lv, t in records[n + 1 : n + 40]
                    if p == pid and lv == "INFO"
                ]
                if any(
                    re.search(r"tries left|job chunk \d+: |claim retried", t)
                    for t in later
                ):
                    retried += 1
                    continue
            if "current transaction is aborted" in text:
                earlier = [t for p, lv, t in records[max(0, n - 5) : n] if p == pid]
                if any(any(s in t for s in SERIALIZATION) for t in earlier):
                    continue
            errors.append(f"{os.path.basename(path)}: {text.strip()[:300]}")
    return errors, retried


def check_chunks(db, since):
    """The chunks planned since the load started: all done, none failed, and
    no two runs of one job at the same time."""
    problems = []
    with connect(db) as conn, conn.cursor() as cr:
        cr.execute(
            "CREATE TEMP VIEW load_chunks AS SELECT * FROM cou_job_chunk"
            " WHERE create_date >= to_timestamp(%s) at time zone 'UTC'",
            (since,),
        )
        cr.execute(
            "SELECT state, COUNT(*), MAX(attempts) FROM load_chunks GROUP BY state"
        )
        states = {state: (count, attempts) for state, count, attempts in cr.fetchall()}
        for state in ("pending", "failed"):
            if state in states:
                problems.append(f"{states[state][0]} chunks {state}")
        # two runs of one job never overlap in time
        cr.execute(
            """WITH runs AS (
                   SELECT job, run, MIN(date_started) AS s, MAX(date_done) AS e
                     FROM load_chunks GROUP BY job, run)
               SELECT a.job, a.run, b.run FROM runs a JOIN runs b
                   ON a.job = b.job AND a.run < b.run AND a.s < b.e AND b.s < a.e"""
        )
        for job, run_a, run_b in cr.fetchall():
            problems.append(f"job {job}: runs {run_a} and {run_b} overlap")
    return problems, {state: count for state, (count, _a) in states.items()}


def row_key(row):
    """A row as a comparable, hashable text (jsonb columns are dicts)."""
    return json.dumps(row, sort_keys=True, default=str)


def check_recompute(db):
    """Stored figures, RFM scores and current members against a from-scratch
    recomputation in a transaction that is rolled back."""
    sys.path.insert(0, os.environ["ODOO_SRC"])
    import odoo
    from odoo import SUPERUSER_ID, api
    from odoo.modules.registry import Registry
    from odoo.tools import SQL

    odoo.tools.config.parse_config([*os.environ["ODOO_ARGS"].split(), "-d", db])
    registry = Registry(db)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        fnames = env["res.partner"]._cou_customer_360_fnames()
        queries = {
            "customer_360": SQL(
                "SELECT id, %s FROM res_partner ORDER BY id",
                SQL(", ").join(SQL.identifier(f) for f in fnames),
            ),
            "rfm": SQL(
                "SELECT partner_id, company_id, last_order_date, recency_days,"
                " frequency, monetary, r_score, f_score, m_score, segment_code"
                " FROM cou_rfm_score ORDER BY partner_id, company_id"
            ),
            "segment_members": SQL(
                "SELECT segment_id, partner_id FROM cou_segment_member"
                " WHERE date_to IS NULL ORDER BY segment_id, partner_id"
            ),
        }
        stored = {}
        for key, query in queries.items():
            cr.execute(query)
            stored[key] = cr.fetchall()
        cr.execute(
            SQL(
                "UPDATE res_partner SET %s",
                SQL(", ").join(SQL("%s = NULL", SQL.identifier(f)) for f in fnames),
            )
        )
        cr.execute("DELETE FROM cou_segment_member")
        cr.execute("DELETE FROM cou_rfm_score")
        env.invalidate_all()
        env["res.partner"]._cou_refresh_customer_360_all()
        env["cou.segment"]._recompute_all(commit=False)
        env.flush_all()
        result = {}
        for key, query in queries.items():
            cr.execute(query)
            fresh = cr.fetchall()
            diff = set(map(row_key, stored[key])) ^ set(map(row_key, fresh))
            result[key] = {
                "rows": len(fresh),
                "equal": not diff,
                "differences": sorted(diff)[:5],
            }
        cr.rollback()
    return result


def check(args):
    started = time.time()
    trigger(args.db, [SEGMENT_CRON])
    wait_s = wait_jobs(args.db)
    log_errors, retried = check_logs(args.logs.split(","))
    with open(args.state) as f:
        state = json.load(f)
    chunk_problems, chunk_states = check_chunks(args.db, state["one"]["started"])
    recompute = check_recompute(args.db)
    one, two = state.get("one", {}), state.get("two", {})
    report = {
        "throughput_orders_per_minute": {
            "1_server": one.get("orders_per_minute"),
            "2_servers": two.get("orders_per_minute"),
            "ratio": round(two["orders_per_minute"] / one["orders_per_minute"], 2)
            if one.get("orders_per_minute") and two.get("orders_per_minute")
            else None,
        },
        "client_errors": one.get("error_count", 0) + two.get("error_count", 0),
        "client_retried_serialization_failures": one.get(
            "client_retried_serialization_failures", 0
        )
        + two.get("client_retried_serialization_failures", 0),
        "server_retried_serialization_failures": retried,
        "server_log_errors": log_errors[:20],
        "job_chunks": chunk_states,
        "job_chunk_problems": chunk_problems,
        "final_segment_run": job_runs(args.db, since=started),
        "final_jobs_wait_s": wait_s,
        "recompute_from_scratch": recompute,
        "loadavg": open("/proc/loadavg").read().split()[:3],
    }
    ok = (
        not report["client_errors"]
        and not log_errors
        and not chunk_problems
        and all(part["equal"] for part in recompute.values())
    )
    report["ok"] = ok
    print(json.dumps(report, indent=1))
    return 0 if ok else 1


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--phase", choices=("one", "two", "check"), required=True)
    parser.add_argument("--ports", required=True)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--logs", default="")
    parser.add_argument("--state", required=True)
    args = parser.parse_args()
    if args.phase == "check":
        return check(args)
    phase(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
