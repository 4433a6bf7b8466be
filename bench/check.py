"""Consistency check of a generated benchmark dataset (``--check``).

For a sample of generated records, every stored computed field is recomputed
by the ORM and compared with what the bulk generator wrote; Odoo's own
``total_invoiced`` and the addon's Customer 360 figures are compared with
their definitions. Returns a list of mismatch descriptions (empty: all good).
"""

import random

from odoo.tools import float_compare

MODELS = (
    "sale.order",
    "sale.order.line",
    "stock.picking",
    "stock.move",
    "stock.move.line",
    "account.move",
    "account.move.line",
    "account.partial.reconcile",
    "res.partner",
)
# computed from the current date or the environment, not from the row
SKIP = {
    "res.partner": {"customer_rank", "supplier_rank", "calendar_last_notif_ack"},
    "sale.order": {"validity_date", "access_token"},
    "account.move": {"checked", "is_manually_modified", "invoice_partner_display_name"},
    "stock.move": {"reservation_date"},
}


def _equal(a, b):
    if isinstance(a, float) or isinstance(b, float):
        return float_compare(a or 0.0, b or 0.0, precision_digits=2) == 0
    if hasattr(a, "_name"):
        return a.ids == b.ids
    return (a or False) == (b or False)


def recompute_problems(env, recs, fnames, what="generated"):
    """Mismatches between the stored values of ``fnames`` on ``recs`` and what
    the ORM recomputes for them (the recomputed values stay in the cache: the
    caller rolls back or flushes)."""
    problems = []
    stored = {rec.id: {f: rec[f] for f in fnames} for rec in recs}
    env.invalidate_all()
    for fname in fnames:
        env.add_to_compute(recs._fields[fname], recs)
    recs._recompute_recordset(fnames)
    for rec in recs:
        for fname in fnames:
            if not _equal(stored[rec.id][fname], rec[fname]):
                problems.append(
                    f"{rec._name}({rec.id}).{fname}: "
                    f"{what} {stored[rec.id][fname]!r}, "
                    f"ORM computes {rec[fname]!r}"
                )
    return problems


def check(env, sample=40, seed=1):
    rng = random.Random(seed)
    problems = []
    env.cr.execute(
        "SELECT id FROM sale_order WHERE state = 'sale' ORDER BY id DESC LIMIT 20000"
    )
    ids = [row[0] for row in env.cr.fetchall()]
    orders = env["sale.order"].browse(rng.sample(ids, min(sample, len(ids))))
    records = {
        "sale.order": orders,
        "sale.order.line": orders.order_line,
        "stock.picking": orders.picking_ids,
        "stock.move": orders.picking_ids.move_ids,
        "stock.move.line": orders.picking_ids.move_line_ids,
        "account.move": orders.invoice_ids,
        "account.move.line": orders.invoice_ids.line_ids,
        "account.partial.reconcile": orders.invoice_ids.line_ids.matched_credit_ids,
        "res.partner": orders.partner_id | orders.partner_id.commercial_partner_id,
    }
    for model in MODELS:
        recs = records[model]
        if not recs:
            continue
        fnames = [
            name
            for name, field in recs._fields.items()
            # editable computes (readonly=False) hold input values: not recomputable
            if field.store
            and field.compute
            and field.readonly
            and not field.company_dependent
            and name not in SKIP.get(model, ())
            and not name.startswith("cou_")
        ]
        problems += recompute_problems(env, recs, fnames)
        env.cr.rollback()
        env.invalidate_all()
    # Odoo's own figure and the addon's figures, against their definitions
    partners = orders.partner_id.commercial_partner_id
    for partner in partners:
        invoices = env["account.move"].search(
            [
                ("partner_id", "child_of", partner.id),
                ("state", "=", "posted"),
                ("move_type", "in", ("out_invoice", "out_refund")),
            ]
        )
        expected = sum(invoices.mapped("amount_untaxed_signed"))
        if float_compare(partner.total_invoiced, expected, precision_digits=2):
            problems.append(
                f"res.partner({partner.id}).total_invoiced: "
                f"{partner.total_invoiced} != {expected}"
            )
        if "customer_lifetime_revenue" in partner._fields:
            confirmed = env["sale.order"].search_count(
                [("partner_id", "child_of", partner.id), ("state", "=", "sale")]
            )
            if partner.customer_order_count != confirmed:
                problems.append(
                    f"res.partner({partner.id}).customer_order_count: "
                    f"{partner.customer_order_count} != {confirmed}"
                )
            if float_compare(
                partner.customer_lifetime_revenue, expected, precision_digits=2
            ):
                problems.append(
                    f"res.partner({partner.id}).customer_lifetime_revenue: "
                    f"{partner.customer_lifetime_revenue} != {expected}"
                )
    return problems
