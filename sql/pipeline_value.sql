--
-- What the pipeline is worth: stage probabilities, weighted amounts, and
-- pipeline velocity, each against plain SQL.
--
SELECT value AS stage, stage_probability('complex', value) AS complex,
       stage_probability('transactional', value) AS transactional
  FROM journey_stages();

-- The weighted amount: the deal's own probability wins over its stage's.
SELECT weighted_amount(1000, 'decide') AS decide_complex,
       weighted_amount(1000, 'decide', 'transactional') AS decide_transactional,
       weighted_amount(1000, 'decide', 'complex', 0.9) AS own_probability,
       weighted_amount(333.33, 'select') AS exact_numeric,
       weighted_amount(NULL, 'select') AS no_amount;
-- A process without probabilities gives NULL rather than a guess.
SELECT copy_process('complex', 'no_odds');
DELETE FROM process_probability WHERE process = 'no_odds';
SELECT weighted_amount(1000, 'decide', 'no_odds') IS NULL AS unknown_probability;
DELETE FROM process WHERE name = 'no_odds';
SELECT try_sql($$SELECT weighted_amount(1000, 'decide', 'complex', 1.5)$$) AS bad_probability,
       try_sql($$SELECT weighted_amount(1000, 'decide', 'nosuch')$$) AS unknown_process,
       try_sql($$SELECT weighted_amount(1000, 'decide', 'lifecycle')$$) AS phase_process;

-- The weighted pipeline equals the plain-SQL join with process_probability.
CREATE TABLE open_deals AS
SELECT i AS deal, journey_stage(i % 6) AS stage, (i * 37 % 1000)::numeric + 0.25 AS amount,
       CASE WHEN i % 2 = 0 THEN 'complex' ELSE 'transactional' END AS process,
       CASE WHEN i % 10 = 0 THEN 0.42 END AS own_probability
  FROM generate_series(1, 2000) i;
SELECT sum(weighted_amount(amount, stage, process, own_probability)) AS ours,
       (SELECT sum(d.amount * coalesce(d.own_probability, p.probability)::numeric)
          FROM open_deals d JOIN process_probability p ON p.process = d.process AND p.value = d.stage::text) AS plain_sql
  FROM open_deals;

-- Velocity by hand: deal 1 won in 10 days (1000), deal 2 lost, deal 3 open,
-- deal 4 won in 30 days (4000), deal 5 won with no amount.
CREATE TABLE velocity_events (deal bigint, stage journey_stage, at timestamptz, amount numeric);
INSERT INTO velocity_events VALUES
	(1, 'explore', '2026-01-01', 1000), (1, 'realize', '2026-01-11', 1000),
	(2, 'explore', '2026-01-01', 2000), (2, 'lost', '2026-01-03', 2000),
	(3, 'define', '2026-01-01', 3000),
	(4, 'explore', '2026-01-01', 4000), (4, 'realize', '2026-01-31', 4000),
	(5, 'explore', '2026-01-01', NULL), (5, 'realize', '2026-01-21', NULL);
-- open 1 x average won size 2500 x win rate 3/4 / average cycle 20 days = 93.75 a day
SELECT (velocity_report(pipeline_velocity(j, amount))).*
  FROM (SELECT deal, journey(stage, at) AS j, max(amount) AS amount FROM velocity_events GROUP BY deal) x;

-- On generated deals: equal to plain SQL, merged by region, parallel too.
SELECT setseed(0.77);
CREATE TABLE won_lost AS
SELECT d AS deal, (d % 3) AS region, s.n AS step,
       journey_stage(CASE WHEN s.n < d % 5 + 1 THEN s.n WHEN d % 4 = 0 THEN 7 WHEN d % 4 = 1 THEN 8 ELSE 6 END) AS stage,
       timestamptz '2026-01-01' + (d % 50 + s.n * (1 + d % 7)) * interval '1 day' AS at,
       CASE WHEN d % 9 = 0 THEN NULL ELSE (d * 13 % 5000)::numeric END AS amount
  FROM generate_series(1, 3000) d, LATERAL generate_series(1, d % 5 + 1) AS s(n);
