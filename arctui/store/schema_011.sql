-- arctui schema 11 (issue 14, item 4): credit-limit changes under authority limits. A change
-- that raises an account's limit by more than the requester's authority limit waits for someone
-- else whose limit covers the raise; the account's limit changes only when it is applied.
CREATE TABLE credit_limit_changes (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    currency TEXT NOT NULL,
    from_cents INTEGER,                         -- the limit when asked (NULL: none set)
    to_cents INTEGER NOT NULL CHECK (to_cents >= 0),
    note TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending_approval', 'applied', 'rejected')),
    requested_by TEXT NOT NULL,
    requested_at TEXT NOT NULL,
    decided_by TEXT,
    decided_at TEXT,
    decision_note TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    updated_by TEXT,
    updated_at TEXT
);
CREATE INDEX credit_limit_changes_waiting ON credit_limit_changes(customer_id) WHERE status = 'pending_approval';
