import base64
import os

from odoo.addons.crm_order_unified.tests.common_tour import CouTourCase

DATA = os.path.join(os.path.dirname(__file__), "data", "history_sample.csv")


class TestImportTour(CouTourCase):
    """[import] The order history wizard end to end in the browser, and the
    live progress of a background import."""

    def test_import_wizard_tour(self):
        self.env.ref("base.user_admin").groups_id += self.env.ref(
            "crm_order_unified.group_crm_order_unified_manager"
        )
        with open(DATA, "rb") as f:
            self.env["ir.attachment"].create(
                {
                    "name": "cou_import_tour_sample.csv",
                    "datas": base64.b64encode(f.read()),
                }
            )
        (self.env.ref("base.GBP") | self.env.ref("base.EUR")).active = True
        self.start_tour(
            "/odoo/action-crm_order_unified_history_import.cou_history_import_action",
            "crm_order_unified_import_tour",
            login="admin",
        )
        run = self.env["cou.history.import.run"].search([], limit=1)
        self.assertEqual(run.state, "done", run.error_message)
        self.assertEqual((run.orders_created, run.rows_rejected), (4, 9))

    def test_import_progress_tour(self):
        self.env.ref("base.user_admin").groups_id += self.env.ref(
            "crm_order_unified.group_crm_order_unified_manager"
        )
        run = self.env["cou.history.import.run"].create(
            {
                "name": "Tour running import",
                "file_name": "big.csv",
                "lines_total": 10,
                "orders_total": 2,
            }
        )
        run.state = "running"
        # the background worker's progress, written server-side as the job does
        self.env["ir.actions.server"].create(
            {
                "name": "Tour: the import worker commits a batch",
                "model_id": self.env.ref(
                    "crm_order_unified_history_import.model_cou_history_import_run"
                ).id,
                "state": "code",
                "code": f"model.browse({run.id})._import_write("
                "{'lines_created': 5, 'orders_created': 1})",
            }
        )
        self.start_tour(
            f"/odoo/action-crm_order_unified_history_import.cou_history_import_run_action/{run.id}",
            "crm_order_unified_import_progress_tour",
            login="admin",
        )
