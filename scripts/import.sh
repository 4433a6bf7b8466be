#!/usr/bin/env bash
# Imports order history into $DB_NAME (default crm_order_unified):
#   make import FILE=lines.csv.gz IMPORT_ARGS="--preset online_retail [--dry-run] [--resume RUN_ID]"
# See tools/import_history.py --help for every option.
source "$(dirname "$0")/common.sh"
FILE="${1:-}"; shift || true
[ -n "$FILE" ] || die "usage: make import FILE=path/to/lines.csv[.gz|.xlsx] [IMPORT_ARGS=\"--preset online_retail --dry-run\"]"
[ -f "$FILE" ] || die "file not found: $FILE"
bash "$PROJECT_DIR/scripts/setup.sh"
ODOO_SRC="$(cat "$STATE_DIR/odoo_src")"; export ODOO_SRC VENV
ensure_postgres
db_exists "$DB_NAME" || die "database $DB_NAME does not exist: run make run first (or set DB_NAME)."
ODOO_ARGS="$(odoo_args)"; export ODOO_ARGS DB_NAME
PYTHONPATH="$ODOO_SRC${PYTHONPATH:+:$PYTHONPATH}" exec "$PY" "$PROJECT_DIR/tools/import_history.py" -d "$DB_NAME" "$FILE" "$@"
