"""Cash application: record receipts, apply them to invoices, refund what is left over."""

import re
from datetime import date

from sqlite_utils import Database

from arctui.domain.authority import AuthorityError, needs_approval
from arctui.domain.money import format_money
from arctui.domain.statuses import PAYMENT_METHODS
from arctui.domain.text import normalise_identifier
from arctui.services.context import Context
from arctui.services.errors import InvalidInput
from arctui.services.plans import settle_plans
from arctui.services.promises import settle_open_promises
from arctui.services.records import Action, action, get
from arctui.services.validate import a_day, at_most, choice, identifier, positive_cents
from arctui.services.validate import note as text_note
from arctui.store.read import cash as read
from arctui.store.read import history, refunds
from arctui.store.read.rates import book_currency
from arctui.store.read.team import authority

# invoice numbers as they appear in remittance text: letters, a separator, digits
_INVOICE_TOKEN = re.compile(r"[A-Z]{2,5}[-/]?\d{3,}", re.IGNORECASE)


def record_payment(
    ctx: Context,
    amount_cents: int,
    received_date: date,
    method: str,
    customer_id: int | None = None,
    bank_ref: str | None = None,
    remittance: str = "",
    source: str = "manual",
    currency: str = "USD",
) -> int:
    """A receipt lands whole as unapplied cash; applying it is a separate step."""
    positive_cents("amount", amount_cents)
    a_day("received date", received_date)
    choice("method", method, PAYMENT_METHODS)
    bank_ref, remittance = identifier("bank reference", bank_ref), text_note("remittance", remittance)
    with action(ctx, "payment.record", "payments") as act:
        if customer_id is not None:
            act.get("customers", customer_id)
        if bank_ref and read.payment_by_ref(act.db, bank_ref) is not None:
            raise InvalidInput("bank reference", f"{bank_ref} is already recorded")
        return act.insert(
            "payments",
            {
                "customer_id": customer_id,
                "received_date": received_date.isoformat(),
                "currency": currency,
                "amount_cents": amount_cents,
                "unapplied_cents": amount_cents,
                "method": method,
                "bank_ref": bank_ref or None,
                "remittance": remittance or None,
                "source": source,
            },
        )


def apply_payment(
    ctx: Context, payment_id: int, allocations, version: int | None = None, value_date: date | None = None
) -> None:
    """Apply part or all of a payment's unapplied cash to open invoices of one account;
    ``version`` is the payment's as loaded (required, as for every edit below).
    ``value_date`` is the day the cash counts from (default: today, a collector's application)."""
    if not allocations:
        raise InvalidInput("allocations", "choose at least one invoice")
    allocate_payment(ctx, payment_id, allocations, version=version, value_date=value_date)


def refund_payment(
    ctx: Context, payment_id: int, amount_cents: int, note: str = "", version: int | None = None
) -> int | None:
    """Return unapplied cash (an overpayment) to the customer; above the refunder's authority,
    the id of the refund request made instead (see ``allocate_payment``)."""
    positive_cents("amount", amount_cents)
    return allocate_payment(ctx, payment_id, (), amount_cents, note, version)


