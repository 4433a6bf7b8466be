import json
from collections import defaultdict
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.tools import SQL, create_index

CUSTOMER_360_GROUP = "crm_order_unified.group_crm_order_unified_user"
# key of the pending refresh in ``cr.precommit.data``: {"ids": set, "families": set}
PENDING_REFRESH_KEY = "crm_order_unified.customer_360_pending"
# The figures are fetched together, and only when one of them is read: a
# refresh pending in the transaction runs before they are fetched (see
# _fetch_query), not whenever a contact's name is read.
CUSTOMER_360_PREFETCH = "customer_360"
# The customer overview (Customer 360 tab): months of its revenue chart, rows
# of its lists, events of its timeline part.
OVERVIEW_MONTHS = 24
OVERVIEW_ORDERS = 10
OVERVIEW_ITEMS = 5
OVERVIEW_EVENTS = 6
# who gets which list (as the document buttons of the partner form)
OVERVIEW_DELIVERY_GROUPS = "sales_team.group_sale_salesman,stock.group_stock_user"
OVERVIEW_INVOICE_GROUPS = (
    "sales_team.group_sale_salesman,account.group_account_invoice,"
    "account.group_account_readonly"
)
OVERVIEW_ORDER_GROUPS = f"{OVERVIEW_DELIVERY_GROUPS},{OVERVIEW_INVOICE_GROUPS}"
# Transfers neither done nor cancelled, listed (not "not in done, cancel", which
# also matches an empty state): the partial index of open transfers serves them.
OPEN_PICKING_STATES = ("draft", "waiting", "confirmed", "assigned")
# The columns of the customer context's lists (the Customer tab of orders,
# transfers and invoices), fetched with the lists' search in one query; with
# the company, which the multi-company rule checks when the list is read.
CONTEXT_LIST_FIELDS = {
    "sale.order": (
        "company_id",
        "partner_id",
        "name",
        "date_order",
        "client_order_ref",
        "user_id",
        "currency_id",
        "amount_untaxed",
        "state",
    ),
    "stock.picking": (
        "company_id",
        "partner_id",
        "name",
        "origin",
        "scheduled_date",
        "state",
    ),
    "account.move": (
        "company_id",
        "partner_id",
        "name",
        "invoice_date",
        "invoice_date_due",
        "currency_id",
        "amount_residual_signed",
        "payment_state",
    ),
}
# The parts of the overview, each read by ``_get_customer_overview_<part>``:
# the client reads the figure cards and the revenue chart for its first paint,
# the rest right after it (``parts=OVERVIEW_AFTER_PAINT_PARTS``: segment and
# care badges, the lists), the timeline's events last.
OVERVIEW_PARTS = (
    "figures",
    "revenue_by_month",
    "badges",
    "care",
    "open_items",
    "orders",
)
OVERVIEW_AFTER_PAINT_PARTS = ("badges", "care", "open_items", "orders")


