import io
import json
from collections import defaultdict, namedtuple
from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.tools import SQL, float_round

COPY_ESCAPES = {92: "\\\\", 9: "\\t", 10: "\\n", 13: "\\r"}

# The columns the bulk writer sets on sale_order, in COPY order; the other
# plain stored fields get their defaults (appended after these columns).
SaleOrderRow = namedtuple(
    "SaleOrderRow",
    [
        "id",
        "name",
        "state",
        "locked",
        "company_id",
        "partner_id",
        "partner_invoice_id",
        "partner_shipping_id",
        "fiscal_position_id",
        "payment_term_id",
        "pricelist_id",
        "currency_id",
        "currency_rate",
        "user_id",
        "team_id",
        "journal_id",
        "note",
        "require_signature",
        "require_payment",
        "prepayment_percent",
        "validity_date",
        "date_order",
        "origin",
        "invoice_status",
        "amount_untaxed",
        "amount_tax",
        "amount_total",
        "sale_order_template_id",
        "warehouse_id",
        "picking_policy",
        "create_uid",
        "create_date",
        "write_uid",
        "write_date",
        "cou_imported",
        "cou_import_ref",
        "cou_import_run_id",
    ],
)
# The columns the bulk writer sets on sale_order_line, in COPY order.
SaleOrderLineRow = namedtuple(
    "SaleOrderLineRow",
    [
        "id",
        "order_id",
        "sequence",
        "company_id",
        "currency_id",
        "order_partner_id",
        "salesman_id",
        "product_id",
        "product_uom",
        "state",
        "name",
        "product_uom_qty",
        "price_unit",
        "discount",
        "price_subtotal",
        "price_tax",
        "price_total",
        "price_reduce_taxexcl",
        "price_reduce_taxinc",
        "technical_price_unit",
        "qty_delivered_method",
        "qty_delivered",
        "qty_invoiced",
        "qty_to_invoice",
        "invoice_status",
        "untaxed_amount_invoiced",
        "untaxed_amount_to_invoice",
        "is_downpayment",
        "is_expense",
        "customer_lead",
        "product_packaging_qty",
        "warehouse_id",
        "create_uid",
        "create_date",
        "write_uid",
        "write_date",
        "cou_import_key",
    ],
)
OrderTagRow = namedtuple("OrderTagRow", ["order_id", "tag_id"])
# Order header values the ORM computes from the customer (onchange of a new order).
HEADER_FIELDS = [
    "partner_invoice_id",
    "partner_shipping_id",
    "fiscal_position_id",
    "payment_term_id",
    "pricelist_id",
    "user_id",
    "team_id",
    "journal_id",
    "note",
    "require_signature",
    "require_payment",
    "prepayment_percent",
    "sale_order_template_id",
    "warehouse_id",
    "picking_policy",
]


