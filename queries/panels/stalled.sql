-- Stalled panel, the totals: how many leads are past an SLA deadline (their own, or an
-- open deal's) and the open deal value at risk. A lead is stalled when its stall_at is
-- strictly before now, so one exactly at its threshold is not. From lead_facts
-- (migration 009; the caller ran facts.prepare).
SELECT count(*) AS total, coalesce(sum(open_amount), 0) AS total_amount
FROM lead_facts
WHERE stall_at < $now