CREATE VIEW per_deal AS
SELECT deal, region, journey(stage, at) AS j, max(amount) AS amount FROM won_lost GROUP BY deal, region;
CREATE VIEW plain_velocity AS
SELECT count(*) FILTER (WHERE is_open(last_stage(j))) AS open_deals,
       count(*) FILTER (WHERE is_won(last_stage(j)))::float8 / count(*) FILTER (WHERE is_closed(last_stage(j))) AS win_rate,
       avg(amount::float8) FILTER (WHERE is_won(last_stage(j))) AS average_won_size,
       avg(extract(epoch FROM last_at(j) - first_at(j)) / 86400) FILTER (WHERE is_won(last_stage(j))) AS average_cycle_days
  FROM per_deal;
SELECT abs(v.win_rate - p.win_rate) < 1e-12 AS win_rate_ok,
       abs(v.average_won_size - p.average_won_size) < 1e-9 AS size_ok,
       abs(v.average_cycle_days - p.average_cycle_days) < 1e-9 AS cycle_ok,
       v.open_deals = p.open_deals AS open_ok,
       abs(v.velocity_per_day - p.open_deals * p.average_won_size * p.win_rate / p.average_cycle_days) < 1e-6 AS velocity_ok
  FROM velocity_report((SELECT pipeline_velocity(j, amount) FROM per_deal)) AS v, plain_velocity AS p;
-- Sums of doubles depend on their order in the last bits: compare figures.
CREATE FUNCTION velocity_close(a velocity, b velocity) RETURNS boolean LANGUAGE sql AS $$
	SELECT x.deals = y.deals AND x.open_deals = y.open_deals AND x.won = y.won
	   AND x.win_rate = y.win_rate
	   AND abs(x.average_won_size - y.average_won_size) <= 1e-9 * abs(y.average_won_size)
	   AND abs(x.average_cycle_days - y.average_cycle_days) <= 1e-9 * abs(y.average_cycle_days)
	   AND abs(x.velocity_per_day - y.velocity_per_day) <= 1e-9 * abs(y.velocity_per_day)
	  FROM velocity_report(a) x, velocity_report(b) y
$$;
-- Regions merge into the total.
SELECT velocity_close((SELECT pipeline_velocity(v) FROM (SELECT pipeline_velocity(j, amount) AS v FROM per_deal GROUP BY region) x),
                      (SELECT pipeline_velocity(j, amount) FROM per_deal)) AS regions_add_up;
-- Forced parallel: Partial and Finalize, the same answer.
CREATE TEMP TABLE serial_velocity AS SELECT pipeline_velocity(j, amount) AS v FROM per_deal;
SET max_parallel_workers_per_gather = 2;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
CREATE TABLE per_deal_stored AS SELECT * FROM per_deal;
ANALYZE per_deal_stored;
EXPLAIN (COSTS OFF) SELECT pipeline_velocity(j, amount) FROM per_deal_stored;
SELECT velocity_close(pipeline_velocity(j, amount), (SELECT v FROM serial_velocity)) AS parallel_equals_serial
  FROM per_deal_stored;
RESET ALL;
-- Text and binary forms round-trip exactly; bad forms are refused.
CREATE TABLE stored_velocity AS SELECT 1 AS id, v FROM serial_velocity;
SELECT v::text::velocity::text = v::text AS text_round_trip FROM stored_velocity;
COPY stored_velocity TO PROGRAM 'cat > /tmp/buyerjourney_regress_velocity.copy' (FORMAT binary);
CREATE TABLE stored_velocity2 (LIKE stored_velocity);
COPY stored_velocity2 FROM PROGRAM 'cat /tmp/buyerjourney_regress_velocity.copy' (FORMAT binary);
SELECT a.v::text = b.v::text AS binary_round_trip FROM stored_velocity a JOIN stored_velocity2 b USING (id);
COPY (SELECT 1) TO PROGRAM 'cat > /dev/null; rm -f /tmp/buyerjourney_regress_velocity.copy';
SELECT try_input('0104' || repeat('00', 56), 'velocity') AS empty_velocity,
       try_input('0104' || repeat('00', 55), 'velocity') AS truncated,
       try_input('0104' || repeat('ff', 56), 'velocity') AS inconsistent;
DROP TABLE open_deals, velocity_events, won_lost, per_deal_stored, stored_velocity, stored_velocity2 CASCADE;
