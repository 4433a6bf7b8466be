# [timeline] Customer timeline: one stream of events per commercial partner.
import hashlib
import html
import re
from collections import OrderedDict
from contextlib import suppress

import psycopg2.errors

from odoo import api, fields, models
from odoo.exceptions import MissingError, UserError
from odoo.osv import expression
from odoo.tools import SQL, Query, create_index, index_exists

# Fixed column list of every timeline source, in the order of the SQL view.
# column name -> SQL type; every source yields exactly these columns (missing
# ones are NULL). See `_get_timeline_sources()` for the contract.
TIMELINE_COLUMNS = {
    "row": "integer",
    "date": "timestamp without time zone",
    "event_type": "varchar",
    "category": "varchar",
    "name": "varchar",
    "summary": "text",
    "amount": "numeric",
    "currency_id": "integer",
    "user_id": "integer",
    "company_id": "integer",
    "partner_id": "integer",
    "contact_id": "integer",
    "res_model": "varchar",
    "res_id": "integer",
    "is_internal": "boolean",
}
# Event ids are `row * TIMELINE_CODE_SPAN + code`: unique over all sources as
# long as each source has its own code and `row` is unique within a source.
TIMELINE_CODE_SPAN = 64
TIMELINE_PAGE_MAX = 200

# Message kinds that are events (tracking notifications are not: the
# document events already tell the state changes).
_MESSAGE_TYPES = ("email", "email_outgoing", "comment")
# Columns of the timeline index on mail_message (keys, then included columns):
# a page reads a thread's newest events from it alone (index-only scan).
_MESSAGE_INDEX_KEYS = ("model", "res_id", "date", "id")
_MESSAGE_INDEX_COLUMNS = (
    *_MESSAGE_INDEX_KEYS,
    "message_type",
    "subtype_id",
    "is_internal",
    "mail_activity_type_id",
    "create_uid",
    "cou_quotation_sent",
)
_TAG_RE = re.compile(r"<[^>]*>")
# largest id of a PostgreSQL integer column
_MAX_ID = 2**31 - 1
_SPACE_RE = re.compile(r"\s+")
# Prepared timeline page statements kept per database connection (see
# `_timeline_execute_prepared`; ~7 MB of server memory each, measured with
# pg_backend_memory_contexts), the least recently used deallocated; the system
# parameter overrides it, 0 turns the prepared pages off.
_PREPARED_MAX = 8
PREPARED_MAX_PARAM = "crm_order_unified.timeline_prepared_statements"


def _is_record_id(value):
    """Whether ``value`` (sent as JSON) can be a record id."""
    return (
        isinstance(value, int) and not isinstance(value, bool) and 0 < value <= _MAX_ID
    )


