--
-- Timelines: time in stage (latest and cumulative, the open stage up to
-- as_of, clipped windows), stalled deals, and the ordered window funnel;
-- against plain SQL (lead() over the events) on generated data.
--

SET TimeZone = 'UTC';
-- Hand-checked: explore 1 Jan, define 6 Jan, back to explore 7 Jan, define
-- again 21 Jan, select 22 Jan (still there on 31 Jan).
CREATE TABLE one_deal (deal bigint, stage journey_stage, at timestamptz);
INSERT INTO one_deal VALUES (1, 'define', '2026-01-21'), (1, 'explore', '2026-01-01'),
	(1, 'select', '2026-01-22'), (1, 'explore', '2026-01-07'), (1, 'define', '2026-01-06'),
	(1, 'define', '2026-01-06'), (1, NULL, '2026-01-09'), (1, 'lost', NULL);
CREATE TABLE one_timeline AS SELECT deal, timeline(stage, at) AS t FROM one_deal GROUP BY deal;
SELECT * FROM stage_visits((SELECT t FROM one_timeline), '2026-01-31');
-- Cumulative (total) and latest time per stage; explore was entered twice.
SELECT stage, visits, justify_hours(total) AS total, justify_hours(latest) AS latest
  FROM stage_times((SELECT t FROM one_timeline), '2026-01-31');
-- Clipped to [10 Jan, 31 Jan): explore is carried in from 7 Jan and counts
-- from 10 Jan, without an entry.
SELECT stage, visits, justify_hours(total) AS total
  FROM stage_times((SELECT t FROM one_timeline), '2026-01-31', since => '2026-01-10');
-- As of 10 Jan the deal was at explore, for 3 days; stalled after 30 days?
SELECT current_stage(t, '2026-01-10'), time_in_current_stage(t, '2026-01-10'),
       stalled(t, '2026-01-31', '5 days') AS stalled_5_days,
       stalled(t, '2026-01-31', '30 days') AS stalled_30_days
  FROM one_timeline;

-- The ordered window funnel: explore -> define -> select within 16 days is
-- reached by the chain begun on 7 Jan; within 14 days only explore -> define.
SELECT (window_funnel(t, '384 hours', '{explore,define,select}')).* FROM one_timeline;
SELECT (window_funnel(t, '336 hours', '{explore,define,select}')).* FROM one_timeline;
-- Strict order, as ClickHouse: explore again after define is a step (it
-- starts a later chain), not an event at no step, so the search goes on.
SELECT (window_funnel(t, '10000 hours', '{explore,define,select}', '{strict_order}')).* FROM one_timeline;
-- Events at one instant are taken in the order of the steps (as ClickHouse).
SELECT (window_funnel(timeline(stage, at), '100 hours', '{explore,define,select}')).* FROM
	(VALUES ('explore'::journey_stage, '2026-01-01'::timestamptz), ('define', '2026-01-01'),
	        ('select', '2026-01-02')) AS v(stage, at);
SELECT (window_funnel(timeline(stage, at), '100 hours', '{explore,define,select}', '{strict_increase}')).* FROM
	(VALUES ('explore'::journey_stage, '2026-01-01'::timestamptz), ('define', '2026-01-01'),
	        ('select', '2026-01-02')) AS v(stage, at);
SELECT (window_funnel(timeline(stage, at), '100 hours', '{explore,define,select}', '{strict_deduplication}')).* FROM
	(VALUES ('explore'::journey_stage, '2026-01-01'::timestamptz), ('define', '2026-01-02'),
	        ('define', '2026-01-03'), ('select', '2026-01-04')) AS v(stage, at);
-- NULLs give nothing rather than failing.
SELECT (SELECT count(*) FROM stage_times(NULL, '2026-01-31')) AS null_timeline,
       (SELECT count(*) FROM stage_times((SELECT t FROM one_timeline), NULL)) AS null_bound;
-- Wrong use.
SELECT try_sql($$SELECT window_funnel(t, '30 days', '{explore,define}') FROM one_timeline$$) AS calendar_window,
       try_sql($$SELECT window_funnel(t, '1 hour', '{explore,define}', '{fastest}') FROM one_timeline$$) AS bad_mode,
       try_sql($$SELECT window_funnel(t, '1 hour', '{}') FROM one_timeline$$) AS no_steps,
       try_sql($$SELECT count(*) FROM stage_times((SELECT t FROM one_timeline), '2026-01-01', '2026-02-01')$$) AS reversed_window,
       try_sql($$SELECT count(*) FROM stage_visits((SELECT t FROM one_timeline), 'infinity')$$) AS infinite_as_of;

-- Generated: 2000 deals with regressions, ties and closed outcomes.
-- (OFFSET 0: see pipeline_onepass.sql.)
-- No autovacuum: its ANALYZE, when it comes in time, changes the plans below.
SELECT setseed(0.31);
CREATE TABLE tl_events WITH (autovacuum_enabled = off) AS
SELECT * FROM (
	SELECT d AS deal,
	       journey_stage(CASE WHEN random() < 0.15 THEN 7 + (random() < 0.5)::int ELSE floor(random() * 7)::int END) AS stage,
	       timestamptz '2026-01-01' + floor(random() * 60) * interval '1 day' AS at
	  FROM generate_series(1, 2000) d, generate_series(1, 1 + d % 6)
	OFFSET 0) AS generated
 ORDER BY random();
