"""The seam between SQLite and PostgreSQL: one SQL text, rendered for PostgreSQL.

Every repository is written once, in the SQL SQLite runs as it is (its hot paths are tuned
and measured, see bench/README.md). PostgreSQL runs the same statements rendered by
``render``: a fixed list of translations, each for a construct whose meaning is the same in
both and only its spelling differs. Anything outside that list is written portably at the
source instead (a guarded UPDATE rather than UPDATE OR IGNORE, a subquery alias, ``= 1``
rather than an integer used as a truth value), and ``render`` refuses what it cannot
translate rather than guess.

What is translated (SQLite → PostgreSQL):

- ``?``, ``?N`` and ``:name`` placeholders → ``$n``; each parameter is cast to the type of
  its Python value (``bigint``, ``text``, ``float8``), and a None is written as a literal
  NULL, so PostgreSQL never has to guess a parameter's type;
- ``INSERT OR IGNORE`` → ``INSERT ... ON CONFLICT DO NOTHING``;
- ``min(a, b)`` / ``max(a, b)`` (scalar, two or more arguments) → ``LEAST`` / ``GREATEST``
  (which skip a NULL where SQLite's return NULL: every use keeps its operands NOT NULL or
  wraps them in ``coalesce(min(a, b), a, b)``, which reads the same in both);
- ``a IS NOT b`` (b not NULL) → ``a IS DISTINCT FROM b``; ``a = b COLLATE NOCASE`` →
  ``lower(a) = lower(b)``; a unary ``+column`` (a hint to SQLite's planner) is dropped;
- JSON: ``json_each(x)`` → ``jsonb_array_elements`` (``_text`` when no element is an
  array) with SQLite's ``value`` and zero-based ``key`` columns, ``json_extract(v, '$[N]')``
  → ``v->>N``, ``json_extract(v, :path)`` and ``json_remove`` with a path from
  ``key_path``, ``json_group_array`` / ``json_group_object`` (``[]`` / ``{}`` when empty,
  as in SQLite), ``json_array``, ``json(x)``;
- ``group_concat(x)`` → ``string_agg``; ``date(x, '-1 day')`` → date arithmetic as text;
- ``CAST(<JSON element> AS INTEGER)`` → ``CAST(... AS BIGINT)`` (SQLite integers are
  64-bit, and JSON elements carry ids);
- inside ``ON CONFLICT ... DO UPDATE`` a bare column is the existing row's (SQLite's reading;
  PostgreSQL wants it qualified with the table name);
- an INSERT into a table with a generated ``id`` returns it (``cursor.lastrowid``).

Comments are dropped, and string literals are never rewritten. Text columns on PostgreSQL
have the "C" collation, so text sorts and ``lower()`` folds as in SQLite (bytes, ASCII).

Timestamps stay ISO-8601 text in UTC in both databases: every comparison, every ordering
and every value read back is then the same string in both, and no query needs a second
spelling for time arithmetic (all of it is done in Python).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any


class DialectError(Exception):
    """A statement uses SQLite SQL that the PostgreSQL rendering does not translate."""


def sqlite_key_path(key: object) -> str:
    """Return SQLite's JSON path to a key of a JSON object (json_extract, json_remove)."""
    return f'$."{key}"'


def postgres_key_path(key: object) -> str:
    """Return PostgreSQL's path (a text[] literal) to a key of a JSON object (#>, #-)."""
    return "{" + '"' + str(key).replace("\\", "\\\\").replace('"', '\\"') + '"' + "}"


_STRING_OR_COMMENT = re.compile(r"'(?:[^']|'')*'|--[^\n]*")
_LITERAL = re.compile(r"\x00(\d+)\x00")
_PLACEHOLDER = re.compile(r"\?(\d+)?|(?<![:\w]):([A-Za-z_]\w*)")
_WORD = re.compile(r"[A-Za-z_][A-Za-z_0-9]*")
# Words after json_each(...) that are clauses, not an alias of it.
_NOT_ALIAS = {
    "where",
    "on",
    "join",
    "left",
    "inner",
    "cross",
    "group",
    "order",
    "limit",
    "union",
    "as",
    "having",
    "window",
    "returning",
}