def allocate_payment(
    ctx: Context,
    payment_id: int,
    allocations=(),
    refund_cents: int = 0,
    note: str = "",
    version: int | None = None,
    value_date: date | None = None,
) -> int | None:
    """Apply unapplied cash to invoices and refund some of the rest: one action, so both
    land or neither does; returns the refund request's id when the refund was requested.
    ``version`` is the payment's as the collector loaded it: None is refused, a payment saved
    since is refused as stale.

    Each application carries its value date: ``value_date`` (an import passes the receipt's
    received date), else today; never after today, never before the invoice was issued. An invoice paid off
    closes on its last application's (or posted memo's) date. A refund is dated today, within
    the refunder's authority (``refund_needs_approval``), whichever screen or command asks; above
    it the refund is requested (services/refunds.py) and its money held: never applied or
    refunded elsewhere while the request waits."""
    allocations, note = [(int(i), cents) for i, cents in allocations], text_note("note", note)
    if value_date is not None:
        a_day("value date", value_date)
    for _, cents in allocations:
        positive_cents("amount", cents)
    if refund_cents:
        positive_cents("refund", refund_cents)
    if not allocations and not refund_cents:
        raise InvalidInput("allocations", "choose an invoice to apply to, or an amount to refund")
    currency = get(ctx.db, "payments", payment_id)["currency"]  # never changes: it names the refund's step
    requested = bool(refund_cents) and refund_needs_approval(ctx.db, ctx.user, currency, refund_cents)
    refund_step = "refund_request" if requested else "refund"
    name = "payment." + "_and_".join(
        step for step, wanted in (("apply", allocations), (refund_step, refund_cents)) if wanted
    )
    with action(ctx, name, "payments", payment_id) as act:
        payment = act.get("payments", payment_id)
        act.require_version("payments", payment, version)
        require_cash(payment)
        held = refunds.held_cents(act.db, payment_id)
        at_most(
            "amount",
            sum(c for _, c in allocations) + refund_cents,
            payment["unapplied_cents"] - held,
            "the payment's unapplied cash"
            + (f" less {format_money(held, currency)} held for a refund request" if held else ""),
            currency,
        )
        # a value date is never after today (a receipt dated ahead counts from today)
        customer_id = _apply(act, payment, allocations, min(value_date or ctx.today(), ctx.today()))
        refunded = 0 if requested else refund_cents
        request_id = _request_refund(act, payment, refund_cents, note) if requested else None
        if refunded:
            insert_application(act, payment_id, None, "refund", refunded, ctx.today().isoformat())
        act.update(
            "payments",
            payment_id,
            {
                "customer_id": customer_id,
                "remittance": refund_remittance(payment, refunded, note),
                "unapplied_cents": payment["unapplied_cents"] - sum(c for _, c in allocations) - refunded,
            },
            version,
        )
        if allocations:
            settle_account(act, customer_id)
        return request_id


def refund_remittance(payment: dict, refunded_cents: int, note: str | None) -> str | None:
    """The receipt's remittance text with a refund's note added (as it is when nothing was refunded)."""
    if not (refunded_cents and note):
        return payment["remittance"]
    refund = format_money(refunded_cents, payment["currency"])
    return f"{payment['remittance'] or ''}\nrefund {refund}: {note}".strip()


def _request_refund(act: Action, payment: dict, cents: int, note: str | None) -> int:
    """Hold ``cents`` of the receipt for a refund a lead or manager decides on (a note is required)."""
    if not (note or "").strip():
        raise InvalidInput("note", "say why the cash is refunded (and to whom): a lead or manager decides on it")
    return act.insert(
        "refund_requests",
        {
            "payment_id": payment["id"],
            "currency": payment["currency"],
            "amount_cents": cents,
            "note": note,
            "status": "pending_approval",
            "requested_by": act.ctx.user,
            "requested_at": act.ctx.now(),
        },
    )


def require_cash(payment: dict) -> None:
    """Only booked cash is worked: a pending receipt waits for its statement, a reversed one
    the bank took back."""
    if payment["state"] != "booked":
        raise InvalidInput(
            "payment", f"receipt {payment['id']} is {payment['state']}: not cash to apply, refund, assign or park"
        )


def _apply(act: Action, payment: dict, allocations, value_date: date) -> int | None:
    """Credit each invoice on ``value_date`` (or its issue day, if later); returns the account
    the cash belongs to."""
    customer_id = payment["customer_id"]
    for invoice_id, cents in allocations:
        invoice = act.get("invoices", invoice_id)
        customer_id = customer_id or invoice["customer_id"]
        if invoice["customer_id"] != customer_id:
            raise InvalidInput("invoice", f"{invoice['number']} belongs to another account than the payment")
        if invoice["currency"] != payment["currency"]:
            raise InvalidInput(
                "invoice", f"{invoice['number']} is in {invoice['currency']}, the payment in {payment['currency']}"
            )
        at_most("amount", cents, invoice["open_cents"], f"the open balance of {invoice['number']}", invoice["currency"])
        remaining = invoice["open_cents"] - cents
        on = max(value_date.isoformat(), invoice["issue_date"])
        insert_application(act, payment["id"], invoice_id, "apply", cents, on)
        closed = max(on, history.last_settled_date(act.db, invoice_id) or on) if remaining == 0 else None
        act.update("invoices", invoice_id, {"open_cents": remaining, "closed_date": closed})
    return customer_id


