-- arctui schema 17: the queue's score kept in account_facts (issue 12), with the owner and what
-- the queue's ORDER BY needs, so a collector's or the team's top 200 come straight off an index.
-- The view below takes the latest touchpoint and the first open promise with ties broken by id
-- (two saved in the same second): the same row on every refresh and on either backend.
--
-- The score is a stored generated column over the row's own inputs: the facts of schema 7, plus
-- the account's owner, name, credit limit, its collector's cadence, the unit its past due is
-- weighed in and the day (the days since its last contact and the past due are generated too).
-- Its expression is arctui.domain.score.score_sql() (the one rule table, RULES) with :today read as the row's day,
-- queued accounts only (NULL: not in the queue); tests/store/test_kept_score.py fails when RULES'
-- SQL and the expression frozen here differ (then a new migration re-creates the table).
--
-- unit: minor units of the account's currency per major unit of the book currency where the
-- day's rates convert it, else 10 ** its exponent; arctui.store.facts writes the day's units to
-- account_facts_units (every account currency) and re-scores the accounts of a currency whose
-- unit moved (a rates import, a new book currency) on the next read (an account in a currency
-- not listed yet has a NULL unit until then).
DROP VIEW account_facts_fresh;
DROP TABLE account_facts;

CREATE TABLE account_facts_units (currency TEXT PRIMARY KEY, unit REAL NOT NULL);

CREATE TABLE account_facts (
    customer_id INTEGER PRIMARY KEY,
    [current] INTEGER NOT NULL,          -- open cents by aging bucket
    [1-30] INTEGER NOT NULL,
    [31-60] INTEGER NOT NULL,
    [61-90] INTEGER NOT NULL,
    [90+] INTEGER NOT NULL,
    exposure INTEGER NOT NULL,           -- all open cents
    oldest_days INTEGER,                 -- days past due of the oldest open invoice; NULL: none open
    last_contact TEXT,                   -- the latest touchpoint's time and follow-up date
    follow_up_date TEXT,
    promise_date TEXT,                   -- the open promise inside its grace days
    promise_cents INTEGER NOT NULL,
    broken_cents INTEGER NOT NULL,       -- promises broken in the last 30 days, or past grace unpaid
    disputed_cents INTEGER NOT NULL,     -- open disputes
    planned_cents INTEGER NOT NULL,      -- past-due money on an active plan
    missed_cents INTEGER,                -- unpaid instalments 3 days past due; NULL: none
    missed_date TEXT,
    owner TEXT,                          -- the account's, as in customers
    name TEXT NOT NULL,
    credit_limit_cents INTEGER,
    cadence_days INTEGER NOT NULL,       -- the owner's contact cadence (14 without one)
    unit REAL,                           -- see above
    day TEXT NOT NULL,                   -- the day these facts are of (account_facts_state.day)
    days_since_contact INTEGER GENERATED ALWAYS AS (  -- NULL: never contacted
      CAST(julianday(day) - julianday(substr(last_contact, 1, 10)) AS INTEGER)) STORED,
    past_due_cents INTEGER GENERATED ALWAYS AS ([1-30] + [31-60] + [61-90] + [90+]) STORED,
    score REAL GENERATED ALWAYS AS (
      CASE WHEN oldest_days IS NOT NULL OR promise_date IS NOT NULL OR missed_cents IS NOT NULL THEN
      CASE WHEN past_due_cents <= 0 AND NOT ((CASE WHEN substr(follow_up_date, 1, 10) <= day THEN 10 ELSE 0
      END) <> 0 OR (CASE WHEN missed_cents > 0 THEN 20 ELSE 0 END) <> 0 OR (CASE WHEN promise_date <= day THEN
      20 ELSE 0 END) <> 0) THEN 0.0 ELSE (floor(((floor((CASE WHEN 1 * [1-30] + 2 * [31-60] + 3 * [61-90] + 4
      * [90+] > 0 THEN 20 * log10(1 + (1 * [1-30] + 2 * [31-60] + 3 * [61-90] + 4 * [90+]) * 1.0 / unit /
      1000) ELSE 0 END) * 10 + 0.5) / 10.0) + (CASE WHEN broken_cents > 0 THEN 25 ELSE 0 END) + (CASE WHEN
      promise_date <= day THEN 20 ELSE 0 END) + (CASE WHEN days_since_contact IS NULL THEN CASE WHEN
      past_due_cents > 0 THEN 20 ELSE 0 END WHEN days_since_contact > cadence_days THEN min(20,
      days_since_contact - cadence_days) ELSE 0 END) + (CASE WHEN substr(follow_up_date, 1, 10) <= day THEN 10
      ELSE 0 END) + (floor((CASE WHEN disputed_cents > 0 AND past_due_cents > 0 THEN -30 * min(1.0,
      disputed_cents * 1.0 / past_due_cents) ELSE 0 END) * 10 + 0.5) / 10.0) + (floor((CASE WHEN planned_cents
      > 0 AND past_due_cents > 0 THEN -30 * min(1.0, planned_cents * 1.0 / past_due_cents) ELSE 0 END) * 10 +
      0.5) / 10.0) + (CASE WHEN credit_limit_cents IS NOT NULL AND exposure > credit_limit_cents THEN 15 ELSE
      0 END) + (CASE WHEN missed_cents > 0 THEN 20 ELSE 0 END)) * 10 + 0.5) / 10.0) END
      END) STORED
);
CREATE INDEX account_facts_team_queue ON account_facts (score DESC, past_due_cents DESC, name, customer_id)
    WHERE score IS NOT NULL;
