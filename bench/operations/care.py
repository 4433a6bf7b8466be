"""Operations of the care rules (crm_order_unified_care, issue 11).

- ``care_derivation``: derive the care attributes of every customer
  (``cou.care.derivation._recompute()``) from a rule on the generated
  catalogue's first category (two orders within 12 months), vs. stock Odoo
  counting the confirmed orders per customer of that category with
  ``_read_group`` (what a manager's filter would show);
- ``care_order_line_edit``: change the product of one line of a 200-line
  quotation in the order form (onchange) with 50 caution rules and a customer
  holding two attributes, vs. the same edit of the same line in stock Odoo:
  the addons' overrides bypassed and their fields left out of the form
  (``stock_baseline``);
- ``care_order_confirm``: confirm a 20-line quotation that the rules warn
  about (care check, dirty customer, its derivation at commit), vs. the same
  confirmation of a twin quotation (same lines, a customer with the same
  attributes) with the addons' overrides bypassed.

Skipped when the addon is not installed.
"""

from odoo import Command

from . import Operation, register
from .stock_baseline import StockBaseline, stock_fields_spec


def _installed(env):
    return "cou.care.rule" in env


def _catalogue(env):
    products = env["product.product"].search(
        [("sale_ok", "=", True), ("type", "=", "consu")], order="id"
    )
    return products, products[:1].categ_id


def _rules(env, products, attributes, count):
    env["cou.care.rule"].search([]).write({"active": False})
    env["cou.care.derivation"].search([]).write({"active": False})
    return env["cou.care.rule"].create(
        [
            {
                "attribute_id": attributes[i % len(attributes)].id,
                "product_id": products[i % len(products)].id,
                "level": "warning" if i % 3 else "info",
                "message": f"Bench rule {i}",
                "alternative_product_ids": [Command.set(products[-2:].ids)],
            }
            for i in range(count)
        ]
    )


def _attributes(env, customer):
    attributes = env["cou.care.attribute"].create(
        [{"name": "Bench sensitive skin"}, {"name": "Bench nut allergy"}]
    )
    customer.care_attribute_ids = attributes
    return attributes


@register("care_derivation")
def care_derivation(ctx):
    """Derive the care attributes of every customer, vs. a stock _read_group of
    the category's confirmed order lines per customer."""
    env = ctx.env
    if not _installed(env):
        return None
    _products, categ = _catalogue(env)
    attribute = env["cou.care.attribute"].create({"name": "Bench derived"})
    env["cou.care.derivation"].search([]).write({"active": False})
    env["cou.care.derivation"].create(
        {
            "attribute_id": attribute.id,
            "categ_id": categ.id,
            "min_orders": 2,
            "months": 12,
        }
    )
    customers = env["res.partner"].search_count([("sale_order_ids.state", "=", "sale")])

    def run(_i):
        env["cou.care.derivation"]._recompute()

    def baseline(_i):
        env["sale.order.line"]._read_group(
            [("state", "=", "sale"), ("product_id.categ_id", "child_of", categ.id)],
            ["order_partner_id"],
            ["order_id:count_distinct"],
        )

    return Operation(
        run,
        customers,
        "stock _read_group of the category's order lines per customer",
        baseline,
    )


@register("care_order_line_edit")
def care_order_line_edit(ctx):
    """One line edit of a 200-line quotation for a customer with two care
    attributes and 50 caution rules, vs. the same edit of the same line in
    stock Odoo (the addons' overrides bypassed, their fields not asked)."""
    env = ctx.env
    if not _installed(env):
        return None
    products, _categ = _catalogue(env)
    (customer,) = ctx.sample_customers(1)
    _rules(env, products, _attributes(env, customer), 50)
    spec = {
        "product_id": {"fields": {"display_name": {}}},
        "name": {},
        "price_unit": {},
        "price_subtotal": {},
        "product_uom_qty": {},
        "care_level": {},
        "care_message": {},
        "care_alternative_product_ids": {"fields": {"display_name": {}}},
    }
    stock_spec = stock_fields_spec(env["sale.order.line"], spec)
    order = env["sale.order"].create(
        {
            "partner_id": customer.id,
            "order_line": [
                Command.create(
                    {
                        "product_id": products[i % len(products)].id,
                        "product_uom_qty": 1,
                    }
                )
                for i in range(200)
            ],
        }
    )
    line = order.order_line[0]
    stock = StockBaseline(env)

    def edit(i, fields_spec):
        # what the order form asks when a line's product changes
        result = line.onchange(
            {"product_id": products[i % len(products)].id},
            ["product_id"],
            fields_spec,
        )
        assert "product_id" in result["value"] or result["value"] is not None

    def run(i):
        edit(i, spec)

    def baseline(i):
        with stock:
            edit(i, stock_spec)

    return Operation(
        run,
        200,
        "the same line edit in stock Odoo (the addons' overrides bypassed, "
        "their fields not asked)",
        baseline,
    )


@register("care_order_confirm")
def care_order_confirm(ctx):
    """Confirm a 20-line quotation with care warnings (the care check, the
    dirty customer and its derivation at commit), vs. the same confirmation
    of a twin quotation in stock Odoo (the addons' overrides bypassed)."""
    env = ctx.env
    if not _installed(env):
        return None
    products, categ = _catalogue(env)
    customers = ctx.sample_customers(2 * (ctx.repeat + 2))
    attributes = env["cou.care.attribute"].create([{"name": "Bench confirm"}])
    _rules(env, products, attributes, 50)
    env["cou.care.derivation"].create(
        {"attribute_id": attributes.id, "categ_id": categ.id}
    )
    customers.care_attribute_ids = attributes
    orders = env["sale.order"].create(
        [
            {
                "partner_id": customer.id,
                "order_line": [
                    Command.create({"product_id": p.id, "product_uom_qty": 1})
                    for p in products[:20]
                ],
            }
            for customer in customers
        ]
    )
    checked, plain = orders[::2], orders[1::2]
    assert checked[0].care_level != "none", "the rules must warn for the benchmark"
    stock = StockBaseline(env)

    def confirm(order):
        order.action_confirm()
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
