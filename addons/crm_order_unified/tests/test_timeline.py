from datetime import datetime, timedelta
from unittest.mock import patch

from lxml import etree
from markupsafe import Markup

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.osv.expression import AND as expression_and
from odoo.tests import Form, TransactionCase, new_test_user, tagged
from odoo.tools.safe_eval import safe_eval

from odoo.addons.crm_order_unified.models import cou_timeline_event as timeline_module
from odoo.addons.crm_order_unified.models.cou_timeline_event import TIMELINE_CODE_SPAN


class TimelineCommon(TransactionCase):
    """Customer data built by hand for the timeline tests: a company customer
    with a contact, a product, and helpers for orders and invoices."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(
            context=dict(cls.env.context, tracking_disable=True, mail_notrack=True)
        )
        cls.company = cls.env.company
        cls.customer = cls.env["res.partner"].create(
            {"name": "Timeline Customer Co", "is_company": True}
        )
        cls.contact = cls.env["res.partner"].create(
            {"name": "Tom Timeline", "parent_id": cls.customer.id}
        )
        cls.product = cls.env["product.product"].create(
            {
                "name": "Timeline Widget",
                "type": "consu",
                "invoice_policy": "order",
                "list_price": 100.0,
                "taxes_id": [Command.clear()],
            }
        )
        cls.Event = cls.env["cou.timeline.event"]

    def _create_delivered_order_and_return(self):
        """A confirmed order of the contact, delivered, one unit returned."""
        order = self._create_order()
        order.action_confirm()
        picking = order.picking_ids
        picking.move_ids.write({"quantity": 1, "picked": True})
        picking._action_done()
        wizard = (
            self.env["stock.return.picking"]
            .with_context(active_id=picking.id, active_model="stock.picking")
            .create({})
        )
        wizard.product_return_moves.quantity = 1
        wizard.action_create_returns()
        return order

    @classmethod
    def _create_order(cls, partner=None, qty=1, price=100.0, **vals):
        return cls.env["sale.order"].create(
            {
                "partner_id": (partner or cls.contact).id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": cls.product.id,
                            "product_uom_qty": qty,
                            "price_unit": price,
                            "tax_id": False,
                        }
                    )
                ],
                **vals,
            }
        )

    @classmethod
    def _create_invoice(
        cls,
        partner=None,
        move_type="out_invoice",
        price=80.0,
        invoice_date="2024-03-05",
        **vals,
    ):
        move = cls.env["account.move"].create(
            {
                "move_type": move_type,
                "partner_id": (partner or cls.contact).id,
                "invoice_date": invoice_date,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": cls.product.id,
                            "quantity": 1,
                            "price_unit": price,
                            "tax_ids": False,
                        }
                    )
                ],
                **vals,
            }
        )
        move.action_post()
        return move

    def _events(self, partner=None, env=None):
        env = env or self.env
        # events keep their id when their source changes: drop cached values
        env["cou.timeline.event"].invalidate_model()
        return env["cou.timeline.event"].search(
            [("partner_id", "=", (partner or self.customer).id)]
        )

    def _keys(self, events):
        return {(e.event_type, e.res_model, e.res_id) for e in events}


@tagged("post_install", "-at_install")
class TestTimelineSources(TimelineCommon):
    def test_sale_order_events(self):
        order = self._create_order(qty=2, price=50.0, client_order_ref="PO-42")
        events = self._events()
        quotation = events.filtered(
            lambda e: e.event_type == "sale_quotation" and e.res_id == order.id
        )
        self.assertEqual(len(quotation), 1)
        self.assertEqual(quotation.res_model, "sale.order")
        self.assertEqual(quotation.name, order.name)
        self.assertEqual(quotation.amount, 100.0)
        self.assertEqual(quotation.currency_id, order.currency_id)
        self.assertEqual(
            quotation.partner_id, self.customer, "keyed to the commercial partner"
        )
        self.assertEqual(quotation.contact_id, self.contact)
        self.assertEqual(quotation.summary, "PO-42")
        self.assertEqual(quotation.date, min(order.create_date, order.date_order))
        self.assertEqual(quotation.id % TIMELINE_CODE_SPAN, 1)
        self.assertEqual(quotation.display_name, f"Quotation created {order.name}")

        order.action_confirm()
        confirmed = self._events().filtered(lambda e: e.event_type == "sale_confirmed")
        self.assertEqual(confirmed.res_id, order.id)
        self.assertEqual(confirmed.date, order.date_order)
        self.assertEqual(confirmed.user_id, order.user_id)
        self.assertEqual(confirmed.company_id, order.company_id)
        action = confirmed.action_open_source()
        self.assertEqual(
            (action["res_model"], action["res_id"]), ("sale.order", order.id)
        )

    def test_delivery_and_return_events(self):
        order = self._create_order()
        order.action_confirm()
        picking = order.picking_ids
        self.assertEqual(len(picking), 1)
        picking.scheduled_date = datetime(2999, 1, 1, 10, 0)
        event = self._events().filtered(lambda e: e.res_model == "stock.picking")
        self.assertEqual(
            (event.event_type, event.res_id, event.date),
            ("delivery_scheduled", picking.id, picking.scheduled_date),
        )
        self.assertEqual(event.category, "delivery")

        picking.scheduled_date = datetime(2020, 1, 1, 10, 0)
        event = self._events().filtered(lambda e: e.res_model == "stock.picking")
        self.assertEqual(event.event_type, "delivery_late")

        picking.move_ids.write({"quantity": 1, "picked": True})
        picking._action_done()
        self.assertEqual(picking.state, "done")
        event = self._events().filtered(lambda e: e.res_model == "stock.picking")
        self.assertEqual(
            (event.event_type, event.date, event.name),
            ("delivery_done", picking.date_done, picking.name),
        )

        wizard = (
            self.env["stock.return.picking"]
            .with_context(active_id=picking.id, active_model="stock.picking")
            .create({})
        )
        wizard.product_return_moves.quantity = 1
        wizard.action_create_returns()
        return_picking = picking.return_ids
        self.assertTrue(return_picking)
        event = self._events().filtered(
            lambda e: e.res_id == return_picking.id and e.res_model == "stock.picking"
        )
        self.assertEqual(event.event_type, "delivery_return")
        self.assertEqual(event.date, return_picking.scheduled_date)

    def test_invoice_payment_refund_events(self):
        invoice = self._create_invoice(
            price=80.0, invoice_date="2024-03-05", invoice_date_due="2024-04-04"
        )
        events = self._events().filtered(lambda e: e.res_model == "account.move")
        self.assertEqual(
            self._keys(events),
            {
                ("invoice_posted", "account.move", invoice.id),
                ("invoice_overdue", "account.move", invoice.id),
            },
        )
        posted = events.filtered(lambda e: e.event_type == "invoice_posted")
        self.assertEqual(posted.date, datetime(2024, 3, 5, 12, 0))
        self.assertEqual(
            (posted.amount, posted.currency_id, posted.name),
            (80.0, invoice.currency_id, invoice.name),
        )
        overdue = events.filtered(lambda e: e.event_type == "invoice_overdue")
        self.assertEqual(
            (overdue.date, overdue.amount), (datetime(2024, 4, 4, 12, 0), 80.0)
        )

        self.env["account.payment.register"].with_context(
            active_model="account.move",
            active_ids=invoice.ids,
        ).create({"amount": 30.0, "payment_date": "2024-04-10"})._create_payments()
        self.assertEqual(invoice.payment_state, "partial")
        events = self._events()
        partial = events.filtered(lambda e: e.event_type == "invoice_partial")
        self.assertEqual(
            (partial.res_id, partial.date, partial.amount),
            (invoice.id, datetime(2024, 4, 10, 12, 0), 30.0),
        )
        payment = events.filtered(lambda e: e.event_type == "payment")
        self.assertEqual(payment.res_model, "account.payment")
        self.assertEqual(
            (payment.amount, payment.date, payment.category),
            (30.0, datetime(2024, 4, 10, 12, 0), "payment"),
        )

        self.env["account.payment.register"].with_context(
            active_model="account.move",
            active_ids=invoice.ids,
        ).create({"amount": 50.0, "payment_date": "2024-04-20"})._create_payments()
        events = self._events()
        paid = events.filtered(lambda e: e.event_type == "invoice_paid")
        self.assertEqual(
            (paid.res_id, paid.date, paid.amount),
            (invoice.id, datetime(2024, 4, 20, 12, 0), 80.0),
        )
        self.assertFalse(
            events.filtered(
                lambda e: e.event_type in ("invoice_overdue", "invoice_partial")
            )
        )
        self.assertEqual(len(events.filtered(lambda e: e.event_type == "payment")), 2)

        refund = self._create_invoice(
            move_type="out_refund", price=20.0, invoice_date="2024-05-01"
        )
        event = self._events().filtered(
            lambda e: e.res_id == refund.id and e.res_model == "account.move"
        )
        self.assertEqual(
            (event.event_type, event.amount, event.date),
            ("invoice_refund", 20.0, datetime(2024, 5, 1, 12, 0)),
        )

    def test_message_and_activity_events(self):
        order = self._create_order()
        email = self.customer.message_post(
            body=Markup("<p>Hello <b>there</b></p>"),
            subject="Your order",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        incoming = self.contact.message_post(
            body="<p>I have a question</p>",
            message_type="email",
            subtype_xmlid="mail.mt_comment",
        )
        note = order.message_post(
            body="<p>Customer is picky</p>",
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        tracking = order.message_post(
            body="<p>state changed</p>", message_type="notification"
        )
        activity = self.customer.activity_schedule(
            "mail.mail_activity_data_call", summary="Call back"
        )
        activity.action_feedback(feedback="Went well")
        events = self._events().filtered(
            lambda e: e.category in ("message", "activity")
        )
        by_row = {e.id // TIMELINE_CODE_SPAN: e for e in events}
        self.assertNotIn(tracking.id, by_row, "notifications are not events")
        self.assertEqual(by_row[email.id].event_type, "email")
        self.assertEqual(by_row[email.id].name, "Your order")
        self.assertEqual(
            self.Event._timeline_plain_text(by_row[email.id].summary), "Hello there"
        )
        self.assertEqual(
            (by_row[email.id].res_model, by_row[email.id].res_id),
            ("res.partner", self.customer.id),
        )
        self.assertFalse(by_row[email.id].is_internal)
        self.assertEqual(by_row[email.id].date, email.date)
        self.assertEqual(by_row[incoming.id].event_type, "email")
        self.assertEqual(by_row[incoming.id].contact_id, self.contact)
        self.assertEqual(by_row[note.id].event_type, "note")
        self.assertTrue(by_row[note.id].is_internal)
        self.assertEqual(
            (by_row[note.id].res_model, by_row[note.id].res_id),
            ("sale.order", order.id),
        )
        self.assertEqual(by_row[note.id].name, order.name)
        done = events.filtered(lambda e: e.event_type == "activity")
        self.assertEqual(len(done), 1)
        self.assertEqual(done.category, "activity")
        self.assertIn("Went well", done.summary)

    def test_read_by_id(self):
        order = self._create_order()
        event = self._events().filtered(lambda e: e.res_id == order.id)
        event.invalidate_recordset()
        fresh = self.Event.browse(event.id)
        self.assertEqual(fresh.read(["name", "event_type"])[0]["name"], order.name)
        self.assertEqual(self.Event.search([("id", "in", event.ids)]), event)


@tagged("post_install", "-at_install")
class TestTimelinePaging(TimelineCommon):
    def test_keyset_paging_with_equal_timestamps(self):
        same = datetime(2024, 6, 1, 9, 0)
        messages = self.env["mail.message"]
        for index in range(7):
            messages |= self.customer.message_post(
                message_type="comment",
                body=f"<p>note {index}</p>",
                subtype_xmlid="mail.mt_note",
            )
            messages |= self.contact.message_post(
                message_type="comment",
                body=f"<p>mail {index}</p>",
                subtype_xmlid="mail.mt_comment",
            )
        messages.write({"date": same})
        for order in [self._create_order() for _ in range(3)]:
            order.date_order = same
            order.action_confirm()
            order.date_order = same
        expected = self._events().ids
        self.assertGreaterEqual(len(expected), 20)
        seen, cursor, pages = [], False, 0
        while True:
            page = self.Event.get_timeline_page(self.contact.id, cursor=cursor, limit=4)
            seen += [event["id"] for event in page["events"]]
            pages += 1
            cursor = page["next_cursor"]
            if not cursor:
                break
        self.assertEqual(
            seen, expected, "pages follow date desc, id desc without gaps or repeats"
        )
        self.assertEqual(len(seen), len(set(seen)))
        self.assertEqual(pages, -(-len(expected) // 4))

    def test_paging_many_messages_per_thread(self):
        """Pages read only the newest messages of each thread: with more
        messages per thread than a page, filtered or not, paging still gives
        exactly the view's events in order."""
        order = self._create_order()
        order.action_confirm()
        messages = self.env["mail.message"]
        for index in range(9):
            messages |= order.message_post(
                message_type="comment",
                body=f"<p>o{index}</p>",
                subtype_xmlid="mail.mt_note",
            )
            messages |= self.contact.message_post(
                message_type="comment",
                body=f"<p>c{index}</p>",
                subtype_xmlid="mail.mt_comment",
            )
            # sendings of the quotation (flagged when posted): "quotation sent"
            messages |= order.message_post(
                message_type="comment",
                body=f"<p>s{index}</p>",
                subtype_xmlid="mail.mt_comment",
                cou_quotation_sent=True,
            )
        messages[::3].write({"date": datetime(2024, 6, 1, 9, 0)})
        messages[1::3].write({"date": datetime(2024, 6, 2, 9, 0)})
        messages[2::3].write({"date": datetime(2024, 6, 3, 9, 0)})
        self.assertEqual(
            len(self._events().filtered(lambda e: e.event_type == "sale_sent")), 9
        )
        for categories in (
            None,
            ["message"],
            ["sale"],
            ["sale", "message"],
            ["activity"],
            ["message", "activity"],
        ):
            domain = [("partner_id", "=", self.customer.id)] + (
                [("category", "in", categories)] if categories else []
            )
            self.Event.invalidate_model()
            expected = self.Event.search(domain).ids
            seen, cursor = [], False
            while True:
                page = self.Event.get_timeline_page(
                    self.customer.id, categories=categories, cursor=cursor, limit=3
                )
                seen += [event["id"] for event in page["events"]]
                cursor = page["next_cursor"]
                if not cursor:
                    break
            self.assertEqual(seen, expected, f"paging of {categories}")

    def test_page_equals_view_for_every_source(self):
        """A page reads the sources of one row in one branch (merged sale,
        delivery and invoice events) and message texts after the cut: it
        gives the same events, with the same values, as the view."""
        confirmed = self._create_order()
        confirmed.action_confirm()
        self._create_order().action_cancel()
        self._create_order(partner=self.customer)
        invoice = self._create_invoice(
            price=80.0, invoice_date="2024-03-05", invoice_date_due="2024-04-04"
        )
        self.env["account.payment.register"].with_context(
            active_model="account.move",
            active_ids=invoice.ids,
        ).create({"amount": 30.0, "payment_date": "2024-04-10"})._create_payments()
        self._create_invoice(
            move_type="out_refund", price=20.0, invoice_date="2024-05-01"
        )
        confirmed.message_post(
            message_type="comment",
            body="<p>On the order</p>",
            subject="Order mail",
            subtype_xmlid="mail.mt_comment",
        )
        self.customer.message_post(
            message_type="comment",
            body="<p>A <b>note</b></p>",
            subtype_xmlid="mail.mt_note",
        )
        events = self._events()
        self.assertFalse(
            {
                "sale_quotation",
                "sale_confirmed",
                "sale_cancelled",
                "invoice_posted",
                "invoice_partial",
                "invoice_overdue",
                "invoice_refund",
                "payment",
                "email",
                "note",
            }
            - set(events.mapped("event_type"))
        )
        self.assertIn("delivery", events.mapped("category"))
        page = self.Event.get_timeline_page(self.contact.id, limit=100)
        self.assertEqual(
            [
                (
                    e["id"],
                    e["date"],
                    e["event_type"],
                    e["name"],
                    e["amount"] or 0.0,
                    e["res_model"],
                    e["res_id"],
                    e["summary"],
                    e["is_internal"],
                )
                for e in page["events"]
            ],
            [
                (
                    e.id,
                    fields.Datetime.to_string(e.date),
                    e.event_type,
                    e.name or "",
                    e.amount if e.currency_id else 0.0,
                    e.res_model,
                    e.res_id,
                    self.Event._timeline_plain_text(e.summary),
                    e.is_internal,
                )
                for e in events
            ],
        )

    def test_page_filters_and_payload(self):
        order = self._create_order()
        order.action_confirm()
        self.customer.message_post(
            message_type="comment",
            body="<p>Hi</p>",
            subject="Greetings",
            subtype_xmlid="mail.mt_comment",
        )
        page = self.Event.get_timeline_page(self.customer.id, categories=["message"])
        self.assertEqual([e["category"] for e in page["events"]], ["message"])
        self.assertEqual(page["events"][0]["name"], "Greetings")
        self.assertEqual(page["partner"]["id"], self.customer.id)
        page = self.Event.get_timeline_page(self.contact.id, search=order.name)
        self.assertEqual({e["res_id"] for e in page["events"]}, {order.id})
        page = self.Event.get_timeline_page(self.contact.id, search="confirmed")
        self.assertEqual([e["event_type"] for e in page["events"]], ["sale_confirmed"])
        page = self.Event.get_timeline_page(
            self.contact.id,
            date_from="2000-01-01 00:00:00",
            date_to="2000-01-02 00:00:00",
        )
        self.assertEqual(page["events"], [])
        confirmed = self.Event.get_timeline_page(self.contact.id, categories=["sale"])[
            "events"
        ]
        self.assertEqual(confirmed[0]["type_label"], "Order confirmed")
        self.assertEqual(
            confirmed[0]["date"], fields.Datetime.to_string(order.date_order)
        )


