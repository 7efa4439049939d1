-- arctui schema 7: account_facts, one row per account, the queue's facts kept current by triggers.
CREATE TABLE account_facts_state (id INTEGER PRIMARY KEY CHECK (id = 1), day TEXT, live INTEGER NOT NULL DEFAULT 1);
INSERT INTO account_facts_state (id, day) VALUES (1, NULL);
