"""Access matrix of the recommendation addon (see the core's
``access_matrix.py``)."""

from odoo.tests import tagged

from odoo.addons.crm_order_unified.tests.access_matrix import (
    DOCUMENT_READERS,
    INTERNAL,
    MARK_B,
    AccessMatrixCase,
    method,
    rights,
    roles,
)

#: every internal role but the plain employee and the marketing user implies
#: the Customer Hub user group
HUB = INTERNAL - roles("employee", "marketing")
MANAGER = roles("hub_manager")
SALES = roles("salesman", "salesman_all", "sale_manager")


def _args_partner(case, rec):
    return [case.customer_company.ids]


@tagged("post_install", "-at_install")
class TestAccessMatrixRecommendation(AccessMatrixCase):
    MODULE = "crm_order_unified_recommendation"

    MODELS = {
        # built by the nightly job (as superuser): read, or dropped by managers
        "cou.recommendation": rights(r=HUB, d=MANAGER),
        "cou.recommendation.neighbour": rights(r=HUB, d=MANAGER),
        # the use of suggestions on orders: the salespeople's record rules
        # (the log of company A is on another salesman's order)
        "cou.recommendation.log": rights(
            r=roles("salesman_all", "sale_manager", "hub_manager"),
            w=MANAGER,
            d=MANAGER,
        ),
    }

    METHODS = {
        ("cou.recommendation", "get_recommendations"): method(
            HUB, args=lambda case, rec: [case.customer_company.ids]
        ),
        # the Suggested panels: who reads the customer or the order
        ("cou.customer.context.mixin", "cou_recommendation_panel_data"): method(
            DOCUMENT_READERS, on="stock.picking"
        ),
        ("res.partner", "cou_recommendation_panel_data"): method(
            HUB, args=_args_partner
        ),
        ("res.partner", "action_cou_recommendation_view"): method(
            HUB, args=_args_partner
        ),
        ("sale.order", "cou_recommendation_panel_data"): method(
            roles("salesman_all", "sale_manager", "stock_user", "invoice_user")
        ),
        ("sale.order", "action_cou_recommendation_add"): method(
            roles("salesman_all", "sale_manager"),
            args=lambda case, rec: [case.mx_quotation.ids, case.product_delivery.id],
        ),
        # a rebuild of the company's suggestions (as superuser): settings
        ("res.config.settings", "action_cou_recommendation_rebuild"): method(
            roles(), args=lambda case, rec: [case.mx_settings.ids]
        ),
    }

    OVERRIDES = {}

    @classmethod
    def _matrix_setup(cls):
        marks = (("COU MX", cls.company_a), (MARK_B, cls.company_b))
        products = {
            cls.company_a: cls.product_delivery,
            cls.company_b: cls.mx_product_b,
        }
        Recommendation = cls.env["cou.recommendation"]
        cls.matrix_records["cou.recommendation"] = tuple(
            Recommendation.create(
                {
                    "company_id": company.id,
                    "partner_id": cls.customer_company.id,
                    "product_id": products[company].id,
                    "kind": "cross_sell",
                    "source": "similar",
                    "score": 0.9,
                }
            )
            for __, company in marks
        )
        Neighbour = cls.env["cou.recommendation.neighbour"]
        cls.matrix_records["cou.recommendation.neighbour"] = tuple(
            Neighbour.create(
                {
                    "company_id": company.id,
                    "product_id": cls.product_order.id,
                    "neighbour_id": products[company].id,
                    "kind": "similar",
                    "score": 0.5,
                }
            )
            for __, company in marks
        )
        Log = cls.env["cou.recommendation.log"]
        orders = {cls.company_a: cls.mx_order_a, cls.company_b: cls.mx_order_b}
        cls.matrix_records["cou.recommendation.log"] = tuple(
            Log.create(
                {
                    "order_id": orders[company].id,
                    "partner_id": cls.customer_company.id,
                    "user_id": cls.mx_salesman_other.id,
                    "product_id": products[company].id,
                    "kind": "cross_sell",
                }
            )
            for __, company in marks
        )
        cls.matrix_write["cou.recommendation.log"] = {"reason": "matrix"}
        cls.mx_quotation = cls._mx_order(cls.customer_company, confirm=False)
        cls.mx_settings = cls.env["res.config.settings"].create({})
