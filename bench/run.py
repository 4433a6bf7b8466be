"""Benchmark runner of crm_order_unified (``make bench BENCH_ARGS="..."``).

Generates a dataset of the chosen size into a throwaway database (cloned from
the dependency template, the addon installed without demo data), runs the
registered operations and their stock-Odoo baselines on it, and prints JSON on
stdout: one object per operation
``{"name", "size", "median_ms", "queries", "baseline"}`` with ``baseline``
``{"name", "median_ms", "queries"}``.
Progress and timings of the generation go to stderr.
"""

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time

BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
PROJECT_DIR = os.path.dirname(BENCH_DIR)
sys.path.insert(0, PROJECT_DIR)


def log(msg):
    print(f"[bench] {msg}", file=sys.stderr, flush=True)


def parse_args(argv):
    parser = argparse.ArgumentParser(
        prog="make bench BENCH_ARGS=...", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument(
        "--customers",
        type=int,
        default=100000,
        help="customers to generate (default 100000)",
    )
    parser.add_argument(
        "--lines",
        type=int,
        default=1000000,
        help="sale order lines to generate (default 1000000)",
    )
    parser.add_argument(
        "--ops",
        default="",
        help="comma-separated operations to run (default: all); see --list; "
        "module:result+result runs only those results of an operations module "
        "(e.g. segments:campaign_dashboard)",
    )
    parser.add_argument(
        "--skip",
        default="",
        help="comma-separated operations to leave out (e.g. recommendation_quality)",
    )
    parser.add_argument(
        "--list", action="store_true", help="list the registered operations and exit"
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=5,
        help="timed runs per operation (median; default 5)",
    )
    parser.add_argument(
        "--db", default="", help="database name (default cou_bench_<customers>_<lines>)"
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="reuse the database when it holds a dataset of this size (and keep it)",
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the database after the run"
    )
    parser.add_argument(
        "--upgrade",
        action="store_true",
        help="with --reuse: upgrade the addon first (code changed)",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="recompute a sample of the generated rows with the ORM and compare "
        "(stderr)",
    )
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--events",
        type=_event_counts,
        default=[],
        help="timeline events in the database for the timeline operations "
        "(default 2000000; topped up with bulk SQL); several counts in "
        "increasing order, e.g. 2000000,10000000, measure the timeline at each",
    )
    args = parser.parse_args(argv)
    if args.customers < 1 or args.lines < 1:
        parser.error("--customers and --lines must be positive")
    if args.events != sorted(args.events):
        parser.error("--events: counts in increasing order (the events are only added)")
    args.db = args.db or f"cou_bench_{args.customers}_{args.lines}"
    return args


def _event_counts(value):
    """``--events``: one count or several, comma-separated (2000000,10000000)."""
    try:
        counts = [int(part) for part in value.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"not a count or a list of counts: {value!r}"
        ) from None
    if any(count < 0 for count in counts):
        raise argparse.ArgumentTypeError("counts must not be negative")
    return counts


def odoo_bin(args_list):
    cmd = [
        sys.executable,
        os.path.join(os.environ["ODOO_SRC"], "odoo-bin"),
        *os.environ["ODOO_ARGS"].split(),
        *args_list,
        "--stop-after-init",
        "--max-cron-threads=0",
        "--log-level=warn",
    ]
    return subprocess.run(cmd, stdout=sys.stderr, stderr=sys.stderr).returncode


def db_script(*args):
    res = subprocess.run(
        [sys.executable, os.path.join(PROJECT_DIR, "scripts", "db.py"), *args],
        stdout=sys.stderr,
        stderr=sys.stderr,
    )
    if res.returncode:
        sys.exit(f"error: scripts/db.py {' '.join(args)} failed")


def project_addons():
    """The project's addons, as scripts/db.py lists them ($COU_ADDONS narrows them)."""
    res = subprocess.run(
        [sys.executable, os.path.join(PROJECT_DIR, "scripts", "db.py"), "addons"],
        capture_output=True,
        text=True,
        check=True,
    )
    return res.stdout.strip()


def stored_size(dbname):
    import psycopg2  # noqa: PLC0415

    from bench.generate import SIZE_PARAM  # noqa: PLC0415

    try:
        conn = psycopg2.connect(dbname=dbname)
    except psycopg2.OperationalError:
        return None
    with conn, conn.cursor() as cr:
        cr.execute("SELECT value FROM ir_config_parameter WHERE key = %s", [SIZE_PARAM])
        row = cr.fetchone()
    conn.close()
    return json.loads(row[0]) if row else None


