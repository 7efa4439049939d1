-- arctui schema 1: every noun of the ledger.
-- Money is integer minor units; dates are ISO-8601 TEXT; timestamps are UTC ISO-8601 TEXT.
-- Tables a person edits carry version (optimistic concurrency), updated_by and updated_at.

CREATE TABLE collectors (
    id TEXT PRIMARY KEY,                       -- the OS login
    name TEXT NOT NULL,
    email TEXT,
    role TEXT NOT NULL DEFAULT 'collector' CHECK (role IN ('collector', 'lead', 'manager')),
    memo_limit_cents INTEGER NOT NULL DEFAULT 0 CHECK (memo_limit_cents >= 0),
    cadence_days INTEGER NOT NULL DEFAULT 14 CHECK (cadence_days > 0),
    active INTEGER NOT NULL DEFAULT 1,
    version INTEGER NOT NULL DEFAULT 1,
    updated_by TEXT,
    updated_at TEXT
);

CREATE TABLE customers (
    id INTEGER PRIMARY KEY,
    account_no TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    region TEXT,
    terms_days INTEGER NOT NULL DEFAULT 30,
    currency TEXT NOT NULL DEFAULT 'USD',
    credit_limit_cents INTEGER,
    status TEXT NOT NULL DEFAULT 'active'
        CHECK (status IN ('active', 'credit_hold', 'suspended', 'outside_collections')),
    owner TEXT REFERENCES collectors(id),
    created_at TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    updated_by TEXT,
    updated_at TEXT
);
CREATE INDEX customers_owner ON customers(owner, id);

CREATE TABLE contacts (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    name TEXT NOT NULL,
    role TEXT,
    email TEXT,
    phone TEXT,
    is_primary INTEGER NOT NULL DEFAULT 0,
    version INTEGER NOT NULL DEFAULT 1,
    updated_by TEXT,
    updated_at TEXT
);
CREATE INDEX contacts_customer ON contacts(customer_id);

CREATE TABLE invoices (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    number TEXT NOT NULL UNIQUE,
    issue_date TEXT NOT NULL,
    due_date TEXT NOT NULL,
    currency TEXT NOT NULL DEFAULT 'USD',
    amount_cents INTEGER NOT NULL,
    open_cents INTEGER NOT NULL,
    po_number TEXT,
    closed_date TEXT,                           -- when open_cents reached 0
    version INTEGER NOT NULL DEFAULT 1,
    updated_by TEXT,
    updated_at TEXT
);
CREATE INDEX invoices_customer ON invoices(customer_id, due_date);
-- The queue and the invoice view read open items only: a small covering partial index.
CREATE INDEX invoices_open ON invoices(customer_id, due_date, open_cents) WHERE open_cents <> 0;
CREATE INDEX invoices_open_due ON invoices(due_date, customer_id) WHERE open_cents <> 0;
CREATE INDEX invoices_issue ON invoices(issue_date);

CREATE TABLE payments (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER REFERENCES customers(id),   -- NULL while the payer is unknown
    received_date TEXT NOT NULL,
    currency TEXT NOT NULL DEFAULT 'USD',
    amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
    unapplied_cents INTEGER NOT NULL CHECK (unapplied_cents >= 0),
    method TEXT NOT NULL CHECK (method IN ('ach', 'wire', 'check', 'card')),
    bank_ref TEXT,
    remittance TEXT,
    source TEXT,                                    -- importer name, or 'manual'
    version INTEGER NOT NULL DEFAULT 1,
    updated_by TEXT,
    updated_at TEXT
);
CREATE INDEX payments_customer ON payments(customer_id, received_date);
CREATE INDEX payments_received ON payments(received_date);
CREATE UNIQUE INDEX payments_bank_ref ON payments(bank_ref) WHERE bank_ref IS NOT NULL;
CREATE INDEX payments_unapplied ON payments(customer_id) WHERE unapplied_cents > 0;

CREATE TABLE payment_applications (
    id INTEGER PRIMARY KEY,
    payment_id INTEGER NOT NULL REFERENCES payments(id),
    invoice_id INTEGER REFERENCES invoices(id),     -- NULL for a refund
    kind TEXT NOT NULL CHECK (kind IN ('apply', 'refund')),
    amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
    applied_date TEXT NOT NULL,
    applied_at TEXT NOT NULL,
    applied_by TEXT NOT NULL
);
CREATE INDEX applications_invoice ON payment_applications(invoice_id);
CREATE INDEX applications_payment ON payment_applications(payment_id);

