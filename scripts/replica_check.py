"""The checks of `make replica-test` (run by scripts/replica_test.sh).

Talks to an Odoo started with --db_replica_host/--db_replica_port over the web
client's JSON-RPC (/web/session/authenticate, /web/dataset/call_kw), and
proves from two sides which database answered each call:

* Odoo's request log: with a replica configured, each request line ends
  with its cursor mode, ``ro`` (replica), ``rw`` (primary) or ``ro->rw``
  (started on the replica, run again on the primary);
* the replica's statement log (log_statement = all): statements of the
  database during the call.

Checks: (1) every read path answers from the replica, without error;
(2) writes go to the primary; (3) right after a write, the writer's pages
show it: also while the replica's replay is paused (the other session then
reads the replica's older state), and again from the replica once it has
replayed. Prints a summary; exit status 1 when a check fails.
"""

import argparse
import http.cookiejar
import json
import os
import re
import sys
import time
import urllib.request

import psycopg2

REQUEST_RE = re.compile(
    r'"POST (?P<path>\S+) HTTP/[\d.]+" (?P<status>\d+) - '
    r"(?P<queries>\d+) [\d.]+ [\d.]+ (?P<mode>\S+)\s*$"
)


class RpcError(Exception):
    pass


class Client:
    """A web client session (cookie jar) of one user."""

    def __init__(self, url, db, login, password):
        self.url = url
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        info = self.post(
            "/web/session/authenticate",
            {"db": db, "login": login, "password": password},
        )
        self.uid = info["uid"]
        self.context = info["user_context"]

    def post(self, path, params):
        body = json.dumps(
            {"jsonrpc": "2.0", "method": "call", "id": 1, "params": params}
        ).encode()
        request = urllib.request.Request(
            self.url + path, body, {"Content-Type": "application/json"}
        )
        with self.opener.open(request, timeout=600) as response:
            data = json.load(response)
        if data.get("error"):
            error = data["error"].get("data") or data["error"]
            raise RpcError(error.get("message") or json.dumps(error)[:500])
        return data["result"]

    def call(self, model, method, *args, route="call_kw", **kwargs):
        kwargs.setdefault("context", self.context)
        return self.post(
            f"/web/dataset/{route}/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )


class Checker:
    def __init__(self, opts):
        self.opts = opts
        self.failures = []
        self.rows = []
        self.odoo_log_pos = 0
        self.replica_log_pos = 0
        self.replica = psycopg2.connect(opts.replica_dsn)
        self.replica.autocommit = True
        self.primary = psycopg2.connect(opts.primary_dsn)
        self.primary.autocommit = True

    # --- logs ---

    def _new_lines(self, path, pos_attr):
        with open(path, errors="replace") as f:
            f.seek(getattr(self, pos_attr))
            text = f.read()
            setattr(self, pos_attr, f.tell())
        return text.splitlines()

    def _skip_logs(self):
        self._new_lines(self.opts.odoo_log, "odoo_log_pos")
        self._new_lines(self.opts.replica_log, "replica_log_pos")

    def _request_mode(self, path):
        """Cursor mode of the request to ``path`` in Odoo's log (waits for
        the line: workers write it after the response)."""
        lines = []
        for _attempt in range(100):
            lines += self._new_lines(self.opts.odoo_log, "odoo_log_pos")
            for line in lines:
                match = REQUEST_RE.search(line)
                if match and match["path"] == path:
                    return match["mode"], int(match["queries"])
            time.sleep(0.05)
        return "?", 0

    def _replica_statements(self):
        marker = f"db={self.opts.db} "
        return sum(
            1
            for line in self._new_lines(self.opts.replica_log, "replica_log_pos")
            if marker in line and "statement: " in line
        )

    # --- calls ---

    def run(
        self, label, client, model, method, *args, expect=None, route="call_kw", **kw
    ):
        """Call ``model.method``; record its cursor mode, the statements the
        replica ran meanwhile, and whether it matches ``expect`` (a set of
        modes); return the result (None on error)."""
        self._skip_logs()
        started = time.perf_counter()
        error = None
        result = None
        try:
            result = client.call(model, method, *args, route=route, **kw)
        except (RpcError, OSError) as exc:
            error = str(exc).splitlines()[0][:160]
        elapsed = (time.perf_counter() - started) * 1000
        mode, queries = self._request_mode(f"/web/dataset/{route}/{model}/{method}")
        on_replica = self._replica_statements()
        ok = error is None and (expect is None or mode in expect)
        if mode == "ro" and not on_replica:
            ok = False  # served "ro" but the replica ran nothing: not the replica
        self.rows.append((label, mode, queries, on_replica, elapsed, error))
        if not ok:
            self.failures.append(
                f"{label}: mode {mode}, {on_replica} statements on the replica"
                + (f", error: {error}" if error else f", expected {sorted(expect)}")
            )
        return result

    def check(self, condition, message):
        if not condition:
            self.failures.append(message)
        return condition

    # --- replication ---

    def pause_replay(self):
        with self.replica.cursor() as cr:
            cr.execute("SELECT pg_wal_replay_pause()")
            for _attempt in range(200):
                cr.execute("SELECT pg_get_wal_replay_pause_state()")
                if cr.fetchone()[0] == "paused":
                    return
                time.sleep(0.05)
        self.failures.append("the replica's replay does not pause")

    def resume_replay(self):
        with self.replica.cursor() as cr:
            cr.execute("SELECT pg_wal_replay_resume()")

    def wait_replayed(self):
        """Wait until the replica replayed everything the primary wrote so
        far; return the lag in ms."""
        with self.primary.cursor() as cr:
            cr.execute("SELECT pg_current_wal_lsn()::text")
            lsn = cr.fetchone()[0]
        started = time.perf_counter()
        with self.replica.cursor() as cr:
            for _attempt in range(6000):
                cr.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [lsn])
                if cr.fetchone()[0]:
                    return (time.perf_counter() - started) * 1000
                time.sleep(0.05)
        self.failures.append(f"the replica did not replay up to {lsn} in 300 s")
        return None

    def replica_count(self, query, params):
        with self.replica.cursor() as cr:
            cr.execute(query, params)
            return cr.fetchone()[0]


