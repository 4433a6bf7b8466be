"""Rule segments run their filter with the rights of its owner, in the
segment's company only (issue 10, item 4)."""

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import CouSegmentCommon


@tagged("post_install", "-at_install")
class TestSegmentFilterRights(CouSegmentCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        P = cls._seg_partner
        # a contact shared by both companies whose big order is company A's
        cls.shared = P("COU Rights Shared", ref="COURIGHTS")
        cls._seg_order(cls.shared, 5000, "2025-05-01", company=cls.company_a)
        cls.local = P("COU Rights Local", ref="COURIGHTS")
        cls._seg_order(cls.local, 800, "2025-05-01")
        cls.small = P("COU Rights Small", ref="COURIGHTS")
        cls._seg_order(cls.small, 50, "2025-05-01")
        cls.user_sales_marketing = new_test_user(
            cls.env,
            login="cou_rights_sales_marketing",
            groups="base.group_user,sales_team.group_sale_salesman_all_leads,"
            "mass_mailing.group_mass_mailing_user",
            company_id=cls.company.id,
            company_ids=[cls.company.id],
        )

    def _rule(self, domain, user):
        return (
            self.env["cou.segment"]
            .with_user(user)
            .with_company(self.company)
            .create(
                {
                    "name": "COU Rights rule",
                    "segment_type": "rule",
                    "domain": domain,
                    "company_id": self.company.id,
                }
            )
        )

    def test_segment_filter_within_segment_company(self):
        """Orders of another company do not make a member, also when the
        scheduled job (superuser) recomputes: it runs with the owner's rights."""
        domain = (
            "[('ref', '=', 'COURIGHTS'), ('sale_order_ids.amount_untaxed', '>', 500)]"
        )
        segment = self._rule(domain, self.user_sales_marketing)
        self.assertEqual(segment.user_id, self.user_sales_marketing)
        self.assertEqual(self._members(segment), self.local)
        # the job's path: superuser, all companies
        result = (
            segment.sudo()
            .with_context(allowed_company_ids=(self.company_a | self.company).ids)
            ._recompute(commit=False)
        )
        self.assertEqual(result["done"], segment.ids)
        self.assertEqual(self._members(segment), self.local)
        # evaluated as superuser, the filter would have found the shared contact
        self.assertIn(
            self.shared,
            self.env["res.partner"].sudo().search(segment._get_domain()),
        )

    def test_segment_filter_owner_cannot_be_borrowed(self):
        """Whoever writes the filter owns it: a user cannot have a filter run
        with someone else's rights."""
        segment = self._rule("[('ref', '=', 'COURIGHTS')]", self.user_hub_manager)
        self.assertEqual(segment.user_id, self.user_hub_manager)
        segment.with_user(self.user_sales_marketing).write(
            {
                "domain": "[('ref', '=', 'COURIGHTS'), "
                "('customer_order_count', '>=', 1)]",
                "user_id": self.user_hub_manager.id,
            }
        )
        self.assertEqual(segment.user_id, self.user_sales_marketing)

    def test_segment_filter_on_what_the_owner_may_not_read(self):
        """A marketing user without sales or invoicing rights cannot find
        customers by their order or invoice amounts."""
        for domain in (
            "[('ref', '=', 'COURIGHTS'), ('sale_order_ids.amount_untaxed', '>', 500)]",
            "[('ref', '=', 'COURIGHTS'), ('invoice_ids.amount_untaxed', '>', 100)]",
        ):
            with (
                self.assertRaises(ValidationError, msg=domain),
                mute_logger("odoo.models"),
            ):
                self._rule(domain, self.user_marketing)
        # the same filter with sales rights works
        segment = self._rule(
            "[('ref', '=', 'COURIGHTS'), ('sale_order_ids.amount_untaxed', '>', 500)]",
            self.user_sales_marketing,
        )
        self.assertEqual(self._members(segment), self.local)

    @mute_logger("odoo.addons.crm_order_unified_segment.models.cou_segment")
    def test_segment_filter_job_uses_owner_rights(self):
        """The job evaluates a filter with the rights of its owner: an owner
        who lost the sales rights makes the segment broken (skipped), not a
        superuser search."""
        segment = self._rule(
            "[('ref', '=', 'COURIGHTS'), ('sale_order_ids.amount_untaxed', '>', 500)]",
            self.user_sales_marketing,
        )
        self.user_sales_marketing.groups_id = [
            Command.unlink(self.env.ref("sales_team.group_sale_salesman_all_leads").id),
            Command.unlink(self.env.ref("sales_team.group_sale_salesman").id),
        ]
        self.assertFalse(
            self.user_sales_marketing.has_group("sales_team.group_sale_salesman")
        )
        result = segment.sudo()._recompute(commit=False)
        self.assertEqual(result["broken"], segment.ids)
        self.assertEqual(segment.state, "broken")
        self.assertEqual(
            self._members(segment), self.local, "members kept as they were"
        )

    @mute_logger("odoo.addons.crm_order_unified_segment.models.cou_segment")
    def test_segment_filter_owner_outside_company(self):
        segment = self._rule("[('ref', '=', 'COURIGHTS')]", self.user_sales_marketing)
        segment.sudo().user_id = self.user_salesman  # company A only
        result = segment.sudo()._recompute(commit=False)
        self.assertEqual(result["broken"], segment.ids)
        self.assertIn(self.user_salesman.name, segment.broken_reason)
