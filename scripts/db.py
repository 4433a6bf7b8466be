"""Database helpers for the project's scripts: create a test database from a
cached template that already has the addon's dependencies installed.

Usage: python scripts/db.py addons     -> prints the project's addons (comma-separated)
       python scripts/db.py template   -> prints the template database name
       python scripts/db.py clone NAME -> creates NAME from the template
       python scripts/db.py drop NAME      -> drops NAME and its filestore
       python scripts/db.py exists NAME    -> exit status 0 when NAME exists
"""

import hashlib
import os
import subprocess
import sys

import psycopg2
from psycopg2 import sql

PROJECT_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FILESTORE = os.path.expanduser("~/.local/share/Odoo/filestore")
ADDONS_DIR = os.path.join(PROJECT_DIR, "addons")


def _conn():
    conn = psycopg2.connect(dbname="postgres")
    conn.autocommit = True
    return conn


def _exists(cr, name):
    cr.execute("SELECT 1 FROM pg_database WHERE datname=%s", (name,))
    return bool(cr.fetchone())


def drop(name):
    conn = _conn()
    with conn.cursor() as cr:
        cr.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname=%s AND pid<>pg_backend_pid()",
            (name,),
        )
        cr.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))


def _manifest(addon):
    import ast

    with open(os.path.join(ADDONS_DIR, addon, "__manifest__.py")) as f:
        return ast.literal_eval(f.read())


def addons():
    """The project's addons: $COU_ADDONS (comma-separated) or every
    installable addon in addons/."""
    if os.environ.get("COU_ADDONS"):
        return [
            name.strip() for name in os.environ["COU_ADDONS"].split(",") if name.strip()
        ]
    return sorted(
        name
        for name in os.listdir(ADDONS_DIR)
        if os.path.isfile(os.path.join(ADDONS_DIR, name, "__manifest__.py"))
        and _manifest(name).get("installable", True)
    )


def _depends():
    """The Odoo modules the project's addons depend on (not the addons themselves)."""
    ours = set(addons())
    return sorted({dep for addon in ours for dep in _manifest(addon)["depends"]} - ours)


def template_name():
    odoo_src = os.environ["ODOO_SRC"]
    rev = subprocess.run(
        ["git", "-C", odoo_src, "rev-parse", "HEAD"], capture_output=True, text=True
    ).stdout.strip() or os.path.getmtime(os.path.join(odoo_src, "odoo", "release.py"))
    key = hashlib.sha1(f"{rev}|{','.join(_depends())}|demo".encode()).hexdigest()[:10]
    return f"cou_tmpl_{key}"


def template():
    """Make sure the dependency template exists; print its name."""
    name = template_name()
    conn = _conn()
    building = name + "_building"
    with conn.cursor() as cr:
        if _exists(cr, name):
            if not os.path.isdir(os.path.join(FILESTORE, name)) and os.path.isdir(
                os.path.join(FILESTORE, building)
            ):
                # a template built before the filestore moved with the rename
                os.rename(
                    os.path.join(FILESTORE, building), os.path.join(FILESTORE, name)
                )
            if os.path.isdir(os.path.join(FILESTORE, name)):
                print(name)
                return
            # the template's attachments are gone: build it again
            drop(name)
    drop(building)
    subprocess.run(["rm", "-rf", os.path.join(FILESTORE, building)])
    cmd = [
        os.path.join(os.environ["VENV"], "bin", "python"),
        os.path.join(os.environ["ODOO_SRC"], "odoo-bin"),
        *os.environ["ODOO_ARGS"].split(),
        "-d",
        building,
        "-i",
        ",".join(_depends()),
        "--stop-after-init",
        "--log-level=warn",
        "--max-cron-threads=0",
    ]
    print(
        "==> building the dependency template database (once, a few minutes)",
        file=sys.stderr,
    )
    res = subprocess.run(cmd, stdout=sys.stderr)
    if res.returncode:
        drop(building)
        sys.exit("error: installing the dependencies into the template database failed")
    conn = _conn()
    with conn.cursor() as cr:
        cr.execute(
            sql.SQL("ALTER DATABASE {} RENAME TO {}").format(
                sql.Identifier(building), sql.Identifier(name)
            )
        )
    # the attachments of the template live in the filestore under its name
    src, dst = os.path.join(FILESTORE, building), os.path.join(FILESTORE, name)
    if os.path.isdir(src):
        subprocess.run(["rm", "-rf", dst])
        os.rename(src, dst)
    print(name)


def clone(target):
    name = template_name()
    drop(target)
    conn = _conn()
    with conn.cursor() as cr:
        cr.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(target), sql.Identifier(name)
            )
        )
    # the filestore is copied too so attachments of the template stay readable
    src, dst = os.path.join(FILESTORE, name), os.path.join(FILESTORE, target)
    if os.path.isdir(src):
        subprocess.run(["rm", "-rf", dst])
        subprocess.run(["cp", "-a", src, dst], check=True)


if __name__ == "__main__":
    action = sys.argv[1]
    if action == "addons":
        print(",".join(addons()))
    elif action == "template":
        template()
    elif action == "clone":
        clone(sys.argv[2])
    elif action == "exists":
        with _conn().cursor() as cr:
            sys.exit(0 if _exists(cr, sys.argv[2]) else 1)
    elif action == "drop":
        drop(sys.argv[2])
        subprocess.run(["rm", "-rf", os.path.join(FILESTORE, sys.argv[2])])
    else:
        sys.exit(__doc__)
