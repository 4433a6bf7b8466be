#!/usr/bin/env bash
# Runs Odoo's own test suites of the modules the addons extend (issue 10)
# with all the project's addons and their demo data installed.
#
# Odoo runs a module's at_install tests while load_module_graph
# (odoo/modules/loading.py) loads it: in a run that installs or updates
# modules, only for those (`needs_update`), on the registry of the modules
# loaded so far. They are only right on a database that has no more than
# those modules: on one where the addons are installed, the later modules'
# NOT NULL columns and records of models not loaded yet break them (as an
# update with -u does too). So, as Odoo's runbot does, the default run
#  1. creates an empty database and installs every project addon and the
#     tested modules with demo data in one `odoo-bin -i ... --test-enable
#     --test-tags /sale,/crm,...`: each tested module's at_install tests run
#     when it is installed, then preload_registries (odoo/service/server.py)
#     runs their post_install tests once everything, the addons and all the
#     demo data included, is installed;
#  2. prints tests run, failures, errors and time per module; exits 1 when a
#     test failed or erred, or when a tested module ran no test.
# With ODOO_TESTS_DB=name of a database that has everything installed, only
# the post_install tests run on it (`-at_install` in the tags, no -u: nothing
# reloads), which is the quick check of a change to the addons.
# Not part of `make test` (it takes hours on two busy cores).
# Knobs: ODOO_TESTS_MODULES="sale crm" (default: the eight modules below),
#        ODOO_TESTS_DB=name (see above; KEEP_DB=1 keeps the throwaway one),
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

WANTED="$MODULE_CSV"
[ -n "${ODOO_TESTS_BASELINE:-}" ] || WANTED="$(project_addons),$MODULE_CSV"
LOG="${ODOO_TESTS_LOG:-}"
PORT="$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
TEST_ARGS=(--test-enable --stop-after-init --max-cron-threads=0 --http-port="$PORT"
    --log-level=info --log-handler=odoo.tests.stats:INFO)
start="$(date +%s)"
if [ -n "${ODOO_TESTS_DB:-}" ] && db_exists "$ODOO_TESTS_DB"; then
    DB="$ODOO_TESTS_DB"
    MISSING="$("$PY" - "$DB" ${WANTED//,/ } <<'PYEOF'
import sys, psycopg2
cr = psycopg2.connect(dbname=sys.argv[1]).cursor()
cr.execute("SELECT name FROM ir_module_module WHERE state = 'installed'")
installed = {name for (name,) in cr.fetchall()}
print(",".join(m for m in sys.argv[2:] if m not in installed))
PYEOF
)"
    [ -z "$MISSING" ] || die "$DB lacks $MISSING: drop it or use another ODOO_TESTS_DB"
    LOG="${LOG:-$STATE_DIR/odoo-tests-$DB.log}"
    info "running the post_install tests of $MODULE_CSV on $DB (log: $LOG)"
    export ODOO_TESTS_ALLOW_EMPTY=1  # sale_crm, for one, has at_install tests only
    "${ODOO_BIN[@]}" $ODOO_ARGS -d "$DB" --test-tags "$TAGS,-at_install" "${TEST_ARGS[@]}" \
        >"$LOG" 2>&1 && rc=0 || rc=$?
else
    DB="${ODOO_TESTS_DB:-cou_odoo_tests_$$}"
    if [ -z "${ODOO_TESTS_DB:-}" ] && [ -z "${KEEP_DB:-}" ]; then
        trap 'drop_db "$DB" >/dev/null 2>&1 || true' EXIT
    fi
    LOG="${LOG:-$STATE_DIR/odoo-tests-$DB.log}"
    info "installing $WANTED with demo data on a new database $DB, running Odoo's tests of $MODULE_CSV (log: $LOG)"
    "${ODOO_BIN[@]}" $ODOO_ARGS -d "$DB" -i "$WANTED" --test-tags "$TAGS" "${TEST_ARGS[@]}" \
        >"$LOG" 2>&1 && rc=0 || rc=$?
    if grep -qE "demo data failed to install|Failed to initialize database" "$LOG"; then
        grep -E "demo data failed to install|Failed to initialize database" "$LOG" | head -5
        echo "FAILED: installing the addons failed (log: $LOG)"; rc=1
    fi
fi
info "Odoo's runner exited with $rc after $(( $(date +%s) - start ))s"

"$PY" "$PROJECT_DIR/scripts/odoo_tests_summary.py" "$LOG" $MODULES && src=0 || src=$?
if [ "$rc" != 0 ] || [ "$src" != 0 ]; then
    echo "FAILED: Odoo's own tests failed (log: $LOG)"
    exit 1
fi
echo "Odoo's own tests of $MODULE_CSV passed"
