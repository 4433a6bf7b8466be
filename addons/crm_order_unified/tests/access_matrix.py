"""Access-matrix engine shared by the ``test_access_matrix`` module of every addon.

Not a test module itself: each addon's ``tests/test_access_matrix.py`` subclasses
``AccessMatrixCase`` and writes out, in explicit tables,

* ``MODELS``: every model the addon defines (transient and abstract ones
  included) with the rights each role must have on a record of the role's
  company (``"r"`` read, ``"w"`` write, ``"c"`` create, ``"d"`` unlink), one
  column per role in ``ROLES`` order, or ``None`` for an abstract model (its
  public methods are checked in ``METHODS``);
* ``METHODS``: every public method (no leading underscore, not
  ``@api.private``) that the addon's classes define and that a web client can
  call over JSON-RPC, with the roles that may call it and the arguments to call
  it with;
* ``OVERRIDES``: the public methods the addon overrides (CRUD and the
  methods of the Odoo app it extends), with why their access is covered.

Every user of the matrix belongs to company A only. Each model gets one record
in company A (owned by the customer of the portal role where the model has a
customer) and one record in company B: the company-B record must be neither
readable (``read`` and ``search``), writable nor deletable by anyone, and no
company-B record may be created. Public methods are called as the web client's
``/web/dataset/call_kw`` does (``get_public_method`` and ``api.call_kw``) and
their JSON-encoded results must not contain ``MARK_B`` (the names of company
B's records), nor ``MARK_A`` for the roles that may not read the sales
documents of company A.

Failures are collected and reported at once: model, role, operation,
expected, got. The records and the expectations are built once per class.
"""

import json
import logging

from odoo import Command, api
from odoo.exceptions import AccessError, UserError
from odoo.service.model import get_public_method
from odoo.tests import TransactionCase, new_test_user, tagged

_logger = logging.getLogger(__name__)

#: role key -> (groups, description)
ROLES = {
    "public": ("base.group_public", "public (website visitor)"),
    "portal": ("base.group_portal", "portal: the customer"),
    "portal_other": ("base.group_portal", "portal: another customer"),
    "employee": ("base.group_user", "internal user without Customer Hub rights"),
    "salesman": ("sales_team.group_sale_salesman", "salesman, own documents"),
    "salesman_all": (
        "sales_team.group_sale_salesman_all_leads",
        "salesman, all documents",
    ),
    "sale_manager": ("sales_team.group_sale_manager", "sales manager"),
    "hub_user": ("crm_order_unified.group_crm_order_unified_user", "Hub user"),
    "hub_manager": (
        "crm_order_unified.group_crm_order_unified_manager",
        "Hub manager",
    ),
    "complaint_user": (
        "crm_order_unified_complaint.group_cou_complaint_user",
        "complaint user",
    ),
    "complaint_manager": (
        "crm_order_unified_complaint.group_cou_complaint_manager",
        "complaint manager",
    ),
    "stock_user": ("stock.group_stock_user", "inventory user"),
    "invoice_user": ("account.group_account_invoice", "billing user"),
    "marketing": ("mass_mailing.group_mass_mailing_user", "mass mailing user"),
    "planner": (
        "crm_order_unified_forecast.group_cou_forecast_planner",
        "forecast planner",
    ),
}
ROLE_ORDER = tuple(ROLES)
#: the roles that may read company A's order of the customer (another
#: salesman's: not the "own documents" salesman)
SALES_READERS = frozenset(
    {"salesman_all", "sale_manager", "stock_user", "invoice_user"}
)
#: the roles that may read some of company A's documents of the customer (the
#: "own documents" salesman reads its deliveries): only they may get
#: ``MARK_A`` from a public method
DOCUMENT_READERS = SALES_READERS | {"salesman"}
INTERNAL = frozenset(ROLE_ORDER) - {"public", "portal", "portal_other"}
EVERYONE = frozenset(ROLE_ORDER)
STAFF_HUB = INTERNAL - {"employee"}

MARK_A = "COUMXA"
MARK_B = "COUMXB"


