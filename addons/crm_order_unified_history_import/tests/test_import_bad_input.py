"""Bad input for the order history import (issue 10): a table of files, each
imported as a user does (upload, columns, dry run, import) by a Customer Hub
manager. Every case ends in one of three outcomes, and never in a traceback
(only ``UserError``/``ValidationError`` may reach the user) nor in a
half-written import:

- ``Error(regex)``: a clear ``UserError`` naming the problem (and the line),
  and nothing written (no order, line, customer or product);
- ``Reject(reason)``: the bad row (line 3) is rejected alone with this reason
  code, the good row before it (line 2, order SO1) is imported;
- ``Accept(**values)``: the row of order SO2 is imported with these values.

One test method per case (pytest-odoo has no subTest), generated from CASES.
"""

import base64
import codecs
import csv
import gzip
import io
import zipfile
from collections import namedtuple
from datetime import date, datetime

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import float_round

from .common import CouHistoryImportCommon

HEADER = (
    "order_ref",
    "date",
    "customer_ref",
    "customer_name",
    "product_code",
    "product_name",
    "quantity",
    "unit_price",
    "currency",
)
GOOD = {
    "order_ref": "SO1",
    "date": "2023-01-10 09:00:00",
    "customer_ref": "C1",
    "customer_name": "Alpha",
    "product_code": "P1",
    "product_name": "Mug",
    "quantity": "2",
    "unit_price": "3.5",
    "currency": "",
}

Case = namedtuple("Case", ["name", "content", "file_name", "expect", "wizard"])
Error = namedtuple("Error", ["regex"])
Reject = namedtuple("Reject", ["reason", "cell"], defaults=[None])
Accept = namedtuple("Accept", ["values"])


def row(**values):
    """The second order (SO2) of a file: the good row with these values."""
    return {**GOOD, "order_ref": "SO2", "customer_ref": "C2", **values}


def csv_bytes(rows, header=HEADER, encoding="utf-8", delimiter=","):
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    for values in rows:
        writer.writerow(
            [values.get(h, "") for h in header] if isinstance(values, dict) else values
        )
    return buf.getvalue().encode(encoding)


def two_rows(header=HEADER, encoding="utf-8", good=None, **values):
    """A file of the good row (with ``good``) then SO2 with ``values``."""
    first = {**GOOD, **(good or {})}
    second = {**first, "order_ref": "SO2", "customer_ref": "C2", **values}
    return csv_bytes([first, second], header=header, encoding=encoding)


def comma_rows(**values):
    """Two rows in comma-decimal notation."""
    return two_rows(good={"unit_price": "3,5"}, **values)


def xlsx_bytes(rows, header=HEADER):
    import openpyxl  # noqa: PLC0415 (optional library, as in the reader)

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for values in rows:
        sheet.append([values.get(h) for h in header])
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def xlsx_two_rows(**values):
    good = dict(GOOD, date=datetime(2023, 1, 10, 9, 0), quantity=2, unit_price=3.5)
    second = {**good, "order_ref": "SO2", "customer_ref": "C2", **values}
    return xlsx_bytes([good, second])


def zip_bytes(files):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in files.items():
            z.writestr(name, data)
    return buf.getvalue()


def case(name, content, expect, file_name="orders.csv", **wizard):
    return Case(name, content, file_name, expect, wizard)


JA_HEADER = [
    "受注番号",
    "日付",
    "顧客コード",
    "顧客名",
    "製品コード",
    "製品名",
    "数量",
    "単価",
    "通貨",
]
JA_NAME = "株式会社カフェ・アルファ"
COMMA = {"decimal_separator": ","}
# wizard options set before the file is read; the others after (the mapping
# found for the file sets them)
READ_OPTIONS = ("encoding", "delimiter")

