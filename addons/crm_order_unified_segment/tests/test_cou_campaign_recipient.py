"""Campaign recipients (cou.campaign.recipient) follow the mailing traces:
created, sent, opened, clicked, bounced, deleted, and moved with their
mailing's campaign; their running counts (cou.campaign.recipient.count)
always sum to the rows' figures."""

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

    def _counted(self, campaign):
        """The campaign's figures as its running counts sum them."""
        counts = self.env["cou.campaign.recipient.count"].search(
            [("campaign_id", "=", campaign.id)]
        )
        return tuple(
            sum(counts.mapped(name))
            for name in ("recipients", "delivered", "opened", "clicked")
        )

    def _assert_counts_exact(self, *campaigns):
        """The running counts equal a count of the recipient rows, and the
        dashboard shows them."""
        for campaign in campaigns:
            rows = self._rows(campaign)
            expected = (
                len(rows),
                len(rows.filtered("is_delivered")),
                len(rows.filtered("is_opened")),
                len(rows.filtered("is_clicked")),
            )
            self.assertEqual(self._counted(campaign), expected, campaign.title)
            campaign.invalidate_recordset()
            self.assertEqual(
                (
                    campaign.cou_recipient_count,
                    campaign.cou_delivered_count,
                    campaign.cou_opened_count,
                    campaign.cou_clicked_count,
                ),
                expected,
            )

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
        self._assert_counts_exact(self.campaign_x)
        second.set_opened()
        second.set_clicked()
        self._assert_counts_exact(self.campaign_x)
        # the same again changes nothing: no count row appended
        count_rows = self.env["cou.campaign.recipient.count"].search_count([])
        second.set_clicked()
        self.assertEqual(
            self.env["cou.campaign.recipient.count"].search_count([]), count_rows
        )
        self.assertEqual(
            self._row(self.campaign_x, self.p1), (SENT, later, True, True, True)
        )
        self.assertEqual(len(self._rows(self.campaign_x)), 2)
        # the delivered trace goes: the bounced one is left
        second.unlink()
        self.assertEqual(
            self._row(self.campaign_x, self.p1), (SENT, SENT, False, False, False)
        )
        self._assert_counts_exact(self.campaign_x)
        bounced.unlink()
        self.assertFalse(self._row(self.campaign_x, self.p1))
        self.assertEqual(self._rows(self.campaign_x).company_id, self.company)
        self._assert_counts_exact(self.campaign_x)

    def test_recipient_rows_move_with_the_mailing_campaign(self):
        self._trace(self.mailing_1, self.p1, "open")
        self._trace(self.mailing_2, self.p1, "sent")
        self._trace(self.mailing_2, self.p2, "sent")
        self._assert_counts_exact(self.campaign_x, self.campaign_y)
        self.mailing_2.campaign_id = self.campaign_y
        self._assert_counts_exact(self.campaign_x, self.campaign_y)
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
        self._assert_counts_exact(self.campaign_x, self.campaign_y)

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
        # the counts are rebuilt: one exact row
        counts = self.env["cou.campaign.recipient.count"].search(
            [("campaign_id", "=", self.campaign_x.id)]
        )
        self.assertEqual(len(counts), 1)
        self._assert_counts_exact(self.campaign_x)

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

    def test_counts_compacted_into_one_row_per_campaign(self):
        """Each change appends a row; the compaction cron folds a campaign's
        rows into one with the same sums and the widest sent dates."""
        later = SENT + timedelta(days=3)
        first = self._trace(self.mailing_1, self.p1, "sent")
        other = self._trace(self.mailing_2, self.p2, "sent", sent=later)
        first.set_opened()
        self._trace(self.mailing_1, self.p1, "sent").mass_mailing_id = self.mailing_2
        self.mailing_2.campaign_id = self.campaign_y
        other.set_clicked()
        Count = self.env["cou.campaign.recipient.count"]
        before = {c: self._counted(c) for c in (self.campaign_x, self.campaign_y)}
        self.assertGreater(
            Count.search_count([("campaign_id", "=", self.campaign_x.id)]), 1
        )
        # one campaign per statement: the loop goes on until all are folded
        self.assertGreaterEqual(Count._cron_cou_compact(batch_size=1, commit=False), 2)
        self.assertEqual(
            {
                count
                for _campaign, count in Count._read_group(
                    [], ["campaign_id"], ["__count"]
                )
            },
            {1},
        )
        for campaign, figures in before.items():
            counts = Count.search([("campaign_id", "=", campaign.id)])
            self.assertEqual(len(counts), 1)
            self.assertEqual(self._counted(campaign), figures)
        self._assert_counts_exact(self.campaign_x, self.campaign_y)
        self.assertEqual(
            Count.search([("campaign_id", "=", self.campaign_y.id)]).mapped(
                lambda c: (c.first_sent_datetime, c.last_sent_datetime)
            ),
            [(SENT, later)],
        )
        self.assertEqual(Count._cron_cou_compact(commit=False), 0)
        # the dashboard's counts also follow a campaign to another company
        self.campaign_y.company_id = self.env.company
        self.assertEqual(
            Count.search([("campaign_id", "=", self.campaign_y.id)]).company_id,
            self.env.company,
        )
