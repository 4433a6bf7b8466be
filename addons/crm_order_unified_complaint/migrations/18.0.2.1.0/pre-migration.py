import logging

from odoo.tools import SQL

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    """The addon's extensions of other modules' views are recreated from its
    files: an extension of an earlier version (another xml id, an element the
    core's form no longer has) would otherwise be validated against the new
    core form before the update removes it, and fail the upgrade. Extensions
    that other views extend in turn are kept."""
    cr.execute(
        SQL(
            """WITH gone AS (
                   DELETE FROM ir_ui_view v
                    USING ir_model_data d
                    WHERE d.model = 'ir.ui.view' AND d.res_id = v.id
                      AND d.module = 'crm_order_unified_complaint'
                      AND v.inherit_id IS NOT NULL
                      AND NOT EXISTS (SELECT 1 FROM ir_ui_view c
                                       WHERE c.inherit_id = v.id)
                RETURNING v.id)
               DELETE FROM ir_model_data d USING gone
                WHERE d.model = 'ir.ui.view' AND d.res_id = gone.id"""
        )
    )
    _logger.info(
        "crm_order_unified_complaint 18.0.2.1.0: %s view extensions recreated",
        cr.rowcount,
    )
