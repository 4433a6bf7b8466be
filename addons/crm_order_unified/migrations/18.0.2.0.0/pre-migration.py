"""18.0.2.0.0 splits the Customer Hub into a core addon and one addon per
capability. On a database upgraded from 18.0.1.x, the records, models and
fields the capabilities now own change module before the core is loaded (so
the core's upgrade does not delete them as obsolete, dropping their tables and
columns), and the capability addons are marked to install in the same upgrade:
nothing a user had (complaints, segments, imported orders) is lost."""

import csv
import glob
import logging
import os
import re

from lxml import etree

from odoo.modules.module import get_module_path
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

# the module that now owns an xml id of the monolith, by the words in its name
OWNERS = [
    (
        "crm_order_unified_history_import",
        re.compile(r"history_import|cou_import|import_run|import_mapping"),
    ),
    (
        "crm_order_unified_complaint",
        re.compile(r"complaint|portal_my_home_menu|portal_my_home_complaint"),
    ),
    (
        "crm_order_unified_segment",
        re.compile(r"segment|rfm|campaign|holdout|mailing|utm|attribution|attributed"),
    ),
]


def _declared_ids(module):
    """The xml ids the module's own data files declare (records, templates,
    menus, access rights), read from its source."""
    path = get_module_path(module)
    names = set()
    if not path:
        return names
    for xml in glob.glob(os.path.join(path, "**", "*.xml"), recursive=True):
        for node in etree.parse(xml).iter():
            xid = node.get("id") if isinstance(node.tag, str) else None
            if xid and "." not in xid:
                names.add(xid)
    for access in glob.glob(os.path.join(path, "security", "*.csv")):
        with open(access, encoding="utf-8") as f:
            names.update(row["id"] for row in csv.DictReader(f) if row.get("id"))
    return names


def _new_owner(name, declared):
    for module, ids in declared.items():
        if name in ids:
            return module
    # models, fields, selections and constraints: by the words in their name
    for module, pattern in OWNERS:
        if pattern.search(name):
            return module
    return None


def migrate(cr, version):
    if not version:
        return
    declared = {module: _declared_ids(module) for module, _pattern in OWNERS}
    core = _declared_ids("crm_order_unified")
    cr.execute(
        SQL("SELECT id, name FROM ir_model_data WHERE module = 'crm_order_unified'")
    )
    moves = {}
    for xid, name in cr.fetchall():
        owner = None if name in core else _new_owner(name, declared)
        if owner:
            moves.setdefault(owner, []).append(xid)
    for module, ids in moves.items():
        cr.execute(
            SQL("UPDATE ir_model_data SET module = %s WHERE id = ANY(%s)", module, ids)
        )
        # the constraints and many2many tables of the moved models go along
        cr.execute(
            SQL(
                """UPDATE ir_model_constraint c SET module = m.id
                     FROM ir_module_module m, ir_module_module old
                    WHERE m.name = %s AND old.name = 'crm_order_unified' AND c.module =
                        old.id
                      AND c.model IN (SELECT res_id FROM ir_model_data
                                       WHERE id = ANY(%s) AND model = 'ir.model')""",
                module,
                ids,
            )
        )
        cr.execute(
            SQL(
                """UPDATE ir_module_module SET state = 'to install'
                    WHERE name = %s AND state = 'uninstalled'""",
                module,
            )
        )
        _logger.info(
            "crm_order_unified 18.0.2.0.0: %s records now belong to %s",
            len(ids),
            module,
        )
