{
    "name": "Customer Hub: Product Suggestions in Mailings",
    "version": "18.0.1.0.0",
    "category": "Marketing/Email Marketing",
    "summary": "A mailing block that shows each recipient their own product "
    "suggestions",
    "author": "crm_order_unified developers",
    "website": "https://github.com/crm-order-unified/crm_order_unified",
    "license": "LGPL-3",
    "depends": ["crm_order_unified_recommendation", "mass_mailing"],
    "data": [
        "views/snippets_templates.xml",
    ],
    "installable": True,
    "auto_install": True,
}