def insert_application(act: Action, payment_id: int, invoice_id, kind: str, cents: int, on: str) -> None:
    act.insert(
        "payment_applications",
        {
            "payment_id": payment_id,
            "invoice_id": invoice_id,
            "kind": kind,
            "amount_cents": cents,
            "applied_date": on,
            "applied_at": act.ctx.now(),
            "applied_by": act.ctx.user,
        },
    )


def settle_account(act: Action, customer_id: int) -> None:
    """After cash moves: re-judge the account's promises and plan instalments."""
    settle_open_promises(act, customer_id)
    settle_plans(act, customer_id)


def match_remittance(db: Database, payment_id: int) -> list[tuple[int, int]]:
    """Allocations proposed from the invoice numbers in a payment's remittance text, in the
    order they appear, each up to the invoice's open balance and within the unapplied cash."""
    payment = read.remittance(db, payment_id)
    if payment is None:
        return []
    left, customer_id = payment["unapplied_cents"], payment["customer_id"]
    allocations = []
    seen = set()
    for token in _INVOICE_TOKEN.findall(normalise_identifier(payment["remittance"] or "")):
        invoice = read.owed_invoice_named(db, token)
        if invoice is None or invoice["id"] in seen or invoice["currency"] != payment["currency"]:
            continue
        if customer_id is not None and invoice["customer_id"] != customer_id:
            continue
        customer_id = invoice["customer_id"]
        cents = min(invoice["open_cents"], left)
        if cents <= 0:
            break
        allocations.append((invoice["id"], cents))
        seen.add(invoice["id"])
        left -= cents
    return allocations


def auto_apply(ctx: Context, payment_id: int) -> int:
    """Apply what the remittance names; return the cents applied (0 leaves it for the collector).
    The match is made on the payment as read here, so its version is the one applied to; the
    cash is applied at the receipt's received date (its value date), not the import day."""
    payment = get(ctx.db, "payments", payment_id)
    allocations = match_remittance(ctx.db, payment_id)
    if allocations:
        received = date.fromisoformat(payment["received_date"])
        apply_payment(ctx, payment_id, allocations, payment["version"], value_date=received)
    return sum(c for _, c in allocations)


# --- the cash workbench (issue 11) -----------------------------------------------------
# Every receipt with unapplied money, oldest first (payer known or not), with suggested
# matches; each step on one is one audited action: assign a customer (assign_payment), apply
# (apply_payment), refund within authority (refund_unapplied) or park with a note
# (park_payment). Money is matched and summed within one currency only.

SUGGESTIONS_PER_KIND = 5
COMBINE_PAIRS_UP_TO = 60  # open invoices of one account looked at for two that add up
COMBINE_TRIPLES_UP_TO = 25  # ... and for three
NAME_SCORE_AT_LEAST = 0.5
# words that say nothing about who paid: legal forms, bank wording, generic trades
_NAME_NOISE = frozenset(
    """a ab ag and ap as bv co company corp corporation de der des gmbh inc incorporated kg limited llc
    llp lp ltd ltda nv of oy plc pty sa sarl sas spa srl the und ach wire check card credit debit
    transfer trf payment payments pmt pymt paid orig name unknown ref reference inv invoice invoices
    remittance from for to by via acct account customer services service systems holdings group supply
    supplies manufacturing distribution works labs international industries solutions trading partners
    enterprises plan instalment installment""".split()
)


def name_tokens(text: str | None) -> frozenset[str]:
    """The words of a name or remittance text that may say who paid: accents and case folded,
    invoice numbers, digits and the words in ``_NAME_NOISE`` left out."""
    import unicodedata

    text = _INVOICE_TOKEN.sub(" ", normalise_identifier(text or ""))
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).casefold()
    return frozenset(w for w in re.findall(r"[^\W\d_]+", plain) if len(w) >= 3 and w not in _NAME_NOISE)


class CashMatcher:
    """Suggested matches for receipts, over one read of the book (open invoices, account
    names, past payers): make one for a list of receipts, ask ``suggest(receipt)`` of each."""

    def __init__(self, db: Database):
        self.db = db
        self._invoices: dict[str, list[dict]] = {}
        self._combos: dict[str, dict[int, list[tuple]]] = {}
        self._customers: dict[int, dict] | None = None
        self._names: list[tuple[int, frozenset]] | None = None
        self._payers: list[tuple[int, frozenset]] | None = None
        self._fuzzy: dict[str, set[str]] = {}
        self._vocabulary: set[str] | None = None

    # -- what is read once ------------------------------------------------------------------
    def customers(self) -> dict[int, dict]:
        if self._customers is None:
            self._customers = {c["id"]: c for c in read.customer_names(self.db)}
        return self._customers

    def invoices(self, currency: str) -> list[dict]:
        if currency not in self._invoices:
            self._invoices[currency] = read.owed_invoices(self.db, [currency])
        return self._invoices[currency]

    def combos(self, currency: str) -> dict[int, list[tuple]]:
        """Sums of two or three owed invoices of one account: cents -> [(invoice, ...), ...]."""
        if currency not in self._combos:
            from itertools import combinations

            by_account: dict[int, list[dict]] = {}
            for invoice in self.invoices(currency):
                by_account.setdefault(invoice["customer_id"], []).append(invoice)
            sums: dict[int, list[tuple]] = {}
            for invoices in by_account.values():
                for size, most in ((2, COMBINE_PAIRS_UP_TO), (3, COMBINE_TRIPLES_UP_TO)):
                    for combo in combinations(invoices[:most], size):
                        sums.setdefault(sum(i["open_cents"] for i in combo), []).append(combo)
            self._combos[currency] = sums
        return self._combos[currency]

    def names(self) -> list[tuple[int, frozenset]]:
        if self._names is None:
            self._names = [(c["id"], name_tokens(c["name"])) for c in self.customers().values()]
        return self._names

    def payers(self) -> list[tuple[int, frozenset]]:
        if self._payers is None:
            seen, self._payers = set(), []
            for p in read.past_payers(self.db):
                key = (p["customer_id"], name_tokens(p["remittance"]))
                if key[1] and key not in seen:
                    seen.add(key)
                    self._payers.append(key)
        return self._payers

    # -- name similarity --------------------------------------------------------------------
    def vocabulary(self) -> set[str]:
        """Every word of the account names and past payers."""
        if self._vocabulary is None:
            self._vocabulary = set().union(*(words for _, words in self.names()), *(w for _, w in self.payers()))
        return self._vocabulary

    def _like(self, word: str) -> set[str]:
        """The words of the vocabulary that are ``word`` or nearly (a typo, a letter missing)."""
        if word not in self._fuzzy:
            from difflib import SequenceMatcher

            near = {word}
            if len(word) >= 4:
                near |= {
                    other
                    for other in self.vocabulary()
                    if abs(len(other) - len(word)) <= 2
                    and other[0] == word[0]
                    and SequenceMatcher(None, word, other).ratio() >= 0.85
                }
            self._fuzzy[word] = near
        return self._fuzzy[word]

    def similarity(self, payer: frozenset, name: frozenset) -> float:
        """Dice similarity of two word sets, a word counting as matched when nearly equal."""
        if not payer or not name:
            return 0.0
        matched = sum(1 for word in payer if name & self._like(word))
        return 2 * matched / (len(payer) + len(name))

    def _ranked(self, payer: frozenset, candidates: list[tuple[int, frozenset]]) -> dict[int, float]:
        best: dict[int, float] = {}
        for customer_id, words in candidates:
            if any(words & self._like(word) for word in payer):
                score = self.similarity(payer, words)
                if score >= NAME_SCORE_AT_LEAST and score > best.get(customer_id, 0):
                    best[customer_id] = score
        return best

    # -- the suggestions ----------------------------------------------------------------------
    def suggest(self, receipt: dict) -> list[dict]:
        """Suggested matches for one receipt (a payments row), best kinds first: invoices its
        remittance names, one owed invoice of exactly its unapplied amount, two or three of one
        account that add up to it exactly (same currency), accounts whose name or past payments
        look like the payer's. Each: kind, customer_id, account_no, customer_name, score,
        why, and allocations [(invoice_id, cents)] with invoices [{id, number, open_cents}]."""
        found = [
            *self.by_remittance(receipt),
            *self.by_amount(receipt),
            *self.by_name(receipt),
        ]
        return found

    def _suggestion(self, kind: str, customer_id: int, score: float, why: str, invoices=(), cents=None) -> dict:
        customer = self.customers().get(customer_id, {})
        allocations, left = [], cents
        for invoice in invoices:
            take = invoice["open_cents"] if left is None else min(invoice["open_cents"], left)
            if take > 0:
                allocations.append((invoice["id"], take))
            if left is not None:
                left -= take
        return {
            "kind": kind,
            "customer_id": customer_id,
            "account_no": customer.get("account_no"),
            "customer_name": customer.get("name"),
            "score": round(score, 2),
            "why": why,
            "invoices": [{"id": i["id"], "number": i["number"], "open_cents": i["open_cents"]} for i in invoices],
            "allocations": allocations,
        }

    def by_remittance(self, receipt: dict) -> list[dict]:
        """The owed invoices the remittance text names, of one account and the receipt's currency."""
        tokens = list(dict.fromkeys(_INVOICE_TOKEN.findall(normalise_identifier(receipt["remittance"] or ""))))
        if not tokens:
            return []
        named = {i["number"].upper(): i for i in read.invoices_by_number(self.db, tokens + [t.upper() for t in tokens])}
        accounts: dict[int, list[dict]] = {}
        for token in tokens:
            invoice = named.get(token.upper())
            if invoice is None or invoice["open_cents"] <= 0 or invoice["currency"] != receipt["currency"]:
                continue
            if receipt["customer_id"] not in (None, invoice["customer_id"]):
                continue
            if invoice not in accounts.setdefault(invoice["customer_id"], []):
                accounts[invoice["customer_id"]].append(invoice)
        return [
            self._suggestion(
                "remittance",
                customer_id,
                1.0,
                "remittance names " + ", ".join(i["number"] for i in invoices),
                invoices,
                receipt["unapplied_cents"],
            )
            for customer_id, invoices in accounts.items()
        ][:SUGGESTIONS_PER_KIND]

    def by_amount(self, receipt: dict) -> list[dict]:
        """One owed invoice of exactly the unapplied amount; else two or three of one account."""
        cents, known = receipt["unapplied_cents"], receipt["customer_id"]
        exact = [
            i
            for i in self.invoices(receipt["currency"])
            if i["open_cents"] == cents and known in (None, i["customer_id"])
        ]
        found = [
            self._suggestion("exact_amount", i["customer_id"], 0.9, f"{i['number']} is open for exactly this", [i])
            for i in exact[:SUGGESTIONS_PER_KIND]
        ]
        combos = [
            combo
            for combo in self.combos(receipt["currency"]).get(cents, [])
            if known in (None, combo[0]["customer_id"])
        ]
        combos.sort(key=lambda combo: (len(combo), max(i["due_date"] for i in combo)))
        found += [
            self._suggestion(
                "combined_amount",
                combo[0]["customer_id"],
                0.8 if len(combo) == 2 else 0.7,
                " + ".join(i["number"] for i in combo) + " add up to exactly this",
                combo,
            )
            for combo in combos[:SUGGESTIONS_PER_KIND]
        ]
        return found

    def by_name(self, receipt: dict) -> list[dict]:
        """Accounts whose name, or whose past payers' remittance, looks like this payer's."""
        if receipt["customer_id"] is not None:
            return []  # the payer is known: a name match says nothing new
        payer = name_tokens(receipt["remittance"])
        if not payer:
            return []
        found = []
        for kind, candidates, what in (
            ("customer_name", self.names(), "name is like the payer's"),
            ("past_payer", self.payers(), "was paid for before by a payer like this one"),
        ):
            ranked = sorted(self._ranked(payer, candidates).items(), key=lambda kv: (-kv[1], kv[0]))
            for customer_id, score in ranked[:SUGGESTIONS_PER_KIND]:
                found.append(self._suggestion(kind, customer_id, score * 0.6, f"{what} ({score:.0%} alike)"))
        return found


