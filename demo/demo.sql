-- demo/demo.sql - what buyerjourney does, on the bundled sample data.
-- Run by scripts/demo in a fresh database; psql variable :data is the folder
-- holding deals.csv and customers.csv.
\set ON_ERROR_STOP on
\pset footer off
\pset null '-'
SET client_min_messages = warning;

CREATE EXTENSION buyerjourney;
\cd :data

\echo
\echo '== 1. Two types, one byte each. The journey stages, in the model''s order:'
SELECT * FROM journey_stages();
\echo '   ...and the customer lifecycle phases:'
SELECT * FROM lifecycle_phases();

\echo '== 2. Loading a CRM export whose offices spell stages differently'
\echo '   (English in any case, full-width forms, Simplified and Traditional Chinese):'
CREATE TABLE deals_raw (deal_id int, account text, region text, owner text, process text,
                        amount numeric(12, 2), opened_on date, stage text);
\copy deals_raw FROM 'deals.csv' WITH (FORMAT csv, HEADER true)
SELECT stage AS as_exported, stage::journey_stage AS stored, count(*)
  FROM deals_raw GROUP BY 1, 2 ORDER BY 2, 3 DESC, 1 LIMIT 12;

CREATE TABLE deals (
	deal_id int PRIMARY KEY,
	account text NOT NULL,
	region text NOT NULL,
	owner text NOT NULL,
	process text NOT NULL,
	amount numeric(12, 2) NOT NULL,
	opened_on date NOT NULL,
	stage journey_stage NOT NULL
);
INSERT INTO deals SELECT deal_id, account, region, owner, process, amount, opened_on, stage::journey_stage
  FROM deals_raw;
CREATE INDEX deals_stage_idx ON deals (stage);
ANALYZE deals;

\echo '== 3. The pipeline by stage, ordered by the journey, labelled for the Taipei office:'
SELECT stage, label(stage, 'zh-TW') AS "zh-TW", label(stage, 'zh-CN') AS "zh-CN",
       count(*) AS deals, sum(amount) AS amount
  FROM deals GROUP BY stage ORDER BY stage;

\echo '== 4. Outcomes: win rate = won / closed; no-decision and loss reported apart (seed 002):'
SELECT region,
       count(*) FILTER (WHERE is_open(stage)) AS open,
       count(*) FILTER (WHERE is_won(stage)) AS won,
       count(*) FILTER (WHERE stage = 'lost') AS lost,
       count(*) FILTER (WHERE stage = 'no_decision') AS no_decision,
       round(100.0 * count(*) FILTER (WHERE is_won(stage)) / nullif(count(*) FILTER (WHERE is_closed(stage)), 0), 1) AS win_pct,
       round(100.0 * count(*) FILTER (WHERE stage = 'no_decision') / nullif(count(*) FILTER (WHERE is_closed(stage)), 0), 1) AS no_decision_pct
  FROM deals GROUP BY ROLLUP (region) ORDER BY region NULLS LAST;

\echo '== 5. Range queries follow the model order: open deals past define,'
\echo '   with the next stage each should reach:'
SELECT deal_id, account, owner, amount, stage, next_stage(stage) AS next
  FROM deals WHERE stage > 'define' AND stage < 'realize'
 ORDER BY stage DESC, amount DESC LIMIT 10;

\echo '== 6. Customers by lifecycle phase (active = introduction, growth, maturity):'
CREATE TABLE customers (
	customer_id int PRIMARY KEY,
	account text NOT NULL,
	region text NOT NULL,
	since date NOT NULL,
	annual_revenue numeric(12, 2) NOT NULL,
	phase lifecycle_phase NOT NULL
);
CREATE TEMP TABLE customers_raw (LIKE customers);
ALTER TABLE customers_raw ALTER COLUMN phase TYPE text;
\copy customers_raw FROM 'customers.csv' WITH (FORMAT csv, HEADER true)
INSERT INTO customers SELECT customer_id, account, region, since, annual_revenue, phase::lifecycle_phase
  FROM customers_raw;
SELECT phase, label(phase, 'zh-Hans') AS "zh-Hans", is_active(phase) AS active,
       count(*) AS customers, sum(annual_revenue) AS revenue,
       round(100.0 * count(*) / sum(count(*)) OVER (), 1) AS pct
  FROM customers GROUP BY phase ORDER BY phase;

\echo '== 7. Bad input is refused with SQLSTATE 22P02 and a list of what is valid:'
\set ON_ERROR_STOP off
SELECT 'qualified'::journey_stage;
\set ON_ERROR_STOP on

\echo '== 8. Storage: one byte per value, versus the text it replaces:'
SELECT pg_column_size('no_decision'::journey_stage) AS journey_stage_bytes,
       pg_column_size('no_decision'::text) AS text_bytes,
       pg_size_pretty(pg_relation_size('deals_stage_idx')) AS stage_index_size;

