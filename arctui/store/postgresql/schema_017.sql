-- arctui schema 17 on PostgreSQL, after SQLite's schema_017.sql (translated: the score's generated
-- column reads the past due and the days since contact as their expressions, PostgreSQL's generated
-- columns reading no other). Its triggers: an account's facts follow its owner, name and credit limit
-- (and currency, as in 7); its owner's cadence and id are read by the facts of every account they own.
-- A save that writes these columns unchanged refreshes nothing (a trigger's WHEN compares them).
DROP TRIGGER facts_customers ON customers;
CREATE TRIGGER facts_customers AFTER INSERT OR DELETE ON customers
  FOR EACH ROW EXECUTE FUNCTION account_facts_touched();
CREATE TRIGGER facts_customers_update AFTER UPDATE OF currency, owner, name, credit_limit_cents ON customers
  FOR EACH ROW WHEN (OLD.currency IS DISTINCT FROM NEW.currency OR OLD.owner IS DISTINCT FROM NEW.owner
    OR OLD.name IS DISTINCT FROM NEW.name OR OLD.credit_limit_cents IS DISTINCT FROM NEW.credit_limit_cents)
  EXECUTE FUNCTION account_facts_touched();

CREATE FUNCTION account_facts_owner_touched() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (SELECT day FROM account_facts_state) IS NULL THEN
    RETURN NULL;
  END IF;
  PERFORM account_facts_refresh(ARRAY(SELECT id FROM customers WHERE owner IN (
    CASE WHEN TG_OP <> 'INSERT' THEN OLD.id END, CASE WHEN TG_OP <> 'DELETE' THEN NEW.id END)));
  RETURN NULL;
END $$;
CREATE TRIGGER facts_collectors AFTER INSERT OR DELETE ON collectors
  FOR EACH ROW EXECUTE FUNCTION account_facts_owner_touched();
CREATE TRIGGER facts_collectors_update AFTER UPDATE OF id, cadence_days ON collectors
  FOR EACH ROW WHEN (OLD.id IS DISTINCT FROM NEW.id OR OLD.cadence_days IS DISTINCT FROM NEW.cadence_days)
  EXECUTE FUNCTION account_facts_owner_touched();