def wait_for_odoo(opts):
    deadline = time.time() + 600
    while time.time() < deadline:
        try:
            os.kill(opts.odoo_pid, 0)
        except OSError:
            sys.exit("Odoo stopped while starting (see its log)")
        try:
            with urllib.request.urlopen(
                f"{opts.url}/web/health", timeout=5
            ) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(1)
    sys.exit("Odoo did not answer in 600 s")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--odoo-log", required=True)
    parser.add_argument("--replica-log", required=True)
    parser.add_argument("--replica-dsn", required=True)
    parser.add_argument("--primary-dsn", required=True)
    parser.add_argument("--odoo-pid", type=int, required=True)
    parser.add_argument("--login", default="admin")
    parser.add_argument("--password", default="admin")
    opts = parser.parse_args()
    wait_for_odoo(opts)
    checker = Checker(opts)
    writer = Client(opts.url, opts.db, opts.login, opts.password)
    other = Client(opts.url, opts.db, opts.login, opts.password)
    RO = {"ro"}
    RW = {"rw"}
    models = {
        row["model"]
        for row in writer.call(
            "ir.model",
            "search_read",
            [("model", "like", "cou.")],
            fields=["model"],
        )
    }

    # a customer with orders, one of its confirmed orders, a delivery and an
    # invoice of a customer (demo data)
    order = writer.call(
        "sale.order",
        "search_read",
        [("state", "=", "sale"), ("picking_ids", "!=", False)],
        fields=["partner_id", "picking_ids"],
        limit=1,
        order="date_order desc",
    )[0]
    partner_id = order["partner_id"][0]
    customer_id = writer.call(
        "res.partner", "read", [partner_id], fields=["commercial_partner_id"]
    )[0]["commercial_partner_id"][0]
    invoice = writer.call(
        "account.move",
        "search_read",
        [("move_type", "=", "out_invoice"), ("state", "=", "posted")],
        fields=["id"],
        limit=1,
    )
    product = writer.call(
        "product.product",
        "search_read",
        [("sale_ok", "=", True), ("type", "=", "consu")],
        fields=["id"],
        limit=1,
    )[0]
    context_spec = {
        "cou_customer_order_count": {},
        "cou_customer_ordered_revenue": {},
        "cou_customer_recent_order_ids": {"fields": {"display_name": {}}},
        "cou_customer_open_picking_ids": {"fields": {"display_name": {}}},
        "cou_customer_unpaid_invoice_ids": {"fields": {"display_name": {}}},
    }

    # ---- 1. read paths, from the replica ----
    checker.wait_replayed()
    run = checker.run
    run(
        "timeline config",
        writer,
        "cou.timeline.event",
        "get_timeline_config",
        expect=RO,
    )
    page = run(
        "timeline page",
        writer,
        "cou.timeline.event",
        "get_timeline_page",
        customer_id,
        limit=20,
        expect=RO,
    )
    if page and page["next_cursor"]:
        run(
            "timeline next page",
            writer,
            "cou.timeline.event",
            "get_timeline_page",
            customer_id,
            cursor=page["next_cursor"],
            expect=RO,
        )
    overview = run(
        "customer overview",
        writer,
        "res.partner",
        "get_customer_overview",
        [customer_id],
        expect=RO,
    )
    run(
        "overview events",
        writer,
        "res.partner",
        "get_customer_overview_events",
        [customer_id],
        expect=RO,
    )
    run("dashboard", writer, "cou.dashboard", "get_dashboard_data", expect=RO)
    run(
        "order form context",
        writer,
        "sale.order",
        "web_read",
        [order["id"]],
        specification=context_spec,
        expect=RO,
    )
    run(
        "delivery form context",
        writer,
        "stock.picking",
        "web_read",
        order["picking_ids"][:1],
        specification=context_spec,
        expect=RO,
    )
    if invoice:
        run(
            "invoice form context",
            writer,
            "account.move",
            "web_read",
            [invoice[0]["id"]],
            specification=context_spec,
            expect=RO,
        )
    run(
        "customer list",
        writer,
        "res.partner",
        "web_search_read",
        [("customer_order_count", ">", 0)],
        specification={"display_name": {}, "customer_ordered_revenue": {}},
        limit=80,
        order="customer_ordered_revenue desc",
        expect=RO,
    )
    if "cou.rfm.score" in models:
        run("RFM matrix", writer, "cou.rfm.score", "get_rfm_matrix", expect=RO)
        run(
            "campaign funnel",
            writer,
            "utm.campaign",
            "web_search_read",
            [],
            specification={
                "cou_recipient_count": {},
                "cou_opened_count": {},
                "cou_ordering_recipient_count": {},
                "cou_revenue": {},
                "cou_uplift": {},
            },
            limit=20,
            expect=RO,
        )
    if "cou.complaint.team" in models:
        run(
            "complaint team overview",
            writer,
            "cou.complaint.team",
            "web_search_read",
            [],
            specification={
                "open_complaint_count": {},
                "overdue_complaint_count": {},
                "avg_first_response_hours": {},
                "satisfaction_rate": {},
            },
            expect=RO,
        )
    if "cou.forecast" in models:
        run(
            "forecast list",
            writer,
            "cou.forecast",
            "web_search_read",
            [("is_latest", "=", True)],
            specification={"display_name": {}, "product_id": {"fields": {}}},
            limit=80,
            expect=RO,
        )
    if "cou.recommendation" in models:
        run(
            "suggestions",
            writer,
            "cou.recommendation",
            "get_recommendations",
            [customer_id],
            expect=RO,
        )
        run(
            "customer suggestions panel",
            writer,
            "res.partner",
            "cou_recommendation_panel_data",
            [customer_id],
            expect=RO,
        )
        run(
            "order suggestions panel",
            writer,
            "sale.order",
            "cou_recommendation_panel_data",
            [order["id"]],
            expect=RO,
        )

    # ---- 2. writes, on the primary ----
    count_before = {
        f["name"]: f["value"] for f in (overview or {}).get("figures", [])
    }.get("customer_order_count", 0)
    new_order_id = run(
        "create order",
        writer,
        "sale.order",
        "create",
        {
            "partner_id": customer_id,
            "order_line": [[0, 0, {"product_id": product["id"], "product_uom_qty": 3}]],
        },
        expect=RW,
    )
    if "cou.recommendation" in models and new_order_id:
        # a quotation's panel logs the suggestions it shows: the first time
        # it writes (run again on the primary), then it reads the replica
        checker.wait_replayed()
        first = run(
            "quotation suggestions panel (logs them)",
            writer,
            "sale.order",
            "cou_recommendation_panel_data",
            [new_order_id],
            expect={"ro->rw", "ro"},
        )
        checker.wait_replayed()
        run(
            "quotation suggestions panel again",
            writer,
            "sale.order",
            "cou_recommendation_panel_data",
            [new_order_id],
            expect=RO if first and first["suggestions"] else {"ro", "ro->rw"},
        )
    run(
        "confirm order",
        writer,
        "sale.order",
        "action_confirm",
        [new_order_id],
        route="call_button",
        expect=RW,
    )

    # ---- 3. read right after a write ----
    def note_on_page(page, text):
        return any(text in (e["summary"] or "") for e in (page or {}).get("events", []))

    def order_count(data):
        figures = {f["name"]: f["value"] for f in (data or {}).get("figures", [])}
        return figures.get("customer_order_count")

    note = f"replica check {os.getpid()} at once"
    run(
        "post a note",
        writer,
        "res.partner",
        "message_post",
        [customer_id],
        body=note,
        message_type="comment",
        subtype_xmlid="mail.mt_note",
        expect=RW,
    )
    page = run(
        "timeline right after the note",
        writer,
        "cou.timeline.event",
        "get_timeline_page",
        customer_id,
        limit=20,
        expect={"ro", "ro->rw"},
    )
    checker.check(note_on_page(page, note), "the note is not on the writer's timeline")
    data = run(
        "overview right after the order",
        writer,
        "res.partner",
        "get_customer_overview",
        [customer_id],
        expect={"ro", "ro->rw"},
    )
    checker.check(
        order_count(data) == count_before + 1,
        f"order count {order_count(data)} right after the order, "
        f"expected {count_before + 1}",
    )

    # the same while the replica does not replay: the writer falls back to
    # the primary; another session reads the replica's older state
    checker.wait_replayed()
    checker.pause_replay()
    paused_note = f"replica check {os.getpid()} while paused"
    try:
        run(
            "post a note (replay paused)",
            writer,
            "res.partner",
            "message_post",
            [customer_id],
            body=paused_note,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
            expect=RW,
        )
        page = run(
            "writer's timeline (replay paused)",
            writer,
            "cou.timeline.event",
            "get_timeline_page",
            customer_id,
            limit=20,
            expect={"ro->rw"},
        )
        checker.check(
            note_on_page(page, paused_note),
            "replay paused: the note is not on the writer's timeline",
        )
        page = run(
            "other session's timeline (replay paused)",
            other,
            "cou.timeline.event",
            "get_timeline_page",
            customer_id,
            limit=20,
            expect=RO,
        )
        checker.check(
            not note_on_page(page, paused_note),
            "replay paused: the other session read the note: not the replica?",
        )
    finally:
        checker.resume_replay()
    lag = checker.wait_replayed()
    for label, client in (("writer", writer), ("other session", other)):
        page = run(
            f"{label}'s timeline (replayed)",
            client,
            "cou.timeline.event",
            "get_timeline_page",
            customer_id,
            limit=20,
            expect=RO,
        )
        checker.check(
            note_on_page(page, paused_note),
            f"replayed: the note is not on the {label}'s timeline",
        )
    on_replica = checker.replica_count(
        "SELECT count(*) FROM mail_message WHERE model = 'res.partner' "
        "AND res_id = %s AND body::text LIKE %s",
        [customer_id, f"%{paused_note}%"],
    )
    checker.check(on_replica == 1, f"the replica has {on_replica} copies of the note")

    # ---- summary ----
    print(f"\n{'call':<44} {'mode':<7} {'queries':>7} {'on replica':>10} {'ms':>8}")
    for label, mode, queries, replica_statements, elapsed, error in checker.rows:
        print(
            f"{label:<44} {mode:<7} {queries:>7} {replica_statements:>10} "
            f"{elapsed:>8.0f}" + (f"  ERROR {error}" if error else "")
        )
    modes = [row[1] for row in checker.rows]
    print(
        f"\n{len(checker.rows)} calls: {modes.count('ro')} on the replica (ro), "
        f"{modes.count('rw')} on the primary (rw), {modes.count('ro->rw')} "
        f"run again on the primary (ro->rw); replay caught up in "
        f"{lag or 0:.0f} ms after resuming"
    )
    if checker.failures:
        print("\nFAILED:")
        for failure in checker.failures:
            print(f"  - {failure}")
        return 1
    print("replica test: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
