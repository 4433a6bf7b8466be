import logging

from odoo.tools import SQL

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    """The capability addons' extensions of other modules' views are recreated
    from their files when they are updated: an extension of an earlier version
    (another xml id, an element the core's forms no longer have) would
    otherwise be validated against the new core forms, while the core or
    another addon is updated before its own addon, and fail the upgrade.
    Extensions that other views extend in turn are kept."""
    cr.execute(
        SQL(
            """WITH gone AS (
                   DELETE FROM ir_ui_view v
                    USING ir_model_data d
                    WHERE d.model = 'ir.ui.view' AND d.res_id = v.id
                      AND d.module LIKE 'crm\\_order\\_unified\\_%%'
                      AND v.inherit_id IS NOT NULL
                      AND NOT EXISTS (SELECT 1 FROM ir_ui_view c
                                       WHERE c.inherit_id = v.id)
                RETURNING v.id)
               DELETE FROM ir_model_data d USING gone
                WHERE d.model = 'ir.ui.view' AND d.res_id = gone.id"""
        )
    )
    _logger.info(
        "crm_order_unified 18.0.2.2.0: %s view extensions of the capability "
        "addons recreated",
        cr.rowcount,
    )
