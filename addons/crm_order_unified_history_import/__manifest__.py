{
    "name": "Customer Hub: Order History Import",
    "version": "18.0.2.1.0",
    "category": "Sales/CRM",
    "summary": "Import years of order lines from another system (CSV, CSV.GZ, XLSX) as "
    "locked sale orders with their customers and products",
    "author": "crm_order_unified developers",
    "website": "https://github.com/crm-order-unified/crm_order_unified",
    "license": "LGPL-3",
    "depends": [
        "crm_order_unified",
    ],
    "data": [
        "security/ir.model.access.csv",
        "security/import_security.xml",
        "data/cou_history_import_data.xml",
        "views/cou_history_import_run_templates.xml",
        "views/cou_history_import_run_views.xml",
        "views/sale_order_views.xml",
        "views/cou_history_import_mapping_views.xml",
        "wizard/cou_history_import_templates.xml",
        "wizard/cou_history_import_views.xml",
        "views/crm_order_unified_history_import_menus.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "crm_order_unified_history_import/static/src/**/*",
        ],
        "web.assets_tests": [
            "crm_order_unified_history_import/static/tests/tours/**/*",
        ],
    },
    "installable": True,
    "application": False,
}
