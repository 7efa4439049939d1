-- arctui schema 18 on PostgreSQL: credited_by_day and team_cash_by_day kept by PL/pgSQL twins of
-- SQLite's triggers (a posted memo counts on its posting day to its invoice's account and currency,
-- an applied amount on its day to its invoice's currency; an invoice moved to another account or
-- currency takes its memos and applications along).
CREATE FUNCTION team_cash_add(cash_kind text, cash_currency text, cash_day text, cash_cents bigint)
RETURNS void LANGUAGE sql AS $$
  INSERT INTO team_cash_by_day AS t (kind, currency, day, cents)
  SELECT cash_kind, cash_currency, cash_day, cash_cents WHERE cash_currency IS NOT NULL
  ON CONFLICT (kind, currency, day) DO UPDATE SET cents = t.cents + excluded.cents
$$;

-- a memo's cents, on its posting day, to its invoice's account and currency, and to the team's day
CREATE FUNCTION credited_add(memo_invoice bigint, memo_posted text, memo_cents bigint) RETURNS void LANGUAGE sql AS $$
  INSERT INTO credited_by_day AS k (customer_id, currency, day, cents)
  SELECT customer_id, currency, substr(memo_posted, 1, 10), memo_cents FROM invoices WHERE id = memo_invoice
  ON CONFLICT (customer_id, currency, day) DO UPDATE SET cents = k.cents + excluded.cents;
  SELECT team_cash_add('credited', currency, substr(memo_posted, 1, 10), memo_cents) FROM invoices WHERE id = memo_invoice;
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

CREATE FUNCTION team_cash_applied_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' AND OLD.kind = 'apply' AND OLD.invoice_id IS NOT NULL THEN
    PERFORM team_cash_add('applied', (SELECT currency FROM invoices WHERE id = OLD.invoice_id), OLD.applied_date,
                          -OLD.amount_cents);
  END IF;
  IF TG_OP <> 'DELETE' AND NEW.kind = 'apply' AND NEW.invoice_id IS NOT NULL THEN
    PERFORM team_cash_add('applied', (SELECT currency FROM invoices WHERE id = NEW.invoice_id), NEW.applied_date,
                          NEW.amount_cents);
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER team_cash_applied AFTER INSERT OR UPDATE OF invoice_id, kind, amount_cents, applied_date OR DELETE
  ON payment_applications FOR EACH ROW EXECUTE FUNCTION team_cash_applied_kept();

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

CREATE FUNCTION team_cash_invoices_currency() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM team_cash_add('applied', OLD.currency, applied_date, CAST(-sum(amount_cents) AS bigint)) FROM payment_applications
  WHERE invoice_id = NEW.id AND kind = 'apply' GROUP BY applied_date;
  PERFORM team_cash_add('applied', NEW.currency, applied_date, CAST(sum(amount_cents) AS bigint)) FROM payment_applications
  WHERE invoice_id = NEW.id AND kind = 'apply' GROUP BY applied_date;
  PERFORM team_cash_add('credited', OLD.currency, substr(posted_at, 1, 10), CAST(-sum(amount_cents) AS bigint)) FROM credit_memos
  WHERE invoice_id = NEW.id AND status = 'posted' AND posted_at IS NOT NULL GROUP BY substr(posted_at, 1, 10);
  PERFORM team_cash_add('credited', NEW.currency, substr(posted_at, 1, 10), CAST(sum(amount_cents) AS bigint)) FROM credit_memos
  WHERE invoice_id = NEW.id AND status = 'posted' AND posted_at IS NOT NULL GROUP BY substr(posted_at, 1, 10);
  RETURN NULL;
END $$;
CREATE TRIGGER team_cash_invoices_currency AFTER UPDATE OF currency ON invoices
  FOR EACH ROW WHEN (OLD.currency <> NEW.currency) EXECUTE FUNCTION team_cash_invoices_currency();
