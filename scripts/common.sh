#!/usr/bin/env bash
# Shared settings for the project's scripts. Sourced, never run.
set -euo pipefail
PROJECT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${VENV:-$PROJECT_DIR/.venv}"
PY="$VENV/bin/python"
ADDONS_DIR="$PROJECT_DIR/addons"
# OCA addons installed from PyPI (requirements-oca.txt), outside Odoo's source
OCA_DIR="$VENV/oca_addons/odoo/addons"
STATE_DIR="$PROJECT_DIR/.state"
DB_NAME="${DB_NAME:-crm_order_unified}"
ODOO_BRANCH="18.0"
ODOO_GIT_URL="${ODOO_GIT_URL:-https://github.com/odoo/odoo.git}"
mkdir -p "$STATE_DIR"

die() { echo "error: $*" >&2; exit 1; }
info() { echo "==> $*" >&2; }

find_odoo_src() {
    local c
    for c in "${ODOO_SRC:-}" /opt/odoo/18.0 "$PROJECT_DIR/.odoo-src"; do
        if [ -n "$c" ] && [ -f "$c/odoo-bin" ] && [ -d "$c/odoo/addons" ]; then
            ODOO_SRC="$(cd "$c" && pwd)"; export ODOO_SRC; return 0
        fi
    done
    info "Odoo 18.0 source not found; trying a shallow clone of the official 18.0 branch"
    if timeout 600 git clone --depth 1 --branch "$ODOO_BRANCH" "$ODOO_GIT_URL" "$PROJECT_DIR/.odoo-src" >/dev/null 2>&1; then
        ODOO_SRC="$PROJECT_DIR/.odoo-src"; export ODOO_SRC; return 0
    fi
    rm -rf "$PROJECT_DIR/.odoo-src"
    die "Odoo 18.0 Community source not found and it cannot be cloned here: put it at /opt/odoo/18.0 or set ODOO_SRC=/path/to/odoo (the folder with odoo-bin)."
}

# PostgreSQL connection: PGHOST/PGPORT/PGUSER/PGPASSWORD point at another server;
# by default the machine's local cluster, started if it is down.
pg_is_local() { [ -z "${PGHOST:-}" ] || [ "${PGHOST}" = "localhost" ] || [ "${PGHOST}" = "127.0.0.1" ] || [ "${PGHOST#/}" != "$PGHOST" ]; }

ensure_postgres() {
    export PGUSER="${PGUSER:-odoo}" PGPASSWORD="${PGPASSWORD:-odoo}"
    if [ -z "${PGHOST:-}" ]; then export PGHOST=localhost; fi
    export PGPORT="${PGPORT:-5432}"
    if pg_is_local && command -v pg_lsclusters >/dev/null 2>&1; then
        local line ver name status
        line="$(pg_lsclusters --no-header 2>/dev/null | awk -v p="$PGPORT" '$3==p' | head -1)"
        if [ -n "$line" ]; then
            read -r ver name _ status _ <<<"$line"
            if [ "$status" != "online" ]; then
                info "starting PostgreSQL $ver/$name"
                pg_ctlcluster "$ver" "$name" start >/dev/null 2>&1 \
                    || die "PostgreSQL $ver/$name cannot start: see /var/log/postgresql/postgresql-$ver-$name.log (or set PGHOST to a running server)."
            fi
            local n
            for n in $(seq 1 60); do
                pg_isready -q -h "$PGHOST" -p "$PGPORT" && break
                sleep 0.5
            done
            if [ "$(id -u)" = 0 ]; then
                local psql_pg=(runuser -u postgres -- env -u PGUSER -u PGPASSWORD -u PGHOST -u PGDATABASE psql -p "$PGPORT" -d postgres)
                "${psql_pg[@]}" -tAc "SELECT 1 FROM pg_roles WHERE rolname='$PGUSER'" 2>/dev/null | grep -q 1 \
                    || "${psql_pg[@]}" -qc "CREATE ROLE \"$PGUSER\" LOGIN SUPERUSER PASSWORD '$PGPASSWORD'" >/dev/null \
                    || die "cannot create the PostgreSQL role $PGUSER"
            fi
        fi
    fi
    local i tries=20
    pg_is_local || tries=2
    for i in $(seq 1 "$tries"); do
        if "$PY" - <<PYEOF 2>/dev/null
import psycopg2, os
psycopg2.connect(dbname="postgres", connect_timeout=3).close()
PYEOF
        then return 0; fi
        sleep 0.5
    done
    die "cannot connect to PostgreSQL at ${PGHOST}:${PGPORT} as ${PGUSER}: check PGHOST/PGPORT/PGUSER/PGPASSWORD, or unset PGHOST to use the local server."
}

# Odoo's addons, the OCA addons from PyPI (when set up), the project's addons
addons_path() {
    local p="$ODOO_SRC/addons"
    [ -d "$OCA_DIR" ] && p="$p,$OCA_DIR"
    echo "$p,$ADDONS_DIR"
}

odoo_args() {
    echo --addons-path="$(addons_path)" \
        --db_host="$PGHOST" --db_port="$PGPORT" --db_user="$PGUSER" --db_password="$PGPASSWORD"
}

db_exists() { "$PY" "$PROJECT_DIR/scripts/db.py" exists "$1"; }

# drops database $1 and its filestore
drop_db() { "$PY" "$PROJECT_DIR/scripts/db.py" drop "$1"; }

# builds the cached template database with the addon's dependencies, once,
# under a lock so that concurrent runs wait for the same build
ensure_template() {
    exec 9>"$STATE_DIR/template.lock"; flock 9
    "$PY" "$PROJECT_DIR/scripts/db.py" template >/dev/null
    flock -u 9
}

# creates database $1 as a copy of the template (replacing any database $1)
clone_db() {
    ensure_template
    "$PY" "$PROJECT_DIR/scripts/db.py" clone "$1"
}

# writes an odoo-bin configuration file $1 for this project, on database $2 if given
write_odoo_conf() {
    {
        echo "[options]"
        echo "addons_path = $(addons_path)"
        echo "db_host = $PGHOST"
        echo "db_port = $PGPORT"
        echo "db_user = $PGUSER"
        echo "db_password = $PGPASSWORD"
        [ -z "${2:-}" ] || echo "db_name = $2"
        echo "max_cron_threads = 0"
        echo "log_level = warn"
    } >"$1"
}

# the project's addons, comma-separated ($COU_ADDONS narrows them)
project_addons() { "$PY" "$PROJECT_DIR/scripts/db.py" addons; }

# prints those of the comma-separated modules $2 that are installed in
# database $1 (installed=1) or not (installed=0), comma-separated
modules_by_state() {
    "$PY" - "$1" "$2" "$3" <<'PYEOF' 2>/dev/null || true
import sys, psycopg2
names = [n for n in sys.argv[2].split(",") if n]
c = psycopg2.connect(dbname=sys.argv[1]); cr = c.cursor()
cr.execute("SELECT name FROM ir_module_module WHERE state = 'installed' AND name = ANY(%s)", (names,))
done = {row[0] for row in cr.fetchall()}
print(",".join(n for n in names if (n in done) == (sys.argv[3] == "1")))
PYEOF
}

# prints the state of crm_order_unified in database $1 (empty when absent)
addon_state() {
    "$PY" - "$1" <<'PYEOF' 2>/dev/null || true
import sys, psycopg2
c = psycopg2.connect(dbname=sys.argv[1]); cr = c.cursor()
cr.execute("SELECT state FROM ir_module_module WHERE name='crm_order_unified'")
row = cr.fetchone()
print(row[0] if row else "")
PYEOF
}
