"""store.read.timeline: everything on an account, newest first, in windows."""

from datetime import timedelta

from arctui.services import accounts, disputes, promises, touchpoints
from arctui.services.context import Context, fixed_clock
from arctui.store.read import timeline
from tests.console.console_helpers import TODAY, context


def test_timeline_holds_every_kind_newest_first_and_pages(book):
    ctx = context(book)
    customer_id, invoice_id = ctx.db.execute(
        "SELECT customer_id, i.id FROM invoices i JOIN customers c ON c.id = i.customer_id"
        " WHERE open_cents > 0 AND c.status = 'active' ORDER BY i.id LIMIT 1"
    ).fetchone()
    (version,) = ctx.db.execute("SELECT version FROM customers WHERE id = ?", [customer_id]).fetchone()

    def later(minutes):
        return Context(ctx.db, "alice", fixed_clock(ctx.clock() + timedelta(minutes=minutes)))

    touchpoints.log_touchpoint(later(1), customer_id, "call", "LVM", "voicemail")
    promises.record_promise(later(2), customer_id, 1_000, TODAY + timedelta(days=5))
    disputes.open_dispute(later(3), invoice_id, 500, "pricing")
    accounts.credit_hold(later(4), customer_id, version, "over limit")
    events = timeline.timeline(ctx.db, customer_id, limit=4)
    assert [e.kind for e in events] == ["credit_hold", "dispute", "promise", "call"]
    assert events[3].summary == "LVM: voicemail" and events[3].by == "alice"
    assert events[1].amount_cents == 500
    whole = timeline.timeline(ctx.db, customer_id, limit=10_000)
    assert len(whole) == timeline.count_events(ctx.db, customer_id)
    assert [e.at for e in whole] == sorted((e.at for e in whole), reverse=True)
    assert {"invoice", "call", "promise", "dispute", "credit_hold"} <= {e.kind for e in whole}
    pages = [
        e for offset in range(0, len(whole), 3) for e in timeline.timeline(ctx.db, customer_id, offset=offset, limit=3)
    ]
    assert pages == whole


def test_account_summary_totals_open_items(book):
    ctx = context(book)
    customer_id = ctx.db.execute("SELECT id FROM customers LIMIT 1").fetchone()[0]
    summary = timeline.account_summary(ctx.db, customer_id)
    exposure, count = ctx.db.execute(
        "SELECT ifnull(sum(open_cents), 0), count(*) FROM invoices WHERE customer_id = ? AND open_cents <> 0",
        [customer_id],
    ).fetchone()
    assert (summary.exposure_cents, summary.open_invoices) == (exposure, count)
    assert summary.customer["id"] == customer_id


def test_unapplied_cash_is_kept_per_currency_the_accounts_first(book):
    from datetime import date

    from arctui.services.cash import record_payment

    ctx = context(book)
    customer_id, currency = ctx.db.execute(
        "SELECT id, currency FROM customers WHERE currency = 'USD' LIMIT 1"
    ).fetchone()
    before = timeline.account_summary(ctx.db, customer_id).unapplied
    record_payment(ctx, 50_000, date(2026, 11, 2), "wire", customer_id, currency="EUR")
    record_payment(ctx, 7_000, date(2026, 11, 3), "wire", customer_id, currency="CAD")
    record_payment(ctx, 1_000, date(2026, 11, 3), "check", customer_id)
    pending = record_payment(ctx, 9_000, date(2026, 11, 3), "wire", customer_id)
    with ctx.db.conn:  # an intraday entry no statement has booked yet is not cash
        ctx.db.execute("UPDATE payments SET state = 'pending' WHERE id = ?", [pending])
    unapplied = timeline.account_summary(ctx.db, customer_id).unapplied
    assert list(unapplied) == ["USD", "CAD", "EUR"]  # the account's currency first, never one sum
    assert unapplied["USD"] == before.get("USD", 0) + 1_000
    assert (unapplied["CAD"], unapplied["EUR"]) == (7_000, 50_000)