class ResPartner(models.Model):
    """Customer 360 figures on every contact, computed on its commercial entity.

    Storage design
    --------------
    The figures are ``company_dependent=True`` fields: one jsonb column per
    figure holding ``{"<company_id>": value}``. Odoo 18 reads, searches and
    sorts them in SQL for the current company (``BaseModel._field_to_sql``
    extracts ``column->'<env.company.id>'``), so the partner list can show,
    sort, filter and group by them like plain stored fields, and each company
    only ever sees its own figures. A separate per-(partner, company) table
    would need custom search methods and could not be sorted in lists.

    The figures are not ORM computes (Odoo does not compute company-dependent
    fields): :meth:`_cou_refresh_customer_360` recomputes them set-based for a
    recordset, one grouped SQL query per family of figures for all companies
    at once, and writes every company's value with a single ``UPDATE``. The
    same values are written on the commercial entity and on all its contacts
    and addresses, so a contact shows (and sorts by) its company's figures.

    Callers that keep the figures correct: sale orders (confirm, cancel,
    partner/date/lines change), invoices (post, reset, cancel), reconciliation
    (payments), outgoing pickings (created, done, cancelled), contacts moving
    between companies (``parent_id``/``is_company`` change), a daily cron for
    "overdue" (which changes with the date alone). Bulk loaders may pass the
    context key ``cou_skip_customer_360`` and call
    :meth:`_cou_refresh_customer_360_all` once at the end.

    Sources of the figures (all amounts in the company currency, untaxed):

    * orders: confirmed sale orders (``state = 'sale'``, returns left out),
      by order date; the *Ordered Revenue* is their untaxed amount converted
      at the order's rate (``sale.order._cou_order_revenue_sql``), the average
      order value that revenue divided by their number.
    * revenue (*Invoiced Revenue*, field ``customer_lifetime_revenue``):
      posted customer invoices minus posted credit notes
      (``amount_untaxed_signed``, already in company currency). Invoices are
      the accounting truth: a return only lowers revenue once refunded, and a
      refunded then re-invoiced order is counted once.
    * deliveries: outgoing pickings neither done nor cancelled.
    * overdue: residual of posted, unreconciled receivable lines whose due
      date is past (as Odoo's follow-up reports compute it).
    * other capabilities add their families of figures by extending
      :meth:`_get_customer_360_families` (complaints add open complaints).

    Documents roll up through their partner's *current* commercial entity, as
    Odoo's own smart buttons (``child_of``) do: when a contact moves to
    another company, its history moves with it.
    """

    _inherit = "res.partner"

    # === FIELDS === #

    customer_order_count = fields.Integer(
        string="Confirmed Orders",
        company_dependent=True,
        prefetch=CUSTOMER_360_PREFETCH,
        readonly=True,
        groups=CUSTOMER_360_GROUP,
        help="Confirmed sale orders of the customer (its company and all its contacts) "
        "in the current company, returns left out.",
    )
    # The public name stays (automated actions and filters use it); what it
    # holds is named for what it is: the invoiced revenue.
    customer_lifetime_revenue = fields.Float(
        string="Invoiced Revenue",
        company_dependent=True,
        prefetch=CUSTOMER_360_PREFETCH,
        readonly=True,
        digits="Account",
        groups=CUSTOMER_360_GROUP,
        help="Posted customer invoices minus posted credit notes of the customer "
        "(its company and all its contacts), untaxed, in the company currency. "
        "An order counts once invoiced, a return once refunded.",
    )
    customer_ordered_revenue = fields.Float(
        string="Ordered Revenue",
        company_dependent=True,
        prefetch=CUSTOMER_360_PREFETCH,
        readonly=True,
        digits="Account",
        groups=CUSTOMER_360_GROUP,
        help="Untaxed amount of the customer's confirmed sale orders (returns left "
        "out), in the company currency at each order's rate, invoiced or not.",
    )
    customer_avg_order_value = fields.Float(
        string="Average Order Value",
        company_dependent=True,
        prefetch=CUSTOMER_360_PREFETCH,
        readonly=True,
        digits="Account",
        groups=CUSTOMER_360_GROUP,
        help="Ordered Revenue divided by the number of confirmed orders.",
    )
    customer_first_order_date = fields.Date(
        string="First Order",
        company_dependent=True,
        prefetch=CUSTOMER_360_PREFETCH,
        readonly=True,
        groups=CUSTOMER_360_GROUP,
    )
    customer_last_order_date = fields.Date(
        string="Last Order",
        company_dependent=True,
        prefetch=CUSTOMER_360_PREFETCH,
        readonly=True,
        groups=CUSTOMER_360_GROUP,
    )
    customer_order_interval_days = fields.Float(
        string="Days Between Orders",
        company_dependent=True,
        prefetch=CUSTOMER_360_PREFETCH,
        readonly=True,
        digits=(16, 1),
        groups=CUSTOMER_360_GROUP,
        help="Mean number of days between two consecutive confirmed orders.",
    )
    customer_next_order_date = fields.Date(
        string="Next Expected Order",
        company_dependent=True,
        prefetch=CUSTOMER_360_PREFETCH,
        readonly=True,
        groups=CUSTOMER_360_GROUP,
        help="Last order date plus the mean interval between orders "
        "(needs at least two orders).",
    )
    customer_open_delivery_count = fields.Integer(
        string="Open Deliveries",
        company_dependent=True,
        prefetch=CUSTOMER_360_PREFETCH,
        readonly=True,
        groups=CUSTOMER_360_GROUP,
        help="Outgoing transfers that are neither done nor cancelled.",
    )
    customer_overdue_amount = fields.Float(
        string="Overdue Amount",
        company_dependent=True,
        prefetch=CUSTOMER_360_PREFETCH,
        readonly=True,
        digits="Account",
        groups=CUSTOMER_360_GROUP,
        help="Receivable past its due date, in the company currency.",
    )
    customer_currency_id = fields.Many2one(
        comodel_name="res.currency",
        string="Customer 360 Currency",
        compute="_compute_customer_currency_id",
        groups=CUSTOMER_360_GROUP,
    )

    # Customer Hub dashboard: searchable, live (see cou.dashboard)
    cou_customer_status = fields.Selection(
        selection=[
            ("new", "New"),
            ("returning", "Returning"),
            ("lapsed", "Lapsed"),
        ],
        string="Customer Status",
        compute="_compute_cou_customer_status",
        search="_search_cou_customer_status",
        groups=CUSTOMER_360_GROUP,
        help="From the confirmed orders of the selected companies: New, first order "
        "in the last 12 months; Returning, ordered in the last 12 months and before; "
        "Lapsed, ordered in the 12 months before but not in the last 12 months.",
    )
    cou_repeat_buyer = fields.Boolean(
        string="Repeat Customer",
        compute="_compute_cou_customer_status",
        search="_search_cou_repeat_buyer",
        groups=CUSTOMER_360_GROUP,
        help="Placed two confirmed orders or more in the last 12 months (selected "
        "companies).",
    )

    # Sources of the figures, read with the user's access rights.
    customer_recent_order_ids = fields.Many2many(
        comodel_name="sale.order",
        string="Last 5 Orders and Quotations",
        compute="_compute_customer_context",
        compute_sudo=False,
        groups=CUSTOMER_360_GROUP,
    )
    customer_open_picking_ids = fields.Many2many(
        comodel_name="stock.picking",
        string="Open Delivery Orders",
        compute="_compute_customer_context",
        compute_sudo=False,
        groups=CUSTOMER_360_GROUP,
    )
    customer_unpaid_invoice_ids = fields.Many2many(
        comodel_name="account.move",
        string="Unpaid Invoices",
        compute="_compute_customer_context",
        compute_sudo=False,
        groups=CUSTOMER_360_GROUP,
    )
    cou_salutation = fields.Char(
        string="Salutation",
        compute="_compute_cou_salutation",
        help="How the contact is addressed in what it receives (emails, portal), in "
        "the language being written: its name, in Japanese followed by 様 for a "
        "person and 御中 for a company (a person of a company after its company's "
        "name).",
    )

    # === COMPUTE METHODS === #

    @api.depends(
        "name",
        "is_company",
        "parent_id.name",
        "parent_id.commercial_partner_id.name",
        "parent_id.commercial_partner_id.is_company",
    )
    @api.depends_context("lang")
    def _compute_cou_salutation(self):
        lang = self.env.lang or "en_US"
        for partner in self:
            partner.cou_salutation = partner._get_cou_salutation(lang)

    def _get_cou_salutation(self, lang):
        """Override point: the salutation of one contact in ``lang``."""
        self.ensure_one()
        if not self.name:
            # an address without a name of its own is its company's
            return self.parent_id._get_cou_salutation(lang) if self.parent_id else ""
        if not lang.startswith("ja"):
            return self.name
        if self.is_company:
            return f"{self.name} 御中"
        company = self.parent_id.commercial_partner_id
        if company.is_company and company.name:
            return f"{company.name} {self.name} 様"
        return f"{self.name} 様"

    @api.depends_context("company")
    def _compute_customer_currency_id(self):
        self.customer_currency_id = self.env.company.currency_id

    @api.depends_context("company", "allowed_company_ids", "uid")
    def _compute_cou_customer_status(self):
        statuses = self.env["cou.dashboard"]._cou_read_customer_statuses(
            self.commercial_partner_id.ids
        )
        for partner in self:
            status, repeat = statuses.get(partner.commercial_partner_id.id, (False, 0))
            partner.cou_customer_status = status
            partner.cou_repeat_buyer = repeat

    def _search_cou_customer_status(self, operator, value):
        if operator not in ("=", "in"):
            return NotImplemented
        values = [value] if operator == "=" else list(value)
        Dashboard = self.env["cou.dashboard"]
        # the customers themselves (commercial entities), not their contacts
        return [
            (
                "id",
                "in",
                SQL(
                    "(%s)",
                    SQL(" UNION ").join(
                        Dashboard._cou_customer_ids_sql(status)
                        for status in values
                        if status
                    )
                    or SQL("SELECT NULL::int WHERE FALSE"),
                ),
            )
        ]

    def _search_cou_repeat_buyer(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            return NotImplemented
        ids = self.env["cou.dashboard"]._cou_customer_ids_sql("repeat")
        positive = (operator == "=") == value
        return [("id", "in" if positive else "not in", ids)]

    @api.depends("commercial_partner_id")
    @api.depends_context("company", "uid")
    def _compute_customer_context(self):
        """Last five orders and quotations, open deliveries and unpaid invoices
        of each record's commercial entity, in the current company, restricted
        by the user's access rights (a salesman on "own documents" only sees his
        own). One query per list for the whole recordset, which also fetches
        the columns the Customer tab shows (``CONTEXT_LIST_FIELDS``): no
        separate search of the contacts, no second read of the rows."""
        commercial = self.commercial_partner_id
        company = self.env.company
        per_partner = defaultdict(lambda: defaultdict(list))
        found = {}  # several customers: the lists' records, to sort out
        for fname, (model, domain, order, limit) in self._get_customer_context_lists(
            commercial, company
        ).items():
            Model = self.env[model]
            if not Model.has_access("read"):
                continue
            if limit and len(commercial) > 1:
                # several customers (a list of documents): the first ``limit``
                # of each, not their whole histories
                domain = [
                    (
                        "id",
                        "in",
                        self._cou_first_per_customer(model, domain, order, limit),
                    )
                ]
                limit = None
            records = Model.search_fetch(
                domain,
                [
                    name
                    for name in CONTEXT_LIST_FIELDS[model]
                    if Model._fields[name].is_accessible(self.env)
                ],
                order=order,
                limit=limit,
            )
            if len(commercial) == 1:
                per_partner[commercial.id][fname] = records.ids
            else:
                found[fname] = records
        if found:
            # the contacts' commercial entities, one small read for all lists
            self.env["res.partner"].union(
                *(records.partner_id for records in found.values())
            ).fetch(["commercial_partner_id"])
            for fname, records in found.items():
                for record in records:
                    per_partner[record.partner_id.commercial_partner_id.id][
                        fname
                    ].append(record.id)
        for partner in self:
            values = per_partner[partner.commercial_partner_id.id]
            partner.customer_recent_order_ids = [
                fields.Command.set(values["customer_recent_order_ids"])
            ]
            partner.customer_open_picking_ids = [
                fields.Command.set(values["customer_open_picking_ids"])
            ]
            partner.customer_unpaid_invoice_ids = [
                fields.Command.set(values["customer_unpaid_invoice_ids"])
            ]

    @api.model
    def _get_customer_context_lists(self, commercial, company):
        """The lists of the customer context: ``{field: (model, domain, order,
        limit per customer)}``. The documents of the customers' contacts are
        found through their stored commercial entity (as the figures roll them
        up), in one query with the list's own conditions; the open states are
        listed (not "not done") so that the small partial index of open
        transfers serves the search."""
        customer = ("partner_id.commercial_partner_id", "in", commercial.ids)
        return {
            "customer_recent_order_ids": (
                "sale.order",
                [customer, ("company_id", "=", company.id)],
                "date_order desc, id desc",
                5,
            ),
            "customer_open_picking_ids": (
                "stock.picking",
                [
                    customer,
                    ("company_id", "=", company.id),
                    ("picking_type_code", "=", "outgoing"),
                    ("state", "in", OPEN_PICKING_STATES),
                ],
                "scheduled_date, id",
                None,
            ),
            "customer_unpaid_invoice_ids": (
                "account.move",
                [
                    customer,
                    ("company_id", "=", company.id),
                    ("move_type", "in", ("out_invoice", "out_refund")),
                    ("state", "=", "posted"),
                    ("payment_state", "in", ("not_paid", "partial")),
                ],
                "invoice_date_due, id",
                None,
            ),
        }

    @api.model
    def _cou_first_per_customer(self, model, domain, order, limit):
        """SQL subquery: the ids of the first ``limit`` records (in ``order``)
        of each commercial entity among the ``model`` records matching
        ``domain`` that the user may read."""
        Model = self.env[model]
        query = Model._search(domain)
        table = query.table
        query_sql = query.select(
            SQL("%s AS id", SQL.identifier(table, "id")),
            SQL(
                "ROW_NUMBER() OVER (PARTITION BY (SELECT p.commercial_partner_id"
                " FROM res_partner p WHERE p.id = %s) ORDER BY %s) AS rank",
                SQL.identifier(table, "partner_id"),
                Model._order_to_sql(order, query),
            ),
        )
        return SQL(
            "(SELECT ranked.id FROM (%s) AS ranked WHERE ranked.rank <= %s)",
            query_sql,
            limit,
        )

    # === CRUD METHODS === #

    def init(self):
        res = super().init()
        # The Customer 360 figures read, per contact, its open transfers and
        # its open receivables: small partial indexes (most transfers are
        # done, most receivables reconciled).
        create_index(
            self.env.cr,
            "cou_stock_picking_open_partner_idx",
            "stock_picking",
            ["partner_id"],
            where="state NOT IN ('done', 'cancel') AND partner_id IS NOT NULL",
        )
        create_index(
            self.env.cr,
            "cou_account_move_line_open_partner_idx",
            "account_move_line",
            ["partner_id"],
            where="parent_state = 'posted' AND reconciled IS NOT TRUE"
            " AND date_maturity IS NOT NULL AND partner_id IS NOT NULL",
        )
        # Every figure and list of a customer starts from its contacts
        # (``commercial_partner_id = ANY(...)``): a covering index, so that
        # the planner looks them up instead of filtering a whole index of
        # (id, commercial partner) (1,000 customers: 15 ms to 3.5 ms per
        # figure query). Both columns are indexed already: no update of a
        # partner becomes a non-HOT one.
        create_index(
            self.env.cr,
            "cou_res_partner_contacts_idx",
            self._table,
            ["commercial_partner_id", "id"],
        )
        # The customer context lists the unpaid invoices of a customer: a
        # small partial index (most invoices are paid) instead of a read of
        # the customer's whole invoice history.
        create_index(
            self.env.cr,
            "cou_account_move_unpaid_partner_idx",
            "account_move",
            ["partner_id"],
            where="move_type IN ('out_invoice', 'out_refund') AND state = 'posted'"
            " AND payment_state IN ('not_paid', 'partial') AND partner_id IS NOT NULL",
        )
        return res

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._cou_check_no_figure_written(vals)
        partners = super().create(vals_list)
        # A new contact of an existing company shows the company's figures.
        contacts = partners.filtered("parent_id")
        if contacts and not self.env.context.get("cou_skip_customer_360"):
            contacts._cou_copy_customer_360_from_commercial()
        return partners

    def write(self, vals):
        self._cou_check_no_figure_written(vals)
        moving = self.browse()
        if {"parent_id", "is_company"} & set(vals) and not self.env.context.get(
            "cou_skip_customer_360"
        ):
            moving = self | self.commercial_partner_id
        res = super().write(vals)
        if moving:
            # old commercial entities lose the contact's documents, new ones gain them
            (moving | self.commercial_partner_id)._cou_mark_customer_360_dirty()
        return res

    @api.model
    def _cou_check_no_figure_written(self, vals):
        """The figures follow from the documents: only their refresh (in SQL)
        writes them, never a user, an import or an automated action."""
        written = set(vals) & set(self._cou_customer_360_fnames())
        if written:
            fields_ = self._fields
            raise AccessError(
                self.env._(
                    "Customer 360 figures are computed from the customer's orders, "
                    "deliveries, invoices and payments; they cannot be written "
                    "(%(fields)s).",
                    fields=", ".join(
                        sorted(
                            fields_[f]._description_string(self.env) for f in written
                        )
                    ),
                )
            )

    def _order_field_to_sql(self, alias, field_name, direction, nulls, query):
        # A figure without a value for the current company means 0 (nothing
        # bought, nothing overdue): sort it as the smallest value, so sorting a
        # list by revenue descending starts with the best customers, not with
        # the customers that never ordered.
        if (
            not nulls.code
            and field_name in self._fields
            and field_name.startswith("customer_")
            and self._fields[field_name].company_dependent
        ):
            nulls = (
                SQL("NULLS LAST") if direction.code == "DESC" else SQL("NULLS FIRST")
            )
        return super()._order_field_to_sql(alias, field_name, direction, nulls, query)

    # === ACTION METHODS === #

    def action_cou_view_customer(self):
        """Open the commercial entity (the customer) of this contact."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "res.partner",
            "res_id": self.commercial_partner_id.id,
            "views": [(False, "form")],
            "target": "current",
        }

    def action_cou_view_deliveries(self):
        """Open the customer's outgoing transfers (open ones first by default)."""
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "stock.action_picking_tree_all"
        )
        action["domain"] = [
            ("partner_id", "child_of", self.commercial_partner_id.id),
            ("picking_type_code", "=", "outgoing"),
        ]
        action["context"] = {"search_default_available": 0, "create": False}
        return action

    def action_cou_view_invoices(self):
        """Open the customer's invoices and credit notes."""
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "account.action_move_out_invoice_type"
        )
        action["domain"] = [
            ("partner_id", "child_of", self.commercial_partner_id.id),
            ("move_type", "in", ("out_invoice", "out_refund")),
        ]
        action["context"] = {"default_move_type": "out_invoice", "create": False}
        return action

    def action_cou_view_orders(self):
        """Open the customer's sale orders (quotations included)."""
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id("sale.action_orders")
        action["domain"] = [("partner_id", "child_of", self.commercial_partner_id.id)]
        action["context"] = {"create": False}
        return action

    # === BUSINESS METHODS === #
    # Customer 360 refresh

    @api.model
    def _get_customer_360_families(self):
        """Families of figures: ``{family: (method name, field names)}``.

        Each method is called on a recordset of commercial partners and returns
        ``{(commercial_partner_id, company_id): {field name: value}}`` computed
        with one grouped query for the whole recordset. Extend to add a family.
        """
        return {
            "orders": (
                "_get_customer_360_order_figures",
                (
                    "customer_order_count",
                    "customer_ordered_revenue",
                    "customer_avg_order_value",
                    "customer_first_order_date",
                    "customer_last_order_date",
                    "customer_order_interval_days",
                    "customer_next_order_date",
                ),
            ),
            "revenue": (
                "_get_customer_360_revenue_figures",
                ("customer_lifetime_revenue",),
            ),
            "deliveries": (
                "_get_customer_360_delivery_figures",
                ("customer_open_delivery_count",),
            ),
            "overdue": (
                "_get_customer_360_overdue_figures",
                ("customer_overdue_amount",),
            ),
        }

    def _cou_mark_customer_360_dirty(self, families=None):
        """Queue a refresh of the figures of these partners' customers.

        Business events (an order confirmed, a delivery done, an invoice
        posted, a payment reconciled...) call this instead of refreshing: the
        partners and families collect in ``cr.precommit.data`` and are
        recomputed once per transaction, set-based, by a ``precommit`` hook
        (as ``mail.thread`` finalizes its tracking), or earlier as soon as a
        figure is read or searched in the same transaction (see
        :meth:`flush_model`), so automated actions never read a stale figure.

        :param families: family names (see :meth:`_get_customer_360_families`);
            all families when None.
        """
        if not self or self.env.context.get("cou_skip_customer_360"):
            return
        precommit = self.env.cr.precommit
        pending = precommit.data.get(PENDING_REFRESH_KEY)
        if pending is None:
            pending = precommit.data[PENDING_REFRESH_KEY] = {
                "ids": set(),
                "families": set(),
            }
            precommit.add(self.env["res.partner"].sudo()._cou_run_pending_customer_360)
        # the current commercial entities too: a contact that moves away
        # takes its documents from them (the new ones are resolved at refresh)
        pending["ids"].update(self.ids)
        pending["ids"].update(self.sudo().commercial_partner_id.ids)
        all_families = self._get_customer_360_families()
        pending["families"].update(all_families if families is None else families)
        # figures already in cache are stale: the next read flushes and refetches
        self.invalidate_model(
            self._cou_customer_360_fnames(pending["families"]), flush=False
        )

    def _cou_run_pending_customer_360(self):
        """Run the refresh queued by :meth:`_cou_mark_customer_360_dirty`."""
        pending = self.env.cr.precommit.data.pop(PENDING_REFRESH_KEY, None)
        if not pending or not pending["ids"]:
            return
        partners = (
            self.env["res.partner"].sudo().browse(sorted(pending["ids"])).exists()
        )
        partners._cou_refresh_customer_360(sorted(pending["families"]))

    @api.model
    def _cou_customer_360_fnames(self, families=None):
        all_families = self._get_customer_360_families()
        return [
            fname
            for family, (_method, fnames) in all_families.items()
            if families is None or family in families
            for fname in fnames
        ]

    def flush_model(self, fnames=None):
        # A figure read or searched while a refresh is pending (same
        # transaction as the event): refresh first, so it is never stale.
        # (``fnames=None`` is a flush of the ORM's pending writes, which never
        # hold the figures: they are written in SQL.)
        pending = self.env.cr.precommit.data.get(PENDING_REFRESH_KEY)
        if (
            pending
            and fnames
            and not set(self._cou_customer_360_fnames()).isdisjoint(fnames)
        ):
            self._cou_run_pending_customer_360()
        return super().flush_model(fnames)

    def _fetch_query(self, query, fields):
        # A figure read while a refresh is pending: refresh first (reading
        # does not flush, the figures are not ORM-dirty).
        pending = self.env.cr.precommit.data.get(PENDING_REFRESH_KEY)
        if pending:
            fnames = set(self._cou_customer_360_fnames())
            if any(field.name in fnames for field in fields):
                self._cou_run_pending_customer_360()
        return super()._fetch_query(query, fields)

    def _cou_refresh_customer_360(self, families=None):
        """Recompute the Customer 360 figures of the commercial entities of
        ``self`` for every company, and write them on those entities and all
        their contacts. One grouped query per family plus one ``UPDATE``,
        whatever the number of partners.

        :param families: iterable of family names (see
            :meth:`_get_customer_360_families`); all families when None.
        """
        if self.env.context.get("cou_skip_customer_360"):
            return
        self.flush_model(["parent_id", "commercial_partner_id"])
        commercial = self.sudo().commercial_partner_id
        if not commercial:
            return
        all_families = self._get_customer_360_families()
        families = all_families if families is None else families
        fnames = []
        data = {str(pid): defaultdict(dict) for pid in commercial.ids}
        for family in families:
            method, family_fnames = all_families[family]
            fnames.extend(family_fnames)
            for (partner_id, company_id), values in getattr(
                commercial, method
            )().items():
                if str(partner_id) not in data:
                    continue
                for fname, value in values.items():
                    if value:  # no key: the field's default (0 or empty)
                        data[str(partner_id)][fname][str(company_id)] = value
        self.flush_model(fnames)
        new_values = [
            SQL("NULLIF(d.val -> %s, '{}'::jsonb)", fname) for fname in fnames
        ]
        assignments = SQL(", ").join(
            SQL("%s = %s", SQL.identifier(fname), value)
            for fname, value in zip(fnames, new_values, strict=True)
        )
        # Rows whose figures do not change are not written: a refresh of
        # customers without news (the daily overdue run, a batch after a
        # partial load) costs the reading queries only, no new row versions.
        self.env.cr.execute(
            SQL(
                """UPDATE res_partner AS p
                      SET %(assignments)s
                     FROM jsonb_each(%(data)s::jsonb) AS d(key, val)
                    WHERE p.commercial_partner_id = d.key::int
                      AND (%(old)s) IS DISTINCT FROM (%(new)s)""",
                assignments=assignments,
                data=json.dumps(data),
                old=SQL(", ").join(SQL.identifier("p", fname) for fname in fnames),
                new=SQL(", ").join(new_values),
            )
        )
        self.invalidate_model(fnames)

    def _cou_copy_customer_360_from_commercial(self):
        """Copy the stored figures of each record's commercial entity onto it
        (new contacts); one query."""
        fnames = self._cou_customer_360_fnames()
        self.flush_model(fnames + ["commercial_partner_id"])
        self.env.cr.execute(
            SQL(
                """UPDATE res_partner AS p
                      SET %(assignments)s
                     FROM res_partner AS cp
                    WHERE p.id = ANY(%(ids)s)
                      AND cp.id = p.commercial_partner_id
                      AND cp.id != p.id""",
                assignments=SQL(", ").join(
                    SQL("%s = %s", SQL.identifier(f), SQL.identifier("cp", f))
                    for f in fnames
                ),
                ids=self.ids,
            )
        )
        self.invalidate_recordset(fnames)

    @api.model
    def _cou_refresh_customer_360_all(
        self, batch_size=1000, families=None, commit=False
    ):
        """Refresh the figures of every commercial entity, by batches (after a
        bulk load that skipped the refresh, or from a cron).

        :param commit: commit after each batch (long runs outside a test or
            an install): the batches are then chunks of a job run
            (cou.job.chunk) that the cron workers of every server share; the
            refresh recomputes from the sources, so a batch run twice or
            concurrently writes the same values.
        """
        self.env.cr.execute(
            "SELECT id FROM res_partner WHERE id = commercial_partner_id ORDER BY id"
        )
        ids = [row[0] for row in self.env.cr.fetchall()]
        if commit:
            return self._cou_refresh_customer_360_chunks(
                "customer360_all", ids, batch_size, families
            )
        self._cou_refresh_customer_360_batches(ids, batch_size, families, commit)

    @api.model
    def _cou_refresh_customer_360_chunks(self, job, ids, batch_size, families):
        """Refresh ``ids`` as a job run of chunks of ``batch_size`` customers."""
        return self.env["cou.job.chunk"]._cou_run_job(
            job,
            [
                [
                    {
                        "model": "res.partner",
                        "method": "_cou_job_refresh_customer_360",
                        "ids": ids[start : start + batch_size],
                        "kwargs": {"families": families},
                    }
                    for start in range(0, len(ids), batch_size)
                ]
            ],
        )

    def _cou_job_refresh_customer_360(self, families=None):
        """One chunk of a Customer 360 refresh run (cou.job.chunk)."""
        self._cou_refresh_customer_360(families)
        self.env.invalidate_all()

    @api.model
    def _cou_refresh_customer_360_batches(self, ids, batch_size, families, commit):
        for start in range(0, len(ids), batch_size):
            self.browse(ids[start : start + batch_size])._cou_refresh_customer_360(
                families
            )
            if commit:
                done = min(start + batch_size, len(ids))
                self.env["ir.cron"]._notify_progress(
                    done=done, remaining=len(ids) - done
                )
                self.env.cr.commit()  # pylint: disable=invalid-commit (batch cron: keep each batch)
            self.env.invalidate_all()

    @api.model
    def _cron_cou_refresh_overdue(self, batch_size=1000):
        """Daily: "overdue" changes with the date alone. Refresh the customers
        that have open receivables or a stored overdue amount, in chunks of
        ``batch_size`` customers that the cron workers of every server share."""
        self.env["account.move.line"].flush_model(
            ["partner_id", "reconciled", "parent_state"]
        )
        self.env.cr.execute(
            SQL(
                """SELECT DISTINCT p.commercial_partner_id
                     FROM account_move_line aml
                     JOIN account_account aa ON aa.id = aml.account_id
                     JOIN res_partner p ON p.id = aml.partner_id
                    WHERE aa.account_type = 'asset_receivable'
                      AND aml.parent_state = 'posted'
                      AND aml.reconciled IS NOT TRUE
                    UNION
                   SELECT id FROM res_partner
                    WHERE id = commercial_partner_id AND customer_overdue_amount IS NOT
                        NULL"""
            )
        )
        ids = sorted(row[0] for row in self.env.cr.fetchall())
        # chunks shared by the cron workers of every server (cou.job.chunk)
        self._cou_refresh_customer_360_chunks(
            "customer360_overdue", ids, batch_size, ["overdue"]
        )

    def _get_customer_360_order_figures(self):
        rows = self.env["sale.order"]._cou_read_customer_order_figures(self.ids)
        currencies = self._cou_company_currencies({row[1] for row in rows})
        result = {}
        for partner_id, company_id, count, first, last, amount in rows:
            interval = (last - first).days / (count - 1) if count > 1 else 0.0
            result[partner_id, company_id] = {
                "customer_order_count": count,
                "customer_ordered_revenue": currencies[company_id].round(amount),
                "customer_avg_order_value": currencies[company_id].round(
                    amount / count
                ),
                "customer_first_order_date": first.isoformat(),
                "customer_last_order_date": last.isoformat(),
                "customer_order_interval_days": round(interval, 1),
                "customer_next_order_date": count > 1
                and (last + timedelta(days=round(interval))).isoformat(),
            }
        return result

    def _get_customer_360_revenue_rows(self):
        """Revenue per customer: ``[(commercial partner id, company id, amount)]``,
        posted invoices minus credit notes, in company currency. Extend to add
        revenue that lives outside Odoo's invoices (imported history)."""
        self.env["account.move"].flush_model(
            ["state", "move_type", "partner_id", "company_id", "amount_untaxed_signed"]
        )
        # per contact (LATERAL): index lookups by partner, whatever the
        # planner guesses of the other conditions
        self.env.cr.execute(
            SQL(
                """SELECT p.commercial_partner_id, am.company_id, SUM(am.amount)
                     FROM res_partner p
                     CROSS JOIN LATERAL (
                           SELECT am.company_id, SUM(am.amount_untaxed_signed) AS amount
                             FROM account_move am
                            WHERE am.partner_id = p.id
                              AND am.state = 'posted'
                              AND am.move_type IN ('out_invoice', 'out_refund')
                         GROUP BY am.company_id
                     ) AS am
                    WHERE p.commercial_partner_id = ANY(%s)
                 GROUP BY p.commercial_partner_id, am.company_id""",
                self.ids,
            )
        )
        return self.env.cr.fetchall()

    def _get_customer_360_revenue_figures(self):
        rows = self._get_customer_360_revenue_rows()
        currencies = self._cou_company_currencies({row[1] for row in rows})
        return {
            (partner_id, company_id): {
                "customer_lifetime_revenue": currencies[company_id].round(amount or 0.0)
            }
            for partner_id, company_id, amount in rows
        }

    def _get_customer_360_delivery_figures(self):
        self.env["stock.picking"].flush_model(
            ["state", "partner_id", "company_id", "picking_type_id"]
        )
        # per contact, from the index of open transfers (see init)
        self.env.cr.execute(
            SQL(
                """SELECT p.commercial_partner_id, sp.company_id, SUM(sp.count)::int
                     FROM res_partner p
                     CROSS JOIN LATERAL (
                           SELECT sp.company_id, COUNT(*) AS count
                             FROM stock_picking sp
                             JOIN stock_picking_type spt ON spt.id = sp.picking_type_id
                            WHERE sp.partner_id = p.id
                              AND spt.code = 'outgoing'
                              AND sp.state NOT IN ('done', 'cancel')
                         GROUP BY sp.company_id
                     ) AS sp
                    WHERE p.commercial_partner_id = ANY(%s)
                 GROUP BY p.commercial_partner_id, sp.company_id""",
                self.ids,
            )
        )
        return {
            (partner_id, company_id): {"customer_open_delivery_count": count}
            for partner_id, company_id, count in self.env.cr.fetchall()
        }

    def _get_customer_360_overdue_figures(self):
        self.env["account.move.line"].flush_model(
            [
                "partner_id",
                "company_id",
                "account_id",
                "parent_state",
                "reconciled",
                "amount_residual",
                "date_maturity",
            ]
        )
        self.env.cr.execute(
            SQL(
                # per contact, from the index of open receivables (see init)
                """SELECT p.commercial_partner_id, aml.company_id, SUM(aml.amount)
                     FROM res_partner p
                     CROSS JOIN LATERAL (
                           SELECT aml.company_id, SUM(aml.amount_residual) AS amount
                             FROM account_move_line aml
                            WHERE aml.partner_id = p.id
                              AND aml.account_id IN (
                                    SELECT aa.id FROM account_account aa
                                     WHERE aa.account_type = 'asset_receivable')
                              AND aml.parent_state = 'posted'
                              AND aml.reconciled IS NOT TRUE
                              AND aml.date_maturity < %s
                         GROUP BY aml.company_id
                     ) AS aml
                    WHERE p.commercial_partner_id = ANY(%s)
                 GROUP BY p.commercial_partner_id, aml.company_id""",
                fields.Date.today(),
                self.ids,
            )
        )
        rows = self.env.cr.fetchall()
        currencies = self._cou_company_currencies({row[1] for row in rows})
        # Unapplied payments and credit notes past their date lower what is
        # overdue, but a customer in credit owes nothing: never below zero.
        return {
            (partner_id, company_id): {
                "customer_overdue_amount": currencies[company_id].round(
                    max(amount or 0.0, 0.0)
                )
            }
            for partner_id, company_id, amount in rows
        }

    # === BUSINESS METHODS === #
    # Customer overview (the Customer 360 tab of the partner form)

    @api.readonly
    def get_customer_overview(self, parts=None):
        """What the customer overview shows, for the web client, in a
        constant number of queries: the figure cards, the ordered and invoiced
        revenue of the last 24 months by month, badges (segments), care
        attributes, open items (deliveries, unpaid invoices, and what the
        capabilities add: complaints) and the last confirmed orders (the last
        timeline events come after the first paint, from
        :meth:`get_customer_overview_events`). Figures are the stored Customer
        360 figures of the current company (read, never recomputed); lists are
        read with the user's access rights.

        :param parts: the parts to read (keys of :data:`OVERVIEW_PARTS`), all
            by default: the client reads the figures and the chart first, the
            rest (:data:`OVERVIEW_AFTER_PAINT_PARTS`) after the first paint.

        Capabilities extend the ``_get_customer_overview_*`` methods (each
        called on the commercial entity, returns a list of dicts).
        """
        self._cou_overview_check_one()
        self.check_access("read")
        if not self.env.user.has_group(CUSTOMER_360_GROUP):
            raise AccessError(
                self.env._("Only Customer Hub users can see the customer overview.")
            )
        if parts is None:
            parts = OVERVIEW_PARTS
        elif not isinstance(parts, list | tuple) or not all(
            isinstance(part, str) and part in OVERVIEW_PARTS for part in parts
        ):
            raise UserError(
                self.env._(
                    "The parts of the customer overview are among %(parts)s.",
                    parts=", ".join(OVERVIEW_PARTS),
                )
            )
        customer = self.commercial_partner_id
        result = {
            "customer": {
                "id": customer.id,
                "name": customer.display_name,
                "is_contact": customer != self,
            },
            "currency_id": self.env.company.currency_id.id,
        }
        for part in OVERVIEW_PARTS:
            if part in parts:
                result[part] = getattr(customer, f"_get_customer_overview_{part}")()
        return result

    @api.readonly
    def get_customer_overview_events(self):
        """The last events of the customer's timeline, for the overview: read
        after its first paint (the timeline's query is its costliest part)."""
        self._cou_overview_check_one()
        self.check_access("read")
        if not self.env.user.has_group(CUSTOMER_360_GROUP):
            raise AccessError(
                self.env._("Only Customer Hub users can see the customer overview.")
            )
        return self.commercial_partner_id._get_customer_overview_events()

    def _cou_overview_check_one(self):
        """The overview is read for one contact, by its id: a clear error for
        anything else the client sends (no ``ensure_one`` traceback)."""
        pid = self._ids[0] if len(self) == 1 else None
        if not isinstance(pid, int) or isinstance(pid, bool) or not 0 < pid < 2**31:
            raise UserError(
                self.env._("The customer overview is read for one contact at a time.")
            )
        if not self.exists():
            raise MissingError(self.env._("This customer does not exist anymore."))

    def _cou_overview_figure(self, fname, kind, action=False, tone=False, sub=None):
        """A figure card: the field's label, help and value (``kind``:
        monetary, integer, float, date)."""
        field = self._fields[fname]
        return {
            "name": fname,
            "label": field._description_string(self.env),
            "help": field._description_help(self.env) or "",
            "kind": kind,
            "value": field.convert_to_read(self[fname], self) or 0
            if kind != "date"
            else fields.Date.to_string(self[fname]) or False,
            "action": action,
            "tone": tone,
            "sub": sub,
        }

    def _get_customer_overview_figures(self):
        """Figure cards of the overview (extend to add figures)."""
        self.ensure_one()
        next_date = self.customer_next_order_date
        return [
            self._cou_overview_figure(
                "customer_ordered_revenue", "monetary", "action_cou_view_orders"
            ),
            self._cou_overview_figure(
                "customer_lifetime_revenue", "monetary", "action_cou_view_invoices"
            ),
            self._cou_overview_figure(
                "customer_order_count", "integer", "action_cou_view_orders"
            ),
            self._cou_overview_figure("customer_avg_order_value", "monetary"),
            self._cou_overview_figure(
                "customer_last_order_date",
                "date",
                sub=next_date
                and {
                    "label": self._fields[
                        "customer_next_order_date"
                    ]._description_string(self.env),
                    "kind": "date",
                    "value": fields.Date.to_string(next_date),
                },
            ),
            self._cou_overview_figure("customer_order_interval_days", "float"),
            self._cou_overview_figure(
                "customer_overdue_amount",
                "monetary",
                "action_cou_view_invoices",
                tone=self.customer_overdue_amount > 0 and "danger",
            ),
            self._cou_overview_figure(
                "customer_open_delivery_count",
                "integer",
                "action_cou_view_deliveries",
            ),
        ]

    def _get_customer_overview_revenue_by_month(self):
        """Ordered and invoiced revenue of the customer by month, the last 24
        months (the current one included), in the company currency, with the
        figures' definitions (see the fields' help), one query."""
        self.ensure_one()
        SaleOrder = self.env["sale.order"]
        SaleOrder.flush_model(
            ["state", "partner_id", "company_id", "date_order", "amount_untaxed"]
        )
        self.env["account.move"].flush_model(
            ["state", "move_type", "partner_id", "company_id", "invoice_date"]
        )
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        today = fields.Date.context_today(self)
        start = today.replace(day=1) - relativedelta(months=OVERVIEW_MONTHS - 1)
        tz = self.env.context.get("tz") or self.env.user.tz or "UTC"
        self.env.cr.execute(
            SQL(
                """SELECT 'ordered', date_trunc('month', timezone(%(tz)s,
                          so.date_order AT TIME ZONE 'UTC'))::date, SUM(%(revenue)s)
                     FROM sale_order so
                     JOIN res_partner p ON p.id = so.partner_id
                    WHERE so.state = 'sale'
                      AND so.company_id = %(company)s
                      AND p.commercial_partner_id = %(customer)s
                      AND so.date_order >= %(start)s
                      AND NOT %(is_return)s
                 GROUP BY 2
                UNION ALL
                   SELECT 'invoiced', date_trunc('month', am.invoice_date)::date,
                          SUM(am.amount_untaxed_signed)
                     FROM account_move am
                     JOIN res_partner p ON p.id = am.partner_id
                    WHERE am.state = 'posted'
                      AND am.move_type IN ('out_invoice', 'out_refund')
                      AND am.company_id = %(company)s
                      AND p.commercial_partner_id = %(customer)s
                      AND am.invoice_date >= %(start)s
                 GROUP BY 2""",
                tz=tz,
                revenue=SaleOrder._cou_order_revenue_sql("so"),
                company=self.env.company.id,
                customer=self.id,
                start=start,
                is_return=SaleOrder._cou_return_order_sql("so"),
            )
        )
        currency = self.env.company.currency_id
        sums = {
            (kind, month): currency.round(amount or 0.0)
            for kind, month, amount in self.env.cr.fetchall()
        }
        months = [start + relativedelta(months=i) for i in range(OVERVIEW_MONTHS)]
        return {
            "months": [fields.Date.to_string(month) for month in months],
            "ordered": [sums.get(("ordered", month), 0.0) for month in months],
            "invoiced": [sums.get(("invoiced", month), 0.0) for month in months],
        }

    def _get_customer_overview_badges(self):
        """Badges at the top of the overview: ``[{"label", "color", "title"}]``
        (the segment addon adds the customer's segments)."""
        self.ensure_one()
        return []

    def _get_customer_overview_care(self):
        """Care attributes of the customer: ``[{"label", "color", "title"}]``
        (the care addon adds them)."""
        self.ensure_one()
        return []

    def _cou_overview_records(self, model, domain, order, values, fnames=None):
        """The first rows of an open-items list, with the user's rights:
        ``(count, [row dicts])``; ``values(record)`` builds a row from the
        fields ``fnames`` (fetched with the search, in one query). Two
        queries, whatever the customer's history (the count is always read)."""
        Model = self.env[model]
        records = (
            Model.search_fetch(domain, fnames, order=order, limit=OVERVIEW_ITEMS)
            if fnames
            else Model.search(domain, order=order, limit=OVERVIEW_ITEMS)
        )
        count = Model.search_count(domain)
        return count, [
            {"id": record.id, "res_model": model, **values(record)}
            for record in records
        ]

    def _get_customer_overview_open_items(self):
        """Open items of the customer, each a list with its link:
        ``[{"key", "label", "count", "action", "records": [...]}]``; each row
        has ``id``, ``res_model``, ``name``, ``date`` (``date_kind``: date or
        datetime), ``amount``, ``status`` and ``late``. Extend to add lists
        (the complaint addon adds the open complaints)."""
        self.ensure_one()
        company = self.env.company
        now = fields.Datetime.now()
        today = fields.Date.context_today(self)
        items = []
        user = self.env.user
        # the documents of the customer's contacts, as the figures count them
        # (a subquery, not a query per level of contacts)
        customer_domain = [("partner_id.commercial_partner_id", "=", self.id)]
        # as the links of the partner form: only for the roles whose menus
        # open these documents (an invoicing user may read transfers, but
        # works from invoices)
        if self.env["stock.picking"].has_access("read") and user.has_groups(
            OVERVIEW_DELIVERY_GROUPS
        ):
            states = dict(
                self.env["stock.picking"]
                ._fields["state"]
                ._description_selection(self.env)
            )
            count, rows = self._cou_overview_records(
                "stock.picking",
                [
                    *customer_domain,
                    ("company_id", "=", company.id),
                    ("picking_type_code", "=", "outgoing"),
                    ("state", "not in", ("done", "cancel")),
                ],
                "scheduled_date, id",
                lambda picking: {
                    "name": picking.name,
                    "detail": picking.origin or "",
                    "date": fields.Datetime.to_string(picking.scheduled_date),
                    "date_kind": "datetime",
                    "amount": False,
                    "status": states.get(picking.state, picking.state),
                    "late": bool(
                        picking.scheduled_date and picking.scheduled_date < now
                    ),
                },
                ["name", "origin", "scheduled_date", "state"],
            )
            items.append(
                {
                    "key": "deliveries",
                    "label": self.env._("Open Deliveries"),
                    "count": count,
                    "action": "action_cou_view_deliveries",
                    "records": rows,
                }
            )
        if self.env["account.move"].has_access("read") and user.has_groups(
            OVERVIEW_INVOICE_GROUPS
        ):
            states = dict(
                self.env["account.move"]
                ._fields["payment_state"]
                ._description_selection(self.env)
            )
            count, rows = self._cou_overview_records(
                "account.move",
                [
                    *customer_domain,
                    ("company_id", "=", company.id),
                    ("move_type", "in", ("out_invoice", "out_refund")),
                    ("state", "=", "posted"),
                    ("payment_state", "in", ("not_paid", "partial")),
                ],
                "invoice_date_due, id",
                lambda move: {
                    "name": move.name,
                    "detail": move.ref or "",
                    "date": fields.Date.to_string(move.invoice_date_due),
                    "date_kind": "date",
                    "amount": move.amount_residual_signed,
                    "status": states.get(move.payment_state, move.payment_state),
                    "late": bool(
                        move.invoice_date_due and move.invoice_date_due < today
                    ),
                },
                [
                    "name",
                    "ref",
                    "invoice_date_due",
                    "amount_residual_signed",
                    "payment_state",
                ],
            )
            items.append(
                {
                    "key": "invoices",
                    "label": self.env._("Unpaid Invoices"),
                    "count": count,
                    "action": "action_cou_view_invoices",
                    "records": rows,
                }
            )
        return items

    def _get_customer_overview_orders(self):
        """The last confirmed orders (returns left out, as in the Ordered
        Revenue), with the user's rights: their number, the total of the
        listed ones and of all, each amount in the company currency like the
        figure. One query (plus the access subquery)."""
        self.ensure_one()
        SaleOrder = self.env["sale.order"]
        if not SaleOrder.has_access("read") or not self.env.user.has_groups(
            OVERVIEW_ORDER_GROUPS
        ):
            return False
        SaleOrder.flush_model(
            [
                "name",
                "state",
                "date_order",
                "amount_untaxed",
                "currency_rate",
                "client_order_ref",
                "user_id",
            ]
        )
        allowed = SaleOrder._search(
            [
                ("partner_id.commercial_partner_id", "=", self.id),
                ("company_id", "=", self.env.company.id),
                ("state", "=", "sale"),
            ]
        )
        self.env.cr.execute(
            SQL(
                """SELECT so.id, so.name, so.date_order, so.client_order_ref,
                          %(revenue)s, COUNT(*) OVER (), SUM(%(revenue)s) OVER ()
                     FROM sale_order so
                    WHERE so.id IN %(allowed)s
                      AND NOT %(is_return)s
                 ORDER BY so.date_order DESC, so.id DESC
                    LIMIT %(limit)s""",
                revenue=SaleOrder._cou_order_revenue_sql("so"),
                allowed=allowed.subselect(),
                is_return=SaleOrder._cou_return_order_sql("so"),
                limit=OVERVIEW_ORDERS,
            )
        )
        rows = self.env.cr.fetchall()
        currency = self.env.company.currency_id
        return {
            "count": rows[0][5] if rows else 0,
            "total": currency.round(rows[0][6]) if rows else 0.0,
            "shown_total": currency.round(sum(row[4] or 0.0 for row in rows)),
            "records": [
                {
                    "id": order_id,
                    "res_model": "sale.order",
                    "name": name,
                    "date": fields.Datetime.to_string(date_order),
                    "reference": ref or "",
                    "amount": currency.round(amount or 0.0),
                }
                for order_id, name, date_order, ref, amount, _count, _total in rows
            ],
        }

    def _get_customer_overview_events(self):
        """The last events of the customer's timeline."""
        self.ensure_one()
        Event = self.env["cou.timeline.event"]
        if not Event.has_access("read"):
            return []
        icons = Event._get_timeline_icons()
        return [
            {**event, "icon": icons.get(event["event_type"], "fa-circle-o")}
            for event in Event.get_timeline_page(self.id, limit=OVERVIEW_EVENTS)[
                "events"
            ]
        ]

    def _cou_company_currencies(self, company_ids):
        """``{company_id: currency}`` for rounding amounts (companies are cached)."""
        companies = self.env["res.company"].sudo().browse(company_ids)
        return {company.id: company.currency_id for company in companies}
