"""Operations of the order flow (crm_order_unified_order_flow, issue 11).

- ``order_flow_confirm``: confirm a 20-line quotation of storable products
  from the order form, through the stock and credit checks (which pass), vs.
  the same confirmation with the company's checks switched off (what stock
  Odoo does);
- ``partner_duplicates``: find the likely duplicate customers of the whole
  database (``cou.partner.duplicate._cou_refresh``: email, phone, tax ID and
  normalised name), vs. stock Odoo's merge wizard searching duplicates by
  email and by name (Contacts > Merge, *Search duplicates*).

Skipped when the addon is not installed.
"""

from odoo import Command

from . import Operation, register


def _installed(env):
    return "cou.partner.duplicate" in env


@register("order_flow_confirm")
def order_flow_confirm(ctx):
    """Confirm a 20-line quotation through the order flow checks, vs. the
    same confirmation with the checks off."""
    env = ctx.env
    if not _installed(env):
        return None
    products = env["product.product"].search(
        [("sale_ok", "=", True), ("is_storable", "=", True)], order="id", limit=20
    )
    warehouse = env["stock.warehouse"].search(
        [("company_id", "=", env.company.id)], limit=1
    )
    for product in products:
        env["stock.quant"]._update_available_quantity(
            product, warehouse.lot_stock_id, 1000000.0
        )
    customers = ctx.sample_customers(2 * (ctx.repeat + 2))
    orders = env["sale.order"].create(
        [
            {
                "partner_id": customer.id,
                "order_line": [
                    Command.create({"product_id": p.id, "product_uom_qty": 1})
                    for p in products
                ],
            }
            for customer in customers
        ]
    )
    checked, plain = orders[::2], orders[1::2]
    company = env.company
    # the checks run in full but pass (the generated customers may owe a little)
    company.cou_flow_overdue_tolerance = 1e12

    def confirm(order, checks):
        company.write({"cou_flow_stock_check": checks, "cou_flow_credit_check": checks})
        env.flush_all()
        result = order.with_context(cou_flow_interactive=True).action_confirm()
        assert result is True, "the checks must pass for the benchmark"
        env.flush_all()

    def run(i):
        confirm(checked[i % len(checked)], True)

    def baseline(i):
        confirm(plain[i % len(plain)], False)

    return Operation(
        run, 20, "the same confirmation with the order flow checks off", baseline
    )


@register("partner_duplicates")
def partner_duplicates(ctx):
    """Find the likely duplicate customers of the database, vs. the stock merge
    wizard's duplicate search by email and by name."""
    env = ctx.env
    if not _installed(env):
        return None
    size = env["res.partner"].search_count([("type", "=", "contact")])
    env["res.partner"].flush_model()

    def run(_i):
        env["cou.partner.duplicate"]._cou_refresh()
        env.flush_all()

    def baseline(_i):
        wizard = env["base.partner.merge.automatic.wizard"].create(
            {"group_by_email": True, "group_by_name": True}
        )
        wizard.action_start_manual_process()
        env.flush_all()

    return Operation(
        run, size, "stock merge wizard: search duplicates by email and name", baseline
    )
