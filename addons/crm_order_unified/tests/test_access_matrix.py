"""Access matrix of the core (see ``access_matrix.py``)."""

from odoo.tests import tagged

from .access_matrix import (
    DOCUMENT_READERS,
    EVERYONE,
    INTERNAL,
    SALES_READERS,
    AccessMatrixCase,
    method,
    rights,
    roles,
)

#: readers of company A's order of the customer (a salesman's own rule: the
#: order belongs to another salesman) and through it of its timeline events
ORDER_A_READERS = SALES_READERS
#: every internal role but the plain employee and the marketing user implies
#: the Customer Hub user group
HUB_STAFF = INTERNAL - roles("employee", "marketing")
#: the customer's contacts: every internal user, and its portal user. The
#: buttons return actions (ids and domains, no data): whoever reads the
#: record may get them, the lists they open apply their own rules
PARTNER_READERS = INTERNAL | roles("portal")
PICKING_READERS = DOCUMENT_READERS


@tagged("post_install", "-at_install")
class TestAccessMatrixCore(AccessMatrixCase):
    MODULE = "crm_order_unified"

    MODELS = {
        # SQL view: read only; events follow their source documents' rules,
        # the portal user reads the public events of their own company
        "cou.timeline.event": rights(r=ORDER_A_READERS | roles("portal")),
        "cou.dashboard": None,
        "cou.customer.context.mixin": None,
        "cou.demo.generator": None,
        # the log of the heavy jobs' runs: system administrators only
        "cou.job.chunk": rights(),
    }

    METHODS = {
        ("cou.dashboard", "get_dashboard_data"): method(HUB_STAFF),
        # the portal user reads their own public events; another customer's
        # portal user is refused
        ("cou.timeline.event", "get_timeline_page"): method(
            HUB_STAFF | roles("portal"),
            args=lambda case, rec: [case.customer_company.id],
            sees_a=DOCUMENT_READERS | roles("portal"),
        ),
        ("cou.timeline.event", "get_timeline_config"): method(EVERYONE),
        ("cou.timeline.event", "action_open_source"): method(
            ORDER_A_READERS | roles("portal"), sees_a=()
        ),
        ("res.partner", "get_customer_overview"): method(
            HUB_STAFF, args=lambda case, rec: [case.customer_company.ids]
        ),
        ("res.partner", "get_customer_overview_events"): method(
            HUB_STAFF, args=lambda case, rec: [case.customer_company.ids]
        ),
        ("res.partner", "action_cou_view_customer"): method(
            PARTNER_READERS, args=lambda case, rec: [case.customer_contact.ids]
        ),
        ("res.partner", "action_cou_view_deliveries"): method(
            PARTNER_READERS, args=lambda case, rec: [case.customer_company.ids]
        ),
        ("res.partner", "action_cou_view_invoices"): method(
            PARTNER_READERS, args=lambda case, rec: [case.customer_company.ids]
        ),
        ("res.partner", "action_cou_view_orders"): method(
            PARTNER_READERS, args=lambda case, rec: [case.customer_company.ids]
        ),
        ("cou.customer.context.mixin", "action_cou_view_customer"): method(
            ORDER_A_READERS | roles("portal"), on="sale.order"
        ),
        ("account.move", "action_cou_view_deliveries"): method(
            roles("sale_manager", "salesman_all", "invoice_user")
        ),
        ("stock.picking", "action_cou_view_sale_order"): method(PICKING_READERS),
        # reads the invoices: refused to who may not read them
        ("stock.picking", "action_cou_view_invoices"): method(
            roles("salesman_all", "sale_manager", "invoice_user")
        ),
    }

    OVERRIDES = {
        # CRUD of Odoo's documents: Odoo's own rights and rules apply first
        # (the core adds the Customer 360 refresh and the timeline hooks)
        ("account.move", "write"): "CRUD",
        ("account.partial.reconcile", "create"): "CRUD",
        ("account.partial.reconcile", "unlink"): "CRUD",
        ("res.partner", "create"): "CRUD",
        ("res.partner", "write"): "CRUD (figures: test_customer360_access)",
        ("sale.order", "create"): "CRUD",
        ("sale.order", "write"): "CRUD",
        ("sale.order", "message_post"): "mail.thread's own checks",
        ("sale.order.line", "create"): "CRUD",
        ("sale.order.line", "write"): "CRUD",
        ("sale.order.line", "unlink"): "CRUD",
        ("stock.move", "write"): "CRUD",
        ("stock.picking", "create"): "CRUD",
        ("stock.picking", "write"): "CRUD",
        ("stock.picking", "unlink"): "CRUD",
    }

    @classmethod
    def _matrix_setup(cls):
        cls.matrix_records["cou.job.chunk"] = tuple(
            cls.env["cou.job.chunk"].create(
                {
                    "job": "access_matrix",
                    "run": f"access_matrix:{company.id}",
                    "res_model": "res.partner",
                    "method": "_cou_job_refresh_customer_360",
                    "company_id": company.id,
                }
            )
            for company in (cls.company_a, cls.company_b)
        )
        Event = cls.env["cou.timeline.event"]
        cls.matrix_records["cou.timeline.event"] = tuple(
            Event.search(
                [("res_model", "=", "sale.order"), ("res_id", "=", order.id)],
                limit=1,
            )
            for order in (cls.mx_order_a, cls.mx_order_b)
        )
