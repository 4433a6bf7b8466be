import base64
import csv
import io
import json
import os
from datetime import date, datetime
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import SQL

from ..models.cou_history_import_writer import _copy_text
from .common import CouHistoryImportCommon

DATA = os.path.join(os.path.dirname(__file__), "data", "history_sample.csv")
Run = (
    "odoo.addons.crm_order_unified_history_import.models.cou_history_import_run"
    ".CouHistoryImportRun"
)


@tagged("post_install", "-at_install")
class TestImportHistory(CouHistoryImportCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.groups_id += cls.env.ref(
            "crm_order_unified.group_crm_order_unified_manager"
        )
        cls.env = cls.env(context=dict(cls.env.context, cou_import_no_commit=True))
        cls.user_hub_manager = cls.user_hub_manager.with_context(
            cou_import_no_commit=True
        )
        # 1 USD (company currency) = 0.8 GBP; EUR comes from CouCommon (1 USD = 2 EUR)
        cls.currency_gbp = cls.setup_other_currency("GBP", rates=[("2000-01-01", 0.8)])
        cls.pricelist_gbp = cls.env["product.pricelist"].create(
            {"name": "COU GBP", "currency_id": cls.currency_gbp.id, "company_id": False}
        )
        cls.mapping = cls.env.ref(
            "crm_order_unified_history_import.cou_history_import_mapping_generic"
        )
        with open(DATA, "rb") as f:
            cls.content = f.read()

    def _run(self, **kw):
        vals = {
            "company_id": self.company_a.id,
            "file_name": "history_sample.csv",
            "file_path": DATA,
            "mapping_id": self.mapping.id,
            "settings_json": json.dumps(self.mapping._get_import_settings()),
        }
        vals.update(kw)
        # as the command line does (tools/import_history.py): file paths are
        # for the import's own entry point only
        file_path = vals.pop("file_path")
        return self.env["cou.history.import.run"]._import_create_run(
            vals, file_path=file_path
        )

    def _imported(self, ref):
        return self.env["sale.order"].search(
            [("cou_import_ref", "=", ref), ("company_id", "=", self.company_a.id)]
        )

    def _counts(self):
        return (
            self.env["sale.order"].search_count([]),
            self.env["sale.order.line"].search_count([]),
            self.env["res.partner"].with_context(active_test=False).search_count([]),
            self.env["product.product"]
            .with_context(active_test=False)
            .search_count([]),
        )

    # === DRY RUN === #

    def test_import_dry_run_counts_and_writes_nothing(self):
        before = self._counts()
        wizard = (
            self.env["cou.history.import"]
            .with_user(self.user_hub_manager)
            .create(
                {
                    "file": base64.b64encode(self.content),
                    "file_name": "history_sample.csv",
                }
            )
        )
        wizard.action_load_file()
        self.assertEqual(wizard.state, "map")
        self.assertEqual(
            wizard.mapping_id,
            self.mapping,
            "the generic preset is detected from the header",
        )
        self.assertEqual(wizard.col_order_ref, "order_ref")
        wizard.action_dry_run()
        self.assertEqual(self._counts(), before, "a dry run writes nothing")
        self.assertEqual(wizard.state, "preview")
        self.assertEqual(wizard.rows_total, 17)
        self.assertEqual(
            wizard.orders_count, 4
        )  # SO1001, SO1002, SO1003 (netted), SO1011
        self.assertEqual(wizard.lines_count, 7)
        self.assertEqual(wizard.customers_count, 3)
        self.assertEqual(wizard.products_count, 5)  # P100 P200 POST P300 P400
        self.assertEqual(wizard.rows_rejected, 9)
        rejected = list(
            csv.reader(io.StringIO(base64.b64decode(wizard.rejected_file).decode()))
        )
        reasons = {rownum: reason for rownum, reason, *_rest in rejected[1:]}
        self.assertEqual(
            reasons,
            {
                "4": "Duplicate of an earlier row",
                "9": "Day and month could be swapped: set the date format of the file",
                "10": "Unknown currency",
                "11": "Zero price",
                "12": "Missing product code",
                "13": "Missing customer",
                "15": "Adjustment row: dropped",
                "17": "Negative quantity without cancellation marker (stock write-off)",
                "18": "Bad quantity",
            },
        )
        self.assertIn("Zero price", wizard.summary_html)
        self.assertIn(
            "Alpha Gifts",
            wizard.summary_html,
            "the preview lists the customers to create",
        )

    def test_import_wizard_bad_input(self):
        Wizard = self.env["cou.history.import"].with_user(self.user_hub_manager)
        empty = Wizard.create({"file": base64.b64encode(b""), "file_name": "empty.csv"})
        with self.assertRaises(UserError):
            empty.action_load_file()
        wizard = Wizard.create(
            {"file": base64.b64encode(self.content), "file_name": "history_sample.csv"}
        )
        wizard.action_load_file()
        wizard.col_price = "no_such_column"
        with self.assertRaisesRegex(UserError, "no_such_column"):
            wizard.action_dry_run()
        with self.assertRaises(UserError):
            self.env["cou.history.import"].with_user(self.user_salesman).create(
                {"file": base64.b64encode(self.content), "file_name": "x.csv"}
            ).action_dry_run()

    # === REAL RUN === #

    def test_import_real_run(self):
        wizard = (
            self.env["cou.history.import"]
            .with_user(self.user_hub_manager)
            .create(
                {
                    "file": base64.b64encode(self.content),
                    "file_name": "history_sample.csv",
                }
            )
        )
        wizard.action_load_file()
        action = wizard.action_import()
        run = self.env["cou.history.import.run"].browse(action["res_id"])
        self.assertEqual(run.state, "done", run.error_message)
        self.assertEqual(
            (run.orders_created, run.lines_created, run.rows_rejected), (4, 7, 9)
        )
        self.assertEqual((run.customers_created, run.products_created), (3, 5))
        orders = run.order_ids
        self.assertEqual(len(orders), 4)
        self.assertTrue(
            all(o.state == "sale" and o.locked and o.cou_imported for o in orders)
        )
        tag = self.env.ref("crm_order_unified_history_import.crm_tag_cou_imported")
        self.assertTrue(all(tag in o.tag_ids for o in orders))
        self.assertFalse(orders.picking_ids, "no stock moves")
        self.assertFalse(orders.invoice_ids, "no accounting entries")

        so1001 = self._imported("SO1001")
        self.assertEqual(so1001.name, "SO1001")
        self.assertEqual(so1001.currency_id, self.currency_gbp)
        self.assertEqual(so1001.date_order, datetime(2023, 1, 10, 9, 0))
        self.assertEqual(so1001.amount_untaxed, 10 * 2.5 + 2 * 15 + 18)
        self.assertEqual(so1001.amount_total, so1001.amount_untaxed)
        self.assertAlmostEqual(so1001.currency_rate, 0.8)
        self.assertEqual(so1001.partner_id.ref, "CUST1")
        self.assertEqual(so1001.partner_id.email, "alpha@example.com")
        self.assertEqual(so1001.partner_id.country_id.code, "GB")
        post = so1001.order_line.filtered(
            lambda line: line.product_id.default_code == "POST"
        )
        self.assertEqual(
            post.product_id.type, "service", "non-product codes become services"
        )
        self.assertEqual(
            sorted(so1001.order_line.mapped("cou_import_key")),
            ["SO1001#1", "SO1001#2", "SO1001#4"],
        )

        so1002 = self._imported("SO1002")  # multi-currency
        self.assertEqual(so1002.currency_id, self.currency_eur)
        self.assertEqual(so1002.pricelist_id, self.pricelist_eur)
        self.assertAlmostEqual(so1002.currency_rate, 2.0)
        self.assertAlmostEqual(so1002.amount_untaxed, 24 * 2.1 + 6 * 7.95)
        self.assertEqual(so1002.partner_id.country_id.code, "FR")
        self.assertEqual(so1002.order_line[1].name, "[P300] Green Vase, large")

        # C1009 cancelled 4 of the 5 units of SO1003 (net mode)
        self.assertFalse(self._imported("C1009"))
        self.assertEqual(self._imported("SO1003").order_line.product_uom_qty, 1)
        self.assertEqual(self._imported("SO1011").partner_id.country_id.code, "US")
        self.assertEqual(run.rejected_file_name, "history_sample-rejected.csv")

    def test_import_refund_mode(self):
        run = self._run(cancel_mode="refund")
        run.action_process()
        self.assertEqual(run.state, "done", run.error_message)
        refund = self._imported("C1009")
        self.assertEqual(refund.order_line.product_uom_qty, -4)
        self.assertEqual(refund.amount_untaxed, -10.0)
        self.assertEqual(self._imported("SO1003").order_line.product_uom_qty, 5)

    def test_import_non_product_rejected_and_guest(self):
        run = self._run(non_product_mode="reject", missing_customer_mode="guest")
        run.action_process()
        self.assertEqual(run.state, "done", run.error_message)
        self.assertFalse(
            self._imported("SO1001").order_line.filtered(
                lambda line: line.product_id.default_code == "POST"
            )
        )
        guest_order = self._imported("SO1008")
        self.assertEqual(guest_order.partner_id.ref, "COU-IMPORT-GUEST")

    def test_import_idempotent_rerun(self):
        first = self._run()
        first.action_process()
        counts = self._counts()
        second = self._run()
        second.action_process()
        self.assertEqual(second.state, "done")
        self.assertEqual(second.orders_created, 0)
        self.assertEqual(second.orders_skipped, 4)
        self.assertEqual(self._counts(), counts, "a re-run duplicates nothing")

    def test_import_resume_after_failure(self):
        run = self._run(batch_size=1)  # one order per batch
        original = type(run)._import_write_batch
        calls = []

        def failing(self, batch, cache, commit):
            calls.append(batch[0].ref)
            if len(calls) == 3:
                raise ValueError("disk full")
            return original(self, batch, cache, commit)

        with patch(f"{Run}._import_write_batch", failing):
            run.action_process()
        self.assertEqual(run.state, "failed")
        self.assertIn("disk full", run.error_message)
        self.assertEqual(run.orders_created, 2, "the batches before the failure are in")
        self.assertFalse(
            self._imported(calls[2]), "the failed batch is not half-written"
        )
        run.action_process()
        self.assertEqual(run.state, "done", run.error_message)
        self.assertEqual(run.orders_created, 4)
        self.assertEqual(
            len(self.env["sale.order"].search([("cou_import_run_id", "=", run.id)])), 4
        )
        self.assertEqual(
            self.env["sale.order"].search_count(
                [("cou_import_ref", "in", ["SO1001", "SO1002", "SO1003", "SO1011"])]
            ),
            4,
        )

    def test_import_xlsx(self):
        import openpyxl  # noqa: PLC0415

        book = openpyxl.Workbook()
        sheet = book.active
        for row in csv.reader(io.StringIO(self.content.decode())):
            sheet.append(row)
        buf = io.BytesIO()
        book.save(buf)
        wizard = (
            self.env["cou.history.import"]
            .with_user(self.user_hub_manager)
            .create(
                {"file": base64.b64encode(buf.getvalue()), "file_name": "history.xlsx"}
            )
        )
        wizard.action_load_file()
        wizard.action_dry_run()
        self.assertEqual((wizard.orders_count, wizard.lines_count), (4, 7))

    # === NOTES === #
    # the rows are what the ORM writes

    def _row(self, table, record_id):
        self.env.flush_all()
        self.env.cr.execute(
            SQL("SELECT * FROM %s WHERE id = %s", SQL.identifier(table), record_id)
        )
        return self.env.cr.dictfetchone()

    def test_import_rows_equal_orm(self):
        self._run().action_process()
        for ref, pricelist in (("SO1011", None), ("SO1002", self.pricelist_eur)):
            imported = self._imported(ref)
            vals = {
                "partner_id": imported.partner_id.id,
                "company_id": self.company_a.id,
                "date_order": imported.date_order,
                "order_line": [
                    Command.create(
                        {
                            "product_id": line.product_id.id,
                            "product_uom_qty": line.product_uom_qty,
                            "price_unit": line.price_unit,
                            "tax_id": [Command.clear()],
                            "name": line.name,
                        }
                    )
                    for line in imported.order_line
                ],
            }
            if pricelist:
                vals["pricelist_id"] = pricelist.id
            manual = self.env["sale.order"].create(vals)
            # what action_confirm writes, without launching deliveries
            manual.write({"state": "sale", "date_order": imported.date_order})
            manual.action_lock()
            ignore = {
                "id",
                "name",
                "create_date",
                "write_date",
                "access_token",
                "origin",
                "validity_date",
                "cou_imported",
                "cou_import_ref",
                "cou_import_run_id",
            }
            got, want = (
                self._row("sale_order", imported.id),
                self._row("sale_order", manual.id),
            )
            diff = {
                k: (got[k], want[k])
                for k in want
                if k not in ignore and got[k] != want[k]
            }
            self.assertFalse(diff, f"{ref}: sale_order columns differ (imported, ORM)")
            for imp_line, man_line in zip(
                imported.order_line, manual.order_line, strict=False
            ):
                got, want = (
                    self._row("sale_order_line", imp_line.id),
                    self._row("sale_order_line", man_line.id),
                )
                ignore = {
                    "id",
                    "order_id",
                    "create_date",
                    "write_date",
                    "cou_import_key",
                }
                diff = {
                    k: (got[k], want[k])
                    for k in want
                    if k not in ignore and got[k] != want[k]
                }
                self.assertFalse(
                    diff, f"{ref}: sale_order_line columns differ (imported, ORM)"
                )

    def _check_line_rows_text(self, **run_values):
        """Import with ``run_values``; every line's COPY text must be the row
        of ``_prepare_line_row`` formatted column by column."""
        Writer = type(self.env["cou.history.import.writer"])
        original = Writer._write_line_rows
        checked = []

        def write_line_rows(writer, cache, order, order_id, line_ids, write, end):
            parts = []
            result = original(
                writer, cache, order, order_id, line_ids, parts.append, end
            )
            expected = [
                "\t".join(
                    map(
                        _copy_text,
                        writer._prepare_line_row(cache, order, order_id, lid, line),
                    )
                )
                + end
                for lid, line in zip(line_ids, order.lines, strict=True)
            ]
            self.assertEqual(parts, expected, order.ref)
            checked.extend(parts)
            for part in parts:
                write(part)
            return result

        with patch.object(Writer, "_write_line_rows", write_line_rows):
            run = self._run(**run_values)
            run.action_process()
        self.assertEqual(run.state, "done")
        self.assertEqual(len(checked), run.lines_created)
        self.assertTrue(checked)

    def test_import_line_rows_text(self):
        self._check_line_rows_text()

    def test_import_line_rows_text_invoices(self):
        self._check_line_rows_text(create_invoices=True, cancel_mode="refund")

    def test_import_figures_equal_manual_history(self):
        """Customer 360 of an imported customer = the same history entered by hand."""
        self._run().action_process()
        imported = self._imported("SO1001").partner_id
        manual = self.env["res.partner"].create({"name": "COU Manual Alpha"})
        products = {
            p.default_code: p for p in self._imported("SO1001").order_line.product_id
        }
        for order_date, lines in (
            (
                "2023-01-10 09:00:00",
                [("P100", 10, 2.5), ("P200", 2, 15.0), ("POST", 1, 18.0)],
            ),
            ("2023-03-01 10:00:00", [("P100", 1, 2.5)]),
        ):
            order = self._cou_create_order(
                manual,
                lines=[(products[code], qty, price) for code, qty, price in lines],
                pricelist=self.pricelist_gbp,
                date=order_date,
            )
            order.order_line.product_id.invoice_policy = "order"
            with freeze_time(order_date):
                self._cou_invoice(order, date=order_date[:10])
        fnames = [
            "customer_order_count",
            "customer_lifetime_revenue",
            "customer_avg_order_value",
            "customer_first_order_date",
            "customer_last_order_date",
            "customer_order_interval_days",
            "customer_next_order_date",
        ]
        (imported | manual).invalidate_recordset()
        self.assertEqual(imported.customer_order_count, 2)
        self.assertAlmostEqual(
            imported.customer_lifetime_revenue, (73 + 2.5) / 0.8, places=2
        )
        for fname in fnames:
            self.assertEqual(imported[fname], manual[fname], fname)

    # === OPTIONS === #
    # invoices, return orders in the figures

    def test_import_refund_mode_figures(self):
        """A return order lowers the revenue (like a credit note) but is not an
        order: count, average and dates come from the sales only."""
        self._run(cancel_mode="refund").action_process()
        alpha = self._imported("SO1001").partner_id
        self.assertTrue(self._imported("C1009"), "the return order is imported")
        alpha.invalidate_recordset()
        self.assertEqual(
            alpha.customer_order_count,
            2,
            "SO1001 and SO1003; the return C1009 is not an order",
        )
        self.assertAlmostEqual(
            alpha.customer_avg_order_value, (73 + 12.5) / 2 / 0.8, delta=0.006
        )
        self.assertEqual(
            str(alpha.customer_last_order_date), "2023-03-01", "not the return's date"
        )
        self.assertAlmostEqual(
            alpha.customer_lifetime_revenue, (73 + 12.5 - 10) / 0.8, delta=0.011
        )

    def _assert_rfm_values_of_alpha(self, create_invoices):
        if "cou.rfm.score" not in self.env:
            self.skipTest("RFM scores come with crm_order_unified_segment")
        self._run(
            cancel_mode="refund", create_invoices=create_invoices
        ).action_process()
        alpha = self._imported("SO1001").partner_id.commercial_partner_id
        self.env.flush_all()
        self.env.cr.execute(
            self.env["cou.rfm.score"]._get_raw_values_query(
                self.company_a, date(2023, 12, 31), partner_ids=alpha.ids
            )
        )
        (row,) = self.env.cr.dictfetchall()
        self.assertEqual(
            row["frequency"], 2, "SO1001 and SO1003; the return C1009 is not an order"
        )
        self.assertEqual(
            str(row["last_order_date"]), "2023-03-01", "not the return's date"
        )
        # RFM monetary is Ordered Revenue: the return is left out, not subtracted
        self.assertAlmostEqual(float(row["monetary"]), (73 + 12.5) / 0.8, delta=0.011)

    def test_import_refund_mode_rfm_values(self):
        """RFM sees an imported return order as a refund: it is neither an
        order, nor ordered revenue, nor the last purchase."""
        self._assert_rfm_values_of_alpha(create_invoices=False)

    def test_import_refund_mode_rfm_values_with_invoices(self):
        """With its credit note created, the return stays out of RFM too."""
        self._assert_rfm_values_of_alpha(create_invoices=True)

    def test_import_create_invoices(self):
        """Invoices asked for: one posted invoice per order, a credit note per
        return order, dated on the order date, also for an existing product
        invoiced on delivery; revenue counted once."""
        existing = self.env["product.product"].create(
            {
                "name": "Blue Mug (existing)",
                "default_code": "P100",
                "type": "consu",
                "invoice_policy": "delivery",
                "taxes_id": [Command.clear()],
            }
        )
        run = self._run(cancel_mode="refund", create_invoices=True)
        run.action_process()
        self.assertEqual(run.state, "done", run.error_message)
        orders = run.order_ids
        self.assertEqual(len(orders), 5)
        self.assertIn(existing, orders.order_line.product_id)
        self.assertFalse(orders.picking_ids, "invoices only, no deliveries")
        for order in orders:
            invoice = order.invoice_ids
            self.assertEqual(len(invoice), 1, order.name)
            self.assertEqual(invoice.state, "posted", order.name)
            self.assertEqual(invoice.invoice_date, order.date_order.date(), order.name)
            self.assertEqual(invoice.currency_id, order.currency_id, order.name)
            self.assertAlmostEqual(
                invoice.amount_untaxed,
                abs(order.amount_untaxed),
                places=2,
                msg=order.name,
            )
            self.assertEqual(order.invoice_status, "invoiced", order.name)
        self.assertEqual(self._imported("C1009").invoice_ids.move_type, "out_refund")
        self.assertEqual(
            set((orders - self._imported("C1009")).invoice_ids.mapped("move_type")),
            {"out_invoice"},
        )
        alpha = self._imported("SO1001").partner_id
        alpha.invalidate_recordset()
        self.assertAlmostEqual(
            alpha.customer_lifetime_revenue, (73 + 12.5 - 10) / 0.8, delta=0.011
        )
        self.assertEqual(alpha.customer_order_count, 2)

    def test_import_unreadable_csv(self):
        """A CSV the reader rejects (a field over the csv module's limit) is a
        clear error, in the dry run and in the real run, and nothing is written."""
        content = (
            self.content
            + b'SO2000,2023-05-01 10:00:00,CUST1,"'
            + b"x" * 200000
            + b'",,,P100,Mug,1,2.5,GBP\n'
        )
        before = self._counts()
        wizard = (
            self.env["cou.history.import"]
            .with_user(self.user_hub_manager)
            .create({"file": base64.b64encode(content), "file_name": "broken.csv"})
        )
        wizard.action_load_file()
        with self.assertRaisesRegex(UserError, "line 19"):
            wizard.action_dry_run()
        self.assertEqual(self._counts(), before)
        attachment = self.env["ir.attachment"].create(
            {"name": "broken.csv", "raw": content}
        )
        run = self._run(
            file_path=False, attachment_id=attachment.id, file_name="broken.csv"
        )
        try:  # not assertRaises: its savepoint would roll back the "failed" state
            run.action_process()
        except UserError as e:
            self.assertIn("cannot be read as CSV", str(e))
        else:
            self.fail("an unreadable file must raise a UserError")
        self.assertEqual(run.state, "failed")
        self.assertIn("line 19", run.error_message)
        self.assertEqual(self._counts(), before, "nothing half-written")

    def test_import_create_deliveries(self):
        """Deliveries asked for: the goods of each order are delivered, done on
        the order date; services get no move, a return order gets a receipt."""
        run = self._run(cancel_mode="refund", create_deliveries=True)
        run.action_process()
        self.assertEqual(run.state, "done", run.error_message)
        so1001 = self._imported("SO1001")
        picking = so1001.picking_ids
        self.assertEqual(len(picking), 1)
        self.assertEqual(picking.state, "done")
        self.assertEqual(picking.date_done, so1001.date_order)
        self.assertEqual(set(picking.move_ids.mapped("date")), {so1001.date_order})
        self.assertEqual(
            sorted(picking.move_ids.mapped("product_id.default_code")),
            ["P100", "P200"],
            "no move for POST",
        )
        goods = so1001.order_line.filtered(lambda line: line.product_id.type == "consu")
        self.assertEqual(goods.mapped("qty_delivered"), goods.mapped("product_uom_qty"))
        receipt = self._imported("C1009").picking_ids
        self.assertEqual(len(receipt), 1, "a return order brings the goods back")
        self.assertEqual(receipt.state, "done")
        self.assertEqual(receipt.location_dest_id.usage, "internal")
        self.assertEqual(receipt.move_ids.quantity, 4)
        self.assertFalse(run.order_ids.invoice_ids, "deliveries only, no invoices")
        so1001.partner_id.invalidate_recordset()
        self.assertEqual(so1001.partner_id.customer_open_delivery_count, 0)
