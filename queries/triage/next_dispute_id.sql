-- Disputes have no sequence: the next id under the write transaction's lock.
SELECT coalesce(max(dispute_id), 0) + 1 AS dispute_id FROM disputes
