import logging

from odoo.addons.crm_order_unified.hooks import recreate_view_extensions

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    """The addon's extensions of other modules' views are recreated from its
    files (see recreate_view_extensions in the core)."""
    count = recreate_view_extensions(cr, "crm\\_order\\_unified\\_complaint")
    _logger.info(
        "crm_order_unified_complaint 18.0.2.1.0: %s view extensions recreated",
        count,
    )
