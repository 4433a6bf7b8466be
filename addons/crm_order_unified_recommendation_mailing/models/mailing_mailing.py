from lxml import etree, html

from odoo import api, models

from .res_partner import MAX_SUGGESTIONS

# the block's markup (views/snippets_templates.xml): a container marked with
# the number of suggestions, a sample item with the name, price and reason
BLOCK = "data-cou-recommendations"
ITEM = "o_cou_recommendation_item"
PARTS = {
    "o_cou_recommendation_name": "cou_suggestion['name']",
    "o_cou_recommendation_price": "cou_suggestion['price']",
    "o_cou_recommendation_reason": "cou_suggestion['reason']",
}


def _has_class(node, name):
    return name in (node.get("class") or "").split()


class MailingMailing(models.Model):
    _inherit = "mailing.mailing"

    # ------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("body_html"):
                vals["body_html"] = self._cou_render_recommendation_blocks(
                    vals["body_html"]
                )
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("body_html"):
            vals = dict(
                vals,
                body_html=self._cou_render_recommendation_blocks(vals["body_html"]),
            )
        return super().write(vals)

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    @api.model
    def _cou_render_recommendation_blocks(self, body):
        """Turn each *Suggested Products* block of a mailing body into QWeb
        rendered per recipient: the sample item repeated over
        ``object.cou_recommended_products(n)``, its name, price and reason
        cells filled in, the block left out for a recipient without
        suggestions (or of a model without them). The editor keeps the
        sample (``body_arch``); the body sent (``body_html``) gets the QWeb.
        Already turned blocks are left as they are."""
        if not body or BLOCK not in str(body):
            return body
        document = str(body).lstrip()[:15].lower().startswith(("<!doctype", "<html"))
        root = (
            html.document_fromstring(str(body))
            if document
            else html.fragment_fromstring(str(body), create_parent="div")
        )
        changed = False
        for block in root.xpath(f"//*[@{BLOCK}]"):
            items = [node for node in block.iter() if _has_class(node, ITEM)]
            if not items or items[0].get("t-foreach"):
                continue
            try:
                limit = int(block.get(BLOCK) or 3)
            except ValueError:
                limit = 3
            limit = max(1, min(limit, MAX_SUGGESTIONS))
            call = f"object.cou_recommended_products({limit})"
            item = items[0]
            for extra in items[1:]:
                extra.getparent().remove(extra)
            item.set("t-foreach", call)
            item.set("t-as", "cou_suggestion")
            for node in item.iter():
                for css, expression in PARTS.items():
                    if _has_class(node, css):
                        for child in list(node):
                            node.remove(child)
                        node.text = None
                        node.set("t-out", expression)
            # the whole snippet (title included) only for recipients with some
            snippet = block
            for ancestor in block.iterancestors():
                if _has_class(ancestor, "s_cou_recommendations"):
                    snippet = ancestor
                    break
            snippet.set(
                "t-if",
                f"'cou_recommendation_mail_data' in object and {call}",
            )
            changed = True
        if not changed:
            return body
        if document:
            return etree.tostring(root, encoding="unicode", method="html")
        return "".join(
            [root.text or ""]
            + [
                etree.tostring(child, encoding="unicode", method="html")
                for child in root
            ]
        )
