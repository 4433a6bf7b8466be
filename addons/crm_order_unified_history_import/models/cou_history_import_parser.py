import fnmatch
import math
import re
import unicodedata
from collections import Counter, defaultdict, namedtuple
from datetime import datetime, timedelta

import pytz

from odoo import api, models
from odoo.exceptions import UserError
from odoo.tools import float_round

# Names found in real exports that are not in Odoo's country list.
COUNTRY_ALIASES = {
    "eire": "IE",
    "rsa": "ZA",
    "usa": "US",
    "uk": "GB",
    "great britain": "GB",
    "england": "GB",
    "korea": "KR",
    "czech republic": "CZ",
    "the netherlands": "NL",
    "holland": "NL",
}
GUEST_REF = "COU-IMPORT-GUEST"
# Columns an import cannot do without.
REQUIRED_COLUMN_FIELDS = (
    "col_order_ref",
    "col_date",
    "col_product_code",
    "col_quantity",
    "col_price",
)
CUSTOMER_COLUMN_FIELDS = ("col_customer_ref", "col_customer_name", "col_customer_email")

# Order dates the import accepts: older or later dates are typing errors or
# placeholders (9999-12-31), and near year 1 or 9999 date arithmetic overflows.
DATE_MIN = datetime(1900, 1, 1)
DATE_MAX = datetime(2999, 12, 31, 23, 59, 59)
# Numbers in a date column: Excel serial dates (days since 1899-12-30) from
# 10000 (1927-05-18) to 2958465 (9999-12-31); "2023" alone is no date.
EXCEL_SERIAL = re.compile(r"^\d{5,7}(\.\d+)?$")
EXCEL_EPOCH = datetime(1899, 12, 30)
# Unambiguous dates without a date format: 2023/01/10, 2023.1.10, 2023年1月10日,
# optionally followed by a time.
YMD = re.compile(
    r"^(\d{4})\s*[/.年-]\s*(\d{1,2})\s*[/.月-]\s*(\d{1,2})\s*日?"
    r"(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$"
)
# Day and month that could be swapped (01/02/2023): a date format is needed.
DAY_MONTH = re.compile(r"^\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}(?:[ T].*)?$")
# References, codes and emails (indexed: a B-tree index entry holds at most
# 2704 bytes) and customer names: at most this long.
MAX_CODE_LENGTH = 200
MAX_NAME_LENGTH = 500
# Quantities and unit prices: at most this large in absolute value.
NUMBER_MAX = 1e11
# A plain number (fast path) and a number with thousands separators.
PLAIN_NUMBER = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$")
THOUSANDS_DOT = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?$")
THOUSANDS_COMMA = re.compile(r"^[+-]?\d{1,3}(?:\.\d{3})+(?:,\d*)?$")
PLAIN_COMMA = re.compile(r"^[+-]?(?:\d+(?:,\d*)?|,\d+)(?:[eE][+-]?\d+)?$")
# Currency signs and spaces around or inside an amount (¥1,200, 1 200 €, 1'200).
NUMBER_NOISE = re.compile(r"[\s\u00a0\u202f'$€£¥円]")
# Header names recognised for each column (compared without case, spaces,
# underscores, hyphens, dots; full-width letters as half-width).
HEADER_SYNONYMS = {
    "col_order_ref": (
        "invoice invoiceno invoicenumber invoiceid order orderid orderno "
        "ordernumber orderref orderreference salesorder salesorderno "
        "salesordernumber sono sonumber documentno documentnumber voucherno "
        "receiptno 受注番号 伝票番号 注文番号 受注no 注文no 伝票no 受注id 注文id "
        "受注コード 請求書番号 売上番号"
    ),
    "col_date": (
        "date invoicedate orderdate dateorder datetime saledate salesdate "
        "documentdate transactiondate 日付 注文日 受注日 売上日 伝票日付 受注日付 "
        "注文日付 売上日付 請求日 日時"
    ),
    "col_customer_ref": (
        "customerid customerno customernumber customercode customerref "
        "customerreference clientid clientcode clientno accountno accountnumber "
        "顧客コード 得意先コード 顧客番号 顧客id 得意先番号 得意先id 顧客no "
        "得意先no 取引先コード 会員番号"
    ),
    "col_customer_name": (
        "customer customername client clientname companyname 顧客名 得意先名 "
        "顧客 得意先 会社名 取引先名 氏名"
    ),
    "col_customer_email": (
        "email emailaddress customeremail mail メール メールアドレス eメール "
        "電子メール"
    ),
    "col_country": "country countryname countrycode 国 国名 国コード",
    "col_product_code": (
        "stockcode productcode productid productref sku itemcode itemno "
        "itemnumber itemid articleno articlecode partno partnumber 製品コード "
        "商品コード 品番 品目コード 型番 製品番号 商品番号 品目番号"
    ),
    "col_product_name": (
        "description productname product itemname item itemdescription "
        "productdescription articlename 製品名 商品名 品名 品目名 品目 製品 商品 "
        "摘要"
    ),
    "col_quantity": (
        "quantity qty units quantityordered qtyordered 数量 個数 受注数 注文数 "
        "受注数量 注文数量"
    ),
    "col_price": ("price unitprice priceeach priceunit 単価 販売単価 売単価 受注単価"),
    "col_currency": "currency currencycode curr ccy 通貨 通貨コード",
}
HEADER_NOISE = re.compile(r"[\s_\-./()#:]+")

