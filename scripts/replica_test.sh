#!/usr/bin/env bash
# make replica-test: the product on a PostgreSQL primary and a streaming read
# replica, as Odoo 18 runs with --db_replica_host/--db_replica_port.
#  1. checks that the local cluster (PostgreSQL 15, Debian's pg_lsclusters)
#     streams WAL: wal_level >= replica, free WAL senders and slots, and a
#     "local replication postgres peer" line in its pg_hba.conf (added and
#     reloaded when missing; wal_level or max_wal_senders need a restart,
#     done only with REPLICA_ALLOW_RESTART=1)
#  2. starts a hot standby of that cluster in a temporary folder on another
#     port: pg_basebackup -R (standby.signal, primary_conninfo) -C -S (a
#     replication slot of its own) -X stream, as the postgres OS user
#  3. creates a database with every addon and its demo data on the primary
#     (the replica follows it), or reuses REPLICA_DB=name
#  4. starts Odoo (--workers, HTTP on localhost) with --db_replica_host and
#     --db_replica_port, and runs scripts/replica_check.py over JSON-RPC: the
#     read paths answered by the replica, writes on the primary, a page right
#     after a write still correct (also while the replica's replay is paused)
#  5. cleans up: stops Odoo and the replica, drops the slot, the folder, and
#     the database it created (KEEP_DB=1 keeps it)
# Runs as root (or the postgres user) on the machine of the local cluster.
# Knobs: REPLICA_DB=name, KEEP_DB=1, REPLICA_PORT (default: a free port),
#        ODOO_WORKERS (default 2), REPLICA_ALLOW_RESTART=1.
source "$(dirname "$0")/common.sh"
bash "$PROJECT_DIR/scripts/setup.sh" >/dev/null
ODOO_SRC="$(cat "$STATE_DIR/odoo_src")"; export ODOO_SRC VENV
ensure_postgres
pg_is_local || die "make replica-test replicates the local cluster: unset PGHOST (or set it to localhost)"
command -v pg_lsclusters >/dev/null || die "pg_lsclusters not found (Debian's postgresql-common)"
read -r PG_VER PG_NAME _ PG_STATUS _ < <(pg_lsclusters --no-header | awk -v p="$PGPORT" '$3==p' | head -1)
[ "${PG_STATUS:-}" = online ] || die "no online local PostgreSQL cluster on port $PGPORT"
PG_BIN="/usr/lib/postgresql/$PG_VER/bin"
if [ "$(id -u)" = 0 ]; then
    as_pg() { runuser -u postgres -- env -u PGUSER -u PGPASSWORD -u PGHOST -u PGDATABASE "$@"; }
elif [ "$(id -un)" = postgres ]; then
    as_pg() { env -u PGUSER -u PGPASSWORD -u PGHOST -u PGDATABASE "$@"; }
else
    die "make replica-test runs as root or postgres (pg_basebackup and pg_ctl of a new cluster)"
fi
primary_sql() { as_pg psql -p "$PGPORT" -d postgres -XAtqc "$1"; }

# ---- 1. replication on the primary ----
setting() { primary_sql "SHOW $1"; }
need_restart=()
[ "$(setting wal_level)" != minimal ] || need_restart+=("wal_level = replica")
[ "$(setting max_wal_senders)" -ge 2 ] || need_restart+=("max_wal_senders = 10")
[ "$(setting max_replication_slots)" -ge 1 ] || need_restart+=("max_replication_slots = 10")
if [ "${#need_restart[@]}" -gt 0 ]; then
    [ -n "${REPLICA_ALLOW_RESTART:-}" ] \
        || die "the cluster $PG_VER/$PG_NAME needs: ${need_restart[*]} (a restart): rerun with REPLICA_ALLOW_RESTART=1"
    for item in "${need_restart[@]}"; do
        primary_sql "ALTER SYSTEM SET ${item%% =*} = '${item##*= }'"
    done
    info "restarting PostgreSQL $PG_VER/$PG_NAME for: ${need_restart[*]}"
    pg_ctlcluster "$PG_VER" "$PG_NAME" restart
    ensure_postgres
