{
    "name": "Customer Hub: Order Forecasts",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "summary": "Monthly and weekly forecasts of orders, quantities and revenue "
    "per product, "
    "category, segment and company; customers due to reorder; replenishment proposals",
    "author": "crm_order_unified developers",
    "website": "https://github.com/crm-order-unified/crm_order_unified",
    "license": "LGPL-3",
    "depends": [
        "crm_order_unified",
        "crm_order_unified_segment",
        "sale_stock",
    ],
    "external_dependencies": {
        "python": ["numpy", "statsforecast", "scikit-learn"],
    },
    "data": [
        "security/cou_forecast_groups.xml",
        "security/ir.model.access.csv",
        "security/cou_forecast_security.xml",
        "data/cou_forecast_cron_data.xml",
        "views/cou_forecast_views.xml",
        "views/cou_forecast_driver_views.xml",
        "views/res_partner_views.xml",
        "views/cou_customer_context_views.xml",
        "views/stock_warehouse_orderpoint_views.xml",
        # menus last: they reference the actions above
        "views/cou_forecast_menus.xml",
    ],
    "demo": [
        "demo/cou_forecast_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "crm_order_unified_forecast/static/tests/tours/**/*",
        ],
    },
    "installable": True,
}