def _parked(receipt: dict) -> dict | None:
    """The park that still holds on a receipt (note, by, at), or None."""
    import json

    step = json.loads(receipt["last_step"]) if receipt.get("last_step") else None
    if step and step.get("version") == receipt["version"]:
        return {"note": step["note"], "by": step["by"], "at": step["at"]}
    return None


def _workbench_row(receipt: dict, today: date, matcher: CashMatcher) -> dict:
    row = {k: v for k, v in receipt.items() if k != "last_step"}
    row["days"] = (today - date.fromisoformat(receipt["received_date"])).days
    row["parked"] = _parked(receipt)
    row["suggestions"] = matcher.suggest(receipt)
    return row


def unapplied_cash(db: Database, today: date) -> list[dict]:
    """Every receipt with unapplied money, oldest first (with no customer too): the payments
    row, account_no and customer_name (None while the payer is unknown), days since received,
    parked (note, by, at: a park no later step has ended) and suggestions (CashMatcher)."""
    matcher = CashMatcher(db)
    return [_workbench_row(r, today, matcher) for r in read.workbench_receipts(db)]


def unapplied_receipt(db: Database, payment_id: int, today: date) -> dict:
    """One receipt as ``unapplied_cash`` lists it; NotFound when there is none."""
    receipt = read.workbench_receipt(db, payment_id)
    if receipt is None:
        get(db, "payments", payment_id)  # raises NotFound, named as everywhere
    return _workbench_row(receipt, today, CashMatcher(db))


