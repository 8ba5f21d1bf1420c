-- One-pass aggregates over many deals' events, no GROUP BY deal:
-- time_in_stage(deal, stage, at, as_of) and window_funnel(deal, stage, at,
-- window, steps, mode).  Hand-checked cases, then property checks against
-- plain SQL and the per-deal timeline functions, then order, parallelism,
-- roll-up, bad input and the result types' forms.
SET TimeZone = 'UTC';
SET intervalstyle = 'postgres_verbose';

-- Deal 1: explore 1 Jan, define 6 Jan, back to explore 7 Jan, define 21 Jan
-- (a re-entry), select 22 Jan, still there on 31 Jan (an open last stage).
-- Deal 2: explore and define at the same instant (a tie: define counts as
-- after explore), then decide 11 Jan (select skipped), lost 16 Jan.
-- A row with a NULL stage and one after as_of are not seen.
CREATE TABLE hand_events (deal bigint, stage journey_stage, at timestamptz);
INSERT INTO hand_events VALUES
	(1, 'explore', '2026-01-01'), (1, 'define', '2026-01-06'), (1, 'explore', '2026-01-07'),
	(1, 'define', '2026-01-21'), (1, 'select', '2026-01-22'),
	(2, 'define', '2026-01-01'), (2, 'explore', '2026-01-01'), (2, 'decide', '2026-01-11'), (2, 'lost', '2026-01-16'),
	(2, NULL, '2026-01-12'), (1, 'decide', '2026-02-15');
SELECT stage, visits, moved_on, justify_hours(avg_to_next) AS avg_to_next, still_there,
       justify_hours(avg_so_far) AS avg_so_far, justify_hours(avg_visit) AS avg_visit
  FROM time_in_stage_report((SELECT time_in_stage(deal, stage, at, '2026-01-31') FROM hand_events));
-- Explore, define, select within 30 days of explore: deal 1 gets there
-- from its second explore (the latest start that reaches each step); deal 2
-- reaches define at once and stops.
SELECT step, stage, deals, conversion, cumulative, justify_hours(avg_from_previous) AS avg_from_previous
  FROM window_funnel_report((SELECT window_funnel(deal, stage, at, '720 hours', '{explore,define,select}', '{}')
                               FROM hand_events));
-- Strictly increasing times: deal 2's tie no longer counts.
SELECT step, deals FROM window_funnel_report((SELECT window_funnel(deal, stage, at, '720 hours',
       '{explore,define,select}', '{strict_increase}') FROM hand_events));

-- Generated: 3 batches of 1500 deals with regressions, re-entries, ties,
-- duplicates, NULLs and closed outcomes, stored in random order.
-- (OFFSET 0 keeps the generator a subquery of its own: with ORDER BY random()
-- in the same query level, every random() of a row gives the same value.)
SELECT setseed(0.77);
CREATE TABLE op_events AS
SELECT * FROM (
	SELECT b AS batch, b * 10000 + d AS deal,
	       CASE WHEN random() < 0.01 THEN NULL
	            ELSE journey_stage(CASE WHEN random() < 0.15 THEN 7 + (random() < 0.5)::int ELSE floor(random() * 7)::int END) END AS stage,
	       timestamptz '2026-01-01' + floor(random() * 90 * 24) * interval '1 hour' AS at
	  FROM generate_series(1, 3) b, generate_series(1, 1500) d, generate_series(1, 1 + d % 7)
	OFFSET 0) AS generated
 ORDER BY random();
SELECT stage, count(*) > 0 AS present FROM op_events GROUP BY stage ORDER BY stage;
INSERT INTO op_events SELECT batch, deal, stage, at FROM op_events WHERE deal % 50 = 0;	-- exact duplicates

-- Time in stage in plain SQL, as of 1 March: distinct events before it in
-- order, runs of one stage collapsed; a visit lasts until the next one, the
-- last until as_of.
CREATE VIEW sql_stage_times AS
WITH ev AS (SELECT DISTINCT batch, deal, stage, at FROM op_events WHERE stage IS NOT NULL AND at < '2026-03-01'),
     runs AS (SELECT *, lag(stage) OVER (PARTITION BY deal ORDER BY at, stage) AS prev FROM ev),
     visits AS (SELECT batch, deal, stage, at,
                       lead(at) OVER (PARTITION BY deal ORDER BY at, stage) AS next_at
                  FROM runs WHERE prev IS DISTINCT FROM stage)
