"""Access matrix of the order flow addon (see the core's ``access_matrix.py``)."""

from odoo.tests import tagged

from odoo.addons.crm_order_unified.tests.access_matrix import (
    MARK_B,
    AccessMatrixCase,
    method,
    rights,
    roles,
)

SALES = roles("salesman", "salesman_all", "sale_manager")
MANAGER = roles("sale_manager")
#: who may confirm company A's quotation (another salesman's)
ORDER_WRITERS = roles("salesman_all", "sale_manager")


def _own_check(case, rec):
    """A confirmation check of company A's quotation, the calling user's own
    (each user reads only their own checks)."""
    user = case.mx_current_user
    check = (
        case.env["cou.order.flow.check"]
        .with_user(user)
        .sudo()
        .create({"order_id": case.mx_quotation.id})
    )
    return [check.ids]


def _args_partner(case, rec):
    return [case.customer_company.ids]


@tagged("post_install", "-at_install")
class TestAccessMatrixOrderFlow(AccessMatrixCase):
    MODULE = "crm_order_unified_order_flow"

    MODELS = {
        # sales managers review the likely duplicates (found by the job)
        "cou.partner.duplicate": rights(r=MANAGER, w=MANAGER),
        # the confirmation checks: each salesperson their own, of the orders
        # of their companies; the records here are another user's (no line
        # may be added to them)
        "cou.order.flow.check": rights(c=SALES),
        "cou.order.flow.check.line": rights(),
    }

    METHODS = {
        ("cou.partner.duplicate", "action_merge"): method(MANAGER),
        ("cou.partner.duplicate", "action_dismiss"): method(MANAGER),
        ("cou.partner.duplicate", "action_reopen"): method(MANAGER),
        # the duplicates of a customer: for who reviews them
        ("res.partner", "action_cou_open_duplicates"): method(
            MANAGER, args=_args_partner
        ),
        ("res.partner", "action_cou_merge_duplicates"): method(
            MANAGER, args=_args_partner
        ),
        # the check's choices confirm the order: who may confirm it; approving
        # a credit excess is for sales managers
        ("cou.order.flow.check", "action_confirm_anyway"): method(
            ORDER_WRITERS, args=_own_check
        ),
        ("cou.order.flow.check", "action_split"): method(
            ORDER_WRITERS, args=_own_check
        ),
        ("cou.order.flow.check", "action_move_date"): method(roles(), args=_own_check),
        ("cou.order.flow.check", "action_request_approval"): method(
            ORDER_WRITERS, args=_own_check
        ),
        ("cou.order.flow.check", "action_approve"): method(MANAGER, args=_own_check),
    }

    OVERRIDES = {
        ("sale.order", "action_confirm"): "sale's rights (then the checks above)",
    }

    @classmethod
    def _matrix_setup(cls):
        Partner = cls.env["res.partner"]
        pairs = []
        for mark, company in (("COU MX", cls.company_a), (MARK_B, cls.company_b)):
            first, second = (
                Partner.create(
                    {
                        "name": f"{mark} Dupont",
                        "email": f"dupont.{company.id}@example.com",
                        "company_id": company.id,
                    }
                )
                for __ in range(2)
            )
            pairs.append((first, second))
        Duplicate = cls.env["cou.partner.duplicate"]
        cls.matrix_records["cou.partner.duplicate"] = tuple(
            Duplicate.search([("partner_id", "in", pair[0].ids + pair[1].ids)], limit=1)
            or Duplicate.create({"partner_id": pair[0].id, "duplicate_id": pair[1].id})
            for pair in pairs
        )
        cls.mx_duplicate_partners = pairs[0]
        cls.matrix_targets["res.partner"] = pairs[0][0]
        cls.mx_quotation = cls._mx_order(cls.customer_company, confirm=False)
        quotation_b = cls._mx_order(
            cls.customer_company,
            company=cls.company_b,
            lines=[(cls.mx_product_b, 1, 7.0)],
            confirm=False,
        )
        Check = cls.env["cou.order.flow.check"]
        checks = {
            cls.company_a: Check.create({"order_id": cls.mx_quotation.id}),
            cls.company_b: Check.create({"order_id": quotation_b.id}),
        }
        cls.matrix_records["cou.order.flow.check"] = tuple(checks.values())
        cls.matrix_vals["cou.order.flow.check"] = lambda company: {
            "order_id": checks[company].order_id.id
        }
        Line = cls.env["cou.order.flow.check.line"]
        cls.matrix_vals["cou.order.flow.check.line"] = lambda company: {
            "check_id": checks[company].id,
            "sale_line_id": checks[company].order_id.order_line[:1].id,
        }
        cls.matrix_records["cou.order.flow.check.line"] = tuple(
            Line.create(cls.matrix_vals["cou.order.flow.check.line"](company))
            for company in (cls.company_a, cls.company_b)
        )
