-- The concrete twin of funnel(deal, stage, at): funnel_distributed, whose
-- state type deal_marks Citus can ship (docs/citus.md).  The same funnel as
-- funnel(deal, stage, at) in every plan (serial, parallel, grouped, window),
-- states that read back through their text and binary forms, and malformed
-- forms refused.
SET TimeZone = 'UTC';

-- 3,000 deals with 1 to 7 events in random order, ties, NULLs, duplicates.
SELECT setseed(0.25);
CREATE TABLE twin_events AS
SELECT (random() * 3000)::bigint AS deal,
       CASE WHEN random() < 0.01 THEN NULL ELSE journey_stage(floor(random() * 9)::int) END AS stage,
       timestamptz '2026-01-01' + floor(random() * 90) * interval '1 day' AS at
  FROM generate_series(1, 12000);
INSERT INTO twin_events SELECT * FROM twin_events WHERE deal % 50 = 0;
INSERT INTO twin_events VALUES (NULL, 'explore', '2026-01-01'), (7, 'realize', NULL);

SELECT funnel(deal, stage, at)::text = funnel_distributed(deal, stage, at)::text AS same_serial FROM twin_events;
SELECT count(*) AS groups, count(*) FILTER (WHERE a::text IS DISTINCT FROM b::text) AS differing
  FROM (SELECT deal % 7 AS g, funnel(deal, stage, at) AS a, funnel_distributed(deal, stage, at) AS b
          FROM twin_events GROUP BY 1) x;
-- a window frame: the state is finalised, then takes more rows
SELECT count(*) FILTER (WHERE a::text IS DISTINCT FROM b::text) AS differing_running
  FROM (SELECT funnel(deal, stage, at) OVER w AS a, funnel_distributed(deal, stage, at) OVER w AS b
          FROM twin_events WINDOW w AS (ORDER BY at, deal, stage)) x;
-- no rows: NULL; only rows without a deal: the funnel of no deals, as funnel(deal, stage, at)
SELECT funnel_distributed(deal, stage, at) IS NULL AS null_without_rows FROM twin_events WHERE false;
SELECT funnel_distributed(deal, stage, at)::text = funnel(deal, stage, at)::text AS same_without_deals
  FROM twin_events WHERE deal IS NULL;

-- In parallel: each worker's state is packed into its tuple, the leader merges.
ALTER TABLE twin_events SET (parallel_workers = 2);
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT funnel_distributed(deal, stage, at) FROM twin_events;
SELECT funnel(deal, stage, at)::text = funnel_distributed(deal, stage, at)::text AS same_parallel FROM twin_events;
RESET max_parallel_workers_per_gather;

-- The state as a value: its text (base64) and binary forms read back, and
-- marks of the same deals from two sets merge as one pass over both.
CREATE AGGREGATE pg_temp.marks_of(bigint, journey_stage, timestamptz) (
	SFUNC = deal_marks_add, STYPE = deal_marks, COMBINEFUNC = deal_marks_merge);
CREATE AGGREGATE pg_temp.merged(deal_marks) (SFUNC = deal_marks_merge, STYPE = deal_marks);
CREATE TABLE twin_states AS
SELECT deal % 3 AS part, pg_temp.marks_of(deal, stage, at) AS m FROM twin_events GROUP BY 1;
SELECT deal_marks_funnel(pg_temp.merged(m))::text = (SELECT funnel(deal, stage, at)::text FROM twin_events) AS stored_merged
  FROM twin_states;
SELECT deal_marks_funnel(pg_temp.merged(m::text::deal_marks))::text
       = (SELECT funnel(deal, stage, at)::text FROM twin_events) AS text_merged
  FROM twin_states;
SELECT bool_and(m::text::deal_marks::text = m::text) AS text_round_trip FROM twin_states;
CREATE TABLE twin_states_back (LIKE twin_states);
COPY twin_states TO PROGRAM 'cat > /tmp/buyerjourney_regress_twins.copy' (FORMAT binary);
COPY twin_states_back FROM PROGRAM 'cat /tmp/buyerjourney_regress_twins.copy; rm -f /tmp/buyerjourney_regress_twins.copy' (FORMAT binary);
SELECT count(*) AS binary_round_trip FROM twin_states s JOIN twin_states_back b ON s.part = b.part AND s.m::text = b.m::text;
-- events of one deal split over sets (a table distributed otherwise than by deal)
SELECT deal_marks_funnel(pg_temp.merged(m))::text = (SELECT funnel(deal, stage, at)::text FROM twin_events) AS split_deals
  FROM (SELECT pg_temp.marks_of(deal, stage, at) AS m FROM (SELECT *, row_number() OVER () AS n FROM twin_events) e GROUP BY n % 5) x;
-- the text of two deals: explore then realize (deal 1), and one event (deal 2)
SELECT pg_temp.marks_of(deal, stage, at)::text AS two_deals
  FROM (VALUES (1::bigint, 'explore'::journey_stage, '2026-01-01'::timestamptz),
               (1, 'realize', '2026-01-05'), (2, 'define', '2026-01-02')) v(deal, stage, at);
SELECT deal_marks_funnel(pg_temp.marks_of(deal, stage, at)::text::deal_marks)::text
       = funnel(deal, stage, at)::text AS empty_state_round_trip
  FROM twin_events WHERE deal IS NULL;

-- Malformed text: not base64 (22P02), not canonical, or not a run of marks.
SELECT 'AQ0AAAAAAAAAAA=='::deal_marks;
SELECT 'AQ0AAAAAAAAAAB=='::deal_marks;
SELECT 'not base64!'::deal_marks;
SELECT 'AQ0AAAAAAAAAAQ=='::deal_marks;
SELECT 'AQ4AAAAAAAAAAA=='::deal_marks;
SELECT 'AQ0AAAAAAAAAAAA='::deal_marks;
