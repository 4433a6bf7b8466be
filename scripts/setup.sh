#!/usr/bin/env bash
# Sets up everything the project needs: Debian packages (as root), the Odoo
# source, a virtualenv with Odoo's requirements and ours, and PostgreSQL.
# A second run checks stamps and returns in seconds.
source "$(dirname "$0")/common.sh"

APT_PACKAGES="build-essential python3-dev libpq-dev libldap2-dev libsasl2-dev libxml2-dev libxslt1-dev libjpeg-dev zlib1g-dev libffi-dev postgresql chromium fonts-noto-cjk docker-compose wkhtmltopdf"

install_debian_packages() {
    command -v dpkg-query >/dev/null 2>&1 || return 0
    local missing="" p
    for p in $APT_PACKAGES; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
    done
    [ -z "$missing" ] && return 0
    if [ "$(id -u)" != 0 ]; then
        info "missing Debian packages:$missing (run as root or install them)"; return 0
    fi
    info "installing Debian packages:$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null 2>&1 || true
    apt-get install -y -qq --no-install-recommends $missing >/dev/null || die "apt-get install failed for:$missing"
}

install_python() {
    local stamp="$VENV/.crm_order_unified_stamp"
    local want
    want="$(cat "$ODOO_SRC/requirements.txt" "$PROJECT_DIR/requirements.txt" | sha1sum | cut -c1-12)"
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return 0; fi
    [ -x "$PY" ] || { info "creating virtualenv $VENV"; python3 -m venv "$VENV"; }
    info "installing Python requirements into $VENV (first run takes a few minutes)"
    local pip="$PY -m pip --disable-pip-version-check -q"
    $pip install "pip<25" "setuptools<70" wheel "Cython<3" "setuptools_scm<8" >/dev/null
    # Several of Odoo's pinned versions only ship sdists for Python 3.11 that
    # need an old setuptools: build them without isolation. cbor2's sdist
    # cannot find its own version without git metadata: give it.
    SETUPTOOLS_SCM_PRETEND_VERSION=5.4.2 SETUPTOOLS_SCM_PRETEND_VERSION_FOR_CBOR2=5.4.2 \
        $pip install --no-build-isolation "cbor2==5.4.2" || die "installing cbor2 failed"
    $pip install --no-build-isolation -r "$ODOO_SRC/requirements.txt" \
        || die "installing Odoo's requirements failed (see above)"
    $pip install --no-build-isolation -r "$PROJECT_DIR/requirements.txt" \
        || die "installing requirements.txt failed (see above)"
    echo "$want" > "$stamp"
}

# OCA addons from PyPI (requirements-oca.txt): their wheels require the `odoo`
# distribution, which Odoo's source tree is not, so they are installed without
# dependencies into a folder of their own that joins the addons path.
install_oca_addons() {
    local stamp="$VENV/oca_addons/.stamp" want
    want="$(sha1sum <"$PROJECT_DIR/requirements-oca.txt" | cut -c1-12)"
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return 0; fi
    info "installing OCA addons (requirements-oca.txt) into $VENV/oca_addons"
    rm -rf "$VENV/oca_addons"
    "$PY" -m pip --disable-pip-version-check -q install --no-deps \
        --target "$VENV/oca_addons" -r "$PROJECT_DIR/requirements-oca.txt" \
        || die "installing requirements-oca.txt failed (see above)"
    echo "$want" > "$stamp"
}

install_debian_packages
find_odoo_src
install_python
install_oca_addons
echo "$ODOO_SRC" > "$STATE_DIR/odoo_src"
ensure_postgres
info "setup done (Odoo at $ODOO_SRC, venv at $VENV, PostgreSQL at $PGHOST:$PGPORT)"
