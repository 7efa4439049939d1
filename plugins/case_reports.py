"""The case reports, registered with the others in standard_reports: ``dispute-cases`` (open
disputes with their owner, age and due date) and ``escalations`` (recommendations, decisions,
what is in force, agency placements and what they recovered). Money is never added across
currencies: each total row is one currency."""

from datetime import date

from arctui.api import DISPUTE_REASONS, Column, Money, ReportResult, Section, dispute_cases, escalation_rows, total_rows

DISPUTE_CASE_COLUMNS = [
    Column("account", "Account"),
    Column("name", "Customer"),
    Column("invoice", "Invoice"),
    Column("currency", "Currency"),
    Column("amount", "Disputed", "money"),
    Column("reason", "Reason"),
    Column("owner", "Owner"),
    Column("opened", "Opened", "date"),
    Column("age", "Age (days)", "int"),
    Column("due", "Due", "date"),
    Column("overdue", "Days past due", "int"),
    Column("notes", "Notes", "int"),
]


def dispute_cases_report(db, today: date, collector: str | None = None) -> ReportResult:
    rows = [
        {
            "account": r["account_no"],
            "name": r["name"],
            "invoice": r["invoice"],
            "currency": r["currency"],
            "amount": Money(r["amount_cents"], r["currency"]),
            "reason": DISPUTE_REASONS.get(r["reason"], r["reason"]),
            "owner": r["owner"],
            "opened": date.fromisoformat(r["opened_at"][:10]),
            "age": r["age_days"],
            "due": date.fromisoformat(r["due_date"]),
            "overdue": r["days_overdue"],
            "notes": r["notes"],
        }
        for r in dispute_cases(db, today, collector)
    ]
    return ReportResult(
        "Open dispute cases",
        today,
        DISPUTE_CASE_COLUMNS,
        [Section(None, rows)],
        total_rows(DISPUTE_CASE_COLUMNS, rows),
        [
            "Open disputes, oldest first. Age counts from the day the dispute was opened; the owner is a"
            " collector's login or a team (sales, customer service). A disputed invoice is left out of the"
            " reminders until the dispute is resolved.",
        ],
    )


ESCALATION_COLUMNS = [
    Column("account", "Account"),
    Column("name", "Customer"),
    Column("kind", "Escalation"),
    Column("status", "Status"),
    Column("recommended", "Recommended by"),
    Column("on", "On", "date"),
    Column("decided", "Decided by"),
    Column("days", "Days", "int"),
    Column("agency", "Agency"),
    Column("currency", "Currency"),
    Column("placed", "Placed", "money"),
    Column("recovered", "Recovered", "money"),
    Column("note", "Why"),
]


def _status(r: dict) -> str:
    if r["in_force"]:
        return "in force"
    if r["step"] == "escalate" and r["status"] == "approved":
        return "reinstated"
    return r["status"]


def escalations_report(db, today: date, collector: str | None = None) -> ReportResult:
    rows = []
    for r in escalation_rows(db, today, collector):
        kind = r["kind"].replace("_", " ")
        placed = r["placed_cents"] is not None
        rows.append(
            {
                "account": r["account_no"],
                "name": r["name"],
                "kind": f"reinstate ({kind})" if r["step"] == "reinstate" else kind,
                "status": _status(r),
                "recommended": r["recommended_by"],
                "on": date.fromisoformat(r["recommended_at"][:10]),
                "decided": r["decided_by"],
                "days": r["days"],
                "agency": r["agency"],
                "currency": r["currency"],
                "placed": Money(r["placed_cents"], r["currency"]) if placed else None,
                "recovered": Money(r["recovered_cents"], r["currency"]) if placed else None,
                "note": r["decision_note"] or r["note"],
            }
        )
    return ReportResult(
        "Escalations",
        today,
        ESCALATION_COLUMNS,
        [Section(None, rows)],
        total_rows(ESCALATION_COLUMNS, rows),
        [
            "Suspension, outside collections and legal, newest first: recommended by a collector, approved or"
            " rejected by another lead or manager; an approved one is in force until a reinstatement is approved."
            " Days: since the decision, or waiting since the recommendation.",
        ],
    )
