#!/usr/bin/env bash
# Sets everything up, then runs Odoo with all the Customer Hub addons and their demo data
# on http://localhost:${HTTP_PORT:-8069} (admin / admin), database $DB_NAME:
# created on the first run, upgraded on later runs.
source "$(dirname "$0")/common.sh"
HTTP_PORT="${HTTP_PORT:-8069}"

exec 8>"$STATE_DIR/run.lock"
if ! flock -n 8; then
    die "Odoo is already running from this project (make run in another terminal): stop it with Ctrl+C there first."
fi
if "${PYTHON:-python3}" -c "import socket,sys; s=socket.socket(); sys.exit(s.connect_ex(('127.0.0.1', $HTTP_PORT)) != 0)"; then
    die "port $HTTP_PORT is already in use: stop what listens there or run HTTP_PORT=8070 make run."
fi

bash "$PROJECT_DIR/scripts/setup.sh"
ODOO_SRC="$(cat "$STATE_DIR/odoo_src")"; export ODOO_SRC VENV
ensure_postgres
ODOO_ARGS="$(odoo_args)"; export ODOO_ARGS
ODOO_BIN=("$PY" "$ODOO_SRC/odoo-bin")
ADDONS="$(project_addons)"

if db_exists "$DB_NAME" && [ "$(addon_state "$DB_NAME")" != installed ]; then
    die "database $DB_NAME exists but crm_order_unified is not installed in it: drop it (dropdb $DB_NAME) or set DB_NAME to another name."
fi
if db_exists "$DB_NAME"; then
    info "upgrading the addons on database $DB_NAME (installing the ones it lacks)"
    # -i only for the addons not installed yet: -i on an installed module
    # loads its data (demo included) in install mode again
    INSTALLED="$(modules_by_state "$DB_NAME" "$ADDONS" 1)"
    MISSING="$(modules_by_state "$DB_NAME" "$ADDONS" 0)"
    "${ODOO_BIN[@]}" $ODOO_ARGS -d "$DB_NAME" ${MISSING:+-i "$MISSING"} ${INSTALLED:+-u "$INSTALLED"} \
        --stop-after-init --max-cron-threads=0 --log-level=warn \
        || die "upgrading the addon on $DB_NAME failed (see above)."
else
    info "creating database $DB_NAME with the addons and demo data (first run: a few minutes)"
    trap 'drop_db "$DB_NAME" >/dev/null 2>&1 || true' EXIT
    # demo data on, admin/admin: Odoo's defaults for a new demo database
    if ! "${ODOO_BIN[@]}" $ODOO_ARGS -d "$DB_NAME" -i "$ADDONS" --stop-after-init \
            --max-cron-threads=0 --log-level=warn; then
        die "creating $DB_NAME failed (see above); nothing was left behind: fix the cause and run make run again."
    fi
    trap - EXIT
fi

info "Odoo is starting on http://localhost:$HTTP_PORT (login admin / admin); Ctrl+C stops it"
exec "${ODOO_BIN[@]}" $ODOO_ARGS -d "$DB_NAME" --db-filter="^${DB_NAME}\$" --http-port="$HTTP_PORT" ${ODOO_RUN_ARGS:-}
