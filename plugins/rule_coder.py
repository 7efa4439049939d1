"""Credit-memo coder driven by a rule table the team edits: reason code → GL account.

The rules are a CSV file with the columns reason_code, gl_code, label and keywords
(keywords separated by ";"). The file is ``rules`` under ``[credit_memos]`` in the
settings (which ``$ARCTUI_MEMO_RULES`` overrides), else the bundled ``memo_rules.csv``. The
coder reads it on its first proposal and again only when the file changed (another size or
modification time): an edit counts at once, and a hint typed key by key reads nothing.

A proposal comes from the hint text (dispute reason, collector's note): the rule with the
most keywords found in it wins (the earlier rule on a tie); when no keyword matches, a word
of the hint that is a reason code picks that rule. The collector confirms or changes it.
"""

import csv
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from arctui.api import Coder, MemoContext, Proposal, ServiceError, hookimpl

BUNDLED_RULES = Path(__file__).resolve().parent / "memo_rules.csv"
COLUMNS = ("reason_code", "gl_code", "label", "keywords")
_REQUIRED = {"reason_code": "a reason code", "gl_code": "a GL account code"}
_WHERE = "name a rules CSV as rules under [credit_memos] in the settings file"


class RulesFileError(ServiceError):
    """A rules file that cannot be used; the message names the file, line and field."""


@dataclass(frozen=True)
class Rule:
    reason_code: str
    gl_code: str
    label: str
    keywords: tuple[str, ...]
    line: int

    def matches(self, hint: str) -> list[str]:
        return [kw for kw in self.keywords if re.search(rf"(?<!\w){re.escape(kw)}(?!\w)", hint)]


def rules_path(settings: Mapping) -> Path:
    """The rules file the ``[credit_memos]`` settings name, else the bundled one."""
    configured = settings.get("rules")
    return Path(configured).expanduser() if configured else BUNDLED_RULES


def load_rules(path: Path) -> list[Rule]:
    try:
        with open(path, encoding="utf-8", newline="") as stream:
            reader = csv.DictReader(stream)
            missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise RulesFileError(
                    f"{path} line 1: missing column(s) {', '.join(missing)}; expected the header {','.join(COLUMNS)}"
                )
            return _rules(path, reader)
    except (OSError, UnicodeDecodeError) as exc:
        raise RulesFileError(f"{path}: cannot be read ({exc}); {_WHERE}") from None


def _rules(path: Path, reader: csv.DictReader) -> list[Rule]:
    rules, seen = [], {}
    for row in reader:
        line = reader.line_num
        values = {c: (row.get(c) or "").strip() for c in COLUMNS}
        for column, expected in _REQUIRED.items():
            if not values[column]:
                raise RulesFileError(f"{path} line {line}: {column} is empty; expected {expected}")
        code = values["reason_code"]
        if code.casefold() in seen:
            raise RulesFileError(
                f"{path} line {line}: reason_code {code!r} is already on line"
                f" {seen[code.casefold()]}; expected one rule per reason"
            )
        seen[code.casefold()] = line
        keywords = tuple(kw.strip().casefold() for kw in values["keywords"].split(";") if kw.strip())
        rules.append(Rule(code, values["gl_code"], values["label"] or code, keywords, line))
    return rules


class RuleCoder:
    """Proposes from the rules file the settings name; keeps the rules it read until the
    file changes."""

    def __init__(self):
        self._read: tuple[Path, tuple[int, int], list[Rule]] | None = None

    def rules(self, path: Path) -> list[Rule]:
        """The file's rules: read again only when its size or modification time changed."""
        try:
            stat = path.stat()
        except OSError as exc:
            raise RulesFileError(f"{path}: cannot be read ({exc.strerror or exc}); {_WHERE}") from None
        stamp = (stat.st_mtime_ns, stat.st_size)
        if self._read is None or self._read[:2] != (path, stamp):
            self._read = (path, stamp, load_rules(path))
        return self._read[2]

    def propose(self, context: MemoContext) -> Proposal | None:
        path = rules_path(context.settings)
        rules = self.rules(path)
        hint = (context.hint or "").casefold()
        scored = [(len(found), -i, rule, found) for i, rule in enumerate(rules) if (found := rule.matches(hint))]
        if scored:
            _, _, rule, found = max(scored, key=lambda s: s[:2])
            words = ", ".join(repr(kw) for kw in found)
            return _proposal(rule, path, f"{words} in the hint")
        words = set(re.findall(r"\w+", hint))
        for rule in rules:
            if rule.reason_code.casefold() in words:
                return _proposal(rule, path, f"reason code {rule.reason_code!r} in the hint")
        return None


def _proposal(rule: Rule, path: Path, because: str) -> Proposal:
    return Proposal(rule.reason_code, rule.gl_code, f"{rule.label}: {because} ({path.name} line {rule.line})")


@hookimpl
def register_credit_memo_coders(register):
    register(Coder("rules", RuleCoder().propose))
