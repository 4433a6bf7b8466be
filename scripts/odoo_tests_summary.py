"""Per-module summary of an Odoo test log (scripts/odoo_tests.sh): tests
started, failures, errors, and time (from odoo.tests.stats, logged once the
run ends). Works on the log of a run still going too.

Usage: python scripts/odoo_tests_summary.py LOG MODULE [MODULE...]
Exit status 1 when a test failed or erred, or a module ran no test (unless
ODOO_TESTS_ALLOW_EMPTY is set).
"""

import os
import re
import sys

# set when only the post_install tests run: a module may have none
ALLOW_EMPTY = "ODOO_TESTS_ALLOW_EMPTY"

log, modules = sys.argv[1], sys.argv[2:]
EMPTY = {"tests": 0, "failures": 0, "errors": 0, "time": 0.0}
stats = {m: dict(EMPTY) for m in modules}
line_re = re.compile(r"^\S+ \S+ \d+ (\w+) \S+ (\S+): (.*)$")
mod_re = re.compile(r"odoo\.addons\.(\w+)\.")
test_re = re.compile(r"Starting [\w.]+ \.\.\.")
failed = []
with open(log, errors="replace") as f:
    for line in f:
        m = line_re.match(line.rstrip("\n"))
        if not m:
            continue
        level, logger, msg = m.groups()
        if logger == "odoo.tests.stats":
            s = re.match(r"(\w+): (\d+) tests ([\d.]+)s", msg)
            if s and s[1] in stats:
                stats[s[1]]["time"] += float(s[3])
            continue
        owner = mod_re.match(logger + ".")
        if level == "INFO" and owner and ".tests." in logger and test_re.match(msg):
            stats.setdefault(owner[1], dict(EMPTY))["tests"] += 1
            continue
        if level not in ("ERROR", "CRITICAL"):
            continue
        kind = re.match(r"(FAIL|ERROR): (.*)", msg)
        if not kind:
            continue
        owner = mod_re.match(logger + ".") or mod_re.search(kind[2])
        module = owner[1] if owner else "?"
        stats.setdefault(module, dict(EMPTY))
        stats[module]["failures" if kind[1] == "FAIL" else "errors"] += 1
        failed.append(f"{module}: {kind[1]}: {kind[2]}")
print(f"{'module':<16}{'tests':>7}{'failures':>10}{'errors':>8}{'time (s)':>10}")
bad = False
for module, s in stats.items():
    print(
        f"{module:<16}{s['tests']:>7}{s['failures']:>10}{s['errors']:>8}{s['time']:>10.1f}"
    )
    empty = module in modules and not s["tests"] and not os.environ.get(ALLOW_EMPTY)
    bad |= bool(s["failures"] or s["errors"] or empty)
for name in failed:
    print("  " + name)
sys.exit(1 if bad else 0)
