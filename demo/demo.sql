-- demo/demo.sql - a guided tour of buyerjourney on a year of generated
-- pipeline.  Run by scripts/demo (and by the test suite) in a fresh
-- database; psql variables: :data, the folder with the bundled CRM export
-- (deals.csv), and :charts, the folder the charts are written to.
-- The data is generated in the database from fixed seeds: the same on every
-- run and every server.
\set ON_ERROR_STOP on
\pset footer off
\pset null '-'
SET client_min_messages = warning;

CREATE EXTENSION buyerjourney;

\echo
\echo '== 1. Two types, one byte each: the journey stages in the model''s order, and their labels.'
SELECT value, ordinal, label_zh_hans, label_zh_hant FROM journey_stages();

\echo '== 2. A CRM export whose offices spell stages differently (any case, full-width, Chinese) loads as is:'
CREATE TABLE crm_export (deal_id int, account text, region text, owner text, process text,
                         amount numeric(12, 2), opened_on date, stage text);
\cd :data
\copy crm_export FROM 'deals.csv' WITH (FORMAT csv, HEADER true)
SELECT stage AS as_exported, stage::journey_stage AS stored, count(*)
  FROM crm_export GROUP BY 1, 2 ORDER BY 2, 3 DESC, 1 LIMIT 8;

\echo '== 3. Guarding a deals table with a sales process, and keeping its history.'
CREATE TABLE deals (
	deal_id int PRIMARY KEY,
	owner text NOT NULL,
	region text NOT NULL,
	process text NOT NULL,
	amount numeric(12, 2) NOT NULL,
	opened_on date NOT NULL,
	stage journey_stage NOT NULL
);
SELECT create_history_table('deal_history') AS history_table;
CREATE TRIGGER deals_stage_guard AFTER INSERT OR UPDATE ON deals FOR EACH ROW
	EXECUTE FUNCTION enforce_transitions('column=stage', 'process_column=process', 'history=deal_history');
\echo '   A deal that tries to jump from explore straight to decide under the complex process is refused:'
INSERT INTO deals VALUES (0, 'anna', 'EMEA', 'complex', 1000, '2025-11-01', 'explore');
DO $$
BEGIN
	UPDATE deals SET stage = 'decide' WHERE deal_id = 0;
EXCEPTION WHEN check_violation THEN
	RAISE WARNING 'refused with SQLSTATE %: %', SQLSTATE, SQLERRM;
END $$;
DELETE FROM deals WHERE deal_id = 0;
DELETE FROM deal_history;

\echo '== 4. Generating a year of pipeline: 5,000 deals opened from November 2025, each week a share of'
\echo '   the open ones moves on (or back, or is lost, or ends with no decision), through the trigger.'
SELECT setseed(0.42) \g /dev/null
INSERT INTO deals
SELECT g, (ARRAY['anna','ben','carla','dev','li na','chen wei'])[1 + g % 6],
       (ARRAY['EMEA','EMEA','Americas','Americas','Greater China','Greater China'])[1 + g % 6],
       CASE WHEN g % 4 = 0 THEN 'transactional' ELSE 'complex' END,
       round((2000 + 48000 * random() ^ 2)::numeric, -2), date '2025-11-01' + (g * 52 / 5000) * 7 + g % 7,
       CASE WHEN g % 10 = 0 THEN 'unaware' ELSE 'explore' END
  FROM generate_series(1, 5000) g;
-- The stage events with the times they happened at, for the metrics.  (The
-- history records when each change was written: here, all in this run.)
CREATE TABLE deal_events AS
SELECT deal_id, stage, opened_on + interval '9 hours' AS at FROM deals;
SET client_min_messages = notice;
DO $$
DECLARE
	d record;
	target journey_stage;
	moves bigint := 0;
	week_start date;
BEGIN
	FOR week IN 1 .. 52 LOOP
		week_start := date '2025-11-01' + week * 7;
		FOR d IN SELECT * FROM deals
		          WHERE is_open(stage) AND opened_on < week_start AND random() < 0.3 ORDER BY deal_id LOOP
			-- mostly one stage on; sometimes back one, lost or no decision; from
			-- approve, most are won
			target := CASE
				WHEN random() < 0.06 THEN 'lost'
				WHEN random() < 0.06 THEN 'no_decision'
				WHEN d.stage > 'define' AND random() < 0.08 THEN previous_stage(d.stage)
				WHEN d.process = 'transactional' AND d.stage >= 'explore' AND random() < 0.3
					THEN least(journey_stage(ordinal(d.stage) + 2), 'realize')
				ELSE next_stage(d.stage) END;
			UPDATE deals SET stage = target WHERE deal_id = d.deal_id;
			INSERT INTO deal_events VALUES (d.deal_id, target, week_start + random() * interval '7 days');
			moves := moves + 1;
		END LOOP;
		IF week % 13 = 0 THEN
			RAISE NOTICE 'generating: week %/52 (% %%): % moves so far', week, week * 100 / 52, moves;
		END IF;
	END LOOP;