def rights(r=(), w=(), c=(), d=()):
    """One row of ``MODELS``: the roles that may read (``r``), write (``w``),
    create (``c``) and unlink (``d``) a record of their company; every other
    role may do none of these. Roles as sets or space-separated strings."""
    row = dict.fromkeys(ROLE_ORDER, "")
    for letter, keys in (("r", r), ("w", w), ("c", c), ("d", d)):
        keys = keys.split() if isinstance(keys, str) else keys
        unknown = set(keys) - set(ROLE_ORDER)
        assert not unknown, unknown
        for key in keys:
            row[key] += letter
    return row


def roles(*keys):
    unknown = set(keys) - set(ROLE_ORDER)
    assert not unknown, unknown
    return frozenset(keys)


def method(ok, args=None, kwargs=None, on=None, sees_a=None, call_ok=True):
    """One row of ``METHODS``.

    :param ok: the roles that may call it (all others must get an
        ``AccessError`` or a ``UserError``)
    :param args: ``callable(case, record_a) -> list`` of the JSON-RPC
        ``args`` (for a record method: the ids first; the calling user is
        ``case.mx_current_user``); default ``[record_a.ids]`` or ``[]`` for an
        ``@api.model`` method
    :param on: model to call it on (a mixin's method: the concrete model)
    :param sees_a: roles whose result may contain ``MARK_A`` (default: the
        roles of ``ok`` that read company A's documents, ``DOCUMENT_READERS``)
    :param call_ok: ``False`` for the methods too heavy to run for every
        allowed role (cron-size recomputations): only the refusals are checked
    """
    return {
        "ok": frozenset(ok),
        "args": args,
        "kwargs": kwargs or {},
        "on": on,
        "sees_a": frozenset(sees_a) if sees_a is not None else None,
        "call_ok": call_ok,
    }


class _Undo(Exception):  # noqa: N818 (not an error: rolls the savepoint back)
    def __init__(self, result):
        super().__init__()
        self.result = result


