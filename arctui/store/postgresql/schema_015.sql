-- arctui schema 15 on PostgreSQL: applied_by_day kept by triggers, as SQLite's four.
CREATE FUNCTION applied_by_day_add(account bigint, applied text, amount bigint) RETURNS void LANGUAGE sql AS $$
  INSERT INTO applied_by_day AS a (customer_id, day, cents) SELECT account, applied, amount WHERE account IS NOT NULL
  ON CONFLICT (customer_id, day) DO UPDATE SET cents = a.cents + excluded.cents;
$$;

CREATE FUNCTION applied_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' AND OLD.kind = 'apply' AND OLD.invoice_id IS NOT NULL THEN
    UPDATE applied_by_day SET cents = cents - OLD.amount_cents
    WHERE day = OLD.applied_date AND customer_id = (SELECT customer_id FROM invoices WHERE id = OLD.invoice_id);
  END IF;
  IF TG_OP <> 'DELETE' AND NEW.kind = 'apply' AND NEW.invoice_id IS NOT NULL THEN
    PERFORM applied_by_day_add((SELECT customer_id FROM invoices WHERE id = NEW.invoice_id), NEW.applied_date,
                               NEW.amount_cents);
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER applied AFTER INSERT OR UPDATE OF invoice_id, kind, amount_cents, applied_date OR DELETE
  ON payment_applications FOR EACH ROW EXECUTE FUNCTION applied_kept();

-- an invoice moved to another account takes its applications along
CREATE FUNCTION applied_invoices_move() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM applied_by_day_add(OLD.customer_id, applied_date, CAST(-sum(amount_cents) AS bigint)) FROM payment_applications
  WHERE invoice_id = NEW.id AND kind = 'apply' GROUP BY applied_date;
  PERFORM applied_by_day_add(NEW.customer_id, applied_date, CAST(sum(amount_cents) AS bigint)) FROM payment_applications
  WHERE invoice_id = NEW.id AND kind = 'apply' GROUP BY applied_date;
  RETURN NULL;
END $$;
CREATE TRIGGER applied_invoices_move AFTER UPDATE OF customer_id ON invoices
  FOR EACH ROW WHEN (OLD.customer_id <> NEW.customer_id) EXECUTE FUNCTION applied_invoices_move();