@dataclass
class Catalog:
    """What the rendering needs to know of the schema: columns, and generated ids."""

    columns: dict[str, frozenset[str]] = field(default_factory=dict)
    generated_ids: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Rendered:
    """A statement rendered for PostgreSQL, waiting for its parameters' types."""

    # The text with parameters marked \x01<index>\x01 (index into the caller's names).
    text: str
    # Placeholder names in order of first appearance (ints for positional ones).
    names: tuple[str | int, ...]
    positional: bool
    returns_rows: bool
    # An INSERT, UPDATE or DELETE (its cursor has a rowcount).
    changes: bool


def _protect(sql: str) -> tuple[str, list[str]]:
    """Replace string literals with markers (and drop comments); return text and literals."""
    literals: list[str] = []

    def keep(match: re.Match[str]) -> str:
        literals.append(match.group(0))
        return f"\x00{len(literals) - 1}\x00"

    # Whichever starts first: a "--" inside a string is no comment, and an apostrophe in a
    # comment ("partners' reasons") opens no string.
    def one(match: re.Match[str]) -> str:
        return "" if match.group(0).startswith("--") else keep(match)

    return _STRING_OR_COMMENT.sub(one, sql), literals


def _restore(text: str, literals: list[str]) -> str:
    return _LITERAL.sub(lambda m: literals[int(m.group(1))], text)


def _close(text: str, open_at: int) -> int:
    """Return the index of the parenthesis closing the one at ``open_at``."""
    depth = 0
    for index in range(open_at, len(text)):
        char = text[index]
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return index
    raise DialectError(f"unbalanced parentheses in: {text[:80]}")


def _split_args(inner: str) -> list[str]:
    """Split a function's argument list at its top-level commas."""
    args: list[str] = []
    depth = 0
    start = 0
    for index, char in enumerate(inner):
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "," and depth == 0:
            args.append(inner[start:index])
            start = index + 1
    args.append(inner[start:])
    return [a.strip() for a in args]


def _rewrite_calls(text: str, names: set[str], rewrite: Any) -> str:
    """Rewrite every call of a function in ``names`` (innermost first) with ``rewrite``."""
    pattern = re.compile(r"(?<![\w.\x02])(" + "|".join(sorted(names)) + r")\s*\(", re.IGNORECASE)
    while True:
        matches = list(pattern.finditer(text))
        if not matches:
            return text
        # The last match opens the innermost (or a later, disjoint) call: rewrite it first.
        done = False
        for match in reversed(matches):
            open_at = match.end() - 1
            close_at = _close(text, open_at)
            inner = text[open_at + 1 : close_at]
            if pattern.search(inner):
                continue
            replacement = rewrite(match.group(1).lower(), _split_args(inner), text, close_at)
            if replacement is None:
                continue
            new, end = replacement if isinstance(replacement, tuple) else (replacement, close_at)
            text = text[: match.start()] + new + text[end + 1 :]
            done = True
            break
        if not done:
            return text