def assign_payment(ctx: Context, payment_id: int, account_no: str, version: int | None = None) -> int:
    """Say whose a receipt is: its account becomes the one numbered ``account_no``. A receipt
    already applied in part stays with its account (refused). Returns the account's id."""
    account = identifier("account", account_no)
    if not account:
        raise InvalidInput("account", "name the account the receipt belongs to")
    with action(ctx, "payment.assign", "payments", payment_id) as act:
        payment = act.get("payments", payment_id)
        act.require_version("payments", payment, version)
        require_cash(payment)
        customer = read.customer_by_account(act.db, account)
        if customer is None:
            raise InvalidInput("account", f"no account {account}")
        if payment["customer_id"] == customer["id"]:
            raise InvalidInput("account", f"the receipt is already {customer['account_no']}'s")
        if payment["customer_id"] is not None and payment["unapplied_cents"] != payment["amount_cents"]:
            raise InvalidInput(
                "account",
                "part of the receipt is already applied or refunded on its account; it stays there",
            )
        if payment["unapplied_cents"] == 0:
            raise InvalidInput("payment", f"payment {payment_id} has no unapplied cash")
        act.update("payments", payment_id, {"customer_id": customer["id"]}, expected_version=version)
        return customer["id"]


def refund_unapplied(
    ctx: Context, payment_id: int, amount_cents: int, note: str, version: int | None = None
) -> int | None:
    """Refund unapplied cash (within the refunder's authority, as every refund is; above it the
    refund request's id). A note saying why is required."""
    positive_cents("amount", amount_cents)
    if not (text_note("note", note) or "").strip():
        raise InvalidInput("note", "say why the cash is refunded (and to whom)")
    return refund_payment(ctx, payment_id, amount_cents, note, version)


