from freezegun import freeze_time

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged
from odoo.tools import SQL, mute_logger

from .common import CouSegmentCommon

TODAY = "2025-06-30"


@tagged("post_install", "-at_install")
class TestSegmentRfm(CouSegmentCommon):
    """RFM scores and segment names on a hand-built set with known answers.

    Company B, today 2025-06-30, window 24 months (from 2023-06-30). Six buyers:

    ===  ==========  ======  =======  ========================  =  =  =  ==  =========
    who  last order  orders  ordered  note                      R  F  M  FM  segment
    ===  ==========  ======  =======  ========================  =  =  =  ==  =========
    A    2025-06-25  5       5000                               4  5  5  5   loyal
    B    2025-05-01  3       3000                               3  4  4  4   loyal
    C    2025-01-10  2       1000                               2  3  2  3   at_risk
    D    2024-09-01  1       500                                1  1  1  1   lost
    E    2023-12-01  1       100                                1  1  1  1   lost
    F    2025-06-25  1       2000     refund 1500 not counted   4  1  3  2   pot.loyal
    G    -           0       -        refunds only              (no score)
    H    2023-01-01  1       -        outside the window        (no score)
    I    2025-06-01  0       -        cancelled order only      (no score)
    ===  ==========  ======  =======  ========================  =  =  =  ==  =========

    Monetary is the Ordered Revenue of the window (confirmed orders, untaxed,
    company currency): credit notes are invoiced revenue, never subtracted.

    score = 1 + floor(5 * W / N), N = 6 buyers, W = buyers with a strictly
    worse value: ties share the lower score (A and F: W = 4 -> R = 4).
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        P = cls._seg_partner
        cls.a, cls.b, cls.c, cls.d, cls.e, cls.f, cls.g, cls.h, cls.i = (
            P(f"COU RFM {x}") for x in "ABCDEFGHI"
        )
        order = cls._seg_order
        for date in (
            "2024-07-01",
            "2024-10-01",
            "2025-01-01",
            "2025-03-01",
            "2025-06-25",
        ):
            order(cls.a, 1000, date)
        for date in ("2024-08-01", "2025-02-01", "2025-05-01"):
            order(cls.b, 1000, date)
        order(cls.c, 400, "2024-11-01")
        order(cls.c, 600, "2025-01-10")
        order(cls.d, 500, "2024-09-01")
        order(cls.e, 100, "2023-12-01")
        order(cls.f, 2000, "2025-06-25")
        cls._seg_refund(cls.f, 1500, "2025-06-26")
        cls._seg_refund(cls.g, 300, "2025-03-01")
        order(cls.h, 700, "2023-01-01")
        order(cls.i, 900, "2025-06-01").with_context(
            disable_cancel_warning=True
        ).action_cancel()
        cls.buyers = (
            cls.a | cls.b | cls.c | cls.d | cls.e | cls.f | cls.g | cls.h | cls.i
        )

    def _recompute(self):
        with freeze_time(TODAY):
            return self.env["cou.segment"]._recompute_all(
                commit=False, companies=self.company
            )

    def _scores(self):
        scores = self.env["cou.rfm.score"].search(
            [("company_id", "=", self.company.id)]
        )
        return {
            s.partner_id: (s.r_score, s.f_score, s.m_score, s.fm_score, s.segment_code)
            for s in scores
        }

    def test_segment_rfm_scores_known_answers(self):
        self._recompute()
        expected = {
            self.a: (4, 5, 5, 5, "loyal"),
            self.b: (3, 4, 4, 4, "loyal"),
            self.c: (2, 3, 2, 3, "at_risk"),
            self.d: (1, 1, 1, 1, "lost"),
            self.e: (1, 1, 1, 1, "lost"),
            self.f: (4, 1, 3, 2, "potential_loyalist"),
        }
        self.assertEqual(self._scores(), expected)
        score_f = self.env["cou.rfm.score"].search(
            [("partner_id", "=", self.f.id), ("company_id", "=", self.company.id)]
        )
        self.assertAlmostEqual(score_f.monetary, 2000.0, msg="Ordered Revenue")
        self.assertEqual(score_f.recency_days, 5)
        self.assertNotIn(self.g, self._scores(), "refunds only: no ordered revenue")
        # the partner fields read the current company's scores, on every contact
        contact = self.env["res.partner"].create(
            {"name": "COU RFM A contact", "parent_id": self.a.id}
        )
        partners = (self.a | contact).with_company(self.company)
        self.assertEqual(partners.mapped("rfm_recency_score"), [4, 4])
        self.assertEqual(partners.mapped("rfm_segment"), ["loyal", "loyal"])
        self.assertEqual(self.a.with_company(self.company_a).rfm_segment, False)
        # and are searchable (domain editor, rule segments)
        found = (
            self.env["res.partner"]
            .with_company(self.company)
            .search([("id", "in", self.buyers.ids), ("rfm_monetary_score", ">=", 4)])
        )
        self.assertEqual(found, self.a | self.b)

    def test_segment_rfm_membership_and_figures(self):
        result = self._recompute()
        self.assertFalse(result["broken"])
        self.assertEqual(self._members(self._rfm_segment("loyal")), self.a | self.b)
        self.assertEqual(self._members(self._rfm_segment("lost")), self.d | self.e)
        self.assertEqual(self._members(self._rfm_segment("potential_loyalist")), self.f)
        self.assertFalse(self._members(self._rfm_segment("champions")))
        loyal = self._rfm_segment("loyal")
        self.assertEqual(loyal.member_count, 2)
        # total Ordered Revenue 5000 + 3000 + 1000 + 500 + 100 + 2000 = 11600
        self.assertAlmostEqual(loyal.revenue, 8000.0)
        self.assertAlmostEqual(loyal.revenue_share, round(100 * 8000 / 11600, 2))
        # never negative, and the RFM segments share 100 % of it among them
        rfm_segments = self.env["cou.segment"].search(
            [("company_id", "=", self.company.id), ("segment_type", "=", "rfm")]
        )
        self.assertTrue(all(segment.revenue >= 0 for segment in rfm_segments))
        self.assertAlmostEqual(sum(rfm_segments.mapped("revenue")), 11600.0)
        self.assertAlmostEqual(
            sum(rfm_segments.mapped("revenue_share")), 100.0, delta=0.05
        )
        self.assertAlmostEqual(self._rfm_segment("lost").revenue, 600.0)
        # the partner's current segments and the "In segment" search
        self.assertIn(loyal, self.a.with_company(self.company).cou_segment_ids)
        found = self.env["res.partner"].search([("cou_segment_ids", "in", loyal.ids)])
        self.assertEqual(found, self.a | self.b)
        found = self.env["res.partner"].search(
            [("id", "in", self.buyers.ids), ("cou_segment_ids", "=", False)]
        )
        self.assertEqual(found, self.g | self.h | self.i)
        # a second run changes nothing: no new history row
        count = self.env["cou.segment.member"].search_count(
            [("company_id", "=", self.company.id)]
        )
        self._recompute()
        self.assertEqual(
            self.env["cou.segment.member"].search_count(
                [("company_id", "=", self.company.id)]
            ),
            count,
        )

    def test_segment_rfm_mapping_editable(self):
        mapping = self.env.ref("crm_order_unified_segment.cou_rfm_segment_map_r1_fm1")
        mapping.with_user(self.user_hub_manager).segment_code = "hibernating"
        self._recompute()
        self.assertEqual(
            self._members(self._rfm_segment("hibernating")), self.d | self.e
        )
        self.assertFalse(self._members(self._rfm_segment("lost")))
        with self.assertRaises(ValidationError):
            self.env["cou.rfm.segment.map"].sudo().create(
                {"r_score": 6, "fm_score": 1, "segment_code": "lost"}
            )
        with self.assertRaises(AccessError):
            self.env.ref(
                "crm_order_unified_segment.cou_rfm_segment_map_r1_fm2"
            ).with_user(self.user_marketing).segment_code = "lost"

    def test_segment_rfm_window_setting(self):
        self.company.cou_rfm_window_months = (
            12  # from 2024-06-30: E leaves the population
        )
        self._recompute()
        self.assertNotIn(self.e, self._scores())
        self.assertIn(self.d, self._scores())

    def test_segment_rfm_order_confirmation_updates_customer(self):
        self._recompute()
        self.assertIn(self.d, self._members(self._rfm_segment("lost")))
        # D orders again today: scored against the others' current values without the
        # job.
        # R: 5 worse of N = 6 -> 5; F = 2: E, F worse -> 2; M = 1000: E worse -> 1;
        # FM = (2 + 1 + 1) // 2 = 2
        with freeze_time(TODAY):
            self._seg_order(self.d, 500, TODAY)
        score = self.env["cou.rfm.score"].search(
            [("partner_id", "=", self.d.id), ("company_id", "=", self.company.id)]
        )
        self.assertEqual(
            (score.r_score, score.f_score, score.m_score, score.segment_code),
            (5, 2, 1, "potential_loyalist"),
        )
        self.assertNotIn(self.d, self._members(self._rfm_segment("lost")))
        self.assertIn(self.d, self._members(self._rfm_segment("potential_loyalist")))
        history = self.env["cou.segment.member"].search(
            [
                ("partner_id", "=", self.d.id),
                ("segment_id", "=", self._rfm_segment("lost").id),
            ]
        )
        self.assertEqual(len(history), 1)
        self.assertTrue(history.date_to)

    def test_segment_automation_on_entering_at_risk(self):
        automation = self.env.ref(
            "crm_order_unified_segment.base_automation_cou_segment_at_risk"
        )
        automation.active = True
        self.c.user_id = self.user_salesman_b
        self._recompute()
        activities = self.env["mail.activity"].search(
            [("res_model", "=", "res.partner"), ("res_id", "=", self.c.id)]
        )
        self.assertEqual(len(activities), 1)
        self.assertEqual(activities.user_id, self.user_salesman_b)
        others = self.env["mail.activity"].search(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "in", (self.buyers - self.c).ids),
            ]
        )
        self.assertFalse(others)

    def test_segment_recompute_button_and_query_budget(self):
        self._recompute()
        segment = self._rfm_segment("loyal")
        # a no-op swap costs the same number of queries whatever the size
        with self.assertQueryCount(12):
            segment._swap_members()

    def test_segment_rfm_segments_swapped_together(self):
        """The RFM segments of a company are swapped in one statement (one
        scan of the scores and of their members): all eleven cost the queries
        of one, members and figures stay those of one segment at a time, and
        the scheduled job makes them one chunk."""
        self._recompute()
        rfm = self.env["cou.segment"].search(
            [("company_id", "=", self.company.id), ("segment_type", "=", "rfm")]
        )
        self.assertEqual(len(rfm), 11)
        figures = {s: (s.member_count, s.revenue, s.revenue_share) for s in rfm}
        members = {s: self._members(s) for s in rfm}
        # a customer moved by hand out of "loyal": the next swap brings them back
        loyal = self._rfm_segment("loyal")
        self.env.cr.execute(
            SQL(
                "DELETE FROM cou_segment_member WHERE segment_id = %s"
                " AND partner_id = %s",
                loyal.id,
                self.a.id,
            )
        )
        self.env.invalidate_all()
        with self.assertQueryCount(12):
            swapped = rfm._swap_members()
        self.assertEqual(swapped, rfm)
        self.assertEqual({s: self._members(s) for s in rfm}, members)
        self.assertEqual(
            {s: (s.member_count, s.revenue, s.revenue_share) for s in rfm}, figures
        )
        rule = self.env["cou.segment"].create(
            {
                "name": "COU big",
                "domain": "[('rfm_monetary_score', '>=', 4)]",
                "company_id": self.company.id,
            }
        )
        self.assertEqual(
            (rule | rfm)._get_swap_batches(), [rule.ids, rfm.ids], "rule alone"
        )

    @mute_logger("odoo.addons.crm_order_unified_segment.models.cou_segment")
    def test_segment_rfm_job_skips_company_locked_by_other_worker(self):
        """The RFM of a company that another worker is recomputing is skipped."""
        with self.registry.cursor() as other_cr:
            other_cr.execute(
                SQL("SELECT pg_advisory_xact_lock(%s, %s)", 0x434F5552, self.company.id)
            )
            with freeze_time(TODAY):
                self.assertFalse(
                    self.env["cou.rfm.score"]._recompute_company(self.company)
                )
            other_cr.rollback()
        with freeze_time(TODAY):
            self.assertTrue(self.env["cou.rfm.score"]._recompute_company(self.company))

    # === RFM MATRIX === #

    def test_segment_rfm_matrix(self):
        """The matrix: 25 cells (R 5 to 1 down, FM 1 to 5 across), counts and
        Ordered Revenue per cell, segment figures adding up to 100 %."""
        self._recompute()
        matrix = (
            self.env["cou.rfm.score"]
            .with_user(self.user_marketing)
            .with_company(self.company)
            .get_rfm_matrix()
        )
        self.assertEqual([row["r_score"] for row in matrix["rows"]], [5, 4, 3, 2, 1])
        cells = {
            (cell["r_score"], cell["fm_score"]): cell
            for row in matrix["rows"]
            for cell in row["cells"]
        }
        self.assertEqual(len(cells), 25)
        filled = {
            key: (cell["count"], cell["revenue"], cell["segment_code"])
            for key, cell in cells.items()
            if cell["count"]
        }
        self.assertEqual(
            filled,
            {
                (4, 5): (1, 5000.0, "loyal"),
                (3, 4): (1, 3000.0, "loyal"),
                (2, 3): (1, 1000.0, "at_risk"),
                (1, 1): (2, 600.0, "lost"),
                (4, 2): (1, 2000.0, "potential_loyalist"),
            },
        )
        self.assertEqual(cells[(5, 5)]["segment_code"], "champions")
        self.assertTrue(cells[(5, 5)]["segment_name"])
        self.assertEqual((matrix["total_count"], matrix["total_revenue"]), (6, 11600.0))
        segments = {s["code"]: s for s in matrix["segments"]}
        self.assertEqual(
            set(segments), {"loyal", "at_risk", "lost", "potential_loyalist"}
        )
        self.assertEqual(segments["loyal"]["count"], 2)
        self.assertAlmostEqual(segments["loyal"]["share"], 100 * 8000 / 11600)
        self.assertAlmostEqual(sum(s["share"] for s in segments.values()), 100.0)
        self.assertEqual(segments["lost"]["segment_id"], self._rfm_segment("lost").id)
        # another company's grid is its own (company A has no score of these)
        other = self.env["cou.rfm.score"].with_company(self.company_a).get_rfm_matrix()
        self.assertNotIn(
            self.a.id,
            self.env["cou.rfm.score"]
            .search([("company_id", "=", self.company_a.id)])
            .partner_id.ids,
        )
        self.assertEqual(other["company_id"], self.company_a.id)

    def test_segment_rfm_matrix_cell_action(self):
        self._recompute()
        Score = (
            self.env["cou.rfm.score"]
            .with_user(self.user_marketing)
            .with_company(self.company)
        )
        action = Score.action_open_rfm_cell(1, 1)
        self.assertEqual(action["res_model"], "res.partner")
        partners = self.env["res.partner"].search(action["domain"])
        self.assertEqual(partners, self.d | self.e)
        self.assertFalse(
            self.env["res.partner"].search(Score.action_open_rfm_cell(5, 5)["domain"])
        )
        with self.assertRaises(ValidationError):
            Score.action_open_rfm_cell(0, 6)
        with self.assertRaises(ValidationError):
            Score.action_open_rfm_cell("1", 1)

    def test_segment_rfm_matrix_query_budget(self):
        """A fixed number of queries whatever the number of customers: the
        grouped read of the scores, the mapping, the segments (and the
        access checks of the user)."""
        self._recompute()
        Score = self.env["cou.rfm.score"].with_company(self.company)
        Score.get_rfm_matrix()
        self.env.invalidate_all()
        with self.assertQueryCount(9):
            Score.get_rfm_matrix()

    def test_segment_demo_history_is_spread(self):
        """The demo's segment history is not all dated at install time: entry
        dates spread over months, never before the customer's last order for
        an RFM segment, and some customers came from another RFM segment."""
        self._recompute()
        Member = self.env["cou.segment.member"]
        members = Member.search(
            [("company_id", "=", self.company.id), ("date_to", "=", False)]
        )
        self.assertEqual(len(set(members.mapped("date_from"))), 1, "one run")
        self.env["cou.segment"].with_company(self.company)._demo_spread_history()
        members.invalidate_recordset()
        self.assertGreater(len(set(members.mapped("date_from"))), 2)
        scores = {
            s.partner_id: s
            for s in self.env["cou.rfm.score"].search(
                [("company_id", "=", self.company.id)]
            )
        }
        for member in members.filtered(lambda m: m.segment_type == "rfm"):
            self.assertGreater(
                member.date_from.date(), scores[member.partner_id].last_order_date
            )
        moved = Member.search(
            [("company_id", "=", self.company.id), ("date_to", "!=", False)]
        )
        for row in moved:
            current = members.filtered(
                lambda m, row=row: m.partner_id == row.partner_id
            )
            self.assertIn(row.date_to, current.mapped("date_from"))
            self.assertLess(row.date_from, row.date_to)
