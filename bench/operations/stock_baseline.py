"""Stock baselines: run an operation with the project's overrides bypassed.

``without_addon_overrides(env)`` is a context manager: inside it, every method
that a ``crm_order_unified*`` addon overrides (on any model) passes straight
to the next class of the model, as if the addon's class were not there; the
methods and fields the addons add stay (stock code does not call them). The
operation and its baseline then run the same code path in the same run, on the
same data, the baseline without the addons' work. Registers no operation.
"""

import functools
import inspect

ADDON_MODULE_PREFIX = "odoo.addons.crm_order_unified"


def _passthrough(cls, name, method):
    @functools.wraps(method)
    def call_next(self, *args, **kwargs):
        return getattr(super(cls, self), name)(*args, **kwargs)

    return call_next


def _overrides(env):
    """``(class, name, function)`` of every method an addon's class overrides."""
    seen = set()
    for model_class in env.registry.values():  # the registry holds classes
        mro = model_class.__mro__
        for index, cls in enumerate(mro):
            if (
                not cls.__module__.startswith(ADDON_MODULE_PREFIX)
                or cls in seen
                or cls.__module__.startswith("odoo.addons.base")
            ):
                continue
            seen.add(cls)
            for name, value in list(vars(cls).items()):
                if not inspect.isfunction(value) or name.startswith("__"):
                    continue
                # an override: a class after it in the model's MRO defines it too
                if any(name in vars(base) for base in mro[index + 1 :]):
                    yield cls, name, value


class StockBaseline:
    """Built once in an operation's setup (it walks the registry); then
    ``with baseline:`` bypasses the overrides at the cost of a few hundred
    attribute assignments, inside the timed baseline."""

    def __init__(self, env):
        self.patched = [
            (cls, name, method, _passthrough(cls, name, method))
            for cls, name, method in _overrides(env)
        ]

    def __enter__(self):
        for cls, name, _method, passthrough in self.patched:
            setattr(cls, name, passthrough)
        return self

    def __exit__(self, *_exc):
        for cls, name, method, _passthrough in self.patched:
            setattr(cls, name, method)
        return False


def without_addon_overrides(env):
    """Context manager: the addons' overrides bypassed (see the module)."""
    return StockBaseline(env)


def stock_fields_spec(model, spec):
    """``spec`` (a ``web_read``/``onchange`` fields spec) without the fields
    that the addons add to ``model``."""
    fields = model._fields
    return {
        name: value
        for name, value in spec.items()
        if not (getattr(fields[name], "_module", None) or "").startswith(
            "crm_order_unified"
        )
    }
