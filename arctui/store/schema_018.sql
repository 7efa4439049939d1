-- arctui schema 18: credited_by_day, the credit memos posted against each account's invoices
-- per invoice currency and posting day, for the KPIs' CEI (the receivables at the start of its
-- period are walked back from today's: plus the cash applied, schema 15, and the memos posted
-- since). Kept by the triggers below inside every writing transaction: a memo counts while it
-- is posted against an invoice, on the day of its posted_at, to the invoice's account and
-- currency; an invoice moved to another account or currency takes its memos along.
CREATE TABLE credited_by_day (
    customer_id INTEGER NOT NULL,
    currency TEXT NOT NULL,              -- the invoice's
    day TEXT NOT NULL,                   -- the memo's posting date
    cents INTEGER NOT NULL,
    PRIMARY KEY (customer_id, currency, day)
);

INSERT INTO credited_by_day (customer_id, currency, day, cents)
SELECT i.customer_id, i.currency, substr(m.posted_at, 1, 10), sum(m.amount_cents)
FROM credit_memos m JOIN invoices i ON i.id = m.invoice_id
WHERE m.status = 'posted' AND m.posted_at IS NOT NULL GROUP BY 1, 2, 3;

-- The whole team's CEI reads its period's applied cash and posted memos per currency and day
-- from team_cash_by_day: a few dozen rows instead of every account's days. The currency is the
-- invoice's; kept by the triggers here and below in the same transaction (an invoice moved to
-- another currency takes its applications and memos along).
CREATE TABLE team_cash_by_day (
    kind TEXT NOT NULL CHECK (kind IN ('applied', 'credited')),
    currency TEXT NOT NULL,
    day TEXT NOT NULL,
    cents INTEGER NOT NULL,
    PRIMARY KEY (kind, currency, day)
);

INSERT INTO team_cash_by_day (kind, currency, day, cents)
SELECT 'applied', i.currency, a.applied_date, sum(a.amount_cents)
FROM payment_applications a JOIN invoices i ON i.id = a.invoice_id WHERE a.kind = 'apply' GROUP BY 2, 3;
INSERT INTO team_cash_by_day (kind, currency, day, cents)
SELECT 'credited', currency, day, sum(cents) FROM credited_by_day GROUP BY 2, 3;

CREATE TRIGGER credited_insert AFTER INSERT ON credit_memos
WHEN NEW.status = 'posted' AND NEW.posted_at IS NOT NULL AND NEW.invoice_id IS NOT NULL
BEGIN
  INSERT INTO credited_by_day (customer_id, currency, day, cents)
  SELECT customer_id, currency, substr(NEW.posted_at, 1, 10), NEW.amount_cents FROM invoices WHERE id = NEW.invoice_id
  ON CONFLICT DO UPDATE SET cents = cents + excluded.cents;
  INSERT INTO team_cash_by_day (kind, currency, day, cents)
  SELECT 'credited', currency, substr(NEW.posted_at, 1, 10), NEW.amount_cents FROM invoices WHERE id = NEW.invoice_id
  ON CONFLICT DO UPDATE SET cents = cents + excluded.cents;
END;
CREATE TRIGGER credited_update AFTER UPDATE OF status, posted_at, amount_cents, invoice_id ON credit_memos
BEGIN
  INSERT INTO credited_by_day (customer_id, currency, day, cents)
  SELECT customer_id, currency, substr(OLD.posted_at, 1, 10), -OLD.amount_cents FROM invoices
  WHERE id = OLD.invoice_id AND OLD.status = 'posted' AND OLD.posted_at IS NOT NULL
  ON CONFLICT DO UPDATE SET cents = cents + excluded.cents;
  INSERT INTO credited_by_day (customer_id, currency, day, cents)
  SELECT customer_id, currency, substr(NEW.posted_at, 1, 10), NEW.amount_cents FROM invoices
  WHERE id = NEW.invoice_id AND NEW.status = 'posted' AND NEW.posted_at IS NOT NULL
  ON CONFLICT DO UPDATE SET cents = cents + excluded.cents;
  INSERT INTO team_cash_by_day (kind, currency, day, cents)
  SELECT 'credited', currency, substr(OLD.posted_at, 1, 10), -OLD.amount_cents FROM invoices
  WHERE id = OLD.invoice_id AND OLD.status = 'posted' AND OLD.posted_at IS NOT NULL
  ON CONFLICT DO UPDATE SET cents = cents + excluded.cents;
  INSERT INTO team_cash_by_day (kind, currency, day, cents)
  SELECT 'credited', currency, substr(NEW.posted_at, 1, 10), NEW.amount_cents FROM invoices
  WHERE id = NEW.invoice_id AND NEW.status = 'posted' AND NEW.posted_at IS NOT NULL
  ON CONFLICT DO UPDATE SET cents = cents + excluded.cents;
