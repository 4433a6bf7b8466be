from types import SimpleNamespace
from unittest.mock import patch

import psycopg2

from odoo.tests import tagged
from odoo.tools import config

from odoo.addons.crm_order_unified.models import ir_http

from .common import CouCommon
from .common_readonly import ReadonlyCaseMixin


@tagged("post_install", "-at_install")
class TestReadonly(ReadonlyCaseMixin, CouCommon):
    """The read paths are ``@api.readonly`` (served by a read replica when
    Odoo has one) and give the same result on a read-only cursor: nothing
    they reach writes."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order = cls._cou_create_order(cls.customer_contact)
        cls._cou_deliver(cls.order)
        cls.invoice = cls._cou_invoice(cls.order)
        cls.open_order = cls._cou_create_order(
            cls.customer_company, [(cls.product_delivery, 2, 30.0)]
        )
        cls.customer_company.message_post(body="COU replica note")

    def test_timeline_page(self):
        Event = self.env["cou.timeline.event"].with_user(self.user_sale_manager)
        page = self.cou_assert_same_on_readonly(
            Event, "get_timeline_page", self.customer_contact.id, limit=3
        )
        self.assertEqual(len(page["events"]), 3)
        self.assertTrue(page["next_cursor"])
        following = self.cou_assert_same_on_readonly(
            Event,
            "get_timeline_page",
            self.customer_contact.id,
            cursor=page["next_cursor"],
            categories=["sale", "delivery", "invoice"],
        )
        self.assertTrue(following["events"])
        self.cou_assert_same_on_readonly(Event, "get_timeline_config")

    def test_customer_overview(self):
        partner = self.customer_contact.with_user(self.user_sale_manager)
        overview = self.cou_assert_same_on_readonly(partner, "get_customer_overview")
        figures = {figure["name"]: figure["value"] for figure in overview["figures"]}
        # both orders (100 + 60) are in the stored figures the replica reads
        self.assertEqual(figures["customer_order_count"], 2)
        self.assertEqual(figures["customer_ordered_revenue"], 160.0)
        events = self.cou_assert_same_on_readonly(
            partner, "get_customer_overview_events"
        )
        self.assertTrue(events)

    def test_dashboard(self):
        Dashboard = self.env["cou.dashboard"].with_user(self.user_hub_manager)
        data = self.cou_assert_same_on_readonly(Dashboard, "get_dashboard_data")
        self.assertTrue(data["sections"])

    def test_customer_context_on_documents(self):
        """The customer context of an order, a delivery and an invoice (their
        forms' ``web_read``, read-only in Odoo)."""
        spec = {
            "cou_customer_order_count": {},
            "cou_customer_ordered_revenue": {},
            "cou_customer_recent_order_ids": {"fields": {"display_name": {}}},
            "cou_customer_open_picking_ids": {"fields": {"display_name": {}}},
            "cou_customer_unpaid_invoice_ids": {"fields": {"display_name": {}}},
        }
        documents = (
            self.open_order,
            self.open_order.picking_ids[:1],
            self.invoice,
        )
        for document in documents:
            records = document.with_user(self.user_sale_manager)
            values = self.cou_assert_same_on_readonly(records, "web_read", spec)
            self.assertEqual(values[0]["cou_customer_order_count"], 2)

    def test_read_your_writes_session(self):
        """With a replica, a request that wrote keeps its transaction id in the
        session; a read-only request whose snapshot misses it is run again on
        the primary (Odoo retries on ``ReadOnlySqlTransaction``)."""
        IrHttp = self.env["ir.http"]
        self.customer_company.comment = "<p>written</p>"
        self.env.flush_all()
        self.env.cr.execute("SELECT pg_current_xact_id()::text")
        xid = self.env.cr.fetchone()[0]
        fake = SimpleNamespace(env=self.env, session={})
        with patch.object(ir_http, "request", fake):
            IrHttp._cou_remember_write()  # no replica configured: nothing kept
            self.assertEqual(fake.session, {})
            with patch.dict(config.options, {"db_replica_host": "localhost"}):
                IrHttp._cou_remember_write()
            self.assertEqual(fake.session, {ir_http.SESSION_WRITE_XID: xid})
            # on the primary: never checked
            fake.session[ir_http.SESSION_WRITE_XID] = "999999999999"
            IrHttp._cou_check_replica_caught_up()
        self.env.cr.execute(
            "SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint + 1000"
        )
        future = str(self.env.cr.fetchone()[0])
        with self.cou_readonly_env() as env:
            fake = SimpleNamespace(env=env, session={})
            with patch.object(ir_http, "request", fake):
                IrHttp.with_env(env)._cou_check_replica_caught_up()  # nothing kept
                # a transaction completed before the snapshot: read here
                fake.session[ir_http.SESSION_WRITE_XID] = "3"
                IrHttp.with_env(env)._cou_check_replica_caught_up()
                # not replayed yet: to the primary
                fake.session[ir_http.SESSION_WRITE_XID] = future
                with self.assertRaises(psycopg2.errors.ReadOnlySqlTransaction):
                    IrHttp.with_env(env)._cou_check_replica_caught_up()
