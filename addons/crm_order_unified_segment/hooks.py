from odoo.addons.crm_order_unified.hooks import drop_indexes

# Indexes the addon creates on tables of other modules (see mailing.trace.init()).
CORE_TABLE_INDEXES = (
    "mailing_trace_cou_partner_idx",
    "mailing_trace_cou_campaign_recipient_idx",
)


def uninstall_hook(env):
    drop_indexes(env, CORE_TABLE_INDEXES)
