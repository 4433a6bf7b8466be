from freezegun import freeze_time

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged
from odoo.tools import SQL, mute_logger

from .common import CouSegmentCommon


@tagged("post_install", "-at_install")
class TestSegmentRules(CouSegmentCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        P = cls._seg_partner
        cls.big = P("COU Rule Big", ref="COURULE")
        cls.mid = P("COU Rule Mid", ref="COURULE")
        cls.small = P("COU Rule Small", ref="COURULE")
        cls.idle = P("COU Rule Idle", ref="COURULE")
        cls.big_contact = cls.env["res.partner"].create(
            {"name": "COU Rule Big contact", "parent_id": cls.big.id, "ref": "COURULE"}
        )
        for _i in range(3):
            cls._seg_order(cls.big, 50000, "2025-05-01")
        cls._seg_order(cls.mid, 20000, "2025-04-01")
        cls._seg_order(cls.mid, 20000, "2025-05-01")
        cls._seg_order(cls.small, 100, "2025-05-01")
        cls.all = cls.big | cls.mid | cls.small | cls.idle

    def _new_rule(self, domain, name="COU rule", user=None):
        Segment = self.env["cou.segment"].with_company(self.company)
        if user:
            Segment = Segment.with_user(user)
        return Segment.create(
            {
                "name": name,
                "segment_type": "rule",
                "domain": domain,
                "company_id": self.company.id,
            }
        )

    def test_segment_rule_with_kpi_fields(self):
        """Rule segments over the Customer 360 figures of the segment's company:
        commercial entities only (the contact of Big is not a member)."""
        segment = self._new_rule(
            "[('ref', '=', 'COURULE'), ('customer_order_count', '>=', 2), "
            "('customer_last_order_date', '!=', False)]"
        )
        self.assertEqual(self._members(segment), self.big | self.mid)
        self.assertEqual(segment.member_count, 2)
        self.assertEqual(segment.state, "ok")
        # changing the filter recomputes at once, with history
        segment.domain = "[('ref', '=', 'COURULE'), ('customer_order_count', '>=', 3)]"
        self.assertEqual(self._members(segment), self.big)
        left = self.env["cou.segment.member"].search(
            [("segment_id", "=", segment.id), ("partner_id", "=", self.mid.id)]
        )
        self.assertTrue(left.date_to)

    def test_segment_rule_with_rfm_fields(self):
        with freeze_time("2025-06-30"):
            self.env["cou.segment"]._recompute_all(commit=False, companies=self.company)
            segment = self._new_rule(
                "[('ref', '=', 'COURULE'), ('rfm_monetary_score', '>=', 2)]"
            )
        self.assertEqual(self._members(segment), self.big | self.mid)

    def test_segments_in_document_customer_tab(self):
        """Orders and invoices show the customer's current segments in their
        Customer tab."""
        segment = (
            self.env["cou.segment"]
            .with_company(self.company)
            .create(
                {
                    "name": "COU tab",
                    "segment_type": "static",
                    "company_id": self.company.id,
                    "static_partner_ids": [(6, 0, self.big.ids)],
                }
            )
        )
        order = self._cou_create_order(self.big, company=self.company)
        self.assertIn(segment, order.cou_customer_segment_ids)
        segment.static_partner_ids = [(3, self.big.id)]
        self.env.invalidate_all()  # a new request: membership is read again
        self.assertNotIn(segment, order.cou_customer_segment_ids)

    def test_segment_static_membership_history(self):
        Segment = self.env["cou.segment"].with_company(self.company)
        with freeze_time("2025-01-01 10:00:00"):
            segment = Segment.create(
                {
                    "name": "COU static",
                    "segment_type": "static",
                    "company_id": self.company.id,
                    "static_partner_ids": [(6, 0, (self.big | self.small).ids)],
                }
            )
        self.assertEqual(self._members(segment), self.big | self.small)
        with freeze_time("2025-02-01 10:00:00"):
            segment.static_partner_ids = [(3, self.big.id)]
        with freeze_time("2025-03-01 10:00:00"):
            segment.static_partner_ids = [(4, self.big.id)]
        history = self.env["cou.segment.member"].search(
            [("segment_id", "=", segment.id), ("partner_id", "=", self.big.id)],
            order="date_from",
        )
        self.assertEqual(
            [
                (str(h.date_from), str(h.date_to) if h.date_to else False)
                for h in history
            ],
            [
                ("2025-01-01 10:00:00", "2025-02-01 10:00:00"),
                ("2025-03-01 10:00:00", False),
            ],
        )
        self.assertEqual(history.mapped("is_current"), [False, True])
        self.assertEqual(
            self.env["cou.segment.member"].search_count(
                [("segment_id", "=", segment.id), ("is_current", "=", True)]
            ),
            2,
        )
        # entering and leaving show in the customer's timeline
        events = self.env["cou.timeline.event"].search(
            [("partner_id", "=", self.big.id), ("category", "=", "segment")],
            order="date, id",
        )
        self.assertEqual(
            [(e.event_type, str(e.date), e.name) for e in events],
            [
                ("segment_entered", "2025-01-01 10:00:00", "COU static"),
                ("segment_left", "2025-02-01 10:00:00", "COU static"),
                ("segment_entered", "2025-03-01 10:00:00", "COU static"),
            ],
        )
        # the pivot "customers by segment over time" groups the history by month
        groups = self.env["cou.segment.member"]._read_group(
            [("segment_id", "=", segment.id)], ["date_from:month"], ["__count"]
        )
        self.assertEqual([count for _month, count in groups], [2, 1])

    def test_segment_broken_domain_refused_on_save(self):
        for domain in (
            "[('cou_no_such_field', '=', 1)]",
            "[('name', '=', ",
            "[('customer_order_count', '>', 'many')]",
            "'not a list'",
        ):
            with self.subTest(domain=domain), self.assertRaises(ValidationError):
                self._new_rule(domain)
        segment = self._new_rule("[('ref', '=', 'COURULE')]")
        with self.assertRaises(ValidationError):
            segment.domain = "[('cou_no_such_field', '=', 1)]"

    @mute_logger("odoo.addons.crm_order_unified_segment.models.cou_segment")
    def test_segment_broken_later_is_marked_and_skipped(self):
        """A filter that breaks later (field removed by an uninstall) marks its
        segment broken; the job skips it and goes on with the others."""
        broken = self._new_rule("[('ref', '=', 'COURULE')]", name="COU soon broken")
        good = self._new_rule(
            "[('ref', '=', 'COURULE'), ('customer_order_count', '>=', 1)]",
            name="COU good",
        )
        self.env.cr.execute(
            SQL(
                "UPDATE cou_segment SET domain = %s WHERE id = %s",
                "[('cou_removed_field', '=', 1)]",
                broken.id,
            )
        )
        broken.invalidate_recordset()
        members_before = self._members(broken)
        result = (broken | good)._recompute(commit=False)
        self.assertEqual(result["broken"], broken.ids)
        self.assertEqual(result["done"], good.ids)
        self.assertEqual(broken.state, "broken")
        self.assertIn("cou_removed_field", broken.broken_reason)
        self.assertEqual(
            self._members(broken),
            members_before,
            "a broken segment keeps its members untouched",
        )
        self.assertEqual(self._members(good), self.big | self.mid | self.small)
        # fixing the filter brings it back
        broken.domain = "[('ref', '=', 'COURULE')]"
        self.assertEqual(broken.state, "ok")

    def test_segment_access_rights(self):
        segment = self._new_rule("[('ref', '=', 'COURULE')]")
        # sales users read segments and memberships, do not edit them
        segment.with_user(self.user_salesman_b).read(["name", "member_count"])
        self.env["cou.segment.member"].with_user(self.user_salesman_b).search(
            [("segment_id", "=", segment.id)]
        )
        with self.assertRaises(AccessError):
            segment.with_user(self.user_salesman_b).name = "COU renamed"
        with self.assertRaises(AccessError):
            self._new_rule("[]", user=self.user_salesman_b)
        with self.assertRaises(AccessError):
            segment.with_user(self.user_salesman_b).action_recompute()
        # marketing users edit and recompute
        mine = self._new_rule("[('ref', '=', 'COURULE')]", user=self.user_marketing)
        mine.with_user(self.user_marketing).name = "COU marketing rule"
        mine.with_user(self.user_marketing).action_recompute()
        # no access without the Customer Hub / marketing groups
        with self.assertRaises(AccessError):
            segment.with_user(self.user_employee).read(["name"])
        # per company: a company-A user does not see company B's segments
        self.assertFalse(
            self.env["cou.segment"]
            .with_user(self.user_salesman)
            .search([("id", "=", segment.id)])
        )
        self.assertFalse(
            self.env["cou.segment.member"]
            .with_user(self.user_salesman)
            .search([("segment_id", "=", segment.id)])
        )


@tagged("post_install", "-at_install")
class TestSegmentSettingsBounds(CouSegmentCommon):
    def test_windows_are_bounded(self):
        """An RFM window of 100,000 months or an attribution window of 10^9
        days would break the recompute and order confirmation: refused."""
        company = self.env.company
        for fname, value in (
            ("cou_rfm_window_months", 100000),
            ("cou_rfm_window_months", 0),
            ("cou_attribution_window_days", 10**9),
            ("cou_attribution_window_days", -1),
        ):
            with self.assertRaises(ValidationError), self.env.cr.savepoint():
                company.write({fname: value})
                company.flush_recordset()
        company.write({"cou_rfm_window_months": 36, "cou_attribution_window_days": 14})
