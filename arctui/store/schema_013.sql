-- arctui schema 13 (issue 14, item 4): refunds under authority limits. A refund above the
-- refunder's limit is a request: the money asked for is held on the receipt (not applicable
-- or refundable elsewhere while it waits) until a lead or manager other than the requester,
-- whose limit covers it, approves (the refund is then made) or rejects it (the money is free).
CREATE TABLE refund_requests (
    id INTEGER PRIMARY KEY,
    payment_id INTEGER NOT NULL REFERENCES payments(id),
    currency TEXT NOT NULL,
    amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
    note TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending_approval', 'refunded', 'rejected')),
    requested_by TEXT NOT NULL,
    requested_at TEXT NOT NULL,
    decided_by TEXT,
    decided_at TEXT,
    decision_note TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    updated_by TEXT,
    updated_at TEXT
);
CREATE INDEX refund_requests_waiting ON refund_requests(payment_id) WHERE status = 'pending_approval';
