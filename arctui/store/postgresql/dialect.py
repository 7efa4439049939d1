"""Our SQL is written in SQLite's dialect; this turns a statement into PostgreSQL's.

What differs in the words themselves is rewritten here, outside string literals and comments:
placeholders (``?`` and ``:name`` become psycopg's ``%s`` and ``%(name)s``), ``[name]``
quoting, ``INSERT OR IGNORE``/``OR REPLACE`` and upserts with no conflict target (the target
from the schema: ``complete_upsert``), ``rowid`` (our tables' ``id``), ``NOT INDEXED``,
``INDEXED BY``, ``CROSS JOIN ... ON``, ``LIMIT -1``, ``IN ()``, ``IS [NOT]``, ``LIKE`` (ILIKE: SQLite's ignores
case), ``GLOB`` (``~``), an unnamed derived table, the column ``by``, and a few functions PostgreSQL
names otherwise. SQLite's own functions with no PostgreSQL twin (``date`` with modifiers,
``julianday``, ``printf``, ``json_extract``, ``sum`` of conditions, the GLOB pattern) are
created by the PostgreSQL migrations (``postgresql/schema_001.sql``), so the read model's SQL
stays one text for both engines.
"""

import re
from functools import lru_cache

# SQLite name -> PostgreSQL name (``date`` is a PostgreSQL type: ``date('2026-01-01')`` is a cast)
_FUNCTIONS = {
    "date": "sqlite_date",
    "ifnull": "coalesce",
    "json_each": "json_array_elements_text",
    "json_object": "json_build_object",
}
_TOKENS = re.compile(
    r"""
      (?P<string>'(?:[^']|'')*')
    | (?P<quoted>"(?:[^"]|"")*")
    | (?P<comment>--[^\n]*|/\*.*?\*/)
    | (?P<bracket>\[[^\]]*\])
    | (?P<cast>::)
    | (?P<named>:[A-Za-z_]\w*)
    | (?P<mark>\?)
    | (?P<percent>%)
    | (?P<word>[A-Za-z_]\w*)
    | (?P<other>\s+|.)
    """,
    re.VERBOSE | re.DOTALL,
)
_INSERT_OR = re.compile(r"^\s*INSERT\s+OR\s+(IGNORE|REPLACE)\s+", re.IGNORECASE)


# words after which a parenthesised SELECT is a derived table (PostgreSQL 15 wants it named)
_TABLE_WORDS = ("from", "join")
# words that may follow a derived table where its name would be
_CLAUSE_WORDS = {
    "where",
    "group",
    "order",
    "limit",
    "union",
    "join",
    "left",
    "inner",
    "cross",
    "on",
    "having",
    "window",
}


@lru_cache(maxsize=4096)
def translate(sql: str, with_params: bool = True) -> str:
    """``sql`` in PostgreSQL's dialect; ``with_params`` when psycopg will bind parameters (then
    a literal ``%`` is doubled)."""
    ending = ""
    head = _INSERT_OR.match(sql)
    if head:  # the conflict target and the columns to set come from the schema (complete_upsert)
        ending = " ON CONFLICT DO NOTHING" if head.group(1).upper() == "IGNORE" else " ON CONFLICT DO UPDATE SET *"
        sql = "INSERT " + sql[head.end() :]
    tokens = [[m.lastgroup, m.group()] for m in _TOKENS.finditer(sql)]
    for index, token in enumerate(tokens):
        kind, text = token
        if kind == "bracket":
            token[1] = '"' + text[1:-1].replace('"', '""') + '"'
        elif kind in ("named", "mark"):
            token[1] = _param(text)
        elif kind in ("percent", "string") and with_params:
            token[1] = text.replace("%", "%%")
        elif kind == "word":
            token[1] = _word(text, tokens, index)
        elif text == "(" and _previous_word(tokens, index) in _TABLE_WORDS:
            _name_derived_table(tokens, index)
        elif text == "(" and _previous_word(tokens, index) == "in" and _text(tokens, _next_index(tokens, index)) == ")":
            token[1] = "(NULL"  # SQLite's empty list: x IN () is false (NOT IN () would be true: never written)
    result = "".join(text for _, text in tokens)
    return result.rstrip().rstrip(";") + ending if ending else result


def split_statements(sql: str) -> list[str]:
    """The statements of ``sql`` (split at each ``;`` outside literals and comments), without it."""
    statements, current = [], []
    for match in _TOKENS.finditer(sql):
        if match.lastgroup == "other" and match.group() == ";":
            statements.append("".join(current).strip())
            current = []
        else:
            current.append(match.group())
    statements.append("".join(current).strip())
    return [s for s in statements if s]


