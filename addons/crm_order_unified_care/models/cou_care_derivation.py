import logging
import time

from odoo import api, fields, models
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

# key of the customers to recompute at commit in ``cr.precommit.data``
DIRTY_KEY = "cou.care.derivation.dirty_partners"
# tables read by the derivation (flushed first)
DERIVATION_MODELS = (
    "sale.order",
    "sale.order.line",
    "product.product",
    "product.template",
    "product.category",
    "res.partner",
    "cou.care.derivation",
    "cou.care.attribute",
    "cou.care.partner.attribute",
)

# The (derivation, customer) pairs that qualify, with the orders that count.
QUALIFY_SQL = """
CREATE TEMPORARY TABLE cou_care_derived ON COMMIT DROP AS
WITH products AS MATERIALIZED (
    -- the products of each active derivation's category tree (a small set)
    SELECT derivation.id AS derivation_id, product.id AS product_id
      FROM cou_care_derivation AS derivation
      JOIN cou_care_attribute AS attribute
        ON attribute.id = derivation.attribute_id
      JOIN product_category AS parent ON parent.id = derivation.categ_id
      JOIN product_category AS child
        ON starts_with(child.parent_path, parent.parent_path)
      JOIN product_template AS template ON template.categ_id = child.id
      JOIN product_product AS product ON product.product_tmpl_id = template.id
     WHERE derivation.active AND attribute.active
),
orders AS %(materialized)s (
    -- the confirmed orders of the longest period, of the customers in scope
    SELECT sale_order.id, sale_order.company_id, sale_order.date_order,
           cou_partner.commercial_partner_id AS partner_id
      FROM sale_order
      JOIN res_partner AS cou_partner ON cou_partner.id = sale_order.partner_id
     WHERE sale_order.state = 'sale'
       AND sale_order.date_order <= %(now)s::timestamp
       AND sale_order.date_order >= %(now)s::timestamp - make_interval(
           months => (SELECT COALESCE(max(months), 0)
                        FROM cou_care_derivation WHERE active))
       AND %(scope)s
),
lines AS %(lines_materialized)s (
    -- the order lines of those products (by product: a small share of all)
    SELECT products.derivation_id, line.order_id
      FROM products
      JOIN sale_order_line AS line ON line.product_id = products.product_id
     WHERE line.product_uom_qty > 0
),
matched AS (
    SELECT DISTINCT lines.derivation_id, orders.partner_id,
           orders.id AS order_id
      FROM lines
      JOIN orders ON orders.id = lines.order_id
      JOIN cou_care_derivation AS derivation
        ON derivation.id = lines.derivation_id
     WHERE orders.company_id = derivation.company_id
       AND orders.date_order >= %(now)s::timestamp
                                - make_interval(months => derivation.months)
)
SELECT matched.derivation_id, matched.partner_id, derivation.attribute_id,
       derivation.company_id,
       array_agg(matched.order_id ORDER BY matched.order_id) AS order_ids
  FROM matched
  JOIN cou_care_derivation AS derivation
    ON derivation.id = matched.derivation_id
 GROUP BY matched.derivation_id, matched.partner_id, derivation.attribute_id,
          derivation.company_id, derivation.min_orders
HAVING count(*) >= derivation.min_orders
"""
STALE_LINKS_SQL = """
DELETE FROM cou_care_partner_attribute AS link
 WHERE link.source = 'derived' AND %(scope)s
   AND NOT EXISTS (
       SELECT 1 FROM cou_care_derived AS derived
        WHERE derived.partner_id = link.partner_id
          AND derived.derivation_id = link.derivation_id)
"""
NEW_LINKS_SQL = """
INSERT INTO cou_care_partner_attribute
       (partner_id, attribute_id, derivation_id, company_id, source,
        create_uid, create_date, write_uid, write_date)
SELECT partner_id, attribute_id, derivation_id, company_id, 'derived',
       %(uid)s, %(now)s, %(uid)s, %(now)s
  FROM cou_care_derived
    ON CONFLICT ON CONSTRAINT cou_care_partner_attribute_partner_derivation_uniq
    DO NOTHING
"""
LINK_ORDERS_SQL = """
CREATE TEMPORARY TABLE cou_care_derived_order ON COMMIT DROP AS
SELECT DISTINCT link.id AS link_id, unnest(derived.order_ids) AS order_id
  FROM cou_care_derived AS derived
  JOIN cou_care_partner_attribute AS link
    ON link.partner_id = derived.partner_id
   AND link.derivation_id = derived.derivation_id
"""
STALE_ORDERS_SQL = """
DELETE FROM cou_care_partner_attribute_sale_order_rel AS rel
 USING cou_care_partner_attribute AS link
 WHERE rel.link_id = link.id AND link.source = 'derived' AND %(scope)s
   AND NOT EXISTS (
       SELECT 1 FROM cou_care_derived_order AS derived
        WHERE derived.link_id = rel.link_id AND derived.order_id = rel.order_id)
"""
NEW_ORDERS_SQL = """
INSERT INTO cou_care_partner_attribute_sale_order_rel (link_id, order_id)
SELECT link_id, order_id FROM cou_care_derived_order
    ON CONFLICT DO NOTHING
"""


