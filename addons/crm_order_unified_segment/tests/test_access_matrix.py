"""Access matrix of the segment addon (see the core's ``access_matrix.py``)."""

from odoo import fields
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
MARKETING = roles("marketing", "hub_manager")
READERS = HUB | roles("marketing")
SALES = roles("salesman", "salesman_all", "sale_manager")


@tagged("post_install", "-at_install")
class TestAccessMatrixSegment(AccessMatrixCase):
    MODULE = "crm_order_unified_segment"

    MODELS = {
        "cou.segment": rights(r=READERS, w=MARKETING, c=MARKETING, d=MARKETING),
        # members and scores are written by the recomputation only
        "cou.segment.member": rights(r=READERS),
        "cou.rfm.score": rights(r=READERS),
        "cou.campaign.holdout": rights(r=READERS),
        # kept current from the mailing traces only
        "cou.campaign.recipient": rights(r=READERS),
        # their running counts, written with the recipients only
        "cou.campaign.recipient.count": rights(r=READERS),
        # the RFM grid's mapping is shared by the companies
        "cou.rfm.segment.map": rights(
            r=READERS, w="hub_manager", c="hub_manager", d="hub_manager"
        ),
    }

    METHODS = {
        ("cou.segment", "action_recompute"): method(MARKETING),
        ("cou.segment", "action_recompute_all"): method(MARKETING),
        ("cou.segment", "action_view_members"): method(READERS),
        ("cou.segment", "action_view_partners"): method(READERS),
        ("cou.segment", "action_create_mailing"): method(roles("marketing")),
        ("cou.rfm.score", "get_rfm_matrix"): method(READERS),
        ("cou.rfm.score", "action_open_rfm_cell"): method(
            READERS, args=lambda case, rec: [5, 5]
        ),
        # what a campaign sold: sales users only, orders of their companies
        ("utm.campaign", "action_cou_view_attributed_orders"): method(
            SALES, on="utm.campaign"
        ),
        # the recipients: mailing statistics, for the marketing users
        ("utm.campaign", "action_cou_view_funnel_step"): method(
            roles("marketing"),
            args=lambda case, rec: [rec.ids, "recipients"],
        ),
    }

    OVERRIDES = {
        ("cou.segment", "create"): "CRUD",
        ("cou.segment", "write"): "CRUD",
        # the campaign recipients follow the traces and their mailing's campaign
        ("mailing.trace", "create"): "CRUD",
        ("mailing.trace", "write"): "CRUD",
        ("mailing.trace", "unlink"): "CRUD",
        ("mailing.mailing", "write"): "CRUD",
        ("mailing.mailing", "unlink"): "CRUD",
    }

    @classmethod
    def _matrix_setup(cls):
        Segment = cls.env["cou.segment"]
        cls.matrix_vals["cou.segment"] = lambda company: {
            "name": "Segment",
            "segment_type": "static",
            "company_id": company.id,
            "static_partner_ids": [(6, 0, cls.customer_company.ids)],
        }
        segments = tuple(
            Segment.create(
                {**cls.matrix_vals["cou.segment"](company), "name": f"{mark} segment"}
            )
            for mark, company in (("COU MX", cls.company_a), (MARK_B, cls.company_b))
        )
        segments[0]._recompute()
        segments[1]._recompute()
        cls.matrix_records["cou.segment"] = segments
        cls.matrix_write["cou.segment"] = {"sequence": 3}
        Member = cls.env["cou.segment.member"]
        cls.matrix_records["cou.segment.member"] = tuple(
            Member.search([("segment_id", "=", segment.id)], limit=1)
            for segment in segments
        )
        Score = cls.env["cou.rfm.score"]
        cls.matrix_records["cou.rfm.score"] = tuple(
            Score.search(
                [
                    ("partner_id", "=", cls.customer_company.id),
                    ("company_id", "=", company.id),
                ]
            )
            or Score.create(
                {
                    "partner_id": cls.customer_company.id,
                    "company_id": company.id,
                    "r_score": 5,
                    "f_score": 5,
                    "m_score": 5,
                }
            )
            for company in (cls.company_a, cls.company_b)
        )
        campaigns = tuple(
            cls.env["utm.campaign"].create(
                {"name": f"{mark} campaign", "company_id": company.id}
            )
            for mark, company in (("COU MX", cls.company_a), (MARK_B, cls.company_b))
        )
        cls.matrix_targets["utm.campaign"] = campaigns[0]
        Holdout = cls.env["cou.campaign.holdout"]
        cls.matrix_vals["cou.campaign.holdout"] = lambda company: {
            "campaign_id": campaigns[0 if company == cls.company_a else 1].id,
            "partner_id": cls.customer_individual.id,
            "company_id": company.id,
            "holdout_date": fields.Datetime.now(),
        }
        cls.matrix_records["cou.campaign.holdout"] = tuple(
            Holdout.create(
                {
                    **cls.matrix_vals["cou.campaign.holdout"](company),
                    "partner_id": cls.customer_company.id,
                }
            )
            for company in (cls.company_a, cls.company_b)
        )
        cls.matrix_records["cou.campaign.recipient"] = tuple(
            cls.env["cou.campaign.recipient"].create(
                {
                    "campaign_id": campaign.id,
                    "model": "res.partner",
                    "res_id": cls.customer_individual.id,
                    "first_sent_datetime": fields.Datetime.now(),
                    "last_sent_datetime": fields.Datetime.now(),
                    "is_delivered": True,
                }
            )
            for campaign in campaigns
        )
        cls.matrix_records["cou.campaign.recipient.count"] = tuple(
            cls.env["cou.campaign.recipient.count"].create(
                {"campaign_id": campaign.id, "recipients": 1, "delivered": 1}
            )
            for campaign in campaigns
        )
        Map = cls.env["cou.rfm.segment.map"]
        cell = Map.search([], limit=1)
        cls.matrix_records["cou.rfm.segment.map"] = (cell, Map)
        cls.matrix_write["cou.rfm.segment.map"] = {"segment_code": cell.segment_code}

        def map_vals(company):
            # the grid has one row per cell: free one (rolled back after)
            Map.search([("r_score", "=", 1), ("fm_score", "=", 1)]).unlink()
            return {"r_score": 1, "fm_score": 1, "segment_code": "lost"}

        cls.matrix_vals["cou.rfm.segment.map"] = map_vals
