-- arctui schema 3: the audit trail grows only at its head. A new row must come after the last
-- one (an id, when given, above every id there is) and chain to it (prev_hash: the last row's
-- hash, or the genesis hash in an empty trail). This refuses `INSERT OR REPLACE` over an
-- existing row, whose implicit delete never fires audit_no_delete, and a row slipped in
-- anywhere but at the end. What a trigger cannot stop (someone who drops the triggers) is
-- caught by the anchor kept outside the file: `arctui audit head` / `audit verify --anchor`.
CREATE TRIGGER audit_append_at_head BEFORE INSERT ON audit
WHEN (NEW.id <> -1 AND NEW.id <= (SELECT ifnull(max(id), 0) FROM audit))
  OR NEW.prev_hash IS NOT ifnull(
       (SELECT hash FROM audit ORDER BY id DESC LIMIT 1),
       '0000000000000000000000000000000000000000000000000000000000000000')
BEGIN SELECT RAISE(ABORT, 'audit is append-only: a new row must follow the last one and chain to its hash'); END;
-- an id of -1 looks unset to the trigger above (SQLite's NEW.id before a rowid is chosen):
-- checked once the row is in
CREATE TRIGGER audit_last_row_is_new AFTER INSERT ON audit
WHEN NEW.id < (SELECT max(id) FROM audit)
BEGIN SELECT RAISE(ABORT, 'audit is append-only: a new row must follow the last one and chain to its hash'); END;
