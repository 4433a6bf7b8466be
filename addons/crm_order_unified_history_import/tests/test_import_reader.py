import gzip
import io
import os
import tempfile
from datetime import datetime

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import CouHistoryImportCommon

CSV = (
    "order_ref,date,customer_name,quantity\r\n"
    "SO1,2023-01-10 09:00:00,Caf\u00e9 Alpha,10\r\n"
    "\r\n"
    'SO2,2023-01-11 10:00:00,"Beta, Ltd",2\r\n'
)
ROWS = [
    ["order_ref", "date", "customer_name", "quantity"],
    ["SO1", "2023-01-10 09:00:00", "Caf\u00e9 Alpha", "10"],
    [],
    ["SO2", "2023-01-11 10:00:00", "Beta, Ltd", "2"],
]


@tagged("post_install", "-at_install")
class TestImportReader(CouHistoryImportCommon):
    """cou.history.import.reader: CSV (UTF-8 or Latin-1, any delimiter),
    gzipped CSV and XLSX, from content or from a file on the server."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Reader = cls.env["cou.history.import.reader"]

    def _read(self, **kwargs):
        return list(self.Reader._read_rows(**kwargs))

    def _tmp_file(self, suffix, content):
        fd, path = tempfile.mkstemp(suffix=suffix)
        with os.fdopen(fd, "wb") as f:
            f.write(content)
        self.addCleanup(os.remove, path)
        return path

    def test_reader_csv_utf8_keeps_blank_rows(self):
        """Blank rows are read too: the parser counts them, so the row numbers
        of the rejected-rows report are the file's own."""
        self.assertEqual(
            self._read(content=CSV.encode("utf-8"), file_name="x.csv"), ROWS
        )

    def test_reader_csv_bom_latin1_and_delimiter(self):
        bom = b"\xef\xbb\xbf" + CSV.encode("utf-8")
        self.assertEqual(self._read(content=bom, file_name="x.csv"), ROWS)
        latin1 = CSV.encode("latin-1")
        self.assertEqual(self._read(content=latin1, file_name="x.csv"), ROWS)
        semicolon = b"a;b\r\n1,5;2\r\n"
        self.assertEqual(
            self._read(content=semicolon, file_name="x.csv", delimiter=";"),
            [["a", "b"], ["1,5", "2"]],
        )

    def test_reader_csv_gzip(self):
        content = gzip.compress(CSV.encode("utf-8"))
        self.assertEqual(self._read(content=content, file_name="x.csv.gz"), ROWS)
        path = self._tmp_file(".csv.gz", content)
        self.assertEqual(self._read(path=path, file_name=path), ROWS)

    def test_reader_csv_path(self):
        path = self._tmp_file(".csv", CSV.encode("utf-8"))
        self.assertEqual(self._read(path=path), ROWS)

    def test_reader_csv_error(self):
        content = b'a,b\n1,"' + b"x" * 200000 + b'"\n'
        with self.assertRaisesRegex(UserError, "cannot be read as CSV near line 2"):
            self._read(content=content, file_name="x.csv")

    def test_reader_xlsx(self):
        import openpyxl  # noqa: PLC0415 (optional library, as in the reader)

        book = openpyxl.Workbook()
        sheet = book.active
        sheet.append(["order_ref", "date", "customer_ref", "unit_price", "note"])
        sheet.append(["SO1", datetime(2023, 1, 10, 9, 0), 12345.0, 2.5, None])
        sheet.append(["SO2", "2023-01-11 10:00:00", 678, 15, "ok"])
        buf = io.BytesIO()
        book.save(buf)
        expected = [
            ["order_ref", "date", "customer_ref", "unit_price", "note"],
            ["SO1", "2023-01-10 09:00:00", "12345", "2.5", ""],
            ["SO2", "2023-01-11 10:00:00", "678", "15", "ok"],
        ]
        content = buf.getvalue()
        self.assertEqual(self._read(content=content, file_name="x.xlsx"), expected)
        # recognised by its content whatever its name
        self.assertEqual(self._read(content=content, file_name="x.csv"), expected)
        path = self._tmp_file(".xlsx", content)
        self.assertEqual(self._read(path=path), expected)

    def test_reader_xlsx_broken(self):
        with self.assertRaisesRegex(UserError, "Excel workbook"):
            self._read(content=b"PK\x03\x04 not a workbook", file_name="x.xlsx")
