import base64
import json
import os

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import CouHistoryImportCommon

DATA = os.path.join(os.path.dirname(__file__), "data", "history_sample.csv")


@tagged("post_install", "-at_install")
class TestImportAccess(CouHistoryImportCommon):
    """Issue 10, access 1-3: file paths for the command line only, runs
    processed as their creator, and the rights of what the import writes."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.groups_id += cls.env.ref(
            "crm_order_unified.group_crm_order_unified_manager"
        )
        cls.env = cls.env(context=dict(cls.env.context, cou_import_no_commit=True))
        # the sample's orders are in GBP (1 USD = 0.8 GBP), as in TestImportHistory
        cls.currency_gbp = cls.setup_other_currency("GBP", rates=[("2000-01-01", 0.8)])
        cls.env["product.pricelist"].create(
            {"name": "COU GBP", "currency_id": cls.currency_gbp.id, "company_id": False}
        )
        cls.mapping = cls.env.ref(
            "crm_order_unified_history_import.cou_history_import_mapping_generic"
        )
        with open(DATA, "rb") as f:
            cls.content = f.read()
        # a Customer Hub manager without any sales right
        cls.user_hub_only = new_test_user(
            cls.env,
            login="cou_hub_only",
            groups="base.group_user,crm_order_unified.group_crm_order_unified_manager",
            company_id=cls.company_a.id,
            company_ids=[cls.company_a.id],
        )
        cls.secret = cls.env["ir.attachment"].create(
            {"name": "secret.csv", "raw": b"root:x:0:0", "res_model": "res.partner"}
        )

    def _wizard(self, user):
        wizard = (
            self.env["cou.history.import"]
            .with_user(user)
            .with_context(cou_import_no_commit=True)
            .create(
                {
                    "file": base64.b64encode(self.content),
                    "file_name": "history_sample.csv",
                }
            )
        )
        wizard.action_load_file()
        return wizard

    def _counts(self):
        return (
            self.env["sale.order"].search_count([]),
            self.env["res.partner"].with_context(active_test=False).search_count([]),
            self.env["product.product"]
            .with_context(active_test=False)
            .search_count([]),
        )

    def _manager_run(self):
        action = self._wizard(self.user_hub_manager).action_import()
        return (
            self.env["cou.history.import.run"]
            .with_user(self.user_hub_manager)
            .browse(action["res_id"])
        )

    # === 1. file paths: command line only === #

    def test_client_cannot_create_a_run_reading_a_server_file(self):
        Run = self.env["cou.history.import.run"].with_user(self.user_hub_manager)
        with self.assertRaisesRegex(AccessError, "File"):
            Run.create(
                {
                    "company_id": self.company_a.id,
                    "file_path": "/etc/passwd",
                    "mapping_id": self.mapping.id,
                }
            )

    def test_client_cannot_point_a_run_at_a_server_file(self):
        run = self._manager_run()
        self.assertEqual(run.state, "done", run.error_message)
        with self.assertRaises(AccessError):
            run.write({"file_path": "/etc/passwd"})
        self.assertFalse(run.file_path)

    def test_client_cannot_swap_the_attachment(self):
        run = self._manager_run()
        with self.assertRaises(AccessError):
            run.write({"attachment_id": self.secret.id})
        with self.assertRaises(AccessError):
            run.write({"settings_json": json.dumps({"delimiter": ":"})})

    def test_run_reads_only_its_own_attachment(self):
        with self.assertRaisesRegex(UserError, "belongs to another record"):
            self.env["cou.history.import.run"].sudo().create(
                {
                    "company_id": self.company_a.id,
                    "attachment_id": self.secret.id,
                    "mapping_id": self.mapping.id,
                }
            )

    def test_command_line_run_reads_its_file(self):
        """The private entry point of tools/import_history.py keeps file paths."""
        Run = self.env["cou.history.import.run"].with_user(self.user_hub_manager)
        run = Run._import_create_run(
            {
                "company_id": self.company_a.id,
                "file_name": "history_sample.csv",
                "mapping_id": self.mapping.id,
                "settings_json": json.dumps(self.mapping._get_import_settings()),
            },
            file_path=DATA,
        )
        self.assertEqual(run.file_path, DATA)
        self.assertEqual(run.user_id, self.user_hub_manager)
        run.action_process()
        self.assertEqual(run.state, "done", run.error_message)
        self.assertEqual(run.orders_created, 4)

    def test_name_stays_editable(self):
        run = self._manager_run()
        run.write({"name": "Shop history 2010"})
        self.assertEqual(run.name, "Shop history 2010")

    # === 2. the run's user === #

    def test_client_cannot_change_the_user_of_a_run(self):
        run = self._manager_run()
        with self.assertRaises(AccessError):
            run.write({"user_id": self.env.ref("base.user_admin").id})
        with self.assertRaises(AccessError):
            run.write({"state": "queued"})
        with self.assertRaises(AccessError):
            run.write({"summary_html": "<p>forged</p>"})
        self.assertEqual(run.user_id, self.user_hub_manager)

    def test_queued_run_is_processed_as_its_creator(self):
        Run = self.env["cou.history.import.run"].with_user(self.user_hub_manager)
        run = Run._import_create_run(
            {
                "company_id": self.company_a.id,
                "file_name": "history_sample.csv",
                "mapping_id": self.mapping.id,
                "settings_json": json.dumps(self.mapping._get_import_settings()),
                "attachment_id": self.env["ir.attachment"]
                .create({"name": "h.csv", "raw": self.content})
                .id,
            }
        )
        run.action_queue()
        self.assertEqual(run.state, "queued")
        seen = []
        original = type(Run)._import_execute

        def spy(self_run, *args, **kwargs):
            seen.append(self_run.env.uid)
            return original(self_run, *args, **kwargs)

        self.patch(type(Run), "_import_execute", spy)
        self.patch(self.env.cr, "commit", lambda: None)  # the job commits per batch
        self.env["cou.history.import.run"]._cron_process_queued()
        self.assertEqual(seen, [self.user_hub_manager.id])
        self.assertEqual(run.state, "done", run.error_message)
        self.assertEqual(run.order_ids.create_uid, self.user_hub_manager)

    # === 3. the rights of what the import writes === #

    def test_manager_without_sales_rights_cannot_import(self):
        before = self._counts()
        with self.assertRaises(AccessError):
            self._wizard(self.user_hub_only).action_import()
        self.assertEqual(self._counts(), before, "nothing half-written")
        self.assertFalse(
            self.env["cou.history.import.run"].search(
                [("create_uid", "=", self.user_hub_only.id)]
            )
        )

    def test_import_into_a_company_of_someone_else_is_refused(self):
        Run = self.env["cou.history.import.run"].with_user(self.user_hub_only)
        with self.assertRaisesRegex(AccessError, "not one of your companies"):
            Run._import_check_document_rights({}, company=self.company_b)

    def test_invoices_need_invoicing_rights(self):
        """A salesman manager may import orders but not create invoices."""
        user = new_test_user(
            self.env,
            login="cou_hub_sales_only",
            groups="base.group_user,sales_team.group_sale_salesman,"
            "crm_order_unified.group_crm_order_unified_manager",
            company_id=self.company_a.id,
            company_ids=[self.company_a.id],
        )
        Run = self.env["cou.history.import.run"].with_user(user)
        Run._import_check_document_rights({})  # orders: allowed
        self.env["sale.order"].with_user(user).browse().check_access("create")
        with self.assertRaises(AccessError):
            Run._import_check_document_rights({"create_invoices": True})

    def test_order_record_rules_apply_to_bulk_written_orders(self):
        """Orders written by COPY are checked against the record rules, as
        the ORM checks those it creates: a rule refusing them rolls the batch
        back and fails the run."""
        self.env["ir.rule"].create(
            {
                "name": "COU test: nobody may create orders",
                "model_id": self.env.ref("sale.model_sale_order").id,
                "domain_force": "[('id', '=', 0)]",
                "perm_read": False,
                "perm_write": False,
                "perm_unlink": False,
                "perm_create": True,
            }
        )
        orders_before = self.env["sale.order"].search_count([])
        run = self._manager_run()
        self.assertEqual(run.state, "failed")
        self.assertIn("orders", run.error_message)
        self.assertEqual(self.env["sale.order"].search_count([]), orders_before)
