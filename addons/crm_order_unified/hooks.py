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
    "cou_res_partner_contacts_idx",
)


def drop_indexes(env, names):
    for name in names:
        env.cr.execute(SQL("DROP INDEX IF EXISTS %s", SQL.identifier(name)))


def uninstall_hook(env):
    drop_indexes(env, CORE_TABLE_INDEXES)


def recreate_view_extensions(cr, module_like):
    """Delete the extensions of other views that the modules matching the LIKE
    pattern ``module_like`` own, so that their update recreates them from their
    files: an extension of an earlier version (another xml id, an element a
    core form no longer has) would otherwise be validated against the new
    forms, while the core or another addon is updated before its own module,
    and fail the upgrade. Extensions that other views extend in turn are kept.
    Returns how many were deleted."""
    cr.execute(
        SQL(
            """WITH gone AS (
                   DELETE FROM ir_ui_view v
                    USING ir_model_data d
                    WHERE d.model = 'ir.ui.view' AND d.res_id = v.id
                      AND d.module LIKE %s
                      AND v.inherit_id IS NOT NULL
                      AND NOT EXISTS (SELECT 1 FROM ir_ui_view c
                                       WHERE c.inherit_id = v.id)
                RETURNING v.id)
               DELETE FROM ir_model_data d USING gone
                WHERE d.model = 'ir.ui.view' AND d.res_id = gone.id""",
            module_like,
        )
    )
    return cr.rowcount
