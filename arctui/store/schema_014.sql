-- arctui schema 14: sales_by_month, the credit sales (amounts invoiced) of each account per
-- currency and month of issue, for the KPIs' count-back DSO (arctui.store.read.kpis). Kept by
-- the triggers below inside every writing transaction; the grain is the account, so an account
-- that changes owner takes its sales along. An import of invoices sets the row-by-row insert
-- aside (sales_by_month_state.kept = 0) while it merges and adds its new rows grouped at its
-- end (arctui.store.sales.set_aside; schema 16 gives the triggers their final form).
CREATE TABLE sales_by_month_state (id INTEGER PRIMARY KEY CHECK (id = 1), kept INTEGER NOT NULL);
INSERT INTO sales_by_month_state (id, kept) VALUES (1, 1);

CREATE TABLE sales_by_month (
    customer_id INTEGER NOT NULL,
    currency TEXT NOT NULL,
    month TEXT NOT NULL,                 -- YYYY-MM of the issue date
    cents INTEGER NOT NULL,
    PRIMARY KEY (customer_id, currency, month)
);
-- the whole team's months: read in index order, no table
CREATE INDEX sales_by_month_team ON sales_by_month(currency, month, cents);

INSERT INTO sales_by_month (customer_id, currency, month, cents)
SELECT customer_id, currency, substr(issue_date, 1, 7), sum(amount_cents) FROM invoices GROUP BY 1, 2, 3;

CREATE TRIGGER sales_invoices_insert AFTER INSERT ON invoices WHEN (SELECT kept FROM sales_by_month_state)
BEGIN
  INSERT INTO sales_by_month (customer_id, currency, month, cents)
  VALUES (NEW.customer_id, NEW.currency, substr(NEW.issue_date, 1, 7), NEW.amount_cents)
  ON CONFLICT DO UPDATE SET cents = cents + excluded.cents;
END;
CREATE TRIGGER sales_invoices_update AFTER UPDATE OF customer_id, currency, issue_date, amount_cents ON invoices
WHEN (SELECT kept FROM sales_by_month_state)
BEGIN
  UPDATE sales_by_month SET cents = cents - OLD.amount_cents
  WHERE customer_id = OLD.customer_id AND currency = OLD.currency AND month = substr(OLD.issue_date, 1, 7);
  INSERT INTO sales_by_month (customer_id, currency, month, cents)
  VALUES (NEW.customer_id, NEW.currency, substr(NEW.issue_date, 1, 7), NEW.amount_cents)
  ON CONFLICT DO UPDATE SET cents = cents + excluded.cents;
END;
CREATE TRIGGER sales_invoices_delete AFTER DELETE ON invoices WHEN (SELECT kept FROM sales_by_month_state)
BEGIN
  UPDATE sales_by_month SET cents = cents - OLD.amount_cents
  WHERE customer_id = OLD.customer_id AND currency = OLD.currency AND month = substr(OLD.issue_date, 1, 7);
END;
