{
    "name": "Customer Hub: Unified Orders & CRM",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "summary": "One customer for sales, delivery, billing and customer care: "
    "Customer 360 figures, customer context on orders, deliveries and invoices",
    "description": """
Customer Hub unifies order management and customer management.

* Customer 360 figures on every contact, rolled up to the commercial entity:
  orders, lifetime revenue net of refunds, average order value, order rhythm and
  next expected order, open deliveries, overdue receivables, open complaints.
* Customer context on sale orders, deliveries and customer invoices: the
  figures, the last orders, open deliveries, unpaid invoices and the internal
  note, with smart buttons between order, deliveries, invoices and customer.
* Hooks for automated actions (stored, documented fields).
""",
    "author": "crm_order_unified developers",
    "website": "https://github.com/crm-order-unified/crm_order_unified",
    "license": "LGPL-3",
    "depends": [
        "sale_management",
        "sale_stock",
        "account",
        "crm",
        "mass_mailing",
        "base_automation",
    ],
    "data": [
        "security/crm_order_unified_groups.xml",
        "security/ir.model.access.csv",
        "security/crm_order_unified_security.xml",
        # --- data files (keep one line per file, below its feature's marker) ---
        # [foundation]
        "views/res_partner_views.xml",
        "views/sale_order_views.xml",
        "views/stock_picking_views.xml",
        "views/account_move_views.xml",
        # [timeline]
        # [complaint]
        # [segment]
        # [import]
        # menus last: they reference the actions above
        "views/crm_order_unified_menus.xml",
    ],
    "demo": [
        # [foundation]
        "demo/crm_order_unified_demo.xml",
        # [timeline]
        # [complaint]
        # [segment]
        # [import]
    ],
    "assets": {
        "web.assets_backend": [
            "crm_order_unified/static/src/**/*",
        ],
        "web.assets_tests": [
            "crm_order_unified/static/tests/tours/**/*",
        ],
    },
    "installable": True,
    "application": True,
}
