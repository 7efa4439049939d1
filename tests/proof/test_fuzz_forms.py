"""Every console action form filled with random values and saved, again and again, in a real
Textual app: the console never crashes; a save either lands as exactly one audited action
(an email sent at once: its four protocol steps) and closes the form, or writes nothing and
shows the collector why.

The values are drawn from a seeded generator (repeatable), mixing what collectors type by
mistake with what an attacker would try; ``ARCTUI_FUZZ=long`` saves each form ten times as
often from a fresh seed. ``-s`` prints how many inputs each form took.
"""

import os
import random

import pytest
from textual.widgets import Checkbox, Input, Select, SelectionList, Static

from arctui.console.forms.apply_cash import ApplyCashForm
from arctui.console.forms.contacts import ContactForm
from arctui.console.forms.credit_hold import CreditHoldForm
from arctui.console.forms.credit_limit import CreditLimitForm
from arctui.console.forms.credit_memo import CreditMemoForm
from arctui.console.forms.dispute_open import DisputeOpenForm
from arctui.console.forms.dispute_resolve import DisputeResolveForm
from arctui.console.forms.dunning_pause import DunningPauseForm
from arctui.console.forms.escalate import EscalateForm
from arctui.console.forms.escalation_decision import EscalationDecisionForm
from arctui.console.forms.memo_approval import MemoApprovalForm
from arctui.console.forms.payment_plan import PaymentPlanForm
from arctui.console.forms.promise import PromiseForm
from arctui.console.forms.send_email import SendEmailForm
from arctui.console.forms.touchpoint import TouchpointForm
from arctui.console.forms.write_off import WriteOffForm
from arctui.services.disputes import open_dispute
from arctui.services.escalations import recommend_escalation
from tests.console_forms.conftest import Host, make_world
from tests.proof.fuzz_values import TOKENS

FORMS = [
    TouchpointForm,
    PromiseForm,
    DisputeOpenForm,
    DisputeResolveForm,
    CreditMemoForm,
    WriteOffForm,
    MemoApprovalForm,
    ApplyCashForm,
    PaymentPlanForm,
    CreditHoldForm,
    CreditLimitForm,
    EscalateForm,
    EscalationDecisionForm,
    SendEmailForm,
    ContactForm,
    DunningPauseForm,
]
LONG = os.environ.get("ARCTUI_FUZZ") == "long"
SAVES_PER_FORM = 50 if LONG else 5
TYPED = [
    "120",
    "1,500.00",
    "$0.01",
    "0",
    "-5",
    "1e3",
    "12.345",
    "9" * 30,
    "2026-11-30",
    "2026-11-22",
    "2027-02-29",
    "tomorrow",
    "11/30/2026",
    "note ✓",
    "line\nbreak",
    "<b>bold</b>",
    "[red]markup[/red]",
    "{{ 7*7 }}",
    '=HYPERLINK("x")',
    "Robert'); DROP TABLE audit;--",
]


PLAUSIBLE = {
    "amount": ["1.00", "12.50", "99"],
    "total": ["50.00", "120"],
    "refund": ["0.50", "1", "600"],  # $600: above ann's limit, a request
    "limit": ["600", "2,000.00"],
    "date": ["2026-11-30", "2026-12-15"],
    "follow_up": ["2026-11-30"],
    "until": ["2026-12-15"],
    "first": ["2026-12-01"],
    "count": ["2", "3"],
    "reason": ["PRICE"],
    "gl": ["4100"],
    "reason_code": ["PRICE", ""],  # a resolution's codes: for a credit only
    "gl_code": ["4100", ""],
    "agency": ["Baker Recovery"],
    "placed": ["2026-11-20"],
    "note": ["called AP", ""],
    "hint": ["price agreed"],
    "name": ["Eli Evans"],
    "email": ["eli@acme.example", ""],
    "phone": ["555-0100"],
}
"""What a careful collector would type in each field (by id), so that some saves go through."""


SENT_NOW = ["email.queue", "email.claim", "email.sent", "touchpoint.email"]
"""The one exception, an email sent from the form at once: queued, claimed (committed before
it leaves, for crash safety), then marked sent with the account's touchpoint."""
WITH_ITS_RECORD = [["email.queue", "dispute.open"], ["memo.prepare", "dispute.resolve"]]
"""Actions that write a record of their own inside the same transaction: a dispute given to
someone else queues their notice; a dispute resolved as credited prepares its memo."""


@pytest.fixture
def world(book_target):
    yield from make_world(book_target)


def audited_since(db, rows_before: int) -> list[str]:
    return [r[0] for r in db.execute("SELECT action FROM audit ORDER BY id")][rows_before:]


COUNTED = (
    "audit",
    "touchpoints",
    "promises",
    "disputes",
    "credit_memos",
    "payment_applications",
    "payment_plans",
    "plan_instalments",
    "account_events",
    "email_outbox",
    "contacts",
    "escalations",
    "dispute_notes",
    "credit_limit_changes",
    "refund_requests",
    "dunning_pauses",
)


