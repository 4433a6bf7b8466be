import csv
import io
from datetime import datetime

from odoo.exceptions import UserError
from odoo.tests import tagged

from ..models.cou_history_import_parser import (
    CustomerKey,
    ParsedLine,
    ParsedOrder,
    RejectedRow,
)
from .common import CouHistoryImportCommon

ROWS = """\
order_ref,date,customer_ref,customer_name,customer_email,country,\
product_code,product_name,quantity,unit_price,currency
SO1,2023-01-10 09:00,C1,Alpha,A@x.com,France,P1,Mug,10,2.5,
SO1,2023-01-10 09:00,C1,Alpha,A@x.com,France,POST,Postage,1,18,
SO1,2023-01-10 09:00,C1,Alpha,A@x.com,France,P1,Mug,10,2.5,
SO2,not a date,C2,,,,P1,Mug,1,2.5,
SO3,2023-02-01 10:00,,,b@x.com,Atlantis,P2,,3,4,
C4,2023-03-01 10:00,C1,Alpha,,,P1,Mug,-4,2.5,
"""
HEADER = ROWS.splitlines()[0].split(",")


@tagged("post_install", "-at_install")
class TestImportParser(CouHistoryImportCommon):
    """cou.history.import.parser: rows become named orders, lines and
    rejections, never positions."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.groups_id += cls.env.ref(
            "crm_order_unified.group_crm_order_unified_manager"
        )
        cls.Parser = cls.env["cou.history.import.parser"]
        cls.mapping = cls.env.ref(
            "crm_order_unified_history_import.cou_history_import_mapping_generic"
        )
        cls.settings = cls.mapping._get_import_settings()
        cls.options = {
            "cancel_mode": "net",
            "non_product_mode": "service",
            "missing_customer_mode": "reject",
        }
        cls.rows = list(csv.reader(io.StringIO(ROWS)))

    def _parse(self, rows=None, options=None):
        return self.Parser._parse(
            rows or self.rows,
            self.settings,
            options or self.options,
            self.company_a,
        )

    def test_parser_named_rows(self):
        parsed = self._parse()
        self.assertEqual(parsed["header"], HEADER)
        self.assertEqual(parsed["rows_total"], 6)
        self.assertEqual(sorted(parsed["orders"]), ["C4", "SO1", "SO3"])
        so1 = parsed["orders"]["SO1"]
        self.assertIsInstance(so1, ParsedOrder)
        self.assertEqual(so1.ref, "SO1")
        self.assertEqual(so1.date, datetime(2023, 1, 10, 9, 0))
        self.assertEqual(so1.customer_key, CustomerKey(kind="ref", value="C1"))
        self.assertEqual(so1.customer_name, "Alpha")
        self.assertEqual(so1.customer_email, "a@x.com")
        self.assertEqual(so1.country_id, self.env.ref("base.fr").id)
        self.assertEqual(so1.currency_id, self.company_a.currency_id.id)
        self.assertFalse(so1.is_cancel)
        mug, post = so1.lines
        self.assertIsInstance(mug, ParsedLine)
        self.assertEqual(
            (mug.line_no, mug.code, mug.name, mug.qty, mug.price, mug.rownum),
            (1, "P1", "Mug", 10.0, 2.5, 2),
        )
        self.assertFalse(mug.is_service)
        self.assertIsNone(mug.raw, "only cancellation lines keep their row")
        self.assertEqual((post.line_no, post.code), (2, "POST"))
        self.assertTrue(post.is_service, "POST is a non-product code of the preset")
        so3 = parsed["orders"]["SO3"]
        self.assertEqual(so3.customer_key, CustomerKey("email", "b@x.com"))
        self.assertFalse(so3.country_id)
        self.assertEqual(parsed["unknown_countries"], {"Atlantis": 1})
        c4 = parsed["orders"]["C4"]
        self.assertTrue(c4.is_cancel)
        self.assertEqual(c4.lines[0].raw, self.rows[6])
        self.assertEqual(
            parsed["rejected"],
            [
                RejectedRow(rownum=4, reason="duplicate", detail="2", row=self.rows[3]),
                RejectedRow(
                    rownum=5, reason="bad_date", detail="not a date", row=self.rows[4]
                ),
            ],
        )

    def test_parser_net_cancellations(self):
        parsed = self._parse()
        self.Parser._net_cancellations(parsed)
        self.assertNotIn("C4", parsed["orders"], "a netted cancellation is no order")
        self.assertEqual(parsed["orders"]["SO1"].lines[0].qty, 6.0)
        self.assertEqual(parsed["netted"], 1)

    def test_parser_unmatched_cancellation_is_rejected(self):
        rows = [
            HEADER,
            ["C9", "2023-03-01 10:00", "C1", "", "", "", "P9", "", "-1", "2", ""],
        ]
        parsed = self._parse(rows)
        self.Parser._net_cancellations(parsed)
        self.assertEqual(
            parsed["rejected"],
            [RejectedRow(2, "unmatched_cancel", "1.0", rows[1])],
        )

    def test_parser_analyze_matches_by_key(self):
        partner = self.env["res.partner"].create({"name": "Alpha", "ref": "C1"})
        parsed = self.Parser._analyze(
            self.rows, self.settings, self.options, self.company_a
        )
        self.assertEqual([o.ref for o in parsed["todo"]], ["SO1", "SO3"])
        self.assertEqual(parsed["customers"], {CustomerKey("ref", "C1"): partner.id})
        new = parsed["new_customers"][CustomerKey("email", "b@x.com")]
        self.assertEqual((new["name"], new["email"]), ("b@x.com", "b@x.com"))
        self.assertEqual(set(parsed["new_products"]), {"P1", "POST", "P2"})
        self.assertEqual(parsed["new_products"]["POST"]["type"], "service")
        self.assertEqual(parsed["lines_total"], 3)

    def test_parser_column_errors(self):
        with self.assertRaisesRegex(UserError, "empty"):
            self._parse(rows=iter([]))
        with self.assertRaisesRegex(UserError, "not in the file: order_ref"):
            self.Parser._column_indexes(HEADER[1:], self.settings)
