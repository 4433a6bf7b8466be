{
    "name": "Customer Hub: Care Rules at Order Entry",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "summary": "Customer care attributes (set by hand or derived from purchase "
    "history) and caution rules that warn or block at order entry",
    "author": "crm_order_unified developers",
    "website": "https://github.com/crm-order-unified/crm_order_unified",
    "license": "LGPL-3",
    "depends": [
        "crm_order_unified",
        "sale_management",
        "portal",
    ],
    "data": [
        "security/ir.model.access.csv",
        "security/crm_order_unified_care_security.xml",
        "data/cou_care_cron_data.xml",
        "views/cou_care_attribute_views.xml",
        "views/cou_care_derivation_views.xml",
        "views/cou_care_rule_views.xml",
        "views/cou_care_event_views.xml",
        "views/cou_care_partner_attribute_views.xml",
        "views/res_partner_views.xml",
        "views/sale_order_views.xml",
        "views/stock_picking_views.xml",
        "views/account_move_views.xml",
        "views/sale_portal_templates.xml",
        "wizard/cou_care_override_views.xml",
        # menus last: they reference the actions above
        "views/crm_order_unified_care_menus.xml",
    ],
    "demo": [
        "demo/crm_order_unified_care_demo.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "crm_order_unified_care/static/src/**/*",
        ],
        "web.assets_tests": [
            "crm_order_unified_care/static/tests/tours/**/*",
        ],
    },
    "installable": True,
}
