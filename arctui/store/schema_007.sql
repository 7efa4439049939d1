-- arctui schema 7: account_facts, one row per account, the queue's facts as of one day
-- (account_facts_state.day), kept current inside every writing transaction by the triggers
-- below. A trigger refreshes the accounts a changed row touches from the view
-- account_facts_fresh, which computes an account's facts from scratch for that day. A new day
-- is a rebuild (arctui.store.facts): on the first read of the day, after `promises settle`,
-- after a bulk load (which sets day to NULL while it loads: the triggers stand aside).
-- The aging cut-offs, the 30-day promise windows and the 3 days' grace of an instalment are
-- those of arctui.domain.aging and arctui.store.read.accounts (tests/store/test_account_facts.py
-- compares this view with that module's facts query).
CREATE TABLE account_facts_state (id INTEGER PRIMARY KEY CHECK (id = 1), day TEXT);
INSERT INTO account_facts_state (id, day) VALUES (1, NULL);

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
    missed_date TEXT
);

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
  (SELECT t.at FROM touchpoints t WHERE t.customer_id = c.id ORDER BY t.at DESC LIMIT 1) AS last_contact,
  (SELECT t.follow_up_date FROM touchpoints t WHERE t.customer_id = c.id ORDER BY t.at DESC LIMIT 1)
    AS follow_up_date,
  (SELECT p.promised_date FROM promises p WHERE p.customer_id = c.id AND p.status = 'open'
     AND p.promised_date >= date(s.day, '-30 days')
     AND date(p.promised_date, '+' || p.grace_days || ' days') >= s.day
   ORDER BY p.promised_date LIMIT 1) AS promise_date,
  coalesce((SELECT p.amount_cents FROM promises p WHERE p.customer_id = c.id AND p.status = 'open'
     AND p.promised_date >= date(s.day, '-30 days')
     AND date(p.promised_date, '+' || p.grace_days || ' days') >= s.day
   ORDER BY p.promised_date LIMIT 1), 0) AS promise_cents,
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
       AND n.due_date < date(s.day, '-3 days')) AS missed_date
FROM customers c JOIN account_facts_state s ON s.id = 1;

