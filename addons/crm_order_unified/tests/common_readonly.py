"""Run read paths on a read-only cursor, as Odoo 18 does on a read replica.

With ``--db_replica_host``, the web client's calls of ``@api.readonly``
methods run on a cursor of the replica, where any write fails with
``ReadOnlySqlTransaction``. ``ReadonlyCaseMixin.cou_readonly_env()`` gives an
environment on such a cursor (``registry.cursor(readonly=True)`` in test
mode: ``SET TRANSACTION READ ONLY`` in a savepoint of the test transaction,
as Odoo's own tests of ``call_kw`` get it). Other addons import it::

    from odoo.addons.crm_order_unified.tests.common_readonly import (
        ReadonlyCaseMixin,
    )
"""

from contextlib import contextmanager

from freezegun import freeze_time

from odoo import fields


class ReadonlyCaseMixin:
    @contextmanager
    def cou_readonly_env(self, user=None):
        """An environment of ``user`` (default: the test's) on a read-only
        cursor that sees the test's data."""
        # as the commit of the requests that wrote the data: flush, and run
        # the precommit hooks (e.g. the Customer 360 figures' refresh)
        self.env.flush_all()
        self.env.cr.flush()
        registry = self.env.registry
        entered = registry.test_cr is None
        if entered:
            registry.enter_test_mode(self.env.cr)
        try:
            with registry.cursor(readonly=True) as cr:
                self.assertTrue(cr.readonly)
                yield self.env(cr=cr, user=user or self.env.user)
        finally:
            if entered:
                registry.leave_test_mode()

    def cou_assert_readonly_method(self, model, method):
        """``model.method`` is served on a read-only cursor when called from
        the web client: the check of ``DataSet._call_kw_readonly`` (web)."""
        for cls in type(self.env[model]).mro():
            function = getattr(cls, method, None)
            if function is not None and hasattr(function, "_readonly"):
                self.assertTrue(function._readonly, f"{model}.{method}")
                return
        self.fail(f"{model}.{method} is not marked @api.readonly")

    def cou_assert_same_on_readonly(self, records, method, *args, **kwargs):
        """Call ``records.method(*args, **kwargs)`` (user and context of
        ``records``) on the normal cursor and on a read-only one: no write, no
        error, and both results are equal; return it.

        Both calls see the same clock (what is late, what is due: a second
        that ends between them must not make the results differ)."""
        self.cou_assert_readonly_method(records._name, method)
        with freeze_time(fields.Datetime.now()):
            expected = getattr(records, method)(*args, **kwargs)
            with self.cou_readonly_env() as env:
                readonly = records.with_env(records.env(cr=env.cr))
                result = getattr(readonly, method)(*args, **kwargs)
        self.assertEqual(result, expected)
        return result