CREATE INDEX account_facts_owner_queue ON account_facts (owner, score DESC, past_due_cents DESC, name, customer_id)
    WHERE score IS NOT NULL;
CREATE INDEX account_facts_unscored ON account_facts (customer_id) WHERE unit IS NULL;

CREATE VIEW account_facts_fresh AS
SELECT c.id AS customer_id,
  (SELECT coalesce(sum(i.open_cents), 0) FROM invoices i WHERE i.customer_id = c.id AND i.open_cents <> 0
     AND i.due_date >= s.day) AS [current],
  (SELECT coalesce(sum(i.open_cents), 0) FROM invoices i WHERE i.customer_id = c.id AND i.open_cents <> 0
     AND i.due_date < s.day AND i.due_date >= date(s.day, '-30 days')) AS [1-30],
  (SELECT coalesce(sum(i.open_cents), 0) FROM invoices i WHERE i.customer_id = c.id AND i.open_cents <> 0
     AND i.due_date < date(s.day, '-30 days') AND i.due_date >= date(s.day, '-60 days')) AS [31-60],
  (SELECT coalesce(sum(i.open_cents), 0) FROM invoices i WHERE i.customer_id = c.id AND i.open_cents <> 0
     AND i.due_date < date(s.day, '-60 days') AND i.due_date >= date(s.day, '-90 days')) AS [61-90],
  (SELECT coalesce(sum(i.open_cents), 0) FROM invoices i WHERE i.customer_id = c.id AND i.open_cents <> 0
     AND i.due_date < date(s.day, '-90 days')) AS [90+],
  (SELECT coalesce(sum(i.open_cents), 0) FROM invoices i WHERE i.customer_id = c.id AND i.open_cents <> 0) AS exposure,
  (SELECT CAST(julianday(s.day) - julianday(min(i.due_date)) AS INTEGER) FROM invoices i
     WHERE i.customer_id = c.id AND i.open_cents <> 0) AS oldest_days,
  (SELECT t.at FROM touchpoints t WHERE t.customer_id = c.id ORDER BY t.at DESC, t.id DESC LIMIT 1) AS last_contact,
  (SELECT t.follow_up_date FROM touchpoints t WHERE t.customer_id = c.id ORDER BY t.at DESC, t.id DESC LIMIT 1)
    AS follow_up_date,
  (SELECT p.promised_date FROM promises p WHERE p.customer_id = c.id AND p.status = 'open'
     AND p.promised_date >= date(s.day, '-30 days')
     AND date(p.promised_date, '+' || p.grace_days || ' days') >= s.day
   ORDER BY p.promised_date, p.id LIMIT 1) AS promise_date,
  coalesce((SELECT p.amount_cents FROM promises p WHERE p.customer_id = c.id AND p.status = 'open'
     AND p.promised_date >= date(s.day, '-30 days')
     AND date(p.promised_date, '+' || p.grace_days || ' days') >= s.day
   ORDER BY p.promised_date, p.id LIMIT 1), 0) AS promise_cents,
  (SELECT coalesce(sum(p.amount_cents - p.paid_cents), 0) FROM promises p
     WHERE p.customer_id = c.id AND (
       (p.status = 'broken' AND p.resolved_date >= date(s.day, '-30 days'))
       OR (p.status = 'open' AND date(p.promised_date, '+' || p.grace_days || ' days') < s.day AND NOT EXISTS (
         SELECT 1 FROM payments r WHERE r.customer_id = p.customer_id AND r.currency = c.currency
           AND r.state = 'booked' AND r.received_date BETWEEN substr(p.created_at, 1, 10)
             AND date(p.promised_date, '+' || p.grace_days || ' days'))))) AS broken_cents,
  (SELECT coalesce(sum(d.amount_cents), 0) FROM disputes d
     WHERE d.customer_id = c.id AND d.status = 'open') AS disputed_cents,
  (SELECT coalesce(sum(i.open_cents), 0) FROM payment_plans p
     JOIN plan_invoices pi ON pi.plan_id = p.id JOIN invoices i ON i.id = pi.invoice_id
     WHERE p.customer_id = c.id AND p.status = 'active' AND i.open_cents <> 0 AND i.open_cents > 0
       AND i.due_date < s.day) AS planned_cents,
  (SELECT sum(n.amount_cents - n.paid_cents) FROM payment_plans p JOIN plan_instalments n ON n.plan_id = p.id
     WHERE p.customer_id = c.id AND p.status = 'active' AND n.paid_cents < n.amount_cents
       AND n.due_date < date(s.day, '-3 days')) AS missed_cents,
  (SELECT min(n.due_date) FROM payment_plans p JOIN plan_instalments n ON n.plan_id = p.id
     WHERE p.customer_id = c.id AND p.status = 'active' AND n.paid_cents < n.amount_cents
       AND n.due_date < date(s.day, '-3 days')) AS missed_date,
  c.owner, c.name, c.credit_limit_cents,
  coalesce((SELECT col.cadence_days FROM collectors col WHERE col.id = c.owner), 14) AS cadence_days,
  (SELECT u.unit FROM account_facts_units u WHERE u.currency = c.currency) AS unit,
  s.day
