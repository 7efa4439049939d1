"""An empty book, the bundled importers, and the sample files in ``data/``."""

from datetime import date
from pathlib import Path

import pytest

from arctui.plugins import PluginHost
from arctui.services.context import Context, fixed_clock
from arctui.services.imports import run_import
from arctui.store.connection import connect

DATA = Path(__file__).parent / "data"
TODAY = date(2026, 11, 23)


@pytest.fixture
def ctx(book_target):
    db = connect(book_target, create=True)
    yield Context(db, "importer", fixed_clock(TODAY))
    db.close()


@pytest.fixture(scope="session")
def importers():
    return PluginHost().collect("importers")


@pytest.fixture
def load(ctx, importers):
    """``load(kind, file, **options)``: import one file, return the report."""

    def run(kind, file, options=None, **kwargs):
        path = file if isinstance(file, Path) else DATA / file
        return run_import(ctx, importers[kind], path, options, **kwargs)

    return run


def rows(ctx, sql, params=()):
    return [tuple(r) for r in ctx.db.execute(sql, params).fetchall()]
