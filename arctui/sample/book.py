"""The book itself: collectors, customers, contacts, the ledger of invoices, payments and
posted memos, and the targets; ``write`` runs every section in order."""

import csv
import random
from datetime import date
from importlib.resources import files
from itertools import accumulate
from math import exp, log
from statistics import NormalDist

from arctui.sample.activity import Activity
from arctui.sample.bulk import insert_sql
from arctui.sample.spec import SampleSpec
from arctui.sample.vocabulary import (
    ACTOR,
    APPLICATION_COLUMNS,
    CADENCES,
    CHART_FILE,
    COLLECTOR_IDS,
    COLLECTOR_LIMITS,
    CONTACT_ROLES,
    FIRST_NAMES,
    HISTORY_DAYS,
    KINDS_OF_FIRM,
    LAST_NAMES,
    LEAD_LIMIT,
    MEMO_REASONS,
    METHODS,
    PAYMENT_COLUMNS,
    PAYMENTS_SOURCE,
    PREFIXES,
    PROFILES,
    REGIONS,
    STATUS_SHARES,
    TERMS,
    TRADES,
    invoice_number,
)
from arctui.store.bulk import drop_indexes

CHUNK = 20_000  # invoices generated and written per executemany round
# tables whose indexes are dropped for the bulk load and rebuilt from the schema's own SQL:
# one sorted build costs about a third less CPU than a million scattered inserts
BULK_TABLES = ("invoices", "payments", "payment_applications")


