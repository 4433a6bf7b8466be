import codecs
import csv
import gzip
import io
import zlib
from datetime import date, datetime, time

from odoo import api, models
from odoo.exceptions import UserError

# Bytes looked at to detect the encoding of a CSV file.
ENCODING_SAMPLE_BYTES = 65536
# Encodings a user can choose (column mixin's ``encoding``): (codec, label).
ENCODINGS = [
    ("utf-8", "UTF-8"),
    ("utf-16", "UTF-16"),
    ("cp932", "Shift_JIS (CP932)"),
    ("euc_jp", "EUC-JP"),
    ("iso2022_jp", "ISO-2022-JP"),
    ("cp1252", "Windows-1252"),
    ("latin-1", "Latin-1 (ISO-8859-1)"),
    ("iso8859_15", "Latin-9 (ISO-8859-15)"),
    ("cp1250", "Windows-1250"),
    ("cp1251", "Windows-1251"),
    ("gb18030", "GB18030"),
    ("big5", "Big5"),
    ("euc_kr", "EUC-KR"),
]
# chardet's names of the encodings that a wider codec reads the same way:
# Excel in Japan writes CP932 (Shift_JIS with Windows' extra characters), and
# Windows-1252 is Latin-1 with letters where Latin-1 has control codes.
CHARDET_CODECS = {
    "shift_jis": "cp932",
    "iso-8859-1": "cp1252",
    "ascii": "utf-8",
    "windows-1252": "cp1252",
    "euc-jp": "euc_jp",
    "iso-2022-jp": "iso2022_jp",
    "gb2312": "gb18030",
    "utf-8-sig": "utf-8",
}
GZIP_ERRORS = (OSError, EOFError, zlib.error)
# Tried when chardet finds no Japanese encoding, in this order.
JAPANESE_CODECS = ("cp932", "euc_jp")


