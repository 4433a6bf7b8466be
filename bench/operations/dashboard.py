"""Operation of the dashboard feature: the Customer Hub dashboard's first paint."""

from dateutil.relativedelta import relativedelta

from odoo import fields

from . import Operation, register


@register("dashboard")
def dashboard_first_paint(ctx):
    """First paint of the Customer Hub dashboard: the client action's load
    and ``cou.dashboard.get_dashboard_data`` (every figure and chart, with
    the sections of the installed capabilities) on all orders, vs. the stock
    Sales Analysis (Sales > Reporting > Sales, ``sale.report``) first paint on
    the same data: its action's load and the graph's ``read_group`` of the
    untaxed total by month, plus the pivot's total by customer."""
    env = ctx.env
    start = fields.Date.today() - relativedelta(months=24)

    def run(_i):
        env["ir.actions.actions"]._for_xml_id("crm_order_unified.cou_dashboard_action")
        env["cou.dashboard"].get_dashboard_data()

    def baseline(_i):
        env["ir.actions.actions"]._for_xml_id("sale.action_order_report_all")
        domain = [("state", "=", "sale"), ("date", ">=", start)]
        report = env["sale.report"]
        report.read_group(domain, ["price_subtotal:sum"], ["date:month"], lazy=False)
        report.read_group(
            domain, ["price_subtotal:sum"], ["partner_id"], limit=80, lazy=False
        )

    return Operation(
        run, 1, "stock Sales Analysis (sale.report) graph and pivot", baseline
    )
