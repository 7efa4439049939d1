from arctui.config import Settings
from arctui.console.forms.dispute_open import DisputeOpenForm
from arctui.console.forms.dispute_resolve import DisputeResolveForm
from arctui.services.accounts import save_collector
from arctui.services.context import Context
from arctui.services.disputes import open_dispute, resolve_dispute


async def test_opens_a_dispute_for_part_of_an_invoice(world, open_form):
    open_dispute(world.bob, world.invoices["INV-1003"], 100_000, "pricing")
    async with open_form(DisputeOpenForm(world.ann, world.acme)) as ui:
        await ui.choose("#invoice", world.invoices["INV-1003"])
        assert ui.value("#amount") == "$3,000.00"
        await ui.fill("#amount", "3,000.01")
        assert ui.text("#amount-msg") == "above the undisputed open balance of INV-1003 of $3,000.00"
        await ui.fill("#amount", "1200.50")
        await ui.choose("#reason", "damaged")
        await ui.fill("#note", "two pallets crushed")
        await ui.save()
        assert ui.results == [True]
    assert world.rows(
        "SELECT invoice_id, amount_cents, reason, note, status, opened_by FROM disputes WHERE opened_by = 'ann'"
    ) == [(world.invoices["INV-1003"], 120_050, "damaged", "two pallets crushed", "open", "ann")]
    assert world.audit_actions()[-1] == "dispute.open"


async def test_a_dispute_needs_an_invoice_and_a_reason(world, open_form):
    async with open_form(DisputeOpenForm(world.ann, world.acme)) as ui:
        await ui.save()
        assert ui.text("#invoice-msg") == "choose one"
        assert ui.text("#reason-msg") == "choose one"
        assert ui.text("#amount-msg") == "empty amount; expected a number like 1,234.56"
        assert ui.is_open
    assert world.rows("SELECT count(*) FROM disputes") == [(0,)]


async def test_resolves_a_dispute(world, open_form):
    dispute = open_dispute(world.bob, world.invoices["INV-1002"], 50_000, "pricing")
    async with open_form(DisputeResolveForm(world.ann, world.acme)) as ui:
        await ui.choose("#dispute", dispute)
        await ui.choose("#resolution", "customer_will_pay")
        await ui.save()
        assert ui.results == [True]
    assert world.rows("SELECT status, resolution, resolved_by, version FROM disputes") == [
        ("resolved", "customer_will_pay", "ann", 2)
    ]
    assert world.audit_actions()[-1] == "dispute.resolve"


async def test_a_dispute_resolved_meanwhile_by_someone_else_is_refused_in_the_form(world, open_form):
    dispute = open_dispute(world.bob, world.invoices["INV-1002"], 50_000, "pricing")
    async with open_form(DisputeResolveForm(world.ann, world.acme)) as ui:
        await ui.choose("#dispute", dispute)
        await ui.choose("#resolution", "rejected")
        resolve_dispute(world.as_user("bob"), dispute, 1, "withdrawn")
        await ui.save()
        # issue 13, defect 4: a conflict says who and when, as every other conflict does
        assert ui.text("#form-status").startswith(
            f"dispute {dispute} was changed by bob at 2026-11-23T09:00:00Z (now version 2, you edited version 1)"
        )
        assert ui.text("#dispute-msg") == "the account has no open dispute"  # the form shows it as it now is
        assert ui.is_open
    assert world.rows("SELECT resolution, resolved_by FROM disputes") == [("withdrawn", "bob")]


async def test_an_account_without_disputes_says_so_at_once(world, open_form):
    async with open_form(DisputeResolveForm(world.ann, world.acme)) as ui:
        assert ui.text("#dispute-msg") == "the account has no open dispute"
        assert ui.form.query_one("#save").disabled


async def test_gives_the_dispute_to_a_team_with_a_due_date_and_tells_them(world, open_form):
    ann = Context(
        world.ann.db, "ann", world.ann.clock, settings=Settings({"dispute_teams": {"sales": "sales@x.example"}})
    )
    async with open_form(DisputeOpenForm(ann, world.acme)) as ui:
        await ui.choose("#invoice", world.invoices["INV-1002"])
        await ui.choose("#reason", "pricing")
        await ui.fill("#owner", "sales")
        await ui.fill("#due", "2026-11-22")
        assert ui.text("#due-msg") == "must be on or after 2026-11-23"
        await ui.fill("#due", "2026-12-04")
        await ui.save()
        assert ui.results == [True]
    assert world.rows("SELECT owner, due_date FROM disputes") == [("sales", "2026-12-04")]
    assert world.rows("SELECT to_addr FROM email_outbox") == [("sales@x.example",)]


async def test_adds_a_note_then_credits_the_dispute_with_a_memo(world, open_form):
    dispute = open_dispute(world.bob, world.invoices["INV-1002"], 20_000, "pricing")
    async with open_form(DisputeResolveForm(world.ann, world.acme)) as ui:
        await ui.choose("#resolution", "note")
        assert ui.text("#form-check") == "Write the note to add."
        await ui.fill("#note", "sales confirms the May price")
        await ui.save()
        assert ui.results == [True]
    async with open_form(DisputeResolveForm(world.ann, world.acme)) as ui:
        assert "1 note(s); last note by ann: sales confirms the May price" in ui.text("#form-check")
        await ui.choose("#resolution", "credited")
        assert ui.text("#form-check") == "Credited prepares a credit memo: give its reason code and GL code."
        await ui.fill("#reason_code", "PRICE")
        await ui.fill("#gl_code", "4100")
        await ui.save()
        assert ui.results == [True]
    memo = world.rows(
        "SELECT id, amount_cents, status FROM credit_memos WHERE invoice_id = ?", [world.invoices["INV-1002"]]
    )
    assert [m[1:] for m in memo] == [(20_000, "approved")]  # within ann's $500 limit
    assert world.rows("SELECT status, resolution, credit_memo_id FROM disputes WHERE id = ?", [dispute]) == [
        ("resolved", "credited", memo[0][0])
    ]


async def test_gives_an_open_dispute_to_another_owner(world, open_form):
    dispute = open_dispute(world.ann, world.invoices["INV-1002"], 20_000, "pricing")
    async with open_form(DisputeResolveForm(world.ann, world.acme)) as ui:
        await ui.choose("#resolution", "assign")
        assert ui.text("#form-check") == "Name the new owner to give it to (and only then)."
        await ui.fill("#owner", "bob")
        await ui.save()
        assert ui.text("#form-status").startswith("owner: bob has no email address for the dispute's notice")
        assert ui.is_open
    save_collector(world.bob, "bob", "Bob Roy", "bob@x.example", "lead", 1_000_000, version=1)
    async with open_form(DisputeResolveForm(world.ann, world.acme)) as ui:
        await ui.choose("#resolution", "assign")
        await ui.fill("#owner", "bob")
        await ui.fill("#note", "bob knows their buyer")
        await ui.save()
        assert ui.results == [True]
    assert world.rows("SELECT owner FROM disputes WHERE id = ?", [dispute]) == [("bob",)]
    assert world.rows("SELECT to_addr FROM email_outbox") == [("bob@x.example",)]
    assert world.rows("SELECT note, by FROM dispute_notes") == [("bob knows their buyer", "ann")]
