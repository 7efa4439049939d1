-- arctui schema 5: a book currency the team chooses, and the exchange rates to convert into it.
-- book_settings: one row per setting ('currency': the ISO 4217 code of the book); every change
-- is written with its audit row by the service that makes it.
CREATE TABLE book_settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    updated_by TEXT,
    updated_at TEXT
);

-- fx_rates: 1 unit of base = rate units of currency on day (as the ECB publishes them).
-- rate is decimal text, never a float: a rate is kept exactly (trailing zeros dropped, so the
-- same rate is the same text). Rows come in through imports, audited one row per import.
CREATE TABLE fx_rates (
    base TEXT NOT NULL,
    currency TEXT NOT NULL,
    day TEXT NOT NULL,               -- ISO date
    rate TEXT NOT NULL,
    source TEXT,                     -- who published it (ECB), as the import says
    version INTEGER NOT NULL DEFAULT 1,
    updated_by TEXT,
    updated_at TEXT,
    PRIMARY KEY (base, currency, day)
);
CREATE INDEX fx_rates_currency_day ON fx_rates(currency, day);