class CouHistoryImportReader(models.AbstractModel):
    """Read an order-history file (CSV, gzipped CSV or XLSX) as rows of strings.

    The rows are streamed, header first, so a file of millions of lines is
    never held in memory, and every physical row is yielded (blank ones too)
    so that the row numbers of the rejected-rows report are the file's own.
    ``base_import``'s readers (``_read_csv``, ``_read_xlsx``) do not fit here:
    they load the whole file, drop blank rows (which would shift the reported
    row numbers) and only read uploaded content, not a file on the server.

    The encoding of a CSV file is detected on its first bytes (UTF-8 and BOMs
    first, then chardet, the library Odoo itself requires), or chosen by the
    user; bytes that the encoding cannot decode end in a ``UserError`` naming
    the line, never in silent replacement characters.
    """

    _name = "cou.history.import.reader"
    _description = "Order History Import File Reader"

    # === BUSINESS METHODS === #

    @api.model
    def _read_rows(
        self, content=None, path=None, file_name="", delimiter=",", encoding=None
    ):
        """Iterate over the rows of a CSV (optionally gzipped) or XLSX file,
        header first, each row a list of strings.

        :param bytes content: the file's content, or None to read ``path``
        :param str path: a file on the server (command-line imports)
        :param str file_name: the file's name, to recognise XLSX files
        :param str delimiter: the CSV delimiter
        :param str encoding: the CSV file's encoding (a Python codec); empty
            to detect it
        """
        kind = self._file_kind(content, path, file_name)
        if kind == "xlsx":
            yield from self._read_xlsx(content, path)
            return
        encoding = self._check_encoding(encoding) or self._detect_encoding(
            content=content, path=path, file_name=file_name
        )
        with self._open_binary(content, path, kind) as raw:
            yield from self._read_csv(raw, delimiter, encoding, kind == "gzip")

    @api.model
    def _file_kind(self, content, path, file_name=""):
        """``"xlsx"``, ``"gzip"`` or ``"csv"``; UserError on an empty file or
        a file of a kind that cannot be imported."""
        name = (file_name or path or "").lower()
        if content is None:
            with open(path, "rb") as f:
                head = f.read(8)
        else:
            head = content[:8]
        if not head:
            raise UserError(self.env._("The file is empty."))
        if head[:2] == b"\x1f\x8b":
            return "gzip"
        if head[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
            raise UserError(
                self.env._(
                    "Old Excel files (.xls) cannot be imported: save the sheet as "
                    "XLSX or CSV."
                )
            )
        if name.endswith((".xlsx", ".xlsm")) or head[:2] == b"PK":
            return "xlsx"
        return "csv"

    @api.model
    def _open_binary(self, content, path, kind):
        """The file as a binary stream, decompressed when gzipped."""
        if kind == "gzip":
            return (
                gzip.open(path)
                if content is None
                else gzip.GzipFile(fileobj=io.BytesIO(content))
            )
        return open(path, "rb") if content is None else io.BytesIO(content)  # noqa: SIM115 (the caller closes it)

    @api.model
    def _check_encoding(self, encoding):
        """The Python codec of a chosen encoding; UserError on an unknown one."""
        if not encoding:
            return None
        try:
            codec = codecs.lookup(encoding).name
        except LookupError:
            raise UserError(
                self.env._("Unknown file encoding: %(encoding)s", encoding=encoding)
            ) from None
        # a chosen UTF-8 still skips a byte-order mark
        return "utf-8-sig" if codec == "utf-8" else codec

    @api.model
    def _detect_encoding(self, content=None, path=None, file_name=""):
        """The Python codec of a CSV file's text, detected on its first bytes:
        a byte-order mark, else UTF-8 when they decode as UTF-8, else UTF-16
        without BOM (NUL bytes every other byte), else what chardet finds
        when it decodes the sample, else Windows-1252 or Latin-1 (which
        decodes every byte). False for XLSX files (no encoding)."""
        kind = self._file_kind(content, path, file_name)
        if kind == "xlsx":
            return False
        try:
            with self._open_binary(content, path, kind) as raw:
                sample = raw.read(ENCODING_SAMPLE_BYTES)
        except GZIP_ERRORS as e:
            raise UserError(
                self.env._(
                    "The compressed file is damaged or truncated (%(error)s).",
                    error=e,
                )
            ) from e
        if sample.startswith(codecs.BOM_UTF8):
            return "utf-8-sig"
        if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "utf-16"
        if self._decodes(sample, "utf-8"):
            return "utf-8-sig"
        even, odd = sample[0::2], sample[1::2]
        if len(sample) >= 4:
            if odd.count(0) > 0.4 * len(odd) and not even.count(0):
                return "utf-16-le"
            if even.count(0) > 0.4 * len(even) and not odd.count(0):
                return "utf-16-be"
        import chardet  # noqa: PLC0415 (required by Odoo; only needed here)

        found = chardet.detect(sample)
        name = (found.get("encoding") or "").lower()
        codec = CHARDET_CODECS.get(name, name)
        try:
            codec = codecs.lookup(codec).name if codec else None
        except LookupError:
            codec = None
        if codec and codec not in JAPANESE_CODECS:
            # chardet is weak on short Japanese samples (half-width kana,
            # CP932's ① and ㈱): a sample that reads as Japanese text is
            for candidate in JAPANESE_CODECS:
                if self._decodes(sample, candidate) and self._looks_japanese(
                    sample, candidate
                ):
                    return candidate
        if codec and (found.get("confidence") or 0) >= 0.5:
            if self._decodes(sample, codec):
                return codec
        return "cp1252" if self._decodes(sample, "cp1252") else "latin-1"

    @api.model
    def _looks_japanese(self, sample, codec):
        """Whether nearly all the non-ASCII characters of ``sample`` read in
        ``codec`` are kana, kanji or full-width forms (Latin-1 text read as
        Shift_JIS gives other characters, or does not decode)."""
        text = sample.decode(codec, errors="ignore")
        others = [c for c in text if ord(c) > 127]
        if not others:
            return False
        japanese = sum(
            1
            for c in others
            if "\u3000" <= c <= "\u30ff"  # punctuation, hiragana, katakana
            or "\u3200" <= c <= "\u32ff"  # ㈱…
            or "\u2460" <= c <= "\u24ff"  # ①…
            or "\u4e00" <= c <= "\u9fff"  # kanji
            or "\uff00" <= c <= "\uffef"  # full-width and half-width forms
        )
        return japanese >= 0.95 * len(others)

    @api.model
    def _decodes(self, sample, codec):
        """Whether ``sample`` decodes in ``codec`` (a character cut by the
        sample's end does not count)."""
        try:
            sample.decode(codec)
        except UnicodeDecodeError as e:
            if len(sample) < ENCODING_SAMPLE_BYTES or e.start < len(sample) - 4:
                return False
        return True

    @api.model
    def _get_encoding_label(self, codec):
        """The name of a codec as the import shows it (UTF-8, Shift_JIS (CP932)…)."""
        if not codec:
            return ""
        try:
            name = codecs.lookup(codec).name
        except LookupError:
            return codec
        if name in ("utf-8-sig", "utf-8"):
            return "UTF-8"
        if name.startswith("utf-16"):
            return "UTF-16"
        labels = {codecs.lookup(c).name: label for c, label in ENCODINGS}
        return labels.get(name, codec.upper())

    @api.model
    def _read_csv(self, raw, delimiter, encoding, gzipped=False):
        """The rows of an open binary CSV stream; UserError on a CSV error,
        on bytes that ``encoding`` cannot decode and on a damaged gzip."""
        text = io.TextIOWrapper(raw, encoding=encoding, errors="strict", newline="")
        reader = csv.reader(text, delimiter=delimiter, strict=True)
        _ = self.env._
        try:
            yield from reader
        except csv.Error as e:
            error = str(e)
            if "end of data" in error:
                error = _("a quoted value is not closed")
            raise UserError(
                _(
                    "This file cannot be read as CSV near line %(line)s: %(error)s",
                    line=max(reader.line_num, 1),
                    error=error,
                )
            ) from e
        except UnicodeDecodeError as e:
            raise UserError(
                _(
                    "This file is not in the %(encoding)s encoding near line "
                    "%(line)s: choose its encoding in the import options.",
                    encoding=self._get_encoding_label(encoding),
                    line=reader.line_num + 1,
                )
            ) from e
        except GZIP_ERRORS as e:
            if not gzipped:
                raise
            raise UserError(
                _(
                    "The compressed file is damaged or truncated near line "
                    "%(line)s (%(error)s).",
                    line=reader.line_num + 1,
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
        _ = self.env._
        try:
            book = openpyxl.load_workbook(
                path if content is None else io.BytesIO(content),
                read_only=True,
                data_only=True,
            )
        except Exception as e:  # noqa: BLE001 (zipfile, XML and openpyxl errors alike)
            raise UserError(
                _("This file cannot be read as an Excel workbook: %(error)s", error=e)
            ) from e
        rownum = 0
        try:
            if not book.worksheets:
                raise UserError(_("This Excel workbook has no sheet."))
            sheet = book.worksheets[0]
            for values in sheet.iter_rows(values_only=True):
                rownum += 1
                yield [self._read_xlsx_cell(value) for value in values]
        except UserError:
            raise
        except Exception as e:  # noqa: BLE001 (a damaged sheet: XML, zlib, overflow)
            raise UserError(
                _(
                    "This Excel workbook cannot be read near row %(line)s: %(error)s",
                    line=rownum + 1,
                    error=e,
                )
            ) from e
        finally:
            book.close()

    @api.model
    def _read_xlsx_cell(self, value):
        """One cell as the text a CSV export would hold."""
        if value is None:
            return ""
        if isinstance(value, datetime):
            return value.isoformat(sep=" ")
        if isinstance(value, date | time):
            return value.isoformat()
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value)