@tagged("post_install", "-at_install")
class TestTimelineSync(TimelineCommon):
    def test_edit_cancel_delete(self):
        order = self._create_order()
        order.action_confirm()
        order.order_line.price_unit = 70.0
        confirmed = self._events().filtered(lambda e: e.event_type == "sale_confirmed")
        self.assertEqual(confirmed.amount, 70.0, "edits show at once")
        order._action_cancel()
        types = {e.event_type for e in self._events() if e.res_model == "sale.order"}
        self.assertEqual(types, {"sale_quotation", "sale_cancelled"})
        order.action_draft()
        order.unlink()
        self.assertFalse(self._events().filtered(lambda e: e.res_model == "sale.order"))

    def test_merge_partners(self):
        other = self.env["res.partner"].create(
            {"name": "Duplicate Customer", "is_company": True}
        )
        order = self._create_order(partner=other)
        message = other.message_post(
            message_type="comment", body="<p>dup</p>", subtype_xmlid="mail.mt_comment"
        )
        self.assertTrue(self._events(other))
        wizard = self.env["base.partner.merge.automatic.wizard"].create({})
        wizard._merge([self.customer.id, other.id], self.customer)
        self.assertFalse(other.exists())
        events = self._events()
        self.assertIn(("sale_quotation", "sale.order", order.id), self._keys(events))
        self.assertIn(
            message.id,
            [e.id // TIMELINE_CODE_SPAN for e in events if e.category == "message"],
        )

    def test_contact_moves_to_another_company(self):
        order = self._create_order()
        new_company = self.env["res.partner"].create(
            {"name": "New Employer", "is_company": True}
        )
        self.assertTrue(self._events().filtered(lambda e: e.res_id == order.id))
        self.contact.parent_id = new_company
        self.assertFalse(
            self._events().filtered(
                lambda e: e.res_id == order.id and e.res_model == "sale.order"
            )
        )
        self.assertTrue(
            self._events(new_company).filtered(lambda e: e.res_id == order.id)
        )


@tagged("post_install", "-at_install")
class TestTimelineSecurity(TimelineCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesman = new_test_user(
            cls.env, login="cou_tl_salesman", groups="sales_team.group_sale_salesman"
        )
        cls.salesman_2 = new_test_user(
            cls.env, login="cou_tl_salesman2", groups="sales_team.group_sale_salesman"
        )
        cls.own_order = cls._create_order(user_id=cls.salesman.id)
        cls.other_order = cls._create_order(user_id=cls.salesman_2.id)
        cls.own_note = cls.own_order.message_post(
            message_type="comment", body="<p>own</p>", subtype_xmlid="mail.mt_note"
        )
        cls.other_note = cls.other_order.message_post(
            message_type="comment", body="<p>other</p>", subtype_xmlid="mail.mt_note"
        )

    def test_salesman_sees_own_orders_only(self):
        env = self.env(user=self.salesman)
        events = self._events(env=env)
        order_ids = {e.res_id for e in events if e.res_model == "sale.order"}
        self.assertIn(self.own_order.id, order_ids)
        self.assertNotIn(
            self.other_order.id, order_ids, "record rules of the source hold"
        )
        rows = {e.id // TIMELINE_CODE_SPAN for e in events if e.category == "message"}
        self.assertIn(self.own_note.id, rows)
        self.assertNotIn(self.other_note.id, rows)
        page = env["cou.timeline.event"].get_timeline_page(self.customer.id)
        self.assertNotIn(
            self.other_order.id,
            {e["res_id"] for e in page["events"] if e["res_model"] == "sale.order"},
        )
        # the manager of the same company sees both
        manager = new_test_user(
            self.env, login="cou_tl_manager", groups="sales_team.group_sale_manager"
        )
        ids = {
            e.res_id
            for e in self._events(env=self.env(user=manager))
            if e.res_model == "sale.order"
        }
        self.assertTrue({self.own_order.id, self.other_order.id} <= ids)

    def test_page_bound_ignores_threads_the_user_cannot_read(self):
        """A page reads each thread from the newest events of all threads
        on: threads the user may not read (another salesman's order, another
        company's order) have newer messages, and must not hide the user's
        older ones."""
        company_b = self.env["res.company"].create({"name": "Timeline Company B2"})
        order_b = self._create_order(company_id=company_b.id)
        old, new = datetime(2024, 1, 1, 9, 0), datetime(2024, 9, 1, 9, 0)
        for index in range(4):
            for order, date in (
                (self.own_order, old),
                (self.other_order, new),
                (order_b, new),
            ):
                order.message_post(
                    message_type="comment",
                    body=f"<p>m{index}</p>",
                    subtype_xmlid="mail.mt_note",
                ).date = date + timedelta(minutes=index)
        for user in (
            self.salesman,
            new_test_user(
                self.env,
                login="cou_tl_manager_bound",
                groups="sales_team.group_sale_manager",
                company_id=self.company.id,
                company_ids=[Command.set(self.company.ids)],
            ),
        ):
            Event = self.env(user=user)["cou.timeline.event"]
            Event.invalidate_model()
            for categories in (None, ["message"]):
                domain = [("partner_id", "=", self.customer.id)]
                if categories:
                    domain.append(("category", "in", categories))
                expected = Event.search(domain).ids
                seen, cursor = [], False
                while True:
                    page = Event.get_timeline_page(
                        self.customer.id, categories=categories, cursor=cursor, limit=2
                    )
                    seen += [event["id"] for event in page["events"]]
                    cursor = page["next_cursor"]
                    if not cursor:
                        break
                self.assertEqual(seen, expected, f"{user.login} {categories}")
                rows = {event_id // TIMELINE_CODE_SPAN for event_id in seen}
                self.assertTrue(
                    set(self.own_order.message_ids.ids) & rows,
                    "the user's older messages are on the pages",
                )
                self.assertFalse(set(order_b.message_ids.ids) & rows)

    def test_other_company_never_shows(self):
        company_b = self.env["res.company"].create({"name": "Timeline Company B"})
        order_b = self._create_order(company_id=company_b.id)
        manager = new_test_user(
            self.env,
            login="cou_tl_manager_a",
            groups="sales_team.group_sale_manager",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        events = self._events(env=self.env(user=manager))
        self.assertNotIn(
            order_b.id, {e.res_id for e in events if e.res_model == "sale.order"}
        )
        self.assertIn(
            self.own_order.id, {e.res_id for e in events if e.res_model == "sale.order"}
        )
        # and a user of both companies with only company A active does not see it either
        both = new_test_user(
            self.env,
            login="cou_tl_manager_ab",
            groups="sales_team.group_sale_manager",
            company_id=self.company.id,
            company_ids=[Command.set((self.company | company_b).ids)],
        )
        env_a = self.env(user=both, context={"allowed_company_ids": self.company.ids})
        self.assertNotIn(
            order_b.id,
            {e.res_id for e in self._events(env=env_a) if e.res_model == "sale.order"},
        )
        env_ab = self.env(
            user=both, context={"allowed_company_ids": (self.company | company_b).ids}
        )
        self.assertIn(
            order_b.id,
            {e.res_id for e in self._events(env=env_ab) if e.res_model == "sale.order"},
        )

    def test_internal_notes_never_for_portal(self):
        portal = new_test_user(
            self.env,
            login="cou_tl_portal",
            groups="base.group_portal",
            partner_id=self.contact.id,
        )
        order = self._create_order()
        order.message_subscribe(partner_ids=self.contact.ids)
        public = order.message_post(
            message_type="comment",
            body="<p>Your order ships soon</p>",
            subtype_xmlid="mail.mt_comment",
        )
        note = order.message_post(
            message_type="comment",
            body="<p>Internal: watch payment</p>",
            subtype_xmlid="mail.mt_note",
        )
        internal_flag = order.message_post(
            message_type="comment",
            body="<p>flagged</p>",
            subtype_xmlid="mail.mt_comment",
        )
        internal_flag.is_internal = True
        env = self.env(user=portal)
        events = env["cou.timeline.event"].search([])
        rows = {e.id // TIMELINE_CODE_SPAN for e in events if e.category == "message"}
        self.assertIn(public.id, rows)
        self.assertNotIn(note.id, rows)
        self.assertNotIn(internal_flag.id, rows)
        self.assertFalse(events.filtered("is_internal"))
        self.assertEqual(
            events.partner_id, self.customer, "portal users see only their own customer"
        )
        # employees do see the note
        rows = {
            e.id // TIMELINE_CODE_SPAN
            for e in self._events()
            if e.category == "message"
        }
        self.assertTrue({note.id, internal_flag.id} <= rows)

    def test_user_without_hub_group(self):
        user = new_test_user(self.env, login="cou_tl_nobody", groups="base.group_user")
        self.assertFalse(
            user.has_group("crm_order_unified.group_crm_order_unified_user")
        )
        with self.assertRaises(AccessError):
            self._events(env=self.env(user=user))


@tagged("post_install", "-at_install")
class TestTimelineQueries(TimelineCommon):
    def test_page_query_count_is_constant(self):
        for _ in range(3):
            self._create_order().action_confirm()
        for index in range(10):
            self.customer.message_post(
                message_type="comment",
                body=f"<p>m{index}</p>",
                subtype_xmlid="mail.mt_comment",
            )
        salesman = new_test_user(
            self.env,
            login="cou_tl_qc",
            groups="sales_team.group_sale_salesman_all_leads",
        )
        Event = self.env(user=salesman)["cou.timeline.event"]
        self.env.flush_all()
        first = Event.get_timeline_page(
            self.customer.id, limit=5
        )  # warm caches (rules, ACLs)
        Event.env.invalidate_all()
        # the first paint: the allowed companies (multi-company rules), the
        # customer, the page (one prepared statement of every source, run in
        # a savepoint; the user's kind read from the groups' cache, not from
        # the user's row)
        with self.assertQueryCount(5):
            first = Event.get_timeline_page(self.customer.id, limit=5)
        for _ in range(3):
            self._create_order().action_confirm()
        self.env.flush_all()
        Event.env.invalidate_all()
        with self.assertQueryCount(5):
            self.assertEqual(
                len(Event.get_timeline_page(self.customer.id, limit=5)["events"]), 5
            )
        Event.env.invalidate_all()
        # a statement of its own (other categories, a cursor): prepared first
        with self.assertQueryCount(6):
            Event.get_timeline_page(
                self.customer.id,
                limit=20,
                cursor=first["next_cursor"],
                categories=["message"],
            )

    def _prepared_statements(self):
        self.env.cr.execute(
            "SELECT name FROM pg_prepared_statements"
            " WHERE name LIKE 'cou_timeline_%' ORDER BY name"
        )
        return [name for (name,) in self.env.cr.fetchall()]

    def _plain_page(self, *args, **kwargs):
        """The page read without a prepared statement."""
        with patch.object(
            type(self.Event), "_timeline_execute_prepared", return_value=None
        ):
            return self.Event.get_timeline_page(*args, **kwargs)

    def test_page_is_a_prepared_statement(self):
        """A page without search is a prepared statement of the connection
        (customer and cursor as parameters): the same rows as the plain
        query, one statement for every customer, prepared again when the
        connection lost it, the least recently used one dropped."""
        other = self.env["res.partner"].create({"name": "Other Timeline Co"})
        for index in range(4):
            self._create_order().action_confirm()
            self._create_order(partner=other)
            self.contact.message_post(
                message_type="comment",
                body=f"<p>m{index}</p>",
                subtype_xmlid="mail.mt_comment",
            )
        self.env.cr.execute("DEALLOCATE ALL")
        first = self.Event.get_timeline_page(self.contact.id, limit=3)
        self.assertEqual(first, self._plain_page(self.contact.id, limit=3))
        statements = self._prepared_statements()
        self.assertEqual(len(statements), 1)
        # another customer, the same statement
        self.assertEqual(
            self.Event.get_timeline_page(other.id, limit=3),
            self._plain_page(other.id, limit=3),
        )
        self.assertEqual(self._prepared_statements(), statements)
        # the next page: the cursor is a parameter of a second statement
        cursor = first["next_cursor"]
        self.assertTrue(cursor)
        second = self.Event.get_timeline_page(self.contact.id, limit=3, cursor=cursor)
        self.assertEqual(
            second, self._plain_page(self.contact.id, limit=3, cursor=cursor)
        )
        self.assertFalse(
            {e["id"] for e in first["events"]} & {e["id"] for e in second["events"]}
        )
        self.assertEqual(len(self._prepared_statements()), 2)
        # a connection that lost its statements (a pooler's DISCARD ALL)
        self.env.cr.execute("DEALLOCATE ALL")
        self.assertEqual(self.Event.get_timeline_page(self.contact.id, limit=3), first)
        self.assertEqual(self._prepared_statements(), statements)
        # a search is not prepared
        self.Event.get_timeline_page(self.contact.id, search="m1")
        self.assertEqual(self._prepared_statements(), statements)
        # at most _PREPARED_MAX per connection (the system parameter): the
        # oldest goes
        params = self.env["ir.config_parameter"].sudo()
        params.set_param(timeline_module.PREPARED_MAX_PARAM, "1")
        self.Event.get_timeline_page(self.contact.id, categories=["message"])
        self.assertEqual(len(self._prepared_statements()), 1)
        self.assertNotEqual(self._prepared_statements(), statements)
        self.assertEqual(self.Event.get_timeline_page(self.contact.id, limit=3), first)
        self.assertEqual(self._prepared_statements(), statements)
        # 0: pages are not prepared; a value that is not a number: the default
        params.set_param(timeline_module.PREPARED_MAX_PARAM, "0")
        self.env.cr.execute("DEALLOCATE ALL")
        self.assertEqual(self.Event.get_timeline_page(self.contact.id, limit=3), first)
        self.assertEqual(self._prepared_statements(), [])
        params.set_param(timeline_module.PREPARED_MAX_PARAM, "many")
        self.assertEqual(self.Event._timeline_prepared_max(), 8)
        self.assertEqual(self.Event.get_timeline_page(self.contact.id, limit=3), first)
        self.assertEqual(self._prepared_statements(), statements)


@tagged("post_install", "-at_install")
class TestTimelineQuotationSent(TimelineCommon):
    """A quotation sent by email (the *Send by Email* composer) is a "quotation
    sent" event of the order: the email on the order, with the order's amount
    and salesperson; other messages on the order stay emails and notes."""

    def _send_quotation(self, order):
        action = order.action_quotation_send()
        composer = Form(
            # the action's context replaces the test's (no tracking_disable)
            self.env(context=action["context"])["mail.compose.message"]
        )
        composer.save().action_send_mail()
        return order.message_ids.filtered(lambda m: m.message_type == "comment")[:1]

    def _event_of(self, message):
        return self._events().filtered(
            lambda e: e.id == message.id * TIMELINE_CODE_SPAN + 11
        )

    def test_quotation_sent_from_the_email(self):
        salesman = new_test_user(
            self.env,
            login="cou_tl_sent_salesman",
            groups="sales_team.group_sale_salesman",
        )
        order = self._create_order(qty=3, price=40.0, user_id=salesman.id)
        draft_mail = order.message_post(
            message_type="comment", body="<p>Draft</p>", subtype_xmlid="mail.mt_comment"
        )
        self.assertEqual(
            self._event_of(draft_mail).event_type, "email", "a draft was not sent"
        )
        self.assertFalse(self._events().filtered(lambda e: e.event_type == "sale_sent"))

        sent = self._send_quotation(order)
        self.assertEqual(order.state, "sent")
        sent.date = datetime(2024, 2, 1, 10, 0)
        event = self._event_of(sent)
        self.assertEqual(
            (
                event.event_type,
                event.category,
                event.date,
                event.name,
                event.res_model,
                event.res_id,
            ),
            ("sale_sent", "sale", sent.date, order.name, "sale.order", order.id),
        )
        self.assertEqual(
            (event.amount, event.currency_id, event.user_id),
            (120.0, order.currency_id, salesman),
        )
        self.assertEqual(event.company_id, order.company_id)
        self.assertFalse(event.is_internal)
        self.assertEqual(event.display_name, f"Quotation sent {order.name}")

        note = order.message_post(
            message_type="comment", body="<p>Internal</p>", subtype_xmlid="mail.mt_note"
        )
        self.assertEqual(self._event_of(note).event_type, "note")
        portal = new_test_user(
            self.env, login="cou_tl_sent_portal", groups="base.group_portal"
        )
        question = (
            order.with_user(portal)
            .sudo()
            .message_post(
                message_type="comment",
                body="<p>A question</p>",
                subtype_xmlid="mail.mt_comment",
            )
        )
        self.assertEqual(
            self._event_of(question).event_type,
            "email",
            "the customer's comment is no quotation sent",
        )

        order.action_confirm()
        after = order.message_post(
            message_type="comment",
            body="<p>Thanks</p>",
            subtype_xmlid="mail.mt_comment",
        )
        after.date = order.date_order.replace(year=order.date_order.year + 1)
        self.assertEqual(
            self._event_of(sent).event_type, "sale_sent", "still sent once confirmed"
        )
        self.assertEqual(
            self._event_of(after).event_type,
            "email",
            "after the confirmation: an email",
        )

        # the page gives the same event, in the sales filter and not in the messages one
        page = self.Event.get_timeline_page(self.customer.id, categories=["sale"])[
            "events"
        ]
        sent_row = next(e for e in page if e["id"] == event.id)
        self.assertEqual(
            (sent_row["event_type"], sent_row["amount"], sent_row["name"]),
            ("sale_sent", 120.0, order.name),
        )
        self.assertEqual(sent_row["type_label"], "Quotation sent")
        page = self.Event.get_timeline_page(self.customer.id, categories=["message"])[
            "events"
        ]
        self.assertNotIn(event.id, [e["id"] for e in page])
        self.assertIn(after.id * TIMELINE_CODE_SPAN + 11, [e["id"] for e in page])

    def test_one_event_per_sending(self):
        """Each sending is one event (the composer with the quotation template,
        again after a change, and Mark as Sent); a follow-up email on the
        sent quotation, a reply by the salesperson, stays an email."""
        order = self._create_order(qty=1, price=40.0)
        first = self._send_quotation(order)
        follow_up = order.message_post(
            message_type="comment",
            body="<p>Did you get our quotation?</p>",
            subtype_xmlid="mail.mt_comment",
        )
        second = self._send_quotation(order)
        self.assertEqual(order.state, "sent")
        self.assertTrue(first.cou_quotation_sent and second.cou_quotation_sent)
        self.assertFalse(follow_up.cou_quotation_sent)
        self.assertEqual(
            [self._event_of(m).event_type for m in (first, follow_up, second)],
            ["sale_sent", "email", "sale_sent"],
        )
        page = self.Event.get_timeline_page(self.customer.id, categories=["sale"])
        self.assertEqual(
            sorted(e["id"] for e in page["events"] if e["event_type"] == "sale_sent"),
            sorted(self._event_of(m).id for m in (first, second)),
        )
        # Mark as Sent: its "Quotation sent" notification is the sending
        marked = self._create_order(qty=2, price=10.0)
        marked.action_quotation_sent()
        # its tracking posts the state change with the "Quotation sent"
        # subtype (the test environment disables tracking: posted as it does)
        marked.message_post(subtype_xmlid="sale.mt_order_sent", body="")
        notification = marked.message_ids.filtered("cou_quotation_sent")
        self.assertEqual(len(notification), 1)
        self.assertEqual(notification.subtype_id, self.env.ref("sale.mt_order_sent"))
        self.assertEqual(self._event_of(notification).event_type, "sale_sent")
        self.assertEqual(self._event_of(notification).name, marked.name)
        # sending the confirmation of a confirmed order is no quotation sent
        marked.action_confirm()
        confirmation = self._send_quotation(marked)
        self.assertFalse(confirmation.cou_quotation_sent)

    def test_activity_titled_by_its_type(self):
        order = self._create_order()
        activity = order.activity_schedule(
            "mail.mail_activity_data_meeting", summary="Kick-off"
        )
        activity.action_feedback(feedback="Agreed on delivery dates")
        event = self._events().filtered(lambda e: e.event_type == "activity")
        meeting = self.env.ref("mail.mail_activity_data_meeting")
        self.assertEqual(event.name, f"{meeting.name}: {order.name}")
        self.assertIn("Agreed on delivery dates", event.summary)
        self.assertEqual((event.res_model, event.res_id), ("sale.order", order.id))
        row = self.Event.get_timeline_page(self.customer.id, categories=["activity"])[
            "events"
        ][0]
        self.assertEqual(row["name"], event.name)


@tagged("post_install", "-at_install")
class TestTimelineViews(TimelineCommon):
    def test_returns_this_quarter_by_customer(self):
        """The shipped search filters answer "returns this quarter, grouped by
        customer" (complaints add their filter in the same group)."""
        arch = etree.fromstring(
            self.Event.get_views([(False, "search")])["views"]["search"]["arch"]
        )
        filters = {node.get("name"): node for node in arch.iter("filter")}
        for name in ("filter_return", "filter_date", "groupby_partner"):
            self.assertIn(name, filters)
        self._create_delivered_order_and_return()
        today = fields.Date.context_today(self.Event)
        domain = expression_and(
            [
                safe_eval(filters["filter_return"].get("domain")),
                [
                    (
                        "date",
                        ">=",
                        fields.Datetime.to_datetime(
                            fields.Date.start_of(today, "quarter")
                        ),
                    ),
                    (
                        "date",
                        "<",
                        fields.Datetime.to_datetime(
                            fields.Date.end_of(today, "quarter")
                        )
                        + timedelta(days=1),
                    ),
                ],
            ]
        )
        groups = dict(self.Event._read_group(domain, ["partner_id"], ["__count"]))
        self.assertEqual(groups.get(self.customer), 1, "one return")

    def test_timeline_smart_buttons(self):
        """The Timeline button is on the customer, sale order, delivery and
        invoice forms, and opens the customer's timeline."""
        action = self.env.ref("crm_order_unified.cou_timeline_event_action_timeline")
        for model in ("res.partner", "sale.order", "stock.picking", "account.move"):
            arch = self.env[model].get_views([(False, "form")])["views"]["form"]["arch"]
            self.assertIn(f'name="{action.id}"', arch, f"Timeline button on {model}")
        order = self._create_order()
        result = self.Event._get_timeline_action(order.partner_id)
        self.assertEqual(result["tag"], "crm_order_unified.timeline")
        self.assertEqual(result["context"], {"cou_partner_id": self.customer.id})

    def test_time_based_automation_on_events(self):
        """Events are usable in automated actions: a time-based rule on the
        event date (e.g. one day after an invoice became overdue) runs its
        server action on the matching events."""
        invoice = self._create_invoice(
            invoice_date="2024-03-05", invoice_date_due="2024-04-04"
        )
        model = self.env["ir.model"]._get("cou.timeline.event")
        automation = self.env["base.automation"].create(
            {
                "name": "Timeline: chase overdue invoices",
                "model_id": model.id,
                "trigger": "on_time",
                "trg_date_id": self.env["ir.model.fields"]
                ._get("cou.timeline.event", "date")
                .id,
                "trg_date_range": 1,
                "trg_date_range_type": "day",
                "filter_domain": "[('event_type', '=', 'invoice_overdue')]",
            }
        )
        self.env["ir.actions.server"].create(
            {
                "name": "Log the overdue invoice on the customer",
                "model_id": model.id,
                "base_automation_id": automation.id,
                "state": "code",
                "code": "for event in records:\n"
                "    env['res.partner'].browse(event.partner_id.id)"
                ".message_post(body='Chase ' + event.name)",
            }
        )
        self.env["base.automation"]._check()
        bodies = self.customer.message_ids.mapped("body")
        self.assertIn(f"<p>Chase {invoice.name}</p>", bodies)


@tagged("post_install", "-at_install")
class TestTimelineConfig(TimelineCommon):
    def test_every_event_type_has_an_icon(self):
        """Each event type, including those added through the extension point
        by other addons (complaints, segments, campaigns), has its icon in the
        web client."""
        config = self.env["cou.timeline.event"].get_timeline_config()
        types = [
            key
            for key, _label in self.env["cou.timeline.event"]
            ._fields["event_type"]
            .selection
        ]
        self.assertIn("sale_confirmed", types)
        missing = [key for key in types if not config["icons"].get(key)]
        self.assertFalse(missing, f"event types without an icon: {missing}")