class CouCareDerivation(models.Model):
    """Derives a care attribute from purchase history: a customer that bought
    from ``categ_id`` (or its sub-categories) in at least ``min_orders``
    confirmed orders of the last ``months`` months gets ``attribute_id``.

    :meth:`_recompute` writes the derived attributes set-based, for all the
    customers or some of them; a scheduled job runs it for everybody and
    order confirmations recompute their customers once at commit.
    """

    _name = "cou.care.derivation"
    _description = "Care Attribute Derivation Rule"
    _order = "sequence, id"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    name = fields.Char(
        string="Description", compute="_compute_name", store=True, readonly=False
    )
    sequence = fields.Integer(default=10)
    attribute_id = fields.Many2one(
        comodel_name="cou.care.attribute",
        string="Attribute",
        required=True,
        index=True,
        ondelete="cascade",
    )
    categ_id = fields.Many2one(
        comodel_name="product.category",
        string="Product Category",
        required=True,
        ondelete="cascade",
        help="Orders with a product of this category or one of its sub-categories "
        "count.",
    )
    min_orders = fields.Integer(string="Minimum Orders", required=True, default=2)
    months = fields.Integer(string="Within (Months)", required=True, default=12)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        comodel_name="res.company",
        string="Company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
        help="Only the orders of this company count.",
    )
    link_ids = fields.One2many(
        comodel_name="cou.care.partner.attribute",
        inverse_name="derivation_id",
        string="Derived Attributes",
        readonly=True,
    )
    partner_count = fields.Integer(string="Customers", compute="_compute_partner_count")

    _sql_constraints = [
        (
            "min_orders_positive",
            "CHECK(min_orders > 0)",
            "The minimum number of orders must be positive.",
        ),
        (
            "months_positive",
            "CHECK(months > 0)",
            "The period must be at least one month.",
        ),
    ]

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("attribute_id", "categ_id", "min_orders", "months")
    def _compute_name(self):
        for rule in self:
            rule.name = self.env._(
                "%(attribute)s: bought from %(category)s at least %(count)s times "
                "in %(months)s months",
                attribute=rule.attribute_id.name or "",
                category=rule.categ_id.display_name or "",
                count=rule.min_orders,
                months=rule.months,
            )

    def _compute_partner_count(self):
        counts = dict(
            self.env["cou.care.partner.attribute"]._read_group(
                [("derivation_id", "in", self.ids)], ["derivation_id"], ["__count"]
            )
        )
        for rule in self:
            rule.partner_count = counts.get(rule, 0)

    # ------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        rules = super().create(vals_list)
        self._recompute()
        return rules

    def write(self, vals):
        res = super().write(vals)
        if {
            "attribute_id",
            "categ_id",
            "min_orders",
            "months",
            "active",
            "company_id",
        } & set(vals):
            if "attribute_id" in vals:
                # the links of a rule carry its attribute: start them again
                self.env["cou.care.partner.attribute"].sudo().search(
                    [("derivation_id", "in", self.ids)]
                ).unlink()
            self._recompute()
        return res

    # ------------------------------------------------------------
    # ACTION METHODS
    # ------------------------------------------------------------

    def action_recompute(self):
        # the button of the managers (the derivation writes as superuser)
        self.check_access("write")
        self._recompute()
        return True

    def action_view_links(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.actions"]._for_xml_id(
            "crm_order_unified_care.cou_care_partner_attribute_action"
        )
        action["domain"] = [("derivation_id", "=", self.id)]
        return action

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    @api.model
    def _recompute(self, partners=None):
        """Derive the care attributes of ``partners`` (a recordset or ids of
        customers; their commercial entities count) or of every customer when
        ``partners`` is None, from the confirmed orders, set-based: the same
        few queries whatever the number of customers.

        Returns the number of derived links in scope after the run.
        """
        start = time.time()
        cr = self.env.cr
        timings = []

        def execute(name, query):
            step = time.time()
            cr.execute(query)
            timings.append(f"{name} {time.time() - step:.2f}s")
            return cr.rowcount

        partner_ids = None
        if partners is not None:
            if isinstance(partners, models.BaseModel):
                partners = partners.ids
            customers = self.env["res.partner"].browse(partners).exists()
            partner_ids = customers.commercial_partner_id.ids
            if not partner_ids:
                return 0
        # pending ORM writes of the tables read below go to the database first
        for model in DERIVATION_MODELS:
            self.env[model].flush_model()
        now = fields.Datetime.now()
        if partner_ids is None:
            scope = link_scope = SQL("TRUE")
            # everybody: the lines of the categories' products first (by
            # product), then their orders (by id); the planner, misled by the
            # period's estimate, would scan the lines of every order otherwise
            materialized = SQL("NOT MATERIALIZED")
            lines_materialized = SQL("MATERIALIZED")
        else:
            scope = SQL("cou_partner.commercial_partner_id = ANY(%s)", partner_ids)
            link_scope = SQL("link.partner_id = ANY(%s)", partner_ids)
            # a few customers: their orders first (by partner)
            materialized = SQL("MATERIALIZED")
            lines_materialized = SQL("NOT MATERIALIZED")

        execute("drop", SQL("DROP TABLE IF EXISTS cou_care_derived"))
        # (derivation, customer) pairs that qualify, with their orders
        execute(
            "qualify",
            SQL(
                QUALIFY_SQL,
                now=now,
                scope=scope,
                materialized=materialized,
                lines_materialized=lines_materialized,
            ),
        )
        execute(
            "index",
            SQL("CREATE INDEX ON cou_care_derived (partner_id, derivation_id)"),
        )
        execute("analyze", SQL("ANALYZE cou_care_derived"))
        # derived links that no longer hold (their order rows go with them)
        removed = execute("stale links", SQL(STALE_LINKS_SQL, scope=link_scope))
        added = execute("new links", SQL(NEW_LINKS_SQL, uid=self.env.uid, now=now))
        if partner_ids is None:
            # fresh statistics for the joins below
            execute("analyze links", SQL("ANALYZE cou_care_partner_attribute"))
        # the orders behind each derived link: drop the ones that no longer
        # count, add the new ones
        execute("drop orders", SQL("DROP TABLE IF EXISTS cou_care_derived_order"))
        execute("orders", SQL(LINK_ORDERS_SQL))
        execute(
            "index orders",
            SQL("CREATE INDEX ON cou_care_derived_order (link_id, order_id)"),
        )
        execute("analyze orders", SQL("ANALYZE cou_care_derived_order"))
        execute("stale orders", SQL(STALE_ORDERS_SQL, scope=link_scope))
        execute("new orders", SQL(NEW_ORDERS_SQL))
        execute("count", SQL("SELECT count(*) FROM cou_care_derived"))
        total = cr.fetchone()[0]
        execute("drop", SQL("DROP TABLE cou_care_derived, cou_care_derived_order"))
        self.env["cou.care.partner.attribute"].invalidate_model()
        self.env["res.partner"].invalidate_model(
            ["care_attribute_ids", "cou_care_link_ids", "cou_care_customer_link_ids"]
        )
        _logger.info(
            "care attributes derived: %d links (%d new, %d removed) in %.2f s",
            total,
            added,
            removed,
            time.time() - start,
        )
        _logger.debug("care attribute derivation steps: %s", ", ".join(timings))
        return total

    @api.model
    def _cron_recompute(self):
        """Scheduled job: derive the attributes of every customer."""
        self._recompute()

    @api.model
    def _mark_partners_dirty(self, partners):
        """Recompute the derived attributes of ``partners`` once, at commit
        (many confirmations in one transaction recompute once)."""
        if not partners:
            return
        precommit = self.env.cr.precommit
        if DIRTY_KEY not in precommit.data:
            precommit.data[DIRTY_KEY] = set()
            env = self.env

            @precommit.add
            def _recompute_dirty_partners():
                ids = precommit.data.pop(DIRTY_KEY, set())
                if ids:
                    env["cou.care.derivation"].sudo()._recompute(list(ids))

        precommit.data[DIRTY_KEY].update(partners.commercial_partner_id.ids)
