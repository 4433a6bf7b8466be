from collections import namedtuple

from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError

# levels from the mildest; "none" is a line or order that matches nothing
CARE_LEVELS = [("info", "Information"), ("warning", "Warning"), ("block", "Block")]
CARE_LEVEL_RANK = {"none": 0, "info": 1, "warning": 2, "block": 3}
CARE_TARGET_FIELDS = ("product_id", "categ_id", "product_tag_id")
# what order entry needs of an applicable rule (cached, see _get_rule_data)
CareRuleData = namedtuple(
    "CareRuleData",
    "id level sequence attribute_id company_id product_id categ_id product_tag_id "
    "message portal_message alternative_product_ids",
)


class CouCareRule(models.Model):
    """A caution rule: a customer with ``attribute_id`` ordering ``product_id``
    (or a product of ``categ_id`` and its sub-categories, or a product tagged
    ``product_tag_id``) sees ``message`` at ``level``, with
    ``alternative_product_ids`` suited to the attribute.

    A rule whose attribute or product (category, tag) is deleted keeps its
    message but stops applying (``is_broken``); order entry never fails on it.
    """

    _name = "cou.care.rule"
    _description = "Care Caution Rule"
    _order = "sequence, id"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    name = fields.Char(string="Rule", compute="_compute_name")
    sequence = fields.Integer(default=10)
    attribute_id = fields.Many2one(
        comodel_name="cou.care.attribute",
        string="Attribute",
        index=True,
        ondelete="set null",
        help="Customers with this attribute are cautioned.",
    )
    product_id = fields.Many2one(
        comodel_name="product.product",
        string="Product",
        index="btree_not_null",
        ondelete="set null",
    )
    categ_id = fields.Many2one(
        comodel_name="product.category",
        string="Product Category",
        ondelete="set null",
        help="Products of this category and of its sub-categories.",
    )
    product_tag_id = fields.Many2one(
        comodel_name="product.tag",
        string="Product Tag",
        ondelete="set null",
    )
    level = fields.Selection(selection=CARE_LEVELS, required=True, default="warning")
    message = fields.Text(
        required=True,
        translate=True,
        help="What the person taking the order sees and tells the customer.",
    )
    portal_message = fields.Text(
        string="Message for the Customer",
        translate=True,
        help="Shown to the customer on the quotation page; the message above is "
        "shown when empty.",
    )
    alternative_product_ids = fields.Many2many(
        comodel_name="product.product",
        relation="cou_care_rule_alternative_product_rel",
        column1="rule_id",
        column2="product_id",
        string="Alternatives",
        help="Products suited to the attribute, offered in one click instead.",
    )
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        comodel_name="res.company",
        string="Company",
        index=True,
        default=lambda self: self.env.company,
        help="Leave empty to apply the rule in every company.",
    )
    is_broken = fields.Boolean(
        string="Broken",
        compute="_compute_is_broken",
        search="_search_is_broken",
        help="Its attribute or its product, category or tag was deleted: the rule "
        "no longer applies.",
    )

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("attribute_id", "product_id", "categ_id", "product_tag_id")
    def _compute_name(self):
        for rule in self:
            target = rule.product_id or rule.categ_id or rule.product_tag_id
            attribute = rule.attribute_id.display_name or "?"
            rule.name = f"{attribute} × {target.display_name or '?'}"

    @api.depends("attribute_id", "product_id", "categ_id", "product_tag_id")
    def _compute_is_broken(self):
        for rule in self:
            rule.is_broken = rule._is_broken()

    def _search_is_broken(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise NotImplementedError(self.env._("Unsupported search on Broken."))
        broken = [
            "|",
            ("attribute_id", "=", False),
            "&",
            "&",
            ("product_id", "=", False),
            ("categ_id", "=", False),
            ("product_tag_id", "=", False),
        ]
        if (operator == "=") == value:
            return broken
        return ["!", *broken]

    def _is_broken(self):
        self.ensure_one()
        return not self.attribute_id or not any(
            self[fname] for fname in CARE_TARGET_FIELDS
        )

    # ------------------------------------------------------------
    # CONSTRAINT METHODS
    # ------------------------------------------------------------

    @api.constrains(*CARE_TARGET_FIELDS)
    def _check_one_target(self):
        for rule in self:
            if len([fname for fname in CARE_TARGET_FIELDS if rule[fname]]) != 1:
                raise ValidationError(
                    self.env._(
                        "A caution rule applies to exactly one product, product "
                        "category or product tag."
                    )
                )

    @api.constrains("attribute_id")
    def _check_attribute(self):
        if any(not rule.attribute_id for rule in self):
            raise ValidationError(self.env._("A caution rule needs a care attribute."))

    # ------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        rules = super().create(vals_list)
        # constraints run on the fields given: check the rules given none
        rules._check_one_target()
        rules._check_attribute()
        self.env.registry.clear_cache()  # _get_rule_data
        return rules

    def write(self, vals):
        res = super().write(vals)
        self.env.registry.clear_cache()  # _get_rule_data
        return res

    def unlink(self):
        res = super().unlink()
        self.env.registry.clear_cache()  # _get_rule_data
        return res

    def _update_field_translations(self, field_name, translations, *args, **kwargs):
        res = super()._update_field_translations(
            field_name, translations, *args, **kwargs
        )
        self.env.registry.clear_cache()  # _get_rule_data (translated messages)
        return res

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    @api.model
    def _get_applicable_rules(self, companies):
        """The active, unbroken rules of ``companies`` (one query)."""
        rules = self.sudo().search(
            [
                ("active", "=", True),
                ("company_id", "in", [False, *companies.ids]),
                ("attribute_id", "!=", False),
                "|",
                "|",
                ("product_id", "!=", False),
                ("categ_id", "!=", False),
                ("product_tag_id", "!=", False),
            ]
        )
        return rules.with_env(self.env)

    @api.model
    def _get_rule_data(self, companies):
        """The applicable rules of ``companies`` as :class:`CareRuleData`, from
        the highest level (then by sequence): no query once cached (order
        entry computes them at each line edit). The cache is emptied when a
        rule changes; a rule whose attribute or target is deleted keeps ids
        that no customer or product holds any more, so it matches nothing."""
        return self._get_rule_data_cached(tuple(sorted(companies.ids)))

    @api.model
    @tools.ormcache("company_ids", "self.env.lang")
    def _get_rule_data_cached(self, company_ids):
        companies = self.env["res.company"].browse(company_ids)
        rules = self._get_applicable_rules(companies).sudo()
        data = [
            CareRuleData(
                rule.id,
                rule.level,
                rule.sequence,
                rule.attribute_id.id,
                rule.company_id.id,
                rule.product_id.id,
                rule.categ_id.id,
                rule.product_tag_id.id,
                rule.message,
                rule.portal_message,
                tuple(rule.alternative_product_ids.ids),
            )
            for rule in rules
        ]
        data.sort(key=lambda r: (-CARE_LEVEL_RANK[r.level], r.sequence, r.id))
        return tuple(data)

    @api.model
    def _data_matches(
        self, rule, product, attribute_ids, category_ids, tag_ids, company_id
    ):
        """Whether ``rule`` (a :class:`CareRuleData`) applies to ``product``
        for a customer with ``attribute_ids`` (pure Python)."""
        if rule.attribute_id not in attribute_ids:
            return False
        if rule.company_id and rule.company_id != company_id:
            return False
        if rule.product_id:
            return rule.product_id == product.id
        if rule.categ_id:
            return rule.categ_id in category_ids
        return rule.product_tag_id in tag_ids