CASES = [
    # ---- encodings: detected (chardet), shown, or chosen ----
    case(
        "utf8",
        two_rows(customer_name="Café Ünïcode"),
        Accept({"customer": "Café Ünïcode", "encoding": "UTF-8"}),
    ),
    case(
        "utf8_bom",
        codecs.BOM_UTF8 + two_rows(customer_name="Café"),
        Accept({"customer": "Café", "encoding": "UTF-8"}),
    ),
    case(
        "utf16_bom",
        two_rows(encoding="utf-16", customer_name=JA_NAME),
        Accept({"customer": JA_NAME, "encoding": "UTF-16"}),
    ),
    case(
        "utf16_be_bom",
        codecs.BOM_UTF16_BE + two_rows(encoding="utf-16-be", customer_name="Café"),
        Accept({"customer": "Café", "encoding": "UTF-16"}),
    ),
    case(
        "utf16_le_no_bom",
        two_rows(encoding="utf-16-le", customer_name="Müller"),
        Accept({"customer": "Müller", "encoding": "UTF-16"}),
    ),
    case(
        "utf16_be_no_bom",
        two_rows(encoding="utf-16-be", customer_name="Müller"),
        Accept({"customer": "Müller", "encoding": "UTF-16"}),
    ),
    case(
        "shift_jis",
        two_rows(encoding="cp932", customer_name=JA_NAME, product_name="湯呑み"),
        Accept({"customer": JA_NAME, "encoding": "Shift_JIS (CP932)"}),
    ),
    case(
        "shift_jis_header",
        csv_bytes(
            [
                dict(zip(JA_HEADER, GOOD.values(), strict=True)),
                dict(zip(JA_HEADER, row(customer_name=JA_NAME).values(), strict=True)),
            ],
            header=JA_HEADER,
            encoding="cp932",
        ),
        Accept({"customer": JA_NAME, "encoding": "Shift_JIS (CP932)"}),
    ),
    case(
        "shift_jis_cp932_extras",
        two_rows(encoding="cp932", customer_name="㈱サンプル①商店"),
        Accept({"customer": "㈱サンプル①商店"}),
    ),
    case(
        "shift_jis_halfwidth_kana",
        two_rows(encoding="cp932", customer_name="ｶﾌｪｱﾙﾌｧ株式会社と仲間たち"),
        Accept({"customer": "ｶﾌｪｱﾙﾌｧ株式会社と仲間たち"}),
    ),
    case(
        "euc_jp",
        two_rows(encoding="euc_jp", customer_name=JA_NAME, product_name="湯呑み茶碗"),
        Accept({"customer": JA_NAME, "encoding": "EUC-JP"}),
    ),
    case(
        "cp1252",
        two_rows(encoding="cp1252", customer_name="Café l’Été – 5 €"),
        Accept({"customer": "Café l’Été – 5 €", "encoding": "Windows-1252"}),
    ),
    case(
        "latin1",
        two_rows(encoding="latin-1", customer_name="Müller Señor"),
        Accept({"customer": "Müller Señor"}),
    ),
    case(
        "chosen_cp932",
        two_rows(encoding="cp932", customer_name=JA_NAME),
        Accept({"customer": JA_NAME}),
        encoding="cp932",
    ),
    case(
        "chosen_iso2022_jp",
        two_rows(encoding="iso2022_jp", customer_name=JA_NAME),
        Accept({"customer": JA_NAME}),
        encoding="iso2022_jp",
    ),
    case(
        "chosen_cp1251",
        two_rows(encoding="cp1251", customer_name="Иванов"),
        Accept({"customer": "Иванов"}),
        encoding="cp1251",
    ),
    case(
        "chosen_latin1_over_utf8",
        two_rows(customer_name="Café"),
        Accept({"customer": "CafÃ©"}),
        encoding="latin-1",
    ),
    case(
        "chosen_utf8_wrong",
        two_rows(encoding="cp932", customer_name=JA_NAME),
        Error(r"not in the UTF-8 encoding near line \d"),
        encoding="utf-8",
    ),
    case(
        "utf8_then_latin1_late",
        csv_bytes(
            [GOOD]
            + [row(order_ref=f"SO{i}") for i in range(2, 1500)]
            + [row(order_ref="SOX", customer_name="Caf\xe9")]
        ).replace("Caf\xe9".encode(), b"Caf\xe9"),
        Error(r"not in the UTF-8 encoding near line \d+"),
    ),
    case(
        "emoji",
        two_rows(customer_name="Café ☕ 🎉"),
        Accept({"customer": "Café ☕ 🎉"}),
    ),
    # ---- quantities ----
    case("qty_nan", two_rows(quantity="nan"), Reject("bad_quantity")),
    case("qty_NaN", two_rows(quantity="NaN"), Reject("bad_quantity")),
    case("qty_inf", two_rows(quantity="inf"), Reject("bad_quantity")),
    case("qty_minus_inf", two_rows(quantity="-inf"), Reject("bad_quantity")),
    case("qty_infinity", two_rows(quantity="Infinity"), Reject("bad_quantity")),
    case("qty_1e400", two_rows(quantity="1e400"), Reject("out_of_range")),
    case("qty_minus_1e400", two_rows(quantity="-1e400"), Reject("out_of_range")),
    case("qty_1e_minus_400", two_rows(quantity="1e-400"), Reject("zero_quantity")),
    case("qty_tiny", two_rows(quantity="0.0000001"), Reject("zero_quantity")),
    case("qty_empty", two_rows(quantity=""), Reject("bad_quantity")),
    case("qty_spaces", two_rows(quantity="   "), Reject("bad_quantity")),
    case("qty_minus_zero", two_rows(quantity="-0"), Reject("zero_quantity")),
    case("qty_minus_zero_float", two_rows(quantity="-0.0"), Reject("zero_quantity")),
    case("qty_2e11", two_rows(quantity="2e11"), Reject("out_of_range")),
    case(
        "qty_20_digits",
        two_rows(quantity="12345678901234567890"),
        Reject("out_of_range"),
    ),
    case("qty_thousands", two_rows(quantity="1,234"), Accept({"qty": 1234.0})),
    case(
        "qty_thousands_decimal", two_rows(quantity="1,234.5"), Accept({"qty": 1234.5})
    ),
    case("qty_thousands_space", two_rows(quantity="1 234"), Accept({"qty": 1234.0})),
    case(
        "qty_thousands_nbsp", two_rows(quantity="1\u00a0234"), Accept({"qty": 1234.0})
    ),
    case("qty_fullwidth", two_rows(quantity="１２"), Accept({"qty": 12.0})),
    case("qty_exponent", two_rows(quantity="1e3"), Accept({"qty": 1000.0})),
    case("qty_plus", two_rows(quantity="+5"), Accept({"qty": 5.0})),
    case("qty_spaces_around", two_rows(quantity="  7  "), Accept({"qty": 7.0})),
    case("qty_fraction", two_rows(quantity="2.5"), Accept({"qty": 2.5})),
    case("qty_rounded", two_rows(quantity="1.23456"), Accept({"qty_rounded": 1.23456})),
    case(
        "qty_comma_with_dot_decimal", two_rows(quantity="1,5"), Reject("bad_quantity")
    ),
    case("qty_underscore", two_rows(quantity="1_000"), Reject("bad_quantity")),
    case("qty_hex", two_rows(quantity="0x10"), Reject("bad_quantity")),
    case("qty_trailing_minus", two_rows(quantity="5-"), Reject("bad_quantity")),
    case("qty_parentheses", two_rows(quantity="(5)"), Reject("bad_quantity")),
    case("qty_text", two_rows(quantity="abc"), Reject("bad_quantity")),
    case("qty_two_dots", two_rows(quantity="1.2.3"), Reject("bad_quantity")),
    case("qty_double_sign", two_rows(quantity="+-5"), Reject("bad_quantity")),
    case("qty_double_minus", two_rows(quantity="--5"), Reject("bad_quantity")),
    case("qty_excel_error", two_rows(quantity="#DIV/0!"), Reject("bad_quantity")),
    case(
        "qty_negative_no_cancel", two_rows(quantity="-3"), Reject("negative_no_cancel")
    ),
    case(
        "qty_positive_cancel",
        two_rows(order_ref="C9", quantity="3"),
        Reject("positive_cancel"),
    ),
    # ---- unit prices ----
    case("price_nan", two_rows(unit_price="nan"), Reject("bad_price")),
    case("price_inf", two_rows(unit_price="inf"), Reject("bad_price")),
    case("price_minus_inf", two_rows(unit_price="-inf"), Reject("bad_price")),
    case("price_1e400", two_rows(unit_price="1e400"), Reject("out_of_range")),
    case("price_1e_minus_400", two_rows(unit_price="1e-400"), Reject("zero_price")),
    case("price_empty", two_rows(unit_price=""), Reject("bad_price")),
    case("price_spaces", two_rows(unit_price=" \t "), Reject("bad_price")),
    case("price_minus_zero", two_rows(unit_price="-0"), Reject("zero_price")),
    case("price_minus_zero_float", two_rows(unit_price="-0.00"), Reject("zero_price")),
    case("price_negative", two_rows(unit_price="-2.5"), Reject("negative_price")),
    case("price_yen_sign", two_rows(unit_price="¥1,200"), Accept({"price": 1200.0})),
    case(
        "price_fullwidth_yen",
        two_rows(unit_price="￥１，２００"),
        Accept({"price": 1200.0}),
    ),
    case("price_yen_suffix", two_rows(unit_price="1,200円"), Accept({"price": 1200.0})),
    case("price_dollar", two_rows(unit_price="$3.50"), Accept({"price": 3.5})),
    case("price_euro_suffix", two_rows(unit_price="3.50 €"), Accept({"price": 3.5})),
    case("price_pound", two_rows(unit_price="£2.55"), Accept({"price": 2.55})),
    case(
        "price_swiss_thousands",
        two_rows(unit_price="1'234.50"),
        Accept({"price": 1234.5}),
    ),
    case(
        "price_european_with_dot_decimal",
        two_rows(unit_price="1.234,56"),
        Reject("bad_price"),
    ),
    case("price_rounded", two_rows(unit_price="2.555"), Accept({"price": 2.56})),
    case("price_1e12", two_rows(unit_price="1e12"), Reject("out_of_range")),
    case("price_text", two_rows(unit_price="free"), Reject("bad_price")),
    # ---- comma decimals ----
    case(
        "comma_decimal",
        comma_rows(quantity="1,5", unit_price="2,25"),
        Accept({"qty": 1.5, "price": 2.25}),
        **COMMA,
    ),
    case(
        "comma_thousands",
        comma_rows(unit_price="1.234,5"),
        Accept({"price": 1234.5}),
        **COMMA,
    ),
    case(
        "comma_thousands_no_decimals",
        comma_rows(quantity="1.500"),
        Accept({"qty": 1500.0}),
        **COMMA,
    ),
    case(
        "comma_space_thousands",
        comma_rows(unit_price="1 234,56"),
        Accept({"price": 1234.56}),
        **COMMA,
    ),
    case("comma_leading", comma_rows(unit_price=",5"), Accept({"price": 0.5}), **COMMA),
    case(
        "comma_dot_is_ambiguous",
        comma_rows(quantity="1.5"),
        Reject("bad_quantity"),
        **COMMA,
    ),
    case(
        "comma_english_thousands",
        comma_rows(unit_price="1,234.56"),
        Reject("bad_price"),
        **COMMA,
    ),
    case("comma_nan", comma_rows(quantity="nan"), Reject("bad_quantity"), **COMMA),
    case(
        "comma_minus_zero",
        comma_rows(quantity="-0,0"),
        Reject("zero_quantity"),
        **COMMA,
    ),
    case(
        "comma_1e400", comma_rows(unit_price="1e400"), Reject("out_of_range"), **COMMA
    ),
    # ---- dates ----
    case("date_9999", two_rows(date="9999-12-31"), Reject("date_out_of_range")),
    case(
        "date_9999_time",
        two_rows(date="9999-12-31 23:59:59"),
        Reject("date_out_of_range"),
    ),
    case("date_year_1", two_rows(date="0001-01-01"), Reject("date_out_of_range")),
    case("date_1899", two_rows(date="1899-12-31"), Reject("date_out_of_range")),
    case("date_3000", two_rows(date="3000-01-01"), Reject("date_out_of_range")),
    case(
        "date_1900", two_rows(date="1900-01-01"), Accept({"date": datetime(1900, 1, 1)})
    ),
    case(
        "date_2999",
        two_rows(date="2999-12-31"),
        Accept({"date": datetime(2999, 12, 31)}),
    ),
    case("date_1900_02_29", two_rows(date="1900-02-29"), Reject("bad_date")),
    case("date_2023_02_29", two_rows(date="2023-02-29"), Reject("bad_date")),
    case(
        "date_2024_02_29",
        two_rows(date="2024-02-29"),
        Accept({"date": datetime(2024, 2, 29)}),
    ),
    case("date_02_31", two_rows(date="2023-02-31"), Reject("bad_date")),
    case("date_month_13", two_rows(date="2023-13-01"), Reject("bad_date")),
    case("date_month_0", two_rows(date="2023-00-10"), Reject("bad_date")),
    case("date_hour_25", two_rows(date="2023-01-10 25:00"), Reject("bad_date")),
    case(
        "date_31_02_format",
        two_rows(good={"date": "10/01/2023"}, date="31/02/2023"),
        Reject("bad_date"),
        date_format="%d/%m/%Y",
    ),
    case("date_ambiguous", two_rows(date="01/02/2023"), Reject("ambiguous_date")),
    case(
        "date_ambiguous_dots",
        two_rows(date="01.02.2023 10:00"),
        Reject("ambiguous_date"),
    ),
    case(
        "date_day_first",
        two_rows(good={"date": "10/01/2023"}, date="01/02/2023"),
        Accept({"date": datetime(2023, 2, 1)}),
        date_format="%d/%m/%Y",
    ),
    case(
        "date_month_first",
        two_rows(good={"date": "01/10/2023"}, date="01/02/2023"),
        Accept({"date": datetime(2023, 1, 2)}),
        date_format="%m/%d/%Y",
    ),
    case(
        "date_format_mismatch",
        two_rows(good={"date": "10/01/2023"}, date="2023-01-10"),
        Reject("bad_date"),
        date_format="%d/%m/%Y",
    ),
    case(
        "date_slashes_ymd",
        two_rows(date="2023/01/10"),
        Accept({"date": datetime(2023, 1, 10)}),
    ),
    case(
        "date_slashes_ymd_time",
        two_rows(date="2023/1/10 9:05"),
        Accept({"date": datetime(2023, 1, 10, 9, 5)}),
    ),
    case(
        "date_japanese",
        two_rows(date="2023年1月10日"),
        Accept({"date": datetime(2023, 1, 10)}),
    ),
    case(
        "date_basic_iso",
        two_rows(date="20230110"),
        Accept({"date": datetime(2023, 1, 10)}),
    ),
    case(
        "date_offset_plus9",
        two_rows(date="2023-01-10T09:00:00+09:00"),
        Accept({"date": datetime(2023, 1, 10, 0, 0)}),
    ),
    case(
        "date_offset_z",
        two_rows(date="2023-01-10T09:00:00Z"),
        Accept({"date": datetime(2023, 1, 10, 9, 0)}),
    ),
    case(
        "date_offset_minus5",
        two_rows(date="2023-01-10 09:00:00-05:00"),
        Accept({"date": datetime(2023, 1, 10, 14, 0)}),
    ),
    case(
        "date_offset_day_change",
        two_rows(date="2023-01-01T01:00:00+09:00"),
        Accept({"date": datetime(2022, 12, 31, 16, 0)}),
    ),
    case(
        "date_offset_near_max",
        two_rows(date="9999-12-31T23:59:59-01:00"),
        Reject("date_out_of_range"),
    ),
    case(
        "date_offset_near_min",
        two_rows(date="0001-01-01T00:00:00+01:00"),
        Reject("date_out_of_range"),
    ),
    case(
        "date_tz_setting",
        two_rows(date="2023-01-10 09:00"),
        Accept({"date": datetime(2023, 1, 10, 0, 0)}),
        timezone="Asia/Tokyo",
    ),
    case(
        "date_tz_setting_9999",
        two_rows(date="9999-12-31 23:00"),
        Reject("date_out_of_range"),
        timezone="Asia/Tokyo",
    ),
    case(
        "date_tz_setting_year_1",
        two_rows(date="0001-01-01 00:30"),
        Reject("date_out_of_range"),
        timezone="America/New_York",
    ),
    case(
        "date_microseconds",
        two_rows(date="2023-01-10 09:00:00.250000"),
        Accept({"date": datetime(2023, 1, 10, 9, 0, 0)}),
    ),
    case("date_empty", two_rows(date=""), Reject("bad_date")),
    case("date_spaces", two_rows(date="   "), Reject("bad_date")),
    case("date_text", two_rows(date="yesterday"), Reject("bad_date")),
    case("date_year_only", two_rows(date="2023"), Reject("bad_date")),
    case(
        "date_excel_serial",
        two_rows(date="45000"),
        Accept({"date": datetime(2023, 3, 15)}),
    ),
    case(
        "date_excel_serial_time",
        two_rows(date="45000.5"),
        Accept({"date": datetime(2023, 3, 15, 12, 0)}),
    ),
    case(
        "date_excel_serial_max", two_rows(date="2958465"), Reject("date_out_of_range")
    ),
    case("date_excel_serial_overflow", two_rows(date="9999999"), Reject("bad_date")),
    # ---- XLSX ----
    case(
        "xlsx_ok",
        xlsx_two_rows(quantity=4),
        Accept(
            {
                "qty": 4.0,
                "date": datetime(2023, 1, 10, 9, 0),
                "encoding": "(XLSX: none needed)",
            }
        ),
        file_name="orders.xlsx",
    ),
    case(
        "xlsx_date_cell",
        xlsx_two_rows(date=datetime(2024, 2, 29, 13, 30)),
        Accept({"date": datetime(2024, 2, 29, 13, 30)}),
        file_name="orders.xlsx",
    ),
    case(
        "xlsx_date_only_cell",
        xlsx_two_rows(date=date(2023, 5, 1)),
        Accept({"date": datetime(2023, 5, 1)}),
        file_name="orders.xlsx",
    ),
    case(
        "xlsx_serial_number",
        xlsx_two_rows(date=45000),
        Accept({"date": datetime(2023, 3, 15)}),
        file_name="orders.xlsx",
    ),
    case(
        "xlsx_serial_float",
        xlsx_two_rows(date=45000.25),
        Accept({"date": datetime(2023, 3, 15, 6, 0)}),
        file_name="orders.xlsx",
    ),
    case(
        "xlsx_date_1900",
        xlsx_two_rows(date=datetime(1900, 1, 1)),
        Accept({"date": datetime(1900, 1, 1)}),
        file_name="orders.xlsx",
    ),
    case(
        "xlsx_date_text_ambiguous",
        xlsx_two_rows(date="03/04/2023"),
        Reject("ambiguous_date"),
        file_name="orders.xlsx",
    ),
    case(
        "xlsx_float_quantity",
        xlsx_two_rows(quantity=2.5),
        Accept({"qty": 2.5}),
        file_name="orders.xlsx",
    ),
    case(
        "xlsx_huge_quantity",
        xlsx_two_rows(quantity=1e20),
        Reject("out_of_range"),
        file_name="orders.xlsx",
    ),
    case(
        "xlsx_text_price",
        xlsx_two_rows(unit_price="#N/A"),
        Reject("bad_price"),
        file_name="orders.xlsx",
    ),
    case(
        "xlsx_numeric_customer",
        xlsx_two_rows(customer_ref=17850.0),
        Accept({"customer_ref": "17850"}),
        file_name="orders.xlsx",
    ),
    case(
        "xlsx_name_is_csv",
        xlsx_two_rows(quantity=3),
        Accept({"qty": 3.0}),
        file_name="orders.csv",
    ),
    case(
        "xlsx_random_bytes",
        b"\x00\x01garbage" * 50,
        Error("cannot be read as an Excel workbook"),
        file_name="orders.xlsx",
    ),
    case(
        "xlsx_zip_without_workbook",
        zip_bytes({"readme.txt": "hello"}),
        Error("cannot be read as an Excel workbook"),
        file_name="orders.xlsx",
    ),
    case(
        "xlsx_truncated",
        xlsx_bytes([GOOD])[:300],
        Error("cannot be read as an Excel workbook"),
        file_name="orders.xlsx",
    ),
    case(
        "xlsx_empty_sheet",
        xlsx_bytes([], header=[]),
        Error("The file is empty"),
        file_name="orders.xlsx",
    ),
    case(
        "xlsx_header_only",
        xlsx_bytes([]),
        Error(r"header \(line 1\) but no rows"),
        file_name="orders.xlsx",
    ),
    case(
        "xls_old_format",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600,
        Error(r"Old Excel files \(\.xls\)"),
        file_name="orders.xls",
    ),
    # ---- gzip ----
    case(
        "gzip_ok",
        gzip.compress(two_rows(quantity="6")),
        Accept({"qty": 6.0}),
        file_name="orders.csv.gz",
    ),
    case(
        "gzip_latin1",
        gzip.compress(two_rows(encoding="latin-1", customer_name="Müller")),
        Accept({"customer": "Müller"}),
        file_name="orders.csv.gz",
    ),
    case(
        "gzip_shift_jis",
        gzip.compress(two_rows(encoding="cp932", customer_name=JA_NAME)),
        Accept({"customer": JA_NAME, "encoding": "Shift_JIS (CP932)"}),
        file_name="orders.csv.gz",
    ),
    case(
        "gzip_truncated",
        gzip.compress(
            csv_bytes([GOOD] + [row(order_ref=f"SO{i}") for i in range(2, 3000)])
        )[:4000],
        Error(r"damaged or truncated"),
    ),
    case(
        "gzip_corrupt",
        b"\x1f\x8b\x08\x00" + b"\xff" * 400,
        Error(r"damaged or truncated"),
        file_name="orders.csv.gz",
    ),
    case(
        "gzip_of_nothing",
        gzip.compress(b""),
        Error("The file is empty"),
        file_name="orders.csv.gz",
    ),
    case(
        "gzip_header_only",
        gzip.compress(csv_bytes([])),
        Error("but no rows"),
        file_name="orders.csv.gz",
    ),
    # ---- file shape ----
    case("empty_file", b"", Error("Upload a CSV or XLSX file first")),
    case("only_blank_lines", b"\r\n\n\r\n\n", Error("The file is empty")),
    case("only_whitespace_lines", b"  \n\t\n , \n", Error("The file is empty")),
    case("header_only", csv_bytes([]), Error(r"header \(line 1\) but no rows")),
    case("header_then_blank_lines", csv_bytes([]) + b"\r\n\r\n", Error("but no rows")),
    case(
        "blank_lines_before_header",
        b"\r\n\r\n" + two_rows(quantity="8"),
        Accept({"qty": 8.0}),
    ),
    case(
        "blank_line_between_rows",
        csv_bytes([GOOD, {}, row(quantity="9")]).replace(
            b"\r\n,,,,,,,,\r\n", b"\r\n\r\n"
        ),
        Accept({"qty": 9.0}),
    ),
    case(
        "header_bom_and_spaces",
        csv_bytes(
            [list(GOOD.values()), list(row(quantity="3").values())],
            header=[f"  {h.upper()} " for h in HEADER],
        ).replace(b"  ORDER_REF", "\ufeff ORDER_REF".encode(), 1),
        Accept({"qty": 3.0}),
    ),
    case(
        "wrong_delimiter",
        two_rows().replace(b",", b";"),
        Error("Only one column was found"),
    ),
    case(
        "semicolon_chosen",
        two_rows(quantity="4").replace(b",", b";"),
        Accept({"qty": 4.0}),
        delimiter=";",
    ),
    case(
        "tab_chosen",
        two_rows(quantity="4").replace(b",", b"\t"),
        Accept({"qty": 4.0}),
        delimiter="\t",
    ),
    case(
        "unknown_headers",
        csv_bytes([["1", "2", "3"]], header=["foo", "bar", "baz"]),
        Error("Map the column"),
    ),
    case(
        "binary_garbage",
        bytes(range(256)) * 20,
        Error(r"Map the column|Only one column|cannot be read as CSV|not in the"),
    ),
    case(
        "png_named_csv",
        b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4,
        Error(r"Map the column|Only one column|cannot be read as CSV|not in the"),
    ),
    case("nul_in_value", two_rows(customer_name="Al\x00pha"), Reject("bad_characters")),
    case("nul_in_quantity", two_rows(quantity="1\x002"), Reject("bad_characters")),
    case(
        "nul_in_header",
        two_rows(quantity="5").replace(b"order_ref", b"order\x00_ref", 1),
        Accept({"qty": 5.0}),
    ),
    case(
        "control_char_in_name",
        two_rows(customer_name="Al\x01pha"),
        Accept({"customer": "Al\x01pha"}),
    ),
    case(
        "very_long_line",
        two_rows(product_name="x" * 200000),
        Error(r"cannot be read as CSV near line 3"),
    ),
    case(
        "long_line_under_limit",
        two_rows(product_name="y" * 100000),
        Accept({"line_name_length": 100000 + len("[P1] ")}),
    ),
    case(
        "many_columns",
        csv_bytes(
            [GOOD, row(quantity="2")],
            header=[*HEADER, *(f"extra{i}" for i in range(2000))],
        ),
        Accept({"qty": 2.0}),
    ),
    case(
        "reference_200",
        two_rows(order_ref="SO2" + "9" * 197),
        Accept({"ref": "SO2" + "9" * 197}),
    ),
    case(
        "reference_too_long", two_rows(order_ref="SO2" + "9" * 5000), Reject("too_long")
    ),
    case(
        "product_code_too_long", two_rows(product_code="P" * 3000), Reject("too_long")
    ),
    case("customer_ref_too_long", two_rows(customer_ref="C" * 201), Reject("too_long")),
    case(
        "customer_name_too_long",
        two_rows(customer_ref="", customer_name="N" * 3000),
        Reject("too_long"),
    ),
    case(
        "customer_name_500",
        two_rows(customer_name="N" * 500),
        Accept({"customer": "N" * 500}),
    ),
    case(
        "quoted_field_spanning_lines",
        two_rows(product_name="Mug\nBlue, large"),
        Accept({"line_name": "[P1] Mug\nBlue, large"}),
    ),
    case(
        "quoted_quotes",
        two_rows(product_name='5" "screen"'),
        Accept({"line_name": '[P1] 5" "screen"'}),
    ),
    case(
        "unclosed_quote_at_end",
        two_rows() + b'SO3,2023-01-10,C3,"Gamma,P1,Mug,1,2,\r\n',
        Error(r"near line \d+: a quoted value is not closed"),
    ),
    case(
        "unclosed_quote_swallows_rows",
        csv_bytes([GOOD])
        + b'SO2,2023-01-10,C2,Beta,"P1,Mug,1,2,\r\n'
        + b'SO3,2023-01-10,C3,Gamma,P1",Mug,1,2,\r\n',
        Reject("line_break"),
    ),
    case(
        "text_after_closing_quote",
        csv_bytes([GOOD]) + b'SO2,2023-01-10,C2,"Beta"x,P1,Mug,1,2,\r\n',
        Error(r"cannot be read as CSV near line 3"),
    ),
    case("ref_with_line_break", two_rows(order_ref="SO2\nSO3"), Reject("line_break")),
    case(
        "short_row",
        csv_bytes([GOOD, ["SO2", "2023-01-10"]]),
        Reject("missing_customer"),
    ),
    case(
        "long_row",
        csv_bytes([GOOD, [*row(quantity="4").values(), "extra", "cells"]]),
        Accept({"qty": 4.0}),
    ),
    # ---- header names ----
    case(
        "duplicate_mapped_header",
        csv_bytes([[*GOOD.values(), "9"]], header=[*HEADER, "quantity"]),
        Error(
            r"column quantity appears more than once in the header \(columns 7, 10\)"
        ),
    ),
    case(
        "duplicate_unmapped_header",
        csv_bytes(
            [[*GOOD.values(), "a", "b"], [*row(quantity="5").values(), "a", "b"]],
            header=[*HEADER, "note", "note"],
        ),
        Accept({"qty": 5.0}),
    ),
    case(
        "duplicate_header_case",
        csv_bytes([[*GOOD.values(), "9"]], header=[*HEADER, "Unit_Price"]),
        Error(r"appears more than once"),
    ),
    case(
        "header_english_variants",
        csv_bytes(
            [list(GOOD.values()), list(row(quantity="6").values())],
            header=[
                "Order No",
                "Order Date",
                "Customer Code",
                "Customer Name",
                "SKU",
                "Description",
                "Qty",
                "Unit Price",
                "Currency",
            ],
        ),
        Accept(
            {
                "qty": 6.0,
                "columns": {
                    "col_order_ref": "Order No",
                    "col_quantity": "Qty",
                    "col_product_code": "SKU",
                },
            }
        ),
    ),
    case(
        "header_online_retail",
        csv_bytes(
            [
                [
                    "SO1",
                    "85123A",
                    "HEART",
                    "6",
                    "2010-12-01 08:26:00",
                    "2.55",
                    "17850",
                    "United Kingdom",
                ],
                [
                    "SO2",
                    "85123A",
                    "HEART",
                    "4",
                    "2011-06-01 08:26:00",
                    "2.55",
                    "17850.0",
                    "United Kingdom",
                ],
            ],
            header=[
                "InvoiceNo",
                "StockCode",
                "Description",
                "Quantity",
                "InvoiceDate",
                "UnitPrice",
                "CustomerID",
                "Country",
            ],
        ),
        Accept(
            {
                "qty": 4.0,
                "date": datetime(2011, 6, 1, 7, 26),
                "mapping": "online_retail",
                "customer_ref": "17850",
            }
        ),
    ),
    case(
        "header_japanese",
        csv_bytes(
            [list(GOOD.values()), list(row(quantity="7").values())], header=JA_HEADER
        ),
        Accept(
            {
                "qty": 7.0,
                "columns": {
                    "col_order_ref": "受注番号",
                    "col_customer_ref": "顧客コード",
                    "col_currency": "通貨",
                },
            }
        ),
    ),
    case(
        "header_japanese_variants",
        csv_bytes(
            [list(GOOD.values()), list(row(quantity="7").values())],
            header=[
                "伝票番号",
                "注文日",
                "得意先コード",
                "得意先名",
                "商品コード",
                "品名",
                "個数",
                "販売単価",
                "通貨コード",
            ],
        ),
        Accept(
            {
                "qty": 7.0,
                "columns": {
                    "col_order_ref": "伝票番号",
                    "col_date": "注文日",
                    "col_product_code": "商品コード",
                },
            }
        ),
    ),
    case(
        "header_japanese_fullwidth_spaces",
        csv_bytes(
            [list(GOOD.values()), list(row(quantity="7").values())],
            header=[
                "受注　番号",
                " 日付 ",
                "顧客コード",
                "顧客名",
                "品番",
                "製品名",
                "数量",
                "単価",
                "通貨",
            ],
        ),
        Accept(
            {
                "qty": 7.0,
                "columns": {"col_order_ref": "受注　番号", "col_product_code": "品番"},
            }
        ),
    ),
    case(
        "header_case_and_spaces",
        csv_bytes(
            [list(GOOD.values()), list(row(quantity="3").values())],
            header=[
                "ORDER REF",
                "DATE",
                "CUSTOMER_REF",
                "customer-name",
                "Product Code",
                "product.name",
                "QTY",
                "UnitPrice",
                "CURRENCY",
            ],
        ),
        Accept({"qty": 3.0}),
    ),
    case(
        "header_missing_required",
        csv_bytes(
            [["SO1", "2023-01-10", "C1", "P1", "2"]],
            header=["order_ref", "date", "customer_ref", "product_code", "quantity"],
        ),
        Error(r"Map the column Unit Price Column"),
    ),
    case(
        "header_missing_customer",
        csv_bytes(
            [["SO1", "2023-01-10", "P1", "2", "3"]],
            header=["order_ref", "date", "product_code", "quantity", "unit_price"],
        ),
        Error("Map at least one customer column"),
    ),
    # ---- values ----
    case("missing_ref", two_rows(order_ref=""), Reject("missing_ref")),
    case("whitespace_ref", two_rows(order_ref="   "), Reject("missing_ref")),
    case("missing_product", two_rows(product_code=""), Reject("missing_product")),
    case(
        "missing_customer",
        two_rows(customer_ref="", customer_name=""),
        Reject("missing_customer"),
    ),
    case(
        "customer_name_only",
        two_rows(customer_ref="", customer_name="Gamma Ltd"),
        Accept({"customer": "Gamma Ltd"}),
    ),
    case(
        "customer_ref_float",
        two_rows(customer_ref="17850.0"),
        Accept({"customer_ref": "17850"}),
    ),
    case(
        "order_mismatch",
        csv_bytes([GOOD, dict(GOOD, customer_ref="C9", product_code="P2")]),
        Reject("order_mismatch"),
    ),
    case("duplicate_row", csv_bytes([GOOD, GOOD]), Reject("duplicate")),
    case("adjustment", two_rows(order_ref="A100"), Reject("adjustment")),
    case("unknown_currency", two_rows(currency="XXX"), Reject("unknown_currency")),
    case("inactive_currency", two_rows(currency="MNT"), Reject("inactive_currency")),
    case("currency_lower_case", two_rows(currency="eur"), Accept({"currency": "EUR"})),
    case(
        "non_product_code",
        two_rows(product_code="POST", product_name="Postage"),
        Accept({"product_type": "service"}),
    ),
    case(
        "unknown_product_created",
        two_rows(product_code="NEW-1", product_name="New thing"),
        Accept({"new_product": "NEW-1"}),
    ),
    case(
        "archived_product_matched",
        two_rows(product_code="COU-ARCHIVED"),
        Accept({"archived": "COU-ARCHIVED"}),
    ),
    case(
        "archived_and_active_product",
        two_rows(product_code="COU-BOTH"),
        Accept({"product_active": "COU-BOTH"}),
    ),
    case(
        "product_code_spaces",
        two_rows(product_code="  COU-ARCHIVED  "),
        Accept({"archived": "COU-ARCHIVED"}),
    ),
    # ---- what the user downloads and reads ----
    case(
        "formula_equals",
        two_rows(quantity="x", customer_name='=HYPERLINK("http://x")'),
        Reject("bad_quantity", ("customer_name", '\'=HYPERLINK("http://x")')),
    ),
    case(
        "formula_plus",
        two_rows(quantity="x", customer_name="+1+2"),
        Reject("bad_quantity", ("customer_name", "'+1+2")),
    ),
    case(
        "formula_minus",
        two_rows(quantity="-3", customer_name="-2+3"),
        Reject("negative_no_cancel", ("quantity", "'-3")),
    ),
    case(
        "formula_at",
        two_rows(quantity="x", customer_name="@SUM(A1)"),
        Reject("bad_quantity", ("customer_name", "'@SUM(A1)")),
    ),
    case(
        "formula_tab",
        two_rows(quantity="x", customer_name="\t=1"),
        Reject("bad_quantity", ("customer_name", "'\t=1")),
    ),
    case(
        "formula_cr",
        two_rows(quantity="x", customer_name="\r=1"),
        Reject("bad_quantity", ("customer_name", "'\r=1")),
    ),
    case(
        "formula_detail",
        two_rows(unit_price="=1+1"),
        Reject("bad_price", ("Detail", "'=1+1")),
    ),
    case(
        "formula_plain_text_kept",
        two_rows(quantity="x", customer_name="Alpha=1"),
        Reject("bad_quantity", ("customer_name", "Alpha=1")),
    ),
    case(
        "script_in_rejected_row",
        two_rows(quantity="x", customer_name="<script>alert(1)</script>"),
        Reject("bad_quantity", ("summary", "&lt;script&gt;")),
    ),
    case(
        "script_in_new_customer",
        two_rows(customer_name="<img src=x onerror=alert(1)>"),
        Accept({"customer": "<img src=x onerror=alert(1)>"}),
    ),
]