@tagged("post_install", "-at_install")
class AccessMatrixCase(TransactionCase):
    """Base of the addons' access matrices (see the module docstring)."""

    __test__ = False  # the base itself is no test (pytest collects TestCases)
    MODULE = None
    MODELS = {}
    METHODS = {}
    OVERRIDES = {}

    def __init_subclass__(cls, **kwargs):
        result = super().__init_subclass__(**kwargs)
        cls.__test__ = True
        return result

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        # company A: the database's main company (it has a chart of accounts,
        # also when the core is installed alone); company B: a new one
        cls.company_a = cls.env.company
        cls.company_b = cls.env["res.company"].create(
            {"name": f"{MARK_B} Company", "currency_id": cls.company_a.currency_id.id}
        )
        cls.env.user.company_ids = [Command.link(cls.company_b.id)]
        product_vals = {
            "type": "consu",
            "list_price": 10.0,
            "taxes_id": [Command.clear()],
            "company_id": False,
        }
        cls.product_order = cls.env["product.product"].create(
            {**product_vals, "name": "COU MX Widget", "invoice_policy": "order"}
        )
        cls.product_delivery = cls.env["product.product"].create(
            {**product_vals, "name": "COU MX Gadget", "invoice_policy": "delivery"}
        )
        Partner = cls.env["res.partner"]
        cls.customer_company = Partner.create(
            {"name": "COU MX Acme Corp", "is_company": True}
        )
        cls.customer_contact = Partner.create(
            {"name": "COU MX Alice Acme", "parent_id": cls.customer_company.id}
        )
        cls.customer_other_company = Partner.create(
            {"name": "COU MX Globex", "is_company": True}
        )
        cls.customer_individual = Partner.create({"name": "COU MX Bob"})
        cls.matrix_records = {}  # model -> (record of company A, of company B)
        cls.matrix_vals = {}  # model -> callable(company) -> create values
        cls.matrix_write = {}  # model -> write values
        cls.matrix_users = {}
        cls.customer_other = cls.customer_other_company
        for key in ROLE_ORDER:
            groups = ROLES[key][0]
            if not cls.env.ref(groups, raise_if_not_found=False):
                continue  # that app is not installed: no such role here
            vals = {}
            if key == "portal":
                vals["partner_id"] = cls.customer_contact.id
            elif key == "portal_other":
                vals["partner_id"] = cls.customer_other.id
            if key not in ("public", "portal", "portal_other"):
                groups = f"base.group_user,{groups}"
            cls.matrix_users[key] = new_test_user(
                cls.env,
                login=f"cou_mx_{key}",
                groups=groups,
                company_id=cls.company_a.id,
                company_ids=[cls.company_a.id],
                **vals,
            )
        cls.mx_salesman_other = new_test_user(
            cls.env,
            login="cou_mx_salesman_other",
            groups="base.group_user,sales_team.group_sale_salesman",
            company_id=cls.company_a.id,
            company_ids=[cls.company_a.id, cls.company_b.id],
        )
        # the customer's sales documents in both companies, named with the
        # markers the public methods must not reveal
        cls.mx_product_b = cls.env["product.product"].create(
            {
                "name": f"{MARK_B} Product",
                "type": "consu",
                "list_price": 7.0,
                "company_id": cls.company_b.id,
                "taxes_id": False,
            }
        )
        cls.mx_order_a = cls._mx_order(cls.customer_company)
        cls.mx_order_a.name = f"{MARK_A}-SO"
        cls.mx_order_b = cls._mx_order(
            cls.customer_company,
            company=cls.company_b,
            lines=[(cls.mx_product_b, 3, 7.0)],
        )
        cls.mx_order_b.name = f"{MARK_B}-SO"
        cls.mx_order_b.picking_ids.name = f"{MARK_B}-PICK"
        cls.mx_order_a.picking_ids.name = f"{MARK_A}-PICK"
        cls.mx_invoice_a = cls.mx_order_a._create_invoices()
        cls.mx_invoice_a.action_post()
        cls.mx_invoice_a.ref = f"{MARK_A}-INV"
        # the records the methods of Odoo's models are called on
        cls.matrix_targets = {
            "res.partner": cls.customer_company,
            "sale.order": cls.mx_order_a,
            "stock.picking": cls.mx_order_a.picking_ids[:1],
            "account.move": cls.mx_invoice_a,
        }
        cls._matrix_setup()
        cls.env.flush_all()

    @classmethod
    def _matrix_setup(cls):
        """Fill ``matrix_records``, ``matrix_vals`` and ``matrix_write``."""

    # === HELPERS === #

    @classmethod
    def _mx_order(cls, partner, company=None, lines=None, confirm=True, user=None):
        """A sale order of ``partner`` in ``company`` (default A), by another
        salesman than the matrix's "own documents" one; ``lines``:
        ``[(product, quantity, price)]``."""
        company = company or cls.company_a
        lines = lines or [(cls.product_order, 10, 10.0)]
        order = (
            cls.env["sale.order"]
            .with_company(company)
            .create(
                {
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "user_id": (user or cls.mx_salesman_other).id,
                    "order_line": [
                        Command.create(
                            {"product_id": p.id, "product_uom_qty": q, "price_unit": u}
                        )
                        for p, q, u in lines
                    ],
                }
            )
        )
        if confirm:
            order.action_confirm()
        return order

    def _mx_attempt(self, func):
        """Run ``func`` in a savepoint that is always rolled back.

        :return: ``("ok", result)``, ``("denied", error)`` for an
            ``AccessError``, ``("user_error", error)`` for a ``UserError``, or
            ``("crash", error)`` for any other exception (a traceback in the
            web client)
        """
        try:
            with self.env.cr.savepoint():
                result = func()
                self.env.flush_all()
                raise _Undo(result)
        except _Undo as undo:
            outcome = ("ok", undo.result)
        except AccessError as error:
            outcome = ("denied", error)
        except UserError as error:
            outcome = ("user_error", error)
        except Exception as error:  # noqa: BLE001 (reported as a failure)
            outcome = ("crash", error)
        self.env.invalidate_all()
        return outcome

    @staticmethod
    def _mx_got(outcome):
        kind, value = outcome
        if kind == "ok":
            return "allowed"
        return f"{kind}: {type(value).__name__}: {str(value).splitlines()[0][:120]}"

    def _mx_addon_models(self):
        """The models of ``MODULE`` (``ir.model.data`` of its ``model_*``)."""
        data = self.env["ir.model.data"].search(
            [("module", "=", self.MODULE), ("model", "=", "ir.model")]
        )
        names = self.env["ir.model"].browse(data.mapped("res_id")).mapped("model")
        return {
            name
            for name in names
            if name in self.env and self.env[name]._original_module == self.MODULE
        }

    def _mx_public_methods(self):
        """``{(model, method): is_override}`` of the public methods that the
        classes of ``MODULE`` define, as ``get_public_method`` accepts them."""
        prefix = f"odoo.addons.{self.MODULE}."
        found = {}
        for model_name in self.env.registry:
            model_cls = type(self.env[model_name])
            for klass in model_cls.__mro__:
                if not klass.__module__.startswith(prefix):
                    continue
                inherits = klass._inherit
                inherits = [inherits] if isinstance(inherits, str) else inherits or []
                if model_name not in (klass._name, *inherits):
                    continue
                for name, attr in vars(klass).items():
                    if name.startswith("_") or not callable(attr):
                        continue
                    try:
                        get_public_method(self.env[model_name], name)
                    except AccessError:
                        continue  # @api.private somewhere
                    others = [
                        k
                        for k in model_cls.__mro__
                        if not k.__module__.startswith(prefix) and name in vars(k)
                    ]
                    found[(model_name, name)] = bool(others)
        return found

    # === THE MATRIX === #

    def test_access_matrix(self):
        self.assertTrue(self.MODULE, "MODULE not set")
        failures = []
        cells = 0

        # every model of the addon has a row, every row is a model of the addon
        models = self._mx_addon_models()
        for model in sorted(models - set(self.MODELS)):
            failures.append(f"{model}: no row in MODELS (expected rights unknown)")
        for model in sorted(set(self.MODELS) - models):
            failures.append(f"{model}: in MODELS but not a model of {self.MODULE}")

        roles_here = [r for r in ROLE_ORDER if r in self.matrix_users]
        for model, row in sorted(self.MODELS.items()):
            if row is None or model not in models:
                continue
            missing = set(ROLE_ORDER) - set(row)
            if missing:
                failures.append(f"{model}: no expectation for {sorted(missing)}")
                continue
            if model not in self.matrix_records:
                failures.append(f"{model}: no records made (matrix_records)")
                continue
            cells += self._mx_check_model(model, row, roles_here, failures)

        calls = self._mx_check_methods(roles_here, failures)
        _logger.info(
            "access matrix of %s: %s models, %s roles, %s cells, %s public methods "
            "(%s overrides listed), %s calls, %s failures",
            self.MODULE,
            len(self.MODELS),
            len(roles_here),
            cells,
            len(self.METHODS),
            len(self.OVERRIDES),
            calls,
            len(failures),
        )
        if failures:
            report = "\n".join(failures)
            self.fail(
                f"{len(failures)} access-matrix failures in {self.MODULE} "
                f"({cells} cells, {calls} method calls):\n{report}"
            )

    def _mx_check_model(self, model, row, roles_here, failures):
        rec_a, rec_b = self.matrix_records[model]
        Model = self.env[model]
        vals_of = self.matrix_vals.get(model)
        write_vals = self.matrix_write.get(model, {})
        company_field = bool(rec_b)  # no company-B record: shared by companies
        cells = 0

        def check(role, op, company, expect_ok, outcome):
            if (outcome[0] == "ok") != expect_ok or outcome[0] == "crash":
                failures.append(
                    f"{model} | {role} | {op} {company} | expected "
                    f"{'allowed' if expect_ok else 'AccessError'} | got "
                    f"{self._mx_got(outcome)}"
                )

        for role in roles_here:
            user = self.matrix_users[role]
            granted = row[role]
            as_user = Model.with_user(user).with_company(self.company_a)
            targets = [("A", rec_a)]
            if company_field:
                targets.append(("B", rec_b))
            for company, rec in targets:
                may = company == "A"
                recs = rec.with_user(user).with_company(self.company_a)
                # read: read() of the fields the user may see, and search()
                expect_read = may and "r" in granted

                def do_read(recs=recs, as_user=as_user, rec=rec, role=role):
                    # staff: the fields a form may show; portal and public
                    # users read through the portal's controllers (sudo) the
                    # records they may read: their name
                    if role in ("public", "portal", "portal_other"):
                        fnames = ["display_name"]
                    else:
                        fnames = list(as_user.fields_get(attributes=["type"]))
                    recs.read(fnames)
                    found = as_user.search([("id", "in", rec.ids)])
                    if found != rec:
                        raise AccessError(f"search() found {found.ids}")
                    return True

                check(role, "read", company, expect_read, self._mx_attempt(do_read))
                if "r" not in granted or not may:
                    found = self._mx_attempt(
                        lambda as_user=as_user, rec=rec: as_user.search(
                            [("id", "in", rec.ids)]
                        ).ids
                    )
                    if found[0] == "ok" and found[1]:
                        failures.append(
                            f"{model} | {role} | search {company} | expected "
                            f"nothing or AccessError | got {found[1]}"
                        )
                    cells += 1
                check(
                    role,
                    "write",
                    company,
                    may and "w" in granted,
                    self._mx_attempt(lambda recs=recs: recs.write(dict(write_vals))),
                )
                check(
                    role,
                    "unlink",
                    company,
                    may and "d" in granted,
                    self._mx_attempt(lambda recs=recs: recs.unlink()),
                )
                cells += 3
                if vals_of:
                    comp = self.company_a if company == "A" else self.company_b
                    check(
                        role,
                        "create",
                        company,
                        may and "c" in granted,
                        self._mx_attempt(
                            lambda as_user=as_user, comp=comp: as_user.create(
                                vals_of(comp)
                            )
                        ),
                    )
                    cells += 1
                elif "c" in granted:
                    failures.append(f"{model}: create granted but no matrix_vals")
        return cells

    def _mx_check_method_lists(self, found, failures):
        """Every public method is in ``METHODS`` (or, an override, in
        ``OVERRIDES``), every listed one is a public method."""
        for key, is_override in sorted(found.items()):
            label = f"{key[0]}.{key[1]}"
            if key in self.METHODS or (is_override and key in self.OVERRIDES):
                continue
            if is_override:
                failures.append(f"{label}: public override not in OVERRIDES")
            else:
                failures.append(
                    f"{label}: public method not in METHODS "
                    "(who may call it over JSON-RPC?)"
                )
        # (an override listed but gone is no leak: the table may run ahead)
        for key in sorted(set(self.METHODS) - set(found)):
            failures.append(f"{key[0]}.{key[1]}: listed but not a public method")

    def _mx_call(self, user, on, name, spec, rec_a):
        """Call ``on.name`` as ``user`` the way ``/web/dataset/call_kw`` does;
        the outcome's result is JSON text."""
        env = self.env(user=user, context={"allowed_company_ids": [self.company_a.id]})

        def do_call():
            # the arguments are made in the savepoint (they may create records
            # of the calling user: ``case.mx_current_user``)
            self.mx_current_user = user
            if spec["args"]:
                args = spec["args"](self, rec_a)
            elif getattr(getattr(type(env[on]), name), "_api", None):
                args = []  # @api.model
            else:
                args = [rec_a.ids]
            # a request starts with an empty cache (no value read unchecked)
            self.env.flush_all()
            self.env.invalidate_all()
            get_public_method(env[on], name)
            result = api.call_kw(env[on], name, args, dict(spec["kwargs"]))
            return json.dumps(result, default=str, ensure_ascii=False)

        return self._mx_attempt(do_call)

    def _mx_check_methods(self, roles_here, failures):
        calls = 0
        found = self._mx_public_methods()
        self._mx_check_method_lists(found, failures)
        for (model, name), spec in sorted(self.METHODS.items()):
            if (model, name) not in found:
                continue
            on = spec["on"] or model
            if on in self.matrix_records:
                rec_a = self.matrix_records[on][0]
            else:
                rec_a = self.matrix_targets.get(on, self.env[on])
            sees_a = spec["sees_a"]
            if sees_a is None:
                sees_a = spec["ok"] & DOCUMENT_READERS
            for role in roles_here:
                allowed = role in spec["ok"]
                if allowed and not spec["call_ok"]:
                    continue
                outcome = self._mx_call(self.matrix_users[role], on, name, spec, rec_a)
                calls += 1
                label = f"{on}.{name} | {role} |"
                got = self._mx_got(outcome)
                if outcome[0] == "crash":
                    failures.append(f"{label} call | expected no traceback | got {got}")
                elif allowed and outcome[0] != "ok":
                    failures.append(f"{label} call | expected allowed | got {got}")
                elif not allowed and outcome[0] == "ok":
                    failures.append(
                        f"{label} call | expected AccessError/UserError | got allowed"
                    )
                if outcome[0] != "ok":
                    continue
                if MARK_B in outcome[1]:
                    failures.append(
                        f"{label} result | no company B data | got {MARK_B}"
                    )
                if role not in sees_a and MARK_A in outcome[1]:
                    failures.append(f"{label} result | no sales data | got {MARK_A}")
        return calls
