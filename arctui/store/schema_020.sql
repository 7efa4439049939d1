-- arctui schema 20 (issue 15): one audit hash chain per actor instead of one for the whole book,
-- so that PostgreSQL's writers append side by side. From here a new row chains to the last row of
-- its own actor (audit_chains keeps each actor's head, moved by the trigger below); an actor's
-- first row chains to the head the book's single chain had when this migration ran
-- (audit_chain_start: the rows up to after_id keep verifying as the one chain they were). The
-- order between two actors' rows is not chained: each row's time is in its hash. What a trigger
-- cannot stop (someone who drops the triggers and truncates a chain) is caught by an anchor that
-- keeps every chain's head: `arctui audit head` / `audit verify --anchor`.
CREATE TABLE audit_chain_start (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    after_id INTEGER NOT NULL,
    head TEXT NOT NULL
);
INSERT INTO audit_chain_start (id, after_id, head)
SELECT 1, ifnull(max(id), 0),
       ifnull((SELECT hash FROM audit ORDER BY id DESC LIMIT 1),
              '0000000000000000000000000000000000000000000000000000000000000000')
FROM audit;
CREATE TABLE audit_chains (
    actor TEXT PRIMARY KEY,
    last_id INTEGER NOT NULL,
    hash TEXT NOT NULL
);
CREATE TRIGGER audit_chain_start_no_update BEFORE UPDATE ON audit_chain_start
BEGIN SELECT RAISE(ABORT, 'audit is append-only: where its chains start cannot be changed'); END;
CREATE TRIGGER audit_chain_start_no_delete BEFORE DELETE ON audit_chain_start
BEGIN SELECT RAISE(ABORT, 'audit is append-only: where its chains start cannot be changed'); END;
DROP TRIGGER audit_append_at_head;
CREATE TRIGGER audit_append_at_head BEFORE INSERT ON audit
WHEN (NEW.id <> -1 AND NEW.id <= (SELECT ifnull(max(id), 0) FROM audit))
  OR NEW.prev_hash IS NOT ifnull((SELECT hash FROM audit_chains WHERE actor = NEW.actor),
                                 (SELECT head FROM audit_chain_start))
BEGIN SELECT RAISE(ABORT, 'audit is append-only: a new row must follow the last one and chain to its hash'); END;
CREATE TRIGGER audit_chain_moves AFTER INSERT ON audit
BEGIN
    INSERT INTO audit_chains (actor, last_id, hash) VALUES (NEW.actor, NEW.id, NEW.hash)
    ON CONFLICT (actor) DO UPDATE SET last_id = excluded.last_id, hash = excluded.hash;
END;
