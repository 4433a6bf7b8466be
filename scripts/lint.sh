#!/usr/bin/env bash
# Lints the repository as the OCA's 18.0 pre-commit configuration does, offline:
# pre-commit cannot clone its hook repositories here, so the same tools are
# installed from PyPI (into the project venv) and npm (into .lint/), at the
# versions pinned in .pre-commit-config.yaml, and run on the same configuration
# files (.ruff.toml, .pylintrc, .pylintrc-mandatory, prettier.config.cjs,
# eslint.config.cjs) and the same file selection.
#
#   bash scripts/lint.sh          check only; exit 1 on any finding
#   bash scripts/lint.sh --fix    run the fixers first (ruff --fix, ruff format,
#                                 prettier --write, eslint --fix), then check
#
# LINT_STRICT=0 keeps the pre-commit semantics for advisory findings (pylint's
# optional checks and eslint warnings are printed but do not fail); the default,
# 1, fails on them too, since the project wants zero findings.
# Assumes scripts/setup.sh has built the venv.
source "$(dirname "$0")/common.sh"
cd "$PROJECT_DIR"

FIX=0
case "${1:-}" in
    "") ;;
    --fix) FIX=1 ;;
    *) die "usage: bash scripts/lint.sh [--fix]" ;;
esac
LINT_STRICT="${LINT_STRICT:-1}"
LINT_DIR="$PROJECT_DIR/.lint"

[ -x "$PY" ] && [ -f "$VENV/.crm_order_unified_stamp" ] \
    || die "the venv $VENV is not built: run make setup (scripts/setup.sh) first"

# --- install (once; stamps record what is installed) ------------------------
eval "$("$PY" tools/lint_config.py versions)"

install_python_tools() {
    local want="ruff==$RUFF_VERSION pylint-odoo==$PYLINT_ODOO_VERSION"
    local stamp="$VENV/.lint_stamp"
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] \
        && [ -x "$VENV/bin/ruff" ] && [ -x "$VENV/bin/pylint" ]; then return 0; fi
    info "installing $want into $VENV"
    # shellcheck disable=SC2086
    "$PY" -m pip install --disable-pip-version-check -q $want \
        || die "pip install $want failed"
    echo "$want" >"$stamp"
}

install_node_tools() {
    command -v npm >/dev/null 2>&1 || die "npm is needed for prettier and eslint (apt-get install nodejs npm)"
    local want="prettier@$PRETTIER_VERSION @prettier/plugin-xml@$PRETTIER_XML_VERSION"
    want="$want eslint@$ESLINT_VERSION eslint-plugin-jsdoc@$ESLINT_JSDOC_VERSION globals@$ESLINT_GLOBALS_VERSION"
    local stamp="$LINT_DIR/.stamp"
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] \
        && [ -x "$LINT_DIR/node_modules/.bin/prettier" ] && [ -x "$LINT_DIR/node_modules/.bin/eslint" ]; then
        return 0
    fi
    info "installing $want into $LINT_DIR"
    mkdir -p "$LINT_DIR"
    # shellcheck disable=SC2086
    npm install --prefix "$LINT_DIR" --no-audit --no-fund --save-exact --loglevel=error $want >/dev/null \
        || die "npm install $want failed"
    echo "$want" >"$stamp"
}

install_python_tools
install_node_tools
# prettier.config.cjs and eslint.config.cjs require() their plugins; they live in .lint/
export NODE_PATH="$LINT_DIR/node_modules"
BIN="$LINT_DIR/node_modules/.bin"

# --- run ---------------------------------------------------------------------
FAILED=()
section() { printf '\n==> %s\n' "$*" >&2; }
fail() { FAILED+=("$1"); }

