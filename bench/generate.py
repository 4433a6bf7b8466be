"""Bulk generator of the benchmark dataset.

The demo generator of the addon (``cou.demo.generator``) replays every order
through the ORM; that takes ~0.2 s per order, far too slow for a million order
lines. This module keeps its idea (a seeded company with two years of sales,
seasonal products, several salespeople) and writes the rows in bulk with COPY.

Rows are exactly what the ORM writes: two *prototype* orders are first run
through the real workflows with the ORM (an open order; an order delivered,
invoiced, posted and paid by a reconciled bank entry). Every table row they
produced is read back and used as the template of the generated rows: all
columns are copied, and only the columns that depend on the order (ids, names,
partners, products, quantities, amounts, dates, states) are replaced. Columns
added by other addons get the values the ORM gave the prototype.

Generated per order: sale.order, its lines, procurement group, outgoing
picking with its stock moves and move lines (+ valuation layers for done
moves); for delivered orders the customer invoice (product lines + receivable
line, linked to the order lines); for paid invoices a bank entry reconciled
with the receivable (partial + full reconcile). Orders of the last days are
confirmed and waiting for delivery; some invoices stay unpaid (overdue when
past due). Amounts are untaxed (the benchmark products carry no tax) and in
the company currency.
"""

import io
import json
import logging
import random
import time
from collections import defaultdict
from datetime import date, datetime, timedelta

from psycopg2 import sql

from odoo import fields
from odoo.tools import SQL

_logger = logging.getLogger("cou.bench")

SIZE_PARAM = "crm_order_unified.bench_size"
HISTORY_DAYS = 730
OPEN_DAYS = 5  # orders younger than this are confirmed, not yet delivered
CHUNK_ORDERS = 10000


