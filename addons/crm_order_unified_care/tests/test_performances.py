from unittest.mock import patch

from odoo import Command
from odoo.tests import Form, tagged, users, warmup

from .common import CouCareCommon

# queries of one product change on a line of the order form (onchange)
LINE_EDIT_BUDGET = 42
# of which the care rules' (against the same edit with no rule): the rules come
# from a cache (no query), the customer's attributes in one query per
# computation (the form computes the line before and after the change), the
# suggested alternatives read once
CARE_QUERIES_BUDGET = 4


@tagged("post_install", "-at_install")
class TestCareQueryCount(CouCareCommon):
    """A line edit runs a constant number of queries whatever the number of
    rules and lines: rules, customers' attributes and products' categories
    and tags are each read once for the whole order."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer_hana.care_attribute_ids = cls.attr_sensitive | cls.attr_nuts
        cls.products = cls.env["product.product"].create(
            [
                {
                    "name": f"COU Perf Product {i}",
                    "type": "consu",
                    "categ_id": cls.categ_skincare.id,
                    "list_price": 5.0 + i,
                    "taxes_id": [Command.clear()],
                }
                for i in range(60)
            ]
        )
        cls.order = cls.env["sale.order"].create(
            {
                "partner_id": cls.customer_hana.id,
                "user_id": cls.user_salesman.id,
                "order_line": [
                    Command.create({"product_id": p.id, "product_uom_qty": 1})
                    for p in cls.products[50:]
                ],
            }
        )

    def _set_rules(self, count):
        Rule = self.env["cou.care.rule"].sudo()
        Rule.search([]).unlink()
        Rule.create(
            [
                {
                    "attribute_id": (
                        self.attr_sensitive if i % 2 else self.attr_vegan
                    ).id,
                    "product_id": product.id,
                    "level": "warning" if i % 3 else "info",
                    "message": f"Perf rule {i}",
                    "alternative_product_ids": [Command.set(self.products[48:50].ids)],
                }
                for i, product in enumerate(self.products[:count])
            ]
        )
        self.env.flush_all()

    def _edit_line(self, product, budget=None):
        """Change the product of the first line in the order form (within
        ``budget`` queries); return the queries of the change and the line's
        care level."""
        with Form(self.env["sale.order"].browse(self.order.id)) as form:
            with form.order_line.edit(0) as line:
                # the user's own fields (env.company): reread now and then by
                # the onchange's default_get, whatever the rules
                self.env.user.read(["company_id", "company_ids"])
                count = self.env.cr.sql_log_count
                if budget is None:
                    # as assertQueryCount does: no random garbage collection
                    with patch("random.random", lambda: 1):
                        line.product_id = product
                else:
                    with self.assertQueryCount(cou_care_salesman=budget):
                        line.product_id = product
                queries = self.env.cr.sql_log_count - count
                level = line.care_level
                line.product_id = self.products[55]
        return queries, level

    def _measure(self, rule_count):
        """Queries of a line edit with ``rule_count`` rules, caches warm."""
        self._set_rules(rule_count)
        self._edit_line(self.products[1])
        return self._edit_line(self.products[1])

    # one login: pytest-odoo runs no subTest (what @users does for several)
    @users("cou_care_salesman")
    @warmup
    def test_line_edit_query_count(self):
        no_rules, level = self._measure(0)
        self.assertEqual(level, "none")
        few_rules, level = self._measure(2)
        self.assertEqual(level, "warning")
        many_rules, level = self._measure(50)
        self.assertEqual(level, "warning")
        self._edit_line(self.products[1], budget=LINE_EDIT_BUDGET)
        self.assertEqual(
            many_rules,
            few_rules,
            "a line edit runs the same queries with 2 or 50 rules",
        )
        self.assertLessEqual(many_rules - no_rules, CARE_QUERIES_BUDGET)
