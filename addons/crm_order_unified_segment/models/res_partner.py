from odoo import api, fields, models
from odoo.tools import create_index

from odoo.addons.crm_order_unified.models.res_partner import CUSTOMER_360_GROUP


class ResPartner(models.Model):
    """Segments and RFM scores of the customer. The logic lives in
    cou.segment, cou.segment.member and cou.rfm.score; the RFM fields read the
    scores of the current company for the commercial entity."""

    _inherit = "res.partner"

    # === FIELDS === #

    cou_segment_member_ids = fields.One2many(
        comodel_name="cou.segment.member",
        inverse_name="partner_id",
        string="Segment History",
        groups=CUSTOMER_360_GROUP,
    )
    cou_segment_ids = fields.Many2many(
        comodel_name="cou.segment",
        string="Segments",
        compute="_compute_cou_segment_ids",
        search="_search_cou_segment_ids",
        help="Segments the customer (its commercial entity) currently belongs to.",
    )
    cou_rfm_score_ids = fields.One2many(
        comodel_name="cou.rfm.score",
        inverse_name="partner_id",
        string="RFM Scores",
        groups=CUSTOMER_360_GROUP,
    )
    rfm_recency_score = fields.Integer(
        string="RFM Recency Score",
        compute="_compute_cou_rfm",
        search="_search_rfm_recency_score",
        groups=CUSTOMER_360_GROUP,
        help="1 (bought longest ago) to 5 (most recent), by quintiles over the "
        "company's customers.",
    )
    rfm_frequency_score = fields.Integer(
        string="RFM Frequency Score",
        compute="_compute_cou_rfm",
        search="_search_rfm_frequency_score",
        groups=CUSTOMER_360_GROUP,
        help="1 (fewest orders) to 5 (most orders), by quintiles over the company's "
        "customers.",
    )
    rfm_monetary_score = fields.Integer(
        string="RFM Monetary Score",
        compute="_compute_cou_rfm",
        search="_search_rfm_monetary_score",
        groups=CUSTOMER_360_GROUP,
        help="1 (lowest Ordered Revenue) to 5 (highest), by quintiles over the "
        "company's customers.",
    )
    rfm_segment = fields.Selection(
        selection="_get_cou_rfm_segment_selection",
        string="RFM Segment",
        compute="_compute_cou_rfm",
        search="_search_rfm_segment",
        groups=CUSTOMER_360_GROUP,
    )

    def _get_cou_rfm_segment_selection(self):
        return (
            self.env["cou.rfm.score"]
            ._fields["segment_code"]
            ._description_selection(self.env)
        )

    @api.depends_context("allowed_company_ids")
    def _compute_cou_segment_ids(self):
        commercial = self.commercial_partner_id
        groups = (
            self.env["cou.segment.member"]
            .sudo()
            ._read_group(
                [
                    ("partner_id", "in", commercial.ids),
                    ("date_to", "=", False),
                    ("company_id", "in", self.env.companies.ids),
                    ("segment_id.active", "=", True),
                ],
                ["partner_id"],
                ["segment_id:array_agg"],
            )
        )
        segments = {partner.id: segment_ids for partner, segment_ids in groups}
        for partner in self:
            partner.cou_segment_ids = [
                (6, 0, segments.get(partner.commercial_partner_id.id, []))
            ]

    def _search_cou_segment_ids(self, operator, value):
        if operator in ("=", "!=") and not value:
            # "is set" / "is not set": member of any segment or of none
            current = [("date_to", "=", False)]
            return [
                (
                    "cou_segment_member_ids",
                    "any" if operator == "!=" else "not any",
                    current,
                )
            ]
        negative = operator in ("!=", "not in", "not ilike", "not like")
        positive_operator = {
            "!=": "=",
            "not in": "in",
            "not ilike": "ilike",
            "not like": "like",
        }.get(operator, operator)
        if isinstance(value, str):
            condition = [("segment_id.name", positive_operator, value)]
        else:
            condition = [("segment_id", positive_operator, value)]
        member_domain = [("date_to", "=", False), *condition]
        return [
            ("cou_segment_member_ids", "not any" if negative else "any", member_domain)
        ]

    @api.depends_context("company")
    def _compute_cou_rfm(self):
        commercial = self.commercial_partner_id
        scores = (
            self.env["cou.rfm.score"]
            .sudo()
            .search_fetch(
                [
                    ("partner_id", "in", commercial.ids),
                    ("company_id", "=", self.env.company.id),
                ],
                ["partner_id", "r_score", "f_score", "m_score", "segment_code"],
            )
        )
        by_partner = {score.partner_id.id: score for score in scores}
        for partner in self:
            score = by_partner.get(partner.commercial_partner_id.id)
            partner.rfm_recency_score = score.r_score if score else 0
            partner.rfm_frequency_score = score.f_score if score else 0
            partner.rfm_monetary_score = score.m_score if score else 0
            partner.rfm_segment = score.segment_code if score else False

    def _search_cou_rfm(self, score_field, operator, value):
        company_condition = [("company_id", "=", self.env.company.id)]
        if operator in ("=", "!=") and not value:
            # "is not set": no score in the current company
            scored = [
                ("commercial_partner_id.cou_rfm_score_ids", "any", company_condition)
            ]
            return scored if operator == "!=" else ["!", *scored]
        return [
            (
                "commercial_partner_id.cou_rfm_score_ids",
                "any",
                [*company_condition, (score_field, operator, value)],
            )
        ]

    def _search_rfm_recency_score(self, operator, value):
        return self._search_cou_rfm("r_score", operator, value)

    def _search_rfm_frequency_score(self, operator, value):
        return self._search_cou_rfm("f_score", operator, value)

    def _search_rfm_monetary_score(self, operator, value):
        return self._search_cou_rfm("m_score", operator, value)

    def _search_rfm_segment(self, operator, value):
        return self._search_cou_rfm("segment_code", operator, value)

    # === CRUD METHODS === #
    def init(self):
        res = super().init()
        # The RFM recomputation maps every order's contact to its commercial
        # entity: an index-only scan of 300 pages at 100,000 customers instead
        # of a read of the whole partner table (9,600 pages, most of a cold
        # run's time). Both columns are indexed already (id, commercial
        # partner): no update of a partner becomes a non-HOT one.
        create_index(
            self.env.cr,
            "cou_res_partner_commercial_idx",
            self._table,
            ["id", "commercial_partner_id"],
        )
        return res

    # === BUSINESS METHODS === #
    # the customer overview (Customer 360 tab)

    def _get_customer_overview_badges(self):
        """The customer's current segments, its RFM segment with its scores."""
        badges = super()._get_customer_overview_badges()
        if not self.env["cou.segment"].has_access("read"):
            return badges
        for segment in self.cou_segment_ids.sorted(lambda s: (s.sequence, s.id)):
            title = segment.description or ""
            if segment.segment_type == "rfm":
                title = self.env._(
                    "RFM scores: recency %(r)s, frequency %(f)s, monetary %(m)s "
                    "(1 to 5).",
                    r=self.rfm_recency_score,
                    f=self.rfm_frequency_score,
                    m=self.rfm_monetary_score,
                )
            badges.append(
                {
                    "label": segment.name,
                    "color": segment.color,
                    "title": title,
                    "res_model": "cou.segment",
                    "id": segment.id,
                }
            )
        return badges