def _text(value):
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, datetime | date):
        return (
            value.isoformat(sep=" ")
            if isinstance(value, datetime)
            else value.isoformat()
        )
    if isinstance(value, dict | list):
        value = json.dumps(value)
    value = str(value)
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        value = (
            value.replace("\\", "\\\\")
            .replace("\t", "\\t")
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
    return value


class Table:
    """Rows of one table cloned from a prototype row, written with COPY."""

    def __init__(self, cr, name, prototype, with_id=True):
        self.cr, self.name = cr, name
        self.columns = list(prototype)
        self.index = {c: i for i, c in enumerate(self.columns)}
        self.template = [_text(prototype[c]) for c in self.columns]
        self.buffer = io.StringIO()
        self.count = 0
        self.with_id = with_id
        if with_id:
            cr.execute(SQL("SELECT COALESCE(MAX(id), 0) FROM %s", SQL.identifier(name)))
            self.next_id = cr.fetchone()[0] + 1

    def add(self, values):
        """Add a row: the prototype with ``values`` replaced; returns its id."""
        row = self.template.copy()
        index = self.index
        if self.with_id:
            rid = values["id"] = self.next_id
            self.next_id += 1
        else:
            rid = None
        for column, value in values.items():
            row[index[column]] = _text(value)
        self.buffer.write("\t".join(row))
        self.buffer.write("\n")
        self.count += 1
        return rid

    def flush(self):
        if not self.buffer.tell():
            return
        self.buffer.seek(0)
        # copy_expert is psycopg2's (the raw cursor): compose with psycopg2.sql
        query = sql.SQL("COPY {} ({}) FROM STDIN").format(
            sql.Identifier(self.name),
            sql.SQL(", ").join(sql.Identifier(c) for c in self.columns),
        )
        self.cr._obj.copy_expert(query, self.buffer)
        self.buffer = io.StringIO()

    def fix_sequence(self):
        if self.with_id:
            self.cr.execute(
                SQL(
                    "SELECT setval(%s, (SELECT MAX(id) FROM %s))",
                    f"{self.name}_id_seq",
                    SQL.identifier(self.name),
                )
            )


def _rows(cr, table, ids):
    cr.execute(
        SQL(
            "SELECT * FROM %s WHERE id = ANY(%s) ORDER BY id",
            SQL.identifier(table),
            list(ids),
        )
    )
    names = [d[0] for d in cr.description]
    return [dict(zip(names, row, strict=False)) for row in cr.fetchall()]


def _prototypes(env, product, partner):
    """Run the two prototype orders through the ORM; return their rows."""
    env = env(
        context=dict(
            env.context,
            tracking_disable=True,
            mail_create_nolog=True,
            mail_notrack=True,
            mail_create_nosubscribe=True,
            cou_skip_customer_360=True,
        )
    )
    cr = env.cr
    today = fields.Date.context_today(env["res.partner"])
    orders = env["sale.order"].create(
        [
            {
                "partner_id": partner.id,
                "order_line": [
                    (0, 0, {"product_id": product.id, "product_uom_qty": 3})
                ],
            }
            for _i in range(2)
        ]
    )
    orders.action_confirm()
    open_order, done_order = orders
    picking = done_order.picking_ids
    picking.move_ids.quantity = 3
    picking.move_ids.picked = True
    picking.button_validate()
    invoice = done_order._create_invoices()
    invoice.invoice_date = today - timedelta(days=40)
    invoice.invoice_date_due = today - timedelta(days=10)
    invoice.action_post()
    env.flush_all()
    proto = {
        "open_order": _rows(cr, "sale_order", open_order.ids)[0],
        "open_line": _rows(cr, "sale_order_line", open_order.order_line.ids)[0],
        "open_picking": _rows(cr, "stock_picking", open_order.picking_ids.ids)[0],
        "open_move": _rows(cr, "stock_move", open_order.picking_ids.move_ids.ids)[0],
        "open_move_line": _rows(
            cr, "stock_move_line", open_order.picking_ids.move_line_ids.ids
        )[0],
        "group": _rows(cr, "procurement_group", open_order.procurement_group_id.ids)[0],
        "unpaid_invoice": _rows(cr, "account_move", invoice.ids)[0],
        "unpaid_receivable": _rows(
            cr,
            "account_move_line",
            invoice.line_ids.filtered(
                lambda aml: aml.display_type == "payment_term"
            ).ids,
        )[0],
    }
    receivable = invoice.line_ids.filtered(
        lambda aml: aml.display_type == "payment_term"
    )
    bank = env["account.journal"].search(
        [("type", "=", "bank"), ("company_id", "=", env.company.id)], limit=1
    )
    payment = env["account.move"].create(
        {
            "move_type": "entry",
            "journal_id": bank.id,
            "date": today - timedelta(days=20),
            "line_ids": [
                (
                    0,
                    0,
                    {
                        "account_id": bank.default_account_id.id,
                        "debit": invoice.amount_total,
                        "partner_id": partner.id,
                    },
                ),
                (
                    0,
                    0,
                    {
                        "account_id": receivable.account_id.id,
                        "credit": invoice.amount_total,
                        "partner_id": partner.id,
                    },
                ),
            ],
        }
    )
    payment.action_post()
    (
        payment.line_ids.filtered(lambda aml: aml.account_id == receivable.account_id)
        | receivable
    ).reconcile()
    env.flush_all()
    pay_rec = payment.line_ids.filtered(
        lambda aml: aml.account_id == receivable.account_id
    )
    proto.update(
        {
            "done_order": _rows(cr, "sale_order", done_order.ids)[0],
            "done_line": _rows(cr, "sale_order_line", done_order.order_line.ids)[0],
            "done_picking": _rows(cr, "stock_picking", picking.ids)[0],
            "done_move": _rows(cr, "stock_move", picking.move_ids.ids)[0],
            "done_move_line": _rows(cr, "stock_move_line", picking.move_line_ids.ids)[
                0
            ],
            "valuation": _rows(
                cr,
                "stock_valuation_layer",
                picking.move_ids.stock_valuation_layer_ids.ids,
            )[0],
            "paid_invoice": _rows(cr, "account_move", invoice.ids)[0],
            "invoice_line": _rows(
                cr, "account_move_line", invoice.invoice_line_ids.ids
            )[0],
            "paid_receivable": _rows(cr, "account_move_line", receivable.ids)[0],
            "payment": _rows(cr, "account_move", payment.ids)[0],
            "payment_bank_line": _rows(
                cr, "account_move_line", (payment.line_ids - pay_rec).ids
            )[0],
            "payment_receivable": _rows(cr, "account_move_line", pay_rec.ids)[0],
            "partial": _rows(
                cr, "account_partial_reconcile", receivable.matched_credit_ids.ids
            )[0],
            "full": _rows(
                cr, "account_full_reconcile", receivable.full_reconcile_id.ids
            )[0],
            "partner": _rows(cr, "res_partner", partner.ids)[0],
        }
    )
    return proto


def _next_numbers(cr, table, prefix_like):
    """{sequence_prefix: last sequence_number} of existing moves."""
    cr.execute(
        SQL(
            "SELECT sequence_prefix, MAX(sequence_number) FROM %s"
            " WHERE sequence_prefix LIKE %s GROUP BY 1",
            SQL.identifier(table),
            prefix_like,
        )
    )
    return defaultdict(int, cr.fetchall())


def _create_catalog(env, plan):
    """Product categories and products of the demo plan, through the ORM."""
    categories = {}
    for product in plan["products"]:
        categories.setdefault(
            product["categ"], env["product.category"].create({"name": product["categ"]})
        )
    return env["product.product"].create(
        [
            {
                "name": p["name"],
                "default_code": p["code"],
                "categ_id": categories[p["categ"]].id,
                "type": "consu",
                "is_storable": False,
                "invoice_policy": "order",
                "taxes_id": [(6, 0, [])],
                "list_price": p["list_price"],
                "standard_price": p["standard_price"],
            }
            for p in plan["products"]
        ]
    )


def _create_salespeople(env, salespeople):
    return (
        env["res.users"]
        .with_context(no_reset_password=True)
        .create(
            [
                {
                    "name": name,
                    "login": "bench." + login,
                    "email": login,
                    "groups_id": [
                        (6, 0, [env.ref("sales_team.group_sale_salesman").id])
                    ],
                }
                for name, login in salespeople
            ]
        )
    )


class _Customers:
    """The generated customers: every 10th is a company with one contact who
    places half its orders."""

    def __init__(self):
        self.ids = []  # commercial partners
        self.orderers = []  # (commercial partner, contact placing orders)
        self.salesman = []  # salesperson of each customer
        self.names = {}  # commercial partner id: name

    def write(self, cr, rng, proto, users, customers, names):
        jp_first, jp_last, intl_first, intl_last = names
        partner_table = Table(cr, "res_partner", proto["partner"])
        for i in range(customers):
            jp = rng.random() < 0.5
            first, last = (jp_first, jp_last) if jp else (intl_first, intl_last)
            user = users[i % len(users)].id
            now = datetime.now()
            if i % 10 == 0:
                pid = self._write_company(partner_table, rng, i, first, last, user, now)
            else:
                name = f"{rng.choice(first)} {rng.choice(last)}"
                pid = partner_table.next_id
                self.names[pid] = name
                partner_table.add(
                    {
                        "name": name,
                        "complete_name": name,
                        "commercial_partner_id": pid,
                        "email": f"c{i}@bench.example",
                        "email_normalized": f"c{i}@bench.example",
                        "ref": f"B{i:07d}",
                        "user_id": user,
                        "customer_rank": 1,
                        "create_date": now,
                        "write_date": now,
                    }
                )
                self.orderers.append((pid, pid))
            self.ids.append(pid)
            self.salesman.append(user)
        partner_table.flush()
        partner_table.fix_sequence()

    def _write_company(self, partner_table, rng, i, first, last, user, now):
        surname = rng.choice(last)
        kind = rng.choice(["Trading", "Retail", "Supply", "Store", "Co."])
        name = f"{surname} {kind} {i}"
        pid = partner_table.next_id
        self.names[pid] = name
        partner_table.add(
            {
                "name": name,
                "complete_name": name,
                "commercial_partner_id": pid,
                "commercial_company_name": name,
                "is_company": True,
                "email": f"orders{i}@bench.example",
                "email_normalized": f"orders{i}@bench.example",
                "ref": f"B{i:07d}",
                "user_id": user,
                "customer_rank": 1,
                "create_date": now,
                "write_date": now,
            }
        )
        contact = f"{rng.choice(first)} {rng.choice(last)}"
        cid = partner_table.add(
            {
                "name": contact,
                "complete_name": f"{name}, {contact}",
                "parent_id": pid,
                "commercial_partner_id": pid,
                "commercial_company_name": name,
                "email": f"buyer{i}@bench.example",
                "email_normalized": f"buyer{i}@bench.example",
                "user_id": user,
                "customer_rank": 1,
                "create_date": now,
                "write_date": now,
            }
        )
        self.orderers.append((pid, cid))
        return pid


def _order_plan(rng, lines):
    """Ages (days, oldest first) and line counts of the orders: dates spread over
    two years (more in recent months), sorted so that the numbering follows time;
    ``lines`` lines in all."""
    n_orders = max(1, lines // 5)
    ages = sorted(
        (rng.random() ** 1.15 * HISTORY_DAYS for _i in range(n_orders)), reverse=True
    )
    line_counts = [rng.randint(1, 9) for _i in range(n_orders)]
    diff = lines - sum(line_counts)
    while diff:
        k = rng.randrange(n_orders)
        step = 1 if diff > 0 else -1
        if 1 <= line_counts[k] + step <= 20:
            line_counts[k] += step
            diff -= step
    return ages, line_counts


# parents before children (foreign keys are checked row by row)
FLUSH_ORDER = (
    "group",
    "order",
    "line",
    "picking",
    "move",
    "move_line",
    "valuation",
    "full",
    "invoice",
    "aml",
    "partial",
    "rel",
)


def _tables(cr, proto):
    """The COPY writers of the order documents, and the row templates of the
    prototypes of each (table, variant)."""
    tables = {}

    def table(key, name, proto_key, with_id=True):
        if key not in tables:
            tables[key] = Table(cr, name, proto[proto_key], with_id=with_id)
        return tables[key]

    T = {
        "group": table("group", "procurement_group", "group"),
        "order": table("order", "sale_order", "done_order"),
        "line": table("line", "sale_order_line", "done_line"),
        "picking": table("picking", "stock_picking", "done_picking"),
        "move": table("move", "stock_move", "done_move"),
        "move_line": table("move_line", "stock_move_line", "done_move_line"),
        "valuation": table("valuation", "stock_valuation_layer", "valuation"),
        "invoice": table("invoice", "account_move", "paid_invoice"),
        "full": table("full", "account_full_reconcile", "full"),
        "aml": table("aml", "account_move_line", "invoice_line"),
        "partial": table("partial", "account_partial_reconcile", "partial"),
        "rel": Table(
            cr,
            "sale_order_line_invoice_rel",
            {"invoice_line_id": 0, "order_line_id": 0},
            with_id=False,
        ),
    }
    # rows of the same table from other prototypes share the id counter
    protos_of = {
        "order": {"open": proto["open_order"], "done": proto["done_order"]},
        "line": {"open": proto["open_line"], "done": proto["done_line"]},
        "picking": {"open": proto["open_picking"], "done": proto["done_picking"]},
        "move": {"open": proto["open_move"], "done": proto["done_move"]},
        "move_line": {"open": proto["open_move_line"], "done": proto["done_move_line"]},
        "invoice": {
            "unpaid": proto["unpaid_invoice"],
            "paid": proto["paid_invoice"],
            "payment": proto["payment"],
        },
        "aml": {
            "product": proto["invoice_line"],
            "unpaid": proto["unpaid_receivable"],
            "paid": proto["paid_receivable"],
            "bank": proto["payment_bank_line"],
            "pay_rec": proto["payment_receivable"],
        },
    }
    templates = {}
    for key, variants in protos_of.items():
        tbl = T[key]
        for variant, row in variants.items():
            templates[key, variant] = [_text(row.get(c)) for c in tbl.columns]
    return T, templates


class _OrderWriter:
    """Writes the orders one by one with their documents (lines, procurement
    group, picking, moves, valuation; invoice; payment) into the COPY buffers."""

    def __init__(self, env, proto, catalog, customers, today):
        products, plan, seasons, season_weight = catalog
        cr = env.cr
        self.today = today
        self.today_dt = datetime.combine(self.today, datetime.min.time())
        self.now = datetime.now().replace(microsecond=0)
        self.customers = customers
        self.stats = defaultdict(int)
        self.weights_by_month = {}
        for month in range(1, 13):
            self.weights_by_month[month] = [
                season_weight[s][month] if s else 1.2 for s in seasons
            ]
        self.prices = [p["list_price"] for p in plan["products"]]
        self.costs = [p["standard_price"] for p in plan["products"]]
        self.names = [p.display_name for p in products]
        self.categ_ids = [p.categ_id.id for p in products]
        self.product_ids = products.ids

        company = env.company
        self.so_seq = env["ir.sequence"].search(
            [("code", "=", "sale.order"), ("company_id", "in", [company.id, False])],
            limit=1,
        )
        out_type = proto["done_picking"]["picking_type_id"]
        self.pick_seq = env["stock.picking.type"].browse(out_type).sequence_id
        self.so_number = self.so_seq.number_next_actual
        self.pick_number = self.pick_seq.number_next_actual
        # names as the prototypes got them from their sequences ("S00042",
        # "WH/OUT/00042")
        self.so_prefix = proto["done_order"]["name"].rstrip("0123456789")
        self.so_padding = len(proto["done_order"]["name"]) - len(self.so_prefix)
        self.pick_prefix = proto["done_picking"]["name"].rstrip("0123456789")
        self.pick_padding = len(proto["done_picking"]["name"]) - len(self.pick_prefix)
        # "INV", "BNK1"
        self.inv_prefix = proto["paid_invoice"]["sequence_prefix"].rsplit("/", 2)[0]
        self.pay_prefix = proto["payment"]["sequence_prefix"].rsplit("/", 2)[0]
        self.inv_numbers = _next_numbers(cr, "account_move", self.inv_prefix + "/%")
        self.pay_numbers = _next_numbers(cr, "account_move", self.pay_prefix + "/%")
        self.T, self.templates = _tables(cr, proto)

    def add(self, key, variant, values):
        tbl = self.T[key]
        saved = tbl.template
        tbl.template = self.templates[key, variant]
        rid = tbl.add(values)
        tbl.template = saved
        return rid

    def flush(self):
        """Write the buffered rows; returns the seconds of COPY per table."""
        copy_times = {}
        for key in FLUSH_ORDER:
            t1 = time.time()
            self.T[key].flush()
            copy_times[key] = round(time.time() - t1, 1)
        return copy_times

    def finish(self):
        for tbl in self.T.values():
            tbl.fix_sequence()
        self.so_seq.write({"number_next": self.so_number})
        self.pick_seq.write({"number_next": self.pick_number})

    def write_order(self, rng, age, line_count):
        T, add, now = self.T, self.add, self.now
        product_ids, names = self.product_ids, self.names
        order_dt = (now - timedelta(days=age)).replace(microsecond=0)
        if order_dt > now:
            order_dt = now
        customer_count = len(self.customers.ids)
        cidx = min(customer_count - 1, int(customer_count * rng.random() ** 1.6))
        commercial, contact = self.customers.orderers[cidx]
        orderer = contact if rng.random() < 0.5 else commercial
        user = self.customers.salesman[cidx]
        is_open = age < OPEN_DAYS
        variant = "open" if is_open else "done"
        so_name = f"{self.so_prefix}{self.so_number:0{self.so_padding}d}"
        self.so_number += 1
        pick_name = f"{self.pick_prefix}{self.pick_number:0{self.pick_padding}d}"
        self.pick_number += 1
        group_id = T["group"].add(
            {
                "name": so_name,
                "partner_id": orderer,
                "sale_id": None,
                "create_date": order_dt,
                "write_date": order_dt,
            }
        )
        order_id = T["order"].next_id
        delivery_dt = order_dt + timedelta(days=rng.randint(1, 3), hours=2)
        if delivery_dt > now:
            delivery_dt = now
        picking_id = add(
            "picking",
            variant,
            {
                "group_id": group_id,
                "partner_id": orderer,
                "name": pick_name,
                "origin": so_name,
                "scheduled_date": order_dt,
                "date_deadline": order_dt,
                "date": order_dt,
                "date_done": None if is_open else delivery_dt,
                "sale_id": order_id,
                "create_date": order_dt,
                "write_date": delivery_dt,
            },
        )
        month_weights = self.weights_by_month[order_dt.month]
        chosen = rng.choices(range(len(product_ids)), month_weights, k=line_count)
        total = 0.0
        line_rows = []
        for seq, pidx in enumerate(chosen, start=1):
            qty = float(rng.randint(1, 20))
            price = self.prices[pidx]
            subtotal = round(qty * price, 2)
            total += subtotal
            values = {
                "order_id": order_id,
                "sequence": 10 + seq,
                "order_partner_id": orderer,
                "salesman_id": user,
                "product_id": product_ids[pidx],
                "name": names[pidx],
                "product_uom_qty": qty,
                "price_unit": price,
                "price_subtotal": subtotal,
                "price_total": subtotal,
                "price_reduce_taxexcl": price,
                "price_reduce_taxinc": price,
                "technical_price_unit": price,
                "create_date": order_dt,
                "write_date": order_dt,
            }
            if is_open:
                values.update(qty_to_invoice=qty, untaxed_amount_to_invoice=subtotal)
            else:
                values.update(
                    qty_delivered=qty,
                    qty_invoiced=qty,
                    untaxed_amount_invoiced=subtotal,
                )
            line_id = add("line", variant, values)
            move_id = add(
                "move",
                variant,
                {
                    "sequence": 10 + seq,
                    "product_id": product_ids[pidx],
                    "partner_id": orderer,
                    "picking_id": picking_id,
                    "group_id": group_id,
                    "name": names[pidx],
                    "origin": so_name,
                    "reference": pick_name,
                    "reservation_date": order_dt.date(),
                    "description_picking": names[pidx],
                    "product_qty": qty,
                    "product_uom_qty": qty,
                    "quantity": qty,
                    "date": order_dt if is_open else delivery_dt,
                    "date_deadline": order_dt,
                    "create_date": order_dt,
                    "write_date": delivery_dt,
                    "sale_line_id": line_id,
                },
            )
            add(
                "move_line",
                variant,
                {
                    "picking_id": picking_id,
                    "move_id": move_id,
                    "product_id": product_ids[pidx],
                    "reference": pick_name,
                    "quantity": qty,
                    "quantity_product_uom": qty,
                    "date": order_dt if is_open else delivery_dt,
                    "create_date": order_dt,
                    "write_date": delivery_dt,
                },
            )
            if not is_open:
                T["valuation"].add(
                    {
                        "product_id": product_ids[pidx],
                        "categ_id": self.categ_ids[pidx],
                        "stock_move_id": move_id,
                        "description": f"{pick_name} - {names[pidx]}",
                        "quantity": -qty,
                        "unit_cost": self.costs[pidx],
                        "value": round(-qty * self.costs[pidx], 2),
                        "remaining_qty": -qty,
                        "create_date": delivery_dt,
                        "write_date": delivery_dt,
                    }
                )
            line_rows.append((line_id, pidx, qty, price, subtotal))
        total = round(total, 2)
        add(
            "order",
            variant,
            {
                "id": order_id,
                "partner_id": orderer,
                "partner_invoice_id": orderer,
                "partner_shipping_id": orderer,
                "user_id": user,
                "name": so_name,
                "validity_date": (order_dt + timedelta(days=30)).date(),
                "amount_untaxed": total,
                "amount_total": total,
                "create_date": order_dt,
                "date_order": order_dt,
                "write_date": delivery_dt,
                "procurement_group_id": group_id,
                "effective_date": None if is_open else delivery_dt,
            },
        )
        T["order"].next_id = order_id + 1
        self.stats["orders"] += 1
        self.stats["lines"] += len(line_rows)
        if not is_open:
            order = {
                "name": so_name,
                "commercial": commercial,
                "orderer": orderer,
                "user": user,
                "total": total,
            }
            self._write_invoice(rng, order, delivery_dt, line_rows)

    def _write_invoice(self, rng, order, delivery_dt, line_rows):
        """The posted customer invoice of a delivered order, paid or not."""
        T, add = self.T, self.add
        commercial, total = order["commercial"], order["total"]
        invoice_date = delivery_dt.date()
        due = invoice_date + timedelta(days=30)
        pay_date = invoice_date + timedelta(days=rng.randint(5, 40))
        paid = pay_date <= self.today and rng.random() < 0.97
        year = invoice_date.year
        prefix = f"{self.inv_prefix}/{year}/"
        self.inv_numbers[prefix] += 1
        inv_name = f"{prefix}{self.inv_numbers[prefix]:05d}"
        invoice_id = T["invoice"].next_id
        full_id = (
            T["full"].add({"create_date": self.today_dt, "write_date": self.today_dt})
            if paid
            else None
        )
        for line_id, pidx, qty, price, subtotal in line_rows:
            aml_id = add(
                "aml",
                "product",
                {
                    "move_id": invoice_id,
                    "partner_id": commercial,
                    "product_id": self.product_ids[pidx],
                    "move_name": inv_name,
                    "name": self.names[pidx],
                    "date": invoice_date,
                    "invoice_date": invoice_date,
                    "credit": subtotal,
                    "balance": -subtotal,
                    "amount_currency": -subtotal,
                    "quantity": qty,
                    "price_unit": price,
                    "price_subtotal": subtotal,
                    "price_total": subtotal,
                    "create_date": delivery_dt,
                    "write_date": delivery_dt,
                },
            )
            T["rel"].add({"invoice_line_id": aml_id, "order_line_id": line_id})
        receivable = {
            "move_id": invoice_id,
            "partner_id": commercial,
            "move_name": inv_name,
            "name": inv_name,
            "date": invoice_date,
            "invoice_date": invoice_date,
            "date_maturity": due,
            "debit": total,
            "balance": total,
            "amount_currency": total,
            "create_date": delivery_dt,
            "write_date": delivery_dt,
        }
        if paid:
            receivable.update(
                full_reconcile_id=full_id,
                matching_number=str(full_id),
                reconciled=True,
                amount_residual=0.0,
                amount_residual_currency=0.0,
            )
        else:
            receivable.update(
                amount_residual=total,
                amount_residual_currency=total,
                reconciled=False,
            )
        rec_id = add("aml", "paid" if paid else "unpaid", receivable)
        add(
            "invoice",
            "paid" if paid else "unpaid",
            {
                "id": invoice_id,
                "sequence_number": self.inv_numbers[prefix],
                "partner_id": commercial,
                "commercial_partner_id": commercial,
                "partner_shipping_id": order["orderer"],
                "invoice_user_id": order["user"],
                "sequence_prefix": prefix,
                "name": inv_name,
                "payment_reference": inv_name,
                "invoice_partner_display_name": self.customers.names[commercial],
                "invoice_origin": order["name"],
                "date": invoice_date,
                "invoice_date": invoice_date,
                "invoice_date_due": due,
                "delivery_date": delivery_dt.date(),
                "amount_untaxed": total,
                "amount_total": total,
                "amount_residual": 0.0 if paid else total,
                "amount_untaxed_signed": total,
                "amount_untaxed_in_currency_signed": total,
                "amount_total_signed": total,
                "amount_total_in_currency_signed": total,
                "amount_residual_signed": 0.0 if paid else total,
                "create_date": delivery_dt,
                "write_date": delivery_dt,
            },
        )
        T["invoice"].next_id = invoice_id + 1
        self.stats["invoices"] += 1
        if paid:
            self._write_payment(order, pay_date, invoice_date, rec_id, full_id)

    def _write_payment(self, order, pay_date, invoice_date, rec_id, full_id):
        """The bank entry paying an invoice, fully reconciled with its receivable."""
        T, add = self.T, self.add
        commercial, total = order["commercial"], order["total"]
        pprefix = f"{self.pay_prefix}/{pay_date.year}/"
        self.pay_numbers[pprefix] += 1
        pay_name = f"{pprefix}{self.pay_numbers[pprefix]:05d}"
        pay_dt = datetime.combine(pay_date, datetime.min.time()) + timedelta(hours=10)
        payment_id = add(
            "invoice",
            "payment",
            {
                "sequence_number": self.pay_numbers[pprefix],
                "sequence_prefix": pprefix,
                "name": pay_name,
                "date": pay_date,
                "invoice_date_due": pay_date,
                "amount_total": total,
                "amount_total_signed": total,
                "amount_total_in_currency_signed": total,
                "create_date": pay_dt,
                "write_date": pay_dt,
            },
        )
        add(
            "aml",
            "bank",
            {
                "move_id": payment_id,
                "partner_id": commercial,
                "move_name": pay_name,
                "date": pay_date,
                "debit": total,
                "balance": total,
                "amount_currency": total,
                "amount_residual": total,
                "amount_residual_currency": total,
                "price_subtotal": total,
                "price_total": total,
                "create_date": pay_dt,
                "write_date": pay_dt,
            },
        )
        pay_rec_id = add(
            "aml",
            "pay_rec",
            {
                "move_id": payment_id,
                "partner_id": commercial,
                "move_name": pay_name,
                "date": pay_date,
                "credit": total,
                "balance": -total,
                "amount_currency": -total,
                "price_subtotal": -total,
                "price_total": -total,
                "full_reconcile_id": full_id,
                "matching_number": str(full_id),
                "create_date": pay_dt,
                "write_date": pay_dt,
            },
        )
        T["partial"].add(
            {
                "debit_move_id": rec_id,
                "credit_move_id": pay_rec_id,
                "full_reconcile_id": full_id,
                "max_date": max(pay_date, invoice_date),
                "amount": total,
                "debit_amount_currency": total,
                "credit_amount_currency": total,
                "create_date": pay_dt,
                "write_date": pay_dt,
            }
        )
        self.stats["payments"] += 1


def generate(env, customers, lines, seed=42, log=print):
    """Fill the database with ``customers`` customers and about ``lines`` order
    lines (confirmed orders over the last two years). Returns timings."""
    from odoo.addons.crm_order_unified.models.cou_demo_generator import (  # noqa: PLC0415
        INTL_FIRST,
        INTL_LAST,
        JP_FIRST,
        JP_LAST,
        SALESPEOPLE,
        SEASON_WEIGHT,
    )

    start = time.time()
    timings = {}
    cr = env.cr
    rng = random.Random(seed)
    today = fields.Date.context_today(env["res.partner"])
    gen = env["cou.demo.generator"].with_context(
        tracking_disable=True, no_reset_password=True, cou_skip_customer_360=True
    )
    plan = gen._get_demo_plan(seed=seed, today=today)

    # catalog and salespeople through the ORM (small)
    products = _create_catalog(env, plan)
    seasons = [p["season"] for p in plan["products"]]
    users = _create_salespeople(env, SALESPEOPLE)
    proto_partner = (
        env["res.partner"]
        .with_context(cou_skip_customer_360=True)
        .create({"name": "Bench Prototype Customer", "customer_rank": 1})
    )
    proto = _prototypes(env, products[0], proto_partner)
    timings["prototypes_s"] = round(time.time() - start, 1)

    t0 = time.time()
    names = (JP_FIRST, JP_LAST, INTL_FIRST, INTL_LAST)
    generated = _Customers()
    generated.write(cr, rng, proto, users, customers, names)
    timings["customers_s"] = round(time.time() - t0, 1)

    # orders: customers drawn with a long tail
    t0 = time.time()
    ages, line_counts = _order_plan(rng, lines)
    n_orders = len(ages)
    catalog = (products, plan, seasons, SEASON_WEIGHT)
    writer = _OrderWriter(env, proto, catalog, generated, today)
    # The rows are consistent by construction: skip the row-by-row foreign key
    # triggers while copying when the role may (superuser), ~5x faster.
    cr.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
    replica = cr.fetchone()[0]
    if replica:
        env.flush_all()
        cr.execute("SET session_replication_role = replica")
    for k in range(n_orders):
        writer.write_order(rng, ages[k], line_counts[k])
        if (k + 1) % CHUNK_ORDERS == 0 or k == n_orders - 1:
            copy_times = writer.flush()
            log(
                f"  {k + 1}/{n_orders} orders written "
                f"({time.time() - t0:.0f} s; COPY s: {copy_times})"
            )
    if replica:
        cr.execute("SET session_replication_role = DEFAULT")
    # the procurement group points back to its order
    cr.execute(
        """UPDATE procurement_group g SET sale_id = so.id
             FROM sale_order so
            WHERE so.procurement_group_id = g.id AND g.sale_id IS NULL"""
    )
    writer.finish()
    timings["orders_s"] = round(time.time() - t0, 1)

    t0 = time.time()
    cr.execute("ANALYZE")
    env.invalidate_all()
    Partner = env["res.partner"].with_context(cou_skip_customer_360=False)
    if hasattr(Partner, "_cou_refresh_customer_360_all"):
        Partner._cou_refresh_customer_360_all()
    timings["customer_360_refresh_s"] = round(time.time() - t0, 1)
    env["ir.config_parameter"].sudo().set_param(
        SIZE_PARAM,
        json.dumps(
            {
                "customers": customers,
                "lines": lines,
                "seed": seed,
                "generated_on": str(today),
            }
        ),
    )
    timings["total_s"] = round(time.time() - start, 1)
    stats = writer.stats
    stats.update(customers=customers)
    return dict(stats), timings