\echo '== 9. The sales process, enforced: each deal follows its own process (column "process"),'
\echo '   and every accepted change lands in a history table.'
SELECT create_history_table('deal_history') AS history_table;
CREATE TRIGGER deals_stage_guard AFTER INSERT OR UPDATE ON deals FOR EACH ROW
	EXECUTE FUNCTION enforce_transitions('column=stage', 'process_column=process', 'history=deal_history');
\echo '   Deal 4 (complex process) tries to jump from explore to decide:'
\set ON_ERROR_STOP off
UPDATE deals SET stage = 'decide' WHERE deal_id = 4;
\set ON_ERROR_STOP on
\echo '   A transactional deal may skip ahead; complex deals move one stage at a time:'
UPDATE deals SET stage = 'decide'
 WHERE deal_id = (SELECT min(deal_id) FROM deals WHERE process = 'transactional' AND stage = 'explore');
UPDATE deals SET stage = next_stage(stage) WHERE process = 'complex' AND stage IN ('define', 'select');
UPDATE deals SET stage = 'no_decision' WHERE deal_id IN (SELECT deal_id FROM deals WHERE stage = 'approve' LIMIT 2);
\echo '   The history, as an analyst reads it:'
SELECT from_value, to_value, process, count(*) AS moves
  FROM deal_history GROUP BY 1, 2, 3 ORDER BY 1, 2, 3;

\echo '== 10. Weighted pipeline by owner: amount x the stage''s win probability under each deal''s process:'
SELECT owner, count(*) AS open_deals, sum(amount) AS pipeline,
       round(sum(weighted_amount(amount, stage, process)), 2) AS weighted
  FROM deals WHERE is_open(stage) GROUP BY owner ORDER BY weighted DESC;

\echo '== 11. Where the deals ended, from their journeys (won, lost and no decision apart):'
SELECT (funnel_outcomes(funnel(j))).*
  FROM (SELECT deal_id, journey(stage, opened_on::timestamptz) AS j FROM deals GROUP BY deal_id) AS per_deal;

\echo '== 12. Time in stage and the ordered window funnel over a year of stage events (one pass, no GROUP BY deal).'
\echo '   The events: each deal walked from explore to where it is now, a few days to weeks a stage,'
\echo '   some stepping back once on the way:'
SELECT setseed(0.7);
CREATE TABLE deal_events AS
WITH path AS (
	SELECT deal_id, opened_on, stage,
	       CASE WHEN is_closed(stage) AND stage <> 'realize' THEN 2 + deal_id % 4 ELSE greatest(ordinal(stage), 1) END AS steps
	  FROM deals),
walk AS (
	SELECT p.deal_id, p.opened_on, s.k,
	       CASE WHEN s.k < p.steps THEN journey_stage(s.k) ELSE p.stage END AS stage,
	       3 + random() * 25 AS gap_days
	  FROM path p, generate_series(1, p.steps) AS s(k))
SELECT deal_id, stage, opened_on + sum(gap_days) OVER (PARTITION BY deal_id ORDER BY k) * interval '1 day' AS at
  FROM walk
UNION ALL	-- every fifth deal past define went back to explore once, ten days after opening
SELECT deal_id, 'explore', opened_on + interval '10 days' FROM deals WHERE deal_id % 5 = 0 AND stage > 'define';
SELECT count(*) AS events, count(DISTINCT deal_id) AS deals, min(at)::date AS first, max(at)::date AS last FROM deal_events;
SELECT stage, visits, moved_on, date_trunc('hour', justify_hours(avg_to_next)) AS avg_to_next,
       still_there, date_trunc('hour', justify_hours(avg_so_far)) AS avg_time_there_so_far
  FROM time_in_stage_report((SELECT time_in_stage(deal_id, stage, at, '2026-11-01') FROM deal_events));
\echo '   Explore -> define -> select -> decide, each step within 30 days of the first, and how long each took:'
SELECT step, stage, deals, round(conversion::numeric, 2) AS conversion, date_trunc('hour', justify_hours(avg_from_previous)) AS avg_from_previous
  FROM window_funnel_report((SELECT window_funnel(deal_id, stage, at, '720 hours', '{explore,define,select,decide}', '{}')
                               FROM deal_events));
\echo '   Deals stalled in decide or approve for more than 60 days as of 1 November 2026:'
SELECT deal_id, current_stage(t, '2026-11-01') AS stage, date_trunc('day', justify_hours(time_in_current_stage(t, '2026-11-01'))) AS there_for
  FROM (SELECT deal_id, timeline(stage, at) AS t FROM deal_events GROUP BY deal_id) x
 WHERE current_stage(t, '2026-11-01') IN ('decide', 'approve') AND stalled(t, '2026-11-01', '60 days')
 ORDER BY there_for DESC LIMIT 5;

