"""What several account actions share: checks, the account event, who keeps the team."""

from arctui.domain.authority import AuthorityError
from arctui.services.errors import InvalidInput
from arctui.services.records import Action
from arctui.store.read import team


def open_invoices_of(act: Action, customer_id: int, invoice_ids) -> list[dict]:
    """The named invoices, each required to be this account's and still open."""
    invoices = []
    for invoice_id in invoice_ids:
        invoice = act.get("invoices", invoice_id)
        if invoice["customer_id"] != customer_id:
            raise InvalidInput("invoices", f"invoice {invoice['number']} is not this account's")
        if invoice["open_cents"] <= 0:
            raise InvalidInput("invoices", f"invoice {invoice['number']} is already paid")
        invoices.append(invoice)
    return invoices


def log_event(act: Action, customer_id: int, kind: str, detail: str, note: str) -> None:
    act.insert(
        "account_events",
        {
            "customer_id": customer_id,
            "kind": kind,
            "detail": detail,
            "note": note or None,
            "at": act.ctx.now(),
            "by": act.ctx.user,
        },
    )


def require_lead(act: Action, what: str) -> None:
    """Team-wide changes are for active leads and managers; a team without one yet is
    started by ``arctui init --manager`` (``init_manager``), never by whoever comes first."""
    leads = team.leads(act.db)
    if not leads:
        raise AuthorityError(
            f"this team has no lead or manager yet, and only they {what}:"
            " the database file's owner starts the team with `arctui init --manager LOGIN`"
        )
    if act.ctx.user not in leads:
        raise AuthorityError(f"{act.ctx.user} is not a lead or manager: only they {what}")
