from odoo import api, fields, models
from odoo.exceptions import UserError

from .cou_care_rule import CARE_LEVELS


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    care_level = fields.Selection(
        selection=[("none", "None"), *CARE_LEVELS],
        compute="_compute_care",
        help="Highest level of the caution rules that match the line's product and "
        "the customer's care attributes.",
    )
    care_message = fields.Text(compute="_compute_care")
    care_portal_message = fields.Text(
        string="Care Message for the Customer", compute="_compute_care"
    )
    care_rule_ids = fields.Many2many(
        comodel_name="cou.care.rule",
        string="Care Rules",
        compute="_compute_care",
    )
    care_alternative_product_ids = fields.Many2many(
        comodel_name="product.product",
        string="Suited Alternatives",
        compute="_compute_care",
    )
    cou_care_swapped_from_id = fields.Many2one(
        comodel_name="product.product",
        string="Swapped From",
        copy=False,
        help="The product this line had before an alternative suited to the "
        "customer was chosen.",
    )

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends(
        "product_id", "display_type", "order_id.partner_id", "order_id.company_id"
    )
    def _compute_care(self):
        """Match the lines against the caution rules in a constant number of
        queries whatever the number of lines and rules: the rules from a cache
        (none), the customers' attributes in one query, the products'
        categories and tags once; all in memory from there."""
        matches = self._get_care_rule_matches()
        Rule = self.env["cou.care.rule"]
        Product = self.env["product.product"]
        alternative_ids = {
            pid
            for rules in matches.values()
            for rule in rules
            for pid in rule.alternative_product_ids
        }
        # the alternatives read with the lines' products (one read for both)
        prefetch = (*self.product_id._origin.ids, *alternative_ids)
        for line in self:
            rules = matches.get(line)
            if not rules:
                line.care_level = "none"
                line.care_message = False
                line.care_portal_message = False
                line.care_rule_ids = False
                line.care_alternative_product_ids = False
                continue
            line.care_level = rules[0].level
            line.care_message = "\n".join(
                dict.fromkeys(rule.message for rule in rules if rule.message)
            )
            line.care_portal_message = "\n".join(
                dict.fromkeys(
                    rule.portal_message or rule.message
                    for rule in rules
                    if rule.portal_message or rule.message
                )
            )
            line.care_rule_ids = Rule.browse([rule.id for rule in rules])
            alternatives = Product.browse(
                dict.fromkeys(
                    pid for rule in rules for pid in rule.alternative_product_ids
                )
            ).with_prefetch(prefetch)
            line.care_alternative_product_ids = (
                alternatives - line.product_id
            ).filtered("sale_ok")

    def _get_care_matches(self):
        """Return ``{line: matching rules}`` (from the highest level) for the
        lines of ``self`` that match."""
        Rule = self.env["cou.care.rule"]
        return {
            line: Rule.browse([rule.id for rule in rules])
            for line, rules in self._get_care_rule_matches().items()
        }

    def _get_care_rule_matches(self):
        """Return ``{line: [CareRuleData]}`` (from the highest level) for the
        lines of ``self`` that match: the cached rules, the customers'
        attributes in one query."""
        lines = self.filtered(
            lambda line: line.product_id
            and not line.display_type
            and line.order_id.partner_id
        )
        if not lines:
            return {}
        Rule = self.env["cou.care.rule"]
        rules = Rule._get_rule_data(lines.order_id.company_id)
        if not rules:
            return {}
        rule_attribute_ids = {rule.attribute_id for rule in rules}
        # the customers' attributes in one query, kept in the cache for the
        # next computation (the form computes the line before and after a
        # change); all active (the field keeps the active ones): not read again
        customers = lines.order_id.partner_id.commercial_partner_id.with_context(
            active_test=False
        )
        attributes_of = {
            customer._origin.id: frozenset(customer.care_attribute_ids.ids)
            & rule_attribute_ids
            for customer in customers
        }
        by_categ = any(rule.categ_id for rule in rules)
        by_tag = any(rule.product_tag_id for rule in rules)
        result = {}
        for line in lines:
            attribute_ids = attributes_of.get(
                line.order_id.partner_id.commercial_partner_id._origin.id
            )
            if not attribute_ids:
                continue
            product = line.product_id
            category_ids = (
                {
                    int(cid)
                    for cid in (product.categ_id.parent_path or "").split("/")
                    if cid
                }
                if by_categ
                else ()
            )
            tag_ids = set(product.all_product_tag_ids.ids) if by_tag else ()
            company_id = line.order_id.company_id.id
            matched = [
                rule
                for rule in rules
                if Rule._data_matches(
                    rule, product, attribute_ids, category_ids, tag_ids, company_id
                )
            ]
            if matched:
                result[line] = matched
        return result

    # ------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        swapped = lines.filtered("cou_care_swapped_from_id")
        if swapped:
            swapped._cou_care_log_swaps(
                {line: line.cou_care_swapped_from_id for line in swapped}
            )
        return lines

    def write(self, vals):
        if not vals.get("cou_care_swapped_from_id"):
            return super().write(vals)
        res = super().write(vals)
        self._cou_care_log_swaps({line: line.cou_care_swapped_from_id for line in self})
        return res

    # ------------------------------------------------------------
    # ACTION METHODS
    # ------------------------------------------------------------

    def action_care_swap_alternative(self, product_id):
        """Replace the line's product by ``product_id``, one of its suited
        alternatives, and log the choice on the customer's timeline."""
        self.ensure_one()
        self.order_id.check_access("write")
        if product_id not in self.care_alternative_product_ids.ids or isinstance(
            product_id, bool
        ):
            # any JSON may come from the client: an id only, and a suggested one
            raise UserError(
                self.env._(
                    "This product is not an alternative suggested for this line."
                )
            )
        product = self.env["product.product"].browse(product_id)
        if product not in self.care_alternative_product_ids:
            raise UserError(
                self.env._(
                    "%(product)s is not an alternative suggested for this line.",
                    product=product.display_name,
                )
            )
        if self.order_id.state not in ("draft", "sent"):
            raise UserError(self.env._("Only the lines of a quotation can be swapped."))
        self.write(
            {"product_id": product.id, "cou_care_swapped_from_id": self.product_id.id}
        )
        return True

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _cou_care_log_swaps(self, old_products):
        """Log that the lines of ``self`` were swapped from ``old_products``
        (``{line: product}``) to their current product."""
        vals_list = []
        for line in self:
            old = old_products.get(line)
            if not old or old == line.product_id:
                continue
            vals_list.append(
                {
                    **line.order_id._cou_care_event_vals("swapped"),
                    "order_line_id": line.id,
                    "product_id": old.id,
                    "alternative_product_id": line.product_id.id,
                    "message": self.env._(
                        "%(old)s replaced by %(new)s",
                        old=old.display_name,
                        new=line.product_id.display_name,
                    ),
                }
            )
        if vals_list:
            self.env["cou.care.event"].sudo().create(vals_list)
