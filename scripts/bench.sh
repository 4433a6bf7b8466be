#!/usr/bin/env bash
# Benchmark of crm_order_unified: generates a dataset of the chosen size into a
# throwaway database (cloned from the cached dependency template, the addon
# installed without demo data), runs the registered operations against their
# stock-Odoo baselines and prints JSON on stdout (progress on stderr).
# Arguments go to bench/run.py: --customers N --lines N --ops a,b --repeat N
#   --reuse (reuse and keep the database of that size) --keep --upgrade --db NAME --list
# See bench/README.md.
source "$(dirname "$0")/common.sh"
bash "$PROJECT_DIR/scripts/setup.sh" >&2
ODOO_SRC="$(cat "$STATE_DIR/odoo_src")"; export ODOO_SRC VENV
ensure_postgres
ODOO_ARGS="$(odoo_args)"; export ODOO_ARGS
export PYTHONPATH="$ODOO_SRC${PYTHONPATH:+:$PYTHONPATH}"

case " $* " in
    *" --list "*|*" -h "*|*" --help "*) ;;
    *)
        ensure_template
        ;;
esac
exec "$PY" "$PROJECT_DIR/bench/run.py" "$@"
