{
    "name": "Customer Hub: Automatic Invoicing by Segment",
    "version": "18.0.1.0.0",
    "category": "Sales/Sales",
    "summary": "An automatic invoicing policy per customer segment, for the customers "
    "without a policy of their own",
    "author": "crm_order_unified developers",
    "website": "https://github.com/crm-order-unified/crm_order_unified",
    "license": "LGPL-3",
    "depends": ["crm_order_unified_order_flow", "crm_order_unified_segment"],
    "data": [
        "views/cou_segment_views.xml",
        "views/res_partner_views.xml",
    ],
    "demo": [
        "demo/crm_order_unified_order_flow_segment_demo.xml",
    ],
    "installable": True,
    "auto_install": True,
}
