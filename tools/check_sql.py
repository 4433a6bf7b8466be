"""Fail on SQL text built with f-strings, ``%``, ``.format``, ``+`` or ``str.join``.

SQL must be composed with ``odoo.tools.SQL`` inside Odoo and with ``psycopg2.sql``
in scripts; values go as query parameters. This check reads the Python files with
the ``ast`` module and looks at the first argument of

* ``<anything>.execute(...)``, ``.executemany(...)``, ``.mogrify(...)``,
  ``.copy_expert(...)``,
* ``SQL(...)`` and ``<module>.SQL(...)`` (``odoo.tools.SQL``, ``psycopg2.sql.SQL``).

The argument is flagged when it is an f-string with placeholders, a ``%``
formatting, a ``str.format`` call, a ``+`` concatenation or ``"...".join(...)`` of
strings, or a local name assigned such a value in the same function (or module).
``psycopg2.sql.SQL("...").format(...)`` is composition, not string formatting,
and is accepted.

A line may be accepted with a trailing comment ``# sql-ok: <reason>``; the reason
is mandatory.

Usage: python tools/check_sql.py [PATH ...]   (default: addons bench scripts tools)
Exit status 1 when something is found.
"""

import ast
import re
import sys
from pathlib import Path

EXEC_METHODS = {"execute", "executemany", "mogrify", "copy_expert"}
SQL_NAMES = {"SQL"}
DEFAULT_PATHS = ("addons", "bench", "scripts", "tools")
SKIP_DIRS = {"__pycache__", ".venv", "node_modules", ".git"}
OK_RE = re.compile(r"#\s*sql-ok:\s*\S")


def _is_sql_call(node):
    """``SQL(...)``, ``x.SQL(...)``, ``SQL.identifier(...)``, ``sql.Identifier(...)``"""
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    while isinstance(func, ast.Attribute):
        if func.attr in SQL_NAMES or func.attr in {
            "Identifier",
            "Literal",
            "Placeholder",
            "Composed",
        }:
            return True
        func = func.value
        if isinstance(func, ast.Call):
            return _is_sql_call(func)
    return isinstance(func, ast.Name) and func.id in SQL_NAMES


class Scope:
    """Assignments to simple names in one function (or the module body)."""

    def __init__(self, node):
        self.assigned = {}
        for sub in self._walk_own(node):
            if isinstance(sub, ast.Assign):
                for target in sub.targets:
                    if isinstance(target, ast.Name):
                        self.assigned.setdefault(target.id, []).append(sub.value)
            elif isinstance(sub, ast.AnnAssign | ast.AugAssign) and isinstance(
                sub.target, ast.Name
            ):
                if sub.value is not None:
                    value = sub.value
                    if isinstance(sub, ast.AugAssign):
                        value = ast.BinOp(
                            left=ast.Name(id=sub.target.id), op=sub.op, right=value
                        )
                    self.assigned.setdefault(sub.target.id, []).append(value)

    @staticmethod
    def _walk_own(node):
        """Walk ``node`` without entering nested functions or classes."""
        todo = list(ast.iter_child_nodes(node))
        while todo:
            sub = todo.pop()
            yield sub
            if not isinstance(
                sub, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda
            ):
                todo.extend(ast.iter_child_nodes(sub))


