"""Access matrix of the recommendation mailing bridge (see the core's
``access_matrix.py``): no model of its own; the mailing block's methods."""

from odoo.tests import tagged

from odoo.addons.crm_order_unified.tests.access_matrix import (
    INTERNAL,
    AccessMatrixCase,
    method,
    roles,
)

#: the Customer Hub staff and the mass mailing users read a customer's
#: suggestions (the mailing queue renders the block as superuser)
READERS = INTERNAL - roles("employee")


@tagged("post_install", "-at_install")
class TestAccessMatrixRecommendationMailing(AccessMatrixCase):
    MODULE = "crm_order_unified_recommendation_mailing"

    MODELS = {}

    METHODS = {
        ("res.partner", "cou_recommended_products"): method(
            READERS, args=lambda case, rec: [case.customer_company.ids, 3]
        ),
        # mailing list contacts: the mass mailing users'
        ("mailing.contact", "cou_recommended_products"): method(
            roles("marketing"), args=lambda case, rec: [case.mx_contact.ids, 3]
        ),
    }

    OVERRIDES = {
        ("mailing.mailing", "create"): "CRUD",
        ("mailing.mailing", "write"): "CRUD",
    }

    @classmethod
    def _matrix_setup(cls):
        cls.customer_company.email = "acme.mx@example.com"
        cls.mx_contact = cls.env["mailing.contact"].create(
            {"name": "Acme", "email": cls.customer_company.email}
        )
        # a suggestion of company B: never in a company-A user's block
        cls.env["cou.recommendation"].create(
            {
                "company_id": cls.company_b.id,
                "partner_id": cls.customer_company.id,
                "product_id": cls.mx_product_b.id,
                "kind": "cross_sell",
                "source": "similar",
                "score": 0.9,
            }
        )
