"""Access matrix of the Job Queue bridge (see the core's ``access_matrix.py``):
no model and no public method of its own (the job chunks are the core's,
in its matrix); the table makes a new one fail until its rights are written
out."""

from odoo.tests import tagged

from odoo.addons.crm_order_unified.tests.access_matrix import AccessMatrixCase


@tagged("post_install", "-at_install")
class TestAccessMatrixQueueJob(AccessMatrixCase):
    MODULE = "crm_order_unified_queue_job"

    MODELS = {}
    METHODS = {}
    OVERRIDES = {}
