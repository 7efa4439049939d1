"""What collectors did around the ledger: payment plans, promises, disputes, credit memos
in flight, account events, emails sent and the contact history."""

import random
from datetime import date
from itertools import accumulate

from arctui.domain.money import format_money
from arctui.domain.plans import allocate, equal_schedule
from arctui.domain.statuses import DISPUTE_REASONS
from arctui.sample.vocabulary import (
    ACTOR,
    APPLICATION_COLUMNS,
    DISPUTE_FOR_MEMO,
    KIND_OUTCOMES,
    KIND_WEIGHTS,
    LEAD_LIMIT,
    MEMO_FOR_DISPUTE,
    OUTCOME_NOTES,
    PAYMENT_COLUMNS,
    invoice_number,
)
from arctui.services.promises import judge_open_promises


class Activity:
    """What collectors did around the ledger: plans, promises, disputes, memos in flight,
    account events, emails and the contact history. Built from the ledger's open items."""

    def __init__(self, book):  # a sample.book.Book
        self.book = book
        self.today = book.today
        self.open_items = book.open_items
        # invoices already given a plan, promise or dispute; the aging tail stays untouched
        self.used: set[int] = set(book.unpaid_tail)
        # days each customer sent cash (ledger payments; the plans add their instalments)
        self.receipt_days: dict[int, list[int]] = {}
        for c, day in zip(book.pay_customer, book.pay_day):
            self.receipt_days.setdefault(c, []).append(day)

    def touch(
        self,
        c: int,
        kind: str,
        outcome: str,
        ordinal: int,
        minute: int,
        by: str,
        contact: int | None = None,
        follow_up: int | None = None,
        note: str | None = None,
    ) -> None:
        book = self.book
        if contact is None and kind in ("call", "email"):
            contact = book.first_contact[c]
        text = note or OUTCOME_NOTES[outcome].format(contact=book.contact(c, contact)[0])
        book.touches.append(
            (
                c + 1,
                contact,
                kind,
                outcome,
                text,
                book.day(follow_up) if follow_up is not None else None,
                book.stamp(ordinal, minute),
                by,
            )
        )

    def past_due(self, older_than: int, fully_open: bool = True) -> list[tuple]:
        """Open items more than ``older_than`` days past due, not yet used by another story."""
        limit = self.book.day(self.today - older_than)
        return [
            item
            for item in self.open_items
            if item[3] < limit and item[0] not in self.used and (item[4] == item[5] or not fully_open)
        ]

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
                payment_rows.append(
                    book.payment_row(
                        next_payment, c, day, inst.amount_cents, 0, f"PAYMENT PLAN {plan_id} INSTALMENT {inst.seq}"
                    )
                )
                self.receipt_days.setdefault(c, []).append(day)
                cents = inst.amount_cents
                for invoice_id, left in open_left.items():
                    part = min(cents, left)
                    if part:
                        open_left[invoice_id] -= part
                        cents -= part
                        app_rows.append(
                            (next_payment, invoice_id, "apply", part, book.day(day), book.stamp(day, 900), owner)
                        )
                        invoice_changes[invoice_id] = (
                            left - part,
                            book.day(day) if left == part else None,
                            book.stamp(day, 900),
                        )
                next_payment += 1
            paid = sum(inst.amount_cents for inst in paying)
            note = f"{count} {frequency} instalments agreed with {book.contact(c)[0]}"
            plan_rows.append(
                (
                    plan_id,
                    c + 1,
                    total,
                    frequency,
                    "completed" if paid >= total else "active",
                    note,
                    book.stamp(created, 660),
                    owner,
                    1,
                    ACTOR,
                    book.stamp(created, 660),
                )
            )
            instalment_rows += [
                (plan_id, inst.seq, inst.due_date.isoformat(), inst.amount_cents, inst_paid)
                for inst, inst_paid in zip(schedule, allocate(paid, [i.amount_cents for i in schedule]))
            ]
            link_rows += [(plan_id, item[0]) for item in items]
            self.touch(c, "call", "PTP", created, 660, owner, note=f"payment plan: {note}")
        book.insert("payments", PAYMENT_COLUMNS, payment_rows)
        book.insert("payment_applications", APPLICATION_COLUMNS, app_rows)
        book.db.conn.executemany(
            "UPDATE invoices SET open_cents = ?, closed_date = ?, updated_at = ? WHERE id = ?",
            [change + (invoice_id,) for invoice_id, change in invoice_changes.items()],
        )
        book.insert(
            "payment_plans",
            "id customer_id total_cents frequency status note created_at created_by version updated_by updated_at",
            plan_rows,
        )
        book.insert("plan_instalments", "plan_id seq due_date amount_cents paid_cents", instalment_rows)
        book.insert("plan_invoices", "plan_id invoice_id", link_rows)

    def promises(self) -> None:
        """Promises made days before a real payment (for more than came in, one in three),
        promises on invoices still unpaid, open ones due around today. Each is then judged
        by the promise service's own judging (``judge_open_promises``) on the cash received
        from the account, as ``arctui promises settle`` would judge it today."""
        book = self.book
        rng = book.rng("promises")
        stories = []  # (customer, invoice ids, amount, created, promised)
        recent = [k for k, day in enumerate(book.pay_day) if day > self.today - 120]
        for n, k in enumerate(sorted(rng.sample(recent, min(len(recent), max(4, len(recent) // 12))))):
            c, day, applied, invoices = (
                book.pay_customer[k],
                book.pay_day[k],
                book.pay_applied[k],
                book.pay_invoices[k],
            )
            created = max(day - rng.randint(2, 20), book.issue_day(max(invoices)) + 1)
            amount = int(applied * rng.uniform(1.25, 2.0)) if n % 3 == 0 else applied
            promised = max(created, day + rng.randint(-3, 5))  # paid by promised + grace
            stories.append((c, invoices, amount, created, promised))
        stuck = self.past_due(20)
        for item in self.take(rng, stuck, max(2, len(stuck) // 10)):
            created = min(book.issue_day(item[0]) + rng.randint(35, 90), self.today - 14)
            stories.append((item[1], [item[0]], item[5], created, created + rng.randint(3, 7)))
        overdue = self.past_due(0)
        late = self.take(rng, overdue, max(4, len(overdue) // 30))
        # those who sent nothing lately take the promises due today or just overdue
        late.sort(key=lambda item: any(day >= self.today - 10 for day in self.receipt_days.get(item[1], ())))
        for n, item in enumerate(late):
            promised = self.today + (0, -rng.randint(1, 3), rng.randint(1, 14), rng.randint(1, 14))[n % 4]
            created = min(promised, self.today - rng.randint(1, 10))
            # made after the customer's latest payment, when there is room, so it is still open
            paid = [day for day in self.receipt_days.get(item[1], ()) if created <= day <= self.today]
            if paid and max(paid) < min(promised, self.today):
                created = max(paid) + 1
            stories.append((item[1], [item[0]], item[5], created, promised))
        rows, links = [], []
        for promise_id, (c, invoices, amount, created, promised) in enumerate(stories, 1):
            note = f"{format_money(amount)} by {book.day(promised)} from {book.contact(c)[0]}"
            owner = book.owner[c]
            stamp = book.stamp(created, 700)
            rows.append(
                (promise_id, c + 1, amount, book.day(promised), 3, "open", 0, note, stamp, owner, 1, ACTOR, stamp)
            )
            links += [(promise_id, invoice_id) for invoice_id in invoices]
            self.touch(c, "call", "PTP", created, 700, owner, follow_up=promised, note=f"promised {note}")
        book.insert(
            "promises",
            "id customer_id amount_cents promised_date grace_days status paid_cents"
            " note created_at created_by version updated_by updated_at",
            rows,
        )
        book.insert("promise_invoices", "promise_id invoice_id", links)
        _, verdicts = judge_open_promises(book.db, book.spec.today)
        judged = []
        for promise_id, story in enumerate(stories, 1):
            verdict = verdicts[promise_id]
            resolved, stamp = None, rows[promise_id - 1][-1]
            if verdict.status != "open":  # kept the day the cash arrived; partial or broken after grace
                day = verdict.kept_on.toordinal() if verdict.kept_on else story[4] + 4
                resolved, stamp = book.day(day), book.stamp(day, 700)
            judged.append((verdict.status, verdict.paid_cents, resolved, stamp, promise_id))
        book.db.conn.executemany(
            "UPDATE promises SET status = ?, paid_cents = ?, resolved_date = ?, updated_at = ? WHERE id = ?", judged
        )

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
        open_rows = [row + ("open", None, None) for row in rows[: len(rows) * 2 // 3]]
        resolved = [
            row + ("resolved", rng.choice(("customer_will_pay", "withdrawn")), rng.randint(row[4], self.today))
            for row in rows[len(rows) * 2 // 3 :]
        ]
        for invoice_id, c, cents, day, reason in book.posted_memos[::2]:
            reason = DISPUTE_FOR_MEMO.get(reason, "other")
            resolved.append(
                (
                    c,
                    invoice_id,
                    cents,
                    reason,
                    max(book.issue_day(invoice_id), day - rng.randint(3, 30)),
                    "resolved",
                    "credited",
                    day,
                )
            )
        spare = [
            (item[1], item[0], item[5], "other", self.today - rng.randint(1, 30))
            for item in items
            if item[0] not in self.used
        ]
        self.memos_in_flight(rng, open_rows + spare)
        db_rows = []
        for c, invoice_id, cents, reason, opened, status, resolution, closed in open_rows + resolved:
            owner = book.owner[c]
            note = f"{DISPUTE_REASONS[reason]} on {invoice_number(invoice_id)}"
            db_rows.append(
                (
                    c + 1,
                    invoice_id,
                    cents,
                    reason,
                    note,
                    status,
                    resolution,
                    book.stamp(opened, 630),
                    owner,
                    book.stamp(closed, 720) if closed is not None else None,
                    owner if closed is not None else None,
                    1,
                    ACTOR,
                    book.stamp(closed if closed is not None else opened, 720),
                )
            )
            self.touch(c, "call", "DSP", opened, 630, owner, note=f"dispute: {note}")
        book.insert(
            "disputes",
            "customer_id invoice_id amount_cents reason note status resolution"
            " opened_at opened_by resolved_at resolved_by version updated_by updated_at",
            sorted(db_rows, key=lambda row: (row[7], row[1])),
        )

    def memos_in_flight(self, rng: random.Random, candidates: list[tuple]) -> None:
        """Memos in each status before posting, prepared against open disputes first, then
        other open invoices; a pending one always exceeds its preparer's limit, as the memo
        service decides. ``candidates``: (customer, invoice, cents, dispute reason, day)."""
        book = self.book
        rows, done = [], set()
        per_status = max(1, len(candidates) // 150)
        for status in ("draft", "pending_approval", "approved", "rejected"):
            fits = [
                d
                for d in candidates
                if d[1] not in done and (status != "pending_approval" or d[2] > book.limits[book.owner[d[0]]])
            ]
            for c, invoice_id, cents, reason, opened, *_ in fits[:per_status]:
                done.add(invoice_id)
                day = min(self.today, opened + rng.randint(0, 5))
                reason = MEMO_FOR_DISPUTE.get(reason, "goodwill")
                rows.append(book.memo_row(rng, invoice_id, c, min(cents, LEAD_LIMIT), reason, status, day))
        book.write_memos(rows)

    def account_events(self) -> None:
        """Credit holds behind today's holds, older holds since released, escalations behind
        suspended and outside-collections accounts, a few to management or sales, and a few
        accounts moved between collectors."""
        book = self.book
        rng = book.rng("events")
        rows, in_force = [], []

        def event(c, kind, detail, note, day, by=None):
            by = by or book.owner[c]
            rows.append((c + 1, kind, detail, note, book.stamp(day, 780), by))
            if kind == "escalation":
                self.touch(c, "note", "ESC", day, 780, by, note=f"escalated ({detail}): {note}")
            if detail in ("suspension", "outside_collections"):  # recommended the day before, approved by the lead
                in_force.append((c + 1, detail, note, book.owner[c], book.stamp(day - 1, 600), book.stamp(day, 780)))

        for c, status in enumerate(book.status):
            day = self.today - rng.randint(3, 120)
            if status == "credit_hold":
                event(c, "credit_hold", "credit_hold", "over the credit limit with items 60+ days late", day)
            elif status == "suspended":
                event(c, "credit_hold", "credit_hold", "no payment in 90 days", day - 30)
                event(c, "escalation", "suspension", "services suspended until the balance is cleared", day)
            elif status == "outside_collections":
                event(c, "escalation", "management", "broken promises; recommend an agency", day - 20)
                event(c, "escalation", "outside_collections", "placed with the collection agency", day, by="lead")
            elif rng.random() < 0.03:
                event(c, "credit_hold", "credit_hold", "past due over 60 days", day - 40)
                event(c, "release", "active", "paid down; orders released", day - rng.randint(5, 35))
            elif rng.random() < 0.02:
                kind = rng.choice(("management", "sales"))
                event(c, "escalation", kind, f"asked {kind} to call the customer's CFO", day)
            elif rng.random() < 0.02 and len(book.collector_ids) > 1:
                before = rng.choice([cid for cid in book.collector_ids if cid != book.owner[c]])
                event(c, "assignment", book.owner[c], f"from {before}", day, by="lead")
        book.insert(
            "account_events", "customer_id kind detail note at by", sorted(rows, key=lambda row: (row[4], row[0]))
        )
        book.insert(
            "escalations",
            "customer_id kind note recommended_by recommended_at decided_at",
            in_force,
            step="escalate",
            status="approved",
            decided_by="lead",
            status_before="active",
        )

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
            subject = (
                f"Reminder: {len(late[c])} past-due invoice(s) on account {account}"
                if template == "reminder"
                else f"Statement of open items, account {account}"
            )
            name, email = book.contact(c)
            body = (
                f"Dear {name},\n\nOur records show {format_money(sum(late[c]))} past due on"
                f" account {account} ({book.names[c]}). Please let us know when we can expect"
                f" payment.\n\nKind regards,\n{book.collector_names[owner]}\n"
            )
            rows.append(
                (
                    email_id,
                    c + 1,
                    email,
                    subject,
                    body,
                    template,
                    f"{c + 1}:{template}:{book.day(day)}",
                    "sent",
                    1,
                    f"<{book.day(day)}.{email_id}@collections.example.com>",
                    "smtp",
                    book.stamp(day, 540),
                    owner,
                    book.stamp(day, 541),
                )
            )
            self.touch(c, "email", "EMS", day, 540, owner, note=f"{template} sent: {subject}")
        book.insert(
            "email_outbox",
            "id customer_id to_addr subject body template dedupe_key status"
            " attempts message_id sender created_at created_by sent_at",
            rows,
        )

    def history(self) -> None:
        """Six months of routine contact: late accounts at their collector's cadence, the
        rest now and then; the latest touch often sets a follow-up date around today."""
        book = self.book
        rng = book.rng("touchpoints")
        today_iso = book.day(self.today)
        late = {item[1] for item in self.open_items if item[3] < today_iso}
        kinds, weights = zip(*KIND_WEIGHTS)
        cum = list(accumulate(weights))
        for c in range(book.spec.customers):
            owner = book.owner[c]
            cadence = book.cadence[owner] if c in late else 45
            day = self.today - int(rng.expovariate(1 / cadence))
            follow_up = day + rng.randint(1, 14) if rng.random() < 0.6 else None
            while day >= self.today - 180:
                kind = rng.choices(kinds, cum_weights=cum)[0]
                contact = (
                    book.first_contact[c] + rng.randrange(book.contact_count[c]) if kind in ("call", "email") else None
                )
                self.touch(
                    c,
                    kind,
                    rng.choice(KIND_OUTCOMES[kind]),
                    day,
                    480 + int(540 * rng.random()),
                    owner,
                    contact,
                    follow_up,
                )
                follow_up = None
                day -= max(1, cadence - 3 + int(7 * rng.random()))
