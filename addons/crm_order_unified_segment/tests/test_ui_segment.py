from odoo.addons.crm_order_unified.tests.common_tour import CouTourCase


class TestSegmentUi(CouTourCase):
    """Build a rule segment with the domain editor and send a test mailing to it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"].with_context(tracking_disable=True)
        cls.customers = Partner.create(
            [
                {
                    "name": "COU Tour Customer 1",
                    "is_company": True,
                    "ref": "COUTOUR",
                    "email": "t1@example.com",
                },
                {
                    "name": "COU Tour Customer 2",
                    "is_company": True,
                    "ref": "COUTOUR",
                    "email": "t2@example.com",
                },
            ]
        )
        Partner.create(
            {
                "name": "COU Tour Contact",
                "parent_id": cls.customers[0].id,
                "ref": "COUTOUR",
            }
        )

    def test_segment_tour(self):
        self.env.ref("base.user_admin").groups_id |= self.env.ref(
            "mass_mailing.group_mass_mailing_user"
        )
        self.start_tour(
            "/odoo/action-crm_order_unified_segment.cou_segment_action?debug=1",
            "crm_order_unified_segment_tour",
            login="admin",
        )
        segment = self.env["cou.segment"].search([("name", "=", "Tour Segment")])
        self.assertEqual(segment.segment_type, "rule")
        self.assertEqual(segment.member_ids.partner_id, self.customers)
        mailing = self.env["mailing.mailing"].search(
            [("cou_segment_id", "=", segment.id)]
        )
        self.assertEqual(mailing.subject, "Hello Tour Segment")
        self.assertEqual(set(mailing._get_recipients()), set(self.customers.ids))
        self.assertIn(
            "tour.segment@example.com", " ".join(mailing.message_ids.mapped("body"))
        )


class TestSegmentRfmMatrixUi(CouTourCase):
    """The RFM matrix: a cell's count, then a click through to its customers."""

    def test_segment_rfm_matrix_tour(self):
        company = self.env.ref("base.user_admin").company_id
        # the grid of this test only: the demo company's own scores set aside
        self.env["cou.rfm.score"].sudo().search(
            [("company_id", "=", company.id)]
        ).unlink()
        Partner = self.env["res.partner"].with_context(tracking_disable=True)
        champion, other = Partner.create(
            [
                {"name": "COU Matrix Champion", "is_company": True},
                {"name": "COU Matrix Other", "is_company": True},
            ]
        )
        self.env["cou.rfm.score"].sudo().create(
            [
                {
                    "partner_id": champion.id,
                    "company_id": company.id,
                    "frequency": 8,
                    "monetary": 12000.0,
                    "r_score": 5,
                    "f_score": 5,
                    "m_score": 5,
                    "fm_score": 5,
                    "segment_code": "champions",
                },
                {
                    "partner_id": other.id,
                    "company_id": company.id,
                    "frequency": 0,
                    "monetary": 0.0,
                    "r_score": 4,
                    "f_score": 1,
                    "m_score": 1,
                    "fm_score": 1,
                    "segment_code": "promising",
                },
            ]
        )
        self.start_tour(
            "/odoo/action-crm_order_unified_segment.cou_rfm_score_action_matrix",
            "crm_order_unified_segment_rfm_matrix_tour",
            login="admin",
        )
