"""Access matrix of the history import addon (see the core's
``access_matrix.py``)."""

from odoo.tests import tagged

from odoo.addons.crm_order_unified.tests.access_matrix import (
    MARK_B,
    AccessMatrixCase,
    method,
    rights,
    roles,
)

MANAGER = roles("hub_manager")


@tagged("post_install", "-at_install")
class TestAccessMatrixHistoryImport(AccessMatrixCase):
    MODULE = "crm_order_unified_history_import"

    MODELS = {
        # Customer Hub managers import; the import checks, as load() does, the
        # rights on what it writes (test_import_access); from the web client a
        # run gets only its name (the import sets the rest, company included)
        "cou.history.import.run": rights(r=MANAGER, w=MANAGER, c=MANAGER, d=MANAGER),
        "cou.history.import.mapping": rights(
            r=MANAGER, w=MANAGER, c=MANAGER, d=MANAGER
        ),
        "cou.history.import": rights(r=MANAGER, w=MANAGER, c=MANAGER, d=MANAGER),
        "cou.history.import.columns.mixin": None,
        "cou.history.import.options.mixin": None,
        "cou.history.import.parser": None,
        "cou.history.import.reader": None,
        "cou.history.import.writer": None,
    }

    METHODS = {
        # processing needs a file: only the refusals are checked here (the
        # runs themselves: test_import_access, test_import_history)
        ("cou.history.import.run", "action_process"): method(MANAGER, call_ok=False),
        ("cou.history.import.run", "action_queue"): method(MANAGER, call_ok=False),
        ("cou.history.import.run", "action_view_orders"): method(MANAGER),
        **{
            ("cou.history.import", name): method(MANAGER, call_ok=False)
            for name in (
                "action_load_file",
                "action_save_mapping",
                "action_dry_run",
                "action_import",
            )
        },
        ("cou.history.import", "action_back"): method(MANAGER),
    }

    OVERRIDES = {
        ("cou.history.import.run", "create"): "CRUD (fields of the import only)",
        ("cou.history.import.run", "write"): "CRUD (fields of the import only)",
    }

    @classmethod
    def _matrix_setup(cls):
        marks = (("COU MX", cls.company_a), (MARK_B, cls.company_b))
        Run = cls.env["cou.history.import.run"]
        cls.matrix_vals["cou.history.import.run"] = lambda company: (
            {"name": "Run"}
            if company == cls.company_a
            else {"name": "Run", "company_id": company.id}
        )
        cls.matrix_records["cou.history.import.run"] = tuple(
            Run.create({"company_id": company.id}) for __, company in marks
        )
        Mapping = cls.env["cou.history.import.mapping"]

        def mapping_vals(company):
            return {
                "name": "Mapping",
                "company_id": company.id,
                "col_order_ref": "InvoiceNo",
                "col_date": "InvoiceDate",
                "col_product_code": "StockCode",
                "col_quantity": "Quantity",
                "col_price": "UnitPrice",
            }

        cls.matrix_vals["cou.history.import.mapping"] = mapping_vals
        cls.matrix_records["cou.history.import.mapping"] = tuple(
            Mapping.create({**mapping_vals(company), "name": f"{mark} mapping"})
            for mark, company in marks
        )
        cls.matrix_write["cou.history.import.run"] = {"name": "Renamed"}
        cls.matrix_write["cou.history.import.mapping"] = {"col_price": "Price"}
        Wizard = cls.env["cou.history.import"]
        cls.matrix_vals["cou.history.import"] = lambda company: {
            "company_id": company.id
        }
        cls.matrix_records["cou.history.import"] = tuple(
            Wizard.create({"company_id": company.id}) for __, company in marks
        )
