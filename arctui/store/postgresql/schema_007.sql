-- arctui schema 7 on PostgreSQL: account_facts kept by triggers, as SQLite's (one trigger function,
-- one trigger per table instead of three; a trigger's WHEN may not read a table in PostgreSQL, so
-- the day is checked inside).
CREATE FUNCTION account_facts_refresh(ids bigint[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM account_facts WHERE customer_id = ANY(ids);
  INSERT INTO account_facts SELECT * FROM account_facts_fresh WHERE customer_id = ANY(ids);
END $$;

CREATE FUNCTION account_facts_touched() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  ids bigint[];
BEGIN
  IF (SELECT day FROM account_facts_state) IS NULL THEN
    RETURN NULL;
  END IF;
  IF TG_TABLE_NAME = 'customers' THEN
    IF TG_OP = 'DELETE' THEN
      DELETE FROM account_facts WHERE customer_id = OLD.id;
      RETURN NULL;
    END IF;
    ids := ARRAY[NEW.id];
  ELSIF TG_TABLE_NAME IN ('plan_instalments', 'plan_invoices') THEN
    ids := ARRAY(SELECT customer_id FROM payment_plans WHERE id IN (
      CASE WHEN TG_OP <> 'INSERT' THEN OLD.plan_id END, CASE WHEN TG_OP <> 'DELETE' THEN NEW.plan_id END));
  ELSIF TG_OP = 'INSERT' THEN
    ids := ARRAY[NEW.customer_id];
  ELSIF TG_OP = 'DELETE' THEN
    ids := ARRAY[OLD.customer_id];
  ELSE
    ids := ARRAY[OLD.customer_id, NEW.customer_id];
  END IF;
  PERFORM account_facts_refresh(ids);
  RETURN NULL;
END $$;

-- one trigger per table for its inserts, the updates of the columns the facts read, and its deletes
CREATE TRIGGER facts_customers AFTER INSERT OR UPDATE OF currency OR DELETE ON customers
  FOR EACH ROW EXECUTE FUNCTION account_facts_touched();
CREATE TRIGGER facts_invoices AFTER INSERT OR UPDATE OF customer_id, due_date, open_cents OR DELETE ON invoices
  FOR EACH ROW EXECUTE FUNCTION account_facts_touched();
CREATE TRIGGER facts_touchpoints AFTER INSERT OR UPDATE OF customer_id, at, follow_up_date OR DELETE ON touchpoints
  FOR EACH ROW EXECUTE FUNCTION account_facts_touched();
CREATE TRIGGER facts_promises AFTER INSERT
  OR UPDATE OF customer_id, amount_cents, paid_cents, promised_date, grace_days, status, created_at, resolved_date
  OR DELETE ON promises FOR EACH ROW EXECUTE FUNCTION account_facts_touched();
CREATE TRIGGER facts_payments AFTER INSERT OR UPDATE OF customer_id, received_date, currency, state OR DELETE ON payments
  FOR EACH ROW EXECUTE FUNCTION account_facts_touched();
CREATE TRIGGER facts_disputes AFTER INSERT OR UPDATE OF customer_id, amount_cents, status OR DELETE ON disputes
  FOR EACH ROW EXECUTE FUNCTION account_facts_touched();
CREATE TRIGGER facts_payment_plans AFTER INSERT OR UPDATE OF customer_id, status OR DELETE ON payment_plans
  FOR EACH ROW EXECUTE FUNCTION account_facts_touched();
CREATE TRIGGER facts_plan_instalments AFTER INSERT OR UPDATE OF plan_id, due_date, amount_cents, paid_cents OR DELETE
  ON plan_instalments FOR EACH ROW EXECUTE FUNCTION account_facts_touched();
CREATE TRIGGER facts_plan_invoices AFTER INSERT OR DELETE ON plan_invoices FOR EACH ROW EXECUTE FUNCTION account_facts_touched();
