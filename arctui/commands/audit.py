"""``arctui audit``: walk the audit hash chain; anchor its head outside the file."""

import os
import re
import tempfile

import click

from arctui.commands.common import db_option
from arctui.store import audit
from arctui.store.connection import connect

_HASH = re.compile(r"[0-9a-f]{64}")


@click.group(name="audit")
def command():
    """The append-only audit trail."""


def _verified(db) -> int:
    """Rows checked; a broken chain is an error naming its first bad row."""
    checked, bad_id, problem = audit.verify(db)
    if bad_id is not None:
        raise click.ClickException(f"audit row {bad_id} {problem}; {checked} rows before it verify")
    return checked


def _anchors(value: str) -> list[tuple[int | None, str, dict | None]]:
    """The anchors ``--anchor`` names: every ``rows N head HASH [chains ...]`` line of a file
    (a nightly log holds one a night; other text on a line, such as a date, is ignored), or the
    value itself: such a line, or a bare SHA-256 hash (a row's, from an anchor before schema 20)."""
    if os.path.isfile(value):
        try:
            with open(value, encoding="utf-8") as file:
                found = [m for line in file if (m := audit.ANCHOR.search(line))]
        except (OSError, UnicodeDecodeError) as exc:
            raise click.ClickException(f"--anchor {value}: cannot read it ({exc})") from None
        if not found:
            raise click.ClickException(f"--anchor {value}: no line `rows N head SHA256` in the file")
        return [_anchor(m) for m in found]
    if m := audit.ANCHOR.fullmatch(value.strip()):
        return [_anchor(m)]
    if _HASH.fullmatch(value.strip().lower()):
        return [(None, value.strip().lower(), None)]
    raise click.ClickException(
        f"--anchor {value}: no such file, and not a SHA-256 hash (expected a file from `arctui audit head -o`,"
        " or the 64 hex digits it printed)"
    )


def _anchor(match: re.Match) -> tuple[int, str, dict | None]:
    return int(match[1]), match[2], audit.parse_chains(match[4]) if match[3] else None


@command.command(name="verify")
@db_option
@click.option(
    "--anchor",
    "anchor",
    metavar="FILE|HASH",
    help="Also check the rows anchored earlier by `arctui audit head` (its file, or the hash it printed).",
)
def verify(db_path, anchor):
    """Check the hash chain; name the first row that was tampered with."""
    anchors = _anchors(anchor) if anchor is not None else []
    db = connect(db_path)
    checked = _verified(db)
    for rows, head_hash, chains in anchors:
        problem = audit.check_anchor(db, rows, head_hash, chains)
        if problem is not None:
            raise click.ClickException(f"{problem}; the chain's {checked} rows verify, but not against the anchor")
    held = f"; {len(anchors)} anchor{'s' if len(anchors) != 1 else ''} held" if anchors else ""
    click.echo(f"audit chain ok: {checked} rows verified{held}")


@command.command(name="head")
@db_option
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help="Write the anchor to this file (replacing it) instead of printing it.",
)
def head(db_path, output):
    """Print the trail's row count and last hash, after verifying the chain: an anchor to
    keep where collectors cannot write, checked later by `arctui audit verify --anchor`."""
    db = connect(db_path)
    _verified(db)
    line = audit.anchor_line(*audit.head(db))
    if output is None:
        click.echo(line)
        return
    try:
        _write_replacing(output, line + "\n")
    except OSError as exc:
        raise click.ClickException(f"{output}: cannot write the anchor ({exc.strerror or exc})") from None
    click.echo(f"{output}: {line}")


def _write_replacing(path: str, text: str) -> None:
    """Write ``text`` to ``path`` whole or not at all (a temporary file renamed over it)."""
    fd, temporary = tempfile.mkstemp(prefix=".anchor-", dir=os.path.dirname(os.path.abspath(path)))
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as file:
            file.write(text)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise
