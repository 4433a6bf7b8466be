"""RFM scores and segment memberships no longer keep their create/write user
and date (``_log_access = False``; computed_at, date_from and date_to say
when): drop the four columns and their foreign keys, which every
recomputation checked for each row it wrote."""

from odoo.tools import SQL


def migrate(cr, version):
    if not version:
        return
    for table in ("cou_rfm_score", "cou_segment_member"):
        cr.execute(
            SQL(
                "ALTER TABLE %s DROP COLUMN IF EXISTS create_uid, "
                "DROP COLUMN IF EXISTS create_date, DROP COLUMN IF EXISTS write_uid, "
                "DROP COLUMN IF EXISTS write_date",
                SQL.identifier(table),
            )
        )
