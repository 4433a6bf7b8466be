from markupsafe import Markup, escape

from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager


class ComplaintPortal(CustomerPortal):
    """ "My complaints" on the customer portal: list, detail with chatter (reply),
    follow/unfollow, and filing a complaint from an order or delivery the customer
    can see. Record rules decide what a portal user sees (own complaints, or the
    company's when the team allows it)."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "complaint_count" in counters:
            Complaint = request.env["cou.complaint"]
            values["complaint_count"] = (
                Complaint.search_count([]) if Complaint.has_access("read") else 0
            )
        return values

    @http.route(
        ["/my/complaints", "/my/complaints/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_complaints(self, page=1, sortby=None, **kw):
        Complaint = request.env["cou.complaint"]
        searchbar_sortings = {
            "date": {
                "label": request.env._("Newest"),
                "order": "date_open desc, id desc",
            },
            "stage": {"label": request.env._("Stage"), "order": "stage_id, id desc"},
        }
        sortby = sortby if sortby in searchbar_sortings else "date"
        pager = portal_pager(
            url="/my/complaints",
            url_args={"sortby": sortby},
            total=Complaint.search_count([]),
            page=page,
            step=self._items_per_page,
        )
        complaints = Complaint.search(
            [],
            order=searchbar_sortings[sortby]["order"],
            limit=self._items_per_page,
            offset=pager["offset"],
        )
        request.session["my_complaints_history"] = complaints.ids[:100]
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "complaints": complaints.sudo(),
                "page_name": "complaint",
                "pager": pager,
                "default_url": "/my/complaints",
                "searchbar_sortings": searchbar_sortings,
                "sortby": sortby,
            }
        )
        return request.render(
            "crm_order_unified_complaint.portal_my_complaints", values
        )

    @http.route(
        ["/my/complaints/<int:complaint_id>"], type="http", auth="public", website=True
    )
    def portal_complaint_page(self, complaint_id, access_token=None, **kw):
        try:
            complaint = self._document_check_access(
                "cou.complaint", complaint_id, access_token
            )
        except (AccessError, MissingError):
            return request.redirect("/my")
        values = self._get_page_view_values(
            complaint,
            access_token,
            {"complaint": complaint, "page_name": "complaint"},
            "my_complaints_history",
            False,
            **kw,
        )
        partner = request.env.user.partner_id
        values["is_following"] = partner in complaint.message_partner_ids
        return request.render(
            "crm_order_unified_complaint.portal_complaint_page", values
        )

    @http.route(
        ["/my/complaints/<int:complaint_id>/follow"],
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_complaint_follow(self, complaint_id, follow="1", **kw):
        try:
            complaint = self._document_check_access("cou.complaint", complaint_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        partner = request.env.user.partner_id
        if follow == "1":
            complaint.message_subscribe(partner_ids=partner.ids)
        else:
            complaint.message_unsubscribe(partner_ids=partner.ids)
        return request.redirect(f"/my/complaints/{complaint_id}")

    def _complaint_portal_documents(self, order_id=None, picking_id=None):
        """The order and delivery the complaint is filed from, checked against
        what the portal user may see (``AccessError`` otherwise)."""
        order = request.env["sale.order"]
        picking = request.env["stock.picking"]
        if order_id:
            order = self._document_check_access("sale.order", int(order_id))
        if picking_id:
            picking = (
                request.env["stock.picking"].sudo().browse(int(picking_id)).exists()
            )
            commercial = request.env.user.partner_id.commercial_partner_id
            if not picking or picking.partner_id.commercial_partner_id != commercial:
                raise AccessError(
                    request.env._("You cannot file a complaint about this delivery.")
                )
            order = order or picking.sale_id
        return order, picking

    @http.route(
        ["/my/complaints/new"],
        type="http",
        auth="user",
        methods=["GET", "POST"],
        website=True,
    )
    def portal_complaint_new(self, order_id=None, picking_id=None, **post):
        try:
            order, picking = self._complaint_portal_documents(order_id, picking_id)
        except (AccessError, MissingError, ValueError):
            return request.redirect("/my")
        categories = request.env["cou.complaint.category"].sudo().search([])
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "complaint",
                "order": order,
                "picking": picking,
                "categories": categories,
                "error": False,
                "post": post,
            }
        )
        if request.httprequest.method == "POST":
            subject = (post.get("name") or "").strip()
            description = (post.get("description") or "").strip()
            if not subject or not description:
                values["error"] = request.env._(
                    "Please give a subject and describe the problem."
                )
                return request.render(
                    "crm_order_unified_complaint.portal_complaint_new", values
                )
            category = categories.filtered(
                lambda c: str(c.id) == post.get("category_id")
            )[:1]
            partner = request.env.user.partner_id
            try:
                # bad input (e.g. a delivery of another order) is refused with the
                # model's message, and the savepoint leaves nothing half-written
                with request.env.cr.savepoint():
                    complaint = (
                        request.env["cou.complaint"]
                        .sudo()
                        .create(
                            {
                                "name": subject[:200],
                                "description": Markup("<p>%s</p>")
                                % escape(description).replace("\n", Markup("<br/>")),
                                "partner_id": partner.id,
                                "channel": "portal",
                                "category_id": category.id,
                                "sale_order_id": order.sudo().id or False,
                                "picking_id": picking.id or False,
                            }
                        )
                    )
            except (UserError, ValidationError) as error:
                values["error"] = error.args[0] if error.args else str(error)
                return request.render(
                    "crm_order_unified_complaint.portal_complaint_new", values
                )
            return request.redirect(f"/my/complaints/{complaint.id}")
        return request.render(
            "crm_order_unified_complaint.portal_complaint_new", values
        )
