-- arctui schema 16: sales_by_day, the whole team's credit sales per currency and issue day (the
-- team's KPIs read their periods and months from it: a few hundred rows, not the invoices), kept
-- by the same triggers as sales_by_month (schema 14). While an import merges (kept = 0) only the
-- row-by-row insert stands aside: its new invoices are added in one statement at its end
-- (arctui.store.sales.set_aside), an update or delete is still kept as it happens.
CREATE TABLE sales_by_day (
    currency TEXT NOT NULL,
    day TEXT NOT NULL,                   -- the issue date
    cents INTEGER NOT NULL,
    PRIMARY KEY (currency, day)
);

INSERT INTO sales_by_day (currency, day, cents) SELECT currency, issue_date, sum(amount_cents) FROM invoices GROUP BY 1, 2;

DROP INDEX sales_by_month_team;  -- the team reads sales_by_day
DROP TRIGGER sales_invoices_insert;
DROP TRIGGER sales_invoices_update;
DROP TRIGGER sales_invoices_delete;

CREATE TRIGGER sales_invoices_insert AFTER INSERT ON invoices WHEN (SELECT kept FROM sales_by_month_state)
BEGIN
  INSERT INTO sales_by_month (customer_id, currency, month, cents)
  VALUES (NEW.customer_id, NEW.currency, substr(NEW.issue_date, 1, 7), NEW.amount_cents)
  ON CONFLICT DO UPDATE SET cents = cents + excluded.cents;
  INSERT INTO sales_by_day (currency, day, cents) VALUES (NEW.currency, NEW.issue_date, NEW.amount_cents)
  ON CONFLICT DO UPDATE SET cents = cents + excluded.cents;
END;
CREATE TRIGGER sales_invoices_update AFTER UPDATE OF customer_id, currency, issue_date, amount_cents ON invoices
BEGIN
  UPDATE sales_by_month SET cents = cents - OLD.amount_cents
  WHERE customer_id = OLD.customer_id AND currency = OLD.currency AND month = substr(OLD.issue_date, 1, 7);
  INSERT INTO sales_by_month (customer_id, currency, month, cents)
  VALUES (NEW.customer_id, NEW.currency, substr(NEW.issue_date, 1, 7), NEW.amount_cents)
  ON CONFLICT DO UPDATE SET cents = cents + excluded.cents;
  UPDATE sales_by_day SET cents = cents - OLD.amount_cents WHERE currency = OLD.currency AND day = OLD.issue_date;
  INSERT INTO sales_by_day (currency, day, cents) VALUES (NEW.currency, NEW.issue_date, NEW.amount_cents)
  ON CONFLICT DO UPDATE SET cents = cents + excluded.cents;
END;
CREATE TRIGGER sales_invoices_delete AFTER DELETE ON invoices
BEGIN
  UPDATE sales_by_month SET cents = cents - OLD.amount_cents
  WHERE customer_id = OLD.customer_id AND currency = OLD.currency AND month = substr(OLD.issue_date, 1, 7);
  UPDATE sales_by_day SET cents = cents - OLD.amount_cents WHERE currency = OLD.currency AND day = OLD.issue_date;
END;
