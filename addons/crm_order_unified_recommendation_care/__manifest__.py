{
    "name": "Customer Hub: Product Suggestions and Care Rules",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "summary": "Never suggest a product that the customer's care rules block",
    "author": "crm_order_unified developers",
    "website": "https://github.com/crm-order-unified/crm_order_unified",
    "license": "LGPL-3",
    "depends": ["crm_order_unified_recommendation", "crm_order_unified_care"],
    "data": [],
    "installable": True,
    "auto_install": True,
}