def create_database(args):
    import psycopg2  # noqa: PLC0415

    log(f"creating {args.db} from the dependency template")
    db_script("clone", args.db)
    conn = psycopg2.connect(dbname=args.db)
    with conn, conn.cursor() as cr:
        # the template has demo data for the dependencies; the addon goes in without
        # its own (its demo company would only add noise to the measures)
        cr.execute("UPDATE ir_module_module SET demo = false")
    conn.close()
    addons = project_addons()
    log(f"installing {addons} (without demo data)")
    if odoo_bin(["-d", args.db, "-i", addons]):
        db_script("drop", args.db)
        sys.exit(
            "error: installing the addons on the benchmark database failed (see above)"
        )


class Context:
    """What an operation's setup gets: the environment (admin user, main
    company), the number of repetitions and samples of the generated data."""

    def __init__(self, env, repeat, seed):
        self.env = env
        self.repeat = repeat
        self.rng = random.Random(seed)

    def sample_customers(self, n):
        """``n`` commercial partners that have confirmed orders (seeded sample)."""
        cr = self.env.cr
        cr.execute("""SELECT DISTINCT p.commercial_partner_id FROM sale_order so
                        JOIN res_partner p ON p.id = so.partner_id WHERE so.state =
                            'sale'
                       ORDER BY 1""")
        ids = [row[0] for row in cr.fetchall()]
        return self.env["res.partner"].browse(
            sorted(self.rng.sample(ids, min(n, len(ids))))
        )

    def sample_orders(self, n):
        """``n`` confirmed orders of the customers with the most orders."""
        cr = self.env.cr
        cr.execute(
            """SELECT MAX(so.id) FROM sale_order so
                       JOIN res_partner p ON p.id = so.partner_id
                       WHERE so.state = 'sale' GROUP BY p.commercial_partner_id
                       ORDER BY COUNT(*) DESC, 1 LIMIT %s""",
            [n],
        )
        return self.env["sale.order"].browse([row[0] for row in cr.fetchall()])

    def without_addon_views(self, model, func):
        """Call ``func`` while the addon's views inheriting ``model``'s views are
        inactive (the stock form); everything is restored afterwards."""
        env = self.env
        views = (
            env["ir.ui.view"]
            .sudo()
            .browse(
                env["ir.model.data"]
                .sudo()
                .search(
                    [
                        ("module", "=like", "crm_order_unified%"),
                        ("model", "=", "ir.ui.view"),
                    ]
                )
                .mapped("res_id")
            )
            .filtered(lambda v: v.model == model and v.inherit_id)
        )
        try:
            with env.cr.savepoint():
                views.write({"active": False})
                result = func()
                raise _Rollback
        except _Rollback:
            pass
        env.registry.clear_all_caches()
        env.invalidate_all()
        return result


class _Rollback(Exception):
    pass


def _timed(env, func, i):
    """Wall time (ms) and SQL queries of one run, caches emptied first."""
    cr = env.cr
    env.flush_all()
    env.invalidate_all()
    count = cr.sql_log_count
    start = time.perf_counter()
    func(i)
    env.flush_all()
    return (time.perf_counter() - start) * 1000, cr.sql_log_count - count


def _median(samples):
    times, queries = zip(*samples, strict=True)
    return round(statistics.median(times), 2), int(statistics.median(queries))


def measure(env, func, repeat, baseline=None):
    """Median wall time (ms) of ``repeat`` runs after a warm-up, and the
    number of SQL queries of one run; caches are emptied before each run.

    With a ``baseline``, the runs of the operation and of its baseline
    alternate (operation, baseline, baseline, operation, ...), so that a
    change of the machine's load, or data read first from disk, weighs on
    both alike; returns both medians."""
    env.invalidate_all()
    func(repeat)  # warm-up (registry, ormcache)
    if baseline:
        env.invalidate_all()
        baseline(repeat)
    samples, base_samples = [], []
    for i in range(repeat):
        if baseline and i % 2:
            # the one that runs first on an item of the sample may find it
            # outside PostgreSQL's buffers: each side goes first every other
            # round
            base_samples.append(_timed(env, baseline, i))
            samples.append(_timed(env, func, i))
            continue
        samples.append(_timed(env, func, i))
        if baseline:
            base_samples.append(_timed(env, baseline, i))
    if baseline:
        return _median(samples), _median(base_samples)
    return _median(samples)