def refund_needs_approval(db: Database, user: str, currency: str, amount_cents: int) -> bool:
    """Whether ``user``'s refund waits for a lead or manager: above their authority limit (in the
    book's currency), or in another currency unless they are a lead or manager. Only active
    collectors refund cash (AuthorityError)."""
    who = authority(db, user, "refund")
    if who is None:
        raise AuthorityError(f"{user} is not an active collector: only collectors refund cash")
    if currency != book_currency(db):
        return who["role"] not in ("lead", "manager")
    return needs_approval(amount_cents, who["limit_cents"])


def park_payment(ctx: Context, payment_id: int, note: str, version: int | None = None) -> None:
    """Set a receipt aside with a note saying why (who to ask, what is awaited); the park
    holds until the next step on the receipt. A note is required."""
    note = (text_note("note", note) or "").strip()
    if not note:
        raise InvalidInput("note", "say why the receipt is parked")
    with action(ctx, "payment.park", "payments", payment_id) as act:
        payment = act.get("payments", payment_id)
        act.require_version("payments", payment, version)
        require_cash(payment)
        if payment["unapplied_cents"] == 0:
            raise InvalidInput("payment", f"payment {payment_id} has no unapplied cash to park")
        parked = act.update("payments", payment_id, {}, expected_version=version)
        act.after[f"payments/{payment_id}"] = {"version": parked["version"], "park_note": note}


def unapplied_cash_aging(db: Database, today: date, as_of: bool = False) -> list[dict]:
    """Unapplied receipts by currency and payer known or not, in buckets of days since
    received (0-30, 31-60, 61-90, 90+), with count, total and oldest: one row each, never
    summed across currencies. ``as_of``: the cash unapplied at the end of ``today``."""
    return [{**r, "payer_known": bool(r["payer_known"])} for r in read.unapplied_aging(db, today.isoformat(), as_of)]


def allocations_from_text(db: Database, payment: dict, specs) -> list[tuple[int, int]]:
    """``NUMBER[=AMOUNT]`` items (a list, or one text with commas between items) as
    allocations (invoice id, cents) of ``payment``'s unapplied cash: no amount is the
    invoice's open balance, up to what is left of the receipt. An invoice nobody has, or an
    amount that is no amount in the receipt's currency, is refused naming it."""
    from arctui.domain.money import MoneyError, parse_money

    if isinstance(specs, str):  # items apart by spaces, ";" or a comma that starts no digits
        specs = [s for s in re.split(r"[;\s]+|,(?=\s*[^\d\s])", specs) if s.strip()]
    parsed = []
    for spec in specs:
        number, _, amount = spec.partition("=")
        number = identifier("invoice", number) or ""
        if not number:
            raise InvalidInput("invoice", f"{spec.strip()!r}: expected NUMBER or NUMBER=AMOUNT")
        parsed.append((number, amount.strip()))
    if not parsed:
        raise InvalidInput("allocations", "name at least one invoice (NUMBER or NUMBER=AMOUNT)")
    names = [n for n, _ in parsed] + [n.upper() for n, _ in parsed]
    found = {i["number"].upper(): i for i in read.invoices_by_number(db, names)}
    left, allocations = payment["unapplied_cents"], []
    for number, amount in parsed:
        invoice = found.get(number.upper())
        if invoice is None:
            raise InvalidInput("invoice", f"no invoice {number}")
        try:
            cents = parse_money(amount, payment["currency"]) if amount else min(invoice["open_cents"], left)
        except MoneyError as exc:
            raise InvalidInput("amount", f"{number}: {exc}") from None
        allocations.append((invoice["id"], cents))
        left -= cents
    return allocations
