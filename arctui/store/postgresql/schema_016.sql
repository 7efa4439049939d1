-- arctui schema 16 on PostgreSQL: the sales trigger keeps sales_by_day too, and while an import
-- merges (kept = 0) only the row-by-row insert stands aside (as SQLite's schema 16).
CREATE OR REPLACE FUNCTION sales_invoices_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' AND (SELECT kept FROM sales_by_month_state) = 0 THEN
    RETURN NULL;
  END IF;
  IF TG_OP <> 'INSERT' THEN
    UPDATE sales_by_month SET cents = cents - OLD.amount_cents
    WHERE customer_id = OLD.customer_id AND currency = OLD.currency AND month = substr(OLD.issue_date, 1, 7);
    UPDATE sales_by_day SET cents = cents - OLD.amount_cents WHERE currency = OLD.currency AND day = OLD.issue_date;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    INSERT INTO sales_by_month AS s (customer_id, currency, month, cents)
    VALUES (NEW.customer_id, NEW.currency, substr(NEW.issue_date, 1, 7), NEW.amount_cents)
    ON CONFLICT (customer_id, currency, month) DO UPDATE SET cents = s.cents + excluded.cents;
    INSERT INTO sales_by_day AS s (currency, day, cents) VALUES (NEW.currency, NEW.issue_date, NEW.amount_cents)
    ON CONFLICT (currency, day) DO UPDATE SET cents = s.cents + excluded.cents;
  END IF;
  RETURN NULL;
END $$;
