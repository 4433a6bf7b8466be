from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request

from odoo.addons.sale.controllers.portal import CustomerPortal


class CareCustomerPortal(CustomerPortal):
    @http.route(
        "/my/orders/<int:order_id>/care_swap",
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
    )
    def portal_care_swap(self, order_id, line_id=None, product_id=None, **kw):
        """The customer swaps a line of their quotation for one of the suited
        alternatives its care rule proposes (logged on their timeline)."""
        access_token = kw.get("access_token")
        try:
            order_sudo = self._document_check_access(
                "sale.order", order_id, access_token=access_token
            )
        except (AccessError, MissingError):
            return request.redirect("/my")
        url = order_sudo.get_portal_url()
        try:
            line = order_sudo.order_line.filtered(lambda ln: str(ln.id) == line_id)
            if not line or not (product_id or "").isdigit() or order_sudo.signed_on:
                raise UserError(request.env._("This line can no longer be changed."))
            line.action_care_swap_alternative(int(product_id))
        except UserError:
            return request.redirect(f"{url}&message=cou_care_swap_refused")
        return request.redirect(f"{url}&message=cou_care_swapped")