def state(db) -> tuple:
    """The row count of every table an action writes (the audit's first), in one statement: one
    round trip to a PostgreSQL server, not sixteen."""
    return tuple(db.execute("SELECT " + ", ".join(f"(SELECT count(*) FROM {t})" for t in COUNTED)).fetchone())


def scramble(form, rng: random.Random) -> int:
    """Give every field of the form a random value; return how many fields were set."""
    fields = 0
    careful = rng.random() < 0.5  # a careful collector leaves what the form filled in alone
    for widget in form.query(Input):
        if careful and widget.id in PLAUSIBLE:
            widget.value = rng.choice(PLAUSIBLE[widget.id])
        elif not careful:
            widget.value = rng.choice(TYPED + TOKENS) if rng.random() < 0.8 else ""
        fields += 1
    for select in form.query(Select):
        values = [value for _, value in select._options if value is not Select.BLANK]
        if values and (careful or rng.random() < 0.85 or not select._allow_blank):
            select.value = rng.choice(values)
        else:
            select.clear()
        fields += 1
    for selection in form.query(SelectionList):
        selection.deselect_all()
        for index in range(selection.option_count):
            if rng.random() < 0.5:
                selection.select(selection.get_option_at_index(index))
        fields += 1
    for box in form.query(Checkbox):
        box.value = rng.random() < 0.5
        fields += 1
    return fields


def shown_messages(form) -> list[str]:
    return [
        str(s.render())
        for s in form.query(Static)
        if s.id and (s.id.endswith("-msg") or s.id in ("form-status", "form-check")) and str(s.render())
    ]


def ready(world, form_class):
    """Who fills ``form_class``, once what it decides is there: escalations ann recommends and
    disputes she opens; bob (a lead) decides escalations and ann's memo (nobody decides their own)."""
    if form_class is EscalationDecisionForm:
        for kind in ("suspension", "legal"):
            recommend_escalation(world.ann, world.acme, kind, f"{kind}: no answer", version=1)
    if form_class is DisputeResolveForm:
        for number in ("INV-1002", "INV-1003"):
            open_dispute(world.ann, world.invoices[number], 50_000, "pricing", "price list error")
    return world.bob if form_class in (EscalationDecisionForm, MemoApprovalForm) else world.ann


@pytest.mark.parametrize("form_class", FORMS, ids=[f.__name__ for f in FORMS])
async def test_a_form_filled_at_random_saves_one_action_or_says_why(
    world,
    form_class,
    tmp_path,
    monkeypatch,
):
    config = tmp_path / "config.toml"
    config.write_text(f'[email]\nsender = "file"\nfrom_addr = "ar@arctui.test"\noutbox_dir = "{tmp_path / "eml"}"\n')
    monkeypatch.setenv("ARCTUI_CONFIG", str(config))
    rng = random.Random(None if LONG else form_class.__name__)
    tried = 0
    db = world.ann.db
    actor = ready(world, form_class)
    app = Host(form_class(actor, world.acme))
    saved = refused = 0
    async with app.run_test(size=(120, 45)) as pilot:
        await pilot.pause()
        for attempt in range(SAVES_PER_FORM):
            if attempt:
                app.form = form_class(actor, world.acme)
                app.push_screen(app.form, app.results.append)
                await pilot.pause()
            form = app.form
            tried += scramble(form, rng)
            await pilot.pause()  # the form sees the changes before the key, as with a person
            before = state(db)
            await pilot.press("ctrl+s")
            after = state(db)
            if app.results and app.results[-1] is True:
                added = audited_since(db, before[0])
                assert len(added) == 1 or added == SENT_NOW or added in WITH_ITS_RECORD, (
                    f"a save is one audited action: {added}"
                )
                saved += 1
            else:
                assert after == before, "a refused save wrote something"
                assert shown_messages(form), "a refused save says nothing"
                refused += 1
                await pilot.press("escape")
            app.results.clear()
    assert saved + refused == SAVES_PER_FORM
    print(
        f"\n{form_class.__name__}: {tried} field values in "
        f"{SAVES_PER_FORM} saves: {saved} saved, {refused} refused with a message"
    )


async def test_queueing_the_same_email_twice_is_not_a_silent_save(world, tmp_path, monkeypatch):
    monkeypatch.setenv("ARCTUI_CONFIG", str(tmp_path / "none.toml"))
    db = world.ann.db
    app = Host(SendEmailForm(world.ann, world.acme))
    async with app.run_test(size=(120, 45)) as pilot:
        for attempt in range(2):
            if attempt:
                app.form = SendEmailForm(world.ann, world.acme)
                app.push_screen(app.form, app.results.append)
            await pilot.pause()
            app.form.query_one("#template", Select).value = "statement"
            await pilot.pause()
            before = state(db)
            await pilot.press("ctrl+s")
            saved = app.results[-1:] == [True]
            app.results.clear()
        assert saved is False or audited_since(db, before[0]), "saved, yet nothing written"
        assert saved or shown_messages(app.form)