@tagged("post_install", "-at_install")
class TestImportBadInput(CouHistoryImportCommon):
    """The table above, one test per case (methods added below the class)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.groups_id += cls.env.ref(
            "crm_order_unified.group_crm_order_unified_manager"
        )
        Product = cls.env["product.product"]
        archived = Product.create({"name": "Old mug", "default_code": "COU-ARCHIVED"})
        archived.product_tmpl_id.active = False
        both = Product.create({"name": "Both (archived)", "default_code": "COU-BOTH"})
        both.product_tmpl_id.active = False
        cls.active_both = Product.create({"name": "Both", "default_code": "COU-BOTH"})
        cls.env.ref("base.MNT").active = False
        cls.env.ref("base.EUR").active = True
        cls.Wizard = cls.env["cou.history.import"].with_user(cls.user_importer)

    def _counts(self):
        return (
            self.env["sale.order"].search_count([]),
            self.env["sale.order.line"].search_count([]),
            self.env["res.partner"].with_context(active_test=False).search_count([]),
            self.env["product.product"]
            .with_context(active_test=False)
            .search_count([]),
        )

    def _order(self, ref):
        return self.env["sale.order"].search(
            [("cou_import_ref", "=", ref), ("company_id", "=", self.company_a.id)]
        )

    def _run_case(self, case):
        before = self._counts()
        wizard = self.Wizard.create(
            {
                "file": base64.b64encode(case.content),
                "file_name": case.file_name,
                **{k: v for k, v in case.wizard.items() if k in READ_OPTIONS},
            }
        )
        error = run = None
        try:
            wizard.action_load_file()
            other = {k: v for k, v in case.wizard.items() if k not in READ_OPTIONS}
            if other:
                wizard.write(other)
            wizard.action_dry_run()
            dry_rejected = wizard.rows_rejected
            action = wizard.action_import()
            run = self.env["cou.history.import.run"].browse(action["res_id"])
        except (UserError, ValidationError) as e:
            error = e
        # anything else is a traceback: the test errors out
        expect = case.expect
        if isinstance(expect, Error):
            self.assertIsNotNone(error, "a clear error was expected")
            self.assertRegex(str(error), expect.regex)
            self.assertEqual(self._counts(), before, "half-written import")
            return
        self.assertIsNone(error, f"unexpected error: {error}")
        self.assertEqual(run.state, "done", run.error_message)
        rejected = list(
            csv.reader(io.StringIO(base64.b64decode(run.rejected_file).decode()))
        )
        reasons = self.env["cou.history.import.parser"]._get_reasons()
        if isinstance(expect, Reject):
            self.assertEqual(dry_rejected, 1, "the dry run reports the rejected row")
            self.assertEqual(
                [r[:2] for r in rejected[1:]], [["3", reasons[expect.reason]]]
            )
            self.assertTrue(self._order("SO1"), "the good row is imported")
            self.assertEqual(
                self._counts()[:2], (before[0] + 1, before[1] + 1), "only SO1"
            )
            if expect.cell:
                column, value = expect.cell
                if column == "summary":
                    self.assertIn(value, run.summary_html)
                    self.assertNotIn("<script>", run.summary_html)
                else:
                    self.assertEqual(rejected[1][rejected[0].index(column)], value)
            return
        self.assertEqual(rejected[1:], [], "no row rejected")
        self.assertTrue(self._order("SO1"))
        values = expect.values
        uom_digits = self.env["decimal.precision"].precision_get(
            "Product Unit of Measure"
        )
        order = self._order(values.get("ref", "SO2"))
        self.assertEqual(len(order), 1)
        line = order.order_line
        self.assertEqual(len(line), 1)
        checks = {
            "customer": lambda: order.partner_id.name,
            "customer_ref": lambda: order.partner_id.ref,
            "qty": lambda: line.product_uom_qty,
            "qty_rounded": lambda: line.product_uom_qty,
            "price": lambda: line.price_unit,
            "date": lambda: order.date_order,
            "line_name": lambda: line.name,
            "line_name_length": lambda: len(line.name),
            "currency": lambda: order.currency_id.name,
            "product_type": lambda: line.product_id.type,
            "encoding": lambda: wizard.file_encoding,
            "mapping": lambda: wizard.mapping_id.code,
            "ref": lambda: order.cou_import_ref,
        }
        for key, expected in values.items():
            if key == "qty_rounded":  # at the precision of the database
                expected = float_round(expected, precision_digits=uom_digits)
            if key in checks:
                self.assertEqual(checks[key](), expected, key)
        if "columns" in values:
            for fname, title in values["columns"].items():
                self.assertEqual(wizard[fname], title, fname)
        if "new_product" in values:
            self.assertEqual(line.product_id.default_code, values["new_product"])
            # P1 (the good row's product) and this one
            self.assertEqual(self._counts()[3], before[3] + 2)
        if "archived" in values:
            product = line.product_id
            self.assertEqual(
                (product.default_code, product.active), (values["archived"], False)
            )
            self.assertEqual(self._counts()[3], before[3] + 1, "only P1 is new")
            self.assertIn(values["archived"], run.summary_html)
        if "product_active" in values:
            self.assertEqual(line.product_id, self.active_both, "active one first")
            self.assertEqual(self._counts()[3], before[3] + 1, "only P1 is new")


def _make_test(case):
    def test(self):
        self._run_case(case)

    test.__doc__ = f"bad input: {case.name}"
    return test


for _case in CASES:
    setattr(TestImportBadInput, f"test_bad_input_{_case.name}", _make_test(_case))
assert len(CASES) >= 150, len(CASES)
assert len({c.name for c in CASES}) == len(CASES), "case names are unique"


def _load_import_tool():
    """tools/import_history.py of this repository, as a module."""
    import importlib.util  # noqa: PLC0415
    import os  # noqa: PLC0415

    path = os.path.join(
        os.path.dirname(__file__), "..", "..", "..", "tools", "import_history.py"
    )
    if not os.path.exists(path):
        return None
    spec = importlib.util.spec_from_file_location("cou_import_history_tool", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@tagged("post_install", "-at_install")
class TestImportCommandLine(CouHistoryImportCommon):
    """``make import``'s header recognition, ``--map`` and ``--encoding``,
    through tools/import_history.py's own argument parsing and mapping."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.groups_id += cls.env.ref(
            "crm_order_unified.group_crm_order_unified_manager"
        )
        cls.tool = _load_import_tool()
        cls.Run = cls.env["cou.history.import.run"].with_company(cls.company_a)

    def setUp(self):
        super().setUp()
        if not self.tool:
            self.skipTest("tools/import_history.py is not beside the addons")

    def _file(self, content, suffix=".csv"):
        import os  # noqa: PLC0415
        import tempfile  # noqa: PLC0415

        fd, path = tempfile.mkstemp(suffix=suffix)
        with os.fdopen(fd, "wb") as f:
            f.write(content)
        self.addCleanup(os.remove, path)
        return path

    def _settings(self, *argv):
        args = self.tool.parse_args(list(argv))
        return self.tool.resolve_settings(self.Run, args, self.company_a)

    def _analyze(self, path, settings):
        rows = self.Run._import_read_rows(
            path=path,
            file_name=path,
            delimiter=settings["delimiter"],
            encoding=settings.get("encoding"),
        )
        options = {"cancel_mode": "net", "non_product_mode": "service"}
        return self.Run._import_analyze(rows, settings, options, self.company_a)

    def test_map_parsing(self):
        parse = self.tool.parse_column_map
        self.assertEqual(
            parse("order_ref=Invoice, date=InvoiceDate,unit_price=Unit Price"),
            {
                "col_order_ref": "Invoice",
                "col_date": "InvoiceDate",
                "col_price": "Unit Price",
            },
        )
        for bad, message in (
            ("bogus=X", "unknown field 'bogus'"),
            ("order_ref", "expects FIELD=Header"),
            ("order_ref=", "expects FIELD=Header"),
            ("price=A,unit_price=B", "given twice"),
        ):
            with self.assertRaisesRegex(ValueError, message):
                parse(bad)
        args = self.tool.parse_args(["x.csv", "--map", "quantity=Qty,price=Each"])
        self.assertEqual(args.map, {"col_quantity": "Qty", "col_price": "Each"})
        with self.assertRaises(SystemExit), self._quiet_stderr():
            self.tool.parse_args(["x.csv", "--map", "nope=Qty"])

    def _quiet_stderr(self):
        import contextlib  # noqa: PLC0415

        return contextlib.redirect_stderr(io.StringIO())

    def test_online_retail_header_recognised(self):
        """The classic Online Retail header needs no saved mapping: the preset
        is chosen and its columns renamed after this file's header."""
        path = self._file(
            b"InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,"
            b"CustomerID,Country\r\n"
            b"536365,85123A,HEART,6,2010-12-01 08:26:00,2.55,17850,United Kingdom\r\n"
        )
        mapping, settings = self._settings(path)
        self.assertEqual(mapping.code, "online_retail")
        self.assertEqual(
            {
                f: settings[f]
                for f in ("col_order_ref", "col_price", "col_customer_ref")
            },
            {
                "col_order_ref": "InvoiceNo",
                "col_price": "UnitPrice",
                "col_customer_ref": "CustomerID",
            },
        )
        self.assertEqual(settings["timezone"], "Europe/London")
        parsed = self._analyze(path, settings)
        self.assertEqual(list(parsed["orders"]), ["536365"])
        self.assertEqual(parsed["rejected"], [])

    def test_map_names_unknown_columns(self):
        path = self._file(
            b"Beleg,Wann,Kunde,Artikel,Menge,Preis\r\nB1,2023-01-10,K1,A1,2,3.5\r\n"
        )
        mapping, settings = self._settings(path)
        self.assertFalse(mapping)
        self.assertFalse(settings["col_order_ref"])
        with self.assertRaisesRegex(UserError, "Map the column"):
            self._analyze(path, settings)
        mapping, settings = self._settings(
            path,
            "--map",
            "order_ref=Beleg,date=Wann,customer_ref=Kunde,product_code=Artikel,"
            "quantity=Menge,price=Preis",
        )
        parsed = self._analyze(path, settings)
        self.assertEqual(list(parsed["orders"]), ["B1"])
        self.assertEqual(parsed["orders"]["B1"].lines[0].price, 3.5)

    def test_map_overrides_a_preset(self):
        header = [*HEADER, "customer_email", "country", "net"]
        path = self._file(csv_bytes([[*GOOD.values(), "", "", "9.5"]], header=header))
        _mapping, settings = self._settings(
            path, "--preset", "generic", "--map", "price=net"
        )
        self.assertEqual(settings["col_price"], "net")
        parsed = self._analyze(path, settings)
        self.assertEqual(parsed["orders"]["SO1"].lines[0].price, 9.5)

    def test_japanese_header_and_encoding(self):
        header = "受注番号,日付,顧客コード,顧客名,製品コード,製品名,数量,単価,通貨\r\n"
        line = "J1,2023/01/10,K1,株式会社カフェ,P1,湯呑み,２,１，２００円,JPY\r\n"
        path = self._file((header + line).encode("cp932"))
        self.env.ref("base.JPY").active = True
        mapping, settings = self._settings(path)
        self.assertEqual(mapping.code, "generic")
        self.assertEqual(settings["col_order_ref"], "受注番号")
        self.assertEqual(settings["col_currency"], "通貨")
        parsed = self._analyze(path, settings)  # encoding detected
        order = parsed["orders"]["J1"]
        self.assertEqual(order.customer_name, "株式会社カフェ")
        self.assertEqual((order.lines[0].qty, order.lines[0].price), (2.0, 1200.0))
        _mapping, settings = self._settings(path, "--encoding", "cp932")
        self.assertEqual(settings["encoding"], "cp932")
        self.assertEqual(
            self._analyze(path, settings)["orders"]["J1"].customer_name,
            "株式会社カフェ",
        )
        with self.assertRaisesRegex(UserError, "Unknown file encoding: nope"):
            self._settings(path, "--encoding", "nope")
        with self.assertRaisesRegex(UserError, "not in the UTF-8 encoding near line"):
            self._settings(path, "--encoding", "utf-8")


