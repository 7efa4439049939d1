"""A deterministic, realistic sample book: ``generate(path, SampleSpec(...))``.

Every row comes from ``random.Random`` streams seeded by (seed, section), so the same
arguments give byte-for-byte the same table contents. The ledger reconciles: an invoice's
open balance is its amount less the cash applied to it and the posted credit memos on it; a
payment's unapplied cash is its amount less what was applied or refunded.

Speed: rows are built in plain tuples and written with ``executemany`` in one transaction,
into a temporary file renamed over PATH at the end (nothing half-made is ever left at PATH).
The bulk rows are not audited one by one (that would double the file and the time, and a
generated book has no human author); one ``sample.generate`` audit row records the
arguments and the row counts instead, stamped with ``today`` so it is deterministic too.
"""
import os
import queue
import random
import threading
import time
from dataclasses import dataclass
from itertools import accumulate
from datetime import date, timedelta
from math import exp, log
from pathlib import Path

from arctui.domain.money import format_money
from arctui.domain.plans import allocate, equal_schedule
from arctui.domain.promises import promise_status
from arctui.domain.statuses import DISPUTE_REASONS, ESCALATION_KINDS, OUTCOME_CODES
from arctui.store import audit
from arctui.store.connection import connect

DEFAULT_TODAY = date(2026, 11, 23)
ACTOR = "sample"  # who the generated rows are "by" where no collector did it
HISTORY_DAYS = 548  # about 18 months of invoices before today
MAX_CUSTOMERS = 999_999  # account numbers are C + 6 digits
MAX_INVOICES = 9_999_000  # invoice numbers are INV- + 7 digits
CHUNK = 20_000  # invoices generated and written per executemany round
# tables whose indexes are dropped for the bulk load and rebuilt from the schema's own SQL
# (one sorted build costs about a third less CPU than a million scattered inserts), in the
# writer thread while the activity around the ledger is being generated
BULK_TABLES = ("invoices", "payments", "payment_applications")

_PREFIXES = (
    "Northwind Bluebird Summit Cascade Ironwood Redwood Silverline Granite Harbor Meridian "
    "Pioneer Keystone Lakeshore Evergreen Atlas Beacon Cobalt Crescent Falcon Frontier "
    "Highland Horizon Juniper Liberty Maple Nimbus Orion Pacific Pinnacle Prairie Quarry "
    "Riverbend Sapphire Sierra Starling Sterling Tidewater Trident Valley Vanguard Willow "
    "Zenith Apex Arrowhead Bayside Blackstone Brightwater Canyon Cedar Copperfield Driftwood "
    "Eastgate Fairfield Foxglove Greystone Hawthorne Ironbridge Kestrel Lighthouse Marlin "
    "Northgate Oakridge Osprey Redstone Seabright Stonebridge Sunrise Thornbury Westbrook"
).split()
_TRADES = (
    "Industrial Logistics Foods Packaging Chemicals Components Electric Fabrication Hardware "
    "Medical Plastics Steel Textiles Tooling Freight Pharma Agritech Building Paper Optics "
    "Marine Energy Print Robotics Labs Controls Fasteners Coatings Beverage Furniture"
).split()
_KINDS_OF_FIRM = (
    "Supply Systems Partners Group Works Holdings Distribution Solutions Manufacturing "
    "Traders Services Company"
).split()
# region: (weight, legal forms, phone area codes)
_REGIONS = {
    "NA-East": (30, ("Inc.", "LLC", "Corp."), (212, 617, 404, 305, 215)),
    "NA-West": (25, ("Inc.", "LLC", "Corp."), (415, 206, 503, 213, 303)),
    "EMEA": (25, ("GmbH", "Ltd", "B.V.", "S.A.", "AB"), (20, 30, 40, 69, 89)),
    "APAC": (12, ("Pty Ltd", "Pte. Ltd.", "K.K.", "Ltd"), (2, 3, 61, 65, 81)),
    "LATAM": (8, ("S.A. de C.V.", "Ltda.", "S.A."), (11, 21, 55, 56, 57)),
}
_FIRST_NAMES = (
    "Ana Ben Chloe Dmitri Elena Farid Grace Hiro Ines Jonas Kara Luis Maya Nikhil Olga Priya "
    "Quinn Rafael Sofia Tomas Uma Viktor Wen Ximena Yusuf Zara Aaron Bianca Carlos Dana Emil "
    "Fatima Gustav Hana Ivan Julia Kenji Lena Marco Nadia"
).split()
_LAST_NAMES = (
    "Adams Becker Costa Dubois Eriksen Fischer Garcia Haddad Ito Jensen Kowalski Larsen "
    "Moreno Nakamura Okafor Petrov Quist Rossi Schmidt Tanaka Ueda Varga Weber Xu Yilmaz "
    "Zhang Alvarez Brennan Chen Novak Walsh Silva Murphy Singh Kim Lopez Meyer Nguyen Patel"
).split()
_CONTACT_ROLES = ("AP Clerk", "Controller", "CFO")
_COLLECTOR_IDS = (
    "alice bob carol dave erin frank grace heidi ivan judy mallory niaj olivia peggy quentin "
    "rupert sybil trent ursula victor walter xavier yvonne zoe"
).split()
_COLLECTOR_LIMITS = (50_000, 250_000)  # $500 / $2,500; the lead's is $25,000
_LEAD_LIMIT = 2_500_000
_CADENCES = (7, 10, 14, 14, 21, 30)
_METHODS = (("ach", 50), ("check", 25), ("wire", 15), ("card", 10))
_TERMS = ((15, 10), (30, 55), (45, 20), (60, 15))
# payer profile: (weight, mean days late range, spread in days, chance an invoice is never paid)
_PROFILES = {
    "prompt": (60, (-5, 5), 10, 0.002),
    "slow": (28, (5, 20), 16, 0.005),
    "chronic": (9, (25, 80), 40, 0.03),
    "troubled": (3, (45, 150), 60, 0.25),
}
# non-active statuses: (share of customers, payer profile that goes with it)
_STATUS_SHARES = {
    "credit_hold": (0.04, "chronic"),
    "suspended": (0.012, "troubled"),
    "outside_collections": (0.012, "troubled"),
}
MEMO_REASONS = {  # reason code: (GL code, note)
    "SHORTPAY": ("4130", "short payment written off within tolerance"),
    "PRICING": ("4100", "price on the invoice above the agreed contract price"),
    "DAMAGED": ("4120", "goods arrived damaged; customer kept them at a discount"),
    "FREIGHT": ("4140", "freight billed on a free-shipping order"),
    "TAX": ("2300", "sales tax charged on a tax-exempt shipment"),
    "GOODWILL": ("6100", "goodwill credit agreed with sales"),
}
_KIND_OUTCOMES = {
    "call": ("LVM", "LVM", "NA", "PIP", "CB", "WN", "RTP"),  # promises log their own PTP
    "email": ("EMS", "EMS", "PIP", "REM"),
    "letter": ("NOTE",),
    "portal": ("REM", "PIP"),
    "note": ("NOTE", "NOTE", "ESC"),
}
_KIND_WEIGHTS = (("call", 45), ("email", 35), ("letter", 5), ("portal", 5), ("note", 10))
_OUTCOME_NOTES = {
    "PTP": "promised payment on the next check run",
    "LVM": "left a voicemail for {contact} about the past-due balance",
    "NA": "no answer on the AP line",
    "WN": "number no longer in service; asked sales for the new AP contact",
    "DSP": "customer disputes an invoice",
    "PIP": "{contact} says payment is in process this week",
    "RTP": "refuses to pay until the open dispute is settled",
    "CB": "{contact} asked for a call back next week",
    "EMS": "sent a statement of open items to {contact}",
    "REM": "remittance advice received",
    "ESC": "escalated to the team lead",
    "NOTE": "account reviewed",
}
_PAYMENTS_SOURCE = {"check": "manual"}  # everything else arrives by bank import
# memo reason codes and the dispute reasons that lead to them
_MEMO_FOR_DISPUTE = {"pricing": "PRICING", "damaged": "DAMAGED", "quantity": "SHORTPAY",
                     "terms": "FREIGHT", "tax": "TAX"}