class CouTimelineEvent(models.Model):
    _name = "cou.timeline.event"
    _description = "Customer Timeline Event"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "name"
    # Fields flushed before the view is queried (merged by inheriting classes:
    # add the fields your sources read).
    _depends = {
        "sale.order": [
            "name",
            "state",
            "date_order",
            "create_date",
            "write_date",
            "amount_untaxed",
            "currency_rate",
            "currency_id",
            "user_id",
            "company_id",
            "partner_id",
            "client_order_ref",
        ],
        "stock.picking": [
            "name",
            "state",
            "scheduled_date",
            "date_done",
            "partner_id",
            "company_id",
            "user_id",
            "picking_type_id",
            "return_id",
            "origin",
        ],
        "account.move": [
            "name",
            "state",
            "move_type",
            "invoice_date",
            "invoice_date_due",
            "payment_state",
            "amount_total",
            "amount_residual",
            "currency_id",
            "invoice_user_id",
            "company_id",
            "partner_id",
            "ref",
            "write_date",
        ],
        "account.move.line": ["move_id"],
        "account.partial.reconcile": ["debit_move_id", "max_date"],
        "account.payment": [
            "name",
            "state",
            "date",
            "amount",
            "currency_id",
            "company_id",
            "partner_id",
            "payment_type",
            "partner_type",
            "memo",
            "create_uid",
        ],
        "mail.message": [
            "model",
            "res_id",
            "date",
            "subject",
            "body",
            "message_type",
            "subtype_id",
            "is_internal",
            "mail_activity_type_id",
            "create_uid",
            "cou_quotation_sent",
        ],
        "mail.message.subtype": ["internal"],
        "mail.activity.type": ["name"],
        "res.company": ["currency_id"],
        "res.partner": ["commercial_partner_id", "company_id"],
        "res.users": ["share"],
        "stock.picking.type": ["code"],
    }

    # === FIELDS === #

    date = fields.Datetime(readonly=True)
    event_type = fields.Selection(
        selection=[
            ("sale_quotation", "Quotation created"),
            ("sale_sent", "Quotation sent"),
            ("sale_confirmed", "Order confirmed"),
            ("sale_cancelled", "Order cancelled"),
            ("delivery_scheduled", "Delivery scheduled"),
            ("delivery_late", "Delivery late"),
            ("delivery_done", "Delivered"),
            ("delivery_return", "Return"),
            ("invoice_posted", "Invoice posted"),
            ("invoice_refund", "Credit note"),
            ("invoice_partial", "Invoice partially paid"),
            ("invoice_paid", "Invoice paid"),
            ("invoice_overdue", "Invoice overdue"),
            ("payment", "Payment received"),
            ("email", "Email"),
            ("note", "Note"),
            ("activity", "Activity done"),
        ],
        readonly=True,
    )
    category = fields.Selection(
        selection=[
            ("sale", "Sales"),
            ("delivery", "Deliveries"),
            ("invoice", "Invoices"),
            ("payment", "Payments"),
            ("message", "Messages"),
            ("activity", "Activities"),
        ],
        readonly=True,
    )
    name = fields.Char(string="Reference", readonly=True)
    summary = fields.Text(readonly=True)
    amount = fields.Monetary(readonly=True, currency_field="currency_id")
    currency_id = fields.Many2one("res.currency", string="Currency", readonly=True)
    user_id = fields.Many2one("res.users", string="User", readonly=True)
    company_id = fields.Many2one("res.company", string="Company", readonly=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        readonly=True,
        help="Commercial entity of the contact or address on the source document.",
    )
    contact_id = fields.Many2one("res.partner", string="Contact", readonly=True)
    res_model = fields.Char(string="Source Model", readonly=True)
    res_id = fields.Many2oneReference(
        string="Source ID", model_field="res_model", readonly=True
    )
    is_internal = fields.Boolean(
        string="Internal",
        readonly=True,
        help="Internal notes and messages: never shown to portal users.",
    )

    # === COMPUTE METHODS === #

    @api.depends("event_type", "name")
    def _compute_display_name(self):
        labels = dict(self._fields["event_type"]._description_selection(self.env))
        for event in self:
            event.display_name = " ".join(
                filter(None, [labels.get(event.event_type), event.name])
            )

    # === CRUD METHODS === #

    def init(self):
        # The timeline reads its sources per customer: documents by partner
        # (sale_order, stock_picking and account_move already index partner_id)
        # and messages by (model, res_id) (indexed by mail). Payments lack it.
        create_index(
            self.env.cr,
            "cou_account_payment_partner_id_date_idx",
            "account_payment",
            ["partner_id", "date"],
            where="partner_id IS NOT NULL",
        )
        # The newest events of a thread, for a timeline page: partial (only
        # messages that are events) and covering (INCLUDE, which create_index
        # lacks), so that a page reads each thread from the index alone.
        # (earlier versions: without the quotation sendings)
        self.env.cr.execute(
            "DROP INDEX IF EXISTS cou_mail_message_model_res_id_date_id_idx, "
            "cou_mail_message_timeline_idx"
        )
        if not index_exists(self.env.cr, "cou_mail_message_timeline_sent_idx"):
            self.env.cr.execute(
                SQL(
                    "CREATE INDEX cou_mail_message_timeline_sent_idx ON mail_message"
                    " (model, res_id, date DESC, id DESC) INCLUDE (%s)"
                    " WHERE date IS NOT NULL AND (message_type IN %s OR "
                    "mail_activity_type_id IS NOT NULL OR cou_quotation_sent)",
                    SQL(", ").join(
                        SQL.identifier(name)
                        for name in _MESSAGE_INDEX_COLUMNS[len(_MESSAGE_INDEX_KEYS) :]
                    ),
                    _MESSAGE_TYPES,
                )
            )

    @property
    def _table_query(self):
        sources = self._get_timeline_sources()
        codes = [source["code"] for source in sources]
        if len(codes) != len(set(codes)) or not all(
            0 < code < TIMELINE_CODE_SPAN for code in codes
        ):
            raise UserError(
                self.env._("Timeline sources need distinct codes between 1 and 63.")
            )
        return SQL(" UNION ALL ").join(
            self._timeline_source_sql(source) for source in sources
        )

    def _search(self, domain, offset=0, limit=None, order=None):
        query = super()._search(domain, offset=offset, limit=limit, order=order)
        ids = self._timeline_ids_from_domain(domain)
        if ids:
            # `id` is computed in the view: also filter on its parts, which
            # PostgreSQL pushes into each source (primary key lookups, and
            # sources whose code does not match are skipped).
            rows = tuple({event_id // TIMELINE_CODE_SPAN for event_id in ids})
            codes = tuple({event_id % TIMELINE_CODE_SPAN for event_id in ids})
            query.add_where(
                SQL(
                    "%s IN %s AND %s IN %s",
                    SQL.identifier(self._table, "row"),
                    rows,
                    SQL.identifier(self._table, "source_code"),
                    codes,
                )
            )
        return query

    @api.model
    def _timeline_ids_from_domain(self, domain):
        """Return the ids selected by a domain that is only ``[("id", "in", ids)]``
        (what ``fetch()`` and ``browse().read()`` search), else None."""
        if (
            not domain
            or len(domain) != 1
            or not isinstance(domain[0], list | tuple)
            or len(domain[0]) != 3
        ):
            return None
        field_name, operator, value = domain[0]
        if field_name != "id" or operator not in ("in", "="):
            return None
        values = [value] if operator == "=" else value
        if not isinstance(values, list | tuple | set):
            return None
        ids = [v for v in values if isinstance(v, int) and not isinstance(v, bool)]
        return ids if ids and len(ids) == len(values) else None

    # === BUSINESS METHODS: sources (extension point) ===#

    def _get_timeline_sources(self):
        """Return the sources of the timeline, a list of dicts.

        The timeline is a SQL view: the ``UNION ALL`` of one ``SELECT`` per
        source, built from these dicts. Nothing is copied, so the timeline is
        always what the source documents say.

        Keys of a source dict:

        ``code`` (int, 1-63)
            Unique per source; the event id is ``row * 64 + code``.
            Codes 1-29 belong to the timeline itself, 30-39 to complaints,
            40-49 to segments and campaigns, 55 to care warnings, the rest of
            50-63 to other addons.
        ``model`` (str)
            The model whose read access decides who sees the events: its
            access rights and record rules (of the current user and allowed
            companies) are applied on its table, which must appear in
            ``from`` under its own table name (``sale_order``, not an alias).
        ``from`` (SQL)
            The FROM clause, without the FROM keyword.
        ``where`` (SQL, optional)
            The WHERE condition, without the WHERE keyword.
        ``categories`` (list of str, optional)
            Only for a source whose ``category`` column is SQL (not a
            constant): the categories it can yield, so that a page filtered
            on other categories skips the source. Without it such a source
            is always queried.
        ``paged`` (bool, optional)
            For a source that, on a page (context key
            ``cou_timeline_page``), reads each thread's newest rows with
            `_timeline_thread_page_sql`: the page first reads the newest
            row of each such thread (the source with a thread limit of 1),
            and the ``limit``-th newest of them is the lower date bound
            (``after``) from which each thread is read.
        ``columns`` (dict of column name -> SQL or Python value)
            ``row`` (int, required): unique within the source (usually the
            id of the row the event comes from);
            ``date`` (UTC timestamp, required); ``event_type`` (required, a
            key of the ``event_type`` selection: extend it with
            ``selection_add``); ``category`` (required, same for
            ``category``); ``partner_id`` (required: the commercial partner,
            read from ``res_partner.commercial_partner_id`` at query time so
            that moving a contact shows at once); ``res_model``/``res_id``
            (required: the document the event opens);
            ``name`` (reference or subject), ``summary`` (plain text),
            ``amount``, ``currency_id``, ``user_id``, ``company_id``,
            ``contact_id``, ``is_internal`` (true hides the event from portal
            users): optional, NULL (false for ``is_internal``) when missing.

        Example, in the complaints feature (its own file)::

            class CouTimelineEvent(models.Model):
                _inherit = "cou.timeline.event"
                _depends = {"cou.complaint": ["name", "create_date", "partner_id"]}

                event_type = fields.Selection(
                    selection_add=[("complaint", "Complaint")],
                    ondelete={"complaint": "cascade"},
                )
                category = fields.Selection(
                    selection_add=[("complaint", "Complaints")],
                    ondelete={"complaint": "cascade"},
                )

                def _get_timeline_sources(self):
                    return super()._get_timeline_sources() + [{
                        "code": 30,
                        "model": "cou.complaint",
                        "from": SQL(
                            "cou_complaint JOIN res_partner AS cou_contact"
                            " ON cou_contact.id = cou_complaint.partner_id"
                        ),
                        "columns": {
                            "row": SQL("cou_complaint.id"),
                            "date": SQL("cou_complaint.create_date"),
                            "event_type": "complaint",
                            "category": "complaint",
                            "name": SQL("cou_complaint.name"),
                            "company_id": SQL("cou_complaint.company_id"),
                            "partner_id": SQL("cou_contact.commercial_partner_id"),
                            "contact_id": SQL("cou_complaint.partner_id"),
                            "res_model": "cou.complaint",
                            "res_id": SQL("cou_complaint.id"),
                        },
                    }]

        Speed: the list, pivot and graph views read the whole view; the
        timeline page (``get_timeline_page``) instead runs one query where
        each source is its own ``SELECT`` restricted to the customer's
        contacts (``contact_id = ANY(contacts of the commercial partner)``,
        then ``partner_id``), sorted and cut to the page size before the
        ``UNION ALL``; sources whose category is not asked for are left out,
        and sources with the same ``model``, ``from`` and partner columns
        (several events of one row, e.g. a record opened, then closed) are
        read in one ``SELECT`` (so give them one shared ``from`` SQL).
        So give ``contact_id`` as the partner column of your own table (e.g.
        ``cou_complaint.partner_id``) and index it together with the column
        of ``date`` (``create_index`` in ``init()``, or ``index=True``).
        """
        return [
            *self._get_timeline_sale_sources(),
            *self._get_timeline_picking_sources(),
            *self._get_timeline_invoice_sources(),
            *self._get_timeline_message_sources(),
        ]

    def _cou_company_currency_sql(self, alias):
        """SQL expression: the currency of the company of the row ``alias``
        (the currency of the order amounts, see ``_cou_order_revenue_sql``)."""
        return SQL(
            "(SELECT cou_company.currency_id FROM res_company AS cou_company"
            " WHERE cou_company.id = %s)",
            SQL.identifier(alias, "company_id"),
        )

    def _get_timeline_sale_sources(self):
        contact = SQL(
            "res_partner AS cou_contact ON cou_contact.id = sale_order.partner_id"
        )
        common = {
            "name": SQL("sale_order.name"),
            "summary": SQL("sale_order.client_order_ref"),
            # the order's ordered revenue, as the overview and the figures:
            # untaxed, in the company currency at the order's rate
            "amount": self.env["sale.order"]._cou_order_revenue_sql("sale_order"),
            "currency_id": self._cou_company_currency_sql("sale_order"),
            "user_id": SQL("sale_order.user_id"),
            "company_id": SQL("sale_order.company_id"),
            "partner_id": SQL("cou_contact.commercial_partner_id"),
            "contact_id": SQL("sale_order.partner_id"),
            "res_model": "sale.order",
            "res_id": SQL("sale_order.id"),
            "row": SQL("sale_order.id"),
            "category": "sale",
        }
        return [
            {
                "code": 1,
                "model": "sale.order",
                "from": SQL("sale_order JOIN %s", contact),
                "columns": {
                    **common,
                    "date": SQL("LEAST(sale_order.create_date, sale_order.date_order)"),
                    "event_type": "sale_quotation",
                },
            },
            {
                "code": 2,
                "model": "sale.order",
                "from": SQL("sale_order JOIN %s", contact),
                "where": SQL("sale_order.state = 'sale'"),
                "columns": {
                    **common,
                    "date": SQL("sale_order.date_order"),
                    "event_type": "sale_confirmed",
                },
            },
            {
                "code": 3,
                "model": "sale.order",
                "from": SQL("sale_order JOIN %s", contact),
                "where": SQL("sale_order.state = 'cancel'"),
                "columns": {
                    **common,
                    "date": SQL("sale_order.write_date"),
                    "event_type": "sale_cancelled",
                },
            },
        ]

    def _get_timeline_picking_sources(self):
        from_ = SQL(
            "stock_picking"
            " JOIN stock_picking_type AS cou_picking_type ON cou_picking_type.id = "
            "stock_picking.picking_type_id"
            " JOIN res_partner AS cou_contact ON cou_contact.id = "
            "stock_picking.partner_id"
        )
        common = {
            "name": SQL("stock_picking.name"),
            "summary": SQL("stock_picking.origin"),
            "user_id": SQL("stock_picking.user_id"),
            "company_id": SQL("stock_picking.company_id"),
            "partner_id": SQL("cou_contact.commercial_partner_id"),
            "contact_id": SQL("stock_picking.partner_id"),
            "res_model": "stock.picking",
            "res_id": SQL("stock_picking.id"),
            "row": SQL("stock_picking.id"),
            "category": "delivery",
        }
        return [
            {
                "code": 4,
                "model": "stock.picking",
                "from": from_,
                "where": SQL(
                    "cou_picking_type.code = 'outgoing' AND stock_picking.return_id IS "
                    "NULL"
                    " AND stock_picking.state != 'cancel'"
                ),
                "columns": {
                    **common,
                    "date": SQL(
                        "CASE WHEN stock_picking.state = 'done'"
                        " THEN stock_picking.date_done ELSE "
                        "stock_picking.scheduled_date END"
                    ),
                    "event_type": SQL(
                        "CASE WHEN stock_picking.state = 'done' THEN 'delivery_done'"
                        " WHEN stock_picking.scheduled_date < (now() AT TIME ZONE "
                        "'UTC') THEN 'delivery_late'"
                        " ELSE 'delivery_scheduled' END"
                    ),
                },
            },
            {
                "code": 5,
                "model": "stock.picking",
                "from": from_,
                "where": SQL(
                    "stock_picking.return_id IS NOT NULL AND stock_picking.state != "
                    "'cancel'"
                ),
                "columns": {
                    **common,
                    "date": SQL(
                        "COALESCE(stock_picking.date_done, "
                        "stock_picking.scheduled_date)"
                    ),
                    "event_type": "delivery_return",
                },
            },
        ]

    def _get_timeline_invoice_sources(self):
        from_ = SQL(
            "account_move JOIN res_partner AS cou_contact ON cou_contact.id = "
            "account_move.partner_id"
        )
        noon = SQL(
            "TIME '12:00'"
        )  # date-only sources: noon UTC keeps the day in most timezones
        common = {
            "name": SQL("account_move.name"),
            "summary": SQL("account_move.ref"),
            "amount": SQL("account_move.amount_total"),
            "currency_id": SQL("account_move.currency_id"),
            "user_id": SQL("account_move.invoice_user_id"),
            "company_id": SQL("account_move.company_id"),
            "partner_id": SQL("cou_contact.commercial_partner_id"),
            "contact_id": SQL("account_move.partner_id"),
            "res_model": "account.move",
            "res_id": SQL("account_move.id"),
            "row": SQL("account_move.id"),
            "category": "invoice",
        }
        unpaid = SQL(
            "account_move.move_type = 'out_invoice' AND account_move.state = 'posted'"
            " AND account_move.payment_state IN ('not_paid', 'partial')"
        )
        return [
            {
                "code": 6,
                "model": "account.move",
                "from": from_,
                "where": SQL(
                    "account_move.move_type IN ('out_invoice', 'out_refund') AND "
                    "account_move.state = 'posted'"
                ),
                "columns": {
                    **common,
                    "date": SQL(
                        "COALESCE(account_move.invoice_date, account_move.date) + %s",
                        noon,
                    ),
                    "event_type": SQL(
                        "CASE WHEN account_move.move_type = 'out_refund'"
                        " THEN 'invoice_refund' ELSE 'invoice_posted' END"
                    ),
                },
            },
            {
                "code": 7,
                "model": "account.move",
                "from": from_,
                "where": SQL(
                    "account_move.move_type = 'out_invoice' AND account_move.state = "
                    "'posted'"
                    " AND account_move.payment_state IN ('partial', 'in_payment', "
                    "'paid')"
                ),
                "columns": {
                    **common,
                    # the last reconciliation of the invoice's receivable
                    "date": SQL(
                        "COALESCE((SELECT MAX(cou_apr.max_date) FROM account_move_line "
                        "AS cou_aml"
                        " JOIN account_partial_reconcile AS cou_apr ON "
                        "cou_apr.debit_move_id = cou_aml.id"
                        " WHERE cou_aml.move_id = account_move.id) + %s, "
                        "account_move.write_date)",
                        noon,
                    ),
                    "event_type": SQL(
                        "CASE WHEN account_move.payment_state = 'partial'"
                        " THEN 'invoice_partial' ELSE 'invoice_paid' END"
                    ),
                    "amount": SQL(
                        "account_move.amount_total - account_move.amount_residual"
                    ),
                },
            },
            {
                "code": 8,
                "model": "account.move",
                "from": from_,
                "where": SQL(
                    "%s AND account_move.invoice_date_due < CURRENT_DATE", unpaid
                ),
                "columns": {
                    **common,
                    "date": SQL("account_move.invoice_date_due + %s", noon),
                    "event_type": "invoice_overdue",
                    "amount": SQL("account_move.amount_residual"),
                },
            },
            {
                "code": 9,
                "model": "account.payment",
                "from": SQL(
                    "account_payment JOIN res_partner AS cou_contact ON cou_contact.id "
                    "= account_payment.partner_id"
                ),
                "where": SQL(
                    "account_payment.payment_type = 'inbound' AND "
                    "account_payment.partner_type = 'customer'"
                    " AND account_payment.state IN ('in_process', 'paid')"
                ),
                "columns": {
                    "row": SQL("account_payment.id"),
                    "date": SQL("account_payment.date + %s", noon),
                    "event_type": "payment",
                    "category": "payment",
                    "name": SQL("account_payment.name"),
                    "summary": SQL("account_payment.memo"),
                    "amount": SQL("account_payment.amount"),
                    "currency_id": SQL("account_payment.currency_id"),
                    "user_id": SQL("account_payment.create_uid"),
                    "company_id": SQL("account_payment.company_id"),
                    "partner_id": SQL("cou_contact.commercial_partner_id"),
                    "contact_id": SQL("account_payment.partner_id"),
                    "res_model": "account.payment",
                    "res_id": SQL("account_payment.id"),
                },
            },
        ]

    def _get_timeline_message_sources(self):
        """Emails, messages, notes and completed activities (18.0 turns a done
        activity into a message with ``mail_activity_type_id``) posted on the
        customer's contacts and on its orders, deliveries and invoices.

        A quotation sent to the customer is the message of the sending
        itself (Odoo stores no sent date): the email the *Send by Email*
        composer posts with the quotation template, or the "Quotation sent"
        notification of *Mark as Sent*, both flagged ``cou_quotation_sent``
        when posted (see ``sale.order.message_post``). Each sending is one
        ``sale_sent`` event (category ``sale``); any other message on the
        order (a follow-up, a reply) stays an email or a note."""
        documents = [
            # code, model, join of the document and its contact, extra condition
            (
                10,
                "res.partner",
                SQL("res_partner ON res_partner.id = cou_msg.res_id"),
                SQL("TRUE"),
                "res_partner",
            ),
            (
                11,
                "sale.order",
                SQL("sale_order ON sale_order.id = cou_msg.res_id"),
                SQL("TRUE"),
                "sale_order",
            ),
            (
                12,
                "stock.picking",
                SQL("stock_picking ON stock_picking.id = cou_msg.res_id"),
                SQL("TRUE"),
                "stock_picking",
            ),
            (
                13,
                "account.move",
                SQL("account_move ON account_move.id = cou_msg.res_id"),
                SQL("account_move.move_type IN ('out_invoice', 'out_refund')"),
                "account_move",
            ),
        ]
        # Page of a customer (see `_timeline_page_rows`): only the newest
        # messages of each thread can be on the page, read from the index on
        # (model, res_id, date, id) instead of every message of the customer.
        page = self.env.context.get("cou_timeline_page")
        activity_type_name = SQL(
            "(SELECT COALESCE(cou_activity_type.name->>%s, "
            "cou_activity_type.name->>'en_US')"
            " FROM mail_activity_type AS cou_activity_type WHERE cou_activity_type.id "
            "= cou_msg.mail_activity_type_id)",
            self.env.lang or "en_US",
        )
        sources = []
        for code, model, join, condition, table in documents:
            if table == "res_partner":
                contact_join = SQL("")
                contact = SQL("res_partner")
            else:
                contact_join = SQL(
                    "JOIN res_partner AS cou_contact ON cou_contact.id = %s",
                    SQL.identifier(table, "partner_id"),
                )
                contact = SQL("cou_contact")
            subtype_join = SQL(
                "LEFT JOIN mail_message_subtype AS cou_subtype ON cou_subtype.id = "
                "cou_msg.subtype_id"
            )
            sent = (
                self._timeline_quotation_sent_sql("cou_msg")
                if model == "sale.order"
                else None
            )
            # a completed activity is titled by its type (Call, Meeting...)
            # and its document; a message by its subject, else its document
            text_columns = SQL("cou_msg")
            if page:
                from_ = SQL(
                    "%s %s CROSS JOIN LATERAL (%s) AS cou_msg",
                    SQL.identifier(table),
                    contact_join,
                    self._timeline_thread_page_sql(
                        code, model, SQL.identifier(table, "id"), page
                    ),
                )
                # ``cou_msg`` holds the index columns only (an index-only
                # scan): the text columns are read for the rows of the page
                # only (PostgreSQL evaluates these subqueries after the
                # branch's sort and limit).
                text_columns = SQL("cou_body")
                # likewise the subtype, read for the page's rows only
                subtype_internal = SQL(
                    "COALESCE((SELECT cou_subtype.internal FROM mail_message_subtype "
                    "AS cou_subtype"
                    " WHERE cou_subtype.id = cou_msg.subtype_id), FALSE)"
                )
            else:
                from_ = SQL(
                    "mail_message AS cou_msg JOIN %s %s %s",
                    join,
                    contact_join,
                    subtype_join,
                )
                subtype_internal = SQL("COALESCE(cou_subtype.internal, FALSE)")
            name = SQL(
                "CASE WHEN cou_msg.mail_activity_type_id IS NOT NULL"
                " THEN concat_ws(': ', %(type)s, COALESCE(%(record_name)s, "
                "%(document)s))"
                " ELSE COALESCE(NULLIF(%(subject)s, ''), %(record_name)s, "
                "%(document)s) END",
                type=activity_type_name,
                document=SQL.identifier(table, "name"),
                record_name=SQL("%s.record_name", text_columns),
                subject=SQL("%s.subject", text_columns),
            )
            # raw start of the body: tags are stripped in Python for the
            # page only (a regex on every row of a 20k-event customer costs)
            summary = SQL("left(%s.body, 400)", text_columns)
            if page:
                name, summary = (
                    SQL(
                        "(SELECT %s FROM mail_message AS cou_body WHERE cou_body.id = "
                        "cou_msg.id)",
                        column,
                    )
                    for column in (name, summary)
                )
            event_type = SQL(
                "CASE WHEN cou_msg.message_type != 'comment' OR (cou_msg.subtype_id IS "
                "NOT NULL"
                " AND NOT %s AND NOT COALESCE(cou_msg.is_internal, FALSE))"
                " THEN 'email' ELSE 'note' END",
                subtype_internal,
            )
            category = SQL("'message'")
            amount = currency = None
            user = SQL("cou_msg.create_uid")
            if sent is not None:
                event_type = SQL(
                    "CASE WHEN %s THEN 'sale_sent' ELSE %s END", sent, event_type
                )
                category = SQL("CASE WHEN %s THEN 'sale' ELSE %s END", sent, category)
                name = SQL("CASE WHEN %s THEN sale_order.name ELSE %s END", sent, name)
                amount = SQL(
                    "CASE WHEN %s THEN %s END",
                    sent,
                    self.env["sale.order"]._cou_order_revenue_sql("sale_order"),
                )
                currency = SQL(
                    "CASE WHEN %s THEN %s END",
                    sent,
                    self._cou_company_currency_sql("sale_order"),
                )
                user = SQL(
                    "CASE WHEN %s THEN sale_order.user_id ELSE cou_msg.create_uid END",
                    sent,
                )
            sources.append(
                {
                    "code": code,
                    "model": model,
                    # cut per thread on a page (the page's lower date bound)
                    "paged": bool(page),
                    "categories": ["message", "activity"]
                    + (["sale"] if sent is not None else []),
                    "from": from_,
                    "where": SQL(
                        "cou_msg.model = %s AND %s"
                        " AND (cou_msg.message_type IN %s OR "
                        "cou_msg.mail_activity_type_id IS NOT NULL OR "
                        "cou_msg.cou_quotation_sent)",
                        model,
                        condition,
                        _MESSAGE_TYPES,
                    ),
                    "columns": {
                        "row": SQL("cou_msg.id"),
                        "date": SQL("cou_msg.date"),
                        "event_type": SQL(
                            "CASE WHEN cou_msg.mail_activity_type_id IS NOT NULL THEN "
                            "'activity' ELSE %s END",
                            event_type,
                        ),
                        "category": SQL(
                            "CASE WHEN cou_msg.mail_activity_type_id IS NOT NULL THEN "
                            "'activity' ELSE %s END",
                            category,
                        ),
                        "name": name,
                        "summary": summary,
                        "amount": amount,
                        "currency_id": currency,
                        "user_id": user,
                        "company_id": SQL.identifier(table, "company_id"),
                        "partner_id": SQL("%s.commercial_partner_id", contact),
                        "contact_id": SQL("%s.id", contact),
                        "res_model": model,
                        "res_id": SQL("cou_msg.res_id"),
                        "is_internal": SQL(
                            "(COALESCE(cou_msg.is_internal, FALSE) OR "
                            "cou_msg.subtype_id IS NULL OR %s)",
                            subtype_internal,
                        ),
                    },
                }
            )
        return sources

    def _timeline_quotation_sent_sql(self, alias):
        """SQL condition: the message ``alias`` is a sending of the quotation
        (see `_get_timeline_message_sources`). Reads only the columns of the
        timeline index on mail_message."""
        return SQL(
            "(%s IS NULL AND COALESCE(%s, FALSE))",
            SQL.identifier(alias, "mail_activity_type_id"),
            SQL.identifier(alias, "cou_quotation_sent"),
        )

    def _timeline_thread_page_sql(self, code, model, res_id, page):
        """SELECT of the newest messages of one thread (``model``, ``res_id``)
        that can be on a timeline page: at most ``page["limit"]``, before the
        page's cursor and end date, of its categories."""
        conditions = [
            SQL(
                "cou_thread_msg.model = %s AND cou_thread_msg.res_id = %s AND "
                "cou_thread_msg.date IS NOT NULL"
                " AND (cou_thread_msg.message_type IN %s OR "
                "cou_thread_msg.mail_activity_type_id IS NOT NULL OR "
                "cou_thread_msg.cou_quotation_sent)",
                model,
                res_id,
                _MESSAGE_TYPES,
            )
        ]
        if page.get("date_to"):
            conditions.append(SQL("cou_thread_msg.date < %s", page["date_to"]))
        if page.get("after"):
            # SQL: no event older than it is on the page (see `_timeline_page_rows`)
            conditions.append(SQL("cou_thread_msg.date >= %s", page["after"]))
        if page.get("before"):
            before_date, before_id = page["before"]
            conditions.append(
                SQL(
                    "cou_thread_msg.date <= %s AND (cou_thread_msg.date < %s"
                    " OR CAST(cou_thread_msg.id AS bigint) * %s + %s < %s)",
                    before_date,
                    before_date,
                    TIMELINE_CODE_SPAN,
                    code,
                    before_id,
                )
            )
        # keep exactly the messages of the asked categories before the cut
        # (a message of another category would push one of them off the page)
        categories = set(page.get("categories") or ())
        if categories:
            sent = (
                self._timeline_quotation_sent_sql("cou_thread_msg")
                if model == "sale.order"
                else None
            )
            kinds = []
            if "activity" in categories:
                kinds.append(SQL("cou_thread_msg.mail_activity_type_id IS NOT NULL"))
            if "message" in categories:
                kinds.append(
                    SQL(
                        "cou_thread_msg.mail_activity_type_id IS NULL%s",
                        SQL(" AND NOT %s", sent)
                        if sent is not None and "sale" not in categories
                        else SQL(""),
                    )
                )
            if (
                sent is not None
                and "sale" in categories
                and "message" not in categories
            ):
                kinds.append(sent)
            conditions.append(
                SQL("(%s)", SQL(" OR ").join(kinds)) if kinds else SQL("FALSE")
            )
        return SQL(
            "SELECT %s FROM mail_message AS cou_thread_msg WHERE %s"
            " ORDER BY cou_thread_msg.date DESC, cou_thread_msg.id DESC LIMIT %s",
            SQL(", ").join(
                SQL.identifier("cou_thread_msg", name)
                for name in _MESSAGE_INDEX_COLUMNS
            ),
            SQL(" AND ").join(conditions),
            page["limit"],
        )

    def _timeline_check_source(self, source):
        required = {
            "row",
            "date",
            "event_type",
            "category",
            "partner_id",
            "res_model",
            "res_id",
        }
        missing = required - set(source["columns"])
        if missing:
            raise UserError(
                self.env._(
                    "Timeline source %(code)s lacks the columns %(columns)s.",
                    code=source["code"],
                    columns=", ".join(sorted(missing)),
                )
            )

    def _timeline_source_sql(self, source, condition=None, access=None):
        """Return the SELECT of one source dict (see `_get_timeline_sources`),
        restricted to the rows of its model that the current user may read
        (and to ``condition``, SQL on the source's tables, when given)."""
        self._timeline_check_source(source)
        columns = source["columns"]
        code = source["code"]
        select = [
            SQL(
                "CAST(%s AS bigint) * %s + %s AS id, %s AS source_code",
                columns["row"],
                TIMELINE_CODE_SPAN,
                code,
                code,
            )
        ]
        for name, sql_type in TIMELINE_COLUMNS.items():
            value = columns.get(name, False if name == "is_internal" else None)
            select.append(
                SQL("CAST(%s AS %s) AS %s", value, SQL(sql_type), SQL.identifier(name))
            )
        return SQL(
            "SELECT %s FROM %s WHERE (%s) AND (%s) IS NOT NULL AND (%s) AND (%s)",
            SQL(", ").join(select),
            source["from"],
            source.get("where") or SQL("TRUE"),
            columns["date"],
            condition or SQL("TRUE"),
            access
            if access is not None
            else self._timeline_access_sql(source["model"]),
        )

    def _timeline_merged_source_sql(self, sources, condition, access):
        """Return one SELECT yielding the events of several sources that read
        the same rows (same ``model`` and ``from``): each row is read once and
        paired with the codes of the sources (``cou_kind.code``); a column
        that differs between the sources is a CASE on that code. Same rows,
        ids and columns as the UNION ALL of `_timeline_source_sql` of each."""
        for source in sources:
            self._timeline_check_source(source)
        kind = SQL("cou_kind.code")

        def column(name, default=None):
            values = [source["columns"].get(name, default) for source in sources]
            values = [
                value if isinstance(value, SQL) else SQL("%s", value)
                for value in values
            ]
            if all(value == values[0] for value in values):
                return values[0]
            return SQL(
                "CASE %s %s END",
                kind,
                SQL(" ").join(
                    SQL("WHEN %s THEN %s", source["code"], value)
                    for source, value in zip(sources, values, strict=False)
                ),
            )

        select = [
            SQL(
                "CAST(%s AS bigint) * %s + %s AS id, %s AS source_code",
                column("row"),
                TIMELINE_CODE_SPAN,
                kind,
                kind,
            )
        ]
        for name, sql_type in TIMELINE_COLUMNS.items():
            select.append(
                SQL(
                    "CAST(%s AS %s) AS %s",
                    # the date, computed once per row (see below)
                    SQL("cou_date.date")
                    if name == "date"
                    else column(name, False if name == "is_internal" else None),
                    SQL(sql_type),
                    SQL.identifier(name),
                )
            )
        return SQL(
            "SELECT %s FROM %s CROSS JOIN (VALUES %s) AS cou_kind(code)"
            # the date is compared, sorted on and selected: a subquery that
            # PostgreSQL keeps apart (OFFSET 0) computes it once per row (an
            # expression of the select list would be computed for each use,
            # the paid date of an invoice reading its reconciliations twice)
            " CROSS JOIN LATERAL (SELECT %s AS date OFFSET 0) AS cou_date"
            " WHERE (%s) AND cou_date.date IS NOT NULL AND (%s) AND (%s)",
            SQL(", ").join(select),
            sources[0]["from"],
            SQL(", ").join(SQL("(%s)", source["code"]) for source in sources),
            column("date"),
            # a CASE, not an OR: PostgreSQL would plan index paths for each arm
            SQL(
                "CASE %s %s ELSE FALSE END",
                kind,
                SQL(" ").join(
                    SQL(
                        "WHEN %s THEN %s",
                        source["code"],
                        source.get("where") or SQL("TRUE"),
                    )
                    for source in sources
                ),
            ),
            condition,
            access,
        )

    def _timeline_access_sql(self, model_name):
        """Return the SQL condition on the table of ``model_name`` (under its
        own name) that keeps the rows the current user may read: access
        rights, and record rules for the allowed companies."""
        model = self.env[model_name].with_context(active_test=False)
        if self.env.su:
            return SQL("TRUE")
        if not self.env["ir.model.access"].check(
            model_name, "read", raise_exception=False
        ):
            return SQL("FALSE")
        query = model._where_calc([], active_test=False)
        model._apply_ir_rules(query, "read")
        if not query._where_clauses:
            return SQL("TRUE")
        if not query._joins:
            return query.where_clause
        return SQL("%s IN %s", SQL.identifier(model._table, "id"), query.subselect())

    # === BUSINESS METHODS: the timeline page ===#

    @api.model
    def _timeline_page_domain(
        self, partner, categories=None, date_from=None, date_to=None, search=None
    ):
        domain = [("partner_id", "=", partner.id)]
        if categories:
            domain.append(("category", "in", list(categories)))
        if date_from:
            domain.append(("date", ">=", date_from))
        if date_to:
            domain.append(("date", "<", date_to))
        if search:
            labels = self._fields["event_type"]._description_selection(self.env)
            types = [key for key, label in labels if search.lower() in label.lower()]
            domain += ["|", ("name", "ilike", search), ("event_type", "in", types)]
        return domain

    @api.model
    def _timeline_page_partner(self, partner_id):
        """The commercial entity of ``partner_id`` (an id sent by the client),
        or a clear error when it is not a customer the user may read."""
        if not _is_record_id(partner_id):
            raise UserError(
                self.env._("The timeline needs the id of a customer (a number).")
            )
        try:
            return self.env["res.partner"].browse(partner_id).commercial_partner_id
        except MissingError as exc:
            raise UserError(
                self.env._("This customer does not exist anymore.")
            ) from exc

    @api.model
    def _timeline_page_check_args(
        self, partner_id, categories, date_from, date_to, search, cursor, limit
    ):
        """The page arguments the web client sent (JSON, any type), checked
        and normalised: ``(categories, date_from, date_to, search, before,
        limit)``; a clear error for a value of the wrong type, never a
        traceback."""
        _ = self.env._
        if limit in (None, False):
            limit = 50
        if not isinstance(limit, int) or isinstance(limit, bool):
            raise UserError(
                _("The number of timeline events to read must be a whole number.")
            )
        limit = max(1, min(limit, TIMELINE_PAGE_MAX))
        if categories in (None, False):
            categories = []
        known = dict(self._fields["category"]._description_selection(self.env))
        if not isinstance(categories, list | tuple) or not all(
            isinstance(key, str) and key in known for key in categories
        ):
            raise UserError(
                _(
                    "Unknown timeline categories: choose among %(categories)s.",
                    categories=", ".join(known),
                )
            )
        dates = []
        for value in (date_from, date_to):
            dates.append(self._timeline_page_datetime(value) if value else False)
        if search in (None, False):
            search = False
        elif not isinstance(search, str):
            raise UserError(_("The timeline search must be a text."))
        else:
            # PostgreSQL refuses NUL characters in a query parameter
            search = search.replace("\x00", "").strip() or False
        before = None
        if cursor:
            if (
                not isinstance(cursor, dict)
                or not _is_record_id(cursor.get("id"))
                or not cursor.get("date")
            ):
                raise UserError(_("The timeline page cursor is invalid."))
            before = (self._timeline_page_datetime(cursor["date"]), cursor["id"])
        return list(categories), dates[0], dates[1], search, before, limit

    @api.model
    def _timeline_page_datetime(self, value):
        """A UTC date or date and time sent by the client, as a datetime."""
        try:
            if not isinstance(value, str):
                raise TypeError(value)
            return fields.Datetime.to_datetime(value)
        except (TypeError, ValueError, OverflowError) as exc:
            raise UserError(
                self.env._(
                    "%(value)s is not a date: use YYYY-MM-DD or YYYY-MM-DD HH:MM:SS.",
                    value=repr(value)[:40],
                )
            ) from exc

    @api.readonly
    @api.model
    def get_timeline_page(
        self,
        partner_id=None,
        categories=None,
        date_from=None,
        date_to=None,
        search=None,
        cursor=None,
        limit=50,
        **unknown,
    ):
        """Return one page of the timeline of the commercial entity of
        ``partner_id``, newest first, for the web client (an argument it
        does not know, such as ``offset``, is a clear error).

        Paging is by keyset: ``cursor`` is the ``next_cursor`` of the previous
        page (``{"date": ..., "id": ...}``), so pages neither skip nor repeat
        events sharing a timestamp. Dates are UTC strings; the client shows
        them in the user's timezone and language. Constant number of queries.
        """
        if unknown:
            raise UserError(
                self.env._(
                    "The timeline page takes no argument %(names)s.",
                    names=", ".join(sorted(unknown)),
                )
            )
        args = self._timeline_page_check_args(
            partner_id, categories, date_from, date_to, search, cursor, limit
        )
        categories, date_from, date_to, search, before, limit = args
        partner = self._timeline_page_partner(partner_id)
        domain = self._timeline_page_domain(
            partner, categories, date_from, date_to, search
        )
        self.check_access("read")
        hints = (
            None
            if search
            else {
                "categories": list(categories or ()),
                "date_to": date_to or None,
                "before": before,
            }
        )
        events = self._timeline_page_rows(
            partner,
            domain,
            categories,
            limit + 1,
            hints,
            before=before,
        )
        has_more = len(events) > limit
        events = events[:limit]
        type_labels = dict(self._fields["event_type"]._description_selection(self.env))
        rows = []
        for event in events:
            rows.append(
                {
                    "id": event["id"],
                    "date": fields.Datetime.to_string(event["date"]),
                    "event_type": event["event_type"],
                    "category": event["category"],
                    "type_label": type_labels.get(
                        event["event_type"], event["event_type"] or ""
                    ),
                    "name": event["name"] or "",
                    "summary": self._timeline_plain_text(event["summary"]),
                    "amount": float(event["amount"] or 0.0)
                    if event["currency_id"]
                    else False,
                    "currency_id": event["currency_id"] or False,
                    "user": event["user_name"] or "",
                    "res_model": event["res_model"],
                    "res_id": event["res_id"],
                    "is_internal": bool(event["is_internal"]),
                }
            )
        last = events[-1] if has_more else None
        return {
            "partner": {"id": partner.id, "name": partner.display_name},
            "events": rows,
            "next_cursor": {
                "date": fields.Datetime.to_string(last["date"]),
                "id": last["id"],
            }
            if last
            else False,
        }

    def _timeline_page_rows(
        self,
        partner,
        domain,
        categories,
        limit,
        page_hints=None,
        before=None,
    ):
        """Return the first ``limit`` events (dicts of the view's columns) of
        ``partner`` (a commercial partner) matching ``domain``, newest first,
        in one query; with ``before`` (``(date, id)``, the page cursor), the
        events that come after it in that order.

        Reading the view and filtering it on ``partner_id`` would compute
        every source for every customer; instead each source is queried
        for the customer's contacts only (an index range scan on the
        source's own partner column), with the domain and the record rules
        of the events pushed into it, and cut to ``limit`` rows before the
        ``UNION ALL``: the page is the top ``limit`` of at most
        ``limit`` x sources rows. Sources of other categories are left out.
        """
        # every source filters on the customer itself: the SQL leaves the
        # domain's customer leaf out (the customer is a parameter of the
        # prepared page, not a value of its text)
        query = Query(self.env, self._table)
        expression.expression(
            [leaf for leaf in domain if leaf != ("partner_id", "=", partner.id)],
            self,
            query=query,
        )
        self._apply_ir_rules(query, "read")
        if query._joins:
            # a domain or rule through a relation: read the view itself
            names = [name for name in TIMELINE_COLUMNS if name in self._fields]
            # an event keeps its id when its source changes: drop cached values
            self.invalidate_model(names)
            if before:
                domain = domain + [
                    "|",
                    ("date", "<", before[0]),
                    "&",
                    ("date", "=", before[0]),
                    ("id", "<", before[1]),
                ]
            events = self.search_fetch(domain, names, order=self._order, limit=limit)
            return [
                {
                    "id": event.id,
                    "user_name": event.user_id.sudo().name,
                    **{
                        name: event[name].id
                        if self._fields[name].type == "many2one"
                        else event[name]
                        for name in names
                    },
                }
                for event in events
            ]
        # A page without search is a prepared statement of the connection
        # (see `_timeline_execute_prepared`): the customer and the cursor are
        # its parameters, so PostgreSQL plans its ~20 branches once per
        # connection instead of at every page.
        where = query.where_clause or SQL("TRUE")
        keep = self._timeline_prepared_max() if page_hints else 0
        if keep:
            rows = self._timeline_page_rows_sql(
                partner, where, categories, limit, page_hints, before, keep=keep
            )
            if rows is not None:
                return rows
        return self._timeline_page_rows_sql(
            partner, where, categories, limit, page_hints, before
        )

    def _timeline_page_rows_sql(
        self, partner, where, categories, limit, page_hints, before, keep=0
    ):
        """The rows of `_timeline_page_rows` read with SQL (``where``: the
        domain's and the rules' condition on the events, without the
        customer). With ``keep``, as a prepared statement whose parameters
        are the customer and the cursor, ``keep`` statements at most on the
        connection; None when it cannot be prepared (see
        `_timeline_execute_prepared`)."""
        args = None
        if keep:
            args = [partner.id]
            customer = SQL("CAST($1 AS integer)")
            if before:
                args += [before[0], before[1]]
                before = (
                    SQL("CAST($2 AS timestamp without time zone)"),
                    SQL("CAST($3 AS bigint)"),
                )
                page_hints = dict(page_hints, before=before)
        else:
            customer = SQL("%s", partner.id)
        if before:
            # a row comparison names the (computed) date of each source once
            where = SQL(
                "%s AND (%s, %s) < (%s, %s)",
                where,
                SQL.identifier(self._table, "date"),
                SQL.identifier(self._table, "id"),
                before[0],
                before[1],
            )
        wanted = set(categories or ())
        access = {}
        branches = []
        # Sources may cut their rows per thread with the page's bounds
        # (``page_hints``, see `_timeline_thread_page_sql`): only when no
        # other filter of the domain or of the rules (search, the portal rule
        # on ``is_internal``) could drop rows after that cut.
        # (an internal user: ``share`` is computed from this group, read
        # from the groups' cache instead of fetching the user's row)
        hints = (
            page_hints
            if page_hints and self.env.user.has_group("base.group_user")
            else None
        )
        Event = (
            self.with_context(cou_timeline_page=dict(hints, limit=limit))
            if hints
            else self
        )
        bound = SQL()
        if hints:
            # The newest event of each thread (as the page filters them) is an
            # event of the customer: the ``limit``-th newest of them is a lower
            # bound of the page's dates, so that each thread is read from
            # there (its newest events), not ``limit`` events deep.
            Heads = self.with_context(cou_timeline_page=dict(hints, limit=1))
            heads = [
                SQL(
                    "SELECT date FROM (%s) AS %s WHERE %s",
                    Heads._timeline_page_source_sql(group, customer, access),
                    SQL.identifier(self._table),
                    where,
                )
                for group in Heads._timeline_page_groups(wanted)
                if group[0].get("paged")
            ]
            if heads:
                bound = SQL(
                    ", cou_bound AS (SELECT cou_heads.date FROM (%s) AS cou_heads"
                    " ORDER BY cou_heads.date DESC LIMIT 1 OFFSET %s)",
                    SQL(" UNION ALL ").join(heads),
                    limit - 1,
                )
                Event = self.with_context(
                    cou_timeline_page=dict(
                        hints,
                        limit=limit,
                        after=SQL(
                            "COALESCE((SELECT cou_bound.date FROM cou_bound),"
                            " '-infinity')"
                        ),
                    )
                )
        for group in Event._timeline_page_groups(wanted):
            branches.append(
                SQL(
                    "(SELECT * FROM (%s) AS %s WHERE %s ORDER BY date DESC, id DESC "
                    "LIMIT %s)",
                    Event._timeline_page_source_sql(group, customer, access),
                    SQL.identifier(self._table),
                    where,
                    limit,
                )
            )
        if not branches:
            return []
        self._timeline_flush()
        page_sql = SQL(
            """WITH cou_contacts AS (
                   SELECT array_agg(id) AS ids FROM res_partner WHERE
                       commercial_partner_id = %s
               )%s
               SELECT cou_page.*, (
                          SELECT cou_user_partner.name FROM res_users AS cou_user
                            JOIN res_partner AS cou_user_partner ON cou_user_partner.id
                                = cou_user.partner_id
                           WHERE cou_user.id = cou_page.user_id
                      ) AS user_name
                 FROM (SELECT * FROM (%s) AS %s ORDER BY date DESC, id DESC LIMIT %s)
                     AS cou_page
             ORDER BY cou_page.date DESC, cou_page.id DESC""",
            customer,
            bound,
            SQL(" UNION ALL ").join(branches),
            SQL.identifier(self._table),
            limit,
        )
        if keep:
            return self._timeline_execute_prepared(page_sql, args, keep)
        self.env.cr.execute(page_sql)
        return self.env.cr.dictfetchall()

    def _timeline_prepared_max(self):
        """How many prepared page statements a connection keeps (the system
        parameter, else the default); 0: pages are not prepared."""
        value = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param(PREPARED_MAX_PARAM, _PREPARED_MAX)
        )
        try:
            return max(int(value), 0)
        except (TypeError, ValueError):
            return _PREPARED_MAX

    def _timeline_execute_prepared(self, query, args, keep):
        """Run ``query`` (SQL whose values are inlined except ``$1``, ``$2``,
        ... that take ``args``) as a prepared statement of this database
        connection (of ``keep`` at most: the least recently used goes) and
        return its rows (dicts); None when the statement text holds a ``%``
        (a value of a rule or label) and is run the plain way.

        The statement is named after a hash of its text: the same text (the
        same user's rules and categories) is planned once per connection,
        then executed with a generic plan. Each step runs in a savepoint, so a
        connection that lost its statements (``DISCARD ALL``, a connection
        pooler handing over another server session) prepares it again
        instead of failing the request."""
        cr = self.env.cr
        text = cr.mogrify(query).decode()
        if "%" in text:
            return None
        name = "cou_timeline_" + hashlib.sha1(text.encode()).hexdigest()[:24]
        cnx = cr._cnx
        known = getattr(cnx, "_cou_timeline_prepared", None)
        if known is None:
            known = cnx._cou_timeline_prepared = OrderedDict()
        execute = SQL(
            "EXECUTE %s (%s)",
            SQL.identifier(name),
            SQL(", ").join(SQL("%s", arg) for arg in args),
        )
        if name in known:
            known.move_to_end(name)
            try:
                with cr.savepoint(flush=False):
                    cr.execute(execute, log_exceptions=False)
                    return cr.dictfetchall()
            except psycopg2.errors.InvalidSqlStatementName:
                del known[name]
        # already there: this server session has it (a pooler's, same text)
        with (
            suppress(psycopg2.errors.DuplicatePreparedStatement),
            cr.savepoint(flush=False),
        ):
            cr.execute(
                SQL(
                    "PREPARE %s AS %s",
                    SQL.identifier(name),
                    SQL(text),  # sql-ok: the composed SQL's own mogrified text
                ),
                log_exceptions=False,
            )
        known[name] = True
        while len(known) > keep:
            old, _value = known.popitem(last=False)
            with (
                suppress(psycopg2.errors.InvalidSqlStatementName),
                cr.savepoint(flush=False),
            ):
                cr.execute(
                    SQL("DEALLOCATE %s", SQL.identifier(old)), log_exceptions=False
                )
        cr.execute(execute)
        return cr.dictfetchall()

    def _timeline_page_source_sql(self, group, customer, access):
        """The SELECT of the events of a group of sources (see
        `_timeline_page_groups`) of the customer ``customer`` (SQL) only,
        for the current user (``access``: a cache of the access SQL per
        model)."""
        source = group[0]
        columns = source["columns"]
        condition = SQL("(%s) = %s", columns["partner_id"], customer)
        if isinstance(columns.get("contact_id"), SQL):
            condition = SQL(
                "(%s) = ANY(CAST((SELECT cou_contacts.ids FROM cou_contacts)"
                " AS integer[])) AND %s",
                columns["contact_id"],
                condition,
            )
        if source["model"] not in access:
            access[source["model"]] = self._timeline_access_sql(source["model"])
        if len(group) == 1:
            return self._timeline_source_sql(source, condition, access[source["model"]])
        return self._timeline_merged_source_sql(
            group, condition, access[source["model"]]
        )

    def _timeline_page_groups(self, wanted):
        """The sources of a page (of the categories ``wanted``, all when
        empty) in groups: sources reading the same rows (same model and FROM,
        e.g. a sale order's quotation, confirmation and cancellation) share
        one branch: fewer branches, less planning."""
        groups = []
        for source in self._get_timeline_sources():
            columns = source["columns"]
            category = columns.get("category")
            if wanted and not (
                wanted
                & (
                    {category}
                    if isinstance(category, str)
                    else set(source.get("categories") or wanted)
                )
            ):
                continue
            for group in groups:
                head = group[0]
                if (
                    head["model"] == source["model"]
                    and head["from"] == source["from"]
                    and all(
                        head["columns"].get(name) == columns.get(name)
                        for name in ("partner_id", "contact_id")
                    )
                ):
                    group.append(source)
                    break
            else:
                groups.append([source])
        return groups

    def _timeline_flush(self):
        """Flush the fields the sources read (``_depends``) before the page
        query runs, as reading the view itself does (``cr.execute`` does not
        flush)."""
        for model_name, field_names in self._depends.items():
            self.env[model_name].flush_model(field_names)

    @api.model
    def _get_timeline_icons(self):
        """Font Awesome icon per event type, for the web client (extend it
        with your event types)."""
        return {
            "sale_quotation": "fa-file-text-o",
            "sale_sent": "fa-paper-plane-o",
            "sale_confirmed": "fa-check-square-o",
            "sale_cancelled": "fa-ban",
            "delivery_scheduled": "fa-calendar",
            "delivery_late": "fa-clock-o",
            "delivery_done": "fa-truck",
            "delivery_return": "fa-undo",
            "invoice_posted": "fa-file-o",
            "invoice_refund": "fa-reply",
            "invoice_partial": "fa-adjust",
            "invoice_paid": "fa-check-circle",
            "invoice_overdue": "fa-exclamation-triangle",
            "payment": "fa-money",
            "email": "fa-envelope-o",
            "note": "fa-sticky-note-o",
            "activity": "fa-check-square",
        }

    @api.readonly
    @api.model
    def get_timeline_config(self):
        """Categories (filter buttons) and icons of the web client timeline."""
        return {
            "categories": [
                {"key": key, "label": label}
                for key, label in self._fields["category"]._description_selection(
                    self.env
                )
            ],
            "icons": self._get_timeline_icons(),
        }

    @api.model
    def _timeline_plain_text(self, text):
        if not text:
            return ""
        text = html.unescape(_TAG_RE.sub(" ", text))
        return _SPACE_RE.sub(" ", text).strip()[:240]

    # === ACTIONS === #

    @api.model
    def _get_timeline_action(self, partner):
        """Client action that opens the timeline of ``partner``'s customer."""
        action = self.env["ir.actions.actions"]._for_xml_id(
            "crm_order_unified.cou_timeline_event_action_timeline"
        )
        partner = partner.commercial_partner_id
        action["context"] = {"cou_partner_id": partner.id}
        action["name"] = self.env._(
            "Timeline: %(customer)s", customer=partner.display_name
        )
        return action

    def action_open_source(self):
        """Open the document the event comes from."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "views": [(False, "form")],
        }
