-- arctui schema 18 on PostgreSQL: credited_by_day kept by two trigger functions, as by SQLite's four
-- triggers (a posted memo counts on its posting day to its invoice's account and currency; an
-- invoice moved to another account or currency takes its memos along).
CREATE FUNCTION credited_add(memo_invoice bigint, memo_posted text, memo_cents bigint) RETURNS void LANGUAGE sql AS $$
  INSERT INTO credited_by_day AS k (customer_id, currency, day, cents)
  SELECT customer_id, currency, substr(memo_posted, 1, 10), memo_cents FROM invoices WHERE id = memo_invoice
  ON CONFLICT (customer_id, currency, day) DO UPDATE SET cents = k.cents + excluded.cents
$$;

CREATE FUNCTION credited_memos_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' AND OLD.status = 'posted' AND OLD.posted_at IS NOT NULL THEN
    PERFORM credited_add(OLD.invoice_id, OLD.posted_at, -OLD.amount_cents);
  END IF;
  IF TG_OP <> 'DELETE' AND NEW.status = 'posted' AND NEW.posted_at IS NOT NULL THEN
    PERFORM credited_add(NEW.invoice_id, NEW.posted_at, NEW.amount_cents);
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER credited_memos AFTER INSERT OR UPDATE OF status, posted_at, amount_cents, invoice_id OR DELETE
  ON credit_memos FOR EACH ROW EXECUTE FUNCTION credited_memos_kept();

CREATE FUNCTION credited_invoices_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO credited_by_day AS k (customer_id, currency, day, cents)
  SELECT OLD.customer_id, OLD.currency, substr(posted_at, 1, 10), -sum(amount_cents) FROM credit_memos
  WHERE invoice_id = NEW.id AND status = 'posted' AND posted_at IS NOT NULL GROUP BY 3
  ON CONFLICT (customer_id, currency, day) DO UPDATE SET cents = k.cents + excluded.cents;
  INSERT INTO credited_by_day AS k (customer_id, currency, day, cents)
  SELECT NEW.customer_id, NEW.currency, substr(posted_at, 1, 10), sum(amount_cents) FROM credit_memos
  WHERE invoice_id = NEW.id AND status = 'posted' AND posted_at IS NOT NULL GROUP BY 3
  ON CONFLICT (customer_id, currency, day) DO UPDATE SET cents = k.cents + excluded.cents;
  RETURN NULL;
END $$;
CREATE TRIGGER credited_invoices_move AFTER UPDATE OF customer_id, currency ON invoices
  FOR EACH ROW WHEN (OLD.customer_id <> NEW.customer_id OR OLD.currency <> NEW.currency)
  EXECUTE FUNCTION credited_invoices_moved();
