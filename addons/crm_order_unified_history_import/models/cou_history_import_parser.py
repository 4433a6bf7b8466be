import fnmatch
from collections import Counter, defaultdict, namedtuple
from datetime import datetime

import pytz

from odoo import api, models
from odoo.exceptions import UserError

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
        positions = {h.strip().lower(): i for i, h in enumerate(header)}
        indexes = {}
        missing = []
        for fname in Mapping._get_column_fields():
            column = settings.get(fname) or ""
            if not column:
                continue
            if column.lower() not in positions:
                missing.append(column)
                continue
            indexes[fname] = positions[column.lower()]
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
        try:
            header = next(rows)
        except StopIteration:
            raise UserError(self.env._("The file is empty.")) from None
        idx = self._column_indexes(header, settings)
        width = len(header)

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
        rownum = 1
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
            ref = row[i_ref].strip()
            if not ref:
                reject(RejectedRow(rownum, "missing_ref", "", row))
                continue
            line_numbers[ref] += 1
            line_no = line_numbers[ref]
            if adjust_prefix and ref.startswith(adjust_prefix):
                reject(RejectedRow(rownum, "adjustment", ref, row))
                continue
            key = hash("\x1f".join(row))
            if key in seen:
                reject(RejectedRow(rownum, "duplicate", str(seen[key]), row))
                continue
            seen[key] = rownum
            # date
            raw_date = row[i_date].strip()
            date = date_cache.get(raw_date)
            if date is None:
                try:
                    date = (
                        datetime.strptime(raw_date, date_format)
                        if date_format
                        else datetime.fromisoformat(raw_date)
                    )
                    if date.tzinfo:
                        date = date.astimezone(pytz.utc).replace(tzinfo=None)
                    elif tz:
                        date = (
                            tz.localize(date).astimezone(pytz.utc).replace(tzinfo=None)
                        )
                    if date.year < 1900:
                        raise ValueError(raw_date)
                except ValueError:
                    date = False
                date_cache[raw_date] = date
            if not date:
                reject(RejectedRow(rownum, "bad_date", raw_date, row))
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
            raw_qty, raw_price = row[i_qty].strip(), row[i_price].strip()
            if comma:
                raw_qty = raw_qty.replace(".", "").replace(",", ".")
                raw_price = raw_price.replace(".", "").replace(",", ".")
            try:
                qty = float(raw_qty)
            except ValueError:
                reject(RejectedRow(rownum, "bad_quantity", row[i_qty], row))
                continue
            try:
                price = float(raw_price)
            except ValueError:
                reject(RejectedRow(rownum, "bad_price", row[i_price], row))
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
        return {
            "header": header,
            "orders": orders,
            "rejected": rejected,
            "rows_total": rownum - 1,
            "unknown_countries": unknown_countries,
        }

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
        Product = self.env["product.product"]
        matched = {}
        codes = list(wanted)
        for start in range(0, len(codes), 20000):
            for rec in Product.search_read(
                [
                    ("default_code", "in", codes[start : start + 20000]),
                    ("company_id", "in", (False, company.id)),
                ],
                ["default_code"],
                order="id",
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
        parsed.update(
            todo=todo,
            orders_skipped=len(existing),
            customers=customers,
            new_customers=new_customers,
            products=products,
            new_products=new_products,
            lines_total=sum(len(o.lines) for o in todo),
        )
        return parsed
