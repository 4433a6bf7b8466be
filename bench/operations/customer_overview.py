"""The customer overview (Customer 360 tab of the partner form)."""

from odoo.addons.crm_order_unified.models.res_partner import (
    OVERVIEW_AFTER_PAINT_PARTS,
    OVERVIEW_PARTS,
)

from . import Operation, register
from .foundation import form_spec

# what the overview reads for its first paint (the figures and the chart)
FIRST_PAINT_PARTS = [
    part for part in OVERVIEW_PARTS if part not in OVERVIEW_AFTER_PAINT_PARTS
]


@register("customer_overview")
def customer_overview(ctx):
    """Open a customer as the web client does with the Customer 360 tab
    shown, up to its first paint: the partner form's ``web_read`` with the
    core's views (the capability addons' own partner-form fields left out:
    they are theirs, not the overview's) plus what the overview reads before
    its first paint, ``get_customer_overview(parts=...)``: the figure cards
    and 24 months of revenue (the segment and care badges, the lists, open
    items and last orders, and the timeline's last events follow in two
    calls after the paint), vs. the stock partner form's ``web_read`` on the
    same customer. One customer per repetition, among the customers with the
    most orders."""
    env = ctx.env
    customers = ctx.sample_orders(ctx.repeat + 1).partner_id.commercial_partner_id
    spec_core = without_capability_views(
        ctx, "res.partner", lambda: form_spec(env, "res.partner")
    )
    spec_stock = ctx.without_addon_views(
        "res.partner", lambda: form_spec(env, "res.partner")
    )

    def run(i):
        customer = customers[i % len(customers)]
        customer.web_read(spec_core)
        customer.get_customer_overview(parts=FIRST_PAINT_PARTS)

    def baseline(i):
        customers[i % len(customers)].web_read(spec_stock)

    return Operation(run, 1, "stock res.partner form web_read", baseline)


def without_capability_views(ctx, model, func):
    """``func()`` while the capability addons' views of ``model`` are
    inactive (the core's stay), like ``ctx.without_addon_views``."""
    env = ctx.env
    views = (
        env["ir.ui.view"]
        .sudo()
        .browse(
            env["ir.model.data"]
            .sudo()
            .search(
                [
                    ("module", "=like", "crm_order_unified_%"),
                    ("model", "=", "ir.ui.view"),
                ]
            )
            .mapped("res_id")
        )
        .filtered(lambda v: v.model == model and v.inherit_id)
    )
    result = None
    savepoint = env.cr.savepoint()
    try:
        views.write({"active": False})
        result = func()
    finally:
        savepoint.close(rollback=True)
        env.registry.clear_all_caches()
        env.invalidate_all()
    return result
