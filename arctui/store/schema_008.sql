-- arctui schema 8 (issue 14, items 3 and 6): collection strategies, dunning pauses, the
-- call and letter steps a run takes, and statement runs.
--
-- A strategy is a dunning ladder for a segment of the book: the first strategy by position
-- whose segment matches an account is the account's (arctui.domain.dunning.Segment: region,
-- risk class, size band of the open balance; an empty segment matches every account, and the
-- last strategy always has one). Its steps are JSON: [{"days": 1, "channel": "email",
-- "template": "first_reminder"}, ...], days past due of the oldest open item, ascending.
ALTER TABLE customers ADD COLUMN risk_class TEXT;

CREATE TABLE strategies (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    position INTEGER NOT NULL UNIQUE,
    regions TEXT,                 -- JSON list of regions; NULL: any region
    risk_classes TEXT,            -- JSON list of risk classes; NULL: any
    min_open INTEGER,             -- open balance at least this, in whole units of the account's currency
    max_open INTEGER,             -- and below this; NULL: no bound
    step_gap_days INTEGER NOT NULL CHECK (step_gap_days >= 0),
    quiet_days INTEGER NOT NULL CHECK (quiet_days >= 0),
    steps TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    updated_by TEXT,              -- NULL: the migration's default, never set by a person
    updated_at TEXT
);
-- Today's ladder (the [dunning] defaults of arctui.domain.dunning.Policy) as the default
-- strategy: a book where nobody set strategies dunns as it did.
INSERT INTO strategies (name, position, step_gap_days, quiet_days, steps) VALUES (
    'default', 1, 7, 3,
    '[{"days": 1, "channel": "email", "template": "first_reminder"},'
    || ' {"days": 15, "channel": "email", "template": "second_reminder"},'
    || ' {"days": 45, "channel": "email", "template": "final_notice"}]'
);

-- A collector's pause of an account's reminders, until a day (inclusive), with the reason.
CREATE TABLE dunning_pauses (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    until_date TEXT NOT NULL,
    reason TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    ended_at TEXT,                -- ended early (resumed) by ended_by
    ended_by TEXT
);
CREATE INDEX dunning_pauses_customer ON dunning_pauses(customer_id, until_date);

-- A step taken by another channel than email: a call task for the collector, or a letter
-- written to the letters folder (path). Email steps are in email_outbox.
CREATE TABLE dunning_tasks (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    strategy TEXT NOT NULL,
    template TEXT NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN ('call', 'letter')),
    day TEXT NOT NULL,
    invoices TEXT NOT NULL,       -- the reminded invoices' numbers, comma-separated
    path TEXT,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    UNIQUE (customer_id, template, day)
);

-- One statement run per period (a month, 'YYYY-MM'): a second one is refused.
CREATE TABLE statement_runs (
    id INTEGER PRIMARY KEY,
    period TEXT NOT NULL UNIQUE,
    run_at TEXT NOT NULL,
    run_by TEXT NOT NULL,
    accounts INTEGER NOT NULL,
    queued INTEGER NOT NULL
);
