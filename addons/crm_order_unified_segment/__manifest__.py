{
    "name": "Customer Hub: Segments and Campaigns",
    "version": "18.0.2.5.0",
    "category": "Sales/CRM",
    "summary": "RFM scores, rule and static segments kept current, segment mailings "
    "with holdout and campaign attribution",
    "author": "crm_order_unified developers",
    "website": "https://github.com/crm-order-unified/crm_order_unified",
    "license": "LGPL-3",
    "depends": [
        "crm_order_unified",
        "mass_mailing",
    ],
    "data": [
        "security/ir.model.access.csv",
        "security/segment_security.xml",
        "data/cou_rfm_segment_map_data.xml",
        "data/cou_segment_data.xml",
        "views/cou_segment_views.xml",
        "views/cou_segment_member_views.xml",
        "views/cou_rfm_score_views.xml",
        "views/cou_rfm_segment_map_views.xml",
        "views/cou_campaign_holdout_views.xml",
        "views/cou_campaign_recipient_views.xml",
        "views/res_partner_views.xml",
        "views/sale_order_views.xml",
        "views/stock_picking_views.xml",
        "views/account_move_views.xml",
        "views/utm_campaign_views.xml",
        "views/mailing_mailing_views.xml",
        "views/res_config_settings_views.xml",
        "views/cou_timeline_event_views.xml",
        "views/crm_order_unified_segment_menus.xml",
    ],
    "demo": [
        "demo/cou_segment_demo.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "crm_order_unified_segment/static/src/**/*",
        ],
        "web.assets_tests": [
            "crm_order_unified_segment/static/tests/tours/**/*",
        ],
    },
    "uninstall_hook": "uninstall_hook",
    "installable": True,
    "application": False,
}
