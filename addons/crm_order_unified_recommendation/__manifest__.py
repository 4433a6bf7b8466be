{
    "name": "Customer Hub: Product Suggestions",
    "version": "18.0.1.2.0",
    "category": "Sales/CRM",
    "summary": "Cross-sell, replenishment and upsell suggestions from purchase "
    "history, "
    "on orders, customers and the portal, with a report of their use",
    "author": "crm_order_unified developers",
    "website": "https://github.com/crm-order-unified/crm_order_unified",
    "license": "LGPL-3",
    "depends": ["crm_order_unified", "sale_management"],
    "external_dependencies": {"python": ["numpy", "scipy"]},
    "data": [
        "security/ir.model.access.csv",
        "security/cou_recommendation_security.xml",
        "data/ir_cron_data.xml",
        "views/cou_recommendation_views.xml",
        "views/cou_recommendation_neighbour_views.xml",
        "views/cou_recommendation_log_views.xml",
        "views/sale_order_views.xml",
        "views/res_partner_views.xml",
        "views/stock_picking_views.xml",
        "views/account_move_views.xml",
        "views/res_config_settings_views.xml",
        "views/sale_portal_templates.xml",
        # menus last: they reference the actions above
        "views/crm_order_unified_recommendation_menus.xml",
    ],
    "demo": [
        "demo/cou_recommendation_demo.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "crm_order_unified_recommendation/static/src/**/*",
        ],
        "web.assets_tests": [
            "crm_order_unified_recommendation/static/tests/tours/**/*",
        ],
    },
    "installable": True,
}
