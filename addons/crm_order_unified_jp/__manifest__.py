{
    "name": "Customer Hub: Japan",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "summary": "Japanese localisation of the Customer Hub: honorifics (様, 御中) on "
    "what customers receive and a Japanese demo company (JPY, consumption tax, "
    "qualified-invoice number, 月末締め翌月末払い, Tokyo calendar)",
    "author": "crm_order_unified developers",
    "website": "https://github.com/crm-order-unified/crm_order_unified",
    "license": "LGPL-3",
    "depends": [
        "crm_order_unified",
        "crm_order_unified_complaint",
        "crm_order_unified_care",
        "l10n_jp",
    ],
    "data": [
        "views/report_invoice.xml",
    ],
    "demo": [
        "demo/crm_order_unified_jp_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "crm_order_unified_jp/static/tests/tours/**/*",
        ],
    },
    "installable": True,
}
