"""Operations of the foundation feature: the Customer 360 figures and the
customer context on the sale order form."""

from lxml import etree

from . import Operation, register

RELATIONAL = ("many2one", "one2many", "many2many")


@register("customer_360_figures")
def customer_360_figures(ctx):
    """Compute (and store) the 10 Customer 360 figures of 1,000 customers,
    vs. stock Odoo computing ``sale_order_count`` and ``total_invoiced`` of the
    same partners."""
    partners = ctx.sample_customers(1000)

    def run(_i):
        partners._cou_refresh_customer_360()

    def baseline(_i):
        partners.mapped("sale_order_count")
        partners.mapped("total_invoiced")

    return Operation(
        run, len(partners), "stock sale_order_count + total_invoiced", baseline
    )


@register("order_form_customer_context")
def order_form_customer_context(ctx):
    """Read a sale order as its form view does (``web_read`` with the form's
    field specification), with the customer context of the addon vs. the same
    form without the addon's views. One order per repetition, orders of the
    customers with the most orders (the heaviest context)."""
    env = ctx.env
    orders = ctx.sample_orders(ctx.repeat + 1)
    spec_with = form_spec(env, "sale.order")
    spec_without = ctx.without_addon_views(
        "sale.order", lambda: form_spec(env, "sale.order")
    )

    def run(i):
        orders[i % len(orders)].web_read(spec_with)

    def baseline(i):
        orders[i % len(orders)].web_read(spec_without)

    return Operation(run, 1, "stock sale.order form web_read", baseline)


def form_spec(env, model):
    """The field specification the web client sends to ``web_read`` when it
    opens the form view of ``model`` (fields of the arch, relational fields
    with their display name or their sub-list's fields)."""
    result = env[model].get_views([(False, "form")])
    arch = etree.fromstring(result["views"]["form"]["arch"])
    return _spec(arch, model, result["models"])


def _spec(node, model, models):
    """The specification of the fields of ``model`` under ``node``, as the web
    client's getFieldsSpec builds it (relational_model/utils.js): a many2one
    with its display name, an x2many with its sub-view's fields, except when
    every occurrence of the field is always invisible (``invisible`` or, in a
    list, ``column_invisible`` set to 1/True): then the many2one's id and the
    x2many's ids only."""
    fields_info = models.get(model, {}).get("fields", {})
    occurrences = {}
    _collect_fields(node, fields_info, occurrences)
    spec = {}
    for name, nodes in occurrences.items():
        info = fields_info[name]
        ftype = info.get("type")
        visible = [n for n in nodes if not _always_invisible(n)]
        if ftype == "many2one":
            spec[name] = {"fields": {"display_name": {}} if visible else {}}
        elif ftype in ("one2many", "many2many"):
            if not visible:
                spec[name] = {}
                continue
            sub = next(
                (
                    view
                    for n in visible
                    for view in n.iterchildren(tag=etree.Element)
                    if view.tag in ("list", "kanban")
                ),
                None,
            )
            sub_spec = (
                _spec(sub, info.get("relation"), models) if sub is not None else {}
            )
            spec[name] = {"fields": sub_spec or {"display_name": {}}, "limit": 40}
        else:
            spec[name] = {}
    return spec


def _collect_fields(node, fields_info, occurrences):
    """The ``<field>`` nodes of ``fields_info``'s model under ``node`` by name
    (not those of an x2many's sub-views)."""
    for child in node.iterchildren(tag=etree.Element):
        if child.tag == "field" and child.get("name") in fields_info:
            occurrences.setdefault(child.get("name"), []).append(child)
        else:
            _collect_fields(child, fields_info, occurrences)


def _always_invisible(node):
    return any(
        node.get(attribute) in ("1", "True")
        for attribute in ("invisible", "column_invisible")
    )
