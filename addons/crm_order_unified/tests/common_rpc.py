"""Table-driven checks of methods a web client calls over JSON-RPC.

Each case is ``(label, args, kwargs, expected)`` and goes through
``odoo.api.call_kw``, as the ``/web/dataset/call_kw`` route does. ``expected``
is an exception class (the case must end in that clean error, a
``UserError``/``ValidationError`` or a subclass such as ``AccessError``) or a
callable that checks the result (and returns a false value when it is wrong).
Any other exception (``TypeError``, ``ValueError``, a database error...) is a
traceback in the user's face: the case fails. Other addons import it::

    from odoo.addons.crm_order_unified.tests.common_rpc import RpcCasesMixin
"""

from odoo.api import call_kw
from odoo.exceptions import UserError, ValidationError

CLEAN_ERRORS = (UserError, ValidationError)


class RpcCasesMixin:
    def _run_rpc_cases(self, model, method, cases):
        """Run ``cases`` on ``model.method``; fail listing every case that
        did not end as expected; return ``(clean errors, correct results)``."""
        problems = []
        counts = {"errors": 0, "results": 0}
        labels = [case[0] for case in cases]
        self.assertEqual(len(labels), len(set(labels)), "case labels must be unique")
        for label, args, kwargs, expected in cases:
            outcome = self._run_rpc_case(model, method, args, kwargs, expected)
            if outcome in counts:
                counts[outcome] += 1
            else:
                problems.append(f"{method} [{label}]: {outcome}")
        self.assertFalse(problems, "\n".join(problems))
        return counts["errors"], counts["results"]

    def _run_rpc_case(self, model, method, args, kwargs, expected):
        try:
            with self.env.cr.savepoint():
                value = call_kw(model, method, list(args), dict(kwargs))
        except CLEAN_ERRORS as exc:
            if isinstance(expected, type) and isinstance(exc, expected):
                if not str(exc.args[0] if exc.args else "").strip():
                    return "clean error without a message"
                return "errors"
            return f"unexpected {type(exc).__name__}: {exc}"
        except Exception as exc:  # noqa: BLE001 (any other is the failure)
            return f"traceback {type(exc).__name__}: {exc}"
        if isinstance(expected, type):
            return f"expected {expected.__name__}, got the result {value!r:.200}"
        if not expected(value):
            return f"wrong result {value!r:.300}"
        return "results"
