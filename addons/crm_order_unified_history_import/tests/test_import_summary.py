import json

from odoo.tests import tagged

from .common import CouHistoryImportCommon

SCRIPT = "<script>alert('x')</script>"


@tagged("post_install", "-at_install")
class TestImportSummary(CouHistoryImportCommon):
    """The report of a run comes from a QWeb template: file values are text,
    never markup."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.groups_id += cls.env.ref(
            "crm_order_unified.group_crm_order_unified_manager"
        )
        cls.env = cls.env(context=dict(cls.env.context, cou_import_no_commit=True))
        cls.mapping = cls.env.ref(
            "crm_order_unified_history_import.cou_history_import_mapping_generic"
        )
        header = (
            "order_ref,date,customer_ref,customer_name,customer_email,country,"
            "product_code,product_name,quantity,unit_price,currency\n"
        )
        cls.content = (
            header
            + f'SO1,2023-01-10 09:00:00,,"{SCRIPT}",,,P1,"{SCRIPT}",1,2.5,\n'
            + f'SO2,2023-01-10 09:00:00,C2,Beta,,"{SCRIPT}",P1,Mug,1,0,\n'
        ).encode()

    def _assert_escaped(self, html):
        self.assertNotIn("<script>", html)
        self.assertIn("&lt;script&gt;", html)

    def test_summary_escapes_file_values(self):
        Run = self.env["cou.history.import.run"]
        parsed = Run._import_analyze(
            Run._import_read_rows(content=self.content, file_name="x.csv"),
            self.mapping._get_import_settings(),
            {"cancel_mode": "net"},
            self.company_a,
        )
        html = str(Run._import_summary_html(parsed))
        self._assert_escaped(html)
        self.assertIn("Zero price", html)
        self.assertIn("New customers (first ones)", html)
        # the customer name, the product name and the rejected row's content
        self.assertEqual(html.count("&lt;script&gt;"), 3)

    def test_summary_of_run_is_escaped_and_sanitized(self):
        attachment = self.env["ir.attachment"].create(
            {"name": "x.csv", "raw": self.content}
        )
        Run = self.env["cou.history.import.run"]
        run = Run._import_create_run(
            {
                "company_id": self.company_a.id,
                "file_name": "x.csv",
                "attachment_id": attachment.id,
                "mapping_id": self.mapping.id,
                "settings_json": json.dumps(self.mapping._get_import_settings()),
            }
        )
        run.action_process()
        self.assertEqual(run.state, "done", run.error_message)
        self._assert_escaped(run.summary_html)
        self.assertTrue(Run._fields["summary_html"].sanitize)