SELECT batch, stage, count(*) AS visits, count(next_at) AS moved_on,
       avg(next_at - at) AS avg_to_next,
       count(*) - count(next_at) AS still_there,
       avg(timestamptz '2026-03-01' - at) FILTER (WHERE next_at IS NULL) AS avg_so_far,
       avg(coalesce(next_at, '2026-03-01') - at) AS avg_visit
  FROM visits GROUP BY batch, stage;
CREATE FUNCTION close_enough(a interval, b interval) RETURNS boolean LANGUAGE sql AS
	$$ SELECT (a IS NULL AND b IS NULL) OR abs(extract(epoch FROM a - b)) < 0.000002 $$;
SELECT count(*) AS stage_rows,
       count(*) FILTER (WHERE o.visits = s.visits AND o.moved_on = s.moved_on AND o.still_there = s.still_there
                          AND close_enough(o.avg_to_next, s.avg_to_next) AND close_enough(o.avg_so_far, s.avg_so_far)
                          AND close_enough(o.avg_visit, s.avg_visit)) AS agree
  FROM (SELECT batch, r.* FROM (SELECT batch, time_in_stage(deal, stage, at, '2026-03-01') AS d
                                  FROM op_events GROUP BY batch) x, time_in_stage_report(x.d) r) o
  FULL JOIN sql_stage_times s USING (batch, stage);

-- The window funnel over events equals the per-deal window_funnel of each
-- deal's timeline, in every mode.
CREATE TABLE op_timelines AS SELECT batch, deal, timeline(stage, at) AS t FROM op_events GROUP BY batch, deal;
SELECT mode, count(*) AS step_rows,
       count(*) FILTER (WHERE o.deals = s.deals AND close_enough(o.avg_from_previous, s.avg_step)) AS agree
  FROM (VALUES ('{}'::text[]), ('{strict_order}'), ('{strict_increase}'), ('{strict_deduplication}'),
               ('{strict_order,strict_increase,strict_deduplication}'), ('{strict_once}'),
               ('{strict_once,strict_increase}'), ('{strict_order,allow_reentry}')) AS m(mode),
       LATERAL (SELECT batch, r.* FROM (SELECT batch, window_funnel(deal, stage, at, '240 hours', '{explore,define,select,decide}', mode) AS w
                                          FROM op_events GROUP BY batch) x, window_funnel_report(x.w) r) o
  JOIN LATERAL (SELECT batch, k AS step, count(*) AS deals, avg(f.step_at[k] - f.step_at[k - 1]) AS avg_step
                  FROM op_timelines, window_funnel(t, '240 hours', '{explore,define,select,decide}', mode) f,
                       generate_series(1, f.depth) k
                 GROUP BY batch, k) s USING (batch, step)
 GROUP BY mode ORDER BY mode;

-- Row order and the number of workers change nothing; results of disjoint
-- sets of deals add up.
CREATE TEMP TABLE serial_answers AS
SELECT (SELECT funnel(deal, stage, at)::text FROM op_events) AS f,
       (SELECT time_in_stage(deal, stage, at, '2026-03-01')::text FROM op_events) AS d,
       (SELECT window_funnel(deal, stage, at, '240 hours', '{explore,define,select}', '{}')::text FROM op_events) AS w;
CREATE TABLE op_by_time AS SELECT * FROM op_events ORDER BY at, deal;
SELECT (SELECT funnel(deal, stage, at)::text FROM op_by_time) = f AS funnel_same,
       (SELECT time_in_stage(deal, stage, at, '2026-03-01')::text FROM op_by_time) = d AS durations_same,
       (SELECT window_funnel(deal, stage, at, '240 hours', '{explore,define,select}', '{}')::text FROM op_by_time) = w AS window_same
  FROM serial_answers;
SELECT (SELECT time_in_stage(x)::text FROM (SELECT time_in_stage(deal, stage, at, '2026-03-01') AS x FROM op_events GROUP BY deal % 7) g) = d AS durations_add_up,
       (SELECT window_funnel(x)::text FROM (SELECT window_funnel(deal, stage, at, '240 hours', '{explore,define,select}', '{}') AS x
                                               FROM op_events GROUP BY deal % 7) g) = w AS windows_add_up
  FROM serial_answers;
