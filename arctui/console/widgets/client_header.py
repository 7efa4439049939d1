"""The account's header: status and escalations, terms, credit limit, exposure, owner, the
aging in the book's buckets and contacts.

The book's text is shown as it is (no markup: a name "[Ltd]" stays) with its control
characters written as escapes (``visible``)."""

from rich.console import Group
from rich.text import Text
from textual.widgets import Static

from arctui.console import cells
from arctui.domain.control_chars import visible
from arctui.store.read.timeline import AccountSummary

SEP = " · "


class ClientHeader(Static):
    def show(self, summary: AccountSummary, aging: dict[str, int]) -> None:
        """``aging``: the open cents in each of the book's buckets, current first (the
        buckets holding something are shown)."""
        c = summary.customer
        money = lambda cents: cells.money(cents, c["currency"])  # noqa: E731
        limit = c["credit_limit_cents"]
        over = limit is not None and summary.exposure_cents > limit
        facts = Text(SEP).join(
            [
                Text(c["status"].replace("_", " "), style="bold" if c["status"] != "active" else ""),
                *[Text(visible(line), style="bold") for line in summary.escalations],
                Text(f"Net {c['terms_days']}"),
                Text(f"limit {money(limit) if limit is not None else 'none'}"),
                Text(
                    f"exposure {money(summary.exposure_cents)}" + (" over limit" if over else ""),
                    style="bold" if over else "",
                ),
                Text(f"{summary.open_invoices} open invoices"),
                *(
                    [
                        Text(
                            "unapplied cash "
                            + " + ".join(cells.money(cents, code) for code, cents in summary.unapplied.items()),
                            style="bold",
                        )
                    ]
                    if summary.unapplied
                    else []
                ),
                Text(visible(f"region {c['region'] or '-'}")),
                Text(visible(f"owner {summary.collector_name or c['owner'] or '-'}")),
            ]
        )
        contacts = Text(SEP).join(
            Text(
                visible(" ".join(p for p in (k["name"], k["role"], k["email"], k["phone"]) if p)),
                style="italic" if k["is_primary"] else "",
            )
            for k in [k for k in summary.contacts if k["retired_at"] is None][:3]  # a retired one is history
        ) or Text("no contacts on file")
        aged = Text(SEP).join(
            Text(f"{name} {money(cents)}", style="" if name == "current" else "bold")
            for name, cents in aging.items()
            if cents
        )
        self.border_title = Text(visible(f"{c['account_no']} {c['name']}"))
        self.update(Group(facts, Text("aging ") + (aged or Text("nothing open")), contacts))
