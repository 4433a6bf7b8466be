"""Bad input over JSON-RPC (issue 10): the timeline page, the customer
overview and the dashboard answer arguments of any JSON type with a clear,
translated error or a correct result, never a traceback."""

import logging

from odoo.exceptions import AccessError, MissingError, UserError
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common_rpc import RpcCasesMixin

_logger = logging.getLogger(__name__)
HUGE = 2**70


def _page(count=None):
    """A check of a timeline page (``count`` events when given)."""

    def check(page):
        return (
            isinstance(page, dict)
            and isinstance(page.get("events"), list)
            and (count is None or len(page["events"]) == count)
        )

    return check


@tagged("post_install", "-at_install")
class TestRpcBadInput(RpcCasesMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company_b = cls.env["res.company"].create({"name": "RPC Company B"})
        cls.user = new_test_user(
            cls.env,
            login="cou_rpc_user",
            groups="base.group_user,sales_team.group_sale_salesman_all_leads,"
            "crm_order_unified.group_crm_order_unified_user",
        )
        Partner = cls.env["res.partner"]
        cls.customer = Partner.create({"name": "RPC Customer", "is_company": True})
        cls.contact = Partner.create(
            {"name": "RPC Contact", "parent_id": cls.customer.id}
        )
        cls.foreign = Partner.create(
            {"name": "RPC Foreign", "company_id": cls.company_b.id}
        )
        cls.gone = Partner.create({"name": "RPC Gone"})
        cls.gone_id = cls.gone.id
        cls.gone.unlink()
        cls.customer.message_post(body="First note", message_type="comment")
        cls.customer.message_post(body="Second note", message_type="comment")
        cls.customer.message_post(body="Third note", message_type="comment")
        cls.env.flush_all()

    def test_timeline_page(self):
        Event = self.env["cou.timeline.event"].with_user(self.user)
        pid = self.customer.id
        page = Event.get_timeline_page(pid, limit=1)
        cursor = page["next_cursor"]
        self.assertTrue(cursor)
        ok, err, acc = _page(), UserError, AccessError
        cases = [
            # partner_id
            ("partner int", [pid], {}, _page(3)),
            ("partner contact", [self.contact.id], {}, _page(3)),
            ("partner string", ["12"], {}, err),
            ("partner text", ["abc"], {}, err),
            ("partner float", [1.5], {}, err),
            ("partner list", [[pid]], {}, err),
            ("partner dict", [{"id": pid}], {}, err),
            ("partner null", [None], {}, err),
            ("partner false", [False], {}, err),
            ("partner true", [True], {}, err),
            ("partner zero", [0], {}, err),
            ("partner negative", [-pid], {}, err),
            ("partner huge", [HUGE], {}, err),
            ("partner int4 max", [2**31 - 1], {}, err),
            ("partner deleted", [self.gone_id], {}, err),
            ("partner of company B", [self.foreign.id], {}, acc),
            ("partner missing", [], {}, err),
            ("partner as keyword", [], {"partner_id": pid}, _page(3)),
            # limit
            ("limit 2", [pid], {"limit": 2}, _page(2)),
            ("limit string", [pid], {"limit": "10"}, err),
            ("limit float", [pid], {"limit": 2.5}, err),
            ("limit list", [pid], {"limit": [2]}, err),
            ("limit null", [pid], {"limit": None}, _page(3)),
            ("limit true", [pid], {"limit": True}, err),
            ("limit zero", [pid], {"limit": 0}, _page(3)),
            ("limit negative", [pid], {"limit": -5}, _page(1)),
            ("limit huge", [pid], {"limit": HUGE}, _page(3)),
            ("offset", [pid], {"offset": 10}, err),
            ("offset string", [pid], {"offset": "10", "limit": 2}, err),
            # cursor
            ("cursor of page 1", [pid], {"cursor": cursor, "limit": 5}, _page(2)),
            ("cursor false", [pid], {"cursor": False}, _page(3)),
            ("cursor null", [pid], {"cursor": None}, _page(3)),
            ("cursor string", [pid], {"cursor": "abc"}, err),
            ("cursor int", [pid], {"cursor": 5}, err),
            ("cursor float", [pid], {"cursor": 5.5}, err),
            ("cursor list", [pid], {"cursor": [cursor["date"], cursor["id"]]}, err),
            ("cursor empty dict", [pid], {"cursor": {}}, ok),
            ("cursor no id", [pid], {"cursor": {"date": cursor["date"]}}, err),
            ("cursor no date", [pid], {"cursor": {"id": cursor["id"]}}, err),
            (
                "cursor bad date",
                [pid],
                {"cursor": {**cursor, "date": "yesterday"}},
                err,
            ),
            ("cursor date int", [pid], {"cursor": {**cursor, "date": 20240101}}, err),
            (
                "cursor year 10000",
                [pid],
                {"cursor": {**cursor, "date": "10000-01-01"}},
                err,
            ),
            ("cursor date null", [pid], {"cursor": {**cursor, "date": None}}, err),
            ("cursor id string", [pid], {"cursor": {**cursor, "id": "7"}}, err),
            ("cursor id huge", [pid], {"cursor": {**cursor, "id": HUGE}}, err),
            ("cursor id negative", [pid], {"cursor": {**cursor, "id": -1}}, err),
            (
                "cursor year 1",
                [pid],
                {"cursor": {**cursor, "date": "0001-01-01"}},
                _page(0),
            ),
            # categories
            ("categories message", [pid], {"categories": ["message"]}, _page(3)),
            ("categories sale", [pid], {"categories": ["sale"]}, _page(0)),
            ("categories empty", [pid], {"categories": []}, _page(3)),
            ("categories null", [pid], {"categories": None}, _page(3)),
            ("categories string", [pid], {"categories": "message"}, err),
            ("categories dict", [pid], {"categories": {"message": 1}}, err),
            ("categories int", [pid], {"categories": 3}, err),
            ("categories of ints", [pid], {"categories": [1, 2]}, err),
            ("categories of null", [pid], {"categories": [None]}, err),
            ("categories nested", [pid], {"categories": [["message"]]}, err),
            ("categories unknown", [pid], {"categories": ["message", "hacking"]}, err),
            # dates and search
            ("date_from ok", [pid], {"date_from": "2000-01-01"}, _page(3)),
            ("date_to past", [pid], {"date_to": "2000-01-01 00:00:00"}, _page(0)),
            ("date_from garbage", [pid], {"date_from": "soon"}, err),
            ("date_from int", [pid], {"date_from": 2024}, err),
            ("date_to list", [pid], {"date_to": ["2024-01-01"]}, err),
            ("date_to month 13", [pid], {"date_to": "2024-13-01"}, err),
            ("date_to 9999", [pid], {"date_to": "9999-12-31 23:59:59"}, _page(3)),
            ("search text", [pid], {"search": "Second"}, ok),
            ("search NUL", [pid], {"search": "Sec\x00ond"}, ok),
            ("search int", [pid], {"search": 42}, err),
            ("search list", [pid], {"search": ["a"]}, err),
            ("search long", [pid], {"search": "x" * 10000}, _page(0)),
        ]
        with mute_logger("odoo.sql_db"):
            errors, results = self._run_rpc_cases(Event, "get_timeline_page", cases)
        _logger.info("get_timeline_page: %s clean errors, %s results", errors, results)

    def test_customer_overview(self):
        Partner = self.env["res.partner"].with_user(self.user)
        pid = self.customer.id

        def overview(value):
            return value["customer"]["id"] == pid

        def events(value):
            return isinstance(value, list) and len(value) == 3

        err, acc, miss = UserError, AccessError, MissingError
        ids_cases = [
            ("one id", [[pid]], overview, events),
            ("contact id", [[self.contact.id]], overview, events),
            ("no id", [[]], err, err),
            ("two ids", [[pid, self.contact.id]], err, err),
            ("string id", [["abc"]], err, err),
            ("float id", [[1.5]], err, err),
            ("null id", [[None]], err, err),
            ("huge id", [[HUGE]], err, err),
            ("negative id", [[-1]], err, err),
            ("deleted id", [[self.gone_id]], miss, miss),
            ("company B id", [[self.foreign.id]], acc, acc),
        ]
        errors = results = 0
        for method, index in (
            ("get_customer_overview", 2),
            ("get_customer_overview_events", 3),
        ):
            cases = [(case[0], case[1], {}, case[index]) for case in ids_cases]
            with mute_logger("odoo.sql_db"):
                counts = self._run_rpc_cases(Partner, method, cases)
            errors, results = errors + counts[0], results + counts[1]
        _logger.info("customer overview: %s clean errors, %s results", errors, results)

    def test_dashboard(self):
        Dashboard = self.env["cou.dashboard"].with_user(self.user)
        cases = [
            ("no argument", [], {}, lambda data: "sections" in data),
            ("context null", [], {"context": None}, lambda data: "sections" in data),
            (
                "company of another user",
                [],
                {"context": {"allowed_company_ids": [self.company_b.id]}},
                AccessError,
            ),
        ]
        errors, results = self._run_rpc_cases(Dashboard, "get_dashboard_data", cases)
        _logger.info("get_dashboard_data: %s clean errors, %s results", errors, results)

    def test_timeline_error_in_japanese(self):
        self.env["res.lang"]._activate_lang("ja_JP")
        self.env["ir.module.module"]._load_module_terms(
            ["crm_order_unified"], ["ja_JP"], overwrite=True
        )
        self.user.lang = "ja_JP"
        Event = self.env["cou.timeline.event"].with_user(self.user)
        with self.assertRaisesRegex(UserError, "タイムライン"):
            Event.with_context(lang="ja_JP").get_timeline_page("abc")