class _Renderer:
    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog

    def render(self, sql: str) -> Rendered:
        text, literals = _protect(sql)
        text, names, positional = _mark_placeholders(text)
        lowered = text.lower()
        if re.search(r"\bpragma\b|\bor\s+(replace|rollback|abort|fail)\b", lowered):
            raise DialectError(f"no PostgreSQL rendering for: {sql.strip()[:80]}")
        if re.search(r"\bupdate\s+or\s+ignore\b", lowered):
            raise DialectError("UPDATE OR IGNORE: write the update with a NOT EXISTS guard")
        ignore = bool(re.search(r"\binsert\s+or\s+ignore\b", lowered))
        text = re.sub(r"(?i)\binsert\s+or\s+ignore\b", "INSERT", text)
        text = re.sub(r"(?i)\bwithout\s+rowid\b", "", text)
        text = self._json(text, literals)
        text = self._functions(text, literals)
        # JSON numbers are ids here: 64-bit. (A cast of a truth value stays INTEGER.)
        text = re.sub(
            r"(?i)CAST\((\([\w.]+->>\d+\)|value)\s+AS\s+INTEGER\s*\)", r"CAST(\1 AS BIGINT)", text
        )
        text = re.sub(r"(?i)\bIS\s+NOT\s+(?!NULL\b|DISTINCT\b)", "IS DISTINCT FROM ", text)
        text = re.sub(
            r"(?i)([\w.]+)\s*=\s*([\w.\x01]+)\s+COLLATE\s+NOCASE", r"lower(\1) = lower(\2)", text
        )
        if re.search(r"(?i)\bCOLLATE\b", text):
            raise DialectError(f"COLLATE outside 'a = b COLLATE NOCASE': {sql.strip()[:80]}")
        # A unary plus before a column only steers SQLite's planner.
        text = re.sub(r"(?<=[\s(=<>,])\+(?=[A-Za-z_])", "", text)
        text = self._conflict_columns(text)
        if ignore:
            text = self._append(text, "ON CONFLICT DO NOTHING")
        text = self._returning_id(text)
        head = text.lstrip().lower()
        returns_rows = head.startswith(("select", "with", "values")) or bool(
            re.search(r"\breturning\b", text, re.IGNORECASE)
        )
        changes = head.startswith(("insert", "update", "delete"))
        return Rendered(_restore(text, literals), names, positional, returns_rows, changes)

    @staticmethod
    def _append(text: str, clause: str) -> str:
        """Add a clause at the end of the statement, before its RETURNING if any."""
        match = re.search(r"(?i)\bRETURNING\b", text)
        if match:
            return f"{text[: match.start()]} {clause} {text[match.start() :]}"
        return f"{text.rstrip().rstrip(';')} {clause}"

    def _returning_id(self, text: str) -> str:
        match = re.match(r"(?is)\s*INSERT\s+INTO\s+(\w+)", text)
        if match is None or re.search(r"(?i)\bRETURNING\b", text):
            return text
        if match.group(1).lower() in self.catalog.generated_ids:
            return f"{text.rstrip().rstrip(';')} RETURNING id"
        return text

    def _json(self, text: str, literals: list[str]) -> str:
        elements = (
            "jsonb_array_elements"
            if re.search(r"(?i)json_extract\s*\(\s*(\w+\.)?value\s*,", text)
            else "jsonb_array_elements_text"
        )

        def rewrite(name: str, args: list[str], whole: str, close_at: int) -> Any:
            if name == "json_extract":
                if len(args) != 2:
                    raise DialectError("json_extract with more than one path")
                target, path = args
                literal = _LITERAL.fullmatch(path)
                if literal:
                    index = re.fullmatch(r"'\$\[(\d+)\]'", literals[int(literal.group(1))])
                    if index is None:
                        raise DialectError(f"JSON path {literals[int(literal.group(1))]}")
                    return f"({target}->>{index.group(1)})"
                return f"(CAST({target} AS jsonb) #> CAST({path} AS text[]))"
            if name == "json_remove":
                target, path = args
                return f"CAST(CAST({target} AS jsonb) #- CAST({path} AS text[]) AS text)"
            if name == "json_group_array":
                return f"coalesce(json_agg({args[0]}), CAST('[]' AS json))"
            if name == "json_group_object":
                return f"coalesce(json_object_agg({args[0]}, {args[1]}), CAST('{{}}' AS json))"
            if name == "json_array":
                return f"json_build_array({', '.join(args)})"
            if name == "json":
                return f"CAST({args[0]} AS json)"
            if name == "json_each":
                source = (
                    f"(SELECT e.value, e.ord - 1 AS key FROM "
                    f"{elements}(CAST({args[0]} AS jsonb)) WITH ORDINALITY AS e(value, ord))"
                )
                after = _WORD.match(whole[close_at + 1 :].lstrip())
                if after is None or after.group(0).lower() in _NOT_ALIAS:
                    if after is not None and after.group(0).lower() == "as":
                        return source
                    return f"{source} AS json_each"
                return source
            return None

        names = {
            "json_extract",
            "json_remove",
            "json_group_array",
            "json_group_object",
            "json_array",
            "json",
            "json_each",
        }
        return _rewrite_calls(text, names, rewrite)

    def _functions(self, text: str, literals: list[str]) -> str:
        def rewrite(name: str, args: list[str], whole: str, close_at: int) -> Any:
            if name in ("min", "max"):
                if len(args) < 2:
                    return f"\x02{name}({args[0]})"  # an aggregate: left alone
                return f"{'LEAST' if name == 'min' else 'GREATEST'}({', '.join(args)})"
            if name == "group_concat":
                if len(args) != 1:
                    raise DialectError("group_concat with a separator")
                return f"string_agg(CAST({args[0]} AS text), ',')"
            if name == "date":
                if len(args) != 2:
                    raise DialectError("date() other than date(x, modifier)")
                return (
                    f"to_char(CAST({args[0]} AS date) + CAST({args[1]} AS interval), 'YYYY-MM-DD')"
                )
            return None

        text = _rewrite_calls(text, {"min", "max", "group_concat", "date"}, rewrite)
        return text.replace("\x02", "")

    def _conflict_columns(self, text: str) -> str:
        match = re.search(r"(?is)\bDO\s+UPDATE\s+SET\b", text)
        if match is None:
            return text
        table = re.match(r"(?is)\s*INSERT\s+INTO\s+(\w+)", text)
        if table is None:
            raise DialectError("DO UPDATE outside INSERT INTO")
        name = table.group(1)
        columns = self.catalog.columns.get(name.lower())
        if columns is None:
            raise DialectError(f"unknown table {name} in an upsert")
        head, tail = text[: match.end()], text[match.end() :]
        if re.search(r"(?i)\bSELECT\b", tail):
            # A bare column there could be another table's: qualify them yourself.
            raise DialectError("a subquery inside DO UPDATE: not rendered")
        out: list[str] = []
        position = 0
        depth = 0
        expect_target = True  # the first word after SET (or a top-level comma) is assigned
        for token in re.finditer(r"[A-Za-z_][\w]*|\(|\)|,|\.|\x00\d+\x00|\S", tail):
            out.append(tail[position : token.start()])
            position = token.end()
            value = token.group(0)
            if value == "(":
                depth += 1
            elif value == ")":
                depth -= 1
            elif value == "," and depth == 0:
                expect_target = True
                out.append(value)
                continue
            elif re.fullmatch(r"(?i)WHERE|RETURNING", value):
                expect_target = False
            if _WORD.fullmatch(value):
                before = tail[: token.start()].rstrip()
                after = tail[token.end() :].lstrip()
                qualified = before.endswith(".") or after.startswith((".", "("))
                if expect_target and depth == 0:
                    expect_target = False
                elif not qualified and value.lower() in columns:
                    value = f"{name}.{value}"
            out.append(value)
        out.append(tail[position:])
        return head + "".join(out)


