#!/usr/bin/env bash
# Exports each addon's i18n/<addon>.pot from a database with all the addons
# (and their demo data) and updates its i18n/ja.po; lists the terms still
# lacking Japanese.
# Extra Japanese texts can be given as JSON files: make i18n JA_JSON="a.json b.json".
source "$(dirname "$0")/common.sh"
bash "$PROJECT_DIR/scripts/setup.sh"
ODOO_SRC="$(cat "$STATE_DIR/odoo_src")"; export ODOO_SRC VENV
ensure_postgres
ODOO_ARGS="$(odoo_args)"; export ODOO_ARGS
ADDONS="$(project_addons)"
# A fresh database by default, so demo records' terms are exported as a new
# install has them; I18N_DB=name reuses (and upgrades) a development database.
DB="${I18N_DB:-cou_i18n_$$}"
if [ -n "${I18N_DB:-}" ] && db_exists "$DB"; then
    FLAG=(-i "$ADDONS" -u "$ADDONS")
else
    clone_db "$DB"; FLAG=(-i "$ADDONS")
    [ -n "${I18N_DB:-}" ] || trap 'drop_db "$DB" >/dev/null 2>&1 || true' EXIT
fi
"$PY" "$ODOO_SRC/odoo-bin" $ODOO_ARGS -d "$DB" "${FLAG[@]}" --stop-after-init --max-cron-threads=0 \
    --log-level=warn || die "installing the addons on $DB failed"
CONF="$STATE_DIR/odoo-i18n.conf"
write_odoo_conf "$CONF"
PYTHONPATH="$ODOO_SRC" "$PY" "$PROJECT_DIR/tools/i18n_sync.py" "$CONF" "$DB" "$ADDONS" ${JA_JSON:-}
