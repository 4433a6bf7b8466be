#!/usr/bin/env bash
# Runs Odoo's own test suites of the modules the addons extend on a database
# with all the project's addons and their demo data installed (issue 10):
#  1. creates the database (a copy of the dependency template) and installs
#     every project addon with demo data, plus the tested modules
#  2. runs `odoo-bin --test-enable --test-tags /<m>,/<n>...` on it, without
#     -u or -i: load_module_graph (odoo/modules/loading.py) runs a module's
#     at_install tests while it loads when the run updates that module or
#     updates nothing (`needs_update or not updating`), so with no update every
#     tested module's at_install tests run, on the registry of the modules
#     loaded before it, as during an install, and without reloading the data
#     of every module that depends on account; then preload_registries
#     (odoo/service/server.py) runs the post_install tests of all installed
#     modules (`registry._init_modules`) that the tags select
#  3. prints tests run, failures, errors and time per module; exits 1 when a
#     test failed or erred, or when a tested module ran no test
# Not part of `make test` (it takes hours on two busy cores).
# Knobs: ODOO_TESTS_MODULES="sale crm" (default: the eight modules below),
#        ODOO_TESTS_DB=name reuses/keeps that database (default: throwaway),
#        ODOO_TESTS_BASELINE=1 installs none of the project's addons (the same
#        suites on stock Odoo, to tell a pre-existing failure from ours),
#        ODOO_TESTS_TAGS=/account:TestAccountDigest narrows the tests (--test-tags),
#        ODOO_TESTS_LOG=path (default .state/odoo-tests-<db>.log).
# `python scripts/odoo_tests_summary.py LOG sale crm` summarises a log, also
# while the run is going.
source "$(dirname "$0")/common.sh"
bash "$PROJECT_DIR/scripts/setup.sh" >/dev/null
ODOO_SRC="$(cat "$STATE_DIR/odoo_src")"; export ODOO_SRC VENV
ensure_postgres
ODOO_ARGS="$(odoo_args)"; export ODOO_ARGS
ODOO_BIN=("$PY" "$ODOO_SRC/odoo-bin")

MODULES="${ODOO_TESTS_MODULES:-sale sale_management sale_stock sale_crm crm stock account mass_mailing}"
MODULES="${MODULES//,/ }"
MODULE_CSV="$(echo $MODULES | tr ' ' ',')"
TAGS="$(for m in $MODULES; do printf '/%s,' "$m"; done)"; TAGS="${ODOO_TESTS_TAGS:-${TAGS%,}}"

DB="${ODOO_TESTS_DB:-cou_odoo_tests_$$}"
if [ -n "${ODOO_TESTS_DB:-}" ] && db_exists "$DB"; then
    info "reusing the database $DB"
else
    if [ -n "${ODOO_TESTS_BASELINE:-}" ]; then
        drop_db "$DB"
        "${ODOO_BIN[@]}" $ODOO_ARGS -d "$DB" -i base --stop-after-init --max-cron-threads=0 \
            --log-level=warn >/dev/null 2>&1 || die "creating $DB failed"  # creates it
    else
        clone_db "$DB"
    fi
    if [ -z "${ODOO_TESTS_DB:-}" ] && [ -z "${KEEP_DB:-}" ]; then
        trap 'drop_db "$DB" >/dev/null 2>&1 || true' EXIT
    fi
fi

# -i of a module already installed would load its data and demo again: only
# the project's addons and the tested modules the database does not have yet
WANTED="$MODULES"
[ -n "${ODOO_TESTS_BASELINE:-}" ] || WANTED="$(project_addons | tr ',' ' ') $MODULES"
INSTALL="$("$PY" - "$DB" $WANTED <<'PYEOF'
import sys, psycopg2
cr = psycopg2.connect(dbname=sys.argv[1]).cursor()
cr.execute("SELECT name FROM ir_module_module WHERE state = 'installed'")
installed = {name for (name,) in cr.fetchall()}
print(",".join(m for m in sys.argv[2:] if m not in installed))
PYEOF
)"
ILOG="$STATE_DIR/odoo-tests-install-$DB.log"
if [ -n "$INSTALL" ]; then
    info "installing $INSTALL with demo data on $DB"
    if ! "${ODOO_BIN[@]}" $ODOO_ARGS -d "$DB" -i "$INSTALL" --stop-after-init \
            --max-cron-threads=0 --log-level=warn >"$ILOG" 2>&1 \
            || grep -qE " (ERROR|CRITICAL) |demo data failed to install" "$ILOG"; then
        grep -E " (ERROR|CRITICAL) |demo data failed to install|Traceback|Error" -A20 "$ILOG" | head -80 || true
        die "installing the addons failed (full log: $ILOG)"
    fi
fi

LOG="${ODOO_TESTS_LOG:-$STATE_DIR/odoo-tests-$DB.log}"
PORT="$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
info "running Odoo's tests of $MODULE_CSV on $DB (log: $LOG)"
start="$(date +%s)"
"${ODOO_BIN[@]}" $ODOO_ARGS -d "$DB" --test-enable --test-tags "$TAGS" \
    --stop-after-init --max-cron-threads=0 --http-port="$PORT" --log-level=info \
    --log-handler=odoo.tests.stats:INFO >"$LOG" 2>&1 && rc=0 || rc=$?
info "Odoo's runner exited with $rc after $(( $(date +%s) - start ))s"

"$PY" "$PROJECT_DIR/scripts/odoo_tests_summary.py" "$LOG" $MODULES && src=0 || src=$?
if [ "$rc" != 0 ] || [ "$src" != 0 ]; then
    echo "FAILED: Odoo's own tests failed (log: $LOG)"
    exit 1
fi
echo "Odoo's own tests of $MODULE_CSV passed"
