from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .common import CouCareCommon


@tagged("post_install", "-at_install")
class TestCouCareRule(CouCareCommon):
    def test_exactly_one_target(self):
        Rule = self.env["cou.care.rule"]
        with self.assertRaises(ValidationError):
            Rule.create(
                {
                    "attribute_id": self.attr_vegan.id,
                    "level": "info",
                    "message": "No target",
                }
            )
        with self.assertRaises(ValidationError):
            Rule.create(
                {
                    "attribute_id": self.attr_vegan.id,
                    "product_id": self.night_cream.id,
                    "categ_id": self.categ_skincare.id,
                    "level": "info",
                    "message": "Two targets",
                }
            )
        with self.assertRaises(ValidationError):
            Rule.create(
                {
                    "product_id": self.night_cream.id,
                    "level": "info",
                    "message": "No attribute",
                }
            )

    def test_product_category_and_tag_rules(self):
        self.customer_plain.care_attribute_ids = self.attr_vegan | self.attr_nuts
        rule_product = self.env["cou.care.rule"].create(
            {
                "attribute_id": self.attr_vegan.id,
                "product_id": self.night_cream.id,
                "level": "info",
                "message": "Contains lanolin.",
            }
        )
        self.env["cou.care.rule"].create(
            {
                "attribute_id": self.attr_vegan.id,
                "categ_id": self.categ_cosmetics.id,  # parent of every test category
                "level": "info",
                "message": "Check the vegan label.",
            }
        )
        order = self._create_order(
            self.customer_plain,
            self.night_cream | self.body_butter | self.body_lotion,
            confirm=False,
        )
        cream, butter, lotion = order.order_line
        self.assertEqual(cream.care_level, "info")
        self.assertIn(rule_product, cream.care_rule_ids)
        self.assertEqual(butter.care_level, "block", "the highest level wins")
        self.assertEqual(
            butter.care_message, "Contains nut oil.\nCheck the vegan label."
        )
        self.assertEqual(butter.care_alternative_product_ids, self.body_lotion)
        self.assertEqual(lotion.care_level, "info")
        self.assertFalse(
            lotion.care_alternative_product_ids, "a line never offers its own product"
        )
        self.assertEqual(order.care_level, "block")

    def test_customer_without_attributes_sees_nothing(self):
        order = self._create_order(
            self.customer_plain, self.foundation | self.body_butter, confirm=False
        )
        self.assertEqual(order.order_line.mapped("care_level"), ["none", "none"])
        self.assertEqual(order.care_level, "none")
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_rule_of_other_company_does_not_apply(self):
        self.rule_foundation.company_id = self.company_b
        self.customer_hana.care_attribute_ids = self.attr_sensitive
        order = self._create_order(self.customer_hana, self.foundation, confirm=False)
        self.assertEqual(order.care_level, "none")

    def test_broken_rule_stops_applying_and_is_flagged(self):
        """A rule whose product or attribute is deleted never breaks order entry."""
        lip_balm = self.env["product.product"].create(
            {"name": "COU Beeswax Lip Balm", "type": "consu"}
        )
        rule_product = self.env["cou.care.rule"].create(
            {
                "attribute_id": self.attr_vegan.id,
                "product_id": lip_balm.id,
                "level": "block",
                "message": "Beeswax.",
            }
        )
        attribute = self.env["cou.care.attribute"].create({"name": "COU Latex allergy"})
        rule_attribute = self.env["cou.care.rule"].create(
            {
                "attribute_id": attribute.id,
                "categ_id": self.categ_foundations.id,
                "level": "block",
                "message": "Latex applicator.",
            }
        )
        self.customer_plain.care_attribute_ids = self.attr_vegan | attribute
        self.assertFalse(any((rule_product | rule_attribute).mapped("is_broken")))
        lip_balm.unlink()
        attribute.unlink()
        self.assertTrue(
            rule_product.exists() and rule_attribute.exists(), "the rules are kept"
        )
        self.assertEqual(
            (rule_product | rule_attribute).mapped("is_broken"), [True, True]
        )
        broken = self.env["cou.care.rule"].search([("is_broken", "=", True)])
        self.assertEqual(broken, rule_product | rule_attribute)
        self.assertNotIn(
            rule_product, self.env["cou.care.rule"].search([("is_broken", "=", False)])
        )
        # order entry goes on as if they did not exist
        form = Form(self.env["sale.order"].with_user(self.user_salesman))
        form.partner_id = self.customer_plain
        with form.order_line.new() as line:
            line.product_id = self.foundation
            self.assertEqual(line.care_level, "none")
        order = form.save()
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        # a broken rule can still be edited (its message, its level) and repaired
        rule_product.message = "Beeswax and honey."
        rule_product.product_id = self.night_cream
        self.assertFalse(rule_product.is_broken)

    def test_rule_changes_apply_to_the_next_line_edit(self):
        """Order entry reads the rules from a cache: a rule created, changed,
        translated, archived or deleted applies at once."""
        self.customer_hana.care_attribute_ids = self.attr_sensitive
        order = self._create_order(self.customer_hana, self.foundation, confirm=False)
        line = order.order_line
        level = self.rule_foundation.level
        self.assertNotEqual(line.care_level, "none")
        self.rule_foundation.write({"level": "info", "message": "Patch test first."})
        line.invalidate_recordset()
        self.assertEqual(line.care_level, "info")
        self.assertEqual(line.care_message, "Patch test first.")
        self.env["res.lang"]._activate_lang("fr_FR")
        self.rule_foundation.update_field_translations(
            "message", {"fr_FR": "Faites un test."}
        )
        line.invalidate_recordset()
        self.assertEqual(
            line.with_context(lang="fr_FR").care_message, "Faites un test."
        )
        self.rule_foundation.action_archive()
        line.invalidate_recordset()
        self.assertEqual(line.care_level, "none")
        rule = self.rule_foundation.copy({"active": True, "level": level})
        line.invalidate_recordset()
        self.assertEqual(line.care_level, level)
        self.assertEqual(line.care_rule_ids, rule)
        rule.unlink()
        line.invalidate_recordset()
        self.assertEqual(line.care_level, "none")
