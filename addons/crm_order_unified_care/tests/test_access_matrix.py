"""Access matrix of the care addon (see the core's ``access_matrix.py``)."""

from odoo.tests import tagged

from odoo.addons.crm_order_unified.tests.access_matrix import (
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
#: who may change company A's order of the customer (another salesman's;
#: Odoo lets the inventory and billing users write orders too)
ORDER_WRITERS = roles("salesman_all", "sale_manager", "stock_user", "invoice_user")


@tagged("post_install", "-at_install")
class TestAccessMatrixCare(AccessMatrixCase):
    MODULE = "crm_order_unified_care"

    MODELS = {
        "cou.care.attribute": rights(r=HUB, w=MANAGER, c=MANAGER, d=MANAGER),
        # the staff who serve the customer set the customer's attributes
        "cou.care.partner.attribute": rights(r=HUB, w=HUB, c=HUB, d=HUB),
        "cou.care.derivation": rights(r=HUB, w=MANAGER, c=MANAGER, d=MANAGER),
        "cou.care.rule": rights(r=HUB, w=MANAGER, c=MANAGER, d=MANAGER),
        # a log: written by the order's care actions only
        "cou.care.event": rights(r=HUB, d=MANAGER),
        "cou.care.override": rights(r=MANAGER, w=MANAGER, c=MANAGER, d=MANAGER),
    }

    METHODS = {
        ("cou.care.attribute", "action_view_partners"): method(HUB),
        ("cou.care.derivation", "action_recompute"): method(MANAGER),
        ("cou.care.derivation", "action_view_links"): method(HUB),
        # opens the order (an id): the lists and forms apply their own rules
        ("cou.care.event", "action_open_order"): method(HUB),
        ("cou.care.partner.attribute", "action_view_orders"): method(HUB),
        ("res.partner", "action_cou_care_recompute"): method(
            MANAGER, args=lambda case, rec: [case.customer_company.ids]
        ),
        ("sale.order", "action_care_acknowledge"): method(
            ORDER_WRITERS,
            args=lambda case, rec: [case.mx_order_care.ids],
        ),
        ("sale.order", "action_care_override"): method(
            MANAGER & ORDER_WRITERS,
            args=lambda case, rec: [case.mx_order_care.ids, "the customer insists"],
        ),
        ("sale.order", "action_open_care_override"): method(
            MANAGER, args=lambda case, rec: [case.mx_order_care.ids]
        ),
        ("sale.order.line", "action_care_swap_alternative"): method(
            ORDER_WRITERS,
            args=lambda case, rec: [
                case.mx_order_care.order_line[:1].ids,
                case.mx_alternative.id,
            ],
        ),
        ("cou.care.override", "action_override"): method(roles()),
    }

    OVERRIDES = {
        ("cou.care.derivation", "create"): "CRUD",
        ("cou.care.derivation", "write"): "CRUD",
        ("cou.care.partner.attribute", "create"): "CRUD",
        ("cou.care.partner.attribute", "write"): "CRUD",
        ("cou.care.partner.attribute", "unlink"): "CRUD",
        ("cou.care.rule", "create"): "CRUD",
        ("cou.care.rule", "write"): "CRUD",
        ("cou.care.rule", "unlink"): "CRUD",
        ("sale.order", "create"): "CRUD",
        ("sale.order", "write"): "CRUD",
        ("sale.order.line", "create"): "CRUD",
        ("sale.order.line", "write"): "CRUD",
    }

    @classmethod
    def _matrix_setup(cls):
        companies = (("COU MX", cls.company_a), (MARK_B, cls.company_b))

        def make(model, vals_of, write=None, **extra):
            cls.matrix_vals[model] = vals_of
            cls.matrix_records[model] = tuple(
                cls.env[model].create(
                    {**vals_of(company), **{k: v(mark) for k, v in extra.items()}}
                )
                for mark, company in companies
            )
            cls.matrix_write[model] = write or {}
            return cls.matrix_records[model]

        attributes = make(
            "cou.care.attribute",
            lambda company: {"name": "Attribute", "company_id": company.id},
            {"sequence": 3},
            name=lambda mark: f"{mark} attribute",
        )
        by_company = {cls.company_a: attributes[0], cls.company_b: attributes[1]}
        make(
            "cou.care.partner.attribute",
            lambda company: {
                "partner_id": cls.customer_individual.id,
                "attribute_id": by_company[company].id,
                "company_id": company.id,
            },
            partner_id=lambda mark: cls.customer_company.id,
        )
        category = cls.env["product.category"].create({"name": "COU care"})
        make(
            "cou.care.derivation",
            lambda company: {
                "attribute_id": by_company[company].id,
                "categ_id": category.id,
                "company_id": company.id,
            },
            {"min_orders": 3},
        )
        cls.mx_alternative = cls.env["product.product"].create(
            {"name": "COU alternative", "type": "consu", "company_id": False}
        )
        rules = make(
            "cou.care.rule",
            lambda company: {
                "attribute_id": by_company[company].id,
                "product_id": cls.product_delivery.id,
                "level": "block",
                "message": "Check first",
                "company_id": company.id,
            },
            {"sequence": 3},
        )
        rules[0].alternative_product_ids = cls.mx_alternative
        # a quotation of the customer (another salesman's, the customer has the
        # attribute) that the rule blocks
        cls.mx_order_care = cls._mx_order(
            cls.customer_company,
            lines=[(cls.product_delivery, 1, 10.0)],
            confirm=False,
        )
        orders = {cls.company_a: cls.mx_order_a, cls.company_b: cls.mx_order_b}
        make(
            "cou.care.event",
            lambda company: {
                "event_type": "shown",
                "user_id": cls.mx_salesman_other.id,
                "order_id": orders[company].id,
                "partner_id": cls.customer_company.id,
                "company_id": company.id,
            },
        )
        Override = cls.env["cou.care.override"]
        cls.matrix_vals["cou.care.override"] = lambda company: {
            "order_id": cls.mx_order_care.id,
            "reason": "the customer insists",
        }
        cls.matrix_records["cou.care.override"] = (
            Override.create(cls.matrix_vals["cou.care.override"](cls.company_a)),
            Override,
        )
