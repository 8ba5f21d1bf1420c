-- Large partial states of the one-pass aggregates are handed to the
-- finalize by reference (state_handover.h): the leader's own by name in
-- process, a worker's through the parallel query's shared memory.  With the
-- size floor at 0 every partial state goes that way; each plan shape must
-- give the serial answer: a Gather right under the finalize, a Gather Merge,
-- a Sort in between (holding tokens while the partial aggregate frees each
-- group's state, or handing the same tokens over again on a rescan), spilling
-- hash aggregates (also with states of some MB at the default floor, both
-- sides spilling), rescans that start new workers, the leader taking no
-- rows, and many groups (test/stress runs them many times).  Then the floor
-- at -1 (every state copied, as before) and the parameter's bounds.
SET TimeZone = 'UTC';
SELECT setseed(0.31);
CREATE TABLE ho_events AS
SELECT d AS deal, d % 5 AS region, d % 2000 AS bucket,
       ('{unaware,explore,define,select,decide,approve,realize,lost,no_decision}'::journey_stage[])[1 + (random() * 8)::int] AS stage,
       '2026-01-01'::timestamptz + (random() * 200) * interval '1 day' AS at
  FROM (SELECT d FROM generate_series(1, 12000) d, generate_series(1, 3) k OFFSET 0) g;
INSERT INTO ho_events SELECT deal, region, bucket, NULL, at FROM ho_events WHERE deal % 97 = 0;
ANALYZE ho_events;
-- The funnel per group, every group in one text: planned anew at each use.
CREATE VIEW ho_by_region AS
SELECT string_agg(region || ':' || f, ',' ORDER BY region) AS answer
  FROM (SELECT region, funnel(deal, stage, at)::text AS f FROM ho_events GROUP BY region) g;
CREATE VIEW ho_by_bucket AS
SELECT string_agg(bucket || ':' || f, ',' ORDER BY bucket) AS answer
  FROM (SELECT bucket, funnel(deal, stage, at)::text AS f FROM ho_events GROUP BY bucket) g;

CREATE TEMP TABLE ho_serial AS
SELECT (SELECT funnel(deal, stage, at)::text FROM ho_events) AS f,
       (SELECT time_in_stage(deal, stage, at, '2026-09-01')::text FROM ho_events) AS d,
       (SELECT window_funnel(deal, stage, at, '720 hours', '{explore,define,select}', '{}')::text FROM ho_events) AS w,
       (SELECT answer FROM ho_by_region) AS by_region,
       (SELECT answer FROM ho_by_bucket) AS many_groups;

SET max_parallel_workers_per_gather = 2;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET buyerjourney.state_handover_min_size = 0;
SHOW buyerjourney.state_handover_min_size;

-- A Gather right under the finalize.
EXPLAIN (COSTS OFF) SELECT funnel(deal, stage, at) FROM ho_events;
SELECT (SELECT funnel(deal, stage, at)::text FROM ho_events) = f AS funnel_same,
       (SELECT time_in_stage(deal, stage, at, '2026-09-01')::text FROM ho_events) = d AS durations_same,
       (SELECT window_funnel(deal, stage, at, '720 hours', '{explore,define,select}', '{}')::text FROM ho_events) = w AS window_same
  FROM ho_serial;
-- The leader reads no rows: only workers' states, all through shared memory.
SET parallel_leader_participation = off;
SELECT (SELECT funnel(deal, stage, at)::text FROM ho_events) = f AS workers_only_same FROM ho_serial;
RESET parallel_leader_participation;

-- Groups: a Gather Merge under a sorted finalize, then a hashed one.
SET enable_hashagg = off;
EXPLAIN (COSTS OFF) SELECT region, funnel(deal, stage, at) FROM ho_events GROUP BY region;
SELECT (SELECT answer FROM ho_by_region) = by_region AS sorted_groups_same
  FROM ho_serial;
RESET enable_hashagg;
SET enable_sort = off;
EXPLAIN (COSTS OFF) SELECT region, funnel(deal, stage, at) FROM ho_events GROUP BY region;
SELECT (SELECT answer FROM ho_by_region) = by_region AS hashed_groups_same,
       (SELECT answer FROM ho_by_bucket) = many_groups AS many_groups_same
  FROM ho_serial;
-- Both hash aggregates spill (work_mem): the leader's partial one frees each
-- batch's states, the finalize holds tokens in its spill files meanwhile.
SET work_mem = '64kB';
SET hash_mem_multiplier = 1;
EXPLAIN (COSTS OFF) SELECT bucket, funnel(deal, stage, at) FROM ho_events GROUP BY bucket;
SELECT (SELECT answer FROM ho_by_bucket) = many_groups AS spilled_groups_same
  FROM ho_serial;
RESET work_mem;
RESET hash_mem_multiplier;
RESET enable_sort;
-- Real states over a real spill, at the default floor: each worker's state
-- of a group is some MB (above the 1 MB floor), the groups are runs of
-- consecutive deals (a hash aggregate meets each after the previous one has
-- grown), so with a small work_mem the partial aggregates and the finalize
-- both spill: the finalize deserialises rows of spilled groups, drops them,
-- and reads their tokens again from its spill files.
RESET buyerjourney.state_handover_min_size;
CREATE TABLE ho_big AS
SELECT d::bigint AS deal, d * 4 / 300001 AS run,
       ('{unaware,explore,define,select,decide,approve,realize,lost,no_decision}'::journey_stage[])[1 + ((d * 7 + k * 3) % 9)] AS stage,
       timestamptz '2026-01-01' + (d % 1000) * interval '1 hour' + k * interval '1 day' AS at
  FROM generate_series(1, 300000) d, generate_series(0, 2) k;
ANALYZE ho_big;
CREATE VIEW ho_big_runs AS
SELECT string_agg(run || ':' || f, ',' ORDER BY run) AS answer
  FROM (SELECT run, time_in_stage(deal, stage, at, '2027-01-01')::text || funnel(deal, stage, at)::text AS f
          FROM ho_big GROUP BY run) g;
-- The most batches of the finalize and of any partial aggregate (or worker's).
CREATE FUNCTION ho_batches(query text, OUT finalize int, OUT partial int) LANGUAGE plpgsql AS $$
DECLARE
	plan json;
BEGIN
	EXECUTE 'EXPLAIN (ANALYZE, FORMAT JSON, COSTS OFF, TIMING OFF) ' || query INTO plan;
	-- every node, and each worker's figures of a node (they have no Partial Mode)
	SELECT max((n ->> 'HashAgg Batches')::int) FILTER (WHERE n ->> 'Partial Mode' = 'Finalize'),
	       max((n ->> 'HashAgg Batches')::int) FILTER (WHERE n ->> 'Partial Mode' IS DISTINCT FROM 'Finalize')
	  INTO finalize, partial
	  FROM jsonb_path_query(plan::jsonb, 'strict $.**') n
	 WHERE jsonb_typeof(n) = 'object';
END $$;
SET max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE ho_big_serial AS
SELECT answer FROM ho_big_runs;
SET max_parallel_workers_per_gather = 2;
SET work_mem = '64kB';
SET hash_mem_multiplier = 1;
SET enable_sort = off;
SELECT finalize > 1 AS finalize_spilled, partial > 1 AS partial_spilled
  FROM ho_batches('SELECT run, time_in_stage(deal, stage, at, ''2027-01-01''), funnel(deal, stage, at) FROM ho_big GROUP BY run');
SELECT (SELECT answer FROM ho_big_runs) = answer AS real_states_spilled_same FROM ho_big_serial;
SET parallel_leader_participation = off;
SELECT (SELECT answer FROM ho_big_runs) = answer AS real_states_spilled_workers_only_same FROM ho_big_serial;
RESET parallel_leader_participation;
RESET work_mem;
RESET hash_mem_multiplier;
RESET enable_sort;
DROP VIEW ho_big_runs;
DROP FUNCTION ho_batches;
DROP TABLE ho_big;
SET buyerjourney.state_handover_min_size = 0;
-- A Sort between the Gather and a sorted finalize holds the tokens of every
-- group while the leader's sorted partial aggregate frees each group's state.
SET enable_gathermerge = off;
SET enable_hashagg = off;
EXPLAIN (COSTS OFF) SELECT region, funnel(deal, stage, at) FROM ho_events GROUP BY region;
SELECT (SELECT answer FROM ho_by_region) = by_region AS sorted_under_sort_same
  FROM ho_serial;
RESET enable_gathermerge;
RESET enable_hashagg;

-- Rescans: the inner side of a nested loop, run once per outer row.
SET enable_material = off;
SET enable_hashjoin = off;
SET enable_mergejoin = off;
-- New workers each time: a Gather right under the finalize.
EXPLAIN (COSTS OFF)
SELECT v.x, s.f FROM (VALUES (1), (2), (3)) v(x) LEFT JOIN (SELECT funnel(deal, stage, at)::text AS f FROM ho_events) s ON v.x > 0;
SELECT count(*) AS rescans, bool_and(s.f = ho_serial.f) AS rescans_same
  FROM (VALUES (1), (2), (3)) v(x) LEFT JOIN (SELECT funnel(deal, stage, at)::text AS f FROM ho_events) s ON v.x > 0, ho_serial;
-- A Sort between the Gather and the finalize keeps the tokens and hands
-- them over again on each rescan: what they name must still be there.
SET enable_gathermerge = off;
EXPLAIN (COSTS OFF)
SELECT v.x, s.region, s.f FROM (VALUES (1), (2), (3)) v(x)
  LEFT JOIN (SELECT region, funnel(deal, stage, at)::text AS f FROM ho_events GROUP BY region) s ON v.x > s.region;
SELECT count(*) AS rows_seen,
       bool_and(position(s.region || ':' || s.f IN ho_serial.by_region) > 0) AS replayed_tokens_same
  FROM (VALUES (1), (2), (3)) v(x)
  LEFT JOIN (SELECT region, funnel(deal, stage, at)::text AS f FROM ho_events GROUP BY region) s ON v.x > s.region
  CROSS JOIN ho_serial;
RESET enable_gathermerge;
RESET enable_material;
RESET enable_hashjoin;
RESET enable_mergejoin;

-- Every state copied through the tuple queue, as before: the same answers.
SET buyerjourney.state_handover_min_size = -1;
SELECT (SELECT funnel(deal, stage, at)::text FROM ho_events) = f AS copied_funnel_same,
       (SELECT time_in_stage(deal, stage, at, '2026-09-01')::text FROM ho_events) = d AS copied_durations_same
  FROM ho_serial;
SET buyerjourney.state_handover_min_size = '2MB';
SHOW buyerjourney.state_handover_min_size;
-- (the range's units, shown since PostgreSQL 16, are left out)
DO $$
BEGIN
	SET buyerjourney.state_handover_min_size = -2;
EXCEPTION WHEN invalid_parameter_value THEN
	RAISE NOTICE '% (%)', regexp_replace(SQLERRM, '\((-?\d+) kB \.\. (\d+) kB\)', '(\1 .. \2)'), SQLSTATE;
END $$;
RESET buyerjourney.state_handover_min_size;
RESET max_parallel_workers_per_gather;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
DROP VIEW ho_by_region, ho_by_bucket;
DROP TABLE ho_events;
