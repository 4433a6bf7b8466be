{
    "name": "Customer Hub: Unified Orders & CRM",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "summary": "One customer for sales, delivery, billing and customer care: "
    "Customer 360 figures, customer context on orders, deliveries and invoices",
    "description": """
Customer Hub unifies order management and customer management.

* Customer 360 figures on every contact, rolled up to the commercial entity:
  orders, lifetime revenue net of refunds, average order value, order rhythm and
  next expected order, open deliveries, overdue receivables, open complaints.
* Customer context on sale orders, deliveries and customer invoices: the
  figures, the last orders, open deliveries, unpaid invoices and the internal
  note, with smart buttons between order, deliveries, invoices and customer.
* Hooks for automated actions (stored, documented fields).
""",
    "author": "crm_order_unified developers",
    "website": "https://github.com/crm-order-unified/crm_order_unified",
    "license": "LGPL-3",
    "depends": [
        "sale_management",
        "sale_stock",
        "account",
        "crm",
        "mass_mailing",
        "base_automation",
        "rating",
    ],
    "data": [
        "security/crm_order_unified_groups.xml",
        "security/ir.model.access.csv",
        "security/crm_order_unified_security.xml",
        # --- data files (keep one line per file, below its feature's marker) ---
        # [foundation]
        "data/customer360_cron_data.xml",
        "views/res_partner_views.xml",
        "views/sale_order_views.xml",
        "views/stock_picking_views.xml",
        "views/account_move_views.xml",
        # [timeline]
        "security/timeline_security.xml",
        "views/cou_timeline_event_views.xml",
        # [complaint]
        "security/complaint_security.xml",
        "data/cou_complaint_mail_template_data.xml",
        "data/cou_complaint_data.xml",
        "views/cou_complaint_views.xml",
        "views/cou_complaint_team_views.xml",
        "views/cou_complaint_stage_views.xml",
        "views/cou_complaint_category_views.xml",
        "views/cou_complaint_tag_views.xml",
        "views/cou_complaint_sla_views.xml",
        "report/cou_complaint_report_views.xml",
        "views/cou_complaint_integration_views.xml",
        "views/cou_complaint_portal_templates.xml",
        # [segment]
        "security/segment_security.xml",
        "data/cou_rfm_segment_map_data.xml",
        "data/cou_segment_data.xml",
        "views/cou_segment_views.xml",
        "views/utm_campaign_views.xml",
        "views/mailing_mailing_views.xml",
        "views/res_config_settings_views.xml",
        # [import]
        "security/import_security.xml",
        "data/cou_history_import_data.xml",
        "views/cou_history_import_run_views.xml",
        "views/cou_history_import_mapping_views.xml",
        "wizard/cou_history_import_views.xml",
        # menus last: they reference the actions above
        "views/crm_order_unified_menus.xml",
    ],
    "demo": [
        # [foundation]
        "demo/crm_order_unified_demo.xml",
        # [timeline]
        # [complaint]
        "demo/complaint_demo.xml",
        # [segment]
        "demo/cou_segment_demo.xml",
        # [import]
    ],
    "assets": {
        "web.assets_backend": [
            "crm_order_unified/static/src/**/*",
        ],
        "web.assets_tests": [
            "crm_order_unified/static/tests/tours/**/*",
        ],
    },
    "installable": True,
    "application": True,
}