_UPSERT = re.compile(r'^\s*INSERT\s+INTO\s+"?(\w+)"?.*\sON CONFLICT DO UPDATE SET\s', re.IGNORECASE | re.DOTALL)


def upsert_table(sql: str) -> str | None:
    """The table of a translated SQLite upsert that names no conflict target (PostgreSQL needs one)."""
    found = _UPSERT.match(sql)
    return found.group(1) if found else None


def complete_upsert(sql: str, table: str, key: list[str], columns: list[str]) -> str:
    """A SQLite upsert with PostgreSQL's conflict target (``key``) and, in what it sets, the
    table's own columns named as the table's (bare, PostgreSQL finds them ambiguous with
    ``excluded``'s); ``SET *`` (from ``INSERT OR REPLACE``) sets every column of ``columns``."""
    head, _, sets = sql.rpartition(" ON CONFLICT DO UPDATE SET ")
    if sets.strip() == "*":
        sets = ", ".join(f'"{c}" = excluded."{c}"' for c in columns if c not in key)
    else:
        tokens = [[m.lastgroup, m.group()] for m in _TOKENS.finditer(sets)]
        for index, token in enumerate(tokens):
            name = token[1].strip('"')
            assigned = _text(tokens, _next_index(tokens, index)) == "="
            qualified = index > 0 and tokens[index - 1][1] == "."
            if token[0] in ("word", "quoted") and name in columns and not assigned and not qualified:
                token[1] = f'"{table}"."{name}"'
        sets = "".join(text for _, text in tokens)
    target = ", ".join(f'"{c}"' for c in key)
    return f"{head} ON CONFLICT ({target}) DO UPDATE SET {sets}"


def _word(text: str, tokens: list, index: int) -> str:
    lower = text.lower()
    following = _next_index(tokens, index)
    if lower == "by" and _previous_word(tokens, index) not in ("group", "order", "partition", "generated"):
        return '"by"'  # a column (who did it): a reserved word in PostgreSQL
    if lower == "rowid":
        return "id"
    if lower == "is":
        return _is(tokens, following)
    if lower == "like":
        return "ILIKE"  # SQLite's LIKE ignores the case of ASCII letters
    if lower == "glob" and tokens[following][0] in ("named", "mark", "string"):
        # SQLite's GLOB (case-sensitive, * ? and sets): a regular expression match of the pattern made one
        kind, pattern = tokens[following]
        tokens[following][1] = f"sqlite_glob({pattern if kind == 'string' else _param(pattern)})"
        if kind != "string":  # a literal still has its % doubled below
            tokens[following][0] = "done"
        return "~"
    if lower == "cross" and _text(tokens, following).lower() == "join" and _has_on(tokens, following):
        return ""  # SQLite's CROSS JOIN ... ON: an inner join whose order the planner keeps
    if lower == "limit" and tokens[following][0] in ("named", "mark"):
        # SQLite's LIMIT -1 (any negative): no limit, PostgreSQL's LIMIT NULL
        tokens[following] = ["done", f"nullif(greatest({_param(tokens[following][1])}, -1), -1)"]
        return text
    if lower == "not" and _text(tokens, following).lower() == "indexed":
        tokens[following][1] = ""
        return ""
    if lower == "indexed" and _text(tokens, following).lower() == "by":  # SQLite's INDEXED BY name: a hint
        tokens[following][1] = tokens[_next_index(tokens, following)][1] = ""
        return ""
    if _text(tokens, following) != "(":
        return text
    if lower in ("max", "min") and _top_level_commas(tokens, following):
        # SQLite's scalar max(a, b): greatest/least (which skip a NULL argument, SQLite's give NULL)
        return "greatest" if lower == "max" else "least"
    return _FUNCTIONS.get(lower, text)


def _param(mark: str) -> str:
    """A ``?`` or ``:name`` placeholder as psycopg's."""
    return "%s" if mark == "?" else f"%({mark[1:]})s"


def _is(tokens: list, following: int) -> str:
    """SQLite's ``a IS b`` / ``a IS NOT b`` compare any two values, NULL included: PostgreSQL's
    ``IS [NOT] DISTINCT FROM`` (``IS NULL``, ``IS TRUE`` ... stay)."""
    keep = ("null", "true", "false", "unknown", "distinct")
    after = _text(tokens, following).lower()
    if after == "not":
        if _text(tokens, _next_index(tokens, following)).lower() not in keep:
            tokens[following][1] = "DISTINCT FROM"
        return "IS"
    return "IS" if after in keep else "IS NOT DISTINCT FROM"