fi
HBA="$(setting hba_file)"
if ! grep -qE '^[[:space:]]*local[[:space:]]+replication[[:space:]]+(all|postgres)[[:space:]]+peer' "$HBA"; then
    info "allowing local replication for the postgres user in $HBA"
    printf '\n# make replica-test (crm_order_unified): pg_basebackup over the local socket\nlocal   replication     postgres                                peer\n' >>"$HBA"
    primary_sql "SELECT pg_reload_conf()" >/dev/null
fi
# slots left by an interrupted run (not in use) keep WAL forever: drop them
primary_sql "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots
              WHERE slot_name LIKE 'cou_replica_%' AND NOT active" >/dev/null

# ---- 2. the replica ----
RUN_DIR="$(mktemp -d /tmp/cou_replica.XXXXXX)"
chmod 755 "$RUN_DIR"; chown postgres "$RUN_DIR"
DATA="$RUN_DIR/data"
SLOT="cou_replica_$$"
RPORT="${REPLICA_PORT:-$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')}"
HPORT="$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
ODOO_PID=""; CREATED_DB=""; REPLICA_STARTED=""
cleanup() {
    local rc=$?
    set +e
    if [ -n "$ODOO_PID" ] && kill -0 "$ODOO_PID" 2>/dev/null; then
        kill -TERM "$ODOO_PID"; for _ in $(seq 1 40); do kill -0 "$ODOO_PID" 2>/dev/null || break; sleep 0.5; done
        kill -KILL "$ODOO_PID" 2>/dev/null
    fi
    [ -z "$REPLICA_STARTED" ] || as_pg "$PG_BIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null 2>&1
    for _ in $(seq 1 20); do
        [ "$(primary_sql "SELECT count(*) FROM pg_replication_slots WHERE slot_name = '$SLOT' AND active")" = 0 ] && break
        sleep 0.5
    done
    primary_sql "SELECT pg_drop_replication_slot('$SLOT') FROM pg_replication_slots WHERE slot_name = '$SLOT'" >/dev/null
    if [ -n "$CREATED_DB" ] && [ -z "${KEEP_DB:-}" ]; then drop_db "$CREATED_DB" >/dev/null 2>&1; fi
    [ -n "${KEEP_RUN_DIR:-}" ] || rm -rf "$RUN_DIR"
    info "cleaned up (replica stopped, slot $SLOT dropped${CREATED_DB:+, database $CREATED_DB ${KEEP_DB:+kept}${KEEP_DB:-dropped}})"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

info "base backup of PostgreSQL $PG_VER/$PG_NAME (port $PGPORT) into $DATA (slot $SLOT)"
# (a throwaway copy: no fsync, neither by pg_basebackup nor by the replica)
as_pg "$PG_BIN/pg_basebackup" -p "$PGPORT" -D "$DATA" -R -C -S "$SLOT" -X stream -c fast --no-sync \
    || die "pg_basebackup failed"
# Debian keeps the configuration outside the data folder: the replica gets its
# own, with the limits a hot standby needs (at least the primary's)
{
    echo "# written by scripts/replica_test.sh (crm_order_unified)"
    echo "port = $RPORT"
    echo "listen_addresses = 'localhost'"
    echo "unix_socket_directories = '$RUN_DIR'"
    echo "hot_standby = on"
    echo "hot_standby_feedback = on"
    echo "fsync = off"
    for name in max_connections max_worker_processes max_wal_senders max_prepared_transactions \
            max_locks_per_transaction shared_buffers; do
        echo "$name = '$(setting "$name")'"
    done
    echo "logging_collector = off"
    echo "log_statement = 'all'"
    echo "log_line_prefix = '%m [%p] db=%d app=%a '"
} >"$DATA/postgresql.conf"
{
    echo "local all         all                peer"
    echo "host  all         all  127.0.0.1/32  scram-sha-256"
    echo "host  all         all  ::1/128       scram-sha-256"
} >"$DATA/pg_hba.conf"
: >"$DATA/pg_ident.conf"
chown postgres "$DATA"/postgresql.conf "$DATA"/pg_hba.conf "$DATA"/pg_ident.conf
as_pg "$PG_BIN/pg_ctl" -D "$DATA" -l "$RUN_DIR/replica.log" -w -t 300 start >/dev/null \
    || { tail -20 "$RUN_DIR/replica.log"; die "the replica does not start"; }
REPLICA_STARTED=1
replica_sql() { as_pg psql -h "$RUN_DIR" -p "$RPORT" -d postgres -XAtqc "$1"; }
[ "$(replica_sql "SELECT pg_is_in_recovery()")" = t ] || die "the replica is not in recovery"
info "replica up on port $RPORT: $(primary_sql "SELECT application_name || ' ' || state || ', sync ' || sync_state FROM pg_stat_replication WHERE application_name <> '' ORDER BY backend_start DESC LIMIT 1")"

# ---- 3. the database (on the primary; the replica follows) ----
ADDONS="$(project_addons)"
if [ -n "${REPLICA_DB:-}" ]; then
    DB="$REPLICA_DB"
    [ "$(addon_state "$DB")" = installed ] || die "REPLICA_DB=$DB has no crm_order_unified installed"
else
    DB="cou_replica_$$"
    CREATED_DB="$DB"
    clone_db "$DB"
    info "installing $ADDONS with demo data on $DB"
    "$PY" "$ODOO_SRC/odoo-bin" $(odoo_args) -d "$DB" -i "$ADDONS" --stop-after-init \
        --max-cron-threads=0 --log-level=warn >"$RUN_DIR/install.log" 2>&1 \
        && ! grep -qE " (ERROR|CRITICAL) " "$RUN_DIR/install.log" \
        || { grep -E " (ERROR|CRITICAL) " -A20 "$RUN_DIR/install.log" | head -40; die "installing the addons failed"; }
fi
for _ in $(seq 1 240); do
    [ "$(replica_sql "SELECT count(*) FROM pg_database WHERE datname = '$DB'")" = 1 ] && break
    sleep 0.5
done

# ---- 4. Odoo on both, and the checks ----
ODOO_LOG="$RUN_DIR/odoo.log"
info "starting Odoo on $DB (http://127.0.0.1:$HPORT, ${ODOO_WORKERS:-2} workers, replica localhost:$RPORT)"
"$PY" "$ODOO_SRC/odoo-bin" $(odoo_args) -d "$DB" --db-filter="^$DB\$" \
    --db_replica_host=localhost --db_replica_port="$RPORT" \
    --http-interface=127.0.0.1 --http-port="$HPORT" --gevent-port=0 \
    --workers="${ODOO_WORKERS:-2}" --max-cron-threads=0 --limit-time-real=600 \
    --log-level=info --logfile="$ODOO_LOG" >"$RUN_DIR/odoo-console.log" 2>&1 &
ODOO_PID=$!
"$PY" "$PROJECT_DIR/scripts/replica_check.py" --url "http://127.0.0.1:$HPORT" --db "$DB" \
    --odoo-log "$ODOO_LOG" --replica-log "$RUN_DIR/replica.log" \
    --replica-dsn "host=localhost port=$RPORT dbname=$DB" \
    --primary-dsn "dbname=$DB" --odoo-pid "$ODOO_PID" && status=0 || status=$?
if [ "$status" != 0 ]; then
    echo "--- Odoo log (errors) ---"
    grep -E " (ERROR|CRITICAL) |Traceback" -A12 "$ODOO_LOG" | head -60 || true
fi
exit "$status"