def _mark_placeholders(text: str) -> tuple[str, tuple[str | int, ...], bool]:
    names: list[str | int] = []
    kinds: set[str] = set()
    counter = 0

    def mark(match: re.Match[str]) -> str:
        nonlocal counter
        if match.group(2) is not None:
            kinds.add("named")
            key: str | int = match.group(2)
        elif match.group(1) is not None:
            kinds.add("numbered")
            key = int(match.group(1)) - 1
        else:
            kinds.add("positional")
            key = counter
            counter += 1
        if key not in names:
            names.append(key)
        return f"\x01{names.index(key)}\x01"

    marked = _PLACEHOLDER.sub(mark, text)
    if len(kinds) > 1:
        raise DialectError("a statement mixes placeholder styles")
    return marked, tuple(names), "named" not in kinds


_PARAM = re.compile(r"\x01(\d+)\x01")


def _cast(value: object) -> str:
    if isinstance(value, bool | int):
        return "bigint"
    if isinstance(value, float):
        return "float8"
    if isinstance(value, bytes):
        return "bytea"
    return "text"


class PostgresDialect:
    """Render SQLite-flavoured statements for asyncpg, once per statement and shape."""

    def __init__(self, catalog: Catalog | None = None) -> None:
        self._renderer = _Renderer(catalog or Catalog())
        self._rendered: dict[str, Rendered] = {}
        self._final: dict[tuple[str, tuple[str | None, ...]], tuple[str, tuple[int, ...]]] = {}

    def set_catalog(self, catalog: Catalog) -> None:
        """Use the schema as it now is (after migrations); forget earlier renderings."""
        self._renderer = _Renderer(catalog)
        self._rendered.clear()
        self._final.clear()

    def rendered(self, sql: str) -> Rendered:
        """Return the statement's rendering (cached)."""
        found = self._rendered.get(sql)
        if found is None:
            found = self._rendered[sql] = self._renderer.render(sql)
        return found

    def bind(
        self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()
    ) -> tuple[str, list[Any], bool]:
        """Return (PostgreSQL text, its arguments, whether it returns rows)."""
        rendered = self.rendered(sql)
        if rendered.positional:
            if isinstance(params, Mapping):
                raise DialectError("named parameters for a statement with ? placeholders")
            values = [params[key] for key in rendered.names]  # type: ignore[index]
        else:
            if not isinstance(params, Mapping):
                raise DialectError("positional parameters for a statement with :names")
            values = [params[key] for key in rendered.names]  # type: ignore[index]
        values = [int(v) if isinstance(v, bool) else v for v in values]
        shape = tuple(None if v is None else _cast(v) for v in values)
        final = self._final.get((sql, shape))
        if final is None:
            numbers: dict[int, int] = {}
            kept: list[int] = []

            def number(match: re.Match[str]) -> str:
                index = int(match.group(1))
                if shape[index] is None:
                    return "NULL"
                if index not in numbers:
                    kept.append(index)
                    numbers[index] = len(kept)
                return f"${numbers[index]}::{shape[index]}"

            final = self._final[(sql, shape)] = (_PARAM.sub(number, rendered.text), tuple(kept))
        text, kept_indexes = final
        return text, [values[i] for i in kept_indexes], rendered.returns_rows


