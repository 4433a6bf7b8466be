import json
from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

CUSTOMER_360_GROUP = "crm_order_unified.group_crm_order_unified_user"


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

    * orders: confirmed sale orders (``state = 'sale'``), by order date;
      the average order value is the mean untaxed order amount converted at
      the order's rate (``amount_untaxed / currency_rate``).
    * revenue: posted customer invoices minus posted credit notes
      (``amount_untaxed_signed``, already in company currency). Invoices are
      the accounting truth: a return only lowers revenue once refunded, and a
      refunded then re-invoiced order is counted once.
    * deliveries: outgoing pickings neither done nor cancelled.
    * overdue: residual of posted, unreconciled receivable lines whose due
      date is past (as Odoo's follow-up reports compute it).
    * complaints: :meth:`_get_open_complaint_counts`, 0 until the complaints
      feature extends it.

    Documents roll up through their partner's *current* commercial entity, as
    Odoo's own smart buttons (``child_of``) do: when a contact moves to
    another company, its history moves with it.
    """

    _inherit = "res.partner"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    customer_order_count = fields.Integer(
        string="Confirmed Orders",
        company_dependent=True,
        readonly=True,
        groups=CUSTOMER_360_GROUP,
        help="Confirmed sale orders of the customer (its company and all its contacts) "
        "in the current company.",
    )
    customer_lifetime_revenue = fields.Float(
        string="Lifetime Revenue",
        company_dependent=True,
        readonly=True,
        digits="Account",
        groups=CUSTOMER_360_GROUP,
        help="Untaxed amount of posted customer invoices minus credit notes, "
        "in the company currency.",
    )
    customer_avg_order_value = fields.Float(
        string="Average Order Value",
        company_dependent=True,
        readonly=True,
        digits="Account",
        groups=CUSTOMER_360_GROUP,
        help="Mean untaxed amount of the confirmed orders, in the company currency.",
    )
    customer_first_order_date = fields.Date(
        string="First Order",
        company_dependent=True,
        readonly=True,
        groups=CUSTOMER_360_GROUP,
    )
    customer_last_order_date = fields.Date(
        string="Last Order",
        company_dependent=True,
        readonly=True,
        groups=CUSTOMER_360_GROUP,
    )
    customer_order_interval_days = fields.Float(
        string="Days Between Orders",
        company_dependent=True,
        readonly=True,
        digits=(16, 1),
        groups=CUSTOMER_360_GROUP,
        help="Mean number of days between two consecutive confirmed orders.",
    )
    customer_next_order_date = fields.Date(
        string="Next Expected Order",
        company_dependent=True,
        readonly=True,
        groups=CUSTOMER_360_GROUP,
        help="Last order date plus the mean interval between orders "
        "(needs at least two orders).",
    )
    customer_open_delivery_count = fields.Integer(
        string="Open Deliveries",
        company_dependent=True,
        readonly=True,
        groups=CUSTOMER_360_GROUP,
        help="Outgoing transfers that are neither done nor cancelled.",
    )
    customer_overdue_amount = fields.Float(
        string="Overdue Amount",
        company_dependent=True,
        readonly=True,
        digits="Account",
        groups=CUSTOMER_360_GROUP,
        help="Receivable past its due date, in the company currency.",
    )
    customer_open_complaint_count = fields.Integer(
        string="Open Complaints",
        company_dependent=True,
        readonly=True,
        groups=CUSTOMER_360_GROUP,
    )
    customer_currency_id = fields.Many2one(
        comodel_name="res.currency",
        string="Customer 360 Currency",
        compute="_compute_customer_currency_id",
        groups=CUSTOMER_360_GROUP,
    )

    # Sources of the figures, read with the user's access rights.
    customer_recent_order_ids = fields.Many2many(
        comodel_name="sale.order",
        string="Last Orders",
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

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends_context("company")
    def _compute_customer_currency_id(self):
        self.customer_currency_id = self.env.company.currency_id

    @api.depends("commercial_partner_id")
    @api.depends_context("company", "uid")
    def _compute_customer_context(self):
        """Last five confirmed/quoted orders, open deliveries and unpaid invoices
        of each record's commercial entity, in the current company, restricted
        by the user's access rights (a salesman on "own documents" only sees his
        own). Three searches for the whole recordset."""
        commercial = self.commercial_partner_id
        company = self.env.company
        per_partner = defaultdict(lambda: defaultdict(list))
        sources = []
        if self.env["sale.order"].has_access("read"):
            sources.append(
                (
                    "customer_recent_order_ids",
                    self.env["sale.order"].search(
                        [
                            ("partner_id", "child_of", commercial.ids),
                            ("company_id", "=", company.id),
                        ],
                        order="date_order desc, id desc",
                        # one customer (a form): fetch five, not its whole history
                        limit=5 if len(commercial) == 1 else None,
                    ),
                    5,
                )
            )
        if self.env["stock.picking"].has_access("read"):
            sources.append(
                (
                    "customer_open_picking_ids",
                    self.env["stock.picking"].search(
                        [
                            ("partner_id", "child_of", commercial.ids),
                            ("company_id", "=", company.id),
                            ("picking_type_code", "=", "outgoing"),
                            ("state", "not in", ("done", "cancel")),
                        ],
                        order="scheduled_date, id",
                    ),
                    None,
                )
            )
        if self.env["account.move"].has_access("read"):
            sources.append(
                (
                    "customer_unpaid_invoice_ids",
                    self.env["account.move"].search(
                        [
                            ("partner_id", "child_of", commercial.ids),
                            ("company_id", "=", company.id),
                            ("move_type", "in", ("out_invoice", "out_refund")),
                            ("state", "=", "posted"),
                            ("payment_state", "in", ("not_paid", "partial")),
                        ],
                        order="invoice_date_due, id",
                    ),
                    None,
                )
            )
        for fname, records, limit in sources:
            for record in records:
                ids = per_partner[record.partner_id.commercial_partner_id.id][fname]
                if limit is None or len(ids) < limit:
                    ids.append(record.id)
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

    # ------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        partners = super().create(vals_list)
        # A new contact of an existing company shows the company's figures.
        contacts = partners.filtered("parent_id")
        if contacts and not self.env.context.get("cou_skip_customer_360"):
            contacts._cou_copy_customer_360_from_commercial()
        return partners

    def write(self, vals):
        moving = self.browse()
        if {"parent_id", "is_company"} & set(vals) and not self.env.context.get(
            "cou_skip_customer_360"
        ):
            moving = self | self.commercial_partner_id
        res = super().write(vals)
        if moving:
            # old commercial entities lose the contact's documents, new ones gain them
            (moving | self.commercial_partner_id)._cou_refresh_customer_360()
        return res

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
            nulls = SQL("NULLS LAST") if direction.code == "DESC" else SQL("NULLS FIRST")
        return super()._order_field_to_sql(alias, field_name, direction, nulls, query)

    # ------------------------------------------------------------
    # ACTION METHODS
    # ------------------------------------------------------------

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
        action = self.env["ir.actions.actions"]._for_xml_id("stock.action_picking_tree_all")
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

    # ------------------------------------------------------------
    # BUSINESS METHODS: Customer 360 refresh
    # ------------------------------------------------------------

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
                    "customer_avg_order_value",
                    "customer_first_order_date",
                    "customer_last_order_date",
                    "customer_order_interval_days",
                    "customer_next_order_date",
                ),
            ),
            "revenue": ("_get_customer_360_revenue_figures", ("customer_lifetime_revenue",)),
            "deliveries": (
                "_get_customer_360_delivery_figures",
                ("customer_open_delivery_count",),
            ),
            "overdue": ("_get_customer_360_overdue_figures", ("customer_overdue_amount",)),
            "complaints": (
                "_get_customer_360_complaint_figures",
                ("customer_open_complaint_count",),
            ),
        }

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
            for (partner_id, company_id), values in getattr(commercial, method)().items():
                if str(partner_id) not in data:
                    continue
                for fname, value in values.items():
                    if value:  # no key: the field's default (0 or empty)
                        data[str(partner_id)][fname][str(company_id)] = value
        self.flush_model(fnames)
        assignments = SQL(", ").join(
            SQL("%s = %s", SQL.identifier(fname), SQL("NULLIF(d.val -> %s, '{}'::jsonb)", fname))
            for fname in fnames
        )
        self.env.cr.execute(
            SQL(
                """UPDATE res_partner AS p
                      SET %(assignments)s
                     FROM jsonb_each(%(data)s::jsonb) AS d(key, val)
                    WHERE p.commercial_partner_id = d.key::int""",
                assignments=assignments,
                data=json.dumps(data),
            )
        )
        self.invalidate_model(fnames)

    def _cou_copy_customer_360_from_commercial(self):
        """Copy the stored figures of each record's commercial entity onto it
        (new contacts); one query."""
        fnames = [
            fname
            for family in self._get_customer_360_families().values()
            for fname in family[1]
        ]
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
                    SQL("%s = %s", SQL.identifier(f), SQL.identifier("cp", f)) for f in fnames
                ),
                ids=self.ids,
            )
        )
        self.invalidate_recordset(fnames)

    @api.model
    def _cou_refresh_customer_360_all(self, batch_size=1000, families=None, commit=False):
        """Refresh the figures of every commercial entity, by batches (after a
        bulk load that skipped the refresh, or from a cron).

        :param commit: commit after each batch (long runs outside a test or
            an install); the refresh recomputes from the sources, so a batch
            run twice or concurrently writes the same values.
        """
        self.env.cr.execute(
            "SELECT id FROM res_partner WHERE id = commercial_partner_id ORDER BY id"
        )
        self._cou_refresh_customer_360_batches(
            [row[0] for row in self.env.cr.fetchall()], batch_size, families, commit
        )

    @api.model
    def _cou_refresh_customer_360_batches(self, ids, batch_size, families, commit):
        for start in range(0, len(ids), batch_size):
            self.browse(ids[start : start + batch_size])._cou_refresh_customer_360(families)
            if commit:
                done = min(start + batch_size, len(ids))
                self.env["ir.cron"]._notify_progress(done=done, remaining=len(ids) - done)
                self.env.cr.commit()
            self.env.invalidate_all()

    @api.model
    def _cron_cou_refresh_overdue(self, batch_size=1000):
        """Daily: "overdue" changes with the date alone. Refresh the customers
        that have open receivables or a stored overdue amount."""
        self.env["account.move.line"].flush_model(["partner_id", "reconciled", "parent_state"])
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
                    WHERE id = commercial_partner_id AND customer_overdue_amount IS NOT NULL"""
            )
        )
        ids = sorted(row[0] for row in self.env.cr.fetchall())
        commit = bool(self.env.context.get("ir_cron_progress_id"))  # running as a cron job
        self._cou_refresh_customer_360_batches(ids, batch_size, ["overdue"], commit)

    def _get_customer_360_order_figures(self):
        self.env["sale.order"].flush_model(
            ["state", "partner_id", "company_id", "date_order", "amount_untaxed", "currency_rate"]
        )
        self.env.cr.execute(
            SQL(
                """SELECT p.commercial_partner_id, so.company_id, COUNT(*),
                          MIN(so.date_order)::date, MAX(so.date_order)::date,
                          SUM(so.amount_untaxed / COALESCE(NULLIF(so.currency_rate, 0), 1))
                     FROM sale_order so
                     JOIN res_partner p ON p.id = so.partner_id
                    WHERE so.state = 'sale'
                      AND p.commercial_partner_id = ANY(%s)
                      AND NOT %s
                 GROUP BY p.commercial_partner_id, so.company_id""",
                self.ids,
                self._cou_imported_return_order_condition("so"),  # [import] hook, see below
            )
        )
        rows = self.env.cr.fetchall()
        currencies = self._cou_company_currencies({row[1] for row in rows})
        result = {}
        for partner_id, company_id, count, first, last, amount in rows:
            interval = (last - first).days / (count - 1) if count > 1 else 0.0
            result[partner_id, company_id] = {
                "customer_order_count": count,
                "customer_avg_order_value": currencies[company_id].round(amount / count),
                "customer_first_order_date": first.isoformat(),
                "customer_last_order_date": last.isoformat(),
                "customer_order_interval_days": round(interval, 1),
                "customer_next_order_date": count > 1
                and (last + timedelta(days=round(interval))).isoformat(),
            }
        return result

    def _get_customer_360_revenue_figures(self):
        self.env["account.move"].flush_model(
            ["state", "move_type", "partner_id", "company_id", "amount_untaxed_signed"]
        )
        self.env.cr.execute(
            SQL(
                """SELECT p.commercial_partner_id, am.company_id, SUM(am.amount_untaxed_signed)
                     FROM account_move am
                     JOIN res_partner p ON p.id = am.partner_id
                    WHERE am.state = 'posted'
                      AND am.move_type IN ('out_invoice', 'out_refund')
                      AND p.commercial_partner_id = ANY(%s)
                 GROUP BY p.commercial_partner_id, am.company_id""",
                self.ids,
            )
        )
        rows = self.env.cr.fetchall()
        rows = self._cou_add_imported_order_revenue(rows)  # [import] hook, see below
        currencies = self._cou_company_currencies({row[1] for row in rows})
        return {
            (partner_id, company_id): {
                "customer_lifetime_revenue": currencies[company_id].round(amount or 0.0)
            }
            for partner_id, company_id, amount in rows
        }

    def _get_customer_360_delivery_figures(self):
        self.env["stock.picking"].flush_model(["state", "partner_id", "company_id", "picking_type_id"])
        self.env.cr.execute(
            SQL(
                """SELECT p.commercial_partner_id, sp.company_id, COUNT(*)
                     FROM stock_picking sp
                     JOIN stock_picking_type spt ON spt.id = sp.picking_type_id
                     JOIN res_partner p ON p.id = sp.partner_id
                    WHERE spt.code = 'outgoing'
                      AND sp.state NOT IN ('done', 'cancel')
                      AND p.commercial_partner_id = ANY(%s)
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
                """SELECT p.commercial_partner_id, aml.company_id, SUM(aml.amount_residual)
                     FROM account_move_line aml
                     JOIN account_account aa ON aa.id = aml.account_id
                     JOIN res_partner p ON p.id = aml.partner_id
                    WHERE aa.account_type = 'asset_receivable'
                      AND aml.parent_state = 'posted'
                      AND aml.reconciled IS NOT TRUE
                      AND aml.date_maturity < %s
                      AND p.commercial_partner_id = ANY(%s)
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
                "customer_overdue_amount": currencies[company_id].round(max(amount or 0.0, 0.0))
            }
            for partner_id, company_id, amount in rows
        }

    def _get_customer_360_complaint_figures(self):
        return {
            key: {"customer_open_complaint_count": count}
            for key, count in self._get_open_complaint_counts().items()
        }

    def _get_open_complaint_counts(self):
        """Extension point of the complaints feature.

        Called on a recordset of commercial partners; returns
        ``{(commercial_partner_id, company_id): number of open complaints}``
        computed with one grouped query for the whole recordset (roll contacts
        up through ``partner_id.commercial_partner_id``). The complaints model
        must also call ``partners._cou_refresh_customer_360(["complaints"])``
        when a complaint is created, changes state, partner or company.
        Until complaints exist, every customer has 0 open complaints.
        """
        return {}

    def _cou_company_currencies(self, company_ids):
        """``{company_id: currency}`` for rounding amounts (companies are cached)."""
        companies = self.env["res.company"].sudo().browse(company_ids)
        return {company.id: company.currency_id for company in companies}

    # ------------------------------------------------------------
    # [segment] Segments and RFM scores (feature: segments)
    # Maintained by the segment feature; the logic lives in cou.segment,
    # cou.segment.member and cou.rfm.score. RFM fields read the scores of the
    # current company (self.env.company) for the commercial entity.
    # ------------------------------------------------------------

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
        comodel_name="cou.rfm.score", inverse_name="partner_id", string="RFM Scores", groups=CUSTOMER_360_GROUP
    )
    rfm_recency_score = fields.Integer(
        string="RFM Recency Score",
        compute="_compute_cou_rfm",
        search="_search_rfm_recency_score",
        groups=CUSTOMER_360_GROUP,
        help="1 (bought longest ago) to 5 (most recent), by quintiles over the company's customers.",
    )
    rfm_frequency_score = fields.Integer(
        string="RFM Frequency Score",
        compute="_compute_cou_rfm",
        search="_search_rfm_frequency_score",
        groups=CUSTOMER_360_GROUP,
        help="1 (fewest orders) to 5 (most orders), by quintiles over the company's customers.",
    )
    rfm_monetary_score = fields.Integer(
        string="RFM Monetary Score",
        compute="_compute_cou_rfm",
        search="_search_rfm_monetary_score",
        groups=CUSTOMER_360_GROUP,
        help="1 (lowest net revenue) to 5 (highest), by quintiles over the company's customers.",
    )
    rfm_segment = fields.Selection(
        selection="_get_cou_rfm_segment_selection",
        string="RFM Segment",
        compute="_compute_cou_rfm",
        search="_search_rfm_segment",
        groups=CUSTOMER_360_GROUP,
    )

    def _get_cou_rfm_segment_selection(self):
        return self.env["cou.rfm.score"]._fields["segment_code"]._description_selection(self.env)

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
            partner.cou_segment_ids = [(6, 0, segments.get(partner.commercial_partner_id.id, []))]

    def _search_cou_segment_ids(self, operator, value):
        if operator in ("=", "!=") and not value:
            # "is set" / "is not set": member of any segment or of none
            current = [("date_to", "=", False)]
            return [("cou_segment_member_ids", "any" if operator == "!=" else "not any", current)]
        negative = operator in ("!=", "not in", "not ilike", "not like")
        positive_operator = {"!=": "=", "not in": "in", "not ilike": "ilike", "not like": "like"}.get(operator, operator)
        if isinstance(value, str):
            condition = [("segment_id.name", positive_operator, value)]
        else:
            condition = [("segment_id", positive_operator, value)]
        member_domain = [("date_to", "=", False), *condition]
        return [("cou_segment_member_ids", "not any" if negative else "any", member_domain)]

    @api.depends_context("company")
    def _compute_cou_rfm(self):
        commercial = self.commercial_partner_id
        scores = self.env["cou.rfm.score"].sudo().search_fetch(
            [("partner_id", "in", commercial.ids), ("company_id", "=", self.env.company.id)],
            ["partner_id", "r_score", "f_score", "m_score", "segment_code"],
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
            scored = [("commercial_partner_id.cou_rfm_score_ids", "any", company_condition)]
            return scored if operator == "!=" else ["!", *scored]
        return [("commercial_partner_id.cou_rfm_score_ids", "any", [*company_condition, (score_field, operator, value)])]

    def _search_rfm_recency_score(self, operator, value):
        return self._search_cou_rfm("r_score", operator, value)

    def _search_rfm_frequency_score(self, operator, value):
        return self._search_cou_rfm("f_score", operator, value)

    def _search_rfm_monetary_score(self, operator, value):
        return self._search_cou_rfm("m_score", operator, value)

    def _search_rfm_segment(self, operator, value):
        return self._search_cou_rfm("segment_code", operator, value)

    # ------------------------------------------------------------
    # [import] order history import (owned by the import feature)
    # ------------------------------------------------------------

    @api.model
    def _cou_imported_return_order_condition(self, alias):
        """SQL condition on the ``sale_order`` row ``alias``: true for an
        imported return order (a cancellation imported in "return orders"
        mode: negative quantities, negative amount). Such an order is a
        refund, not an order: it is left out of the order figures (count,
        average, first/last order dates, rhythm) and lowers the revenue only
        (see :meth:`_cou_add_imported_order_revenue`), as a credit note would."""
        self.env["sale.order"].flush_model(["cou_imported", "amount_untaxed"])
        return SQL(
            "(%s IS TRUE AND %s < 0)",
            SQL.identifier(alias, "cou_imported"),
            SQL.identifier(alias, "amount_untaxed"),
        )

    def _cou_add_imported_order_revenue(self, rows):
        """Revenue of imported history orders that have no invoice in Odoo
        (their invoices live in the previous system): each order's untaxed
        amount in company currency, rounded like an invoice's
        ``amount_untaxed_signed``, added to the invoice revenue ``rows``
        ``[(commercial partner id, company id, amount)]``."""
        self.env["sale.order"].flush_model(
            ["cou_imported", "state", "partner_id", "company_id", "amount_untaxed", "currency_rate"]
        )
        self.env.cr.execute(
            SQL(
                """SELECT p.commercial_partner_id, so.company_id,
                          SUM(ROUND(so.amount_untaxed / COALESCE(NULLIF(so.currency_rate, 0), 1),
                                    cur.decimal_places))
                     FROM sale_order so
                     JOIN res_partner p ON p.id = so.partner_id
                     JOIN res_company c ON c.id = so.company_id
                     JOIN res_currency cur ON cur.id = c.currency_id
                    WHERE so.cou_imported
                      AND so.state = 'sale'
                      AND p.commercial_partner_id = ANY(%s)
                      AND NOT EXISTS (
                          SELECT 1
                            FROM sale_order_line sol
                            JOIN sale_order_line_invoice_rel rel ON rel.order_line_id = sol.id
                           WHERE sol.order_id = so.id)
                 GROUP BY p.commercial_partner_id, so.company_id""",
                self.ids,
            )
        )
        totals = defaultdict(float)
        for partner_id, company_id, amount in rows:
            totals[partner_id, company_id] += amount or 0.0
        for partner_id, company_id, amount in self.env.cr.fetchall():
            totals[partner_id, company_id] += float(amount or 0.0)
        return [(partner_id, company_id, amount) for (partner_id, company_id), amount in totals.items()]

    # ------------------------------------------------------------
    # [complaint] complaints of the customer (owned by the complaint feature;
    # logic in cou.complaint)
    # ------------------------------------------------------------

    cou_complaint_count = fields.Integer(
        string="Complaints",
        compute="_compute_cou_complaint_counts",
        groups="crm_order_unified.group_cou_complaint_user",
    )
    cou_open_complaint_count = fields.Integer(
        string="Open Complaints (all companies)",
        compute="_compute_cou_complaint_counts",
        groups="crm_order_unified.group_cou_complaint_user",
    )

    cou_complaint_rating_count = fields.Integer(
        string="Complaint Ratings",
        compute="_compute_cou_complaint_rating",
        groups="crm_order_unified.group_cou_complaint_user",
        help="Ratings the customer's contacts gave to the handling of their complaints.",
    )
    cou_complaint_rating_satisfaction = fields.Integer(
        string="Complaint Satisfaction (%)",
        compute="_compute_cou_complaint_rating",
        groups="crm_order_unified.group_cou_complaint_user",
        help="Share of satisfied ratings among the customer's complaint ratings.",
    )

    @api.depends_context("uid")  # the complaints the user may read
    def _compute_cou_complaint_counts(self):
        commercial = self.commercial_partner_id
        counts = self.env["cou.complaint"]._get_counts_by("commercial_partner_id", commercial)
        for partner in self:
            total, open_count = counts.get(partner.commercial_partner_id.id, (0, 0))
            partner.cou_complaint_count, partner.cou_open_complaint_count = total, open_count

    def _get_open_complaint_counts(self):
        """Open complaints per (commercial entity, company), one grouped query."""
        groups = self.env["cou.complaint"].sudo()._read_group(
            [("commercial_partner_id", "in", self.ids), ("is_closed", "=", False)],
            ["commercial_partner_id", "company_id"],
            ["__count"],
        )
        return {(partner.id, company.id): count for partner, company, count in groups}

    def _compute_cou_complaint_rating(self):
        """Complaint ratings of the commercial entity (all its contacts), one grouped query."""
        from odoo.addons.rating.models.rating_data import RATING_LIMIT_SATISFIED  # [complaint] section only

        commercial = self.commercial_partner_id
        grades = {partner_id: [0, 0] for partner_id in commercial.ids}  # [satisfied, total]
        if commercial:
            groups = self.env["rating.rating"].sudo()._read_group(
                self._get_cou_complaint_rating_domain(commercial),
                ["partner_id", "rating"],
                ["__count"],
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
            partner.cou_complaint_rating_satisfaction = round(satisfied * 100 / total) if total else 0

    @api.model
    def _get_cou_complaint_rating_domain(self, commercial_partners):
        return [
            ("res_model", "=", "cou.complaint"),
            ("partner_id.commercial_partner_id", "in", commercial_partners.ids),
            ("consumed", "=", True),
            ("rating", ">=", 1),  # rating_data.RATING_LIMIT_MIN: 0 means "not rated"
        ]

    def action_cou_view_complaint_ratings(self):
        self.ensure_one()
        commercial = self.commercial_partner_id
        return self.env["cou.complaint"]._get_ratings_action(
            self._get_cou_complaint_rating_domain(commercial),
            self.env._("Complaint ratings of %(customer)s", customer=commercial.display_name),
        )

    def action_cou_view_complaints(self):
        self.ensure_one()
        commercial = self.commercial_partner_id
        return self.env["cou.complaint"]._get_action_for(
            [("commercial_partner_id", "=", commercial.id)], {"default_partner_id": self.id}
        )

    def action_cou_file_complaint(self):
        self.ensure_one()
        return self.env["cou.complaint"]._get_file_action({"default_partner_id": self.id})
