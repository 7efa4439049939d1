-- arctui schema 14 on PostgreSQL: sales_by_month kept by one trigger, as by SQLite's three (while an
-- import merges, sales_by_month_state.kept = 0, the trigger stands aside).
CREATE FUNCTION sales_invoices_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (SELECT kept FROM sales_by_month_state) = 0 THEN
    RETURN NULL;
  END IF;
  IF TG_OP <> 'INSERT' THEN
    UPDATE sales_by_month SET cents = cents - OLD.amount_cents
    WHERE customer_id = OLD.customer_id AND currency = OLD.currency AND month = substr(OLD.issue_date, 1, 7);
  END IF;
  IF TG_OP <> 'DELETE' THEN
    INSERT INTO sales_by_month AS s (customer_id, currency, month, cents)
    VALUES (NEW.customer_id, NEW.currency, substr(NEW.issue_date, 1, 7), NEW.amount_cents)
    ON CONFLICT (customer_id, currency, month) DO UPDATE SET cents = s.cents + excluded.cents;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER sales_invoices AFTER INSERT OR UPDATE OF customer_id, currency, issue_date, amount_cents OR DELETE
  ON invoices FOR EACH ROW EXECUTE FUNCTION sales_invoices_kept();
