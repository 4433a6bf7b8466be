"""Complaint mail intake over JSON-RPC (issue 10): ``message_new`` and
``message_update`` are public, so a client may send them any JSON; each case
ends in a clear, translated error or a correct complaint, never a
traceback."""

import logging

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.crm_order_unified.tests.common_rpc import RpcCasesMixin

from .common import ComplaintCommon

_logger = logging.getLogger(__name__)
HUGE = 2**70


@tagged("post_install", "-at_install")
class TestComplaintRpc(RpcCasesMixin, ComplaintCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.known = cls.env["res.partner"].create(
            {"name": "Known Sender", "email": "known.sender@example.com"}
        )
        gone = cls.env["res.partner"].create({"name": "Gone"})
        cls.gone_id = gone.id
        gone.unlink()

    def _complaint(self, **expected):
        """A check of the complaint ``message_new`` returned."""

        def check(complaint):
            return (
                getattr(complaint, "_name", None) == "cou.complaint"
                and len(complaint) == 1
                and all(complaint[name] == value for name, value in expected.items())
            )

        return check

    def test_message_new(self):
        Complaint = self.env["cou.complaint"].with_user(self.user_agent)
        mail = {
            "email_from": "Known Sender <known.sender@example.com>",
            "subject": "Broken lid",
            "body": "<p>The lid arrived broken.</p>",
        }
        team = {"team_id": self.team.id}
        err = UserError
        cases = [
            # msg_dict
            ("mail", [mail], {}, self._complaint(partner_id=self.known)),
            (
                "mail keyword",
                [],
                {"msg_dict": mail},
                self._complaint(name="Broken lid"),
            ),
            ("mail null", [None], {}, err),
            ("mail list", [[mail]], {}, err),
            ("mail string", ["From: a@b.c"], {}, err),
            ("mail int", [42], {}, err),
            (
                "mail empty",
                [{}],
                {},
                self._complaint(partner_id=self.env["res.partner"]),
            ),
            ("no sender", [{"subject": "Who?"}], {}, self._complaint(name="Who?")),
            ("sender null", [{**mail, "email_from": None}], {}, self._complaint()),
            (
                "sender not an address",
                [{**mail, "email_from": "nobody"}],
                {},
                self._complaint(),
            ),
            ("sender int", [{**mail, "email_from": 12}], {}, err),
            ("sender list", [{**mail, "email_from": ["a@b.c"]}], {}, err),
            ("sender dict", [{**mail, "email_from": {"a": 1}}], {}, err),
            ("subject int", [{**mail, "subject": 3}], {}, err),
            ("subject list", [{**mail, "subject": ["x"]}], {}, err),
            (
                "subject empty",
                [{**mail, "subject": ""}],
                {},
                self._complaint(name="Complaint by email"),
            ),
            (
                "subject NUL",
                [{**mail, "subject": "Bro\x00ken"}],
                {},
                self._complaint(name="Broken"),
            ),
            ("body int", [{**mail, "body": 3}], {}, err),
            ("body dict", [{**mail, "body": {"html": "x"}}], {}, err),
            ("body null", [{**mail, "body": None}], {}, self._complaint()),
            ("body NUL", [{**mail, "body": "<p>a\x00b</p>"}], {}, self._complaint()),
            ("to int", [{**mail, "to": 5}], {}, err),
            ("message id list", [{**mail, "message_id": ["<x@y>"]}], {}, err),
            ("author string", [{**mail, "author_id": "7"}], {}, err),
            ("author huge", [{**mail, "author_id": HUGE}], {}, err),
            (
                "author deleted",
                [{**mail, "author_id": self.gone_id}],
                {},
                self._complaint(partner_id=self.known),
            ),
            (
                "author known",
                [{"author_id": self.known.id}],
                {},
                self._complaint(partner_id=self.known),
            ),
            (
                "attachments",
                [{**mail, "attachments": [["a.txt", "hello"]]}],
                {},
                self._complaint(),
            ),
            ("attachments string", [{**mail, "attachments": "a.txt"}], {}, err),
            ("attachments of ints", [{**mail, "attachments": [[1, 2]]}], {}, err),
            (
                "attachment without content",
                [{**mail, "attachments": [["a.txt"]]}],
                {},
                err,
            ),
            ("attachments dict", [{**mail, "attachments": {"a.txt": "x"}}], {}, err),
            # custom_values
            ("values team", [mail, team], {}, self._complaint(team_id=self.team)),
            (
                "values keyword",
                [mail],
                {"custom_values": team},
                self._complaint(team_id=self.team),
            ),
            ("values null", [mail, None], {}, self._complaint()),
            ("values list", [mail, [team]], {}, err),
            ("values string", [mail, "team"], {}, err),
            ("values team string", [mail, {"team_id": "x"}], {}, err),
            ("values team float", [mail, {"team_id": 1.5}], {}, err),
            ("values team huge", [mail, {"team_id": HUGE}], {}, err),
            ("values team deleted", [mail, {"team_id": 2**31 - 1}], {}, err),
            ("values unknown field", [mail, {"hack": 1}], {}, err),
            ("values priority unknown", [mail, {"priority": "urgent!"}], {}, err),
            (
                "values priority",
                [mail, {"priority": "2"}],
                {},
                self._complaint(priority="2"),
            ),
            ("values partner string", [mail, {"partner_id": "me"}], {}, err),
        ]
        with mute_logger("odoo.sql_db", "odoo.addons.mail.models.mail_thread"):
            errors, results = self._run_rpc_cases(Complaint, "message_new", cases)
        _logger.info("message_new: %s clean errors, %s results", errors, results)

    def test_message_update(self):
        complaint = self.env["cou.complaint"].create(
            {"name": "Open", "team_id": self.team.id}
        )
        Complaint = self.env["cou.complaint"].with_user(self.user_agent)
        err = UserError
        cases = [
            (
                "mail",
                [complaint.ids, {"subject": "Re: Open"}],
                {},
                lambda res: res is True,
            ),
            ("mail list", [complaint.ids, ["x"]], {}, err),
            ("subject int", [complaint.ids, {"subject": 1}], {}, err),
            ("values list", [complaint.ids, {}, ["x"]], {}, err),
            ("values unknown field", [complaint.ids, {}, {"hack": 1}], {}, err),
        ]
        errors, results = self._run_rpc_cases(Complaint, "message_update", cases)
        _logger.info("message_update: %s clean errors, %s results", errors, results)

    def test_message_new_error_in_japanese(self):
        self.env["res.lang"]._activate_lang("ja_JP")
        self.env["ir.module.module"]._load_module_terms(
            ["crm_order_unified_complaint"], ["ja_JP"], overwrite=True
        )
        Complaint = self.env["cou.complaint"].with_user(self.user_agent)
        with self.assertRaisesRegex(UserError, "メール"):
            Complaint.with_context(lang="ja_JP").message_new([])
