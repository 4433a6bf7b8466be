{
    "name": "Customer Hub: Order Flow",
    "version": "18.0.1.0.0",
    "category": "Sales/Sales",
    "summary": "An order flow that runs itself: stock and credit checks on "
    "confirmation, automatic confirmation of trusted customers' portal "
    "acceptances, automatic invoicing on delivery, duplicate customers",
    "author": "crm_order_unified developers",
    "website": "https://github.com/crm-order-unified/crm_order_unified",
    "license": "LGPL-3",
    "depends": [
        "crm_order_unified",
        "sale_stock",
        "sale_management",
        "portal",
    ],
    "external_dependencies": {"python": ["phonenumbers"]},
    "data": [
        "security/ir.model.access.csv",
        "security/crm_order_unified_order_flow_security.xml",
        "data/cou_order_flow_automation_data.xml",
        "views/cou_partner_duplicate_views.xml",
        "views/res_partner_views.xml",
        "views/sale_order_views.xml",
        "views/res_config_settings_views.xml",
        "wizard/cou_order_flow_check_views.xml",
        # menus last: they reference the actions above
        "views/crm_order_unified_order_flow_menus.xml",
    ],
    "demo": [
        "demo/crm_order_unified_order_flow_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "crm_order_unified_order_flow/static/tests/tours/**/*",
        ],
    },
    "installable": True,
}
