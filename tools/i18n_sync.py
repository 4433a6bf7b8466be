"""Export the addon's terms to i18n/crm_order_unified.pot and bring
i18n/ja.po up to date with it.

Japanese texts come from the existing ja.po and from JSON files given on the
command line ({"English source": "日本語"}). Prints the terms still missing a
Japanese text and exits 1 when there are any.

Usage: python tools/i18n_sync.py ODOO_CONF DB [translations.json ...]
"""
import io
import json
import os
import sys

import polib

import odoo
from odoo.tools.translate import trans_export

MODULE = "crm_order_unified"
I18N = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "addons", MODULE, "i18n")


def export_pot(conf, db):
    odoo.tools.config.parse_config(["-c", conf, "-d", db])
    registry = odoo.modules.registry.Registry(db)
    with registry.cursor() as cr:
        buf = io.BytesIO()
        trans_export(None, [MODULE], buf, "po", cr)
    return buf.getvalue().decode()


def main():
    conf, db, *json_files = sys.argv[1:]
    pot_text = export_pot(conf, db)
    pot_path = os.path.join(I18N, f"{MODULE}.pot")
    with open(pot_path, "w") as f:
        f.write(pot_text)
    pot = polib.pofile(pot_text)

    known = {}
    ja_path = os.path.join(I18N, "ja.po")
    if os.path.exists(ja_path):
        for entry in polib.pofile(ja_path):
            if entry.msgstr:
                known[entry.msgid] = entry.msgstr
    for path in json_files:
        with open(path) as f:
            for src, ja in json.load(f).items():
                if ja:
                    known.setdefault(src, ja)

    ja = polib.POFile(wrapwidth=78)
    ja.metadata = dict(pot.metadata)
    ja.metadata.update({
        "Project-Id-Version": "Odoo Server 18.0",
        "Language": "ja",
        "Language-Team": "Japanese",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "",
        "Plural-Forms": "nplurals=1; plural=0;",
    })
    missing = []
    for entry in pot:
        new = polib.POEntry(
            msgid=entry.msgid,
            msgstr=known.get(entry.msgid, ""),
            occurrences=entry.occurrences,
            comment=entry.comment,
            tcomment=entry.tcomment,
            flags=entry.flags,
        )
        if not new.msgstr:
            missing.append(entry.msgid)
        ja.append(new)
    ja.save(ja_path)
    print(f"{len(pot)} terms, {len(pot) - len(missing)} translated, {len(missing)} missing", file=sys.stderr)
    for msgid in missing:
        print(json.dumps(msgid, ensure_ascii=False))
    sys.exit(1 if missing else 0)


if __name__ == "__main__":
    main()
