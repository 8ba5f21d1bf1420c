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