def run_operations(env, names, args):
    from bench.operations import ModuleRunner, load_all  # noqa: PLC0415

    registry = load_all()
    results = []
    ctx = Context(env, args.repeat, args.seed)
    for name in names:
        log(f"running {name}")
        # "module:result+result" selects results of an operations module
        name, _, only = name.partition(":")
        runner = registry[name]
        if isinstance(runner, ModuleRunner):
            # a module sized by the events runs once per count, in order
            # (each run tops the database up to its count)
            counts = (runner.sized_by_events and args.events) or [None]
            for count in counts:
                kwargs = {"total_events": count} if count else {}
                if only:
                    kwargs["only"] = only.split("+")
                results.extend(
                    result
                    for result in runner.run(env, **kwargs)
                    if not only or result["name"] in kwargs["only"]
                )
                env.cr.rollback()
                env.invalidate_all()
            continue
        op = registry[name](ctx)
        if op.baseline:
            (median_ms, queries), (b_ms, b_queries) = measure(
                env, op.run, args.repeat, baseline=op.baseline
            )
        else:
            median_ms, queries = measure(env, op.run, args.repeat)
        result = {
            "name": name,
            "size": op.size,
            "median_ms": median_ms,
            "queries": queries,
            "baseline": None,
        }
        if op.baseline:
            result["baseline"] = {
                "name": op.baseline_name,
                "median_ms": b_ms,
                "queries": b_queries,
            }
        results.append(result)
        env.cr.rollback()
        env.invalidate_all()
    return results


def main(argv):
    args = parse_args(argv)
    import odoo  # noqa: PLC0415
    from odoo.tools import config  # noqa: PLC0415

    config.parse_config(
        [
            *os.environ["ODOO_ARGS"].split(),
            "-d",
            args.db,
            "--log-level=warn",
            "--max-cron-threads=0",
        ]
    )
    odoo.modules.module.initialize_sys_path()
    from bench.operations import load_all  # noqa: PLC0415

    registry = load_all()
    if args.list:
        for name, setup in registry.items():
            print(f"{name}: {((setup.__doc__ or '').strip().splitlines() or [''])[0]}")
        return 0
    names = [n.strip() for n in args.ops.split(",") if n.strip()] or list(registry)
    skipped = {n.strip() for n in args.skip.split(",") if n.strip()}
    names = [n for n in names if n not in skipped]
    unknown = [n for n in names if n.partition(":")[0] not in registry]
    if unknown:
        sys.exit(
            f"error: unknown operation(s) {', '.join(unknown)}; "
            f"known: {', '.join(registry)}"
        )

    size = {"customers": args.customers, "lines": args.lines}
    stored = stored_size(args.db) if args.reuse else None
    reuse = bool(stored and all(stored.get(k) == v for k, v in size.items()))
    if args.reuse and not reuse:
        log(f"no reusable dataset of this size in {args.db}: generating it")
    keep = args.keep or args.reuse
    if not reuse:
        create_database(args)
    elif args.upgrade:
        addons = project_addons()
        log(f"upgrading {addons} on {args.db} (installing the ones it lacks)")
        if odoo_bin(["-d", args.db, "-i", addons, "-u", addons]):
            sys.exit("error: upgrading the addons on the benchmark database failed")

    from odoo.modules.registry import Registry  # noqa: PLC0415

    try:
        registry_db = Registry(args.db)
        generation = None
        if not reuse:
            from bench.generate import generate  # noqa: PLC0415

            log(f"generating {args.customers} customers and {args.lines} order lines")
            with registry_db.cursor() as cr:
                env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
                stats, timings = generate(
                    env, args.customers, args.lines, seed=args.seed, log=log
                )
                cr.commit()
            generation = {"stats": stats, "timings": timings}
            log(f"generated: {json.dumps(generation)}")
        if args.check:
            from bench.check import check  # noqa: PLC0415

            with registry_db.cursor() as cr:
                problems = check(odoo.api.Environment(cr, odoo.SUPERUSER_ID, {}))
                cr.rollback()
            for problem in problems[:200]:
                log(f"check: {problem}")
            if problems:
                sys.exit(
                    f"error: {len(problems)} generated values differ "
                    "from what the ORM computes"
                )
            log("check: the sampled rows are what the ORM computes")
        with registry_db.cursor() as cr:
            admin = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {}).ref(
                "base.user_admin"
            )
            env = odoo.api.Environment(
                cr,
                admin.id,
                {
                    "lang": "en_US",
                    "tz": "UTC",
                    "allowed_company_ids": admin.company_id.ids,
                },
            )
            results = run_operations(env, names, args)
            cr.rollback()
    finally:
        if not keep:
            Registry.delete(args.db)
            db_script("drop", args.db)
            log(f"dropped {args.db} (use --keep or --reuse to keep it)")
        else:
            log(f"kept {args.db} (reuse it with --reuse)")
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