CREATE TABLE timelines AS SELECT deal, timeline(stage, at) AS t FROM tl_events GROUP BY deal;

-- Total time per stage, as of 1 April, in plain SQL: distinct events in
-- order, runs of one stage collapsed, each visit lasting until the next.
CREATE VIEW sql_visits AS
WITH ev AS (SELECT DISTINCT deal, stage, at FROM tl_events),
     runs AS (SELECT deal, stage, at,
                     lag(stage) OVER (PARTITION BY deal ORDER BY at, stage) AS prev
                FROM ev),
     starts AS (SELECT deal, stage, at FROM runs WHERE prev IS DISTINCT FROM stage)
SELECT deal, stage, at AS entered_at,
       coalesce(lead(at) OVER (PARTITION BY deal ORDER BY at, stage), '2026-04-01') - at AS duration
  FROM starts;
SELECT count(*) AS stages,
       count(*) FILTER (WHERE o.visits = s.visits AND o.total = s.total) AS agree
  FROM (SELECT stage, sum(visits) AS visits, sum(total) AS total
          FROM timelines, stage_times(t, '2026-04-01') GROUP BY stage) o
  FULL JOIN (SELECT stage, count(*) AS visits, sum(duration) AS total FROM sql_visits GROUP BY stage) s USING (stage);
-- Average and median time from each stage to the next, both ways.
SELECT count(*) AS stages, count(*) FILTER (WHERE o.avg_d = s.avg_d AND o.median_d = s.median_d) AS agree
  FROM (SELECT stage, avg(duration) AS avg_d, percentile_disc(0.5) WITHIN GROUP (ORDER BY duration) AS median_d
          FROM timelines, stage_visits(t, '2026-04-01') WHERE next_stage IS NOT NULL GROUP BY stage) o
  JOIN (SELECT stage, avg(d) AS avg_d, percentile_disc(0.5) WITHIN GROUP (ORDER BY d) AS median_d
          FROM (SELECT stage, duration AS d, lead(entered_at) OVER (PARTITION BY deal ORDER BY entered_at) AS nxt
                  FROM sql_visits) x WHERE nxt IS NOT NULL GROUP BY stage) s USING (stage);
-- The current stage of every deal equals its latest event's stage.
SELECT count(*) AS deals,
       count(*) FILTER (WHERE current_stage(t, '2026-04-01') =
                        (SELECT stage FROM tl_events e WHERE e.deal = timelines.deal ORDER BY at DESC, stage DESC LIMIT 1)) AS agree
  FROM timelines;

-- Row order and parallel workers change nothing; timelines roll up.
CREATE TEMP TABLE serial_tl AS SELECT deal, timeline(stage, at)::text AS t FROM tl_events GROUP BY deal;
SET max_parallel_workers_per_gather = 2;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET enable_sort = off;
EXPLAIN (COSTS OFF) SELECT deal, timeline(stage, at) FROM tl_events GROUP BY deal;
SELECT count(*) FILTER (WHERE p.t = s.t) AS same, count(*) AS deals
  FROM (SELECT deal, timeline(stage, at)::text AS t FROM tl_events GROUP BY deal) p JOIN serial_tl s USING (deal);
RESET ALL;
SET TimeZone = 'UTC';
SELECT count(*) FILTER (WHERE r.t = s.t) AS same_after_rollup, count(*) AS deals
  FROM (SELECT deal, timeline(w)::text AS t
          FROM (SELECT deal, timeline(stage, at) AS w FROM tl_events GROUP BY deal, date_trunc('week', at)) x
         GROUP BY deal) r JOIN serial_tl s USING (deal);

-- Text and binary forms round-trip; malformed forms are refused.
COPY timelines TO PROGRAM 'cat > /tmp/buyerjourney_regress_timelines.copy' (FORMAT binary);
CREATE TABLE timelines2 (LIKE timelines);
COPY timelines2 FROM PROGRAM 'cat /tmp/buyerjourney_regress_timelines.copy' (FORMAT binary);
COPY (SELECT 1) TO PROGRAM 'cat > /dev/null; rm -f /tmp/buyerjourney_regress_timelines.copy';
SELECT count(*) FILTER (WHERE a.t::text = b.t::text AND a.t::text::timeline::text = a.t::text) AS round_trips
  FROM timelines a JOIN timelines2 b USING (deal);
SELECT try_input('0105', 'timeline') AS truncated,
       try_input('010500000001', 'timeline') AS count_without_events,
       try_input('010500000001' || '0000000000000000' || '09', 'timeline') AS bad_stage,
       try_input('020500000000', 'timeline') AS bad_version,
       try_input('xyz', 'timeline') AS not_hex;
RESET TimeZone;
DROP TABLE one_deal, one_timeline, tl_events, timelines, timelines2 CASCADE;