def verb(sql: str) -> str:
    """Return the statement's first keyword, lower case (comments skipped)."""
    text, _ = _protect(sql)
    words = text.split(None, 1)
    return words[0].lower() if words else ""


def bytewise_text(ddl: str) -> str:
    """Give every TEXT column of a DDL script the "C" collation (comments left alone)."""
    text, literals = _protect(ddl)
    text = re.sub(r"(?<![\w\x00])TEXT\b(?!\s+COLLATE)", 'TEXT COLLATE "C"', text)
    return _restore(text, literals)


def translate_ddl(statement: str) -> str:
    """Render one portable DDL statement of a migration for PostgreSQL.

    Ids (``id``, ``*_id``, ``*_by``: Telegram ids need 64 bits) become BIGINT and other
    INTEGER columns INTEGER (so that their sums stay integers, not numerics); an
    ``INTEGER PRIMARY KEY`` (SQLite's row id) becomes a generated identity; REAL becomes
    DOUBLE PRECISION; WITHOUT ROWID goes; TEXT compares bytewise (``bytewise_text``).
    """
    text, literals = _protect(statement)
    text = re.sub(r"(?i)\bwithout\s+rowid\b", "", text)
    text = re.sub(
        r"(?i)\bINTEGER\s+PRIMARY\s+KEY(\s+AUTOINCREMENT)?",
        "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
        text,
    )
    text = re.sub(r"(?i)\b(id|\w+_id|\w+_by)(\s+)INTEGER\b", r"\1\2BIGINT", text)
    text = re.sub(r"(?i)\bREAL\b", "DOUBLE PRECISION", text)
    return bytewise_text(_restore(text, literals))


__all__ = [
    "Catalog",
    "DialectError",
    "PostgresDialect",
    "bytewise_text",
    "postgres_key_path",
    "sqlite_key_path",
    "translate_ddl",
    "verb",
]
