"""One collector saving without pause on a PostgreSQL primary until it is lost (tests/pg/test_failover.py).

    python tests/pg/failover_writer.py URL LOG --seed N

It connects as the collector's own role (the URL's user) and acts as that role. Every action a
service acknowledged (returned from) is appended to LOG as one JSON line ``{"action", "entity_id"}``
before the next starts. A refusal (a user error) is skipped. The first other error (the primary
is gone) is logged as ``{"in_doubt": ...}``: sent but never acknowledged, it may or may not
have been committed. Then the worker stops; it also stops after ``--seconds`` (``{"timeout"}``).
"""

import argparse
import json
import random
import sys
import time
from datetime import timedelta
from functools import partial
from pathlib import Path

if __package__ in (None, ""):  # run by path: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from arctui.domain.statuses import OUTCOME_CODES, TOUCHPOINT_KINDS  # noqa: E402
from arctui.services.context import Context, acting_user, fixed_clock  # noqa: E402
from arctui.services.errors import ServiceError  # noqa: E402
from arctui.services.promises import record_promise  # noqa: E402
from arctui.services.touchpoints import log_touchpoint  # noqa: E402
from arctui.store.connection import connect, replayed  # noqa: E402
from tests.proof.book import TODAY  # noqa: E402


def touchpoint(ctx: Context, customer_id: int, rng: random.Random) -> tuple[str, int]:
    kind = rng.choice(TOUCHPOINT_KINDS)
    follow_up = TODAY + timedelta(days=rng.randint(0, 9))
    return f"touchpoint.{kind}", log_touchpoint(
        ctx, customer_id, kind, rng.choice(list(OUTCOME_CODES)), note="failover", follow_up_date=follow_up
    )


def promise(ctx: Context, customer_id: int, rng: random.Random) -> tuple[str, int]:
    promised = TODAY + timedelta(days=rng.randint(0, 20))
    return "promise.record", record_promise(ctx, customer_id, rng.randint(100, 10_000), promised)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("log", type=Path)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--seconds", type=float, default=120)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    db = connect(args.url)
    ctx = Context(db, acting_user(db, None), fixed_clock(TODAY))
    customers = [row[0] for row in db.execute("SELECT id FROM customers")]
    deadline = time.monotonic() + args.seconds
    with args.log.open("a") as log:
        while time.monotonic() < deadline:
            try:
                act = partial(rng.choice((touchpoint, promise)), ctx, rng.choice(customers), rng)
                action, entity_id = replayed(db, act)  # as the console saves: a conflict's loser runs again
            except ServiceError:
                continue
            except Exception as exc:  # the server is gone: this action is in doubt, and so is the connection
                log.write(json.dumps({"in_doubt": f"{type(exc).__name__}: {exc}"}) + "\n")
                return
            log.write(json.dumps({"action": action, "entity_id": str(entity_id)}) + "\n")
            log.flush()
        log.write(json.dumps({"timeout": args.seconds}) + "\n")


if __name__ == "__main__":
    main()
