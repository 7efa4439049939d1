"""The fixed vocabularies of collection work: statuses, kinds, outcome and reason codes."""

CUSTOMER_STATUSES = ("active", "credit_hold", "suspended", "outside_collections")
MEMO_STATUSES = ("draft", "pending_approval", "approved", "rejected", "posted")
TOUCHPOINT_KINDS = ("call", "email", "letter", "portal", "note")
ESCALATION_KINDS = ("management", "sales", "outside_collections", "suspension", "legal")
RECOMMENDED_ESCALATIONS = ("suspension", "outside_collections", "legal")
"""Escalations that change what the company does for the customer: a recommendation a lead
or manager other than the recommender approves before the account changes."""
PAYMENT_METHODS = ("ach", "wire", "check", "card")

OUTCOME_CODES: dict[str, str] = {
    "PTP": "promise to pay",
    "LVM": "left voicemail",
    "NA": "no answer",
    "WN": "wrong number",
    "DSP": "dispute raised",
    "PIP": "payment in process",
    "RTP": "refused to pay",
    "CB": "call back requested",
    "EMS": "email sent",
    "REM": "remittance received",
    "ESC": "escalated",
    "NOTE": "note",
}

DISPUTE_REASONS: dict[str, str] = {
    "pricing": "pricing",
    "quantity": "quantity short or over",
    "damaged": "goods damaged",
    "not_received": "goods or service not received",
    "duplicate": "duplicate billing",
    "tax": "tax charged in error",
    "terms": "payment terms",
    "other": "other",
}