@tagged("post_install", "-at_install")
class TestImportOverlapAndLanguage(CouHistoryImportCommon):
    """Two files that share days (as the two shared Online Retail files share
    2010-12-01 to 2010-12-09) are imported without counting the shared
    orders twice; messages and reasons are in the user's language."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.groups_id += cls.env.ref(
            "crm_order_unified.group_crm_order_unified_manager"
        )
        cls.Wizard = cls.env["cou.history.import"].with_user(cls.user_importer)

    def _import(self, content, file_name="orders.csv"):
        wizard = self.Wizard.create(
            {"file": base64.b64encode(content), "file_name": file_name}
        )
        wizard.action_load_file()
        action = wizard.action_import()
        run = (
            self.env["cou.history.import.run"]
            .with_user(self.user_importer)
            .browse(action["res_id"])
        )
        self.assertEqual(run.state, "done", run.error_message)
        return wizard, run

    def test_overlapping_files(self):
        # the older file's layout, then the newer one's (other header names)
        first = (
            b"Invoice,StockCode,Description,Quantity,InvoiceDate,Price,"
            b"Customer ID,Country\r\n"
            b"489434,85048,BALL,12,2010-12-01 07:45:00,6.95,13085,United Kingdom\r\n"
            b"536365,85123A,HEART,6,2010-12-09 08:26:00,2.55,17850,United Kingdom\r\n"
            b"536365,71053,LANTERN,6,2010-12-09 08:26:00,3.39,17850,United Kingdom\r\n"
        )
        second = (
            b"InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\r\n"
            b"536365,85123A,HEART,6,2010-12-09 08:26:00,2.55,17850,United Kingdom\r\n"
            b"536365,71053,LANTERN,6,2010-12-09 08:26:00,3.39,17850,United Kingdom\r\n"
            b"540000,85123A,HEART,2,2011-01-04 10:00:00,2.55,17850,United Kingdom\r\n"
        )
        _wizard, run_1 = self._import(first)
        self.assertEqual(run_1.orders_created, 2)
        wizard, run_2 = self._import(second)
        self.assertEqual(wizard.mapping_id.code, "online_retail")
        self.assertEqual(wizard.col_order_ref, "InvoiceNo")
        self.assertEqual((run_2.orders_created, run_2.orders_skipped), (1, 1))
        orders = self.env["sale.order"].search(
            [("cou_imported", "=", True), ("company_id", "=", self.company_a.id)]
        )
        self.assertEqual(
            sorted(orders.mapped("cou_import_ref")), ["489434", "536365", "540000"]
        )
        shared = orders.filtered(lambda o: o.cou_import_ref == "536365")
        self.assertEqual(len(shared.order_line), 2, "the shared order once")
        # the same file again: nothing new
        _wizard, run_3 = self._import(second)
        self.assertEqual((run_3.orders_created, run_3.orders_skipped), (0, 2))

    def test_messages_in_japanese(self):
        self.env["res.lang"]._activate_lang("ja_JP")
        self.env["ir.module.module"]._load_module_terms(
            ["crm_order_unified_history_import"], ["ja_JP"], overwrite=True
        )
        # as the web client sends it: the user's language in the context
        self.user_importer.lang = "ja_JP"
        Wizard = (
            self.env["cou.history.import"]
            .with_user(self.user_importer)
            .with_context(lang="ja_JP")
        )
        duplicate = csv_bytes([[*GOOD.values(), "9"]], header=[*HEADER, "quantity"])
        wizard = Wizard.create(
            {"file": base64.b64encode(duplicate), "file_name": "orders.csv"}
        )
        wizard.action_load_file()
        with self.assertRaisesRegex(UserError, "列 quantity がヘッダーに複数回"):
            wizard.action_dry_run()
        wizard = Wizard.create(
            {
                "file": base64.b64encode(two_rows(quantity="nan", date="01/02/2023")),
                "file_name": "orders.csv",
            }
        )
        wizard.action_load_file()
        wizard.action_dry_run()
        rejected = base64.b64decode(wizard.rejected_file).decode()
        self.assertIn("日と月が入れ替わる可能性", rejected)
        with self.assertRaisesRegex(UserError, "ファイルが空です"):
            Wizard.create(
                {"file": base64.b64encode(b"\r\n\r\n"), "file_name": "orders.csv"}
            ).action_load_file()
