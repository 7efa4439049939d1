-- arctui schema 20 on PostgreSQL: one audit chain per actor (SQLite's file says why). The check
-- reads and moves the actor's head in audit_chains, never the audit table itself: a SERIALIZABLE
-- read of audit's index would lock the index page every writer appends to, and two actors
-- appending at once would then conflict. Two appends of the same actor at once still conflict
-- on the actor's audit_chains row (SQLSTATE 40001, the loser retried): one of them only chains
-- to the other's row. Security definer: collectors may read the heads, not write them.
ALTER TABLE audit_chains SET (fillfactor = 20);  -- room on the page for each head's next version
CREATE FUNCTION audit_refuse_chain_start_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit is append-only: where its chains start cannot be changed';
END $$;
CREATE TRIGGER audit_chain_start_no_update BEFORE UPDATE OR DELETE ON audit_chain_start
  FOR EACH ROW EXECUTE FUNCTION audit_refuse_chain_start_change();
CREATE TRIGGER audit_chain_start_no_truncate BEFORE TRUNCATE ON audit_chain_start
  FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_chain_start_change();

DROP TRIGGER audit_append_at_head ON audit;
DROP FUNCTION audit_append_at_head();
CREATE FUNCTION audit_append_at_head() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT
AS $$
DECLARE
  start audit_chain_start;
  last_id bigint;
  last_hash text;
BEGIN
  SELECT * INTO start FROM audit_chain_start;
  SELECT c.last_id, c.hash INTO last_id, last_hash FROM audit_chains c WHERE c.actor = NEW.actor FOR UPDATE;
  IF NEW.id <= coalesce(last_id, start.after_id) OR NEW.prev_hash IS DISTINCT FROM coalesce(last_hash, start.head) THEN
    RAISE EXCEPTION 'audit is append-only: a new row must follow the last one and chain to its hash';
  END IF;
  IF last_id IS NULL THEN
    INSERT INTO audit_chains (actor, last_id, hash) VALUES (NEW.actor, NEW.id, NEW.hash);
  ELSE
    UPDATE audit_chains SET last_id = NEW.id, hash = NEW.hash WHERE actor = NEW.actor;
  END IF;
  RETURN NEW;
END $$;
REVOKE ALL ON FUNCTION audit_append_at_head() FROM PUBLIC;
CREATE TRIGGER audit_append_at_head BEFORE INSERT ON audit FOR EACH ROW EXECUTE FUNCTION audit_append_at_head();

-- An action's accounts' facts are refreshed just after it commits, not inside it: refreshing
-- reads every open invoice, promise, touchpoint and plan of the account, and SERIALIZABLE
-- would then find two actions on a small book's neighbouring accounts in conflict (their rows
-- share index pages). Inside an action (arctui.facts_later set by its transaction) the facts
-- triggers only note the accounts touched, with the session (no index: the note conflicts
-- with nothing); after COMMIT the session refreshes its accounts (account_facts_catch_up),
-- each under a lock of its own and READ COMMITTED, so the refresh sees every commit before
-- it, and the last refresh of an account sees the last change. Notes a session left when it
-- died between its commit and its refresh are caught up by the next one, or by a read.
-- Long writers (imports, rebuilds, migrations) run alone and refresh inside, as before.
CREATE TABLE account_facts_later (customer_id bigint NOT NULL, pid integer NOT NULL);

-- (one plan for the refresh, made once a session: planning the view's eighteen subqueries cost
-- twice as much as running them for one account)
CREATE OR REPLACE FUNCTION account_facts_refresh(ids bigint[]) RETURNS void LANGUAGE plpgsql
SET plan_cache_mode = force_generic_plan AS $$
BEGIN
  IF current_setting('arctui.facts_later', true) = 'on' THEN
    INSERT INTO account_facts_later (customer_id, pid)
    SELECT DISTINCT id, pg_backend_pid() FROM unnest(ids) AS id WHERE id IS NOT NULL;
    RETURN;
  END IF;
  DELETE FROM account_facts WHERE customer_id = ANY(ids);
  INSERT INTO account_facts SELECT * FROM account_facts_fresh WHERE customer_id = ANY(ids);
END $$;

-- the accounts noted by session ``session`` (NULL: by any), and those of sessions gone
CREATE FUNCTION account_facts_catch_up(session integer) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  account bigint;
  kept boolean := (SELECT day IS NOT NULL FROM account_facts_state);
BEGIN
  FOR account IN
    SELECT DISTINCT l.customer_id FROM account_facts_later l
    WHERE session IS NULL OR l.pid = session OR NOT EXISTS (SELECT FROM pg_stat_activity a WHERE a.pid = l.pid)
    ORDER BY 1
  LOOP
    PERFORM pg_advisory_xact_lock((1634886518::bigint << 32) | account);  -- one refresh of an account at a time
    DELETE FROM account_facts_later WHERE customer_id = account;
    IF kept THEN
      PERFORM account_facts_refresh(ARRAY[account]);
    END IF;
  END LOOP;
END $$;
