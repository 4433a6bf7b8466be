"""Operations of the order flow (crm_order_unified_order_flow, issue 11).

- ``order_flow_confirm``: confirm a 20-line quotation of storable products
  from the order form with all the checks (stock and credit of the order
  flow, care rules that warn on every line for a customer with a care
  attribute: they pass), vs. the same confirmation of a twin quotation in
  stock Odoo (the addons' overrides bypassed, ``stock_baseline``);
- ``partner_duplicates``: find the likely duplicate customers of the whole
  database (``cou.partner.duplicate._cou_refresh``: email, phone, tax ID and
  normalised name), vs. stock Odoo's merge wizard searching duplicates by
  email and by name (Contacts > Merge, *Search duplicates*).

Skipped when the addon is not installed.
"""

from odoo import Command

from . import Operation, register
from .stock_baseline import StockBaseline


def _installed(env):
    return "cou.partner.duplicate" in env


@register("order_flow_confirm")
def order_flow_confirm(ctx):
    """Confirm a 20-line quotation from the order form through all the checks
    (order flow and care), vs. the same confirmation in stock Odoo."""
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
    if "cou.care.rule" in env:
        # care rules that warn on every line, for customers with the attribute
        attribute = env["cou.care.attribute"].create({"name": "Bench flow"})
        env["cou.care.rule"].create(
            [
                {
                    "attribute_id": attribute.id,
                    "product_id": product.id,
                    "level": "warning",
                    "message": f"Bench flow rule {product.id}",
                }
                for product in products
            ]
        )
        customers.care_attribute_ids = attribute
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
    company.write({"cou_flow_stock_check": True, "cou_flow_credit_check": True})
    # the checks run in full but pass (the generated customers may owe a little)
    company.cou_flow_overdue_tolerance = 1e12
    stock = StockBaseline(env)

    def confirm(order):
        env.flush_all()
        result = order.with_context(cou_flow_interactive=True).action_confirm()
        assert result is True, "the checks must pass for the benchmark"
        env.flush_all()
        env.cr.precommit.run()

    def run(i):
        confirm(checked[i % len(checked)])

    def baseline(i):
        with stock:
            confirm(plain[i % len(plain)])

    return Operation(
        run,
        20,
        "the same confirmation in stock Odoo (the addons' overrides bypassed)",
        baseline,
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
