import csv
import gzip
import io
from datetime import datetime

from odoo import api, models
from odoo.exceptions import UserError

# Bytes looked at to choose between UTF-8 and Latin-1.
ENCODING_SAMPLE_BYTES = 65536


class CouHistoryImportReader(models.AbstractModel):
    """Read an order-history file (CSV, gzipped CSV or XLSX) as rows of strings.

    The rows are streamed, header first, so a file of millions of lines is
    never held in memory, and every physical row is yielded (blank ones too)
    so that the row numbers of the rejected-rows report are the file's own.
    ``base_import``'s readers (``_read_csv``, ``_read_xlsx``) do not fit here:
    they load the whole file, drop blank rows (which would shift the reported
    row numbers), guess the encoding with chardet on the whole content and
    only read uploaded content, not a file on the server.
    """

    _name = "cou.history.import.reader"
    _description = "Order History Import File Reader"

    # === BUSINESS METHODS === #

    @api.model
    def _read_rows(self, content=None, path=None, file_name="", delimiter=","):
        """Iterate over the rows of a CSV (optionally gzipped) or XLSX file,
        header first, each row a list of strings.

        :param bytes content: the file's content, or None to read ``path``
        :param str path: a file on the server (command-line imports)
        :param str file_name: the file's name, to recognise XLSX files
        :param str delimiter: the CSV delimiter
        """
        name = (file_name or path or "").lower()
        head = self._read_head_bytes(content, path)
        if name.endswith((".xlsx", ".xlsm")) or head[:2] == b"PK":
            yield from self._read_xlsx(content, path)
            return
        if head[:2] == b"\x1f\x8b":
            raw = (
                gzip.open(path)
                if content is None
                else gzip.GzipFile(fileobj=io.BytesIO(content))
            )
        else:
            # buffered, as a file on the server is: the encoding check peeks at it
            raw = (
                open(path, "rb")  # noqa: SIM115 (closed by the with below)
                if content is None
                else io.BufferedReader(io.BytesIO(content))
            )
        with raw:
            yield from self._read_csv(raw, delimiter)

    @api.model
    def _read_head_bytes(self, content, path):
        """The first bytes of the file: enough to recognise gzip and XLSX."""
        if content is None:
            with open(path, "rb") as f:
                return f.read(4)
        return content[:4]

    @api.model
    def _read_csv_encoding(self, raw):
        """UTF-8 (with or without BOM) unless the start of the file is not
        UTF-8, then Latin-1 (the usual encoding of old exports)."""
        sample = (
            raw.peek(ENCODING_SAMPLE_BYTES)[:ENCODING_SAMPLE_BYTES]
            if hasattr(raw, "peek")
            else b""
        )
        try:
            sample.decode("utf-8")
        except UnicodeDecodeError as e:
            if e.start < len(sample) - 4:  # not a character cut by the sample's end
                return "latin-1"
        return "utf-8-sig"

    @api.model
    def _read_csv(self, raw, delimiter):
        """The rows of an open binary CSV stream; UserError on a CSV error."""
        text = io.TextIOWrapper(
            raw, encoding=self._read_csv_encoding(raw), errors="replace", newline=""
        )
        reader = csv.reader(text, delimiter=delimiter)
        try:
            yield from reader
        except csv.Error as e:
            raise UserError(
                self.env._(
                    "This file cannot be read as CSV near line %(line)s: %(error)s",
                    line=reader.line_num,
                    error=e,
                )
            ) from e

    @api.model
    def _read_xlsx(self, content, path):
        """The rows of the first sheet of a workbook, read in streaming mode."""
        try:
            import openpyxl  # noqa: PLC0415 (optional library, needed for XLSX only)
        except ImportError as e:
            raise UserError(
                self.env._("Reading XLSX files needs the openpyxl library.")
            ) from e
        try:
            book = openpyxl.load_workbook(
                path if content is None else io.BytesIO(content),
                read_only=True,
                data_only=True,
            )
        except Exception as e:
            raise UserError(
                self.env._(
                    "This file cannot be read as an Excel workbook: %(error)s", error=e
                )
            ) from e
        sheet = book.worksheets[0]
        for values in sheet.iter_rows(values_only=True):
            yield [self._read_xlsx_cell(value) for value in values]
        book.close()

    @api.model
    def _read_xlsx_cell(self, value):
        """One cell as the text a CSV export would hold."""
        if value is None:
            return ""
        if isinstance(value, datetime):
            return value.strftime("%Y-%m-%d %H:%M:%S")
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value)
