-- arctui schema 19 (issue 14, items 4 and 6): an authority limit per kind of money movement. A
-- collector's general limit (collectors.memo_limit_cents) covers credit memos, write-offs,
-- credit-limit raises and refunds unless a lead or manager sets a limit of its own for one kind
-- (a write-off limit lower than the memo limit, say). collector_limits is what every check reads.
CREATE TABLE authority_limits (
    id INTEGER PRIMARY KEY,
    collector_id TEXT NOT NULL REFERENCES collectors(id),
    kind TEXT NOT NULL CHECK (kind IN ('credit', 'write_off', 'credit_limit', 'refund')),
    limit_cents INTEGER NOT NULL CHECK (limit_cents >= 0),
    version INTEGER NOT NULL DEFAULT 1,
    updated_by TEXT,
    updated_at TEXT,
    UNIQUE (collector_id, kind)
);

CREATE VIEW collector_limits AS
SELECT c.id AS collector_id, c.role, c.active, k.kind,
       coalesce(a.limit_cents, c.memo_limit_cents) AS limit_cents,
       a.limit_cents IS NOT NULL AS own_limit
FROM collectors c
CROSS JOIN (SELECT 'credit' AS kind UNION ALL SELECT 'write_off' UNION ALL SELECT 'credit_limit'
            UNION ALL SELECT 'refund') k
LEFT JOIN authority_limits a ON a.collector_id = c.id AND a.kind = k.kind;

-- A statement run writes a letter to print for each account with no email address: how many.
ALTER TABLE statement_runs ADD COLUMN letters INTEGER NOT NULL DEFAULT 0;