\echo '== 13. Lifetime value = historical + current + potential (seed 004), for the customers above.'
\echo '   Their orders (generated: each buys at a rate of their own until they leave), and who referred whom:'
SELECT setseed(0.11);
CREATE TABLE orders AS
WITH c AS (SELECT customer_id, since, 20 + random() * 100 AS mean_gap_days, 200 + 1800 * random() AS lifetime_days,
                  40 + random() * 400 AS spend
             FROM customers),
     o AS (SELECT customer_id, since, lifetime_days, spend,
                  sum(-ln(1 - random()) * mean_gap_days) OVER (PARTITION BY customer_id ORDER BY k) - mean_gap_days AS day
             FROM c, generate_series(1, 80) k)
SELECT customer_id, since + floor(day)::int AS on_date, round((spend * (0.6 + 0.8 * random()))::numeric, 2) AS amount
  FROM o WHERE day < lifetime_days AND since + floor(day)::int <= date '2026-11-01';
ALTER TABLE customers ADD COLUMN referred_by int REFERENCES customers;
UPDATE customers c SET referred_by = r.customer_id
  FROM customers r WHERE r.customer_id = (c.customer_id * 7) % 120 + 1 AND r.since < c.since AND c.customer_id % 4 = 0;
SELECT count(*) AS orders, count(DISTINCT customer_id) AS customers, sum(amount) AS revenue,
       (SELECT count(*) FROM customers WHERE referred_by IS NOT NULL) AS referred_customers
  FROM orders;
\echo '   Each customer''s summary as of 1 November 2026 (purchases of one day merged), then BG/NBD and'
\echo '   Gamma-Gamma fitted in weeks, in SQL:'
CREATE TABLE customer_value AS
SELECT customer_id, customer_summary(amount, on_date) AS s FROM orders GROUP BY customer_id;
CREATE TABLE models AS
SELECT bgnbd_fit(frequency(s), recency(s, '1 week'), customer_age(s, '2026-11-01', '1 week'), '1 week', 1, 0.01) AS m,
       gammagamma_fit(frequency(s), mean_repeat_spend(s)::float8, 1, 0.01) AS g
  FROM customer_value;
SELECT round(r::numeric, 3) AS r, round(alpha::numeric, 2) AS alpha, round(a::numeric, 3) AS a, round(b::numeric, 3) AS b,
       time_unit, customers, converged
  FROM models, bgnbd_report(m);
\echo '   The top customers by LTV: the purchases of the next 12 months discounted at 1% a month,'
\echo '   and a tenth of what the customers they referred have spent (reported apart, never mixed in):'
SELECT c.customer_id, cu.account, frequency(c.s) AS repeat_days,
       round(probability_alive(m, c.s, '2026-11-01')::numeric, 2) AS p_alive,
       l.historical, round(l.current, 2) AS current, round(l.potential, 2) AS potential, round(l.total, 2) AS ltv
  FROM customer_value c
  JOIN customers cu USING (customer_id)
  CROSS JOIN models
  LEFT JOIN LATERAL (SELECT 0.1 * coalesce(sum(historical_value(r.s)), 0) AS referral_value
                       FROM customers rc JOIN customer_value r USING (customer_id)
                      WHERE rc.referred_by = c.customer_id) p ON true,
       ltv(c.s, '2026-11-01', m, g, '30 days', 12, 0.01, potential => p.referral_value) l
 ORDER BY l.total DESC LIMIT 8;
\echo '== 14. The lifecycle mix as behaviour shows it (probability alive from the model), against the stored phases,'
\echo '   and the stored phases moved through the lifecycle trigger where the rules allow:'
SELECT lifecycle_phase_of(c.s, '2026-11-01', probability_alive(m, c.s, '2026-11-01')) AS from_behaviour,
       count(*) AS customers, round(avg(historical_value(c.s)), 2) AS avg_revenue
  FROM customer_value c, models GROUP BY 1 ORDER BY 1;
CREATE TRIGGER customers_phase AFTER UPDATE ON customers FOR EACH ROW
	EXECUTE FUNCTION enforce_transitions('column=phase', 'process=lifecycle');
\set ON_ERROR_STOP off
UPDATE customers cu SET phase = lifecycle_phase_of(c.s, '2026-11-01', probability_alive(m, c.s, '2026-11-01'))
  FROM customer_value c, models WHERE c.customer_id = cu.customer_id AND cu.phase IN ('growth', 'maturity')
   AND lifecycle_phase_of(c.s, '2026-11-01', probability_alive(m, c.s, '2026-11-01')) IN ('dormancy', 'churned');
\set ON_ERROR_STOP on
SELECT phase, count(*) AS customers FROM customers GROUP BY phase ORDER BY phase;