CREATE TRIGGER facts_customers_insert AFTER INSERT ON customers WHEN (SELECT day FROM account_facts_state) IS NOT NULL
BEGIN INSERT OR REPLACE INTO account_facts SELECT * FROM account_facts_fresh WHERE customer_id = NEW.id; END;
CREATE TRIGGER facts_customers_update AFTER UPDATE OF currency ON customers WHEN (SELECT day FROM account_facts_state) IS NOT NULL
BEGIN INSERT OR REPLACE INTO account_facts SELECT * FROM account_facts_fresh WHERE customer_id = NEW.id; END;
CREATE TRIGGER facts_customers_delete AFTER DELETE ON customers WHEN (SELECT day FROM account_facts_state) IS NOT NULL
BEGIN DELETE FROM account_facts WHERE customer_id = OLD.id; END;
CREATE TRIGGER facts_invoices_insert AFTER INSERT ON invoices WHEN (SELECT day FROM account_facts_state) IS NOT NULL
BEGIN INSERT OR REPLACE INTO account_facts SELECT * FROM account_facts_fresh WHERE customer_id = NEW.customer_id; END;
CREATE TRIGGER facts_invoices_update AFTER UPDATE OF customer_id, due_date, open_cents ON invoices WHEN (SELECT day FROM account_facts_state) IS NOT NULL
BEGIN INSERT OR REPLACE INTO account_facts SELECT * FROM account_facts_fresh WHERE customer_id IN (OLD.customer_id, NEW.customer_id); END;
CREATE TRIGGER facts_invoices_delete AFTER DELETE ON invoices WHEN (SELECT day FROM account_facts_state) IS NOT NULL
BEGIN INSERT OR REPLACE INTO account_facts SELECT * FROM account_facts_fresh WHERE customer_id = OLD.customer_id; END;
CREATE TRIGGER facts_touchpoints_insert AFTER INSERT ON touchpoints WHEN (SELECT day FROM account_facts_state) IS NOT NULL
BEGIN INSERT OR REPLACE INTO account_facts SELECT * FROM account_facts_fresh WHERE customer_id = NEW.customer_id; END;
CREATE TRIGGER facts_touchpoints_update AFTER UPDATE OF customer_id, at, follow_up_date ON touchpoints WHEN (SELECT day FROM account_facts_state) IS NOT NULL
BEGIN INSERT OR REPLACE INTO account_facts SELECT * FROM account_facts_fresh WHERE customer_id IN (OLD.customer_id, NEW.customer_id); END;
CREATE TRIGGER facts_touchpoints_delete AFTER DELETE ON touchpoints WHEN (SELECT day FROM account_facts_state) IS NOT NULL
BEGIN INSERT OR REPLACE INTO account_facts SELECT * FROM account_facts_fresh WHERE customer_id = OLD.customer_id; END;
CREATE TRIGGER facts_promises_insert AFTER INSERT ON promises WHEN (SELECT day FROM account_facts_state) IS NOT NULL
BEGIN INSERT OR REPLACE INTO account_facts SELECT * FROM account_facts_fresh WHERE customer_id = NEW.customer_id; END;
CREATE TRIGGER facts_promises_update AFTER UPDATE OF customer_id, amount_cents, paid_cents, promised_date, grace_days, status, created_at, resolved_date ON promises WHEN (SELECT day FROM account_facts_state) IS NOT NULL
BEGIN INSERT OR REPLACE INTO account_facts SELECT * FROM account_facts_fresh WHERE customer_id IN (OLD.customer_id, NEW.customer_id); END;
CREATE TRIGGER facts_promises_delete AFTER DELETE ON promises WHEN (SELECT day FROM account_facts_state) IS NOT NULL
BEGIN INSERT OR REPLACE INTO account_facts SELECT * FROM account_facts_fresh WHERE customer_id = OLD.customer_id; END;
CREATE TRIGGER facts_payments_insert AFTER INSERT ON payments WHEN (SELECT day FROM account_facts_state) IS NOT NULL
BEGIN INSERT OR REPLACE INTO account_facts SELECT * FROM account_facts_fresh WHERE customer_id = NEW.customer_id; END;
CREATE TRIGGER facts_payments_update AFTER UPDATE OF customer_id, received_date, currency, state ON payments WHEN (SELECT day FROM account_facts_state) IS NOT NULL
BEGIN INSERT OR REPLACE INTO account_facts SELECT * FROM account_facts_fresh WHERE customer_id IN (OLD.customer_id, NEW.customer_id); END;
CREATE TRIGGER facts_payments_delete AFTER DELETE ON payments WHEN (SELECT day FROM account_facts_state) IS NOT NULL
BEGIN INSERT OR REPLACE INTO account_facts SELECT * FROM account_facts_fresh WHERE customer_id = OLD.customer_id; END;
CREATE TRIGGER facts_disputes_insert AFTER INSERT ON disputes WHEN (SELECT day FROM account_facts_state) IS NOT NULL
BEGIN INSERT OR REPLACE INTO account_facts SELECT * FROM account_facts_fresh WHERE customer_id = NEW.customer_id; END;
CREATE TRIGGER facts_disputes_update AFTER UPDATE OF customer_id, amount_cents, status ON disputes WHEN (SELECT day FROM account_facts_state) IS NOT NULL
BEGIN INSERT OR REPLACE INTO account_facts SELECT * FROM account_facts_fresh WHERE customer_id IN (OLD.customer_id, NEW.customer_id); END;
CREATE TRIGGER facts_disputes_delete AFTER DELETE ON disputes WHEN (SELECT day FROM account_facts_state) IS NOT NULL
BEGIN INSERT OR REPLACE INTO account_facts SELECT * FROM account_facts_fresh WHERE customer_id = OLD.customer_id; END;
CREATE TRIGGER facts_payment_plans_insert AFTER INSERT ON payment_plans WHEN (SELECT day FROM account_facts_state) IS NOT NULL
BEGIN INSERT OR REPLACE INTO account_facts SELECT * FROM account_facts_fresh WHERE customer_id = NEW.customer_id; END;
CREATE TRIGGER facts_payment_plans_update AFTER UPDATE OF customer_id, status ON payment_plans WHEN (SELECT day FROM account_facts_state) IS NOT NULL
BEGIN INSERT OR REPLACE INTO account_facts SELECT * FROM account_facts_fresh WHERE customer_id IN (OLD.customer_id, NEW.customer_id); END;
CREATE TRIGGER facts_payment_plans_delete AFTER DELETE ON payment_plans WHEN (SELECT day FROM account_facts_state) IS NOT NULL
BEGIN INSERT OR REPLACE INTO account_facts SELECT * FROM account_facts_fresh WHERE customer_id = OLD.customer_id; END;
CREATE TRIGGER facts_plan_instalments_insert AFTER INSERT ON plan_instalments WHEN (SELECT day FROM account_facts_state) IS NOT NULL
BEGIN INSERT OR REPLACE INTO account_facts SELECT * FROM account_facts_fresh WHERE customer_id = (SELECT customer_id FROM payment_plans WHERE id = NEW.plan_id); END;
CREATE TRIGGER facts_plan_instalments_update AFTER UPDATE OF plan_id, due_date, amount_cents, paid_cents ON plan_instalments WHEN (SELECT day FROM account_facts_state) IS NOT NULL
BEGIN INSERT OR REPLACE INTO account_facts SELECT * FROM account_facts_fresh WHERE customer_id IN ((SELECT customer_id FROM payment_plans WHERE id = OLD.plan_id), (SELECT customer_id FROM payment_plans WHERE id = NEW.plan_id)); END;
CREATE TRIGGER facts_plan_instalments_delete AFTER DELETE ON plan_instalments WHEN (SELECT day FROM account_facts_state) IS NOT NULL
BEGIN INSERT OR REPLACE INTO account_facts SELECT * FROM account_facts_fresh WHERE customer_id = (SELECT customer_id FROM payment_plans WHERE id = OLD.plan_id); END;
CREATE TRIGGER facts_plan_invoices_insert AFTER INSERT ON plan_invoices WHEN (SELECT day FROM account_facts_state) IS NOT NULL
BEGIN INSERT OR REPLACE INTO account_facts SELECT * FROM account_facts_fresh WHERE customer_id = (SELECT customer_id FROM payment_plans WHERE id = NEW.plan_id); END;
CREATE TRIGGER facts_plan_invoices_delete AFTER DELETE ON plan_invoices WHEN (SELECT day FROM account_facts_state) IS NOT NULL
BEGIN INSERT OR REPLACE INTO account_facts SELECT * FROM account_facts_fresh WHERE customer_id = (SELECT customer_id FROM payment_plans WHERE id = OLD.plan_id); END;
