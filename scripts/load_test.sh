#!/usr/bin/env bash
# make load-test: two Odoo servers with workers on one database, a bounded
# JSON-RPC load on localhost (create, confirm, deliver, invoice orders) while
# the heavy jobs run in the cron workers, then the checks of bench/load_test.py.
#   LOAD_DB=cou_load        the database (made from the dependency template)
#   LOAD_REUSE=1            keep an existing LOAD_DB instead of re-creating it
#   LOAD_SECONDS=60         length of each load phase (1 server, then 2)
#   LOAD_CLIENTS=4          concurrent JSON-RPC clients
#   LOAD_PORT=18169         first server's HTTP port (the second: +100)
#   KEEP_DB=1               keep LOAD_DB afterwards
# Only the servers started here are stopped at the end (by their pids).
source "$(dirname "$0")/common.sh"
find_odoo_src
export ODOO_SRC VENV
ensure_postgres
ODOO_ARGS="$(odoo_args)"; export ODOO_ARGS
DB="${LOAD_DB:-cou_load}"
ADDONS="${LOAD_ADDONS:-crm_order_unified,crm_order_unified_segment,crm_order_unified_history_import,crm_order_unified_forecast,crm_order_unified_recommendation}"
PORT1="${LOAD_PORT:-18169}"
PORT2="$((PORT1 + 100))"
LOGDIR="$STATE_DIR/load-test"
mkdir -p "$LOGDIR"
ODOO_BIN=("$PY" "$ODOO_SRC/odoo-bin")

if [ -n "${LOAD_REUSE:-}" ] && db_exists "$DB"; then
    info "reusing database $DB"
else
    COU_ADDONS="$ADDONS" clone_db "$DB"
    info "installing $ADDONS with demo data on $DB"
    "${ODOO_BIN[@]}" $ODOO_ARGS -d "$DB" -i "$ADDONS" --stop-after-init \
        --max-cron-threads=0 --log-level=warn >"$LOGDIR/install.log" 2>&1 \
        || die "installing the addons failed (log: $LOGDIR/install.log)"
fi
if [ -z "${KEEP_DB:-}" ]; then
    trap 'stop_servers; drop_db "$DB" >/dev/null 2>&1 || true' EXIT
else
    trap 'stop_servers' EXIT
fi

PIDS=()
stop_servers() {
    local pid
    for pid in "${PIDS[@]}"; do
        kill -TERM "$pid" 2>/dev/null || true
    done
    for pid in "${PIDS[@]}"; do
        for _i in $(seq 1 120); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
        kill -KILL "$pid" 2>/dev/null || true
    done
    PIDS=()
}

# start_server N PORT: a server with 2 HTTP workers and 2 cron workers
start_server() {
    local log="$LOGDIR/server$1.log"
    : >"$log"
    PYTHONPATH="$ODOO_SRC" "$PY" "$PROJECT_DIR/bench/load_server.py" $ODOO_ARGS \
        -d "$DB" --db-filter="^$DB\$" --no-database-list \
        --workers=2 --max-cron-threads=2 --http-interface=127.0.0.1 \
        --http-port="$2" --gevent-port="$(($2 + 3))" --limit-time-real=600 \
        --limit-time-real-cron=600 --limit-memory-soft=2147483648 \
        --limit-memory-hard=2684354560 --log-level=info --logfile="$log" &
    PIDS+=("$!")
    echo "$!" >"$LOGDIR/server$1.pid"
    local i
    for i in $(seq 1 120); do
        if curl -fs -o /dev/null "http://127.0.0.1:$2/web/health" 2>/dev/null; then
            info "server $1 (pid $!) listening on 127.0.0.1:$2"
            return 0
        fi
        sleep 1
    done
    die "server $1 did not start (log: $log)"
}

# phase one on server 1, phase two on both, then the checks
start_server 1 "$PORT1"
"$PY" "$PROJECT_DIR/bench/load_test.py" --db "$DB" --phase one \
    --ports "$PORT1" --seconds "${LOAD_SECONDS:-60}" --clients "${LOAD_CLIENTS:-4}" \
    --logs "$LOGDIR/server1.log" --state "$LOGDIR/state.json"
start_server 2 "$PORT2"
"$PY" "$PROJECT_DIR/bench/load_test.py" --db "$DB" --phase two \
    --ports "$PORT1,$PORT2" --seconds "${LOAD_SECONDS:-60}" --clients "${LOAD_CLIENTS:-4}" \
    --logs "$LOGDIR/server1.log,$LOGDIR/server2.log" --state "$LOGDIR/state.json"
"$PY" "$PROJECT_DIR/bench/load_test.py" --db "$DB" --phase check \
    --ports "$PORT1,$PORT2" --logs "$LOGDIR/server1.log,$LOGDIR/server2.log" \
    --state "$LOGDIR/state.json"
