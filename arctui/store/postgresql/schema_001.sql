-- arctui schema 1 on PostgreSQL, after SQLite's schema_001.sql (translated, its triggers left out).
-- The schema version (SQLite keeps it in PRAGMA user_version).
CREATE TABLE arctui_schema (id integer PRIMARY KEY CHECK (id = 1), version integer NOT NULL);

-- SQLite's functions our SQL uses that PostgreSQL lacks or names otherwise, with SQLite's
-- answers: dates are ISO text in, ISO text out (dialect.translate calls date() sqlite_date()).
CREATE FUNCTION sqlite_date(day text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT to_char(CAST(substr(day, 1, 10) AS date), 'YYYY-MM-DD') $$;
-- one modifier such as '+3 days', '-1 month', '-1 year' (PostgreSQL's interval reads them all)
CREATE FUNCTION sqlite_date(day text, modifier text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT to_char(CAST(substr(day, 1, 10) AS date) + CAST(modifier AS interval), 'YYYY-MM-DD') $$;
CREATE FUNCTION julianday(moment text) RETURNS double precision LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT CAST(extract(epoch FROM CAST(replace(rtrim(moment, 'Z'), 'T', ' ') AS timestamp)) AS double precision)
             / 86400 + 2440587.5 $$;
-- printf('%06d', n): the zero-padded numbers (credit memos)
CREATE FUNCTION printf(format text, n bigint) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT CASE WHEN format ~ '^%0[0-9]+d$'
                  THEN lpad(CAST(n AS text), greatest(length(CAST(n AS text)), CAST(substring(format FROM '[0-9]+') AS integer)), '0')
                  WHEN format = '%d' THEN CAST(n AS text) END $$;
-- GLOB's pattern (* any text, ? one character, [...] one of a set, [^...] one outside it, all
-- case-sensitive) as an anchored regular expression: dialect.translate writes GLOB as ~
CREATE FUNCTION sqlite_glob(pattern text) RETURNS text LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
  result text := '^';
  i integer := 1;
  c text;
  body integer;
  closing integer;
BEGIN
  WHILE i <= length(pattern) LOOP
    c := substr(pattern, i, 1);
    IF c = '*' THEN
      result := result || '.*';
    ELSIF c = '?' THEN
      result := result || '.';
    ELSIF c = '[' THEN
      -- a ']' right after '[' or '[^' is one of the set's characters, as in a POSIX bracket expression
      body := i + 1 + CASE WHEN substr(pattern, i + 1, 1) = '^' THEN 1 ELSE 0 END;
      closing := strpos(substr(pattern, body + 1), ']');
      IF closing = 0 THEN
        RETURN 'x^';  -- a set never closed matches nothing (SQLite's answer)
      ELSE
        closing := body + closing;
        result := result || substr(pattern, i, closing - i + 1);
        i := closing;
      END IF;
    ELSE
      result := result || CASE WHEN c ~ '[[:alnum:]]' THEN c ELSE '\' || c END;
    END IF;
    i := i + 1;
  END LOOP;
  RETURN result || '$';
END $$;
-- sum(condition): SQLite's booleans are integers, so a sum of conditions counts them
CREATE FUNCTION sqlite_sum_true(total bigint, condition boolean) RETURNS bigint LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT CASE WHEN condition IS NULL THEN total ELSE coalesce(total, 0) + CAST(condition AS integer) END $$;
CREATE AGGREGATE sum(boolean) (SFUNC = sqlite_sum_true, STYPE = bigint);
-- json_extract(document, '$."payments/12".park_note'): SQLite's path is an SQL/JSON path
CREATE FUNCTION json_extract(document text, path text) RETURNS jsonb LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT jsonb_path_query_first(CAST(document AS jsonb), CAST(path AS jsonpath)) $$;
-- COLLATE NOCASE (chart codes, memo numbers): equal whatever the case
CREATE COLLATION nocase (provider = icu, locale = 'und-u-ks-level2', deterministic = false);

-- The audit trail is append-only. TRUNCATE fires no row trigger: it is refused too.
CREATE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit is append-only: rows cannot be %',
    CASE TG_OP WHEN 'UPDATE' THEN 'changed' ELSE 'deleted' END;
END $$;
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();

-- Who holds the book's write lock and what they are doing (a long writer: an import, a dunning
-- run, a migration), for a writer that waited in vain: SQLite's note beside the file. Written
-- outside the writer's transaction, so that others see it; believed only while that backend
-- holds the lock (arctui.store.postgresql.transactions).
CREATE TABLE arctui_writer (id integer PRIMARY KEY CHECK (id = 1), login text, pid integer, what text, since text);
INSERT INTO arctui_writer (id) VALUES (1);
