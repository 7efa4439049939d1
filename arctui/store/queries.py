"""Named read queries the queue, KPIs and reports rest on: aggregates computed in SQL.

Each takes ``:today`` (ISO date) so results never depend on the wall clock, and an optional
``:collector`` (NULL = the whole team).
"""
from arctui.domain.aging import BUCKETS, bucket_case_sql

MISSED_INSTALMENT_GRACE_DAYS = 3
BROKEN_PROMISE_LOOKBACK_DAYS = 30

_bucket_sums = ",\n    ".join(
    f"sum(CASE WHEN bucket = '{b}' THEN open_cents ELSE 0 END) AS [{b}]" for b in BUCKETS
)

# One row per account of the collector with an open balance, a due promise or a follow-up.
ACCOUNT_FACTS = f"""
WITH open_items AS (
  SELECT i.customer_id, i.open_cents, i.due_date,
         {bucket_case_sql('i.due_date', ':today')} AS bucket
  FROM customers c JOIN invoices i ON i.customer_id = c.id AND i.open_cents <> 0
  WHERE (:collector IS NULL OR c.owner = :collector)
),
aged AS (
  SELECT customer_id,
    {_bucket_sums},
    sum(open_cents) AS exposure,
    max(CAST(julianday(:today) - julianday(due_date) AS INTEGER)) AS oldest_days
  FROM open_items GROUP BY customer_id
)
SELECT c.id, c.account_no, c.name, c.region, c.status, c.owner, c.currency,
  c.credit_limit_cents, coalesce(col.cadence_days, 14) AS cadence_days,
  {", ".join(f"coalesce(a.[{b}], 0) AS [{b}]" for b in BUCKETS)},
  coalesce(a.exposure, 0) AS exposure, a.oldest_days,
  (SELECT max(t.at) FROM touchpoints t WHERE t.customer_id = c.id) AS last_contact,
  (SELECT t.follow_up_date FROM touchpoints t WHERE t.customer_id = c.id
     ORDER BY t.at DESC LIMIT 1) AS follow_up_date,
  op.promised_date AS promise_date, coalesce(op.amount_cents, 0) AS promise_cents,
  (SELECT coalesce(sum(p.amount_cents - p.paid_cents), 0) FROM promises p
     WHERE p.customer_id = c.id AND (
       (p.status = 'broken' AND p.resolved_date >= date(:today, '-{BROKEN_PROMISE_LOOKBACK_DAYS} days'))
       OR (p.status = 'open' AND date(p.promised_date, '+' || p.grace_days || ' days') < :today))
  ) AS broken_cents,
  (SELECT coalesce(sum(d.amount_cents), 0) FROM disputes d
     WHERE d.customer_id = c.id AND d.status = 'open') AS disputed_cents,
  mi.missed_cents, mi.missed_date
FROM customers c
LEFT JOIN aged a ON a.customer_id = c.id
LEFT JOIN collectors col ON col.id = c.owner
LEFT JOIN (
  SELECT customer_id, min(promised_date) AS promised_date, amount_cents
  FROM promises WHERE status = 'open' AND promised_date >= date(:today, '-30 days')
  GROUP BY customer_id
) op ON op.customer_id = c.id
LEFT JOIN (
  SELECT p.customer_id, sum(n.amount_cents - n.paid_cents) AS missed_cents,
         min(n.due_date) AS missed_date
  FROM payment_plans p JOIN plan_instalments n ON n.plan_id = p.id
  WHERE p.status = 'active' AND n.paid_cents < n.amount_cents
    AND n.due_date < date(:today, '-{MISSED_INSTALMENT_GRACE_DAYS} days')
  GROUP BY p.customer_id
) mi ON mi.customer_id = c.id
WHERE (:collector IS NULL OR c.owner = :collector)
  AND (a.customer_id IS NOT NULL OR op.customer_id IS NOT NULL OR mi.customer_id IS NOT NULL)
"""

# The bare aggregate the queue rests on (the benchmark's yardstick).
OPEN_AGING = f"""
SELECT i.customer_id, {', '.join(
    f"sum(CASE WHEN {bucket_case_sql('i.due_date', ':today')} = '{b}' THEN i.open_cents ELSE 0 END)"
    for b in BUCKETS)}
FROM customers c JOIN invoices i ON i.customer_id = c.id AND i.open_cents <> 0
WHERE (:collector IS NULL OR c.owner = :collector)
GROUP BY i.customer_id
"""
