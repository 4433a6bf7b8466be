"""Access matrix of the segment invoicing bridge (see the core's
``access_matrix.py``): no model and no public method of its own, only the
segments' create and write, which refuse a policy to anyone but a sales
manager (``test_segment_invoice_policy``); the table makes a new model or
public method fail until its rights are written out."""

from odoo.tests import tagged

from odoo.addons.crm_order_unified.tests.access_matrix import AccessMatrixCase


@tagged("post_install", "-at_install")
class TestAccessMatrixOrderFlowSegment(AccessMatrixCase):
    MODULE = "crm_order_unified_order_flow_segment"

    MODELS = {}
    METHODS = {}
    OVERRIDES = {
        ("cou.segment", "create"): "CRUD; a policy needs a sales manager",
        ("cou.segment", "write"): "CRUD; a policy needs a sales manager",
    }