CREATE TABLE credit_memos (
    id INTEGER PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    invoice_id INTEGER REFERENCES invoices(id),
    amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
    currency TEXT NOT NULL DEFAULT 'USD',
    reason_code TEXT NOT NULL,
    gl_code TEXT NOT NULL,
    note TEXT,
    status TEXT NOT NULL DEFAULT 'draft'
        CHECK (status IN ('draft', 'pending_approval', 'approved', 'rejected', 'posted')),
    prepared_by TEXT NOT NULL,
    prepared_at TEXT NOT NULL,
    approved_by TEXT,
    decided_at TEXT,
    decision_note TEXT,
    posted_at TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    updated_by TEXT,
    updated_at TEXT
);
CREATE INDEX memos_customer ON credit_memos(customer_id);
CREATE INDEX memos_invoice ON credit_memos(invoice_id) WHERE status = 'posted';
CREATE INDEX memos_status ON credit_memos(status);

CREATE TABLE touchpoints (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    contact_id INTEGER REFERENCES contacts(id),
    kind TEXT NOT NULL CHECK (kind IN ('call', 'email', 'letter', 'portal', 'note')),
    outcome_code TEXT NOT NULL,
    note TEXT,
    follow_up_date TEXT,
    at TEXT NOT NULL,
    by TEXT NOT NULL
);
CREATE INDEX touchpoints_customer ON touchpoints(customer_id, at);

CREATE TABLE promises (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
    promised_date TEXT NOT NULL,
    grace_days INTEGER NOT NULL DEFAULT 3,
    status TEXT NOT NULL DEFAULT 'open'
        CHECK (status IN ('open', 'kept', 'partial', 'broken', 'cancelled')),
    paid_cents INTEGER NOT NULL DEFAULT 0,
    note TEXT,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    resolved_date TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    updated_by TEXT,
    updated_at TEXT
);
CREATE INDEX promises_customer ON promises(customer_id, status, promised_date);
CREATE INDEX promises_open ON promises(promised_date) WHERE status = 'open';

CREATE TABLE promise_invoices (
    promise_id INTEGER NOT NULL REFERENCES promises(id),
    invoice_id INTEGER NOT NULL REFERENCES invoices(id),
    PRIMARY KEY (promise_id, invoice_id)
);

CREATE TABLE disputes (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    invoice_id INTEGER NOT NULL REFERENCES invoices(id),
    amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
    reason TEXT NOT NULL,
    note TEXT,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
    resolution TEXT,
    opened_at TEXT NOT NULL,
    opened_by TEXT NOT NULL,
    resolved_at TEXT,
    resolved_by TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    updated_by TEXT,
    updated_at TEXT
);
CREATE INDEX disputes_customer ON disputes(customer_id, status);
CREATE INDEX disputes_invoice ON disputes(invoice_id);

CREATE TABLE payment_plans (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    total_cents INTEGER NOT NULL CHECK (total_cents > 0),
    frequency TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'active'
        CHECK (status IN ('active', 'completed', 'cancelled', 'defaulted')),
    note TEXT,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    updated_by TEXT,
    updated_at TEXT
);
CREATE INDEX plans_customer ON payment_plans(customer_id, status);

CREATE TABLE plan_instalments (
    id INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES payment_plans(id),
    seq INTEGER NOT NULL,
    due_date TEXT NOT NULL,
    amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
    paid_cents INTEGER NOT NULL DEFAULT 0,
    UNIQUE (plan_id, seq)
);

CREATE TABLE plan_invoices (
    plan_id INTEGER NOT NULL REFERENCES payment_plans(id),
    invoice_id INTEGER NOT NULL REFERENCES invoices(id),
    PRIMARY KEY (plan_id, invoice_id)
);

CREATE TABLE account_events (
    -- credit holds and releases, escalations, suspensions, assignments: one row each
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    kind TEXT NOT NULL,          -- credit_hold, release, escalation, assignment
    detail TEXT,                 -- e.g. the escalation's target, the new owner
    note TEXT,
    at TEXT NOT NULL,
    by TEXT NOT NULL
);
CREATE INDEX account_events_customer ON account_events(customer_id, at);

CREATE TABLE targets (
    id INTEGER PRIMARY KEY,
    collector_id TEXT REFERENCES collectors(id),   -- NULL: the whole team
    period TEXT NOT NULL,                          -- '2026-11' (month) or '2026-Q4' (quarter)
    cash_cents INTEGER NOT NULL CHECK (cash_cents >= 0),
    version INTEGER NOT NULL DEFAULT 1,
    updated_by TEXT,
    updated_at TEXT
);
CREATE UNIQUE INDEX targets_key ON targets(ifnull(collector_id, ''), period);

CREATE TABLE email_outbox (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER REFERENCES customers(id),
    to_addr TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    template TEXT,
    dedupe_key TEXT UNIQUE,          -- one email per (account, step, day): never sent twice
    status TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    message_id TEXT,
    sender TEXT,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    sent_at TEXT
);
CREATE INDEX outbox_status ON email_outbox(status);
CREATE INDEX outbox_customer ON email_outbox(customer_id, created_at);

CREATE TABLE audit (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT,
    before TEXT,                     -- JSON or NULL
    after TEXT,                      -- JSON or NULL
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_entity ON audit(entity, entity_id);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'audit is append-only: rows cannot be changed'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'audit is append-only: rows cannot be deleted'); END;