SET max_parallel_workers_per_gather = 2;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
EXPLAIN (COSTS OFF) SELECT time_in_stage(deal, stage, at, '2026-03-01') FROM op_events;
EXPLAIN (COSTS OFF) SELECT window_funnel(deal, stage, at, '240 hours', '{explore,define,select}', '{}') FROM op_events;
SELECT (SELECT funnel(deal, stage, at)::text FROM op_events) = f AS funnel_parallel_same,
       (SELECT time_in_stage(deal, stage, at, '2026-03-01')::text FROM op_events) = d AS durations_parallel_same,
       (SELECT window_funnel(deal, stage, at, '240 hours', '{explore,define,select}', '{}')::text FROM op_events) = w AS window_parallel_same
  FROM serial_answers;
RESET max_parallel_workers_per_gather;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;

-- Bad input: a clear error each.
SELECT try_sql($$SELECT time_in_stage(deal, stage, at, CASE WHEN deal = 1 THEN '2026-03-01' ELSE '2026-03-02' END::timestamptz) FROM hand_events$$) AS as_of_changes,
       try_sql($$SELECT time_in_stage(deal, stage, at, NULL) FROM hand_events$$) AS null_as_of,
       try_sql($$SELECT time_in_stage(deal, stage, at, 'infinity') FROM hand_events$$) AS infinite_as_of,
       try_sql($$SELECT window_funnel(deal, stage, at, '30 days', '{explore}', '{}') FROM hand_events$$) AS calendar_window,
       try_sql($$SELECT window_funnel(deal, stage, at, '1 hour', '{explore}', '{fastest}') FROM hand_events$$) AS bad_mode,
       try_sql($$SELECT window_funnel(deal, stage, at, '1 hour', CASE WHEN deal = 1 THEN '{explore}' ELSE '{define}' END::journey_stage[], '{}') FROM hand_events$$) AS steps_change,
       try_sql($$SELECT time_in_stage(d) FROM (SELECT time_in_stage(deal, stage, at, a) AS d FROM hand_events, (VALUES ('2026-01-31'::timestamptz), ('2026-02-01')) v(a) GROUP BY a) x$$) AS rollup_of_two_as_of;
SELECT time_in_stage(deal, stage, at, '2026-01-31') IS NULL AS no_rows_no_result FROM hand_events WHERE false;

-- Text and binary forms round-trip; malformed forms are refused.
CREATE TABLE op_results AS
SELECT batch, time_in_stage(deal, stage, at, '2026-03-01') AS d,
       window_funnel(deal, stage, at, '240 hours', '{explore,define,select}', '{}') AS w
  FROM op_events GROUP BY batch;
COPY op_results TO PROGRAM 'cat > /tmp/buyerjourney_regress_onepass.copy' (FORMAT binary);
CREATE TABLE op_results2 (LIKE op_results);
COPY op_results2 FROM PROGRAM 'cat /tmp/buyerjourney_regress_onepass.copy' (FORMAT binary);
COPY (SELECT 1) TO PROGRAM 'cat > /dev/null; rm -f /tmp/buyerjourney_regress_onepass.copy';
SELECT count(*) FILTER (WHERE a.d::text = b.d::text AND a.d::text::stage_durations::text = a.d::text
                          AND a.w::text = b.w::text AND a.w::text::window_counts::text = a.w::text) AS round_trips
  FROM op_results a JOIN op_results2 b USING (batch);
SELECT try_input(left(d::text, 40), 'stage_durations') AS truncated,
       try_input('02' || substr(d::text, 3), 'stage_durations') AS bad_version,
       try_input(left(d::text, 20) || '00000000000f4240' || substr(d::text, 37), 'stage_durations') AS deals_do_not_add_up,
       try_input(w::text || '00', 'window_counts') AS trailing,
       try_input(left(w::text, 20) || '11' || substr(w::text, 23), 'window_counts') AS too_many_steps
  FROM op_results WHERE batch = 1;

RESET intervalstyle;
RESET TimeZone;
DROP TABLE hand_events, op_events, op_by_time, op_timelines, op_results, op_results2 CASCADE;
DROP FUNCTION close_enough(interval, interval);