# How the rows of one order name their customer: kind is "ref", "email",
# "name" or "guest" (rows without customer, imported on one guest customer).
CustomerKey = namedtuple("CustomerKey", ["kind", "value"])
# A row left out of the import: its number in the file (header = 1), the
# reason code (see ``_get_reasons``), a detail and the row as read.
RejectedRow = namedtuple("RejectedRow", ["rownum", "reason", "detail", "row"])


class ParsedLine:
    """One accepted line of an order. ``qty`` changes when cancellations are
    netted against the sale; ``raw`` keeps the file row of a cancellation
    line, to report it when no earlier sale matches."""

    __slots__ = (
        "code",
        "is_service",
        "line_no",
        "name",
        "price",
        "qty",
        "raw",
        "rownum",
    )

    def __init__(self, line_no, code, name, qty, price, rownum, is_service, raw=None):
        self.line_no = line_no  # rank of the row among the rows of its order
        self.code = code
        self.name = name
        self.qty = qty
        self.price = price
        self.rownum = rownum
        self.is_service = is_service
        self.raw = raw

    def __repr__(self):
        return f"<ParsedLine {self.line_no} {self.code} {self.qty} x {self.price}>"


class ParsedOrder:
    """One accepted order: its header values from its first row, and its lines."""

    __slots__ = (
        "country_id",
        "currency_id",
        "customer_email",
        "customer_key",
        "customer_name",
        "date",
        "is_cancel",
        "lines",
        "ref",
    )

    def __init__(
        self,
        ref,
        date,
        customer_key,
        customer_name,
        customer_email,
        country_id,
        currency_id,
        is_cancel,
    ):
        self.ref = ref
        self.date = date
        self.customer_key = customer_key
        self.customer_name = customer_name
        self.customer_email = customer_email
        self.country_id = country_id
        self.currency_id = currency_id
        self.is_cancel = is_cancel
        self.lines = []

    def __repr__(self):
        return f"<ParsedOrder {self.ref} ({len(self.lines)} lines)>"


