"""The ledger store: one SQLite file, its schema and migrations, connections and named queries."""
