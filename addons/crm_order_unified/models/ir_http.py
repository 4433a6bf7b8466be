import psycopg2

from odoo import models
from odoo.http import request
from odoo.tools import SQL, config

# session key: id (xid8) of the last transaction of this session that wrote
SESSION_WRITE_XID = "cou_write_xid"


class IrHttp(models.AbstractModel):
    """Read your own writes on a read replica.

    With ``--db_replica_host``/``--db_replica_port``, Odoo 18 runs the
    web client's calls of ``@api.readonly`` methods (``read``, ``web_read``,
    ``web_search_read``, the timeline, the customer overview, the
    dashboards...) on a cursor of the replica, which replays the primary's
    changes a little later (streaming replication is asynchronous). A user
    who saves and opens the timeline at once could read the replica before
    it replayed the save, and miss it. So, when a replica is configured:

    * a request served on the primary that wrote (its transaction has an id)
      keeps that id in the session;
    * a request served on the replica whose snapshot does not include that
      transaction yet is run again on the primary: it raises
      ``ReadOnlySqlTransaction``, which ``odoo.http`` catches to retry the
      request on a read/write cursor, as when a read-only method writes.

    Other sessions read the replica as soon as it serves them: only the
    writer needs its own writes at once. Costs one query per request on a
    replica (none without a replica).
    """

    _inherit = "ir.http"

    @classmethod
    def _pre_dispatch(cls, rule, args):
        res = super()._pre_dispatch(rule, args)
        cls._cou_check_replica_caught_up()
        return res

    @classmethod
    def _post_dispatch(cls, response):
        cls._cou_remember_write()
        return super()._post_dispatch(response)  # saves the session

    @classmethod
    def _cou_check_replica_caught_up(cls):
        """On a read-only cursor, fall back to the primary while the
        session's last write is not visible yet."""
        cr = request.env.cr
        xid = request.session.get(SESSION_WRITE_XID)
        if not xid or not cr.readonly:
            return
        cr.execute(
            SQL("SELECT pg_visible_in_snapshot(%s::xid8, pg_current_snapshot())", xid)
        )
        if not cr.fetchone()[0]:
            raise psycopg2.errors.ReadOnlySqlTransaction(
                "the read replica has not replayed this session's last write yet"
            )

    @classmethod
    def _cou_remember_write(cls):
        """On the primary, with a replica configured: keep in the session
        the id of this request's transaction when it wrote."""
        if config["db_replica_host"] is False:
            return
        cr = request.env.cr
        if cr.readonly:
            return
        cr.execute("SELECT pg_current_xact_id_if_assigned()::text")
        xid = cr.fetchone()[0]
        if xid and request.session.get(SESSION_WRITE_XID) != xid:
            request.session[SESSION_WRITE_XID] = xid
