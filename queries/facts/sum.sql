-- Add the stored facts of the leads @these_leads picks to fact_totals, per (campaign, stage),
-- times $sign: +1 adds them (a restamp, or a lead's new facts), -1 takes a lead's old
-- facts back out before they are replaced. Rows are appended, never updated.
INSERT INTO fact_totals
SELECT
    campaign_id, stage,
    $sign * count(*),
    $sign * count(*) FILTER (WHERE mql),
    $sign * count(*) FILTER (WHERE accepted),
    $sign * sum(open_amount),
    $sign * sum(won_amount),
    $sign * sum(disputes),
    $sign * sum(quality_disputes)
FROM lead_facts
WHERE @these_leads
GROUP BY ALL
