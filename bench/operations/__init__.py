"""Registry of benchmark operations.

Each module of this package registers operations with :func:`register`. An
operation is a function ``setup(ctx)`` that prepares its data and returns a
:class:`Operation`: the timed callable, the size it works on and the stock-Odoo
baseline measured the same way on the same data. See bench/README.md.
"""

import importlib
import pkgutil
import sys
from collections.abc import Callable
from dataclasses import dataclass

OPERATIONS = {}


@dataclass
class Operation:
    run: Callable[[int], object]  # called with the repetition number
    size: int  # how many records one run works on
    baseline_name: str | None = None
    baseline: Callable[[int], object] | None = None


def register(name):
    """Decorator: ``@register("customer_360_figures")`` on ``setup(ctx)``."""

    def decorator(setup):
        if name in OPERATIONS:
            raise ValueError(f"benchmark operation {name!r} registered twice")
        OPERATIONS[name] = setup
        return setup

    return decorator


@dataclass
class ModuleRunner:
    """A module without ``@register`` that exposes ``run(env, **kwargs)``
    returning its own list of result objects (measured its own way)."""

    run: Callable
    __doc__: str = ""
    # measured once per ``--events`` count (the module's ``SIZED_BY_EVENTS``)
    sized_by_events: bool = False


def load_all():
    """Import every module of the package (each registers its operations).
    A module that registers nothing but defines ``run(env, **kwargs)`` is
    registered under its module name as a :class:`ModuleRunner`."""
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        before = set(OPERATIONS)
        try:
            module = importlib.import_module(f"{__name__}.{info.name}")
        except Exception as exc:  # noqa: BLE001 - one broken module must not stop the others
            print(
                f"[bench] skipping operations module {info.name}: {exc!r}",
                file=sys.stderr,
            )
            continue
        if set(OPERATIONS) == before and callable(getattr(module, "run", None)):
            OPERATIONS.setdefault(
                info.name,
                ModuleRunner(
                    module.run,
                    module.__doc__ or "",
                    getattr(module, "SIZED_BY_EVENTS", False),
                ),
            )
    return OPERATIONS
