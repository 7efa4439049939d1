-- arctui on PostgreSQL: who may do what, enforced by the server. Applied by the book's owner
-- (the role that runs `arctui migrate`/`init`; it needs CREATEROLE) after every migration:
-- every statement may run again.
--
-- The owner owns every table, trigger and function; only an owner (or a superuser) may drop or
-- disable a trigger. Each collector logs in as their own role (peer or password authentication),
-- a member of the group role arctui_collectors, which may read and write the book's tables
-- but never update, delete or truncate the audit trail. The acting login is session_user: an
-- audit row a collector's session appends names that collector and nobody else.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'arctui_collectors') THEN
        CREATE ROLE arctui_collectors NOLOGIN;
    END IF;
    -- TEMPORARY: an import stages its rows in temporary tables (store/bulk.py)
    EXECUTE format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO arctui_collectors', current_database());
END
$$;

GRANT USAGE ON SCHEMA public TO arctui_collectors;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO arctui_collectors;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO arctui_collectors;
REVOKE UPDATE, DELETE, TRUNCATE ON audit FROM arctui_collectors;
-- each actor's chain head and where the chains start: moved by audit's own trigger only (schema 20)
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON audit_chains, audit_chain_start FROM arctui_collectors;
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON arctui_schema FROM arctui_collectors;  -- the migrations' record
REVOKE CREATE ON SCHEMA public FROM PUBLIC;

-- A collector's session appends audit rows in its own name only (the owner's and a superuser's,
-- a migration's or an administrator's, may name anyone, as root may on a SQLite book).
CREATE OR REPLACE FUNCTION arctui_audit_actor_is_session_user() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.actor IS DISTINCT FROM session_user::text AND EXISTS (
        SELECT FROM pg_auth_members m
        JOIN pg_roles g ON g.oid = m.roleid
        JOIN pg_roles u ON u.oid = m.member
        WHERE g.rolname = 'arctui_collectors' AND u.rolname = session_user
    ) THEN
        RAISE EXCEPTION 'audit: % is connected as %, and records actions as % only', session_user, session_user,
            session_user USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END
$$;
DROP TRIGGER IF EXISTS audit_actor_is_session_user ON audit;
CREATE TRIGGER audit_actor_is_session_user BEFORE INSERT ON audit
    FOR EACH ROW EXECUTE FUNCTION arctui_audit_actor_is_session_user();

-- A collector added to the team (`arctui team save`, `arctui init --manager`) gets a login role
-- in the group, in the same transaction; one deactivated can no longer log in. Runs with the
-- owner's rights (SECURITY DEFINER), so collectors need no CREATEROLE. A role that is a
-- superuser (an administrator who is also in the team) is left as it is.
CREATE OR REPLACE FUNCTION arctui_collector_role() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = NEW.id AND rolsuper) THEN
        RETURN NEW;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = NEW.id) THEN
        BEGIN
            EXECUTE format('CREATE ROLE %I LOGIN', NEW.id);
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL;  -- made a moment ago by another book's transaction on this server: roles are server-wide
        END;
    END IF;
    EXECUTE format('GRANT arctui_collectors TO %I', NEW.id);
    -- only when it changes: from PostgreSQL 16 altering a role needs ADMIN OPTION on it, which the owner
    -- has on the roles it made, not on one an administrator made beforehand
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = NEW.id AND rolcanlogin = (NEW.active = 0)) THEN
        EXECUTE format('ALTER ROLE %I %s', NEW.id, CASE WHEN NEW.active = 0 THEN 'NOLOGIN' ELSE 'LOGIN' END);
    END IF;
    RETURN NEW;
END
$$;
REVOKE ALL ON FUNCTION arctui_collector_role() FROM PUBLIC;
DROP TRIGGER IF EXISTS collectors_have_roles ON collectors;
CREATE TRIGGER collectors_have_roles AFTER INSERT OR UPDATE OF active ON collectors
    FOR EACH ROW EXECUTE FUNCTION arctui_collector_role();