FROM customers c JOIN account_facts_state s ON s.id = 1;

-- the account's owner, name and credit limit are kept in its row now, and its owner's cadence
-- (a save that writes them unchanged, as saving a collector's name does, refreshes nothing)
DROP TRIGGER facts_customers_update;
CREATE TRIGGER facts_customers_update AFTER UPDATE OF currency, owner, name, credit_limit_cents ON customers
WHEN (SELECT day FROM account_facts_state) IS NOT NULL AND (OLD.currency IS NOT NEW.currency
  OR OLD.owner IS NOT NEW.owner OR OLD.name IS NOT NEW.name OR OLD.credit_limit_cents IS NOT NEW.credit_limit_cents)
BEGIN INSERT OR REPLACE INTO account_facts SELECT * FROM account_facts_fresh WHERE customer_id = NEW.id; END;
CREATE TRIGGER facts_collectors_insert AFTER INSERT ON collectors WHEN (SELECT day FROM account_facts_state) IS NOT NULL
BEGIN INSERT OR REPLACE INTO account_facts SELECT * FROM account_facts_fresh
  WHERE customer_id IN (SELECT id FROM customers WHERE owner = NEW.id); END;
CREATE TRIGGER facts_collectors_update AFTER UPDATE OF id, cadence_days ON collectors
WHEN (SELECT day FROM account_facts_state) IS NOT NULL AND (OLD.id IS NOT NEW.id OR OLD.cadence_days IS NOT NEW.cadence_days)
BEGIN INSERT OR REPLACE INTO account_facts SELECT * FROM account_facts_fresh
  WHERE customer_id IN (SELECT id FROM customers WHERE owner IN (OLD.id, NEW.id)); END;
CREATE TRIGGER facts_collectors_delete AFTER DELETE ON collectors WHEN (SELECT day FROM account_facts_state) IS NOT NULL
BEGIN INSERT OR REPLACE INTO account_facts SELECT * FROM account_facts_fresh
  WHERE customer_id IN (SELECT id FROM customers WHERE owner = OLD.id); END;

-- the first read brings the facts, now scored, to its day
UPDATE account_facts_state SET day = NULL;
