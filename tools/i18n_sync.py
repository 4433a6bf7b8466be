"""Export each addon's terms to its i18n/<addon>.pot and bring its
i18n/ja.po up to date with it.

Japanese texts come from the addon's existing ja.po, then from the other
addons' ja.po (a term moved between addons keeps its translation), then from
JSON files given on the command line ({"English source": "日本語"}). Prints
the terms still missing a Japanese text and exits 1 when there are any.

Usage: python tools/i18n_sync.py ODOO_CONF DB ADDON[,ADDON...] [translations.json ...]
"""

import io
import json
import os
import re
import sys

import polib

import odoo
from odoo.tools.translate import trans_export

ADDONS = os.path.join(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "addons"
)


def export_pot(registry, module):
    with registry.cursor() as cr:
        buf = io.BytesIO()
        trans_export(None, [module], buf, "po", cr)
    return buf.getvalue().decode()


def loose(text):
    """A term without its white space: a reformatted XML file (prettier)
    changes the indentation inside a mail template's body, not its text."""
    return re.sub(r"\s+", "", text)


def read_known(path):
    if not os.path.exists(path):
        return {}
    return {entry.msgid: entry.msgstr for entry in polib.pofile(path) if entry.msgstr}


def main():
    conf, db, modules, *json_files = sys.argv[1:]
    modules = [m for m in modules.split(",") if m]
    odoo.tools.config.parse_config(["-c", conf, "-d", db])
    registry = odoo.modules.registry.Registry(db)
    from_json = {}
    for path in json_files:
        with open(path) as f:
            from_json.update({src: ja for src, ja in json.load(f).items() if ja})
    others = {}
    for module in modules:
        for src, ja in read_known(
            os.path.join(ADDONS, module, "i18n", "ja.po")
        ).items():
            others.setdefault(src, ja)
    missing = 0
    for module in modules:
        missing += sync(registry, module, others, from_json)
    sys.exit(1 if missing else 0)


def sync(registry, module, others, from_json):
    i18n = os.path.join(ADDONS, module, "i18n")
    os.makedirs(i18n, exist_ok=True)
    pot_text = export_pot(registry, module)
    with open(os.path.join(i18n, f"{module}.pot"), "w") as f:
        f.write(pot_text)
    pot = polib.pofile(pot_text)
    ja_path = os.path.join(i18n, "ja.po")
    known = read_known(ja_path)
    for source in (others, from_json):
        for src, ja in source.items():
            known.setdefault(src, ja)
    by_loose = {loose(src): ja for src, ja in known.items()}
    for entry in pot:
        if entry.msgid not in known and loose(entry.msgid) in by_loose:
            known[entry.msgid] = by_loose[loose(entry.msgid)]

    ja = polib.POFile(wrapwidth=78)
    ja.metadata = dict(pot.metadata)
    ja.metadata.update(
        {
            "Project-Id-Version": "Odoo Server 18.0",
            "Language": "ja",
            "Language-Team": "Japanese",
            "Content-Type": "text/plain; charset=UTF-8",
            "Content-Transfer-Encoding": "",
            "Plural-Forms": "nplurals=1; plural=0;",
        }
    )
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
    print(
        f"{module}: {len(pot)} terms, {len(pot) - len(missing)} translated, "
        f"{len(missing)} missing",
        file=sys.stderr,
    )
    for msgid in missing:
        print(json.dumps({"addon": module, "msgid": msgid}, ensure_ascii=False))
    return len(missing)


if __name__ == "__main__":
    main()