END $$;
SET client_min_messages = warning;
SELECT count(*) AS deals, (SELECT count(*) FROM deal_history) AS history_rows,
       (SELECT count(*) FROM deal_events) AS stage_events FROM deals;

\echo '== 5. The funnel: how many deals entered each stage, moved on, and where they are now.'
SELECT stage, entered, moved_on, round(conversion::numeric, 2) AS conversion, current, bar
  FROM funnel_report((SELECT funnel(deal_id::bigint, stage, at) FROM deal_events), false, 30);
\echo '   Won, lost and no decision reported apart (a no-decision is not a loss to a competitor):'
SELECT d.region, o.deals, o.open, o.won, o.lost, o.no_decision,
       round(o.win_rate::numeric, 2) AS win_rate, round(o.loss_rate::numeric, 2) AS loss_rate,
       round(o.no_decision_rate::numeric, 2) AS no_decision_rate
  FROM (SELECT region, funnel(e.deal_id::bigint, e.stage, e.at) AS f
          FROM deal_events e JOIN deals USING (deal_id) GROUP BY region) d,
       funnel_outcomes(d.f) o
 ORDER BY d.region;

\echo '== 6. Time in stage as of 1 November 2026, and the deals stalled in decide or approve for over 8 weeks:'
SELECT stage, visits, moved_on, date_trunc('hour', justify_hours(avg_to_next)) AS avg_to_next,
       still_there, date_trunc('hour', justify_hours(avg_so_far)) AS avg_so_far
  FROM time_in_stage_report((SELECT time_in_stage(deal_id, stage, at, '2026-11-01') FROM deal_events));
SELECT deal_id, owner, amount, current_stage(t, '2026-11-01') AS stage,
       date_trunc('day', justify_hours(time_in_current_stage(t, '2026-11-01'))) AS there_for
  FROM (SELECT deal_id, timeline(stage, at) AS t FROM deal_events GROUP BY deal_id) x JOIN deals USING (deal_id)
 WHERE current_stage(t, '2026-11-01') IN ('decide', 'approve') AND stalled(t, '2026-11-01', '56 days')
 ORDER BY there_for DESC, deal_id LIMIT 5;

\echo '== 7. Weighted pipeline (amount x the stage''s probability under each deal''s process) and velocity by owner:'
SELECT d.owner, count(*) FILTER (WHERE is_open(d.stage)) AS open_deals,
       sum(d.amount) FILTER (WHERE is_open(d.stage)) AS pipeline,
       round(sum(weighted_amount(d.amount, d.stage, d.process)) FILTER (WHERE is_open(d.stage)), 0) AS weighted,
       round(v.win_rate::numeric, 2) AS win_rate, round(v.average_cycle_days::numeric, 1) AS cycle_days,
       round(v.velocity_per_day::numeric, 0) AS velocity_per_day
  FROM deals d
  JOIN (SELECT owner, (velocity_report(pipeline_velocity(j, amount))).*
          FROM (SELECT e.deal_id, journey(e.stage, e.at) AS j FROM deal_events e GROUP BY e.deal_id) x
          JOIN deals USING (deal_id) GROUP BY owner) v USING (owner)
 GROUP BY d.owner, v.win_rate, v.average_cycle_days, v.velocity_per_day ORDER BY weighted DESC;

\echo '== 8. Lifetime value = historical + current + potential. Generating 2,000 customers with two years'
\echo '   of orders (each buys at a rate of their own until they leave) and who referred whom:'
SELECT setseed(0.11) \g /dev/null
CREATE TABLE customers AS
SELECT g AS customer_id, (ARRAY['EMEA','Americas','Greater China'])[1 + g % 3] AS region,
       date '2024-11-01' + (random() * 600)::int AS since,
       CASE WHEN g > 40 AND g % 4 = 0 THEN 1 + abs(hashint4(g)) % (g - 1) END AS referred_by
  FROM generate_series(1, 2000) g;
