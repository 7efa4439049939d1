"""Processes for the crash proof to kill -9 at random moments.

``python tests/proof/crash_driver.py`` is a fork server: it imports arctui and loads the
plugins once, then for each line on its standard input forks a child that does the work
(a second of imports per kill would make sixty kills a minute of waiting). The child prints
``ready PID`` once it has opened the database and works until it is killed, or, for
dunning, until the run ends; the server reaps it when told ``reap`` and prints
``exit CODE`` (-9 for a kill), so a pid is never reused while the parent may still kill it.

    import DB DIR ROWS                  # import file after file: ROWS invoices, ROWS receipts
    save DB LOG PLAN PAYMENT INVOICE    # the console's save path, again and again
    dunning DB                          # one `arctui dunning run`

``save`` is the console's save path: the console's forms call only services, so a form's
save is exactly ``plans.edit_plan`` (the plan editor) and ``cash.apply_payment`` (the cash
application form), called here in a loop as a collector saving again and again would.
Each acknowledged save is logged (``edit VERSION`` / ``apply``) when the service returned.
Every file written for ``import`` is named in DIR/started.log before its import begins and
in DIR/imported.log once the import returned.
"""

import os
import random
import sys
import traceback
from datetime import timedelta
from pathlib import Path

if __package__ in (None, ""):  # run by path: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from arctui.config import Settings  # noqa: E402
from arctui.domain.plans import equal_schedule  # noqa: E402
from arctui.plugins import PluginHost  # noqa: E402
from arctui.services import cash, plans  # noqa: E402
from arctui.services.context import Context, fixed_clock  # noqa: E402
from arctui.services.dunning import run_dunning  # noqa: E402
from arctui.services.email import open_transport  # noqa: E402
from arctui.services.imports import run_import  # noqa: E402
from arctui.store.connection import connect  # noqa: E402
from tests.proof.book import TODAY, bai2_statement  # noqa: E402

USER = "w02"


def ready() -> None:
    print(f"ready {os.getpid()}", flush=True)


def append(log: Path, line: str) -> None:
    with open(log, "a") as f:
        f.write(line + "\n")


def import_files(ctx: Context, folder: Path, rows: int) -> None:
    """Alternately an invoice file (CSV) and a bank statement (BAI2) whose receipts pay those
    invoices: the statement's import applies the cash in the same transaction."""
    importers = ctx.plugins.collect("importers")
    account = ctx.db.execute("SELECT account_no FROM customers LIMIT 1").fetchone()[0]
    ready()
    for n in range(1, 1_000_000):
        tag = f"{random.randrange(10**9):09d}"
        open_invoices = [
            row[0]
            for row in ctx.db.execute(
                "SELECT number FROM invoices WHERE number LIKE 'KX-%' AND open_cents > 100 ORDER BY random() LIMIT ?",
                [rows],
            )
        ]
        if n % 2 == 0 and len(open_invoices) == rows:
            kind, path = "bai2", folder / f"s{tag}.bai2"
            path.write_text(bai2_statement(f"S{tag}", open_invoices))
        else:
            kind, path = "invoices", folder / f"i{tag}.csv"
            path.write_text(
                "number,account_no,issue_date,amount\n"
                + "".join(f"KX-{tag}{k:04d},{account},2026-10-01,{100 + k}.25\n" for k in range(rows))
            )
        append(folder / "started.log", f"{kind} {path}")
        report = run_import(ctx, importers[kind], path)
        assert report.written, report.rejected
        append(folder / "imported.log", f"{kind} {path}")


def save_forever(ctx: Context, log: Path, plan_id: int, payment_id: int, invoice_id: int) -> None:
    rng = random.Random()
    ready()
    while True:
        version = ctx.db.execute("SELECT version FROM payment_plans WHERE id = ?", [plan_id]).fetchone()[0]
        total = rng.randint(10_000, 99_999)
        plans.edit_plan(
            ctx, plan_id, version, total, equal_schedule(total, rng.randint(2, 12), TODAY + timedelta(days=7), "weekly")
        )
        append(log, f"edit {version + 1}")
        paid = ctx.db.execute("SELECT version FROM payments WHERE id = ?", [payment_id]).fetchone()[0]
        cash.apply_payment(ctx, payment_id, [(invoice_id, rng.randint(1, 99))], paid)
        append(log, "apply")


def dunning_run(ctx: Context) -> None:
    transport = open_transport(ctx)
    ready()
    run_dunning(ctx, transport)


def main(settings: Settings, host: PluginHost, mode: str, db_path: str, *args: str) -> None:
    ctx = Context(connect(db_path), USER, fixed_clock(TODAY), settings, host)
    if mode == "import":
        import_files(ctx, Path(args[0]), int(args[1]))
    elif mode == "save":
        save_forever(ctx, Path(args[0]), *map(int, args[1:]))
    elif mode == "dunning":
        dunning_run(ctx)
    else:
        raise SystemExit(f"unknown mode {mode!r}: import, save or dunning")


def serve() -> None:
    settings, host = Settings.load(), PluginHost()  # as the CLI makes them, once per process
    for kind in ("importers", "senders"):
        host.collect(kind)
    print("serving", flush=True)
    while line := sys.stdin.readline():
        pid = os.fork()
        if pid == 0:
            random.seed()  # not the server's sequence
            code = 0
            try:
                main(settings, host, *line.split())
            except BaseException:
                traceback.print_exc()
                code = 1
            sys.stdout.flush()
            os._exit(code)
        sys.stdin.readline()  # "reap": the parent is done with the child's pid
        _, status = os.waitpid(pid, 0)
        print(f"exit {os.waitstatus_to_exitcode(status)}", flush=True)


if __name__ == "__main__":
    serve()