def _copy_text(value):
    """One value in PostgreSQL COPY text format."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        return str.translate(value, COPY_ESCAPES)
    return str(value)


class CouHistoryImportWriter(models.AbstractModel):
    """Write parsed orders (see ``cou.history.import.parser``) as confirmed,
    locked sale orders: customers and products with the ORM, orders and lines
    with bulk ``COPY``, whole orders per batch.

    The rows written are the ones the ORM would write for a confirmed, locked
    order without taxes (see :meth:`_prepare_order_row` /
    :meth:`_prepare_line_row`; the test ``test_import_rows_equal_orm`` compares
    them column by column). What the rows need is read once per import or per
    batch into a ``cache`` dict (:meth:`_build_cache`, :meth:`_batch_context`),
    never once per order.
    """

    _name = "cou.history.import.writer"
    _description = "Order History Import Bulk Writer"

    # === BUSINESS METHODS === #
    # customers and products (ORM)

    @api.model
    def _create_customers(self, parsed):
        """Create the missing customers with the ORM.

        :returns: (customer key -> partner id, ids of the created partners)
        """
        customers = dict(parsed["customers"])
        new = parsed["new_customers"]
        created = []
        if new:
            Partner = self.env["res.partner"].with_context(
                cou_skip_customer_360=True,
                tracking_disable=True,
                mail_create_nolog=True,
                mail_create_nosubscribe=True,
            )
            keys = list(new)
            vals_list = self._with_defaults(Partner, [new[k] for k in keys])
            for start in range(0, len(keys), 2000):
                chunk = keys[start : start + 2000]
                partners = Partner.create(vals_list[start : start + 2000])
                customers.update(zip(chunk, partners.ids, strict=False))
                created.extend(partners.ids)
        return customers, created

    @api.model
    def _create_products(self, parsed, invoice_policy):
        """Create the missing products with the ORM; returns code -> product id."""
        products = dict(parsed["products"])
        new = parsed["new_products"]
        if new:
            Template = self.env["product.template"].with_context(
                tracking_disable=True,
                mail_create_nolog=True,
                mail_create_nosubscribe=True,
            )
            codes = list(new)
            vals_list = self._with_defaults(
                Template,
                [
                    dict(
                        new[c],
                        invoice_policy=invoice_policy,
                        taxes_id=[Command.clear()],
                    )
                    for c in codes
                ],
            )
            # in chunks of 10,000: each create() runs account's constraint
            # _check_uom_not_in_invoice once, a scan of the journal items
            for start in range(0, len(codes), 10000):
                chunk = codes[start : start + 10000]
                templates = Template.create(vals_list[start : start + 10000])
                products.update(
                    zip(chunk, templates.product_variant_id.ids, strict=False)
                )
        return products

    @api.model
    def _with_defaults(self, Model, vals_list):
        """``vals_list`` completed with the defaults of the other fields, read
        once for all records instead of once per record in ``create()`` (a
        default may run a query: account's invoice report default on
        partners). Only when the defaults are the same on a second read (no
        default that differs per record) and every dict has the same keys;
        otherwise ``vals_list`` as it is, for ``create()`` to complete."""
        if not vals_list or any(
            vals.keys() != vals_list[0].keys() for vals in vals_list
        ):
            return vals_list
        first = Model._add_missing_default_values(dict(vals_list[0]))
        if first != Model._add_missing_default_values(dict(vals_list[0])):
            return vals_list
        defaults = {k: v for k, v in first.items() if k not in vals_list[0]}
        return [
            {
                **{
                    k: list(v) if isinstance(v, list) else v
                    for k, v in defaults.items()
                },
                **vals,
            }
            for vals in vals_list
        ]

    # === BUSINESS METHODS === #
    # orders and lines (COPY)

    @api.model
    def _build_cache(self, run, customers, products, created_partner_ids):
        """What every batch of ``run`` needs, read once per import."""
        company = run.company_id
        tag = self.env.ref(
            "crm_order_unified_history_import.crm_tag_cou_imported",
            raise_if_not_found=False,
        )
        if not tag:
            tag = self.env["crm.tag"].create({"name": self.env._("Imported history")})
        # other stored fields get their default, as in create()
        order_defaults = self._column_defaults(
            "sale.order", company, SaleOrderRow._fields
        )
        line_defaults = self._column_defaults(
            "sale.order.line", company, SaleOrderLineRow._fields
        )
        pricelists = {}
        for pl in self.env["product.pricelist"].search(
            [("company_id", "in", (False, company.id))],
            order="company_id desc, sequence, id desc",
        ):
            pricelists[pl.currency_id.id] = pl.id
        return {
            "now": fields.Datetime.now(),
            "uid": self.env.uid,
            "run_id": run.id,
            "run_name": run.name,
            "company": company,
            "company_currency": company.currency_id,
            "invoice_all": run.create_invoices,
            "validity_days": company.quotation_validity_days,
            "price_digits": self.env["decimal.precision"].precision_get(
                "Product Price"
            ),
            "tag_id": tag.id,
            "order_columns": [*SaleOrderRow._fields, *order_defaults],
            "line_columns": [*SaleOrderLineRow._fields, *line_defaults],
            "header_fields": HEADER_FIELDS,
            "signatures": {},
            "headers": {},
            "products": {},
            "rates": {},
            "pricelists": pricelists,
            "pricelist_currency": {},
            "created_partner_ids": set(created_partner_ids),
            "currencies": {},
            "customers": customers,
            "product_ids": products,
            "order_defaults": order_defaults,
            "line_defaults": line_defaults,
        }

    @api.model
    def _column_defaults(self, model, company, columns):
        """``{column: value}``: defaults of the other plain stored fields."""
        Model = self.env[model].with_company(company)
        fnames = [
            f.name
            for f in Model._fields.values()
            if f.store
            and f.column_type
            and not f.compute
            and not f.related
            and f.name not in columns
            and f.name not in models.MAGIC_COLUMNS
        ]
        defaults = {}
        for fname, value in Model.default_get(fnames).items():
            field = Model._fields[fname]
            if field.type == "many2one":
                value = (
                    value.id if isinstance(value, models.BaseModel) else value or None
                )
            elif field.type in ("many2many", "one2many"):
                continue
            if value is False and field.type not in ("boolean",):
                value = None
            if field.type == "json" or isinstance(value, dict | list):
                value = json.dumps(value)
            defaults[fname] = value
        return defaults

    @api.model
    def _write_orders(self, batch, cache):
        """Insert the orders of ``batch`` with their lines and tag, then let the
        ORM compute the stored fields other modules add.

        :returns: (order ids, number of lines)
        """
        context = self._batch_context(batch, cache)
        order_ids = self._sequence_ids("sale_order_id_seq", len(batch))
        lines_count = sum(len(o.lines) for o in batch)
        line_ids = iter(self._sequence_ids("sale_order_line_id_seq", lines_count))
        order_defaults = context["order_defaults"]
        line_defaults = context["line_defaults"]
        # the lines as COPY text, written row by row into one buffer (the
        # values of _prepare_line_row, formatted from per-order, per-product
        # and per-amount parts: no per-column call per line)
        line_buf = io.StringIO()
        line_end = (
            "\t" + "\t".join(map(_copy_text, line_defaults.values())) + "\n"
            if line_defaults
            else "\n"
        )
        order_rows, all_line_ids = [], []
        for order, order_id in zip(batch, order_ids, strict=False):
            ids = [next(line_ids) for _line in order.lines]
            all_line_ids.extend(ids)
            subtotals, statuses = self._write_line_rows(
                context, order, order_id, ids, line_buf.write, line_end
            )
            order_rows.append(
                self._prepare_order_row(context, order, order_id, subtotals, statuses)
            )
        self._copy(
            "sale_order",
            [*SaleOrderRow._fields, *order_defaults],
            order_rows,
            tail=tuple(order_defaults.values()),
        )
        line_buf.seek(0)
        self._copy_buffer(
            "sale_order_line", [*SaleOrderLineRow._fields, *line_defaults], line_buf
        )
        self._copy(
            "sale_order_tag_rel",
            OrderTagRow._fields,
            [OrderTagRow(order_id=oid, tag_id=context["tag_id"]) for oid in order_ids],
        )
        self._recompute_others(order_ids, all_line_ids, cache)
        return order_ids, lines_count

    @api.model
    def _write_line_rows(self, cache, order, order_id, line_ids, write, end="\n"):
        """Write the COPY text of the lines of ``order`` with ``write``: the
        rows of :meth:`_prepare_line_row` (the test
        ``test_import_line_rows_text`` compares them), without its per-column
        formatting.

        :returns: (the lines' subtotals, their invoice statuses)
        """
        partner_id = cache["customers"][order.customer_key]
        header = cache["headers"][partner_id]
        _currency, digits, _rounding = self._currency(cache, order.currency_id)
        salesman = _copy_text(header["user_id"] or None)
        head = (
            f"\t{order_id}\t10\t{cache['company'].id}\t{order.currency_id}"
            f"\t{partner_id}\t{salesman}\t"
        )
        stamp = cache.get("line_stamp")
        if stamp is None:
            uid, now = cache["uid"], cache["now"]
            stamp = cache["line_stamp"] = f"{uid}\t{now}\t{uid}\t{now}\t"
        tail = f"\t0.0\t{_copy_text(header['warehouse_id'] or None)}\t{stamp}"
        amounts = cache.setdefault("line_amounts", {})
        line_products = cache.setdefault("line_products", {})
        price_digits = cache["price_digits"]
        invoice_all = cache["invoice_all"]
        subtotals, statuses = [], []
        for line_id, line in zip(line_ids, order.lines, strict=True):
            product_id = cache["product_ids"][line.code]
            prod = line_products.get(product_id)
            if prod is None:
                product = cache["products"][product_id]
                policy = product["policy"]
                method = "stock_move" if product["type"] == "consu" else "manual"
                delivered = False
                if invoice_all and policy != "order":
                    policy, method, delivered = "order", "manual", True
                prod = line_products[product_id] = (
                    f"{product_id}\t{product['uom_id']}\tsale\t",
                    policy == "order",
                    method,
                    delivered,
                    str(product["sale_delay"]),
                    _copy_text(product["display_name"]),
                )
            prod_text, invoiced_on_order, method, delivered, lead, display = prod
            qty, price = line.qty, line.price
            amount = amounts.get((qty, price, digits))
            if amount is None:
                subtotal = float_round(qty * price, precision_digits=digits)
                price_reduce = (
                    float_round(subtotal / qty, precision_digits=price_digits)
                    if qty
                    else 0.0
                )
                amount = amounts[qty, price, digits] = (
                    subtotal,
                    f"{qty}\t{price}\t0.0\t{subtotal}\t0.0\t{subtotal}\t"
                    f"{price_reduce}\t{price_reduce}\t{price}\t",
                )
            subtotal, amount_text = amount
            if invoiced_on_order:
                qty_to_invoice, to_invoice = qty, subtotal
            else:
                qty_to_invoice, to_invoice = 0.0, 0.0
            if qty_to_invoice:
                status = "to invoice"
            elif qty <= 0:
                status = "invoiced"
            else:
                status = "no"
            subtotals.append(subtotal)
            statuses.append(status)
            name = _copy_text(f"[{line.code}] {line.name}") if line.name else display
            write(
                f"{line_id}{head}{prod_text}{name}\t{amount_text}{method}\t"
                f"{qty if delivered else 0.0}\t0.0\t{qty_to_invoice}\t{status}\t"
                f"0.0\t{to_invoice}\t\\N\t\\N\t{lead}{tail}"
                f"{_copy_text(f'{order.ref}#{line.line_no}')}{end}"
            )
        return subtotals, statuses

    @api.model
    def _sequence_ids(self, sequence, count):
        """``count`` new ids from the sequence of a table."""
        if not count:
            return []
        self.env.cr.execute(
            SQL("SELECT nextval(%s) FROM generate_series(1, %s)", sequence, count)
        )
        return [next_id for (next_id,) in self.env.cr.fetchall()]

    @api.model
    def _copy(self, table, columns, rows, tail=()):
        """Bulk insert with COPY (text format): each of ``rows`` followed by the
        values of ``tail``, in the order of ``columns``."""
        if not rows:
            return
        buf = io.StringIO()
        write = buf.write
        # the tail (defaults, the same on every row) is formatted once
        end = "\t" + "\t".join(map(_copy_text, tail)) + "\n" if tail else "\n"
        for row in rows:
            write("\t".join(map(_copy_text, row)))
            write(end)
        buf.seek(0)
        query = SQL(
            "COPY %s (%s) FROM STDIN",
            SQL.identifier(table),
            SQL(", ").join(SQL.identifier(c) for c in columns),
        )
        self.env.cr._obj.copy_expert(query.code, buf)

    @api.model
    def _copy_buffer(self, table, columns, buf):
        """Bulk insert with COPY of ``buf``, rows already in COPY text format."""
        query = SQL(
            "COPY %s (%s) FROM STDIN",
            SQL.identifier(table),
            SQL(", ").join(SQL.identifier(c) for c in columns),
        )
        self.env.cr._obj.copy_expert(query.code, buf)

    @api.model
    def _batch_context(self, batch, cache):
        """Complete ``cache`` with what the rows of a batch need, read once
        per batch (no query per order)."""
        company = cache["company"]
        SaleOrder = self.env["sale.order"].with_company(company)
        customers, products = cache["customers"], cache["product_ids"]
        partner_ids = {customers[o.customer_key] for o in batch}
        # header values the ORM computes from the partner, once per "partner kind"
        partners = self.env["res.partner"].browse(sorted(partner_ids))
        missing = [p for p in partners if p.id not in cache["headers"]]
        if missing:
            rows = (
                self.env["res.partner"]
                .browse([p.id for p in missing])
                .read(
                    ["country_id", "create_date", "child_ids", "user_id", "parent_id"]
                )
            )
            for p, data in zip(missing, rows, strict=False):
                simple = (
                    not data["child_ids"]
                    and not data["user_id"]
                    and not data["parent_id"]
                    and p.id in cache["created_partner_ids"]
                )
                sig = (
                    ("country", data["country_id"] and data["country_id"][0])
                    if simple
                    else ("partner", p.id)
                )
                header = cache["signatures"].get(sig)
                if header is None:
                    new = SaleOrder.new({"partner_id": p.id, "company_id": company.id})
                    header = {
                        fname: new[fname].id
                        if new._fields[fname].type == "many2one"
                        else new[fname]
                        for fname in cache["header_fields"]
                    }
                    header["_partner_id"] = p.id
                    cache["signatures"][sig] = header
                if header["_partner_id"] != p.id:
                    header = dict(header, _partner_id=p.id)
                    for fname in ("partner_invoice_id", "partner_shipping_id"):
                        if header[fname] == cache["signatures"][sig]["_partner_id"]:
                            header[fname] = p.id
                cache["headers"][p.id] = header
        # products
        product_ids = {products[ln.code] for o in batch for ln in o.lines} - set(
            cache["products"]
        )
        if product_ids:
            for prod in (
                self.env["product.product"]
                .browse(sorted(product_ids))
                .with_context(lang=self.env.lang)
            ):
                cache["products"][prod.id] = {
                    "uom_id": prod.uom_id.id,
                    "policy": prod.invoice_policy,
                    "type": prod.type,
                    "sale_delay": prod.sale_delay or 0.0,
                    "display_name": prod.display_name,
                }
        return cache

    @api.model
    def _currency(self, cache, currency_id):
        """(currency, decimal places, rounding), read once per import."""
        currency = cache["currencies"].get(currency_id)
        if currency is None:
            rec = self.env["res.currency"].browse(currency_id)
            currency = cache["currencies"][currency_id] = (
                rec,
                rec.decimal_places,
                rec.rounding,
            )
        return currency

    @api.model
    def _prepare_line_row(self, cache, order, order_id, line_id, line):
        """The sale_order_line row the ORM would write for this line on a
        confirmed order (no taxes, nothing delivered nor invoiced yet)."""
        qty, price = line.qty, line.price
        product_id = cache["product_ids"][line.code]
        product = cache["products"][product_id]
        partner_id = cache["customers"][order.customer_key]
        header = cache["headers"][partner_id]
        _currency, digits, _rounding = self._currency(cache, order.currency_id)
        subtotal = float_round(qty * price, precision_digits=digits)
        price_reduce = (
            float_round(subtotal / qty, precision_digits=cache["price_digits"])
            if qty
            else 0.0
        )
        policy = product["policy"]
        delivered_method = "stock_move" if product["type"] == "consu" else "manual"
        qty_delivered = 0.0
        if cache["invoice_all"] and policy != "order":
            # invoices asked for: the history was delivered outside Odoo
            policy, delivered_method, qty_delivered = "order", "manual", qty
        qty_to_invoice = qty if policy == "order" else 0.0
        if qty_to_invoice:
            status = "to invoice"
        elif qty <= 0:
            status = "invoiced"
        else:
            status = "no"
        # price * qty rounded: the subtotal (the product commutes exactly)
        to_invoice = subtotal if policy == "order" else 0.0
        now, uid = cache["now"], cache["uid"]
        return SaleOrderLineRow(
            id=line_id,
            order_id=order_id,
            sequence=10,
            company_id=cache["company"].id,
            currency_id=order.currency_id,
            order_partner_id=partner_id,
            salesman_id=header["user_id"] or None,
            product_id=product_id,
            product_uom=product["uom_id"],
            state="sale",
            name=f"[{line.code}] {line.name}" if line.name else product["display_name"],
            product_uom_qty=qty,
            price_unit=price,
            discount=0.0,
            price_subtotal=subtotal,
            price_tax=0.0,
            price_total=subtotal,
            price_reduce_taxexcl=price_reduce,
            price_reduce_taxinc=price_reduce,
            technical_price_unit=price,
            qty_delivered_method=delivered_method,
            qty_delivered=qty_delivered,
            qty_invoiced=0.0,
            qty_to_invoice=qty_to_invoice,
            invoice_status=status,
            untaxed_amount_invoiced=0.0,
            untaxed_amount_to_invoice=to_invoice,
            is_downpayment=None,
            is_expense=None,
            customer_lead=product["sale_delay"],
            product_packaging_qty=0.0,
            warehouse_id=header["warehouse_id"] or None,
            create_uid=uid,
            create_date=now,
            write_uid=uid,
            write_date=now,
            cou_import_key=f"{order.ref}#{line.line_no}",
        )

    @api.model
    def _prepare_order_row(self, cache, order, order_id, subtotals, statuses):
        """The sale_order row the ORM would write for a confirmed, locked order
        whose lines have these subtotals and invoice statuses."""
        partner_id = cache["customers"][order.customer_key]
        header = cache["headers"][partner_id]
        currency_id = order.currency_id
        currency, digits, _rounding = self._currency(cache, currency_id)
        date = order.date
        pricelist_id = header["pricelist_id"]
        if pricelist_id:
            pl_currency = cache["pricelist_currency"].get(pricelist_id)
            if pl_currency is None:
                pl_currency = cache["pricelist_currency"][pricelist_id] = (
                    self.env["product.pricelist"].browse(pricelist_id).currency_id.id
                )
            if pl_currency != currency_id:
                pricelist_id = None
        if not pricelist_id and currency_id != cache["company_currency"].id:
            # keeps currency_id consistent with its compute (pricelist currency)
            pricelist_id = cache["pricelists"].get(currency_id)
        rate_key = (currency_id, date.date())
        rate = cache["rates"].get(rate_key)
        if rate is None:
            rate = cache["rates"][rate_key] = self.env[
                "res.currency"
            ]._get_conversion_rate(
                cache["company_currency"], currency, cache["company"], date.date()
            )
        untaxed = float_round(sum(subtotals), precision_digits=digits)
        statuses = set(statuses)
        if "to invoice" in statuses:
            status = "to invoice"
        elif statuses == {"invoiced"}:
            status = "invoiced"
        else:
            status = "no"
        days = cache["validity_days"]
        now, uid = cache["now"], cache["uid"]
        return SaleOrderRow(
            id=order_id,
            name=order.ref,
            state="sale",
            locked=True,
            company_id=cache["company"].id,
            partner_id=partner_id,
            partner_invoice_id=header["partner_invoice_id"],
            partner_shipping_id=header["partner_shipping_id"],
            fiscal_position_id=header["fiscal_position_id"] or None,
            payment_term_id=header["payment_term_id"] or None,
            pricelist_id=pricelist_id or None,
            currency_id=currency_id,
            currency_rate=rate,
            user_id=header["user_id"] or None,
            team_id=header["team_id"] or None,
            journal_id=header["journal_id"] or None,
            note=header["note"] or None,
            require_signature=header["require_signature"],
            require_payment=header["require_payment"],
            prepayment_percent=header["prepayment_percent"],
            validity_date=(date.date() + timedelta(days)) if days > 0 else None,
            date_order=date,
            origin=cache["run_name"],
            invoice_status=status,
            amount_untaxed=untaxed,
            amount_tax=0.0,
            amount_total=untaxed,
            sale_order_template_id=header["sale_order_template_id"] or None,
            warehouse_id=header["warehouse_id"] or None,
            picking_policy=header["picking_policy"] or "direct",
            create_uid=uid,
            create_date=now,
            write_uid=uid,
            write_date=now,
            cou_imported=True,
            cou_import_ref=order.ref,
            cou_import_run_id=cache["run_id"],
        )

    @api.model
    def _recompute_others(self, order_ids, line_ids, cache):
        """Stored computed fields that other modules add to orders and lines
        (and that the bulk rows above do not set) are computed by the ORM."""
        for model, ids, written in (
            ("sale.order", order_ids, set(cache.get("order_columns") or [])),
            ("sale.order.line", line_ids, set(cache.get("line_columns") or [])),
        ):
            Model = self.env[model]
            skip = written | self._fields_left_empty(model)
            fields_todo = [
                f
                for f in Model._fields.values()
                if f.store and f.compute and f.column_type and f.name not in skip
            ]
            if not fields_todo or not ids:
                continue
            records = Model.browse(ids)
            for field in fields_todo:
                self.env.add_to_compute(field, records)
        self.env.flush_all()

    @api.model
    def _fields_left_empty(self, model):
        """Computed fields the ORM leaves empty on an order without deliveries,
        invoices, packaging, routes, analytic rules or combos."""
        if model == "sale.order":
            return {"delivery_status", "effective_date"}
        empty = {"product_packaging_id", "route_id", "linked_line_id", "combo_item_id"}
        if (
            not self.env["account.analytic.distribution.model"]
            .sudo()
            .search_count([], limit=1)
        ):
            empty.add("analytic_distribution")
        return empty

    # === BUSINESS METHODS === #
    # optional documents (standard workflow)

    @api.model
    def _create_deliveries(self, order_ids):
        """Deliver the goods of the orders with the standard workflow
        (procurement, picking, validation), dated on the order date (slow;
        for small histories). A return order gets a receipt."""
        orders = (
            self.env["sale.order"]
            .browse(order_ids)
            .with_context(
                mail_create_nolog=True, mail_notrack=True, tracking_disable=True
            )
        )
        orders.locked = False  # sale_stock launches no procurement on a locked order
        orders.order_line._action_launch_stock_rule()
        orders.locked = True
        pickings = orders.picking_ids.filtered(
            lambda p: p.state not in ("done", "cancel")
        )
        for move in pickings.move_ids:
            move.quantity = move.product_uom_qty
        pickings.move_ids.picked = True
        pickings.with_context(skip_backorder=True, skip_sms=True)._action_done()
        for order in orders.filtered("picking_ids"):
            date = order.date_order
            order.picking_ids.write({"date_done": date})
            order.picking_ids.move_ids.write({"date": date})
            order.picking_ids.move_ids.move_line_ids.write({"date": date})
        return pickings

    @api.model
    def _create_invoices(self, order_ids):
        """Invoice the orders with the standard workflow, one posted invoice
        per order (a credit note for a return order), dated on the order date
        (slow; for small histories)."""
        orders = (
            self.env["sale.order"]
            .browse(order_ids)
            .with_context(
                mail_create_nolog=True, mail_notrack=True, tracking_disable=True
            )
        )
        moves = orders._create_invoices(grouped=True, final=True)
        by_date = defaultdict(lambda: self.env["account.move"])
        for move in moves:
            order = move.invoice_line_ids.sale_line_ids.order_id[:1]
            by_date[order.date_order.date()] |= move
        for date, date_moves in by_date.items():
            date_moves.write({"invoice_date": date})
        moves.action_post()
        return moves
