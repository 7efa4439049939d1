-- arctui schema 3 on PostgreSQL: the audit trail grows only at its head (SQLite's two triggers in
-- one: PostgreSQL gives a new row its id before BEFORE INSERT triggers run).
CREATE FUNCTION audit_append_at_head() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  last_id bigint;
  last_hash text;
BEGIN
  SELECT id, hash INTO last_id, last_hash FROM audit ORDER BY id DESC LIMIT 1;
  IF NEW.id <= coalesce(last_id, 0) OR NEW.prev_hash IS DISTINCT FROM coalesce(last_hash, repeat('0', 64)) THEN
    RAISE EXCEPTION 'audit is append-only: a new row must follow the last one and chain to its hash';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER audit_append_at_head BEFORE INSERT ON audit FOR EACH ROW EXECUTE FUNCTION audit_append_at_head();
