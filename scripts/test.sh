#!/usr/bin/env bash
# Runs every test of the addon on a throwaway database:
#  1. checks docker-compose.yml (docker compose config -q, no engine needed)
#  2. installs the addon with demo data on a database cloned from a cached
#     template that holds its dependencies
#  3. runs the UI tours through Odoo's own runner (a skipped tour fails)
#  4. runs all other tests through pytest-odoo (its summary line ends the run)
# Knobs: TEST_DB=name reuses/keeps that database (upgrading the addon),
#        KEEP_DB=1 keeps the throwaway database, SKIP_TOURS=1, PYTEST_ARGS="-k x".
source "$(dirname "$0")/common.sh"
bash "$PROJECT_DIR/scripts/setup.sh"
ODOO_SRC="$(cat "$STATE_DIR/odoo_src")"; export ODOO_SRC VENV
ensure_postgres
ODOO_ARGS="$(odoo_args)"; export ODOO_ARGS
ODOO_BIN=("$PY" "$ODOO_SRC/odoo-bin")

info "checking docker-compose.yml"
if docker compose version >/dev/null 2>&1; then
    (cd "$PROJECT_DIR" && docker compose config -q) || die "docker-compose.yml is invalid"
elif command -v docker-compose >/dev/null 2>&1; then
    (cd "$PROJECT_DIR" && docker-compose config -q) || die "docker-compose.yml is invalid"
else
    die "neither 'docker compose' nor 'docker-compose' is installed: cannot check docker-compose.yml"
fi

status=0
if [ -n "${TEST_DB:-}" ] && db_exists "$TEST_DB"; then
    DB="$TEST_DB"
    if [ "$(addon_state "$DB")" = installed ]; then
        info "upgrading crm_order_unified on the existing database $DB"
        INSTALL_FLAG=(-u crm_order_unified)
    else
        info "installing crm_order_unified on the existing database $DB"
        INSTALL_FLAG=(-i crm_order_unified)
    fi
else
    DB="${TEST_DB:-cou_test_$$}"
    clone_db "$DB"
    INSTALL_FLAG=(-i crm_order_unified)
    if [ -z "${TEST_DB:-}" ] && [ -z "${KEEP_DB:-}" ]; then
        trap 'drop_db "$DB" >/dev/null 2>&1 || true' EXIT
    fi
fi

LOG="$STATE_DIR/test-install-$DB.log"
info "installing crm_order_unified with demo data on $DB"
if ! "${ODOO_BIN[@]}" $ODOO_ARGS -d "$DB" "${INSTALL_FLAG[@]}" --stop-after-init \
        --max-cron-threads=0 --log-level=warn >"$LOG" 2>&1 \
        || grep -qE " (ERROR|CRITICAL) " "$LOG"; then
    grep -E " (ERROR|CRITICAL) |Traceback|Error" -A20 "$LOG" | head -80
    die "installing crm_order_unified failed (full log: $LOG)"
fi

CONF="$STATE_DIR/odoo-test-$DB.conf"
write_odoo_conf "$CONF" "$DB"

if [ -z "${SKIP_TOURS:-}" ]; then
    PORT="$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
    TLOG="$STATE_DIR/test-tours-$DB.log"
    info "running UI tours (Odoo's runner, headless Chromium)"
    "${ODOO_BIN[@]}" -c "$CONF" -d "$DB" --test-enable --test-tags "${TOUR_TAGS:-cou_tour}" \
        --stop-after-init --http-port="$PORT" --log-level=info >"$TLOG" 2>&1 && trc=0 || trc=$?
    ran="$(grep -oE '[0-9]+ post-tests in' "$TLOG" | tail -1 | grep -oE '^[0-9]+' || echo 0)"
    if grep -qiE "SkipTest|skipped|websocket-client module is not installed|Chrome executable not found" "$TLOG"; then
        grep -iE "skip|websocket|chrome" "$TLOG" | head -5
        echo "FAILED: a UI tour was skipped (browser or websocket-client missing); log: $TLOG"; status=1
    elif [ "$trc" != 0 ] || grep -qE " (ERROR|CRITICAL) " "$TLOG"; then
        grep -E " (ERROR|CRITICAL) " -A30 "$TLOG" | head -120
        echo "FAILED: UI tours failed; log: $TLOG"; status=1
    elif [ "${ran:-0}" -lt 1 ]; then
        echo "FAILED: no UI tour ran; log: $TLOG"; status=1
    else
        echo "UI tours: $ran passed, 0 failed"
    fi
fi

info "running tests with pytest-odoo"
cd "$ADDONS_DIR"
export PYTHONPATH="$ODOO_SRC${PYTHONPATH:+:$PYTHONPATH}"
eval "PYTEST_EXTRA=(${PYTEST_ARGS:-})"  # shell words, so -k 'a or b' works
"$VENV/bin/pytest" -p no:cacheprovider --odoo-config="$CONF" --odoo-database="$DB" \
    --ignore-glob='*/tests/test_ui*.py' "${PYTEST_EXTRA[@]}" crm_order_unified/tests && prc=0 || prc=$?
if [ "$prc" = 5 ]; then echo "FAILED: pytest collected no test"; prc=1; fi
[ "$status" = 0 ] && status=$prc
if [ "$status" != 0 ] && [ "$prc" = 0 ]; then echo "FAILED: UI tours failed (see above)"; fi
exit "$status"
