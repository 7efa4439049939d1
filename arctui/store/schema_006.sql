-- arctui schema 6: contacts can be retired (kept for their history, no longer offered for email)
-- and an account has at most one primary contact. A book imported before this could hold two:
-- the one with the lowest id, the one email already picked, stays primary.
ALTER TABLE contacts ADD COLUMN retired_at TEXT;
UPDATE contacts SET is_primary = 0
WHERE is_primary <> 0
  AND id NOT IN (SELECT min(id) FROM contacts WHERE is_primary <> 0 GROUP BY customer_id);
CREATE UNIQUE INDEX contacts_one_primary ON contacts(customer_id) WHERE is_primary <> 0;