END;
CREATE TRIGGER credited_delete AFTER DELETE ON credit_memos
WHEN OLD.status = 'posted' AND OLD.posted_at IS NOT NULL AND OLD.invoice_id IS NOT NULL
BEGIN
  INSERT INTO credited_by_day (customer_id, currency, day, cents)
  SELECT customer_id, currency, substr(OLD.posted_at, 1, 10), -OLD.amount_cents FROM invoices WHERE id = OLD.invoice_id
  ON CONFLICT DO UPDATE SET cents = cents + excluded.cents;
  INSERT INTO team_cash_by_day (kind, currency, day, cents)
  SELECT 'credited', currency, substr(OLD.posted_at, 1, 10), -OLD.amount_cents FROM invoices WHERE id = OLD.invoice_id
  ON CONFLICT DO UPDATE SET cents = cents + excluded.cents;
END;
CREATE TRIGGER credited_invoices_move AFTER UPDATE OF customer_id, currency ON invoices
WHEN OLD.customer_id <> NEW.customer_id OR OLD.currency <> NEW.currency
BEGIN
  INSERT INTO credited_by_day (customer_id, currency, day, cents)
  SELECT OLD.customer_id, OLD.currency, substr(posted_at, 1, 10), -sum(amount_cents) FROM credit_memos
  WHERE invoice_id = NEW.id AND status = 'posted' AND posted_at IS NOT NULL GROUP BY 3
  ON CONFLICT DO UPDATE SET cents = cents + excluded.cents;
  INSERT INTO credited_by_day (customer_id, currency, day, cents)
  SELECT NEW.customer_id, NEW.currency, substr(posted_at, 1, 10), sum(amount_cents) FROM credit_memos
  WHERE invoice_id = NEW.id AND status = 'posted' AND posted_at IS NOT NULL GROUP BY 3
  ON CONFLICT DO UPDATE SET cents = cents + excluded.cents;
END;

CREATE TRIGGER team_cash_applied_insert AFTER INSERT ON payment_applications
WHEN NEW.kind = 'apply' AND NEW.invoice_id IS NOT NULL
BEGIN
  INSERT INTO team_cash_by_day (kind, currency, day, cents)
  SELECT 'applied', currency, NEW.applied_date, NEW.amount_cents FROM invoices WHERE id = NEW.invoice_id
  ON CONFLICT DO UPDATE SET cents = cents + excluded.cents;
END;
CREATE TRIGGER team_cash_applied_update AFTER UPDATE OF invoice_id, kind, amount_cents, applied_date
ON payment_applications
BEGIN
  INSERT INTO team_cash_by_day (kind, currency, day, cents)
  SELECT 'applied', currency, OLD.applied_date, -OLD.amount_cents FROM invoices WHERE id = OLD.invoice_id AND OLD.kind = 'apply'
  ON CONFLICT DO UPDATE SET cents = cents + excluded.cents;
  INSERT INTO team_cash_by_day (kind, currency, day, cents)
  SELECT 'applied', currency, NEW.applied_date, NEW.amount_cents FROM invoices WHERE id = NEW.invoice_id AND NEW.kind = 'apply'
  ON CONFLICT DO UPDATE SET cents = cents + excluded.cents;
END;
CREATE TRIGGER team_cash_applied_delete AFTER DELETE ON payment_applications
WHEN OLD.kind = 'apply' AND OLD.invoice_id IS NOT NULL
BEGIN
  INSERT INTO team_cash_by_day (kind, currency, day, cents)
  SELECT 'applied', currency, OLD.applied_date, -OLD.amount_cents FROM invoices WHERE id = OLD.invoice_id
  ON CONFLICT DO UPDATE SET cents = cents + excluded.cents;
END;
CREATE TRIGGER team_cash_invoices_currency AFTER UPDATE OF currency ON invoices WHEN OLD.currency <> NEW.currency
BEGIN
  INSERT INTO team_cash_by_day (kind, currency, day, cents)
  SELECT 'applied', OLD.currency, applied_date, -sum(amount_cents) FROM payment_applications
  WHERE invoice_id = NEW.id AND kind = 'apply' GROUP BY 3
  ON CONFLICT DO UPDATE SET cents = cents + excluded.cents;
  INSERT INTO team_cash_by_day (kind, currency, day, cents)
  SELECT 'applied', NEW.currency, applied_date, sum(amount_cents) FROM payment_applications
  WHERE invoice_id = NEW.id AND kind = 'apply' GROUP BY 3
  ON CONFLICT DO UPDATE SET cents = cents + excluded.cents;
  INSERT INTO team_cash_by_day (kind, currency, day, cents)
  SELECT 'credited', OLD.currency, substr(posted_at, 1, 10), -sum(amount_cents) FROM credit_memos
  WHERE invoice_id = NEW.id AND status = 'posted' AND posted_at IS NOT NULL GROUP BY 3
  ON CONFLICT DO UPDATE SET cents = cents + excluded.cents;
  INSERT INTO team_cash_by_day (kind, currency, day, cents)
  SELECT 'credited', NEW.currency, substr(posted_at, 1, 10), sum(amount_cents) FROM credit_memos
  WHERE invoice_id = NEW.id AND status = 'posted' AND posted_at IS NOT NULL GROUP BY 3
  ON CONFLICT DO UPDATE SET cents = cents + excluded.cents;
END;
