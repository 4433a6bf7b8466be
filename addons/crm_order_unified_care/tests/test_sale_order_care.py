from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import CouCareCommon


@tagged("post_install", "-at_install")
class TestSaleOrderCare(CouCareCommon):
    def _timeline(self, partner):
        return self.env["cou.timeline.event"].search(
            [("partner_id", "=", partner.id), ("category", "=", "care")]
        )

    def test_sensitive_skin_end_to_end(self):
        """History derives "sensitive skin"; a regular foundation warns at once
        with the sensitive range; one click swaps; everything is on the timeline."""
        with freeze_time(datetime(2026, 6, 15, 12, 0)):
            self._create_order(
                self.customer_hana, self.sensitive_cream, date="2026-01-10 10:00:00"
            )
            self._create_order(
                self.customer_hana, self.sensitive_fluid, date="2026-04-10 10:00:00"
            )
            self._run_precommit()
        self.assertEqual(self.customer_hana.care_attribute_ids, self.attr_sensitive)

        salesman_env = self.env(user=self.user_salesman)
        form = Form(salesman_env["sale.order"])
        form.partner_id = self.customer_hana
        with form.order_line.new() as line:
            line.product_id = self.foundation
            # at once, before saving
            self.assertEqual(line.care_level, "warning")
            self.assertEqual(line.care_message, self.rule_foundation.message)
            self.assertEqual(
                set(line.care_alternative_product_ids.ids),
                set((self.sensitive_foundation | self.sensitive_fluid).ids),
            )
        self.assertEqual(form.care_level, "warning")
        self.assertIn(self.rule_foundation.message, form.care_message)
        self.assertEqual(form.cou_customer_care_attribute_ids[:], self.attr_sensitive)
        order = form.save()
        shown = self._events(order, "shown")
        self.assertEqual(len(shown), 1, "the warning shown is logged once")
        self.assertEqual(shown.user_id, self.user_salesman)
        self.assertEqual(shown.rule_id, self.rule_foundation)
        order.write({"note": "Re-saved"})
        order.order_line.write({"product_uom_qty": 2})
        self.assertEqual(len(self._events(order, "shown")), 1, "not logged again")

        order.with_user(self.user_salesman).action_care_acknowledge()
        self.assertEqual(
            self._events(order, "acknowledged").user_id, self.user_salesman
        )

        line = order.order_line.with_user(self.user_salesman)
        line.action_care_swap_alternative(self.sensitive_foundation.id)
        self.assertEqual(line.product_id, self.sensitive_foundation)
        self.assertEqual(line.price_unit, 40.0, "price follows the new product")
        self.assertEqual(line.care_level, "none")
        self.assertEqual(order.care_level, "none")
        swapped = self._events(order, "swapped")
        self.assertEqual(swapped.product_id, self.foundation)
        self.assertEqual(swapped.alternative_product_id, self.sensitive_foundation)
        order.with_user(self.user_salesman).action_confirm()
        self.assertEqual(order.state, "sale")

        timeline = self._timeline(self.customer_hana)
        self.assertEqual(
            set(timeline.mapped("event_type")),
            {"care_shown", "care_acknowledged", "care_swapped"},
        )
        self.assertEqual(set(timeline.mapped("user_id")), {self.user_salesman})
        self.assertTrue(all(event.date for event in timeline))
        self.assertEqual(set(timeline.mapped("res_model")), {"sale.order"})
        self.assertEqual(set(timeline.mapped("res_id")), {order.id})

    def test_swap_from_the_client_is_logged(self):
        """The one-click swap of the web client writes the product and the
        product it replaced on the (possibly new) line."""
        self.customer_hana.care_attribute_ids = self.attr_sensitive
        form = Form(self.env(user=self.user_salesman)["sale.order"])
        form.partner_id = self.customer_hana
        with form.order_line.new() as line:
            line.product_id = self.foundation
            line.product_id = self.sensitive_fluid
            line.cou_care_swapped_from_id = self.foundation
        order = form.save()
        swapped = self._events(order, "swapped")
        self.assertEqual(swapped.product_id, self.foundation)
        self.assertEqual(swapped.alternative_product_id, self.sensitive_fluid)

    def test_swap_only_to_a_suggested_alternative(self):
        self.customer_hana.care_attribute_ids = self.attr_sensitive
        order = self._create_order(self.customer_hana, self.foundation, confirm=False)
        with self.assertRaises(UserError):
            order.order_line.action_care_swap_alternative(self.night_cream.id)

    def test_block_and_manager_override(self):
        order = self._create_order(
            self.customer_emma, self.body_butter | self.night_cream, confirm=False
        )
        self.assertEqual(order.care_level, "block")
        self.assertEqual(order.order_line.mapped("care_level"), ["block", "none"])
        with self.assertRaisesRegex(UserError, "Contains nut oil"):
            order.with_user(self.user_salesman).action_confirm()
        self.assertEqual(order.state, "draft")
        with self.assertRaises(UserError):
            order.with_user(self.user_hub_manager).action_care_override("  ")
        order.with_user(self.user_hub_manager).action_care_override(
            "Gift for her sister, confirmed by phone"
        )
        self.assertEqual(order.care_override_user_id, self.user_hub_manager)
        overridden = self._events(order, "overridden")
        self.assertEqual(overridden.user_id, self.user_hub_manager)
        self.assertEqual(overridden.reason, "Gift for her sister, confirmed by phone")
        order.with_user(self.user_salesman).action_confirm()
        self.assertEqual(order.state, "sale")
        event = self._timeline(self.customer_emma).filtered(
            lambda e: e.event_type == "care_overridden"
        )
        self.assertEqual(event.user_id, self.user_hub_manager)
        self.assertIn("Gift for her sister", event.summary)

    def test_salesman_cannot_override(self):
        order = self._create_order(self.customer_emma, self.body_butter, confirm=False)
        for user in (self.user_salesman, self.user_sale_manager):
            with self.assertRaises(AccessError):
                order.with_user(user).action_care_override("I know better")
        self.assertFalse(order.care_override_date)
        self.assertFalse(self._events(order, "overridden"))
        with self.assertRaises(UserError):
            order.with_user(self.user_sale_manager).action_confirm()

    def test_override_covers_only_the_blocks_it_was_given_for(self):
        order = self._create_order(self.customer_emma, self.body_butter, confirm=False)
        order.with_user(self.user_hub_manager).action_care_override("Known customer")
        order.write(
            {
                "order_line": [
                    (0, 0, {"product_id": self.body_butter.id, "product_uom_qty": 3})
                ]
            }
        )
        with self.assertRaises(UserError):
            order.action_confirm()

    def test_override_wizard(self):
        order = self._create_order(self.customer_emma, self.body_butter, confirm=False)
        action = order.with_user(self.user_hub_manager).action_open_care_override()
        wizard = Form(
            self.env[action["res_model"]]
            .with_user(self.user_hub_manager)
            .with_context(**action["context"])
        )
        wizard.reason = "Allergy test done"
        wizard.save().action_override()
        self.assertEqual(order.care_override_reason, "Allergy test done")

    def test_customer_context_panels_show_attributes(self):
        self.customer_company.care_attribute_ids = self.attr_vegan
        order = self._create_order(self.customer_contact, self.night_cream)
        self.assertEqual(order.cou_customer_care_attribute_ids, self.attr_vegan)
        self.assertEqual(
            order.picking_ids.cou_customer_care_attribute_ids, self.attr_vegan
        )
        self.assertEqual(self.customer_contact.care_attribute_ids, self.attr_vegan)
        # set by hand on a contact: stored on the company
        self.customer_contact.care_attribute_ids = self.attr_vegan | self.attr_nuts
        self.assertEqual(
            self.customer_company.care_attribute_ids, self.attr_vegan | self.attr_nuts
        )
        self.assertEqual(
            self.env["res.partner"].search(
                [("care_attribute_ids", "in", self.attr_nuts.ids)]
            )
            & (self.customer_company | self.customer_contact),
            self.customer_company | self.customer_contact,
        )