class Checker(ast.NodeVisitor):
    def __init__(self, path, source):
        self.path = path
        self.lines = source.splitlines()
        self.scopes = []
        self.findings = []

    # --- scopes -----------------------------------------------------------
    def visit_Module(self, node):
        self.scopes.append(Scope(node))
        self.generic_visit(node)
        self.scopes.pop()

    def visit_FunctionDef(self, node):
        self.scopes.append(Scope(node))
        self.generic_visit(node)
        self.scopes.pop()

    visit_AsyncFunctionDef = visit_FunctionDef

    def _values_of(self, name):
        for scope in reversed(self.scopes):
            if name in scope.assigned:
                return scope.assigned[name]
        return []

    # --- classification ---------------------------------------------------
    def _is_str(self, node, seen):
        """Whether ``node`` evaluates to a Python ``str`` (as far as we can tell)."""
        if isinstance(node, ast.Constant):
            return isinstance(node.value, str)
        if isinstance(node, ast.JoinedStr):
            return True
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Mod):
            return self._is_str(node.left, seen) or (
                isinstance(node.op, ast.Add) and self._is_str(node.right, seen)
            )
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr in {"format", "join", "replace", "strip"}:
                return self._is_str(node.func.value, seen)
        if isinstance(node, ast.IfExp):
            return self._is_str(node.body, seen) or self._is_str(node.orelse, seen)
        if isinstance(node, ast.Name) and node.id not in seen:
            seen = seen | {node.id}
            return any(self._is_str(v, seen) for v in self._values_of(node.id))
        return False

    def _why_dynamic(self, node, seen=frozenset()):
        """A short reason when ``node`` is SQL text built at run time, else None."""
        if isinstance(node, ast.JoinedStr):
            if any(isinstance(v, ast.FormattedValue) for v in node.values):
                return "f-string"
            return None
        if isinstance(node, ast.BinOp):
            if isinstance(node.op, ast.Mod) and not _is_sql_call(node.left):
                return "% formatting"
            if isinstance(node.op, ast.Add) and (
                self._is_str(node.left, seen) or self._is_str(node.right, seen)
            ):
                return "string concatenation"
            return self._why_dynamic(node.left, seen) or self._why_dynamic(
                node.right, seen
            )
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            receiver = node.func.value
            if _is_sql_call(receiver) or _is_sql_call(node):
                return None  # psycopg2 sql.SQL(...).format(...) / .join(...)
            if node.func.attr == "format" and self._is_str(receiver, seen):
                return ".format()"
            if node.func.attr == "join" and self._is_str(receiver, seen):
                return "str.join()"
            return None
        if isinstance(node, ast.IfExp):
            return self._why_dynamic(node.body, seen) or self._why_dynamic(
                node.orelse, seen
            )
        if isinstance(node, ast.Name) and node.id not in seen:
            seen = seen | {node.id}
            for value in self._values_of(node.id):
                why = self._why_dynamic(value, seen)
                if why:
                    return f"{why} (through variable {node.id!r})"
        return None

    # --- calls ------------------------------------------------------------
    def visit_Call(self, node):
        func = node.func
        target = None
        if isinstance(func, ast.Attribute) and func.attr in EXEC_METHODS:
            target = f".{func.attr}()"
        elif (isinstance(func, ast.Name) and func.id in SQL_NAMES) or (
            isinstance(func, ast.Attribute) and func.attr in SQL_NAMES
        ):
            target = "SQL()"
        if target and node.args:
            why = self._why_dynamic(node.args[0])
            if why and not self._accepted(node):
                self.findings.append(
                    f"{self.path}:{node.lineno}:{node.col_offset + 1}: "
                    f"SQL built with {why} passed to {target}; compose it with "
                    "odoo.tools.SQL / psycopg2.sql and pass values as parameters"
                )
        self.generic_visit(node)

    def _accepted(self, node):
        end = getattr(node, "end_lineno", node.lineno)
        return any(
            OK_RE.search(self.lines[i - 1])
            for i in range(node.lineno, end + 1)
            if 0 < i <= len(self.lines)
        )


def iter_files(paths):
    for raw in paths:
        path = Path(raw)
        if path.is_file() and path.suffix == ".py":
            yield path
        elif path.is_dir():
            for sub in sorted(path.rglob("*.py")):
                if not SKIP_DIRS.intersection(sub.parts):
                    yield sub


def main(argv):
    paths = argv or [p for p in DEFAULT_PATHS if Path(p).exists()]
    findings = []
    for path in iter_files(paths):
        source = path.read_text(encoding="utf-8")
        try:
            tree = ast.parse(source, filename=str(path))
        except SyntaxError as exc:
            findings.append(f"{path}:{exc.lineno}: syntax error: {exc.msg}")
            continue
        checker = Checker(path, source)
        checker.visit(tree)
        findings.extend(checker.findings)
    for line in findings:
        print(line)
    if findings:
        print(f"check_sql: {len(findings)} finding(s)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