def _has_on(tokens: list, join: int) -> bool:
    """The table after ``join`` (and its alias) is followed by ``ON``."""
    index = join
    for _ in range(3):
        index = _next_index(tokens, index)
        if _text(tokens, index).lower() == "on":
            return True
    return False


def _name_derived_table(tokens: list, opening: int) -> None:
    if _text(tokens, _next_index(tokens, opening)).lower() not in ("select", "with"):
        return
    closing = _closing(tokens, opening)
    after = _text(tokens, _next_index(tokens, closing)).lower()
    if closing < len(tokens) and (after in _CLAUSE_WORDS or after in ("", ")", ",", ";")):
        tokens[closing][1] = f") AS derived_{opening}"


def _closing(tokens: list, opening: int) -> int:
    depth = 0
    for index in range(opening, len(tokens)):
        text = tokens[index][1] if tokens[index][0] == "other" else ""
        depth += (text == "(") - (text == ")")
        if depth == 0:
            return index
    return len(tokens)


def _top_level_commas(tokens: list, opening: int) -> int:
    depth, commas = 0, 0
    for index in range(opening, _closing(tokens, opening)):
        text = tokens[index][1] if tokens[index][0] == "other" else ""
        depth += (text == "(") - (text == ")")
        commas += text == "," and depth == 1
    return commas


def _previous_word(tokens: list, index: int) -> str:
    for earlier in range(index - 1, -1, -1):
        kind, text = tokens[earlier]
        if kind == "word":
            return text.lower()
        if text.strip() and kind != "comment":
            return ""
    return ""


def _next_index(tokens: list, index: int) -> int:
    for later in range(index + 1, len(tokens)):
        if tokens[later][0] != "comment" and tokens[later][1].strip():
            return later
    return len(tokens)


def _text(tokens: list, index: int) -> str:
    return tokens[index][1] if index < len(tokens) else ""


_INTEGER_KEY = re.compile(r"\b(\w+|\[[^\]]+\]) INTEGER PRIMARY KEY\b", re.IGNORECASE)
_INTEGER = re.compile(r"\bINTEGER\b", re.IGNORECASE)
_REAL = re.compile(r"\bREAL\b", re.IGNORECASE)


def translate_ddl(script: str) -> str:
    """A migration script written for SQLite, for PostgreSQL: an ``INTEGER PRIMARY KEY`` is an
    identity column (a row inserted without an id gets the next one), integers are 64-bit
    (money in cents must not overflow) and a REAL is 8 bytes as SQLite's, then the statement
    rewriting above, and generated columns that read one another inlined."""
    script = _INTEGER_KEY.sub(r"\1 BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY", script)
    script = _REAL.sub("DOUBLE PRECISION", _INTEGER.sub("BIGINT", script))
    return _inline_generated(translate(script, with_params=False))


def _inline_generated(script: str) -> str:
    """A generated column may not read another in PostgreSQL (SQLite lets it): each reference
    to an earlier generated column of the table becomes that column's expression."""
    tokens = [[m.lastgroup, m.group()] for m in _TOKENS.finditer(script)]
    generated: dict[str, str] = {}
    index = 0
    while index < len(tokens):
        text = tokens[index][1].lower()
        if text == "create":
            generated.clear()
        elif text == "generated" and [_text(tokens, i).lower() for i in _following(tokens, index, 3)] == [
            "always",
            "as",
            "(",
        ]:
            opening = _following(tokens, index, 3)[-1]
            closing = _closing(tokens, opening)
            for inner in range(opening, closing):
                if tokens[inner][0] in ("word", "quoted") and tokens[inner][1] in generated:
                    tokens[inner][1] = generated[tokens[inner][1]]
            generated[_column_of(tokens, index)] = "".join(t for _, t in tokens[opening : closing + 1])
            index = closing
        index += 1
    return "".join(text for _, text in tokens)


def _following(tokens: list, index: int, count: int) -> list[int]:
    found = []
    for _ in range(count):
        index = _next_index(tokens, index)
        found.append(index)
    return found


def _column_of(tokens: list, generated: int) -> str:
    """The column a GENERATED clause belongs to: the first word after the ``,`` or ``(`` before it."""
    index = generated
    while index > 0 and tokens[index - 1][1] not in (",", "("):
        index -= 1
    return tokens[_next_index(tokens, index - 1)][1]
