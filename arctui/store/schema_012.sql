-- arctui schema 12 (issue 14, item 2): accounts suspended or with outside collections before
-- escalations needed a decision (schema 10) get that escalation as approved and in force, so
-- it can be reinstated like any other. It is dated and signed by the account's latest
-- escalation event of that kind, if any; the status before it is taken to be active.
INSERT INTO escalations (customer_id, kind, step, status, note, recommended_by, recommended_at,
                         decided_by, decided_at, decision_note, status_before)
SELECT c.id, k.kind, 'escalate', 'approved',
       coalesce(e.note, 'in force before escalations were decided'),
       coalesce(e.by, c.owner, 'arctui'), coalesce(e.at, c.updated_at, c.created_at, '1970-01-01T00:00:00Z'),
       coalesce(e.by, c.owner, 'arctui'), coalesce(e.at, c.updated_at, c.created_at, '1970-01-01T00:00:00Z'),
       'in force before escalations needed a decision (schema 12)', 'active'
FROM customers c
JOIN (SELECT 'suspended' AS status, 'suspension' AS kind
      UNION ALL SELECT 'outside_collections', 'outside_collections') k ON k.status = c.status
LEFT JOIN account_events e ON e.id = (SELECT max(x.id) FROM account_events x
                                      WHERE x.customer_id = c.id AND x.kind = 'escalation' AND x.detail = k.kind)
WHERE NOT EXISTS (SELECT 1 FROM escalations z WHERE z.customer_id = c.id AND z.kind = k.kind
                  AND z.step = 'escalate' AND z.status = 'approved');
