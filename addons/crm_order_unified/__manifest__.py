{
    "name": "Customer Hub",
    "version": "18.0.2.2.1",
    "category": "Sales/CRM",
    "summary": "One customer for sales, delivery, billing and customer care: Customer "
    "360 figures, customer context on orders, deliveries and invoices, one "
    "customer timeline",
    "author": "crm_order_unified developers",
    "website": "https://github.com/crm-order-unified/crm_order_unified",
    "license": "LGPL-3",
    "depends": [
        "sale_management",
        "sale_stock",
        "account",
        "base_automation",
    ],
    "data": [
        "security/crm_order_unified_groups.xml",
        "security/ir.model.access.csv",
        "security/timeline_security.xml",
        "security/cou_job_chunk_security.xml",
        "data/customer360_cron_data.xml",
        "data/cou_job_chunk_data.xml",
        "views/cou_dashboard_views.xml",
        "views/cou_timeline_event_views.xml",
        "views/res_partner_views.xml",
        "views/sale_order_views.xml",
        "views/stock_picking_views.xml",
        "views/account_move_views.xml",
        "views/res_config_settings_views.xml",
        "views/cou_job_chunk_views.xml",
        "views/crm_order_unified_menus.xml",
    ],
    "demo": [
        "demo/crm_order_unified_demo.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "crm_order_unified/static/src/**/*",
        ],
        "web.assets_tests": [
            "crm_order_unified/static/tests/tours/**/*",
        ],
    },
    "uninstall_hook": "uninstall_hook",
    "installable": True,
    "application": True,
}
