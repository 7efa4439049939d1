-- arctui schema 15: applied_by_day, the cash applied to each account's invoices per day, for
-- the KPIs' CEI (the receivables at the start of its period are walked back from today's).
-- Kept by the triggers below inside every writing transaction: an application to an invoice
-- adds to the invoice's account on its applied date (a refund names no invoice: not counted);
-- an invoice moved to another account takes its applications along.
CREATE TABLE applied_by_day (
    customer_id INTEGER NOT NULL,
    day TEXT NOT NULL,                   -- the applied date
    cents INTEGER NOT NULL,
    PRIMARY KEY (customer_id, day)
);

INSERT INTO applied_by_day (customer_id, day, cents)
SELECT i.customer_id, a.applied_date, sum(a.amount_cents)
FROM payment_applications a JOIN invoices i ON i.id = a.invoice_id WHERE a.kind = 'apply' GROUP BY 1, 2;

CREATE TRIGGER applied_insert AFTER INSERT ON payment_applications WHEN NEW.kind = 'apply' AND NEW.invoice_id IS NOT NULL
BEGIN
  INSERT INTO applied_by_day (customer_id, day, cents)
  SELECT customer_id, NEW.applied_date, NEW.amount_cents FROM invoices WHERE id = NEW.invoice_id
  ON CONFLICT DO UPDATE SET cents = cents + excluded.cents;
END;
CREATE TRIGGER applied_update AFTER UPDATE OF invoice_id, kind, amount_cents, applied_date ON payment_applications
BEGIN
  UPDATE applied_by_day SET cents = cents - OLD.amount_cents
  WHERE OLD.kind = 'apply' AND day = OLD.applied_date
    AND customer_id = (SELECT customer_id FROM invoices WHERE id = OLD.invoice_id);
  INSERT INTO applied_by_day (customer_id, day, cents)
  SELECT customer_id, NEW.applied_date, NEW.amount_cents FROM invoices WHERE id = NEW.invoice_id AND NEW.kind = 'apply'
  ON CONFLICT DO UPDATE SET cents = cents + excluded.cents;
END;
CREATE TRIGGER applied_delete AFTER DELETE ON payment_applications WHEN OLD.kind = 'apply' AND OLD.invoice_id IS NOT NULL
BEGIN
  UPDATE applied_by_day SET cents = cents - OLD.amount_cents
  WHERE day = OLD.applied_date AND customer_id = (SELECT customer_id FROM invoices WHERE id = OLD.invoice_id);
END;
CREATE TRIGGER applied_invoices_move AFTER UPDATE OF customer_id ON invoices WHEN OLD.customer_id <> NEW.customer_id
BEGIN
  INSERT INTO applied_by_day (customer_id, day, cents)
  SELECT OLD.customer_id, applied_date, -sum(amount_cents) FROM payment_applications
  WHERE invoice_id = NEW.id AND kind = 'apply' GROUP BY applied_date
  ON CONFLICT DO UPDATE SET cents = cents + excluded.cents;
  INSERT INTO applied_by_day (customer_id, day, cents)
  SELECT NEW.customer_id, applied_date, sum(amount_cents) FROM payment_applications
  WHERE invoice_id = NEW.id AND kind = 'apply' GROUP BY applied_date
  ON CONFLICT DO UPDATE SET cents = cents + excluded.cents;
END;
