"""The customer overview (Customer 360 tab of the partner form)."""

from . import Operation, register
from .foundation import form_spec


@register("customer_overview")
def customer_overview(ctx):
    """Open a customer as the web client does with the Customer 360 tab
    shown: the partner form's ``web_read`` (with the addon's views) plus
    ``get_customer_overview()`` (figures, 24 months of revenue, open items,
    last orders, last events), vs. the stock partner form's ``web_read``
    (without the addon's views) on the same customer. One customer per
    repetition, among the customers with the most orders."""
    env = ctx.env
    customers = ctx.sample_orders(ctx.repeat + 1).partner_id.commercial_partner_id
    spec_with = form_spec(env, "res.partner")
    spec_without = ctx.without_addon_views(
        "res.partner", lambda: form_spec(env, "res.partner")
    )

    def run(i):
        customer = customers[i % len(customers)]
        customer.web_read(spec_with)
        customer.get_customer_overview()

    def baseline(i):
        customers[i % len(customers)].web_read(spec_without)

    return Operation(run, 1, "stock res.partner form web_read", baseline)
