from datetime import datetime
from unittest.mock import patch

from freezegun import freeze_time

from odoo.tests import tagged

from .common import CouCareCommon

NOW = datetime(2026, 6, 15, 12, 0)


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestCouCareDerivation(CouCareCommon):
    def _links(self, partner):
        return self.env["cou.care.partner.attribute"].search(
            [("partner_id", "=", partner.id)]
        )

    def test_derived_from_two_orders_within_period(self):
        first = self._create_order(
            self.customer_hana, self.sensitive_cream, date="2026-01-10 10:00:00"
        )
        self.env["cou.care.derivation"]._recompute(self.customer_hana)
        self.assertFalse(
            self.customer_hana.care_attribute_ids, "one order is not enough"
        )
        # a sub-category of Sensitive care counts too
        second = self._create_order(
            self.customer_hana,
            self.sensitive_foundation | self.night_cream,
            date="2026-05-02 10:00:00",
        )
        self.env["cou.care.derivation"]._recompute(self.customer_hana)
        self.assertEqual(self.customer_hana.care_attribute_ids, self.attr_sensitive)
        link = self._links(self.customer_hana)
        self.assertEqual(link.source, "derived")
        self.assertEqual(link.derivation_id, self.derivation)
        self.assertEqual(
            link.order_ids,
            first | second,
            "the derived attribute says which orders made it",
        )

    def test_old_cancelled_and_quotations_do_not_count(self):
        self._create_order(
            self.customer_hana, self.sensitive_cream, date="2025-05-01 10:00:00"
        )  # > 12 months
        self._create_order(
            self.customer_hana,
            self.sensitive_cream,
            confirm=False,
            date="2026-03-01 10:00:00",
        )
        cancelled = self._create_order(
            self.customer_hana, self.sensitive_cream, date="2026-04-01 10:00:00"
        )
        cancelled._action_cancel()
        self._create_order(
            self.customer_hana, self.sensitive_cream, date="2026-05-01 10:00:00"
        )
        self._create_order(
            self.customer_hana, self.night_cream, date="2026-05-03 10:00:00"
        )  # other category
        self.env["cou.care.derivation"]._recompute()
        self.assertFalse(self.customer_hana.care_attribute_ids)

    def test_contacts_roll_up_to_the_company(self):
        self._create_order(
            self.customer_contact, self.sensitive_cream, date="2026-02-01 10:00:00"
        )
        self._create_order(
            self.customer_company, self.sensitive_fluid, date="2026-03-01 10:00:00"
        )
        self.env["cou.care.derivation"]._recompute()
        self.assertEqual(self.customer_company.care_attribute_ids, self.attr_sensitive)
        self.assertEqual(
            self.customer_contact.care_attribute_ids,
            self.attr_sensitive,
            "shown on its contacts",
        )
        self.assertFalse(
            self._links(self.customer_contact), "stored on the commercial entity only"
        )

    def test_other_company_orders_do_not_count(self):
        self._create_order(
            self.customer_hana, self.sensitive_cream, date="2026-02-01 10:00:00"
        )
        self._create_order(
            self.customer_hana,
            self.sensitive_cream,
            date="2026-03-01 10:00:00",
            company=self.company_b,
        )
        self.env["cou.care.derivation"]._recompute()
        self.assertFalse(self.customer_hana.care_attribute_ids)

    def test_attribute_goes_when_history_no_longer_qualifies(self):
        self._create_order(
            self.customer_hana, self.sensitive_cream, date="2026-02-01 10:00:00"
        )
        second = self._create_order(
            self.customer_hana, self.sensitive_cream, date="2026-03-01 10:00:00"
        )
        self.env["cou.care.derivation"]._recompute()
        self.assertTrue(self.customer_hana.care_attribute_ids)
        second._action_cancel()
        self.env["cou.care.derivation"]._recompute()
        self.assertFalse(self.customer_hana.care_attribute_ids)
        self.assertFalse(self._links(self.customer_hana))

    def test_orders_behind_a_link_follow_the_history(self):
        first = self._create_order(
            self.customer_hana, self.sensitive_cream, date="2026-02-01 10:00:00"
        )
        second = self._create_order(
            self.customer_hana, self.sensitive_cream, date="2026-03-01 10:00:00"
        )
        third = self._create_order(
            self.customer_hana, self.sensitive_cream, date="2026-04-01 10:00:00"
        )
        self.env["cou.care.derivation"]._recompute()
        link = self._links(self.customer_hana)
        self.assertEqual(link.order_ids, first | second | third)
        first._action_cancel()
        self.env["cou.care.derivation"]._recompute()
        self.assertEqual(self._links(self.customer_hana), link, "the same link stays")
        self.assertEqual(link.order_ids, second | third)

    def test_manual_attributes_are_kept_and_scope_is_respected(self):
        self.customer_hana.care_attribute_ids = self.attr_vegan
        self._create_order(
            self.customer_emma, self.sensitive_cream, date="2026-02-01 10:00:00"
        )
        self._create_order(
            self.customer_emma, self.sensitive_cream, date="2026-03-01 10:00:00"
        )
        self._create_order(
            self.customer_hana, self.sensitive_cream, date="2026-02-01 10:00:00"
        )
        self._create_order(
            self.customer_hana, self.sensitive_cream, date="2026-03-01 10:00:00"
        )
        self.env["cou.care.derivation"]._recompute(self.customer_hana)
        self.assertEqual(
            self.customer_hana.care_attribute_ids, self.attr_vegan | self.attr_sensitive
        )
        self.assertEqual(
            self.customer_emma.care_attribute_ids,
            self.attr_nuts,
            "not in scope: untouched",
        )
        self.env["cou.care.derivation"]._recompute()
        self.assertEqual(
            self.customer_emma.care_attribute_ids, self.attr_nuts | self.attr_sensitive
        )

    def test_archived_derivation_removes_its_attributes(self):
        self._create_order(
            self.customer_hana, self.sensitive_cream, date="2026-02-01 10:00:00"
        )
        self._create_order(
            self.customer_hana, self.sensitive_cream, date="2026-03-01 10:00:00"
        )
        self.env["cou.care.derivation"]._recompute()
        self.assertTrue(self.customer_hana.care_attribute_ids)
        self.derivation.active = False
        self.assertFalse(self.customer_hana.care_attribute_ids)

    def test_confirmation_recomputes_once_at_commit(self):
        self._create_order(
            self.customer_hana, self.sensitive_cream, date="2026-02-01 10:00:00"
        )
        self._run_precommit()
        self.assertFalse(self.customer_hana.care_attribute_ids)
        orders = self._create_order(
            self.customer_hana, self.sensitive_cream, confirm=False
        )
        orders |= self._create_order(
            self.customer_hana, self.sensitive_fluid, confirm=False
        )
        orders.action_confirm()
        self.assertFalse(self.customer_hana.care_attribute_ids, "not before the commit")
        Derivation = type(self.env["cou.care.derivation"])
        with patch.object(
            Derivation, "_recompute", autospec=True, side_effect=Derivation._recompute
        ) as recompute:
            self._run_precommit()
        # one set-based recompute for both confirmations
        self.assertEqual(recompute.call_count, 1)
        self.assertEqual(list(recompute.call_args.args[1]), [self.customer_hana.id])
        self.assertEqual(self.customer_hana.care_attribute_ids, self.attr_sensitive)

    def test_recompute_runs_a_constant_number_of_queries(self):
        customers = self.env["res.partner"].create(
            [{"name": f"COU Bulk {i}"} for i in range(20)]
        )
        for customer in customers[:10]:
            self._create_order(
                customer, self.sensitive_cream, date="2026-02-01 10:00:00"
            )
            self._create_order(
                customer, self.sensitive_cream, date="2026-03-01 10:00:00"
            )
        self.env.flush_all()
        with self.assertQueryCount(__system__=15):
            self.env["cou.care.derivation"]._recompute()
        self.assertEqual(len(customers.filtered("care_attribute_ids")), 10)

    def test_scheduled_job_derives_everybody(self):
        self._create_order(
            self.customer_hana, self.sensitive_cream, date="2026-02-01 10:00:00"
        )
        self._create_order(
            self.customer_hana, self.sensitive_cream, date="2026-03-01 10:00:00"
        )
        cron = self.env.ref("crm_order_unified_care.ir_cron_cou_care_derivation")
        self.assertTrue(cron.active)
        cron.method_direct_trigger()
        self.assertEqual(self.customer_hana.care_attribute_ids, self.attr_sensitive)

    def test_multi_company_rules(self):
        other = self.env["cou.care.derivation"].create(
            {
                "attribute_id": self.attr_vegan.id,
                "categ_id": self.categ_skincare.id,
                "company_id": self.company_b.id,
            }
        )
        Derivation = self.env["cou.care.derivation"].with_user(self.user_salesman)
        self.assertIn(self.derivation, Derivation.search([]))
        self.assertNotIn(
            other, Derivation.search([]), "another company's rule is hidden"
        )
        Manager = self.env["cou.care.derivation"].with_user(self.user_hub_manager)
        self.assertIn(
            other,
            Manager.with_context(allowed_company_ids=self.company_b.ids).search([]),
        )