CREATE TABLE orders AS
WITH c AS (SELECT customer_id, since, 15 + random() * 120 AS mean_gap_days, 60 + 900 * random() AS lifetime_days,
                  40 + random() * 400 AS spend
             FROM customers),
     o AS (SELECT customer_id, since, lifetime_days, spend,
                  sum(-ln(1 - random()) * mean_gap_days) OVER (PARTITION BY customer_id ORDER BY k) - mean_gap_days AS day
             FROM c, generate_series(1, 60) k)
SELECT customer_id, since + floor(day)::int AS on_date, round((spend * (0.6 + 0.8 * random()))::numeric, 2) AS amount
  FROM o WHERE day < lifetime_days AND since + floor(day)::int <= date '2026-11-01';
SELECT count(*) AS orders, count(DISTINCT customer_id) AS customers, sum(amount) AS revenue,
       (SELECT count(*) FROM customers WHERE referred_by IS NOT NULL) AS referred_customers
  FROM orders;
\echo '   Each customer''s summary (purchases of one day merged), then BG/NBD and Gamma-Gamma fitted in weeks:'
CREATE TABLE customer_value AS
SELECT customer_id, customer_summary(amount, on_date) AS s FROM orders GROUP BY customer_id;
CREATE TABLE models AS
SELECT bgnbd_fit(frequency(s), recency(s, '1 week'), customer_age(s, '2026-11-01', '1 week'), '1 week', 1, 0.01) AS m,
       gammagamma_fit(frequency(s), mean_repeat_spend(s)::float8, 1, 0.01) AS g
  FROM customer_value;
SELECT round(r::numeric, 3) AS r, round(alpha::numeric, 2) AS alpha, round(a::numeric, 3) AS a, round(b::numeric, 3) AS b,
       customers, converged
  FROM models, bgnbd_report(m);
\echo '   The top customers: historical (what they paid), current (the next 12 months they are expected to'
\echo '   buy, discounted at 1% a month) and potential (a tenth of what the customers they referred paid), apart:'
SELECT c.customer_id, frequency(c.s) AS repeat_days,
       round(probability_alive(m, c.s, '2026-11-01')::numeric, 2) AS p_alive,
       l.historical, round(l.current, 2) AS current, round(l.potential, 2) AS potential, round(l.total, 2) AS ltv
  FROM customer_value c
  CROSS JOIN models
  LEFT JOIN LATERAL (SELECT 0.1 * coalesce(sum(historical_value(r.s)), 0) AS referral_value
                       FROM customers rc JOIN customer_value r USING (customer_id)
                      WHERE rc.referred_by = c.customer_id) p ON true,
       ltv(c.s, '2026-11-01', m, g, '30 days', 12, 0.01, potential => p.referral_value) l
 ORDER BY l.total DESC LIMIT 8;

\echo '== 9. The lifecycle mix as behaviour shows it (probability alive from the model):'
SELECT lifecycle_phase_of(c.s, '2026-11-01', probability_alive(m, c.s, '2026-11-01')) AS phase,
       count(*) AS customers, round(avg(historical_value(c.s)), 2) AS avg_revenue,
       unicode_bar(count(*)::float8 / max(count(*)) OVER (), 30) AS bar
  FROM customer_value c, models GROUP BY 1 ORDER BY 1;

\echo '== 10. Charts for a web page or a dashboard, written to' :'charts'
\pset tuples_only on
\pset format unaligned
\o :charts/funnel.svg
SELECT funnel_svg(funnel(deal_id::bigint, stage, at), 'The pipeline, November 2025 to November 2026') FROM deal_events;
\o :charts/time_in_stage.svg
SELECT time_in_stage_svg(time_in_stage(deal_id, stage, at, '2026-11-01'), 'Mean time a visit to each open stage takes') FROM deal_events;
-- The same for a sales team reading Simplified Chinese (label's locales:
-- zh-CN, zh-TW, zh-HK...), with the closed stages on a scale of their own.
\o :charts/time_in_stage_zh.svg
SELECT time_in_stage_svg(time_in_stage(deal_id, stage, at, '2026-11-01'), '各阶段平均停留时间', locale => 'zh-CN', closed_stages => true)
  FROM deal_events;
\o
\pset tuples_only off
\pset format aligned
