-- Demo step 1: the people and campaigns the story is about. Variables: seed, n, now.
CREATE OR REPLACE TEMP MACRO rnd(i, k) AS
    (hash(i, k, getvariable('seed')) % 1000003)::DOUBLE / 1000003.0;

INSERT INTO people (person_id, name, email, team, title) VALUES
    (1,  'Maya Chen',     'maya.chen@example.com',     'marketing', 'Demand Generation'),
    (2,  'Omar Haddad',   'omar.haddad@example.com',   'marketing', 'Field Marketing'),
    (3,  'Priya Raman',   'priya.raman@example.com',   'marketing', 'Content & Webinars'),
    (4,  'Lena Vogel',    'lena.vogel@example.com',    'marketing', 'Marketing Ops'),
    (11, 'Dana Brooks',   'dana.brooks@example.com',   'sales',     'Account Executive'),
    (12, 'Marcus Webb',   'marcus.webb@example.com',   'sales',     'Account Executive'),
    (13, 'Sofia Alvarez', 'sofia.alvarez@example.com', 'sales',     'Account Executive'),
    (14, 'Tom Rourke',    'tom.rourke@example.com',    'sales',     'Account Executive'),
    (15, 'Aisha Khan',    'aisha.khan@example.com',    'sales',     'SDR'),
    (16, 'Jonas Berg',    'jonas.berg@example.com',    'sales',     'SDR'),
    (21, 'Riley Park',    'riley.park@example.com',    'revops',    'RevOps Lead');

-- quality: chance a lead is genuinely good; [lo, hi): share of lead volume (bounds are
-- whole percentages, so step 2 can look a lead's campaign up by percentile, no join).
CREATE OR REPLACE TEMP TABLE demo_campaigns AS
SELECT * FROM (VALUES
    (1, 'Partner referrals',          'partner',     1, 0.88, 0.00, 0.06,  12000),
    (2, 'Webinar: Pipeline Math',     'webinar',     3, 0.70, 0.06, 0.20,  18000),
    (3, 'Trade show badge scans',     'event',       2, 0.12, 0.20, 0.38,  65000),
    (4, 'Paid social: RevOps ebook',  'paid_social', 1, 0.35, 0.38, 0.60,  42000),
    (5, 'Organic search',             'organic',     3, 0.60, 0.60, 0.76,   8000),
    (6, 'Outbound SDR sequence',      'outbound',    4, 0.50, 0.76, 0.86,  25000),
    (7, 'Review sites',               'review',      1, 0.66, 0.86, 0.94,  15000),
    (8, 'Product-led signups',        'product',     4, 0.45, 0.94, 1.01,   5000)
) AS t(campaign_id, name, channel, owner_id, quality, lo, hi, spend);

INSERT INTO campaigns (campaign_id, name, channel, owner_id, started_on, ended_on, spend)
SELECT campaign_id, name, channel, owner_id,
       (getvariable('now')::TIMESTAMP - INTERVAL 200 DAY)::DATE,
       NULL,
       -- spend scales with volume so cost per lead stays believable at any size
       round(spend::DOUBLE * getvariable('n') / 5000.0, 2)
FROM demo_campaigns;

-- Step 2 picks each lead's campaign from these lists instead of a range join to the
-- table: campaign_by_pct[1 + floor(u * 100)] is the campaign whose [lo, hi) holds u.
SET VARIABLE campaign_by_pct = (
    SELECT list(campaign_id ORDER BY pct)
    FROM (SELECT campaign_id, unnest(range((lo * 100)::INTEGER, (hi * 100)::INTEGER)) AS pct
          FROM demo_campaigns)
);
SET VARIABLE campaign_quality = (SELECT list(quality ORDER BY campaign_id) FROM demo_campaigns);