mapfile -t ADDONS < <(for m in addons/*/__manifest__.py; do [ -f "$m" ] && dirname "$m"; done)
mapfile -t PRETTIER_FILES < <("$PY" tools/lint_config.py files prettier)
mapfile -t ESLINT_FILES < <("$PY" tools/lint_config.py files eslint)

if [ "$FIX" = 1 ]; then
    section "fixers: ruff check --fix, ruff format, prettier --write, eslint --fix"
    "$VENV/bin/ruff" check --fix --exit-zero --silent . || true
    "$VENV/bin/ruff" format --quiet . || true
    [ "${#PRETTIER_FILES[@]}" = 0 ] || "$BIN/prettier" --write --list-different --ignore-unknown "${PRETTIER_FILES[@]}" || true
    [ "${#ESLINT_FILES[@]}" = 0 ] || "$BIN/eslint" --fix --quiet "${ESLINT_FILES[@]}" >/dev/null 2>&1 || true
fi

section "ruff check (.ruff.toml, ruff $RUFF_VERSION)"
# .ruff.toml says fix = true (pre-commit fixes in place); a check must not write
"$VENV/bin/ruff" check --no-fix --output-format=concise . || fail "ruff check"

section "ruff format --check"
"$VENV/bin/ruff" format --check . || fail "ruff format"

section "pylint-odoo $PYLINT_ODOO_VERSION (.pylintrc = optional + mandatory checks) on: ${ADDONS[*]:-none}"
if [ "${#ADDONS[@]}" -gt 0 ]; then
    PYLINT_OUT="$(mktemp)"
    pylint_rc=0
    "$VENV/bin/pylint" --rcfile=.pylintrc --output-format=text --score=n "${ADDONS[@]}" >"$PYLINT_OUT" 2>&1 \
        || pylint_rc=$?
    cat "$PYLINT_OUT"
    # which findings the mandatory set (.pylintrc-mandatory, blocking in pre-commit) has
    "$PY" - "$PYLINT_OUT" "$LINT_STRICT" "$pylint_rc" <<'PYEOF' || fail "pylint-odoo"
import collections, configparser, re, sys
out, strict = open(sys.argv[1], encoding="utf-8").read(), sys.argv[2] == "1"
rc = configparser.ConfigParser(interpolation=None, inline_comment_prefixes=("#",))
rc.read(".pylintrc-mandatory")
mandatory = {s.strip() for s in rc["MESSAGES CONTROL"]["enable"].split(",") if s.strip()}
found = re.findall(r"^\S+:\d+: \[(\w+)\(([\w-]+)\)", out, re.M)
if int(sys.argv[3]) and not found:
    sys.exit(f"pylint exited with {sys.argv[3]} without findings: see above")
count = collections.Counter(sym for _id, sym in found)
mand = sum(n for sym, n in count.items() if sym in mandatory)
for sym, n in count.most_common():
    print(f"  {n:5d}  {sym}  ({'mandatory' if sym in mandatory else 'optional'})", file=sys.stderr)
print(f"pylint-odoo: {mand} mandatory, {sum(count.values()) - mand} optional finding(s)", file=sys.stderr)
sys.exit(1 if mand or (strict and count) else 0)
PYEOF
    rm -f "$PYLINT_OUT"
fi

section "prettier $PRETTIER_VERSION + @prettier/plugin-xml $PRETTIER_XML_VERSION --check (${#PRETTIER_FILES[@]} files)"
if [ "${#PRETTIER_FILES[@]}" -gt 0 ]; then
    "$BIN/prettier" --check --ignore-unknown "${PRETTIER_FILES[@]}" || fail "prettier"
fi

section "eslint $ESLINT_VERSION (eslint.config.cjs, ${#ESLINT_FILES[@]} files)"
if [ "${#ESLINT_FILES[@]}" -gt 0 ]; then
    eslint_args=()
    [ "$LINT_STRICT" = 1 ] && eslint_args=(--max-warnings=0)
    "$BIN/eslint" "${eslint_args[@]}" "${ESLINT_FILES[@]}" || fail "eslint"
fi

section "SQL built with f-strings, %, .format, + or join (tools/check_sql.py)"
"$PY" tools/check_sql.py addons bench scripts tools || fail "check_sql"

section "README.md and Apps page of each addon up to date with its readme/ (tools/gen_readme.py)"
if [ "$FIX" = 1 ]; then "$PY" tools/gen_readme.py; fi
"$PY" tools/gen_readme.py --check || fail "gen_readme"

echo >&2
if [ "${#FAILED[@]}" -gt 0 ]; then
    echo "lint: FAILED: ${FAILED[*]}" >&2
    exit 1
fi
echo "lint: clean" >&2