class Book:
    """One generation run: the spec, the day strings and what later sections need to know."""

    def __init__(self, db, spec: SampleSpec):
        self.db, self.spec = db, spec
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
        """Write ``rows``, tuples in ``columns`` order (``same``: see ``insert_sql``)."""
        self.db.conn.executemany(insert_sql(table, columns.split(), same), rows)
        self.counts[table] += len(rows)

    def write(self) -> dict:
        indexes = drop_indexes(self.db, BULK_TABLES)
        self.collectors()
        self.chart()
        self.customers()
        self.contacts()
        self.ledger()
        self.payments()
        for sql in indexes:
            self.db.execute(sql)
        activity = Activity(self)
        activity.plans()
        activity.promises()
        activity.disputes_and_memos()
        activity.account_events()
        activity.outbox()
        activity.history()
        self.insert(
            "touchpoints",
            "customer_id contact_id kind outcome_code note follow_up_date at by",
            sorted(self.touches, key=lambda t: (t[6], t[0])),
        )
        self.targets()
        return self.counts

    # -- people ----------------------------------------------------------------------------

    def collectors(self) -> None:
        """alice, bob, carol... with $500 or $2,500 memo limits, and the lead at $25,000."""
        rng = self.rng("collectors")
        count = self.spec.collector_count
        ids = [
            COLLECTOR_IDS[i % len(COLLECTOR_IDS)]
            + (str(i // len(COLLECTOR_IDS) + 1) if i >= len(COLLECTOR_IDS) else "")
            for i in range(count)
        ]
        limits = [COLLECTOR_LIMITS[i % 2] if i < 2 else rng.choice(COLLECTOR_LIMITS) for i in range(count)]
        rows = [
            (
                cid,
                f"{cid.rstrip('0123456789').title()} {rng.choice(LAST_NAMES)}",
                f"{cid}@collections.example.com",
                "collector",
                limit,
                rng.choice(CADENCES),
            )
            for cid, limit in zip(ids, limits)
        ]
        rows.append(("lead", f"Morgan {rng.choice(LAST_NAMES)}", "lead@collections.example.com", "lead", LEAD_LIMIT, 7))
        self.insert(
            "collectors",
            "id name email role memo_limit_cents cadence_days version updated_by updated_at",
            [r + (1, ACTOR, self.stamp(self.start - 800)) for r in rows],
        )
        self.collector_ids = ids
        self.collector_names = {r[0]: r[1] for r in rows}
        self.limits = {r[0]: r[4] for r in rows}
        self.cadence = {r[0]: r[5] for r in rows}

    def chart(self) -> None:
        """The chart of reason and GL codes: every reason code and GL account of the bundled
        rule coder's rules, so its proposals are codes of the chart."""
        package, name = CHART_FILE
        with files(package).joinpath(name).open(encoding="utf-8", newline="") as stream:
            rules = list(csv.DictReader(stream))
        gl = {r["gl_code"]: r["label"] for r in reversed(rules)}  # a GL shared by rules: the first one's label
        self.insert(
            "chart_codes",
            "kind code label version updated_by updated_at",
            [("reason", r["reason_code"], r["label"]) + (1, ACTOR, self.stamp(self.start - 800)) for r in rules]
            + [("gl", code, label) + (1, ACTOR, self.stamp(self.start - 800)) for code, label in sorted(gl.items())],
        )

    def customers(self) -> None:
        """Accounts with a payer profile each (how late, how often never) that the ledger
        follows; the few on hold, suspended or with an agency are the slow and troubled ones."""
        rng = self.rng("customers")
        n = self.spec.customers
        weights = [rng.uniform(0.3, 1.7) for _ in self.collector_ids]  # uneven portfolios
        self.owner = rng.choices(self.collector_ids, weights, k=n)
        status = ["active"] * n
        profile = [_choose(rng, [(name, p[0]) for name, p in PROFILES.items()]) for _ in range(n)]
        picked = rng.sample(range(n), min(n, sum(max(1, round(n * s)) for s, _ in STATUS_SHARES.values())))
        for name, (share, payer) in STATUS_SHARES.items():
            for c in picked[: max(1, round(n * share))]:
                status[c], profile[c] = name, payer
            picked = picked[max(1, round(n * share)) :]
        self.status = status
        self.terms = [_choose(rng, TERMS) for _ in range(n)]
        self.method = [_choose(rng, METHODS) for _ in range(n)]
        self.run = [rng.choice((1, 7, 7, 14, 14, 30)) for _ in range(n)]
        self.run_offset = [rng.randrange(r) for r in self.run]
        self.mu = [rng.gauss(log(2500), 0.9) for _ in range(n)]  # log of the median invoice $
        self.share = [min(rng.paretovariate(1.3), 40.0) for _ in range(n)]
        self.late, self.spread, self.stuck = [], [], []
        for p in profile:
            _, (low, high), spread, stuck = PROFILES[p]
            self.late.append(rng.randint(low, high))
            self.spread.append(spread)
            self.stuck.append(stuck)
        self.names, self.domains, self.regions = [], [], []
        taken = set()
        rows = []
        for c in range(n):
            region = _choose(rng, [(r, v[0]) for r, v in REGIONS.items()])
            words = None
            for _ in range(20):
                words = (rng.choice(PREFIXES), rng.choice(TRADES), rng.choice(KINDS_OF_FIRM))
                if words not in taken:
                    break
            else:
                words = words[:2] + (f"{words[2]} {c + 1}",)
            taken.add(words)
            name = f"{' '.join(words)} {rng.choice(REGIONS[region][1])}"
            self.names.append(name)
            self.domains.append("-".join(words).lower().replace(" ", "-") + ".example.com")
            self.regions.append(region)
            monthly = exp(self.mu[c]) * (1 + self.share[c]) * 100
            credit_limit = int(round(monthly * rng.uniform(2, 6), -6)) or 1_000_000
            created = self.stamp(self.start - rng.randint(30, 700))
            rows.append(
                (
                    c + 1,
                    f"C{c + 1:06d}",
                    name,
                    region,
                    self.terms[c],
                    "USD",
                    credit_limit,
                    status[c],
                    self.owner[c],
                    created,
                    1,
                    ACTOR,
                    created,
                )
            )
        self.insert(
            "customers",
            "id account_no name region terms_days currency credit_limit_cents"
            " status owner created_at version updated_by updated_at",
            rows,
        )

    def contacts(self) -> None:
        """One to three people in the customer's AP or finance team, the first one primary."""
        rng = self.rng("contacts")
        rows = []
        self.first_contact, self.contact_count = [], []  # per customer; contact ids from 1
        for c in range(self.spec.customers):
            count = rng.choice((1, 1, 2, 2, 3))
            self.first_contact.append(len(rows) + 1)
            self.contact_count.append(count)
            roles = rng.sample(CONTACT_ROLES, count)
            area = rng.choice(REGIONS[self.regions[c]][2])
            for k, role in enumerate(roles):
                first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
                rows.append(
                    (
                        c + 1,
                        f"{first} {last}",
                        role,
                        f"{first}.{last}@{self.domains[c]}".lower(),
                        f"+{area} 555-01{rng.randrange(100):02d}",
                        int(k == 0),
                        1,
                        ACTOR,
                        self.stamp(self.start),
                    )
                )
        self.insert("contacts", "customer_id name role email phone is_primary version updated_by updated_at", rows)
        self.contact_name_email = [(row[1], row[3]) for row in rows]

    def contact(self, c: int, contact_id: int | None = None) -> tuple[str, str]:
        """(name, email) of a contact of customer ``c``; by default its primary contact."""
        return self.contact_name_email[(contact_id or self.first_contact[c]) - 1]

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
        # (invoice id, customer, issue date, due date, amount, open cents) of the open ones
        self.open_items: list[tuple] = []
        open_items = self.open_items
        pay_key: dict[tuple[int, int], int] = {}
        memo_rows: list[tuple] = []
        random_, issue_day = rng.random, self.issue_day
        normal = [NormalDist().inv_cdf((k + 0.5) / 4096) for k in range(4096)]  # by quantile
        iso, base, today = self.iso, self.base, self.today
        applied_at, updated_at = [d + "T15:00:00Z" for d in iso], [d + "T16:00:00Z" for d in iso]
        terms, mu, late, spread, stuck = self.terms, self.mu, self.late, self.spread, self.stuck
        run, offset, owner = self.run, self.run_offset, self.owner
        pay_customer, pay_day, pay_applied, pay_invoices = (
            self.pay_customer,
            self.pay_day,
            self.pay_applied,
            self.pay_invoices,
        )
        unpaid = self.unpaid_tail = self.aging_tail(customer_of)
        for first in range(1, n + 1, CHUNK):
            invoices, applications = [], []
            for invoice_id in range(first, min(first + CHUNK, n + 1)):
                c = customer_of[invoice_id - 1]
                issue = issue_day(invoice_id)
                due = issue + terms[c]
                dollars = exp(mu[c] + 0.8 * normal[int(random_() * 4096)])
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
                    memo = min(int(amount * (0.02 + 0.13 * random_())) or 1, amount - paid or amount, LEAD_LIMIT)
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
                    applications.append(
                        (pid, invoice_id, "apply", paid, iso[pay - base], applied_at[pay - base], owner[c])
                    )
                last = issue if open_cents else memo_day  # the day it closed, if it did
                if open_cents:
                    open_items.append((invoice_id, c, iso[issue - base], iso[due - base], amount, open_cents))
                invoices.append(
                    (
                        invoice_id,
                        c + 1,
                        invoice_number(invoice_id),
                        iso[issue - base],
                        iso[due - base],
                        amount,
                        open_cents,
                        None if open_cents else iso[last - base],
                        updated_at[last - base],
                    )
                )
            self.insert(
                "invoices",
                "id customer_id number issue_date due_date amount_cents open_cents closed_date updated_at",
                invoices,
                currency="USD",
                version=1,
                updated_by=ACTOR,
            )
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

    def memo_row(
        self, rng: random.Random, invoice_id: int, c: int, cents: int, reason: str, status: str, day: int
    ) -> tuple:
        """A memo prepared by the account's owner and decided as the memo service would:
        within the preparer's limit it approves itself, above it another collector whose
        limit covers it decides (nobody approves their own)."""
        preparer = self.owner[c]
        prepared, decided = self.stamp(day, 600), self.stamp(day, 840)
        approver, decided_at, note, posted = None, None, None, None
        if status in ("approved", "posted") and cents <= self.limits[preparer]:
            decided_at, note = decided, "within the preparer's limit"
        elif status in ("approved", "posted", "rejected"):
            approver = rng.choice([cid for cid, limit in self.limits.items() if cid != preparer and limit >= cents])
            decided_at = decided
            note = "over our tolerance; rebill instead" if status == "rejected" else None
        if status == "posted":
            posted = self.stamp(day, 900)
        gl, why = MEMO_REASONS[reason]
        return (
            c + 1,
            invoice_id,
            cents,
            "USD",
            reason,
            gl,
            why,
            status,
            preparer,
            prepared,
            approver,
            decided_at,
            note,
            posted,
            1,
            ACTOR,
            posted or decided_at or prepared,
        )

    def write_memos(self, rows: list[tuple]) -> None:
        first = self.counts["credit_memos"] + 1
        self.insert(
            "credit_memos",
            "id number customer_id invoice_id amount_cents currency"
            " reason_code gl_code note status prepared_by prepared_at approved_by decided_at"
            " decision_note posted_at version updated_by updated_at",
            [(first + k, f"CM-{first + k:06d}") + row for k, row in enumerate(rows)],
        )

    def payments(self) -> None:
        """The receipts behind the applications, a few overpaid (some refunded since) and a
        few from payers nobody has identified yet."""
        rng = self.rng("payments")
        rows, refunds, overpaid = [], [], 0
        self.cash_by_owner_month: dict[tuple[str, str], int] = {}
        for k, (c, day, applied, invoices) in enumerate(
            zip(self.pay_customer, self.pay_day, self.pay_applied, self.pay_invoices)
        ):
            extra = int(applied * rng.uniform(0.01, 0.2)) + 1 if rng.random() < 0.02 else 0
            unapplied = extra
            overpaid += bool(extra)
            refund_day = day + rng.randint(5, 40) if extra else None
            if extra and overpaid % 3 == 1 and refund_day <= self.today:  # a third are refunded
                refunds.append(
                    (k + 1, None, "refund", extra, self.day(refund_day), self.stamp(refund_day, 900), self.owner[c])
                )
                unapplied = 0
            numbers = " ".join(invoice_number(i) for i in invoices[:6])
            more = f" +{len(invoices) - 6} more" if len(invoices) > 6 else ""
            remittance = f"{self.names[c].split()[0].upper()} AP {numbers}{more}"
            rows.append(self.payment_row(k + 1, c, day, applied + extra, unapplied, remittance))
            if len(rows) == CHUNK:
                self.insert("payments", PAYMENT_COLUMNS, rows)
                rows = []
            month = (self.owner[c], self.day(day)[:7])
            self.cash_by_owner_month[month] = self.cash_by_owner_month.get(month, 0) + applied + extra
        first = len(self.pay_day) + 1
        for k in range(max(2, self.spec.customers // 100)):
            day = self.today - rng.randint(0, 20)
            cents = rng.randint(500, 2_000_000) * 100
            rows.append(
                (
                    first + k,
                    None,
                    self.day(day),
                    "USD",
                    cents,
                    cents,
                    "wire",
                    f"WIRE-{self.day(day).replace('-', '')}-{first + k:07d}",
                    "ORIG CO NAME UNKNOWN PAYMENT",
                    "bank_import",
                    1,
                    ACTOR,
                    self.stamp(day, 480),
                )
            )
        self.insert("payments", PAYMENT_COLUMNS, rows)
        self.insert("payment_applications", APPLICATION_COLUMNS, refunds)

    def payment_row(self, pid: int, c: int, day: int, cents: int, unapplied: int, remittance: str) -> tuple:
        method = self.method[c]
        return (
            pid,
            c + 1,
            self.day(day),
            "USD",
            cents,
            unapplied,
            method,
            f"{method.upper()}-{self.day(day).replace('-', '')}-{pid:07d}",
            remittance,
            PAYMENTS_SOURCE.get(method, "bank_import"),
            1,
            ACTOR,
            self.stamp(day, 480),
        )

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
        self.insert(
            "targets",
            "collector_id period cash_cents version updated_by updated_at",
            [r + (1, "lead", self.stamp(self.today - 30)) for r in rows],
        )


def _choose(rng: random.Random, weighted) -> str:
    values, weights = zip(*weighted)
    return rng.choices(values, weights)[0]
