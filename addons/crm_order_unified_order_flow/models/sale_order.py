import logging
import threading
from bisect import bisect_left, bisect_right
from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL, format_amount

_logger = logging.getLogger(__name__)

SALE_MANAGER = "sales_team.group_sale_manager"


class SaleOrder(models.Model):
    _inherit = "sale.order"

    # === FIELDS === #

    cou_flow_credit_approved_uid = fields.Many2one(
        comodel_name="res.users",
        string="Credit Check Approved By",
        readonly=True,
        copy=False,
        help="The sales manager who approved confirming this order over the credit "
        "check.",
    )
    cou_flow_invoice_due = fields.Date(
        string="Automatic Invoicing Due",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Set when a delivery of the order is done and its customer is invoiced "
        "automatically: the scheduled job invoices the order from this day on.",
    )

    # === CRUD METHODS === #

    def _confirmation_error_message(self):
        """The credit check cannot be skipped: a user who is not a sales manager
        confirms an order over it only once a manager approved it. The issues
        are computed once for all the orders being confirmed (``action_confirm``
        puts them in the context), not once per order."""
        error = super()._confirmation_error_message()
        if error or self.env.su or self.cou_flow_credit_approved_uid:
            return error
        if self.env.user.has_group(SALE_MANAGER):
            return error
        credit = self._cou_flow_credit_issues_cached().get(self.id)
        if credit:
            return self.env._(
                "%(issue)s\nA sales manager must confirm this order or approve it "
                "(Check and confirm > Request approval).",
                issue=credit,
            )
        return error

    # === ACTION METHODS === #

    def action_confirm(self):
        """From the order form (context ``cou_flow_interactive``): when a check
        finds something, show it with the choices instead of confirming. The
        credit issues are computed once for the whole recordset."""
        credit = None
        if self.env.context.get("cou_flow_interactive") and len(self) == 1:
            self = self.with_context(cou_flow_interactive=False)
            if self.state in ("draft", "sent"):
                stock = self._cou_flow_stock_issues().get(self.id, [])
                credit = self._cou_flow_credit_issues()
                if stock or credit.get(self.id):
                    return self.env["cou.order.flow.check"]._open_for(
                        self, stock, credit.get(self.id)
                    )
        if not self.env.su and "cou_flow_credit_issues" not in self.env.context:
            # _confirmation_error_message (called per order) and _action_confirm
            # read them from the context
            if credit is None:
                credit = self._cou_flow_credit_issues()
            self = self.with_context(
                cou_flow_credit_issues=(tuple(self.ids), tuple(credit.items()))
            )
        res = super().action_confirm()
        if credit is not None:
            # the check read the customers' credit before the confirmation;
            # sale's credit_to_invoice has no dependencies to invalidate it
            customers = (
                self.partner_id | self.partner_invoice_id
            ).commercial_partner_id
            customers.invalidate_recordset(["credit", "credit_to_invoice"])
        return res

    def _action_confirm(self):
        res = super()._action_confirm()
        # orders of services have no delivery: queued for the invoicing job now
        # (code, not an automated action: one on sale.order would add queries to
        # every computed field of every order)
        self._cou_flow_queue_services()
        if not self.env.su and self.env.user.has_group(SALE_MANAGER):
            credit = self._cou_flow_credit_issues_cached()
            for order in self.filtered(
                lambda o: o.id in credit and not o.cou_flow_credit_approved_uid
            ):
                order.message_post(
                    message_type="comment",
                    subtype_xmlid="mail.mt_note",
                    body=self.env._(
                        "Confirmed by %(manager)s over the credit check: %(issue)s",
                        manager=self.env.user.name,
                        issue=credit[order.id],
                    ),
                )
        return res

    def _validate_order(self):
        """A quotation the customer signs in the portal confirms itself when it
        passes the checks and the company's policy allows it (every customer, or
        trusted customers only); otherwise the salesperson gets an activity."""
        signed = self.filtered("signed_on")
        confirm = self - signed
        if signed:
            stock = signed._cou_flow_stock_issues()
            credit = signed._cou_flow_credit_issues()
            for order in signed:
                reasons = []
                partner = order.partner_id.commercial_partner_id.with_company(
                    order.company_id
                )
                if (
                    order.company_id.cou_flow_portal_confirm == "trusted"
                    and not partner.cou_flow_trusted
                ):
                    reasons.append(
                        self.env._(
                            "%(customer)s is not a trusted customer.",
                            customer=partner.display_name,
                        )
                    )
                if order.id in stock:
                    reasons.append(
                        self.env._(
                            "Not enough stock for: %(products)s.",
                            products=", ".join(
                                line.product_id.display_name
                                for line, _qty, _date in stock[order.id]
                            ),
                        )
                    )
                if order.id in credit:
                    reasons.append(credit[order.id])
                if reasons:
                    order._cou_flow_ask_salesperson(reasons)
                else:
                    confirm |= order
        if confirm:
            return super(SaleOrder, confirm)._validate_order()

    # === BUSINESS METHODS === #
    # checks

    def _cou_flow_stock_issues(self):
        """Lines the warehouse's forecasted quantity cannot serve by their date:
        ``{order id: [(line, forecasted quantity, date available or False)]}``.

        Uses sale_stock's own forecast of each line at its delivery date
        (``virtual_available_at_date``), then the planned receipts after that
        date for when it can be served (one query for all the lines)."""
        orders = self.filtered(
            lambda o: o.company_id.cou_flow_stock_check and o.state in ("draft", "sent")
        )
        short = orders.order_line.filtered(
            lambda line: line.is_storable
            and not line.display_type
            and not line.is_mto
            and line.product_uom_qty > 0
            and line.virtual_available_at_date < line.product_uom_qty
        )
        if not short:
            return {}
        moves = self.env["stock.move"].search(
            [
                ("product_id", "in", short.product_id.ids),
                ("state", "not in", ("draft", "done", "cancel")),
                ("location_dest_id.usage", "=", "internal"),
                ("location_id.usage", "not in", ("internal", "transit")),
            ],
            order="date, id",
        )
        # planned receipts per (product, warehouse) and per product, in date
        # order, with their running totals: each line then finds where its
        # receipts start and where they cover it by bisection (no loop over
        # lines x receipts)
        receipts = defaultdict(lambda: ([], [], [0.0]))
        for move in moves:
            for key in (
                (move.product_id.id, move.location_dest_id.warehouse_id.id),
                (move.product_id.id, None),
            ):
                dates, qties, totals = receipts[key]
                dates.append(move.date)
                qties.append(move.product_qty)
                totals.append(totals[-1] + move.product_qty)
        issues = {}
        for line in short:
            missing = line.product_uom._compute_quantity(
                line.product_uom_qty - line.virtual_available_at_date,
                line.product_id.uom_id,
            )
            dates, _qties, totals = receipts.get(
                (line.product_id.id, line.warehouse_id.id or None), ((), (), (0.0,))
            )
            # receipts after the line's date count; the first whose running
            # total covers what is missing is when the line can be served
            start = (
                bisect_right(dates, line.scheduled_date) if line.scheduled_date else 0
            )
            end = bisect_left(totals, totals[start] + missing - 1e-9, lo=start + 1)
            available_on = dates[end - 1] if end < len(totals) else False
            issues.setdefault(line.order_id.id, []).append(
                (line, line.virtual_available_at_date, available_on)
            )
        return issues

    def _cou_flow_credit_issues_cached(self):
        """The credit issues ``action_confirm`` computed for all the orders it
        confirms (context ``cou_flow_credit_issues``: their ids and the issues),
        else computed now."""
        cached = self.env.context.get("cou_flow_credit_issues")
        if cached is None or not set(self.ids) <= set(cached[0]):
            # another order confirmed in that context: not covered
            return self._cou_flow_credit_issues()
        return dict(cached[1])

    def _cou_flow_credit_issues(self):
        """``{order id: message}`` for the orders whose customer has overdue
        receivables past the company's tolerance, or is over the credit limit
        (Odoo's own ``credit_limit`` and its company setting)."""
        orders = self.filtered(
            lambda o: o.company_id.cou_flow_credit_check and o.partner_id
        )
        if not orders:
            return {}
        overdue = orders._cou_flow_overdue_amounts()
        issues = {}
        for order in orders:
            messages = []
            company = order.company_id
            partner = order.partner_id.commercial_partner_id
            amount = overdue.get((partner.id, company.id), 0.0)
            if (
                company.currency_id.compare_amounts(
                    amount, company.cou_flow_overdue_tolerance
                )
                > 0
            ):
                messages.append(
                    self.env._(
                        "%(customer)s has %(amount)s overdue (more than %(days)s "
                        "days past due; tolerance %(tolerance)s).",
                        customer=partner.display_name,
                        amount=format_amount(self.env, amount, company.currency_id),
                        days=company.cou_flow_overdue_grace_days,
                        tolerance=format_amount(
                            self.env,
                            company.cou_flow_overdue_tolerance,
                            company.currency_id,
                        ),
                    )
                )
            if company.account_use_credit_limit and order.partner_credit_warning:
                messages.append(order.partner_credit_warning)
            if messages:
                issues[order.id] = "\n".join(messages)
        return issues

    def _cou_flow_overdue_amounts(self):
        """Overdue receivable per (commercial partner, company), one query."""
        partners = self.partner_id.commercial_partner_id
        result = {}
        for company in self.company_id:
            limit = fields.Date.context_today(self) - timedelta(
                days=company.cou_flow_overdue_grace_days
            )
            groups = (
                self.env["account.move.line"]
                .sudo()
                ._read_group(
                    [
                        ("company_id", "=", company.id),
                        ("partner_id", "child_of", partners.ids),
                        ("account_type", "=", "asset_receivable"),
                        ("parent_state", "=", "posted"),
                        ("reconciled", "=", False),
                        ("date_maturity", "<", limit),
                    ],
                    ["partner_id"],
                    ["amount_residual:sum"],
                )
            )
            for partner, amount in groups:
                key = (partner.commercial_partner_id.id, company.id)
                result[key] = result.get(key, 0.0) + amount
        return result

    def _cou_flow_ask_salesperson(self, reasons):
        self.ensure_one()
        note = "\n".join(reasons)
        self.message_post(
            message_type="comment",
            subtype_xmlid="mail.mt_note",
            body=self.env._(
                "The customer accepted the quotation; it waits for the salesperson: "
                "%(reasons)s",
                reasons=note,
            ),
        )
        self.activity_schedule(
            "mail.mail_activity_data_todo",
            summary=self.env._("Accepted by the customer: check and confirm"),
            note=note,
            user_id=self.user_id.id or self.env.ref("base.user_admin").id,
        )

    # === BUSINESS METHODS === #
    # automatic invoicing

    def _cou_flow_queue_invoicing(self):
        """Mark the confirmed orders whose customer is invoiced automatically:
        today for ``on_delivery``, tomorrow (all the day's deliveries at once)
        for ``on_delivery_daily``; then wake the invoicing job."""
        today = fields.Date.context_today(self)
        orders = self.filtered(lambda o: o.state == "sale")
        policies = orders._cou_flow_invoice_policies()
        queued = False
        for order in orders:
            policy = policies.get(order.id)
            if policy in ("on_delivery", "on_delivery_daily"):
                due = today if policy == "on_delivery" else today + timedelta(days=1)
                # a technical mark, written for whoever validated the delivery
                order.sudo().cou_flow_invoice_due = due
                queued = True
        if queued:
            self.env.ref(
                "crm_order_unified_order_flow.ir_cron_cou_flow_auto_invoice"
            )._trigger()

    def _cou_flow_invoice_policies(self):
        """``{order id: policy}``: the automatic invoicing policy of each
        order's customer (its commercial entity) in the order's company;
        ``False`` when none is set. Override point: a policy of the customer's
        segment applies when the customer has none of its own
        (crm_order_unified_order_flow_segment)."""
        return {
            order.id: order.partner_id.commercial_partner_id.with_company(
                order.company_id
            ).auto_invoice_policy
            for order in self
        }

    def _cou_flow_queue_services(self):
        """Orders of services only have no delivery: queued on confirmation."""
        self.filtered(
            lambda o: not o.order_line.filtered(
                lambda line: line.product_id.type == "consu"
            )
        )._cou_flow_queue_invoicing()

    @api.model
    def _cou_flow_cron_auto_invoice(self, batch_size=100):
        """Invoice the queued orders: create, post and send the invoices, per
        customer (and day, for the daily policy). Several workers can run it at
        once: each takes its orders with SKIP LOCKED and clears their mark in
        the same transaction, so no order is invoiced twice."""
        cr = self.env.cr
        today = fields.Date.context_today(self)
        commit = not (
            self.env.registry.in_test_mode()
            or getattr(threading.current_thread(), "testing", False)
        )
        while True:
            self.flush_model(["cou_flow_invoice_due"])
            cr.execute(
                SQL(
                    """SELECT id FROM sale_order
                        WHERE cou_flow_invoice_due <= %s
                        ORDER BY id LIMIT %s
                          FOR UPDATE SKIP LOCKED""",
                    today,
                    batch_size,
                )
            )
            ids = [row[0] for row in cr.fetchall()]
            if not ids:
                return
            orders = self.browse(ids)
            orders.invalidate_recordset()
            orders.write({"cou_flow_invoice_due": False})
            orders._cou_flow_invoice()
            if commit:
                cr.commit()  # pylint: disable=invalid-commit (job: commit each batch)
            if len(ids) < batch_size:
                return

    def _cou_flow_invoice(self):
        """Create, post and send the invoices of the orders with something to
        invoice, one group of orders (customer, company) at a time. A group that
        fails is rolled back: its deliveries stay done, the reason goes on the
        orders (and so on the timeline) with an activity."""
        todo = self.filtered(lambda o: o.invoice_status == "to invoice")
        groups = {}
        for order in todo:
            key = (order.partner_invoice_id.id, order.company_id.id, order.currency_id)
            groups.setdefault(key, self.browse())
            groups[key] |= order
        for orders in groups.values():
            orders = orders.with_company(orders.company_id)
            try:
                with self.env.cr.savepoint():
                    moves = orders._create_invoices(grouped=False)
                    moves.action_post()
            except Exception as e:  # noqa: BLE001 (any failure is reported, not raised)
                _logger.info("automatic invoicing of %s failed: %s", orders.ids, e)
                orders._cou_flow_invoice_failed(str(e))
                continue
            for order in orders:
                order.message_post(
                    message_type="comment",
                    subtype_xmlid="mail.mt_note",
                    body=self.env._(
                        "Invoiced automatically: %(invoices)s",
                        invoices=", ".join(moves.mapped("name")),
                    ),
                )
            moves._cou_flow_send()

    def _cou_flow_invoice_failed(self, reason):
        for order in self:
            order.message_post(
                message_type="comment",
                subtype_xmlid="mail.mt_note",
                body=self.env._(
                    "Automatic invoicing failed: %(reason)s. The deliveries stay "
                    "done; invoice the order by hand once the cause is fixed.",
                    reason=reason,
                ),
            )
            order.activity_schedule(
                "mail.mail_activity_data_warning",
                summary=self.env._("Automatic invoicing failed"),
                note=reason,
                user_id=order.user_id.id or self.env.ref("base.user_admin").id,
            )
