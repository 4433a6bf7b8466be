import logging

from odoo.addons.crm_order_unified.hooks import recreate_view_extensions

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    """The capability addons' extensions of other modules' views are recreated
    from their files when they are updated (see recreate_view_extensions)."""
    count = recreate_view_extensions(cr, "crm\\_order\\_unified\\_%")
    _logger.info(
        "crm_order_unified 18.0.2.2.0: %s view extensions of the capability "
        "addons recreated",
        count,
    )
