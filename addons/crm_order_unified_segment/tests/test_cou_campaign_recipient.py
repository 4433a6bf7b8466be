"""Campaign recipients (cou.campaign.recipient) follow the mailing traces:
created, sent, opened, clicked, bounced, deleted, and moved with their
mailing's campaign."""

from datetime import datetime, timedelta

from odoo.tests import tagged

from .common import CouSegmentCommon

SENT = datetime(2025, 6, 1, 9, 0)


@tagged("post_install", "-at_install")
class TestCouCampaignRecipient(CouSegmentCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Campaign = cls.env["utm.campaign"].with_company(cls.company)
        cls.campaign_x, cls.campaign_y = (
            Campaign.create({"title": title, "company_id": cls.company.id})
            for title in ("COU Rcpt X", "COU Rcpt Y")
        )
        vals = {
            "body_html": "<p>Hello</p>",
            "mailing_model_id": cls.env["ir.model"]._get_id("res.partner"),
            "campaign_id": cls.campaign_x.id,
        }
        cls.mailing_1 = cls.env["mailing.mailing"].create(dict(vals, subject="One"))
        cls.mailing_2 = cls.env["mailing.mailing"].create(dict(vals, subject="Two"))
        cls.p1 = cls._seg_partner("COU Rcpt P1")
        cls.p2 = cls._seg_partner("COU Rcpt P2")

    def _trace(self, mailing, partner, status="sent", sent=SENT, clicked=None):
        return self.env["mailing.trace"].create(
            {
                "model": "res.partner",
                "res_id": partner.id,
                "mass_mailing_id": mailing.id,
                "email": partner.email,
                "trace_status": status,
                "sent_datetime": sent,
                "links_click_datetime": clicked,
            }
        )

    def _rows(self, campaign):
        return self.env["cou.campaign.recipient"].search(
            [("campaign_id", "=", campaign.id)]
        )

    def _row(self, campaign, partner):
        return {
            row.res_id: (
                row.first_sent_datetime,
                row.last_sent_datetime,
                row.is_delivered,
                row.is_opened,
                row.is_clicked,
            )
            for row in self._rows(campaign)
        }.get(partner.id)

    def test_recipient_rows_follow_the_traces(self):
        bounced = self._trace(self.mailing_1, self.p1, "bounce")
        self.assertEqual(
            self._row(self.campaign_x, self.p1), (SENT, SENT, False, False, False)
        )
        # not sent yet: no recipient
        outgoing = self._trace(self.mailing_1, self.p2, "outgoing", sent=False)
        self.assertFalse(self._row(self.campaign_x, self.p2))
        outgoing.set_sent()
        self.assertTrue(self._row(self.campaign_x, self.p2)[2], "sent: delivered")
        # a second mailing reaches P1: one row, flags of any of its traces
        later = SENT + timedelta(days=2)
        second = self._trace(self.mailing_2, self.p1, "sent", sent=later)
        self.assertEqual(
            self._row(self.campaign_x, self.p1), (SENT, later, True, False, False)
        )
        second.set_opened()
        second.set_clicked()
        self.assertEqual(
            self._row(self.campaign_x, self.p1), (SENT, later, True, True, True)
        )
        self.assertEqual(len(self._rows(self.campaign_x)), 2)
        # the delivered trace goes: the bounced one is left
        second.unlink()
        self.assertEqual(
            self._row(self.campaign_x, self.p1), (SENT, SENT, False, False, False)
        )
        bounced.unlink()
        self.assertFalse(self._row(self.campaign_x, self.p1))
        self.assertEqual(self._rows(self.campaign_x).company_id, self.company)

    def test_recipient_rows_move_with_the_mailing_campaign(self):
        self._trace(self.mailing_1, self.p1, "open")
        self._trace(self.mailing_2, self.p1, "sent")
        self._trace(self.mailing_2, self.p2, "sent")
        self.mailing_2.campaign_id = self.campaign_y
        self.assertEqual(self._rows(self.campaign_x).mapped("res_id"), [self.p1.id])
        self.assertTrue(
            self._row(self.campaign_x, self.p1)[3], "the opened trace stays"
        )
        self.assertEqual(
            sorted(self._rows(self.campaign_y).mapped("res_id")),
            sorted([self.p1.id, self.p2.id]),
        )
        self.mailing_2.unlink()
        self.assertFalse(self._rows(self.campaign_y))
        self.assertEqual(len(self._rows(self.campaign_x)), 1)

    def test_refresh_after_traces_written_with_sql(self):
        """A bulk loader writes traces with SQL, then refreshes the campaigns:
        the rows are those the ORM keeps."""
        self._trace(self.mailing_1, self.p1, "open", clicked=SENT)
        expected = self._row(self.campaign_x, self.p1)
        self.env.cr.execute(
            "DELETE FROM cou_campaign_recipient WHERE campaign_id = %s",
            [self.campaign_x.id],
        )
        self.env["cou.campaign.recipient"].invalidate_model()
        self.assertFalse(self._rows(self.campaign_x))
        self.env["cou.campaign.recipient"]._cou_refresh_campaigns(self.campaign_x.ids)
        self.assertEqual(self._row(self.campaign_x, self.p1), expected)
        self.assertEqual(expected, (SENT, SENT, True, True, True))

    def test_recipient_rows_follow_the_contacts_customer(self):
        """A contact's row knows its customer (the dashboard's order figures
        look recipients up by it), also when the contact moves to another
        company and after a refresh with SQL."""
        contact = self.env["res.partner"].create(
            {"name": "COU Rcpt Contact", "email": "cou.rcpt.contact@example.com"}
        )
        self._trace(self.mailing_1, contact, "sent")
        row = self._rows(self.campaign_x)
        self.assertEqual((row.partner_id, row.customer_id), (contact, contact))
        contact.parent_id = self.p1
        self.assertEqual(row.customer_id, self.p1)
        self.env["cou.campaign.recipient"]._cou_refresh_campaigns(self.campaign_x.ids)
        row = self._rows(self.campaign_x)
        self.assertEqual((row.partner_id, row.customer_id), (contact, self.p1))
