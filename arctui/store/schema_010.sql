-- arctui schema 10 (issue 14, items 1 and 2): disputes as cases, escalations with a decision.
-- A dispute is a case on one invoice: an owner (a login or a team such as 'sales' or
-- 'customer service'), a due date, notes, and when resolved as credited the credit memo it
-- created or linked.
ALTER TABLE disputes ADD COLUMN owner TEXT;
ALTER TABLE disputes ADD COLUMN due_date TEXT;
ALTER TABLE disputes ADD COLUMN credit_memo_id INTEGER REFERENCES credit_memos(id);
CREATE INDEX disputes_open_invoice ON disputes(invoice_id) WHERE status = 'open';

CREATE TABLE dispute_notes (
    id INTEGER PRIMARY KEY,
    dispute_id INTEGER NOT NULL REFERENCES disputes(id),
    note TEXT NOT NULL,
    at TEXT NOT NULL,
    by TEXT NOT NULL
);
CREATE INDEX dispute_notes_dispute ON dispute_notes(dispute_id, id);

-- Suspension, outside collections and legal are recommendations a lead or manager other than
-- the recommender approves or rejects; only an approval changes the account. A reinstatement
-- is a recommendation too (step 'reinstate', reverses_id: the approved escalation it ends).
CREATE TABLE escalations (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    kind TEXT NOT NULL CHECK (kind IN ('suspension', 'outside_collections', 'legal')),
    step TEXT NOT NULL DEFAULT 'escalate' CHECK (step IN ('escalate', 'reinstate')),
    reverses_id INTEGER REFERENCES escalations(id),
    status TEXT NOT NULL DEFAULT 'recommended' CHECK (status IN ('recommended', 'approved', 'rejected')),
    note TEXT NOT NULL,
    recommended_by TEXT NOT NULL,
    recommended_at TEXT NOT NULL,
    decided_by TEXT,
    decided_at TEXT,
    decision_note TEXT,
    status_before TEXT,                  -- the account's status when approved, restored on reinstatement
    agency TEXT,                         -- outside collections: the agency, the day placed, the amount placed
    placed_date TEXT,
    placed_cents INTEGER CHECK (placed_cents IS NULL OR placed_cents > 0),
    currency TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    updated_by TEXT,
    updated_at TEXT
);
CREATE INDEX escalations_customer ON escalations(customer_id, id);
CREATE INDEX escalations_pending ON escalations(status) WHERE status = 'recommended';

-- what an agency recovered on a placement
CREATE TABLE agency_recoveries (
    id INTEGER PRIMARY KEY,
    escalation_id INTEGER NOT NULL REFERENCES escalations(id),
    received_date TEXT NOT NULL,
    amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
    note TEXT,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX agency_recoveries_escalation ON agency_recoveries(escalation_id);
