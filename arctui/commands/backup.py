"""``arctui backup DEST``: a consistent copy of the shared database, taken while the team works.

SQLite's online backup API copies the pages inside one read transaction: in WAL mode the
collectors keep writing meanwhile, and the copy is the database as of one commit. The copy
is written next to DEST under a temporary name, checked (``PRAGMA integrity_check``) and only
then renamed over DEST, so DEST is never half a database. It gets the database's own
group-shared mode (0660) and, where the user may, the database's group.
"""

import os
import sqlite3
from pathlib import Path

import click
from sqlite_utils import Database

from arctui.commands.common import db_option
from arctui.store.connection import BUSY_TIMEOUT_SECONDS, FILE_MODE
from arctui.store.read import book


@click.command(name="backup")
@click.argument("dest", type=click.Path(dir_okay=False, path_type=Path))
@db_option
@click.option("--force", is_flag=True, help="Replace DEST if it already exists.")
def command(dest: Path, db_path: str, force: bool):
    """Copy the database (--db) to DEST online: others may keep working meanwhile.

    Restore by stopping the consoles and copying DEST back over the database file.
    """
    from arctui.store.postgresql import is_url

    if is_url(db_path):
        raise click.ClickException(
            "a PostgreSQL book is backed up on its server: a base backup (pg_basebackup) and the WAL"
            " archived, as docs/shared-server.md says under 'Backups and restore on PostgreSQL'"
        )
    source = Path(db_path)
    if not source.is_file():
        raise click.ClickException(f"{source}: no such database file")
    if dest.exists() and dest.resolve() == source.resolve():
        raise click.ClickException(f"{dest} is the database itself; choose another file")
    if dest.exists() and not force:
        raise click.ClickException(f"{dest} already exists; add --force to replace it")
    partial = dest.with_name(f".{dest.name}.partial")
    try:
        _copy(source, partial)
        tables, rows = _check(partial)
        os.replace(partial, dest)
    finally:
        for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
            leftover.unlink(missing_ok=True)
    click.echo(f"{dest}: {dest.stat().st_size:,} bytes, {rows:,} rows in {tables} tables, integrity ok")


def _copy(source: Path, target: Path) -> None:
    target.unlink(missing_ok=True)
    os.close(os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, FILE_MODE))
    os.chmod(target, FILE_MODE)
    try:
        os.chown(target, -1, source.stat().st_gid)
    except PermissionError:
        click.secho(
            f"warning: {target.name} keeps your own group: you are not in the database's group", fg="yellow", err=True
        )
    reader = sqlite3.connect(source, timeout=BUSY_TIMEOUT_SECONDS)
    writer = sqlite3.connect(target)
    try:
        reader.backup(writer)  # all pages in one step: one read transaction, one snapshot
    except sqlite3.DatabaseError as exc:
        raise click.ClickException(f"{source}: cannot be copied ({exc})") from None
    finally:
        writer.close()
        reader.close()


def _check(copy: Path) -> tuple[int, int]:
    """The copy's integrity, then its tables and rows (what the message reports)."""
    db = Database(sqlite3.connect(copy))
    try:
        problems = book.integrity_problems(db)
        if problems:
            raise click.ClickException(f"the copy failed its integrity check: {'; '.join(problems[:5])}")
        counts = book.row_counts(db)
        return len(counts), sum(counts.values())
    finally:
        db.close()
