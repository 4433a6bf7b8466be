from odoo import api, fields, models
from odoo.tools import SQL


class CouCampaignRecipientCount(models.Model):
    """The campaign dashboard's mailing figures kept as running counts, so
    that opening the dashboard does not count a campaign's recipients again
    (100,000 rows for a large campaign) on every read.

    Rows are deltas: each refresh of recipient rows
    (``cou.campaign.recipient._cou_refresh``) appends one row per campaign it
    changed, with what it added and removed; a campaign's figures are the
    sums of its rows. Appending never updates a shared row, so concurrent
    clicks and opens on one campaign (tracking requests on several workers
    and servers) never wait on each other nor conflict. A rebuild
    (``_cou_refresh_campaigns``) replaces a campaign's rows by one row of
    its exact figures; the compaction cron folds each campaign's rows into
    one.

    The first and last sent dates bound the window the order figures scan:
    a row removed never narrows them (a wider window finds the same orders,
    each recipient's own dates decide), a rebuild makes them exact again.
    """

    _name = "cou.campaign.recipient.count"
    _description = "Campaign Recipient Counts"
    _rec_name = "campaign_id"
    _log_access = False

    # === FIELDS === #
    campaign_id = fields.Many2one(
        comodel_name="utm.campaign",
        string="Campaign",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(
        related="campaign_id.company_id", store=True, readonly=True
    )
    recipients = fields.Integer(readonly=True)
    delivered = fields.Integer(readonly=True)
    opened = fields.Integer(readonly=True)
    clicked = fields.Integer(readonly=True)
    first_sent_datetime = fields.Datetime(string="First Sent", readonly=True)
    last_sent_datetime = fields.Datetime(string="Last Sent", readonly=True)

    # === BUSINESS METHODS === #
    @api.model
    def _cou_fold_sql(self, rows):
        """INSERT of one row per campaign with the sums of ``rows`` (SQL of a
        FROM item with the columns campaign_id, recipients, delivered,
        opened, clicked, first_sent_datetime, last_sent_datetime): the
        widest sent dates, the company the campaign's."""
        return SQL(
            """
            INSERT INTO cou_campaign_recipient_count
                   (campaign_id, company_id, recipients, delivered, opened, clicked,
                    first_sent_datetime, last_sent_datetime)
            SELECT s.campaign_id, c.company_id,
                   SUM(s.recipients), SUM(s.delivered), SUM(s.opened),
                   SUM(s.clicked), MIN(s.first_sent_datetime),
                   MAX(s.last_sent_datetime)
              FROM %s s
              JOIN utm_campaign c ON c.id = s.campaign_id
             GROUP BY s.campaign_id, c.company_id
            """,
            rows,
        )

    @api.model
    def _cou_delta_sql(self, old, new):
        """INSERT of the deltas between recipient rows ``old`` (SQL of the
        rows as they were: campaign_id, model, res_id, first_sent_datetime,
        last_sent_datetime, is_delivered, is_opened, is_clicked) and ``new``
        (the same keys as they are written, first_sent NULL for a row
        removed; columns of cou.campaign.recipient._cou_aggregates_sql):
        one row per campaign with a changed recipient, for a data-modifying
        CTE of the statement that writes them."""
        return self._cou_fold_sql(
            SQL(
                """
                (SELECT n.campaign_id,
                        (n.first_sent IS NOT NULL)::int
                            - (o.campaign_id IS NOT NULL)::int AS recipients,
                        (n.first_sent IS NOT NULL AND n.delivered)::int
                            - COALESCE(o.is_delivered, FALSE)::int AS delivered,
                        (n.first_sent IS NOT NULL AND n.opened)::int
                            - COALESCE(o.is_opened, FALSE)::int AS opened,
                        (n.first_sent IS NOT NULL AND n.clicked)::int
                            - COALESCE(o.is_clicked, FALSE)::int AS clicked,
                        n.first_sent AS first_sent_datetime,
                        n.last_sent AS last_sent_datetime
                   FROM %(new)s n
                   LEFT JOIN %(old)s o
                          ON o.campaign_id = n.campaign_id AND o.model = n.model
                         AND o.res_id = n.res_id
                  WHERE (n.first_sent, n.last_sent, n.delivered, n.opened,
                         n.clicked)
                        IS DISTINCT FROM
                        (o.first_sent_datetime, o.last_sent_datetime,
                         o.is_delivered, o.is_opened, o.is_clicked))
                """,
                new=SQL.identifier(new),
                old=SQL.identifier(old),
            )
        )

    @api.model
    def _cou_rebuild(self, campaign_ids):
        """Replace the rows of ``campaign_ids`` by one row each of their
        exact figures, counted from their recipient rows."""
        if not campaign_ids:
            return
        self.env["cou.campaign.recipient"].flush_model()
        cr = self.env.cr
        cr.execute(
            SQL(
                "DELETE FROM cou_campaign_recipient_count WHERE campaign_id = ANY(%s)",
                list(campaign_ids),
            )
        )
        cr.execute(
            self._cou_fold_sql(
                SQL(
                    """
                    (SELECT r.campaign_id, 1 AS recipients,
                            COALESCE(r.is_delivered, FALSE)::int AS delivered,
                            COALESCE(r.is_opened, FALSE)::int AS opened,
                            COALESCE(r.is_clicked, FALSE)::int AS clicked,
                            r.first_sent_datetime, r.last_sent_datetime
                       FROM cou_campaign_recipient r
                      WHERE r.campaign_id = ANY(%s))
                    """,
                    list(campaign_ids),
                )
            )
        )
        self.invalidate_model()

    @api.model
    def _cron_cou_compact(self, batch_size=1000, commit=True):
        """Fold the rows of each campaign that has several into one (their
        sums), ``batch_size`` campaigns per statement (committed when
        ``commit``). Rows appended meanwhile by other transactions are not
        seen and stay as they are; returns the number of campaigns folded."""
        cr = self.env.cr
        folded = 0
        while True:
            cr.execute(
                SQL(
                    """
                    WITH many AS (
                        SELECT campaign_id FROM cou_campaign_recipient_count
                         GROUP BY campaign_id HAVING COUNT(*) > 1
                         ORDER BY campaign_id LIMIT %(limit)s
                    ),
                    gone AS (
                        DELETE FROM cou_campaign_recipient_count r
                         USING many m
                         WHERE r.campaign_id = m.campaign_id
                     RETURNING r.*
                    )
                    %(fold)s
                    """,
                    limit=batch_size,
                    fold=self._cou_fold_sql(SQL("gone")),
                )
            )
            count = cr.rowcount
            folded += count
            self.invalidate_model()
            if commit:
                cr.commit()  # pylint: disable=invalid-commit (batch cron: keep each batch)
            if count < batch_size:
                return folded
