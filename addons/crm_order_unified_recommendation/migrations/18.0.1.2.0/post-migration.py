"""Product suggestions no longer keep their create/write user and date
(``_log_access = False``): drop the four columns and their foreign keys, which
every build checked for each of its rows."""

from odoo.tools import SQL


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        SQL(
            "ALTER TABLE cou_recommendation DROP COLUMN IF EXISTS create_uid, "
            "DROP COLUMN IF EXISTS create_date, DROP COLUMN IF EXISTS write_uid, "
            "DROP COLUMN IF EXISTS write_date"
        )
    )