class CouHistoryImportParser(models.AbstractModel):
    """Check the rows of an order-history file and group the accepted ones by
    order, then compare them with the database: orders already imported,
    customers and products to match or create. Writes nothing.

    The result (see :meth:`_analyze`) is a dict: ``header``, ``orders``
    ({ref: :class:`ParsedOrder`}), ``rejected`` ([:class:`RejectedRow`]),
    ``rows_total``, ``unknown_countries``, ``netted``, and after the
    comparison ``todo`` (the orders to write, by date), ``orders_skipped``,
    ``customers``/``new_customers`` ({:class:`CustomerKey`: partner id /
    values}), ``products``/``new_products`` ({code: product id / values}) and
    ``lines_total``.
    """

    _name = "cou.history.import.parser"
    _description = "Order History Import Parser"

    # === BUSINESS METHODS === #
    # rows

    @api.model
    def _get_reasons(self):
        """Translated labels of the rejection reasons, by code."""
        _ = self.env._
        return {
            "adjustment": _("Adjustment row: dropped"),
            "missing_ref": _("Missing order reference"),
            "bad_date": _("Bad date"),
            "ambiguous_date": _(
                "Day and month could be swapped: set the date format of the file"
            ),
            "date_out_of_range": _("Date before 1900 or after 2999"),
            "bad_characters": _("NUL byte in a value"),
            "line_break": _("Line break inside a reference or code (unclosed quote?)"),
            "out_of_range": _("Number too large (more than 100 billion)"),
            "too_long": _(
                "Reference, code or email longer than 200 characters, or customer "
                "name longer than 500"
            ),
            "missing_customer": _("Missing customer"),
            "missing_product": _("Missing product code"),
            "non_product": _("Non-product code"),
            "bad_quantity": _("Bad quantity"),
            "zero_quantity": _("Zero quantity"),
            "bad_price": _("Bad unit price"),
            "zero_price": _("Zero price"),
            "negative_price": _("Negative unit price"),
            "negative_no_cancel": _(
                "Negative quantity without cancellation marker (stock write-off)"
            ),
            "positive_cancel": _("Positive quantity on a cancellation"),
            "unknown_currency": _("Unknown currency"),
            "inactive_currency": _("Currency not active"),
            "duplicate": _("Duplicate of an earlier row"),
            "order_mismatch": _(
                "Customer or currency differs from earlier rows of the same order"
            ),
            "unmatched_cancel": _("Cancellation without an earlier matching sale"),
        }

    @api.model
    def _column_indexes(self, header, settings):
        """``{mapping field: column index}``; UserError on a mapped column missing
        from the file or on a required column not mapped."""
        Mapping = self.env["cou.history.import.mapping"]
        positions = {}
        repeated = defaultdict(list)
        for i, title in enumerate(header):
            key = self._header_key(title)
            if key in positions:
                repeated[key].append(i + 1)
            else:
                positions[key] = i
        indexes = {}
        missing = []
        for fname in Mapping._get_column_fields():
            column = (settings.get(fname) or "").strip()
            if not column:
                continue
            key = self._header_key(column)
            if key not in positions:
                missing.append(column)
                continue
            if key in repeated:
                raise UserError(
                    self.env._(
                        "The column %(column)s appears more than once in the "
                        "header (columns %(positions)s): rename the columns or "
                        "map another one.",
                        column=column,
                        positions=", ".join(
                            str(n) for n in [positions[key] + 1, *repeated[key]]
                        ),
                    )
                )
            indexes[fname] = positions[key]
        if missing:
            raise UserError(
                self.env._(
                    "These mapped columns are not in the file: %(missing)s. Columns found: %(found)s.",  # noqa: E501 (one translatable literal)
                    missing=", ".join(missing),
                    found=", ".join(h for h in header if h),
                )
            )
        for fname in REQUIRED_COLUMN_FIELDS:
            if fname not in indexes:
                description = Mapping._fields[fname].get_description(self.env)
                raise UserError(
                    self.env._(
                        "Map the column %(column)s before importing.",
                        column=description["string"],
                    )
                )
        if not any(f in indexes for f in CUSTOMER_COLUMN_FIELDS):
            raise UserError(
                self.env._(
                    "Map at least one customer column: reference, name or email."
                )
            )
        return indexes

    @api.model
    def _parse(self, rows, settings, options, company, progress=None):  # noqa: C901 (one inline loop over millions of rows: no per-row helper calls)
        """Check every row and group the accepted ones by order.

        :returns: dict with ``orders`` ({ref: ParsedOrder}), ``rejected``
            ([RejectedRow]), ``header``, ``rows_total`` and
            ``unknown_countries``.
        """
        rows = iter(rows)
        rownum = 0
        header = []
        for header in rows:
            rownum += 1
            if any(cell.strip() for cell in header):
                break
        if not any(cell.strip() for cell in header):
            raise UserError(self.env._("The file is empty."))
        # no NUL byte in what messages and reports repeat of the header
        header = [
            cell.replace("\x00", "").strip().lstrip("\ufeff").strip() for cell in header
        ]
        idx = self._column_indexes(header, settings)
        width = len(header)
        header_rownum = rownum

        i_ref, i_date = idx.get("col_order_ref"), idx.get("col_date")
        i_cref = idx.get("col_customer_ref")
        i_cname = idx.get("col_customer_name")
        i_cmail = idx.get("col_customer_email")
        i_country = idx.get("col_country")
        i_code, i_pname = idx.get("col_product_code"), idx.get("col_product_name")
        i_qty, i_price = idx.get("col_quantity"), idx.get("col_price")
        i_cur = idx.get("col_currency")

        cancel_prefix = settings.get("cancel_prefix") or ""
        adjust_prefix = settings.get("adjustment_prefix") or ""
        comma = settings.get("decimal_separator") == ","
        date_format = settings.get("date_format") or ""
        tz = pytz.timezone(settings["timezone"]) if settings.get("timezone") else None
        patterns = [
            p.strip()
            for p in (settings.get("non_product_codes") or "").split(",")
            if p.strip()
        ]
        exact_codes = {p.lower() for p in patterns if "*" not in p and "?" not in p}
        glob_codes = [p.lower() for p in patterns if "*" in p or "?" in p]
        default_currency = self.env["res.currency"].browse(
            settings.get("default_currency_id") or company.currency_id.id
        )
        currencies = {
            c.name.upper(): (c.id, c.active)
            for c in self.env["res.currency"].with_context(active_test=False).search([])
        }
        countries = self._country_lookup()
        reject_non_product = options.get("non_product_mode") == "reject"
        guest = options.get("missing_customer_mode") == "guest"

        orders = {}
        rejected = []
        reject = rejected.append
        unknown_countries = Counter()
        seen = {}
        line_numbers = Counter()
        date_cache = {}
        non_product_cache = {}
        qty_cache = {}
        price_cache = {}
        data_rows = 0
        qty_digits = self.env["decimal.precision"].precision_get(
            "Product Unit of Measure"
        )
        price_digits = self.env["decimal.precision"].precision_get("Product Price")
        parse_number = self._parse_number
        parse_date = self._parse_date
        if progress:
            progress("read", 0, 0)
        for row in rows:
            rownum += 1
            if progress and rownum % 50000 == 0:
                progress("read", rownum, 0)
            if len(row) < width:
                if not any(row):
                    continue
                row = row + [""] * (width - len(row))
            data_rows += 1
            joined = "\x1f".join(row)
            if "\x00" in joined:
                reject(RejectedRow(rownum, "bad_characters", "", row))
                continue
            ref = row[i_ref].strip()
            if not ref:
                reject(RejectedRow(rownum, "missing_ref", "", row))
                continue
            line_numbers[ref] += 1
            line_no = line_numbers[ref]
            if adjust_prefix and ref.startswith(adjust_prefix):
                reject(RejectedRow(rownum, "adjustment", ref, row))
                continue
            key = hash(joined)
            if key in seen:
                reject(RejectedRow(rownum, "duplicate", str(seen[key]), row))
                continue
            seen[key] = rownum
            # date
            raw_date = row[i_date].strip()
            date = date_cache.get(raw_date)
            if date is None:
                date = date_cache[raw_date] = parse_date(raw_date, date_format, tz)
            if isinstance(date, str):  # a reason code
                reject(RejectedRow(rownum, date, raw_date, row))
                continue
            # customer
            cref = row[i_cref].strip() if i_cref is not None else ""
            if cref.endswith(".0") and cref[:-2].isdigit():
                cref = cref[:-2]  # numeric ids exported as floats
            cmail = row[i_cmail].strip().lower() if i_cmail is not None else ""
            cname = row[i_cname].strip() if i_cname is not None else ""
            if cref:
                ckey = CustomerKey("ref", cref)
            elif cmail:
                ckey = CustomerKey("email", cmail)
            elif cname:
                ckey = CustomerKey("name", cname)
            elif guest:
                ckey = CustomerKey("guest", "")
            else:
                reject(RejectedRow(rownum, "missing_customer", "", row))
                continue
            # product
            code = row[i_code].strip()
            if not code:
                reject(RejectedRow(rownum, "missing_product", "", row))
                continue
            if "\n" in ref or "\r" in ref or "\n" in code or "\r" in code:
                reject(RejectedRow(rownum, "line_break", "", row))
                continue
            if (
                len(ref) > MAX_CODE_LENGTH
                or len(code) > MAX_CODE_LENGTH
                or len(cref) > MAX_CODE_LENGTH
                or len(cmail) > MAX_CODE_LENGTH
                or len(cname) > MAX_NAME_LENGTH
            ):
                reject(RejectedRow(rownum, "too_long", "", row))
                continue
            is_service = non_product_cache.get(code)
            if is_service is None:
                low = code.lower()
                is_service = low in exact_codes or any(
                    fnmatch.fnmatchcase(low, g) for g in glob_codes
                )
                non_product_cache[code] = is_service
            if is_service and reject_non_product:
                reject(RejectedRow(rownum, "non_product", code, row))
                continue
            # quantity and price
            # parsed and rounded once per distinct text (rounded as the ORM
            # stores them; + 0.0: no negative zero)
            raw_qty, raw_price = row[i_qty].strip(), row[i_price].strip()
            qty = qty_cache.get(raw_qty)
            if qty is None:
                qty = parse_number(raw_qty, comma)
                if not isinstance(qty, str):
                    qty = float_round(qty, precision_digits=qty_digits) + 0.0
                if len(qty_cache) > 100000:
                    qty_cache.clear()
                qty_cache[raw_qty] = qty
            if isinstance(qty, str):  # "bad" or "out_of_range"
                reason = "bad_quantity" if qty == "bad" else qty
                reject(RejectedRow(rownum, reason, row[i_qty], row))
                continue
            price = price_cache.get(raw_price)
            if price is None:
                price = parse_number(raw_price, comma)
                if not isinstance(price, str):
                    price = float_round(price, precision_digits=price_digits) + 0.0
                if len(price_cache) > 100000:
                    price_cache.clear()
                price_cache[raw_price] = price
            if isinstance(price, str):
                reason = "bad_price" if price == "bad" else price
                reject(RejectedRow(rownum, reason, row[i_price], row))
                continue
            if not qty:
                reject(RejectedRow(rownum, "zero_quantity", raw_qty, row))
                continue
            if not price:
                reject(RejectedRow(rownum, "zero_price", raw_price, row))
                continue
            if price < 0:
                reject(RejectedRow(rownum, "negative_price", raw_price, row))
                continue
            is_cancel = bool(cancel_prefix) and ref.startswith(cancel_prefix)
            if qty < 0 and not is_cancel:
                reject(RejectedRow(rownum, "negative_no_cancel", raw_qty, row))
                continue
            if qty > 0 and is_cancel:
                reject(RejectedRow(rownum, "positive_cancel", raw_qty, row))
                continue
            # currency
            cur_code = row[i_cur].strip().upper() if i_cur is not None else ""
            if cur_code:
                currency = currencies.get(cur_code)
                if not currency:
                    reject(RejectedRow(rownum, "unknown_currency", cur_code, row))
                    continue
                currency_id, currency_active = currency
                if not currency_active:
                    reject(RejectedRow(rownum, "inactive_currency", cur_code, row))
                    continue
            else:
                currency_id = default_currency.id
            order = orders.get(ref)
            if order is None:
                country_name = row[i_country].strip() if i_country is not None else ""
                country_id = (
                    countries.get(country_name.lower()) if country_name else None
                )
                if country_name and not country_id:
                    unknown_countries[country_name] += 1
                order = orders[ref] = ParsedOrder(
                    ref=ref,
                    date=date,
                    customer_key=ckey,
                    customer_name=cname,
                    customer_email=cmail,
                    country_id=country_id,
                    currency_id=currency_id,
                    is_cancel=is_cancel,
                )
            elif order.customer_key != ckey or order.currency_id != currency_id:
                reject(RejectedRow(rownum, "order_mismatch", ref, row))
                continue
            order.lines.append(
                ParsedLine(
                    line_no=line_no,
                    code=code,
                    name=row[i_pname].strip() if i_pname is not None else "",
                    qty=qty,
                    price=price,
                    rownum=rownum,
                    is_service=is_service,
                    # to report an unmatched cancellation with its content
                    raw=row if is_cancel else None,
                )
            )
        if not data_rows:
            raise UserError(
                self.env._(
                    "The file has a header (line %(line)s) but no rows under it.",
                    line=header_rownum,
                )
            )
        return {
            "header": header,
            "orders": orders,
            "rejected": rejected,
            "rows_total": rownum - header_rownum,
            "unknown_countries": unknown_countries,
        }

    @api.model
    def _header_key(self, title):
        """A header name as compared with mapped columns: no surrounding
        space nor byte-order mark, lower case."""
        return (title or "").strip().lstrip("\ufeff").strip().lower()

    @api.model
    def _parse_number(self, raw, comma=False):
        """A quantity or unit price as a float, or a reason: ``"bad"`` (not a
        finite number: empty, nan, inf, text, a separator that does not fit
        the decimal separator) or ``"out_of_range"`` (1e400, more than
        ``NUMBER_MAX``). Accepts thousands separators (1,234.5 or 1.234,5 for
        comma decimals), spaces, currency signs and full-width digits."""
        if not comma and PLAIN_NUMBER.match(raw):
            text = raw
        else:
            text = NUMBER_NOISE.sub("", unicodedata.normalize("NFKC", raw))
            if text.startswith("+-") or text.startswith("-+"):
                return "bad"
            if comma:
                if THOUSANDS_COMMA.match(text):
                    text = text.replace(".", "").replace(",", ".")
                elif PLAIN_COMMA.match(text):
                    text = text.replace(",", ".")
                else:
                    return "bad"
            elif THOUSANDS_DOT.match(text):
                text = text.replace(",", "")
            elif not PLAIN_NUMBER.match(text):
                return "bad"
        value = float(text)
        if math.isnan(value):
            return "bad"
        if math.isinf(value) or abs(value) > NUMBER_MAX:
            return "out_of_range"
        return value

    @api.model
    def _parse_date(self, raw, date_format="", tz=None):
        """An order date as a naive UTC datetime, or a reason code
        (``bad_date``, ``ambiguous_date``, ``date_out_of_range``).

        Without a date format: ISO 8601 (with or without time and offset),
        2023/01/10 and 2023年1月10日, and Excel serial numbers; 01/02/2023 is
        refused as ambiguous. Dates with an offset are converted to UTC,
        others are local times of ``tz`` (UTC when None)."""
        if not raw:
            return "bad_date"
        try:
            if date_format:
                date = datetime.strptime(raw, date_format)
            elif EXCEL_SERIAL.match(raw):
                date = EXCEL_EPOCH + timedelta(days=float(raw))
            elif match := YMD.match(raw):
                date = datetime(*(int(g or 0) for g in match.groups()))
            elif DAY_MONTH.match(raw):
                return "ambiguous_date"
            else:
                date = datetime.fromisoformat(raw)
        except (ValueError, OverflowError):
            return "bad_date"
        if not DATE_MIN <= date.replace(tzinfo=None) <= DATE_MAX:
            return "date_out_of_range"
        date = date.replace(microsecond=0)  # as the ORM stores datetimes
        try:
            if date.tzinfo:
                date = date.astimezone(pytz.utc).replace(tzinfo=None)
            elif tz:
                date = tz.localize(date).astimezone(pytz.utc).replace(tzinfo=None)
        except (ValueError, OverflowError):
            return "date_out_of_range"
        return date

    @api.model
    def _guess_columns(self, header):
        """``{column field: header name}`` for the header names recognised
        in English or Japanese (``HEADER_SYNONYMS``); the first of repeated
        names is taken."""
        by_key = {}
        for fname, names in HEADER_SYNONYMS.items():
            for name in names.split():
                by_key.setdefault(name, fname)
        guessed = {}
        for title in header:
            fname = by_key.get(self._header_synonym_key(title))
            if fname and fname not in guessed:
                guessed[fname] = title.strip().lstrip("\ufeff").strip()
        return guessed

    @api.model
    def _header_synonym_key(self, title):
        """A header name as compared with ``HEADER_SYNONYMS``: half-width,
        lower case, without spaces, underscores, hyphens, dots or brackets."""
        text = unicodedata.normalize("NFKC", title or "").lstrip("\ufeff")
        return HEADER_NOISE.sub("", text).lower()

    @api.model
    def _country_lookup(self):
        """``{lower-case name or code: country id}`` in English and the user's
        language."""
        lookup = {}
        Country = self.env["res.country"]
        for lang in {"en_US", self.env.lang or "en_US"}:
            for country in Country.with_context(lang=lang).search([]):
                lookup[country.name.lower()] = country.id
                lookup[country.code.lower()] = country.id
        by_code = {c.code: c.id for c in Country.search([])}
        for alias, code in COUNTRY_ALIASES.items():
            if code in by_code:
                lookup.setdefault(alias, by_code[code])
        return lookup

    @api.model
    def _net_cancellations(self, parsed):
        """Net mode: each cancelled quantity lowers the customer's latest
        earlier sales of the same product; unmatched quantities are rejected.
        Cancellation orders themselves are not imported."""
        orders = parsed["orders"]
        if not any(order.is_cancel for order in orders.values()):
            # nothing to net: every line has a positive quantity (negative
            # ones without cancellation marker and zero ones are rejected)
            parsed["netted"] = 0
            return
        # (customer key, code) -> [(date, ref, line)]
        sales = defaultdict(list)
        cancels = []
        for order in orders.values():
            if order.is_cancel:
                cancels.append(order)
                continue
            for line in order.lines:
                sales[order.customer_key, line.code].append(
                    (order.date, order.ref, line)
                )
        for candidates in sales.values():
            candidates.sort(key=lambda c: (c[0], c[1], c[2].line_no))
        cancels.sort(key=lambda o: (o.date, o.ref))
        netted = 0
        for order in cancels:
            del orders[order.ref]
            for line in order.lines:
                remaining = -line.qty
                for date, _ref, sale in reversed(
                    sales.get((order.customer_key, line.code), ())
                ):
                    if remaining <= 0:
                        break
                    if date > order.date or sale.qty <= 0:
                        continue
                    take = min(sale.qty, remaining)
                    sale.qty -= take
                    remaining -= take
                if remaining > 0:
                    parsed["rejected"].append(
                        RejectedRow(
                            line.rownum, "unmatched_cancel", str(remaining), line.raw
                        )
                    )
                else:
                    netted += 1
        for ref in [
            ref for ref, o in orders.items() if any(ln.qty <= 0 for ln in o.lines)
        ]:
            lines = [ln for ln in orders[ref].lines if ln.qty > 0]
            if lines:
                orders[ref].lines = lines
            else:
                del orders[ref]
        parsed["netted"] = netted

    # === BUSINESS METHODS === #
    # comparison with the database

    @api.model
    def _match_customers(self, orders, company):
        """``(matched, to_create)``: customer key -> partner id for existing
        customers (by reference, email, then exact name), and key -> values
        of the customers to create."""
        Partner = self.env["res.partner"].with_context(active_test=False)
        wanted = {}
        for order in orders:
            wanted.setdefault(order.customer_key, order)
        matched = {}
        company_domain = [("company_id", "in", (False, company.id))]
        by_kind = defaultdict(list)
        for kind, value in wanted:
            by_kind[kind].append(value)
        for kind, field in (
            ("ref", "ref"),
            ("email", "email_normalized"),
            ("name", "name"),
        ):
            values = by_kind.get(kind)
            if not values:
                continue
            for start in range(0, len(values), 20000):
                chunk = values[start : start + 20000]
                for rec in Partner.search_read(
                    [(field, "in", chunk), *company_domain], [field], order="id"
                ):
                    matched.setdefault(CustomerKey(kind, rec[field]), rec["id"])
        guest_key = CustomerKey("guest", "")
        if guest_key in wanted:
            guest = Partner.search([("ref", "=", GUEST_REF), *company_domain], limit=1)
            if guest:
                matched[guest_key] = guest.id
        to_create = {}
        for ckey, order in wanted.items():
            if ckey in matched:
                continue
            if ckey.kind == "guest":
                name = self.env._("Guest customers (imported)")
                ref = GUEST_REF
            elif ckey.kind == "ref":
                name = order.customer_name or self.env._(
                    "Customer %(ref)s", ref=ckey.value
                )
                ref = ckey.value
            else:
                name = order.customer_name or ckey.value
                ref = False
            to_create[ckey] = {
                "name": name,
                "ref": ref,
                "email": order.customer_email or False,
                "country_id": order.country_id or False,
                "company_id": company.id,
                "customer_rank": 1,
            }
        return matched, to_create

    @api.model
    def _match_products(self, orders, company):
        """``(matched, to_create)``: product code -> product id for existing
        products (by internal reference), and code -> values to create."""
        wanted = {}
        for order in orders:
            for line in order.lines:
                wanted.setdefault(line.code, line)
        # archived products too: an archived product keeps its code, and a
        # second product with the same code would split its history
        Product = self.env["product.product"].with_context(active_test=False)
        matched = {}
        codes = list(wanted)
        for start in range(0, len(codes), 20000):
            for rec in Product.search_read(
                [
                    ("default_code", "in", codes[start : start + 20000]),
                    ("company_id", "in", (False, company.id)),
                ],
                ["default_code"],
                order="active desc, id",
            ):
                matched.setdefault(rec["default_code"], rec["id"])
        to_create = {}
        for code, line in wanted.items():
            if code in matched:
                continue
            to_create[code] = {
                "name": line.name or code,
                "default_code": code,
                "type": "service" if line.is_service else "consu",
                "sale_ok": True,
                "purchase_ok": False,
                "company_id": company.id,
            }
        return matched, to_create

    @api.model
    def _analyze(self, rows, settings, options, company, progress=None):
        """Everything a dry run shows, without writing anything."""
        parsed = self._parse(rows, settings, options, company, progress=progress)
        if options.get("cancel_mode", "net") == "net":
            self._net_cancellations(parsed)
        orders = parsed["orders"]
        existing = self.env["sale.order"]._cou_import_existing_refs(
            orders.keys(), company
        )
        todo = [o for ref, o in orders.items() if ref not in existing]
        todo.sort(key=lambda o: (o.date, o.ref))
        customers, new_customers = self._match_customers(todo, company)
        products, new_products = self._match_products(todo, company)
        # matched archived products are used as they are, and reported
        archived = (
            self.env["product.product"]
            .with_context(active_test=False)
            .browse(products.values())
            .filtered(lambda p: not p.active)
        )
        parsed.update(
            archived_products=sorted(archived.mapped("default_code")),
            todo=todo,
            orders_skipped=len(existing),
            customers=customers,
            new_customers=new_customers,
            products=products,
            new_products=new_products,
            lines_total=sum(len(o.lines) for o in todo),
        )
        return parsed
