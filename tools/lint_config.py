"""Read .pre-commit-config.yaml for scripts/lint.sh, which runs its hooks offline.

pre-commit cannot clone its hook repositories here, so lint.sh installs the same
tools from PyPI and npm. This helper keeps .pre-commit-config.yaml the single source
of the pinned versions and of the file selection (top-level ``exclude`` plus each
hook's ``files``). Standard library only (PyYAML is not in the venv), so it reads
the few keys it needs from the OCA layout of the file.

  python tools/lint_config.py versions      -> shell assignments of the pins
  python tools/lint_config.py files prettier -> files prettier checks, one a line
  python tools/lint_config.py files eslint   -> files eslint checks, one a line
"""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / ".pre-commit-config.yaml"
ESLINT_FILES = r"\.(js|mjs|cjs)$"  # pre-commit's "types: [javascript]"


def _text():
    return CONFIG.read_text(encoding="utf-8")


def top_level_exclude():
    """The verbose regex under the top-level ``exclude: |`` block."""
    lines = _text().splitlines()
    start = lines.index("exclude: |") + 1
    block = []
    for line in lines[start:]:
        if line and not line.startswith(" "):
            break
        block.append(line[2:])
    return re.compile("\n".join(block))


def hook_files(hook_id):
    """The ``files:`` regex of hook ``hook_id``."""
    match = re.search(
        r"- id: " + re.escape(hook_id) + r"\n(?:(?!\s+- id:).*\n)*?\s+files: (.+)\n",
        _text(),
    )
    if not match:
        sys.exit(f"lint_config: no files: for hook {hook_id} in {CONFIG}")
    return re.compile(match.group(1).strip().strip("'\""))


def versions():
    text = _text()

    def rev(repo):
        match = re.search(re.escape(repo) + r"\n\s+rev: v?(\S+)", text)
        if not match:
            sys.exit(f"lint_config: no rev for {repo} in {CONFIG}")
        return match.group(1)

    def npm(package):
        match = re.search(r'"' + re.escape(package) + r'@([^"]+)"', text)
        if not match:
            sys.exit(f"lint_config: no pin for {package} in {CONFIG}")
        return match.group(1)

    return {
        "RUFF_VERSION": rev("https://github.com/astral-sh/ruff-pre-commit"),
        "PYLINT_ODOO_VERSION": rev("https://github.com/OCA/pylint-odoo"),
        "PRETTIER_VERSION": npm("prettier"),
        "PRETTIER_XML_VERSION": npm("@prettier/plugin-xml"),
        "ESLINT_VERSION": npm("eslint"),
        "ESLINT_JSDOC_VERSION": npm("eslint-plugin-jsdoc"),
        "ESLINT_GLOBALS_VERSION": npm("globals"),
    }


def repo_files():
    """Tracked and untracked-but-not-ignored files, as pre-commit would see them
    once added."""
    out = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    ).stdout.decode()
    return sorted(p for p in set(out.split("\0")) if p and (ROOT / p).is_file())


def main(argv):
    if argv == ["versions"]:
        for key, value in versions().items():
            print(f"{key}={value}")
        return 0
    if len(argv) == 2 and argv[0] == "files":
        wanted = (
            re.compile(ESLINT_FILES) if argv[1] == "eslint" else hook_files(argv[1])
        )
        exclude = top_level_exclude()
        for path in repo_files():
            if wanted.search(path) and not exclude.search(path):
                print(path)
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
