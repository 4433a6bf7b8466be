from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import AccessError

from .sale_order import CARE_MANAGER_GROUP


class ResPartner(models.Model):
    _inherit = "res.partner"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    cou_care_link_ids = fields.One2many(
        comodel_name="cou.care.partner.attribute",
        inverse_name="partner_id",
        string="Care Attribute Assignments",
        help="The customer's care attributes, with where each comes from (on the "
        "commercial entity).",
    )
    cou_care_customer_link_ids = fields.One2many(
        comodel_name="cou.care.partner.attribute",
        string="Customer's Care Attributes",
        related="commercial_partner_id.cou_care_link_ids",
        readonly=True,
    )
    care_attribute_ids = fields.Many2many(
        comodel_name="cou.care.attribute",
        string="Care Attributes",
        compute="_compute_care_attribute_ids",
        inverse="_inverse_care_attribute_ids",
        search="_search_care_attribute_ids",
        help="The customer's care attributes, set by hand or derived from its orders. "
        "They belong to the company (commercial entity) and show on all its contacts.",
    )

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends(
        "commercial_partner_id",
        "commercial_partner_id.cou_care_link_ids.attribute_id",
        "commercial_partner_id.cou_care_link_ids.company_id",
    )
    @api.depends_context("company")
    def _compute_care_attribute_ids(self):
        # one query for all the partners (order entry reads it at each line edit)
        companies = self.env.companies
        links = (
            self.env["cou.care.partner.attribute"]
            .sudo()
            .search_fetch(
                [
                    ("partner_id", "in", self.commercial_partner_id._origin.ids),
                    ("attribute_id.active", "=", True),
                    "|",
                    ("company_id", "=", False),
                    ("company_id", "in", companies.ids),
                ],
                ["partner_id", "attribute_id"],
            )
        )
        attribute_ids_of = defaultdict(dict)
        for link in links:
            attribute_ids_of[link.partner_id.id][link.attribute_id.id] = True
        Attribute = self.env["cou.care.attribute"]
        for partner in self:
            partner.care_attribute_ids = Attribute.browse(
                list(attribute_ids_of[partner.commercial_partner_id._origin.id])
            )

    def _inverse_care_attribute_ids(self):
        Link = self.env["cou.care.partner.attribute"]
        to_create = []
        to_unlink = Link
        for commercial in self.commercial_partner_id:
            wanted = self.filtered(
                lambda p, c=commercial: p.commercial_partner_id == c
            )[:1].care_attribute_ids
            links = commercial.cou_care_link_ids
            held = links.attribute_id
            to_create += [
                {
                    "partner_id": commercial.id,
                    "attribute_id": attribute.id,
                    "source": "manual",
                }
                for attribute in wanted - held
            ]
            # removing an attribute by hand removes its manual and derived
            # assignments (a derivation gives it back at its next run)
            # (archived attributes are not shown, so they are kept)
            to_unlink |= links.filtered(
                lambda link, w=wanted: link.attribute_id.active
                and link.attribute_id not in w
            )
        if to_unlink:
            to_unlink.unlink()
        if to_create:
            Link.create(to_create)

    def _search_care_attribute_ids(self, operator, value):
        if operator in ("=", "!=") and not value:
            links = [("commercial_partner_id.cou_care_link_ids", operator, False)]
            return links
        return [
            ("commercial_partner_id.cou_care_link_ids.attribute_id", operator, value)
        ]

    # ------------------------------------------------------------
    # ACTION METHODS
    # ------------------------------------------------------------

    def action_cou_care_recompute(self):
        """Derive the care attributes of these customers now (the button of
        the Customer Hub managers: the derivation writes as superuser)."""
        if not self.env.user.has_group(CARE_MANAGER_GROUP):
            raise AccessError(
                self.env._("Only a Customer Hub manager can derive care attributes.")
            )
        self.check_access("read")
        self.env["cou.care.derivation"].sudo()._recompute(self.commercial_partner_id)
        return True

    # ------------------------------------------------------------
    # BUSINESS METHODS: the customer overview (Customer 360 tab)
    # ------------------------------------------------------------

    def _get_customer_overview_care(self):
        care = super()._get_customer_overview_care()
        for attribute in self.care_attribute_ids.sorted(lambda a: (a.sequence, a.id)):
            care.append(
                {
                    "label": attribute.name,
                    "color": attribute.color,
                    "title": attribute.description or "",
                    "res_model": "cou.care.attribute",
                    "id": attribute.id,
                }
            )
        return care