_DISPUTE_FOR_MEMO = {memo: reason for reason, memo in _MEMO_FOR_DISPUTE.items()}
PAYMENT_COLUMNS = ("id customer_id received_date currency amount_cents unapplied_cents method"
                   " bank_ref remittance source version updated_by updated_at")
APPLICATION_COLUMNS = "payment_id invoice_id kind amount_cents applied_date applied_at applied_by"


class SampleError(ValueError):
    """Arguments that cannot make a book; the message names the argument."""


@dataclass(frozen=True)
class SampleSpec:
    customers: int
    invoices: int
    seed: int
    today: date = DEFAULT_TODAY
    collectors: int | None = None  # None: one per ~500 accounts, at least 3

    def checked(self) -> "SampleSpec":
        if not 1 <= self.customers <= MAX_CUSTOMERS:
            raise SampleError(f"--customers: expected 1 to {MAX_CUSTOMERS}, got {self.customers}")
        if not 0 <= self.invoices <= MAX_INVOICES:
            raise SampleError(f"--invoices: expected 0 to {MAX_INVOICES}, got {self.invoices}")
        if self.collectors is not None and not 1 <= self.collectors <= self.customers:
            raise SampleError(
                f"--collectors: expected 1 to the number of customers ({self.customers}),"
                f" got {self.collectors}")
        return self

    @property
    def collector_count(self) -> int:
        return self.collectors or max(3, round(self.customers / 500))


def parse_today(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise SampleError(f"--today: {text!r} is not a date (expected YYYY-MM-DD)") from None


def generate(path, spec: SampleSpec, force: bool = False) -> dict:
    """Write a new database at ``path``; returns row counts per table and the seconds taken."""
    spec = spec.checked()
    path = Path(path)
    if path.exists() and not force:
        raise SampleError(f"{path} already exists; choose another path or pass --force to replace it")
    started = time.perf_counter()
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    _remove_db_files(tmp)
    try:
        db = connect(tmp, create=True)
        try:
            counts = _fill(db, spec)
        finally:
            db.close()
        _remove_db_files(path)
        os.replace(tmp, path)
    finally:
        _remove_db_files(tmp)
    return {**counts, "seconds": time.perf_counter() - started}


def _fill(db, spec: SampleSpec) -> dict:
    # a throw-away file until the rename: no journal, no fsync; foreign keys are checked by
    # the tests (rows arrive before the payments they point at)
    db.execute("PRAGMA journal_mode = OFF")
    db.execute("PRAGMA synchronous = OFF")
    db.execute("PRAGMA foreign_keys = OFF")
    db.execute("PRAGMA cache_size = -262144")
    db.execute("BEGIN IMMEDIATE")
    with _Writer(db.conn) as writer:
        counts = _Book(db, writer, spec).write()
    audit.append(db, at=f"{spec.today.isoformat()}T09:00:00Z", actor=ACTOR,
                 action="sample.generate", entity="database",
                 after={"customers": spec.customers, "invoices": spec.invoices, "seed": spec.seed,
                        "today": spec.today.isoformat(), "collectors": spec.collector_count,
                        "rows": counts})
    db.execute("COMMIT")
    db.execute("VACUUM")
    db.execute("PRAGMA journal_mode = WAL")
    return counts


def _drop_indexes(db, tables) -> list[str]:
    """Drop the indexes of ``tables`` that the schema declares; return their SQL to rebuild."""
    marks = ", ".join("?" * len(tables))
    indexes = db.execute(f"SELECT name, sql FROM sqlite_master WHERE type = 'index'"
                         f" AND sql IS NOT NULL AND tbl_name IN ({marks}) ORDER BY name",
                         list(tables)).fetchall()
    for name, _ in indexes:
        db.execute(f"DROP INDEX [{name}]")
    return [sql for _, sql in indexes]


class _Writer:
    """Runs the ``executemany`` calls in a second thread while the caller builds the next
    rows: SQLite releases the GIL while it writes, so on two cores both go on at once.
    Statements run in the order given; ``drain`` waits for them and raises their error."""

    def __init__(self, conn):
        self.conn = conn
        self.jobs: queue.Queue = queue.Queue(maxsize=4)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="sample-writer", daemon=True)

    def __enter__(self) -> "_Writer":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.jobs.put(None)
        self.thread.join()
        if exc[0] is None and self.error is not None:
            raise self.error

    def _run(self) -> None:
        while (job := self.jobs.get()) is not None:
            if self.error is None:
                sql, rows = job
                try:
                    if rows is None:
                        self.conn.execute(sql)
                    else:
                        self.conn.executemany(sql, rows)
                except BaseException as exc:  # handed to the generating thread
                    self.error = exc
            self.jobs.task_done()

    def put(self, sql: str, rows: list | None = None) -> None:
        if self.error is not None:
            raise self.error
        self.jobs.put((sql, rows))

    def drain(self) -> None:
        self.jobs.join()
        if self.error is not None:
            raise self.error


