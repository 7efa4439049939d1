-- arctui schema 9 (issue 14, items 4 and 7): the chart of reason and GL codes kept in the book,
-- and write-offs. A memo or write-off is coded only from the chart's active codes (once the
-- book has a chart); a retired code stays for the records that carry it.
CREATE TABLE chart_codes (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('reason', 'gl')),
    code TEXT NOT NULL,
    label TEXT NOT NULL,
    retired_at TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    updated_by TEXT,
    updated_at TEXT
);
CREATE UNIQUE INDEX chart_codes_kind_code ON chart_codes(kind, code COLLATE NOCASE);
-- A write-off is a credit of an invoice's open amount to a loss account: it takes a memo's
-- workflow (proposed, approved within or above authority by someone else, posted), so every
-- rebuild of an open balance that counts posted memos counts it too.
ALTER TABLE credit_memos ADD COLUMN kind TEXT NOT NULL DEFAULT 'credit' CHECK (kind IN ('credit', 'write_off'));
