from odoo.tools import SQL

# Indexes the addon creates on tables of other modules (see
# cou.timeline.event.init() and res.partner.init()): dropped with the addon,
# their tables stay.
CORE_TABLE_INDEXES = (
    "cou_account_payment_partner_id_date_idx",
    "cou_mail_message_timeline_idx",
    "cou_stock_picking_open_partner_idx",
    "cou_account_move_line_open_partner_idx",
    "cou_account_move_unpaid_partner_idx",
)


def drop_indexes(env, names):
    for name in names:
        env.cr.execute(SQL("DROP INDEX IF EXISTS %s", SQL.identifier(name)))


def uninstall_hook(env):
    drop_indexes(env, CORE_TABLE_INDEXES)