def _sql_literal(value: str | int) -> str:
    return str(value) if isinstance(value, int) else "'" + value.replace("'", "''") + "'"


def _remove_db_files(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def invoice_number(invoice_id: int) -> str:
    return f"INV-{invoice_id + 1000:07d}"


def _choose(rng: random.Random, weighted) -> str:
    values, weights = zip(*weighted)
    return rng.choices(values, weights)[0]


class _Book:
    """One generation run: the spec, the day strings and what later sections need to know."""

    def __init__(self, db, writer: _Writer, spec: SampleSpec):
        self.db, self.writer, self.spec = db, writer, spec
        self.today = spec.today.toordinal()
        self.start = self.today - HISTORY_DAYS
        self.base = self.start - 800
        days = range(self.base, self.today + 800)
        self.iso = [date.fromordinal(d).isoformat() for d in days]
        self.counts = dict.fromkeys((t for t in db.table_names() if t != "audit"), 0)
        self.touches: list[tuple] = []  # gathered from every section, written in time order

    def rng(self, section: str) -> random.Random:
        return random.Random(f"{self.spec.seed}:{section}")

    def issue_day(self, invoice_id: int) -> int:
        """Invoices are numbered in issue order, spread evenly over the history."""
        return self.start + (invoice_id - 1) * (HISTORY_DAYS + 1) // self.spec.invoices

    def day(self, ordinal: int) -> str:
        return self.iso[ordinal - self.base]

    def stamp(self, ordinal: int, minute: int = 600) -> str:
        """``minute`` after midnight UTC on that day, as an ISO timestamp."""
        return f"{self.iso[ordinal - self.base]}T{minute // 60:02d}:{minute % 60:02d}:00Z"

    def insert(self, table: str, columns: str, rows: list, **same) -> None:
        """Queue ``rows`` (tuples in ``columns`` order); ``same`` gives columns whose value
        every row shares, written into the statement instead of into a million tuples."""
        names = columns.split()
        literals = [_sql_literal(value) for value in same.values()]
        self.writer.put(f"INSERT INTO {table} ({', '.join(names + list(same))})"
                        f" VALUES ({', '.join(['?'] * len(names) + literals)})", rows)
        self.counts[table] += len(rows)

    def query(self, sql: str) -> list[tuple]:
        self.writer.drain()
        return self.db.execute(sql).fetchall()

    def write(self) -> dict:
        indexes = _drop_indexes(self.db, BULK_TABLES)
        self.collectors()
        self.customers()
        self.contacts()
        self.ledger()
        self.payments()
        activity = _Activity(self)
        for sql in indexes:
            self.writer.put(sql)
        activity.plans()
        activity.promises()
        activity.disputes_and_memos()
        activity.account_events()
        activity.outbox()
        activity.history()
        self.insert("touchpoints", "customer_id contact_id kind outcome_code note follow_up_date at by",
                    sorted(self.touches, key=lambda t: (t[6], t[0])))
        self.targets()
        return self.counts

    # -- people ----------------------------------------------------------------------------

    def collectors(self) -> None:
        rng = self.rng("collectors")
        count = self.spec.collector_count
        ids = [_COLLECTOR_IDS[i % len(_COLLECTOR_IDS)] + (str(i // len(_COLLECTOR_IDS) + 1)
                                                         if i >= len(_COLLECTOR_IDS) else "")
               for i in range(count)]
        limits = [_COLLECTOR_LIMITS[i % 2] if i < 2 else rng.choice(_COLLECTOR_LIMITS)
                  for i in range(count)]
        rows = [(cid, f"{cid.rstrip('0123456789').title()} {rng.choice(_LAST_NAMES)}",
                 f"{cid}@collections.example.com", "collector", limit, rng.choice(_CADENCES))
                for cid, limit in zip(ids, limits)]
        rows.append(("lead", f"Morgan {rng.choice(_LAST_NAMES)}", "lead@collections.example.com",
                     "lead", _LEAD_LIMIT, 7))
        self.insert("collectors", "id name email role memo_limit_cents cadence_days"
                    " version updated_by updated_at",
                    [r + (1, ACTOR, self.stamp(self.start - 800)) for r in rows])
        self.collector_ids = ids
        self.limits = {r[0]: r[4] for r in rows}
        self.cadence = {r[0]: r[5] for r in rows}

    def customers(self) -> None:
        rng = self.rng("customers")
        n = self.spec.customers
        weights = [rng.uniform(0.3, 1.7) for _ in self.collector_ids]  # uneven portfolios
        self.owner = rng.choices(self.collector_ids, weights, k=n)
        status = ["active"] * n
        profile = [_choose(rng, [(name, p[0]) for name, p in _PROFILES.items()]) for _ in range(n)]
        picked = rng.sample(range(n), min(n, sum(max(1, round(n * s)) for s, _ in _STATUS_SHARES.values())))
        for name, (share, payer) in _STATUS_SHARES.items():
            for c in picked[:max(1, round(n * share))]:
                status[c], profile[c] = name, payer
            picked = picked[max(1, round(n * share)):]
        self.status = status
        self.terms = [_choose(rng, _TERMS) for _ in range(n)]
        self.method = [_choose(rng, _METHODS) for _ in range(n)]
        self.run = [rng.choice((1, 7, 7, 14, 14, 30)) for _ in range(n)]
        self.run_offset = [rng.randrange(r) for r in self.run]
        self.mu = [rng.gauss(log(2500), 0.9) for _ in range(n)]  # log of the median invoice $
        self.share = [min(rng.paretovariate(1.3), 40.0) for _ in range(n)]
        self.late, self.spread, self.stuck = [], [], []
        for p in profile:
            _, (low, high), spread, stuck = _PROFILES[p]
            self.late.append(rng.randint(low, high))
            self.spread.append(spread)
            self.stuck.append(stuck)
        self.names, self.domains, self.regions = [], [], []
        taken = set()
        rows = []
        for c in range(n):
            region = _choose(rng, [(r, v[0]) for r, v in _REGIONS.items()])
            words = None
            for _ in range(20):
                words = (rng.choice(_PREFIXES), rng.choice(_TRADES), rng.choice(_KINDS_OF_FIRM))
                if words not in taken:
                    break
            else:
                words = words[:2] + (f"{words[2]} {c + 1}",)
            taken.add(words)
            name = f"{' '.join(words)} {rng.choice(_REGIONS[region][1])}"
            self.names.append(name)
            self.domains.append("-".join(words).lower().replace(" ", "-") + ".example.com")
            self.regions.append(region)
            monthly = exp(self.mu[c]) * (1 + self.share[c]) * 100
            credit_limit = int(round(monthly * rng.uniform(2, 6), -6)) or 1_000_000
            created = self.stamp(self.start - rng.randint(30, 700))
            rows.append((c + 1, f"C{c + 1:06d}", name, region, self.terms[c], "USD", credit_limit,
                         status[c], self.owner[c], created, 1, ACTOR, created))
        self.insert("customers", "id account_no name region terms_days currency credit_limit_cents"
                    " status owner created_at version updated_by updated_at", rows)

    def contacts(self) -> None:
        rng = self.rng("contacts")
        rows = []
        self.first_contact, self.contact_count, self.contact_names, self.primary_emails = [], [], [], []
        for c in range(self.spec.customers):
            count = rng.choice((1, 1, 2, 2, 3))
            self.first_contact.append(len(rows) + 1)
            self.contact_count.append(count)
            roles = rng.sample(_CONTACT_ROLES, count)
            area = rng.choice(_REGIONS[self.regions[c]][2])
            for k, role in enumerate(roles):
                first, last = rng.choice(_FIRST_NAMES), rng.choice(_LAST_NAMES)
                email = f"{first}.{last}@{self.domains[c]}".lower()
                if k == 0:
                    self.contact_names.append(f"{first} {last}")
                    self.primary_emails.append(email)
                rows.append((c + 1, f"{first} {last}", role, email,
                             f"+{area} 555-01{rng.randrange(100):02d}", int(k == 0),
                             1, ACTOR, self.stamp(self.start)))
        self.insert("contacts", "customer_id name role email phone is_primary version updated_by"
                    " updated_at", rows)

    # -- the ledger: invoices, cash applied to them, memos posted on them -------------------

    def ledger(self) -> None:
        """Invoices in issue order, each paid on its customer's payment run, left open, or
        part-paid; a posted memo settles a few; payments group the invoices one customer
        paid on one run. Hot loop: names are bound locally."""
        rng = self.rng("invoices")
        n = self.spec.invoices
        customer_of = rng.choices(range(self.spec.customers), cum_weights=list(accumulate(self.share)), k=n)
        self.pay_customer, self.pay_day, self.pay_applied, self.pay_invoices = [], [], [], []
        self.posted_memos: list[tuple] = []  # (invoice id, customer, cents, day, reason)
        pay_key: dict[tuple[int, int], int] = {}
        memo_rows: list[tuple] = []
        gauss, random_, issue_day = rng.gauss, rng.random, self.issue_day
        iso, base, today = self.iso, self.base, self.today
        terms, mu, late, spread, stuck = self.terms, self.mu, self.late, self.spread, self.stuck
        run, offset, owner = self.run, self.run_offset, self.owner
        pay_customer, pay_day, pay_applied, pay_invoices = (
            self.pay_customer, self.pay_day, self.pay_applied, self.pay_invoices)
        unpaid = self.unpaid_tail = self.aging_tail(customer_of)
        for first in range(1, n + 1, CHUNK):
            invoices, applications = [], []
            for invoice_id in range(first, min(first + CHUNK, n + 1)):
                c = customer_of[invoice_id - 1]
                issue = issue_day(invoice_id)
                due = issue + terms[c]
                dollars = exp(gauss(mu[c], 0.8))
                amount = int((200.0 if dollars < 200 else 250000.0 if dollars > 250000 else dollars) * 100)
                paid, pay = 0, None
                if random_() >= stuck[c] and invoice_id not in unpaid:
                    pay = due + late[c] + int((random_() - 0.5) * spread[c])
                    pay = issue + 1 if pay <= issue else pay
                    pay += (offset[c] - pay) % run[c]  # the customer's next payment run
                    if pay > today:
                        pay = None
                    elif random_() < 0.03:
                        paid = int(amount * (0.2 + 0.6 * random_())) // 100 * 100 or 100
                    else:
                        paid = amount
                memo, memo_day = 0, pay
                if random_() < 0.015:
                    memo = min(int(amount * (0.02 + 0.13 * random_())) or 1, amount - paid or amount, _LEAD_LIMIT)
                    memo_day = pay if pay is not None else min(today, issue + 5 + int(20 * random_()))
                    if paid == amount:
                        paid -= memo
                    memo_rows.append(self._posted_memo(rng, invoice_id, c, memo, memo_day))
                open_cents = amount - paid - memo
                if paid:
                    pid = pay_key.get((c, pay))
                    if pid is None:
                        pid = pay_key[c, pay] = len(pay_day) + 1
                        pay_customer.append(c)
                        pay_day.append(pay)
                        pay_applied.append(0)
                        pay_invoices.append([])
                    pay_applied[pid - 1] += paid
                    pay_invoices[pid - 1].append(invoice_id)
                    applications.append((pid, invoice_id, "apply", paid, iso[pay - base],
                                         iso[pay - base] + "T15:00:00Z", owner[c]))
                closed = iso[memo_day - base] if open_cents == 0 else None
                invoices.append((invoice_id, c + 1, invoice_number(invoice_id), iso[issue - base],
                                 iso[due - base], amount, open_cents, closed,
                                 (closed or iso[issue - base]) + "T16:00:00Z"))
            self.insert("invoices", "id customer_id number issue_date due_date amount_cents open_cents"
                        " closed_date updated_at", invoices, currency="USD", version=1, updated_by=ACTOR)
            self.insert("payment_applications", APPLICATION_COLUMNS, applications)
        self.write_memos(memo_rows)

    def aging_tail(self, customer_of: list[int]) -> set[int]:
        """One invoice left unpaid in each past-due bucket, so that even a small book shows
        every bucket (a large one has plenty of its own)."""
        tail = set()
        for days in (15, 45, 75, 120):  # days past due: 1-30, 31-60, 61-90, 90+
            earliest = self.today - days - 60  # the longest terms
            invoice_id = max(1, (earliest - self.start) * self.spec.invoices // (HISTORY_DAYS + 1))
            while invoice_id <= self.spec.invoices and self.issue_day(invoice_id) < self.today - days:
                due = self.issue_day(invoice_id) + self.terms[customer_of[invoice_id - 1]]
                if abs(self.today - days - due) <= 10:
                    tail.add(invoice_id)
                    break
                invoice_id += 1
        return tail

    def _posted_memo(self, rng: random.Random, invoice_id: int, c: int, cents: int, day: int) -> tuple:
        reason = rng.choice(tuple(MEMO_REASONS))
        self.posted_memos.append((invoice_id, c, cents, day, reason))
        return self.memo_row(rng, invoice_id, c, cents, reason, "posted", day)

    def memo_row(self, rng: random.Random, invoice_id: int, c: int, cents: int, reason: str,
                 status: str, day: int) -> tuple:
        """A memo prepared by the account's owner and decided as the memo service would:
        within the preparer's limit it approves itself, above it another collector whose
        limit covers it decides (nobody approves their own)."""
        preparer = self.owner[c]
        prepared, decided = self.stamp(day, 600), self.stamp(day, 840)
        approver, decided_at, note, posted = None, None, None, None
        if status in ("approved", "posted") and cents <= self.limits[preparer]:
            decided_at, note = decided, "within the preparer's limit"
        elif status in ("approved", "posted", "rejected"):
            approver = rng.choice([cid for cid, limit in self.limits.items()
                                   if cid != preparer and limit >= cents])
            decided_at = decided
            note = "over our tolerance; rebill instead" if status == "rejected" else None
        if status == "posted":
            posted = self.stamp(day, 900)
        gl, why = MEMO_REASONS[reason]
        return (c + 1, invoice_id, cents, "USD", reason, gl, why, status, preparer, prepared,
                approver, decided_at, note, posted, 1, ACTOR, posted or decided_at or prepared)

    def write_memos(self, rows: list[tuple]) -> None:
        first = self.counts["credit_memos"] + 1
        self.insert("credit_memos", "id number customer_id invoice_id amount_cents currency"
                    " reason_code gl_code note status prepared_by prepared_at approved_by decided_at"
                    " decision_note posted_at version updated_by updated_at",
                    [(first + k, f"CM-{first + k:06d}") + row for k, row in enumerate(rows)])

    def payments(self) -> None:
        """The receipts behind the applications, a few overpaid (some refunded since) and a
        few from payers nobody has identified yet."""
        rng = self.rng("payments")
        rows, refunds, overpaid = [], [], 0
        self.cash_by_owner_month: dict[tuple[str, str], int] = {}
        for k, (c, day, applied, invoices) in enumerate(zip(
                self.pay_customer, self.pay_day, self.pay_applied, self.pay_invoices)):
            extra = int(applied * rng.uniform(0.01, 0.2)) + 1 if rng.random() < 0.02 else 0
            unapplied = extra
            overpaid += bool(extra)
            refund_day = day + rng.randint(5, 40) if extra else None
            if extra and overpaid % 3 == 1 and refund_day <= self.today:  # a third are refunded
                refunds.append((k + 1, None, "refund", extra, self.day(refund_day),
                                self.stamp(refund_day, 900), self.owner[c]))
                unapplied = 0
            numbers = " ".join(invoice_number(i) for i in invoices[:6])
            more = f" +{len(invoices) - 6} more" if len(invoices) > 6 else ""
            remittance = f"{self.names[c].split()[0].upper()} AP {numbers}{more}"
            rows.append(self.payment_row(k + 1, c, day, applied + extra, unapplied, remittance))
            month = (self.owner[c], self.day(day)[:7])
            self.cash_by_owner_month[month] = self.cash_by_owner_month.get(month, 0) + applied + extra
        first = len(rows) + 1
        for k in range(max(2, self.spec.customers // 100)):
            day = self.today - rng.randint(0, 20)
            cents = rng.randint(500, 2_000_000) * 100
            rows.append((first + k, None, self.day(day), "USD", cents, cents, "wire",
                         f"WIRE-{self.day(day).replace('-', '')}-{first + k:07d}",
                         "ORIG CO NAME UNKNOWN PAYMENT", "bank_import", 1, ACTOR, self.stamp(day, 480)))
        self.insert("payments", PAYMENT_COLUMNS, rows)
        self.insert("payment_applications", APPLICATION_COLUMNS, refunds)

    def payment_row(self, pid: int, c: int, day: int, cents: int, unapplied: int, remittance: str) -> tuple:
        method = self.method[c]
        return (pid, c + 1, self.day(day), "USD", cents, unapplied, method,
                f"{method.upper()}-{self.day(day).replace('-', '')}-{pid:07d}", remittance,
                _PAYMENTS_SOURCE.get(method, "bank_import"), 1, ACTOR, self.stamp(day, 480))

    def targets(self) -> None:
        """Monthly and quarterly cash targets per collector and for the team, a little above
        what each portfolio collected in the six months before today."""
        rng = self.rng("targets")
        today = self.spec.today
        now = today.year * 12 + today.month - 1  # months since year 0
        month_names = [f"{m // 12}-{m % 12 + 1:02d}" for m in range(now - 5, now + 2)]
        quarters = sorted({f"{m // 12}-Q{(m % 12) // 3 + 1}" for m in range(now - 5, now + 2)})
        history = [f"{m // 12}-{m % 12 + 1:02d}" for m in range(now - 6, now)]
        rows = []
        team: dict[str, int] = {}
        for cid in self.collector_ids:
            monthly = sum(self.cash_by_owner_month.get((cid, m), 0) for m in history) // len(history)
            for period in month_names + quarters:
                scale = 3 if "Q" in period else 1
                cents = int(round(monthly * scale * rng.uniform(1.0, 1.15), -5))
                team[period] = team.get(period, 0) + cents
                rows.append((cid, period, cents))
        rows += [(None, period, cents) for period, cents in team.items()]
        self.insert("targets", "collector_id period cash_cents version updated_by updated_at",
                    [r + (1, "lead", self.stamp(self.today - 30)) for r in rows])


class _Activity:
    """What collectors did around the ledger: plans, promises, disputes, memos in flight,
    account events, emails and the contact history. Built from the ledger's open items."""

    def __init__(self, book: _Book):
        self.book = book
        self.today = book.today
        self.open_items = book.query(
            "SELECT id, customer_id - 1, issue_date, due_date, amount_cents, open_cents"
            " FROM invoices WHERE open_cents > 0 ORDER BY id")
        # invoices already given a plan, promise or dispute; the aging tail stays untouched
        self.used: set[int] = set(book.unpaid_tail)

    def touch(self, c: int, kind: str, outcome: str, ordinal: int, minute: int, by: str,
              contact: int | None = None, follow_up: int | None = None, note: str | None = None) -> None:
        book = self.book
        if contact is None and kind in ("call", "email"):
            contact = book.first_contact[c]
        text = note or _OUTCOME_NOTES[outcome].format(contact=book.contact_names[c])
        book.touches.append((c + 1, contact, kind, outcome, text,
                             book.day(follow_up) if follow_up is not None else None,
                             book.stamp(ordinal, minute), by))

    def past_due(self, older_than: int, fully_open: bool = True) -> list[tuple]:
        """Open items more than ``older_than`` days past due, not yet used by another story."""
        limit = self.book.day(self.today - older_than)
        return [item for item in self.open_items if item[3] < limit and item[0] not in self.used
                and (item[4] == item[5] or not fully_open)]

    def take(self, rng: random.Random, items: list, count: int) -> list:
        chosen = rng.sample(items, min(count, len(items)))
        self.used.update(item[0] for item in chosen)
        return chosen

    def plans(self) -> None:
        """Plans over long-unpaid invoices; each paid instalment is a real payment applied to
        the plan's invoices, oldest first. The first two plans missed their latest
        instalment; the third was paid off."""
        book = self.book
        rng = book.rng("plans")
        by_customer: dict[int, list] = {}
        for item in self.past_due(60):
            by_customer.setdefault(item[1], []).append(item)
        customers = sorted(by_customer)
        chosen = rng.sample(customers, min(len(customers), max(4, book.spec.customers // 150)))
        plan_rows, instalment_rows, link_rows, payment_rows, app_rows = [], [], [], [], []
        invoice_changes = {}  # invoice id: (open cents, closed date, updated at)
        next_payment = book.counts["payments"] + 1
        for plan_id, c in enumerate(chosen, start=1):
            items = by_customer[c][:4]
            self.used.update(item[0] for item in items)
            open_left = {item[0]: item[5] for item in items}
            total = sum(open_left.values())
            owner = book.owner[c]
            if plan_id == 3:
                frequency, count, created = "monthly", 3, self.today - 130
            else:
                frequency = rng.choice(("monthly", "monthly", "biweekly"))
                count = rng.randint(3, 10)
                created = self.today - (80 if plan_id < 3 else rng.randint(15, 120))
            schedule = equal_schedule(total, count, date.fromordinal(created + 14), frequency)
            due_now = [inst for inst in schedule if inst.due_date.toordinal() <= self.today]
            paying = due_now[:-1] if plan_id < 3 else due_now
            for inst in paying:
                day = min(self.today, inst.due_date.toordinal() + rng.randint(-2, 2))
                payment_rows.append(book.payment_row(
                    next_payment, c, day, inst.amount_cents, 0,
                    f"PAYMENT PLAN {plan_id} INSTALMENT {inst.seq}"))
                cents = inst.amount_cents
                for invoice_id, left in open_left.items():
                    part = min(cents, left)
                    if part:
                        open_left[invoice_id] -= part
                        cents -= part
                        app_rows.append((next_payment, invoice_id, "apply", part, book.day(day),
                                         book.stamp(day, 900), owner))
                        invoice_changes[invoice_id] = (
                            left - part, book.day(day) if left == part else None, book.stamp(day, 900))
                next_payment += 1
            paid = sum(inst.amount_cents for inst in paying)
            note = f"{count} {frequency} instalments agreed with {book.contact_names[c]}"
            plan_rows.append((plan_id, c + 1, total, frequency, "completed" if paid >= total else "active",
                              note, book.stamp(created, 660), owner, 1, ACTOR, book.stamp(created, 660)))
            instalment_rows += [(plan_id, inst.seq, inst.due_date.isoformat(), inst.amount_cents, inst_paid)
                                for inst, inst_paid in zip(schedule, allocate(paid, [i.amount_cents for i in schedule]))]
            link_rows += [(plan_id, item[0]) for item in items]
            self.touch(c, "call", "PTP", created, 660, owner, note=f"payment plan: {note}")
        book.insert("payments", PAYMENT_COLUMNS, payment_rows)
        book.insert("payment_applications", APPLICATION_COLUMNS, app_rows)
        book.writer.put(
            "UPDATE invoices SET open_cents = ?, closed_date = ?, updated_at = ? WHERE id = ?",
            [change + (invoice_id,) for invoice_id, change in invoice_changes.items()])
        book.insert("payment_plans", "id customer_id total_cents frequency status note created_at"
                    " created_by version updated_by updated_at", plan_rows)
        book.insert("plan_instalments", "plan_id seq due_date amount_cents paid_cents", instalment_rows)
        book.insert("plan_invoices", "plan_id invoice_id", link_rows)

    def promises(self) -> None:
        """Kept and partial promises made days before a real payment (partial: it was for more
        than came in), broken ones on invoices still unpaid, open ones due around today.
        Status and paid cents are judged as ``settle_promises`` judges them."""
        book = self.book
        rng = book.rng("promises")
        stories = []  # (customer, invoice ids, amount, paid, created, promised, paid on)
        recent = [k for k, day in enumerate(book.pay_day) if day > self.today - 120]
        for n, k in enumerate(sorted(rng.sample(recent, min(len(recent), max(4, len(recent) // 12))))):
            c, day, applied, invoices = (book.pay_customer[k], book.pay_day[k], book.pay_applied[k],
                                         book.pay_invoices[k])
            created = max(day - rng.randint(2, 20), book.issue_day(max(invoices)) + 1)
            amount = int(applied * rng.uniform(1.25, 2.0)) if n % 3 == 0 else applied
            stories.append((c, invoices, amount, applied, created, day + rng.randint(-3, 5), day))
        stuck = self.past_due(20)
        for item in self.take(rng, stuck, max(2, len(stuck) // 10)):
            created = min(book.issue_day(item[0]) + rng.randint(35, 90), self.today - 14)
            stories.append((item[1], [item[0]], item[5], 0, created, created + rng.randint(3, 7), None))
        late = self.past_due(0)
        for n, item in enumerate(self.take(rng, late, max(4, len(late) // 30))):
            promised = self.today + (0, -rng.randint(1, 3), rng.randint(1, 14), rng.randint(1, 14))[n % 4]
            created = min(promised, self.today - rng.randint(1, 10))
            stories.append((item[1], [item[0]], item[5], 0, created, promised, None))
        rows, links = [], []
        for promise_id, (c, invoices, amount, paid, created, promised, paid_on) in enumerate(stories, 1):
            status = promise_status(amount, date.fromordinal(promised), paid, book.spec.today, 3)
            resolved = {"open": None, "kept": paid_on}.get(status, promised + 4)
            note = f"{format_money(amount)} by {book.day(promised)} from {book.contact_names[c]}"
            owner = book.owner[c]
            rows.append((promise_id, c + 1, amount, book.day(promised), 3, status, paid, note,
                         book.stamp(created, 700), owner,
                         book.day(resolved) if resolved is not None else None,
                         1, ACTOR, book.stamp(resolved if resolved is not None else created, 700)))
            links += [(promise_id, invoice_id) for invoice_id in invoices]
            self.touch(c, "call", "PTP", created, 700, owner, follow_up=promised, note=f"promised {note}")
        book.insert("promises", "id customer_id amount_cents promised_date grace_days status paid_cents"
                    " note created_at created_by resolved_date version updated_by updated_at", rows)
        book.insert("promise_invoices", "promise_id invoice_id", links)

    def disputes_and_memos(self) -> None:
        """Open disputes (some with a credit memo in flight, in every status short of posted),
        disputes resolved by a posted memo, and disputes resolved without one."""
        book = self.book
        rng = book.rng("disputes")
        rows = []  # (customer, invoice, cents, reason, opened day, status, resolution, resolved day)
        items = [item for item in self.open_items if item[0] not in self.used]
        for item in self.take(rng, items, max(6, len(items) // 40)):
            cents = item[5] if rng.random() < 0.5 else max(100, int(item[5] * rng.uniform(0.1, 0.5)))
            opened = max(book.issue_day(item[0]) + 3, self.today - rng.randint(1, 60))
            rows.append((item[1], item[0], cents, rng.choice(tuple(DISPUTE_REASONS)), min(opened, self.today)))
        open_rows = [row + ("open", None, None) for row in rows[:len(rows) * 2 // 3]]
        resolved = [row + ("resolved", rng.choice(("customer_will_pay", "withdrawn")),
                           rng.randint(row[4], self.today)) for row in rows[len(rows) * 2 // 3:]]
        for invoice_id, c, cents, day, reason in book.posted_memos[::2]:
            reason = _DISPUTE_FOR_MEMO.get(reason, "other")
            resolved.append((c, invoice_id, cents, reason, max(book.issue_day(invoice_id), day - rng.randint(3, 30)),
                             "resolved", "credited", day))
        spare = [(item[1], item[0], item[5], "other", self.today - rng.randint(1, 30))
                 for item in items if item[0] not in self.used]
        self.memos_in_flight(rng, open_rows + spare)
        db_rows = []
        for c, invoice_id, cents, reason, opened, status, resolution, closed in open_rows + resolved:
            owner = book.owner[c]
            note = f"{DISPUTE_REASONS[reason]} on {invoice_number(invoice_id)}"
            db_rows.append((c + 1, invoice_id, cents, reason, note, status, resolution,
                            book.stamp(opened, 630), owner,
                            book.stamp(closed, 720) if closed is not None else None,
                            owner if closed is not None else None, 1, ACTOR,
                            book.stamp(closed if closed is not None else opened, 720)))
            self.touch(c, "call", "DSP", opened, 630, owner, note=f"dispute: {note}")
        book.insert("disputes", "customer_id invoice_id amount_cents reason note status resolution"
                    " opened_at opened_by resolved_at resolved_by version updated_by updated_at",
                    sorted(db_rows, key=lambda row: (row[7], row[1])))

    def memos_in_flight(self, rng: random.Random, candidates: list[tuple]) -> None:
        """Memos in each status before posting, prepared against open disputes first, then
        other open invoices; a pending one always exceeds its preparer's limit, as the memo
        service decides. ``candidates``: (customer, invoice, cents, dispute reason, day)."""
        book = self.book
        rows, done = [], set()
        per_status = max(1, len(candidates) // 150)
        for status in ("draft", "pending_approval", "approved", "rejected"):
            fits = [d for d in candidates if d[1] not in done
                    and (status != "pending_approval" or d[2] > book.limits[book.owner[d[0]]])]
            for c, invoice_id, cents, reason, opened, *_ in fits[:per_status]:
                done.add(invoice_id)
                day = min(self.today, opened + rng.randint(0, 5))
                reason = _MEMO_FOR_DISPUTE.get(reason, "GOODWILL")
                rows.append(book.memo_row(rng, invoice_id, c, min(cents, _LEAD_LIMIT), reason, status, day))
        book.write_memos(rows)

    def account_events(self) -> None:
        """Credit holds behind today's holds, older holds since released, escalations behind
        suspended and outside-collections accounts, a few to management or sales, and a few
        accounts moved between collectors."""
        book = self.book
        rng = book.rng("events")
        rows = []

        def event(c, kind, detail, note, day, by=None):
            by = by or book.owner[c]
            rows.append((c + 1, kind, detail, note, book.stamp(day, 780), by))
            if kind == "escalation":
                self.touch(c, "note", "ESC", day, 780, by, note=f"escalated ({detail}): {note}")

        for c, status in enumerate(book.status):
            day = self.today - rng.randint(3, 120)
            if status == "credit_hold":
                event(c, "credit_hold", "credit_hold", "over the credit limit with items 60+ days late", day)
            elif status == "suspended":
                event(c, "credit_hold", "credit_hold", "no payment in 90 days", day - 30)
                event(c, "escalation", "suspension", "services suspended until the balance is cleared", day)
            elif status == "outside_collections":
                event(c, "escalation", "management", "broken promises; recommend an agency", day - 20)
                event(c, "escalation", "outside_collections", "placed with the collection agency", day,
                      by="lead")
            elif rng.random() < 0.03:
                event(c, "credit_hold", "credit_hold", "past due over 60 days", day - 40)
                event(c, "release", "active", "paid down; orders released", day - rng.randint(5, 35))
            elif rng.random() < 0.02:
                kind = rng.choice(("management", "sales"))
                event(c, "escalation", kind, f"asked {kind} to call the customer's CFO", day)
            elif rng.random() < 0.02 and len(book.collector_ids) > 1:
                before = rng.choice([cid for cid in book.collector_ids if cid != book.owner[c]])
                event(c, "assignment", book.owner[c], f"from {before}", day, by="lead")
        assert all(row[2] in ESCALATION_KINDS for row in rows if row[1] == "escalation")
        book.insert("account_events", "customer_id kind detail note at by",
                    sorted(rows, key=lambda row: (row[4], row[0])))

    def outbox(self) -> None:
        """Reminders and statements already sent to the primary contact of late accounts."""
        book = self.book
        rng = book.rng("outbox")
        today_iso = book.day(self.today)
        late: dict[int, list] = {}
        for item in self.open_items:
            if item[3] < today_iso:
                late.setdefault(item[1], []).append(item[5])
        chosen = rng.sample(sorted(late), min(len(late), max(3, min(200, book.spec.customers // 40))))
        rows = []
        for email_id, c in enumerate(sorted(chosen), start=1):
            day = self.today - rng.randint(0, 20)
            template = rng.choice(("reminder", "statement"))
            account, owner = f"C{c + 1:06d}", book.owner[c]
            subject = (f"Reminder: {len(late[c])} past-due invoice(s) on account {account}"
                       if template == "reminder" else f"Statement of open items, account {account}")
            body = (f"Dear {book.contact_names[c]},\n\nOur records show {format_money(sum(late[c]))}"
                    f" past due on account {account} ({book.names[c]}). Please let us know when we"
                    f" can expect payment.\n\nKind regards,\n{owner}@collections.example.com\n")
            rows.append((email_id, c + 1, book.primary_emails[c], subject, body, template,
                         f"{c + 1}:{template}:{book.day(day)}", "sent", 1,
                         f"<{book.day(day)}.{email_id}@collections.example.com>", "smtp",
                         book.stamp(day, 540), owner, book.stamp(day, 541)))
            self.touch(c, "email", "EMS", day, 540, owner, note=f"{template} sent: {subject}")
        book.insert("email_outbox", "id customer_id to_addr subject body template dedupe_key status"
                    " attempts message_id sender created_at created_by sent_at", rows)

    def history(self) -> None:
        """Six months of routine contact: late accounts at their collector's cadence, the
        rest now and then; the latest touch often sets a follow-up date around today."""
        book = self.book
        rng = book.rng("touchpoints")
        today_iso = book.day(self.today)
        late = {item[1] for item in self.open_items if item[3] < today_iso}
        kinds, cum = zip(*_KIND_WEIGHTS)
        cum = [sum(cum[:k + 1]) for k in range(len(cum))]
        for c in range(book.spec.customers):
            owner = book.owner[c]
            cadence = book.cadence[owner] if c in late else 45
            day = self.today - int(rng.expovariate(1 / cadence))
            follow_up = day + rng.randint(1, 14) if rng.random() < 0.6 else None
            while day >= self.today - 180:
                kind = rng.choices(kinds, cum_weights=cum)[0]
                contact = (book.first_contact[c] + rng.randrange(book.contact_count[c])
                           if kind in ("call", "email") else None)
                self.touch(c, kind, rng.choice(_KIND_OUTCOMES[kind]), day, 480 + int(540 * rng.random()),
                           owner, contact, follow_up)
                follow_up = None
                day -= max(1, cadence - 3 + int(7 * rng.random()))
