"""Defect 2 (issue 13): keys typed ahead are taken in order by every form, from the key that
opened it. Each test sends a whole task as one burst (no pause between two keys, as keys come
over SSH) to an account screen with the console's action keys, and checks what landed."""

from arctui.services.disputes import open_dispute
from tests.console_forms.conftest import KeyHost, burst, until_done


async def run_burst(ctx, customer_id, *keys, keys_in_order: bool = True) -> KeyHost:
    app = KeyHost(ctx, customer_id, keys_in_order=keys_in_order)
    async with app.run_test(size=(120, 45)) as pilot:
        await pilot.pause()
        burst(app, *keys)
        await until_done(pilot, lambda: app.results)
        app.still_open = type(app.screen).__name__
    return app


def typed(text: str) -> list[str]:
    return list(text)


async def test_promise_from_its_key_in_one_burst(world):
    """The burst of the issue: p Tab 5000 Tab 2026-12-05, then ctrl+s."""
    app = await run_burst(world.ann, world.acme, "p", "tab", *typed("5000"), "tab", *typed("2026-12-05"), "ctrl+s")
    assert app.results == [True]
    assert world.rows("SELECT amount_cents, promised_date FROM promises") == [(500_000, "2026-12-05")]


async def test_without_keys_in_order_the_burst_loses_its_tab(world):
    """What Textual does with the burst on its own (why the queue of keys exists): the keys
    overtake each other and the promise is not what was typed."""
    app = await run_burst(
        world.ann,
        world.acme,
        "p",
        "tab",
        *typed("5000"),
        "tab",
        *typed("2026-12-05"),
        "ctrl+s",
        keys_in_order=False,
    )
    assert world.rows("SELECT amount_cents, promised_date FROM promises") != [(500_000, "2026-12-05")] or (
        app.results != [True]
    )


async def test_log_call_from_its_key_in_one_burst(world):
    app = await run_burst(world.ann, world.acme, "c", "tab", *"LVM", "tab", *typed("left a message"), "ctrl+s")
    assert app.results == [True]
    assert world.rows("SELECT kind, outcome_code, note, contact_id FROM touchpoints") == [
        ("call", "LVM", "left a message", 1)
    ]


async def test_open_dispute_from_its_key_in_one_burst(world):
    app = await run_burst(
        world.ann, world.acme, "d", *"1003", "tab", "tab", *"dam", "tab", *typed("two crates broken"), "ctrl+s"
    )
    assert app.results == [True]
    assert world.rows("SELECT invoice_id, amount_cents, reason, note FROM disputes") == [
        (world.invoices["INV-1003"], 400_000, "damaged", "two crates broken")
    ]


async def test_resolve_dispute_from_its_key_in_one_burst(world):
    dispute = open_dispute(world.ann, world.invoices["INV-1002"], 50_000, "pricing")
    app = await run_burst(world.ann, world.acme, "D", "tab", *"with", "tab", *typed("customer agreed"), "ctrl+s")
    assert app.results == [True]
    assert world.rows("SELECT id, status, resolution FROM disputes") == [(dispute, "resolved", "withdrawn")]
    assert world.rows("SELECT dispute_id, note FROM dispute_notes") == [(dispute, "customer agreed")]


async def test_credit_memo_from_its_key_in_one_burst(world):
    app = await run_burst(
        world.ann,
        world.acme,
        "m",
        *"1002",
        "tab",
        *"120",
        "tab",
        *typed("price agreed"),
        "tab",
        *"PRICE",
        "tab",
        *"4100",
        "ctrl+s",
    )
    assert app.results == [True]
    assert world.rows(
        "SELECT invoice_id, amount_cents, reason_code, gl_code, note FROM credit_memos WHERE id > ?", [world.memo]
    ) == [(world.invoices["INV-1002"], 12_000, "PRICE", "4100", "price agreed")]


async def test_memo_decision_from_its_key_in_one_burst(world):
    app = await run_burst(world.bob, world.acme, "M", "tab", "a", "tab", *typed("ok by me"), "ctrl+s")
    assert app.results == [True]
    assert world.rows("SELECT status, approved_by, decision_note FROM credit_memos") == [
        ("approved", "bob", "ok by me")
    ]


async def test_credit_hold_from_its_key_in_one_burst(world):
    app = await run_burst(world.ann, world.acme, "h", *typed("90+ unpaid"), "ctrl+s")
    assert app.results == [True]
    assert world.rows("SELECT kind, note FROM account_events") == [("credit_hold", "90+ unpaid")]


async def test_escalate_from_its_key_in_one_burst(world):
    app = await run_burst(world.ann, world.acme, "e", "s", "tab", *typed("sales owns this one"), "ctrl+s")
    assert app.results == [True]
    assert world.rows("SELECT kind, detail, note FROM account_events") == [
        ("escalation", "sales", "sales owns this one")
    ]


async def test_apply_cash_from_its_key_in_one_burst(world):
    """The remittance names INV-1002: its row comes prefilled; then a refund note and save."""
    app = await run_burst(world.ann, world.acme, "a", "tab", "tab", "tab", "tab", *typed("as agreed"), "ctrl+s")
    assert app.results == [True]
    assert world.rows("SELECT invoice_id, amount_cents FROM payment_applications") == [
        (world.invoices["INV-1002"], 150_000)
    ]


async def test_payment_plan_from_its_key_in_one_burst(world):
    """All invoices ticked with a, the count typed over the 3, save: six instalments."""
    app = await run_burst(world.ann, world.acme, "P", "tab", "a", "tab", "tab", "6", "ctrl+s")
    assert app.results == [True]
    assert world.rows("SELECT total_cents FROM payment_plans") == [(750_000,)]
    assert world.rows("SELECT count(*), sum(amount_cents) FROM plan_instalments") == [(6, 750_000)]


async def test_send_email_from_its_key_in_one_burst(world):
    app = await run_burst(world.ann, world.acme, "s", *"fi", "ctrl+s")
    assert app.results == [True]
    assert world.rows("SELECT template, to_addr, status FROM email_outbox") == [
        ("first_reminder", "dana@acme.example", "queued")
    ]


async def test_keys_after_the_form_closed_go_to_the_screen_below(world):
    """A burst that saves and goes on: the keys after ctrl+s reach the account screen (here
    they open the next form), in order."""
    keys = ["h", *typed("90+ unpaid"), "ctrl+s", "c", "tab", *"NA", "tab", *typed("no answer"), "ctrl+s"]
    app = await run_burst(world.ann, world.acme, *keys)
    assert app.results == [True, True]
    assert world.rows("SELECT outcome_code, note FROM touchpoints") == [("NA", "no answer")]
    assert world.rows("SELECT status FROM customers WHERE id = ?", [world.acme]) == [("credit_hold",)]
