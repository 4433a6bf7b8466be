from odoo import api, fields, models

from odoo.addons.crm_order_unified.models.res_partner import (
    CUSTOMER_360_GROUP,
    CUSTOMER_360_PREFETCH,
)
from odoo.addons.rating.models.rating_data import RATING_LIMIT_SATISFIED

COMPLAINT_USER_GROUP = "crm_order_unified_complaint.group_cou_complaint_user"


class ResPartner(models.Model):
    """Complaints of the customer: the "open complaints" Customer 360 figure
    (a family of the core's figures), complaint counters, ratings and actions."""

    _inherit = "res.partner"

    # === FIELDS === #

    customer_open_complaint_count = fields.Integer(
        string="Open Complaints",
        company_dependent=True,
        prefetch=CUSTOMER_360_PREFETCH,
        readonly=True,
        groups=CUSTOMER_360_GROUP,
        help="Complaints of the customer (its company and all its contacts) that are "
        "not closed, in the current company.",
    )

    cou_complaint_count = fields.Integer(
        string="Complaints",
        compute="_compute_cou_complaint_counts",
        groups=COMPLAINT_USER_GROUP,
    )
    cou_open_complaint_count = fields.Integer(
        string="Open Complaints (all companies)",
        compute="_compute_cou_complaint_counts",
        groups=COMPLAINT_USER_GROUP,
    )

    cou_complaint_rating_count = fields.Integer(
        string="Complaint Ratings",
        compute="_compute_cou_complaint_rating",
        groups=COMPLAINT_USER_GROUP,
        help="Ratings the customer's contacts gave to the handling of their "
        "complaints.",
    )
    cou_complaint_rating_satisfaction = fields.Integer(
        string="Complaint Satisfaction (%)",
        compute="_compute_cou_complaint_rating",
        groups=COMPLAINT_USER_GROUP,
        help="Share of satisfied ratings among the customer's complaint ratings.",
    )

    # === COMPUTE METHODS === #

    @api.depends_context("uid")  # the complaints the user may read
    def _compute_cou_complaint_counts(self):
        commercial = self.commercial_partner_id
        counts = self.env["cou.complaint"]._get_counts_by(
            "commercial_partner_id", commercial
        )
        for partner in self:
            total, open_count = counts.get(partner.commercial_partner_id.id, (0, 0))
            partner.cou_complaint_count, partner.cou_open_complaint_count = (
                total,
                open_count,
            )

    @api.depends_context("allowed_company_ids")
    def _compute_cou_complaint_rating(self):
        """Complaint ratings of the commercial entity (all its contacts), one grouped
        query."""
        commercial = self.commercial_partner_id
        grades = {
            partner_id: [0, 0] for partner_id in commercial.ids
        }  # [satisfied, total]
        if commercial:
            groups = (
                self.env["rating.rating"]
                .sudo()
                ._read_group(
                    self._get_cou_complaint_rating_domain(commercial),
                    ["partner_id", "rating"],
                    ["__count"],
                )
            )
            for contact, rating, count in groups:
                figures = grades.get(contact.commercial_partner_id.id)
                if figures is not None:
                    figures[1] += count
                    if rating >= RATING_LIMIT_SATISFIED:
                        figures[0] += count
        for partner in self:
            satisfied, total = grades.get(partner.commercial_partner_id.id, (0, 0))
            partner.cou_complaint_rating_count = total
            partner.cou_complaint_rating_satisfaction = (
                round(satisfied * 100 / total) if total else 0
            )

    @api.model
    def _get_cou_complaint_rating_domain(self, commercial_partners, as_ids=False):
        """Ratings of the customers' complaints in the user's current companies.

        :param as_ids: the complaints as a list of ids (for an action's domain,
            sent to the web client) rather than a subquery (one query in all)
        """
        complaints = (
            self.env["cou.complaint"]
            .sudo()
            .with_context(active_test=False)
            ._search(
                [
                    ("commercial_partner_id", "in", commercial_partners.ids),
                    ("company_id", "in", self.env.companies.ids),
                ]
            )
        )
        if as_ids:
            complaints = self.env["cou.complaint"].sudo().browse(complaints)
        return [
            ("res_model", "=", "cou.complaint"),
            # the customers' complaints in the user's current companies only
            (
                "res_id",
                "in",
                complaints.ids if as_ids else complaints,
            ),
            ("partner_id.commercial_partner_id", "in", commercial_partners.ids),
            ("consumed", "=", True),
            ("rating", ">=", 1),  # rating_data.RATING_LIMIT_MIN: 0 means "not rated"
        ]

    # === ACTION METHODS === #

    def action_cou_view_complaint_ratings(self):
        self.ensure_one()
        commercial = self.commercial_partner_id
        return self.env["cou.complaint"]._get_ratings_action(
            self._get_cou_complaint_rating_domain(commercial, as_ids=True),
            self.env._(
                "Complaint ratings of %(customer)s", customer=commercial.display_name
            ),
        )

    def action_cou_view_complaints(self):
        self.ensure_one()
        commercial = self.commercial_partner_id
        return self.env["cou.complaint"]._get_action_for(
            [("commercial_partner_id", "=", commercial.id)],
            {"default_partner_id": self.id},
        )

    def action_cou_file_complaint(self):
        self.ensure_one()
        return self.env["cou.complaint"]._get_file_action(
            {"default_partner_id": self.id}
        )

    # === BUSINESS METHODS === #
    # the open complaints figure

    @api.model
    def _get_customer_360_families(self):
        families = super()._get_customer_360_families()
        families["complaints"] = (
            "_get_customer_360_complaint_figures",
            ("customer_open_complaint_count",),
        )
        return families

    def _get_customer_360_complaint_figures(self):
        return {
            key: {"customer_open_complaint_count": count}
            for key, count in self._get_open_complaint_counts().items()
        }

    def _get_open_complaint_counts(self):
        """Open complaints per (commercial entity, company), one grouped query."""
        groups = (
            self.env["cou.complaint"]
            .sudo()
            ._read_group(
                [("commercial_partner_id", "in", self.ids), ("is_closed", "=", False)],
                ["commercial_partner_id", "company_id"],
                ["__count"],
            )
        )
        return {(partner.id, company.id): count for partner, company, count in groups}

    # === BUSINESS METHODS === #
    # the customer overview (Customer 360 tab)

    def _get_customer_overview_figures(self):
        figures = super()._get_customer_overview_figures()
        figures.append(
            self._cou_overview_figure(
                "customer_open_complaint_count",
                "integer",
                "action_cou_view_complaints",
                tone=self.customer_open_complaint_count > 0 and "warning",
            )
        )
        return figures

    def _get_customer_overview_open_items(self):
        items = super()._get_customer_overview_open_items()
        Complaint = self.env["cou.complaint"]
        if not Complaint.has_access("read"):
            return items
        count, rows = self._cou_overview_records(
            "cou.complaint",
            [
                ("commercial_partner_id", "=", self.id),
                ("company_id", "=", self.env.company.id),
                ("is_closed", "=", False),
            ],
            "sla_resolution_deadline, id",
            lambda complaint: {
                "name": complaint.reference or complaint.name,
                "detail": complaint.name,
                "date": fields.Datetime.to_string(
                    complaint.sla_resolution_deadline or complaint.date_open
                ),
                "date_kind": "datetime",
                "amount": False,
                "status": complaint.stage_id.name or "",
                "late": complaint.sla_breached,
            },
            [
                "reference",
                "name",
                "sla_resolution_deadline",
                "date_open",
                "stage_id",
                "sla_breached",
            ],
        )
        items.append(
            {
                "key": "complaints",
                "label": self.env._("Open Complaints"),
                "count": count,
                "action": "action_cou_view_complaints",
                "records": rows,
            }
        )
        return items
