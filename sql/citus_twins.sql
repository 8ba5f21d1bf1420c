-- The concrete twins of the one-pass aggregates, whose state types Citus can
-- ship (docs/citus.md): funnel_distributed (deal_mark_run),
-- time_in_stage_distributed and window_funnel_distributed (deal_event_run).
-- The same results as funnel(deal, …), time_in_stage(deal, …) and
-- window_funnel(deal, …) in every plan (serial, parallel, grouped, window),
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

-- Each one-pass aggregate and its twin, as text (o: one-pass, t: twin).
CREATE VIEW twin_pairs AS
SELECT 'funnel' AS agg, 'funnel(deal, stage, at)' AS o, 'funnel_distributed(deal, stage, at)' AS t
UNION ALL SELECT 'time_in_stage', 'time_in_stage(deal, stage, at, ''2026-03-01'')',
                 'time_in_stage_distributed(deal, stage, at, ''2026-03-01'')'
UNION ALL SELECT 'window_funnel', 'window_funnel(deal, stage, at, ''720 hours'', ''{explore,define,select,decide}'', ''{strict_increase}'')',
                 'window_funnel_distributed(deal, stage, at, ''720 hours'', ''{explore,define,select,decide}'', ''{strict_increase}'')'
UNION ALL SELECT 'window_funnel, no mode', 'window_funnel(deal, stage, at, ''240 hours'', ''{define,select}'')',
                 'window_funnel_distributed(deal, stage, at, ''240 hours'', ''{define,select}'')';
-- pairs_differing(query with %1$s for an aggregate): the pairs whose results differ
CREATE FUNCTION pg_temp.pairs_differing(q text) RETURNS TABLE (agg text, differing bigint) LANGUAGE plpgsql AS $$
DECLARE p record; n bigint;
BEGIN
	FOR p IN SELECT * FROM twin_pairs LOOP
		EXECUTE format('SELECT count(*) FROM ((%s) EXCEPT ALL (%s)) x', format(q, p.o), format(q, p.t)) INTO n;
		agg := p.agg; differing := n; RETURN NEXT;
	END LOOP;
END $$;
SELECT * FROM pg_temp.pairs_differing('SELECT %1$s::text FROM twin_events');
SELECT * FROM pg_temp.pairs_differing('SELECT mod(deal, 7), %1$s::text FROM twin_events GROUP BY 1');
-- a window frame: the state is finalised, then takes more rows
SELECT * FROM pg_temp.pairs_differing('SELECT %1$s OVER (ORDER BY at, deal, stage)::text FROM twin_events WHERE deal < 300');
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
SELECT * FROM pg_temp.pairs_differing('SELECT %1$s::text FROM twin_events');
RESET max_parallel_workers_per_gather;

-- The state as a value: its text (base64) and binary forms read back, and
-- marks of the same deals from two sets merge as one pass over both.
CREATE AGGREGATE pg_temp.marks_of(bigint, journey_stage, timestamptz) (
	SFUNC = deal_mark_run_add, STYPE = deal_mark_run, COMBINEFUNC = deal_mark_run_merge);
CREATE AGGREGATE pg_temp.merged(deal_mark_run) (SFUNC = deal_mark_run_merge, STYPE = deal_mark_run);
CREATE TABLE twin_states AS
SELECT deal % 3 AS part, pg_temp.marks_of(deal, stage, at) AS m FROM twin_events GROUP BY 1;
SELECT deal_mark_run_funnel(pg_temp.merged(m))::text = (SELECT funnel(deal, stage, at)::text FROM twin_events) AS stored_merged
  FROM twin_states;
SELECT deal_mark_run_funnel(pg_temp.merged(m::text::deal_mark_run))::text
       = (SELECT funnel(deal, stage, at)::text FROM twin_events) AS text_merged
  FROM twin_states;
SELECT bool_and(m::text::deal_mark_run::text = m::text) AS text_round_trip FROM twin_states;
CREATE TABLE twin_states_back (LIKE twin_states);
COPY twin_states TO PROGRAM 'cat > /tmp/buyerjourney_regress_twins.copy' (FORMAT binary);
COPY twin_states_back FROM PROGRAM 'cat /tmp/buyerjourney_regress_twins.copy; rm -f /tmp/buyerjourney_regress_twins.copy' (FORMAT binary);
SELECT count(*) AS binary_round_trip FROM twin_states s JOIN twin_states_back b ON s.part = b.part AND s.m::text = b.m::text;
-- events of one deal split over sets (a table distributed otherwise than by deal)
SELECT deal_mark_run_funnel(pg_temp.merged(m))::text = (SELECT funnel(deal, stage, at)::text FROM twin_events) AS split_deals
  FROM (SELECT pg_temp.marks_of(deal, stage, at) AS m FROM (SELECT *, row_number() OVER () AS n FROM twin_events) e GROUP BY n % 5) x;
-- the text of two deals: explore then realize (deal 1), and one event (deal 2)
SELECT pg_temp.marks_of(deal, stage, at)::text AS two_deals
  FROM (VALUES (1::bigint, 'explore'::journey_stage, '2026-01-01'::timestamptz),
               (1, 'realize', '2026-01-05'), (2, 'define', '2026-01-02')) v(deal, stage, at);
SELECT deal_mark_run_funnel(pg_temp.marks_of(deal, stage, at)::text::deal_mark_run)::text
       = funnel(deal, stage, at)::text AS empty_state_round_trip
  FROM twin_events WHERE deal IS NULL;

-- Malformed text: not base64 (22P02), not canonical, or not a run of marks.
SELECT 'AQ0AAAAAAAAAAA=='::deal_mark_run;
SELECT 'AQ0AAAAAAAAAAB=='::deal_mark_run;
SELECT 'not base64!'::deal_mark_run;
SELECT 'AQ0AAAAAAAAAAQ=='::deal_mark_run;
SELECT 'AQ4AAAAAAAAAAA=='::deal_mark_run;
SELECT 'AQ0AAAAAAAAAAAA='::deal_mark_run;
-- a long bad value is cut at a character boundary in the message
SELECT (repeat('x', 39) || '€€€')::deal_mark_run;

-- deal_event_run: the events of one deal split over sets merge as one pass over all.
CREATE AGGREGATE pg_temp.events_of(bigint, journey_stage, timestamptz, timestamptz) (
	SFUNC = deal_event_run_add_durations, STYPE = deal_event_run, COMBINEFUNC = deal_event_run_merge);
CREATE AGGREGATE pg_temp.windows_of(bigint, journey_stage, timestamptz, interval, journey_stage[]) (
	SFUNC = deal_event_run_add_window, STYPE = deal_event_run, COMBINEFUNC = deal_event_run_merge);
CREATE AGGREGATE pg_temp.merged(deal_event_run) (SFUNC = deal_event_run_merge, STYPE = deal_event_run);
SELECT deal_event_run_durations(pg_temp.merged(d::text::deal_event_run))::text
       = (SELECT time_in_stage(deal, stage, at, '2026-03-01')::text FROM twin_events) AS durations_split,
       deal_event_run_window(pg_temp.merged(w::text::deal_event_run))::text
       = (SELECT window_funnel(deal, stage, at, '240 hours', '{define,select}')::text FROM twin_events) AS window_split
  FROM (SELECT pg_temp.events_of(deal, stage, at, '2026-03-01') AS d,
               pg_temp.windows_of(deal, stage, at, '240 hours', '{define,select}') AS w
          FROM (SELECT *, row_number() OVER () AS n FROM twin_events) e GROUP BY n % 5) x;
-- States of different parameters, or of the other aggregate, do not merge.
SELECT pg_temp.merged(d)
  FROM (SELECT pg_temp.events_of(1, 'explore', '2026-01-01', as_of) AS d
          FROM (VALUES ('2026-03-01'::timestamptz), ('2026-03-02')) v(as_of) GROUP BY as_of) x;
SELECT deal_event_run_window(pg_temp.events_of(deal, stage, at, '2026-03-01')) FROM twin_events;
SELECT pg_temp.marks_of(deal, stage, at)::text::deal_event_run FROM twin_events;
SELECT pg_temp.events_of(deal, stage, at, '2026-03-01')::text::deal_mark_run FROM twin_events;
SELECT time_in_stage_distributed(deal, stage, at, as_of) FROM (VALUES (1, '2026-03-01'::timestamptz), (2, '2026-03-02')) v(deal, as_of),
       LATERAL (VALUES ('explore'::journey_stage, '2026-01-01'::timestamptz)) e(stage, at);
SELECT window_funnel_distributed(deal, 'explore', '2026-01-01', w, '{explore}') FROM (VALUES (1, '24 hours'::interval), (2, '48 hours')) v(deal, w);
-- the parameters changing back and forth is still refused (they are compared, not only remembered)
SELECT window_funnel_distributed(deal, 'explore', '2026-01-01', w, '{explore}')
  FROM (VALUES (1, '24 hours'::interval), (2, '24 hours'), (3, '48 hours'), (4, '24 hours')) v(deal, w);
SELECT time_in_stage_distributed(1, 'explore', '2026-01-01', NULL);
-- A head holding counts (a result, not only its parameters) is refused: its
-- counts would be added to every answer.
SELECT translate(encode(decode(r::text, 'hex') || substring(deal_event_run_send(d) FROM length(decode(r::text, 'hex')) + 1),
                        'base64'), E'\n', '')::deal_event_run
  FROM (SELECT time_in_stage(deal, stage, at, '2026-03-01') AS r, pg_temp.events_of(deal, stage, at, '2026-03-01') AS d
          FROM twin_events) x;
SELECT translate(encode(decode(r::text, 'hex') || substring(deal_event_run_send(d) FROM length(decode(r::text, 'hex')) + 1),
                        'base64'), E'\n', '')::deal_event_run
  FROM (SELECT window_funnel(deal, stage, at, '240 hours', '{define,select}') AS r,
               pg_temp.windows_of(deal, stage, at, '240 hours', '{define,select}') AS d FROM twin_events) x;
SELECT bool_and(d::text::deal_event_run::text = d::text) AS events_text_round_trip
  FROM (SELECT pg_temp.events_of(deal, stage, at, '2026-03-01') AS d FROM twin_events GROUP BY deal % 3) x;

-- funnel_colocated, time_in_stage_colocated and window_funnel_colocated: for
-- tables whose deals are each on one shard.  Serial and grouped: the one-pass answers.
SELECT count(*) AS colocated_differing FROM (
  (SELECT mod(deal, 7), funnel(deal, stage, at)::text, time_in_stage(deal, stage, at, '2026-03-01')::text,
          window_funnel(deal, stage, at, '720 hours', '{explore,define,select,decide}', '{strict_increase}')::text,
          window_funnel(deal, stage, at, '240 hours', '{define,select}')::text FROM twin_events GROUP BY 1)
  EXCEPT ALL
  (SELECT mod(deal, 7), funnel_colocated(deal, stage, at)::text, time_in_stage_colocated(deal, stage, at, '2026-03-01')::text,
          window_funnel_colocated(deal, stage, at, '720 hours', '{explore,define,select,decide}', '{strict_increase}')::text,
          window_funnel_colocated(deal, stage, at, '240 hours', '{define,select}')::text FROM twin_events GROUP BY 1)) x;
-- PostgreSQL's own partial aggregation splits deals over parallel workers and
-- over partitions: there the states keep their marks and events (they see
-- the Agg node's aggsplit), so the answers stay exact; were that missed, these
-- would fail with 22023.
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT time_in_stage_colocated(deal, stage, at, '2026-03-01') FROM twin_events;
SELECT funnel_colocated(deal, stage, at)::text = (SELECT funnel(deal, stage, at)::text FROM twin_events) AS funnel_parallel,
       time_in_stage_colocated(deal, stage, at, '2026-03-01')::text
       = (SELECT time_in_stage(deal, stage, at, '2026-03-01')::text FROM twin_events) AS durations_parallel,
       window_funnel_colocated(deal, stage, at, '240 hours', '{define,select}')::text
       = (SELECT window_funnel(deal, stage, at, '240 hours', '{define,select}')::text FROM twin_events) AS window_parallel
  FROM twin_events;
RESET max_parallel_workers_per_gather;
CREATE TABLE twin_events_by_month (LIKE twin_events) PARTITION BY RANGE (at);
CREATE TABLE twin_events_jan PARTITION OF twin_events_by_month FOR VALUES FROM (MINVALUE) TO ('2026-02-01');
CREATE TABLE twin_events_feb PARTITION OF twin_events_by_month FOR VALUES FROM ('2026-02-01') TO ('2026-03-01');
CREATE TABLE twin_events_later PARTITION OF twin_events_by_month FOR VALUES FROM ('2026-03-01') TO (MAXVALUE);
INSERT INTO twin_events_by_month SELECT * FROM twin_events WHERE at IS NOT NULL;
SET enable_partitionwise_aggregate = on;
SET max_parallel_workers_per_gather = 0;
EXPLAIN (COSTS OFF) SELECT mod(deal, 3), funnel_colocated(deal, stage, at) FROM twin_events_by_month GROUP BY 1;
SELECT count(*) AS partitionwise_differing FROM (
  (SELECT mod(deal, 3), funnel(deal, stage, at)::text, time_in_stage(deal, stage, at, '2026-03-01')::text,
          window_funnel(deal, stage, at, '240 hours', '{define,select}')::text FROM twin_events WHERE at IS NOT NULL GROUP BY 1)
  EXCEPT ALL
  (SELECT mod(deal, 3), funnel_colocated(deal, stage, at)::text, time_in_stage_colocated(deal, stage, at, '2026-03-01')::text,
          window_funnel_colocated(deal, stage, at, '240 hours', '{define,select}')::text FROM twin_events_by_month GROUP BY 1)) x;
RESET enable_partitionwise_aggregate;
RESET max_parallel_workers_per_gather;
-- Shards of whole deals (grouped by a hash of the deal): each state leaves
-- summarised (its result and its set of deals: a few bytes a deal), and the
-- states merge to the one-pass answer, through their text too.
CREATE AGGREGATE pg_temp.whole_events_of(bigint, journey_stage, timestamptz, timestamptz) (
	SFUNC = deal_event_run_add_durations_whole, STYPE = deal_event_run, COMBINEFUNC = deal_event_run_merge);
CREATE AGGREGATE pg_temp.whole_windows_of(bigint, journey_stage, timestamptz, interval, journey_stage[]) (
	SFUNC = deal_event_run_add_window_whole, STYPE = deal_event_run, COMBINEFUNC = deal_event_run_merge);
CREATE AGGREGATE pg_temp.whole_marks_of(bigint, journey_stage, timestamptz) (
	SFUNC = deal_mark_run_add_whole, STYPE = deal_mark_run, COMBINEFUNC = deal_mark_run_merge);
CREATE TABLE whole_states AS
SELECT hashint8(deal) & 7 AS shard, count(DISTINCT deal) AS deals,
       pg_temp.whole_events_of(deal, stage, at, '2026-03-01') AS d,
       pg_temp.whole_windows_of(deal, stage, at, '240 hours', '{define,select}') AS w,
       pg_temp.whole_marks_of(deal, stage, at) AS m
  FROM twin_events WHERE deal IS NOT NULL GROUP BY 1;
SELECT bool_and(length(d::text) < 800 + 3 * deals AND length(w::text) < 800 + 3 * deals
                AND length(m::text) < 600 + 3 * deals) AS summarised_small,
       bool_and(d::text::deal_event_run::text = d::text AND m::text::deal_mark_run::text = m::text) AS whole_text_round_trip
  FROM whole_states;
SELECT deal_mark_run_funnel(pg_temp.merged(m::text::deal_mark_run))::text
       = (SELECT funnel(deal, stage, at)::text FROM twin_events) AS whole_funnel_merged
  FROM whole_states;
-- with marks of other deals: exact; of the same deals, or a state twice: refused
SELECT deal_mark_run_funnel(pg_temp.merged(m))::text = (SELECT funnel(deal, stage, at)::text FROM twin_events) AS whole_and_marks_merged
  FROM (SELECT m FROM whole_states WHERE shard < 4
        UNION ALL SELECT pg_temp.marks_of(deal, stage, at) FROM twin_events WHERE hashint8(deal) & 7 >= 4) x;
SELECT deal_mark_run_funnel(pg_temp.merged(m))
  FROM (SELECT m FROM whole_states UNION ALL SELECT pg_temp.marks_of(deal, stage, at) FROM twin_events WHERE deal = 42) x;
-- (which deal is named first depends on the random rows, which differ between
-- PostgreSQL versions: the SQLSTATE only)
CREATE FUNCTION pg_temp.sqlstate_of(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE q;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE || ': ' || regexp_replace(SQLERRM, 'deal -?[0-9]+', 'deal N');
END $$;
SELECT pg_temp.sqlstate_of('SELECT deal_mark_run_funnel(pg_temp.merged(m)) FROM (SELECT m FROM whole_states UNION ALL SELECT m FROM whole_states) x') AS state_twice;
SELECT deal_event_run_durations(pg_temp.merged(d::text::deal_event_run))::text
       = (SELECT time_in_stage(deal, stage, at, '2026-03-01')::text FROM twin_events) AS whole_durations_merged,
       deal_event_run_window(pg_temp.merged(w::text::deal_event_run))::text
       = (SELECT window_funnel(deal, stage, at, '240 hours', '{define,select}')::text FROM twin_events) AS whole_window_merged
  FROM whole_states;
-- merged with the events of other deals: exact; of the same deals: refused
SELECT deal_event_run_durations(pg_temp.merged(d))::text
       = (SELECT time_in_stage(deal, stage, at, '2026-03-01')::text FROM twin_events) AS whole_and_events_merged
  FROM (SELECT d FROM whole_states WHERE shard < 4
        UNION ALL SELECT pg_temp.events_of(deal, stage, at, '2026-03-01') FROM twin_events WHERE hashint8(deal) & 7 >= 4) x;
SELECT deal_event_run_durations(pg_temp.merged(d))
  FROM (SELECT d FROM whole_states
        UNION ALL SELECT pg_temp.events_of(deal, stage, at, '2026-03-01') FROM twin_events WHERE deal = 42) x;
-- deals split over "shards" (a table distributed otherwise): 22023, never a deal counted twice
SELECT pg_temp.sqlstate_of($q$SELECT deal_event_run_window(pg_temp.merged(w))
  FROM (SELECT pg_temp.whole_windows_of(deal, stage, at, '240 hours', '{define,select}') AS w
          FROM (SELECT *, row_number() OVER (ORDER BY deal, at, stage) AS n FROM twin_events) e GROUP BY n % 5) x$q$) AS split_deals;
SELECT pg_temp.sqlstate_of('SELECT deal_event_run_durations(pg_temp.merged(d)) FROM (SELECT d FROM whole_states UNION ALL SELECT d FROM whole_states) x')
       AS durations_state_twice;
SET max_parallel_workers_per_gather = 0;
-- Forged forms: a window result of more deals than its set (the deals count
-- at byte 28 of the head); a set naming a deal twice (after the 522 bytes of
-- a time-in-stage head: 2 deals, gaps 1 and 0), refused, and the same set
-- with gaps 1 and 1, read.
SELECT translate(encode(set_byte(deal_event_run_send(w), 34, 99), 'base64'), E'\n', '')::deal_event_run
  FROM whole_states WHERE shard = 0;
-- a funnel of more deals than its set (its deals count: bytes 2 to 9)
SELECT translate(encode(set_byte(deal_mark_run_send(m), 8, 99), 'base64'), E'\n', '')::deal_mark_run
  FROM whole_states WHERE shard = 0;
SELECT translate(encode(substring(s FROM 1 FOR 522) || '\x020100'::bytea || substring(s FROM length(s) - 9), 'base64'),
                 E'\n', '')::deal_event_run
  FROM (SELECT deal_event_run_send(pg_temp.whole_events_of(deal, stage, at, '2026-03-01')) AS s
          FROM twin_events WHERE deal = 42) x;
SELECT translate(encode(substring(s FROM 1 FOR 522) || '\x020101'::bytea || substring(s FROM length(s) - 9), 'base64'),
                 E'\n', '')::deal_event_run IS NOT NULL AS two_deals_read
  FROM (SELECT deal_event_run_send(pg_temp.whole_events_of(deal, stage, at, '2026-03-01')) AS s
          FROM twin_events WHERE deal = 42) x;
-- The transition called by hand, twice on one deal: merged in this process,
-- the first state's events are read, not its summary.
SELECT deal_event_run_durations(deal_event_run_add_durations_whole(
         deal_event_run_add_durations_whole(NULL, 1, 'explore', '2026-01-01', '2026-03-01'),
         1, 'define', '2026-01-05', '2026-03-01'))::text
       = (SELECT time_in_stage(deal, stage, at, '2026-03-01')::text
            FROM (VALUES (1::bigint, 'explore'::journey_stage, '2026-01-01'::timestamptz), (1, 'define', '2026-01-05')) v(deal, stage, at))
       AS by_hand_twice;
SELECT deal_mark_run_funnel(deal_mark_run_add_whole(deal_mark_run_add_whole(NULL, 1, 'explore', '2026-01-01'),
                                                    1, 'define', '2026-01-05'))::text
       = (SELECT funnel(deal, stage, at)::text
            FROM (VALUES (1::bigint, 'explore'::journey_stage, '2026-01-01'::timestamptz), (1, 'define', '2026-01-05')) v(deal, stage, at))
       AS funnel_by_hand_twice;
-- Forged time-in-stage heads: a result of two deals (bytes 10-17) with a set
-- of one, and counts (a visit to the stage coded 1, ended: bytes 74-89) with
-- no set at all, each a valid stage_durations: both refused, since the
-- counts would be added to every answer they merge into.
SELECT translate(encode(substring(s FROM 1 FOR 522) || '\x0100'::bytea || substring(s FROM length(s) - 9), 'base64'),
                 E'\n', '')::deal_event_run
  FROM (SELECT deal_event_run_send(pg_temp.whole_events_of(deal, stage, at, '2026-03-01')) AS s
          FROM twin_events WHERE deal IN (42, 43) AND at < '2026-03-01') x;
SELECT translate(encode(substring(s FROM 1 FOR 74) || '\x00000000000000010000000000000001'::bytea || substring(s FROM 91),
                        'base64'), E'\n', '')::deal_event_run
  FROM (SELECT deal_event_run_send(pg_temp.whole_events_of(NULL, 'explore', '2026-01-01', '2026-03-01')) AS s) x;
-- ... and the same forms with the set and the counts they need, read
SELECT translate(encode(substring(s FROM 1 FOR 522) || '\x020001'::bytea || substring(s FROM length(s) - 9), 'base64'),
                 E'\n', '')::deal_event_run IS NOT NULL AS two_deals_two_in_set_read
  FROM (SELECT deal_event_run_send(pg_temp.whole_events_of(deal, stage, at, '2026-03-01')) AS s
          FROM twin_events WHERE deal IN (42, 43) AND at < '2026-03-01') x;
SELECT translate(encode(substring(s FROM 1 FOR 74) || '\x00000000000000010000000000000001'::bytea || substring(s FROM 91 FOR 432)
                        || '\x0100'::bytea || substring(s FROM 524), 'base64'), E'\n', '')::deal_event_run IS NOT NULL
         AS counts_with_a_set_read
  FROM (SELECT deal_event_run_send(pg_temp.whole_events_of(NULL, 'explore', '2026-01-01', '2026-03-01')) AS s) x;
-- Partitions of whole deals (by a hash of the deal), aggregated partition by
-- partition: each partition's state is summarised as it is handed, in the
-- same process, to the Finalize Aggregate's merge; the one-pass answers.
CREATE TABLE twin_parts (deal bigint, stage journey_stage, at timestamptz) PARTITION BY HASH (deal);
CREATE TABLE twin_parts_0 PARTITION OF twin_parts FOR VALUES WITH (MODULUS 3, REMAINDER 0);
CREATE TABLE twin_parts_1 PARTITION OF twin_parts FOR VALUES WITH (MODULUS 3, REMAINDER 1);
CREATE TABLE twin_parts_2 PARTITION OF twin_parts FOR VALUES WITH (MODULUS 3, REMAINDER 2);
INSERT INTO twin_parts SELECT * FROM twin_events;
ANALYZE twin_parts;
SET enable_partitionwise_aggregate = on;
SET max_parallel_workers_per_gather = 0;
EXPLAIN (COSTS OFF) SELECT time_in_stage_colocated(deal, stage, at, '2026-03-01') FROM twin_parts;
SELECT time_in_stage_colocated(deal, stage, at, '2026-03-01')::text
         = (SELECT time_in_stage(deal, stage, at, '2026-03-01')::text FROM twin_events) AS partitionwise_durations,
       window_funnel_colocated(deal, stage, at, '720 hours', '{explore,define,select,decide}', '{strict_increase}')::text
         = (SELECT window_funnel(deal, stage, at, '720 hours', '{explore,define,select,decide}', '{strict_increase}')::text
              FROM twin_events) AS partitionwise_window
  FROM twin_parts;
RESET enable_partitionwise_aggregate;
RESET max_parallel_workers_per_gather;
-- Counts of summarised deals add up within their range, checked as they
-- merge (before the final looks at the deals, so that no sum can wrap): three
-- forged states, each of 2^47 ended visits (a valid stage_durations), merge
-- to 22003.
SELECT deal_event_run_durations(pg_temp.merged(translate(encode(
         substring(s FROM 1 FOR 74) || '\x00008000000000000000800000000000'::bytea || substring(s FROM 91 FOR 432)
         || '\x0100'::bytea || substring(s FROM 524), 'base64'), E'\n', '')::deal_event_run))
  FROM (SELECT deal_event_run_send(pg_temp.whole_events_of(NULL, 'explore', '2026-01-01', '2026-03-01')) AS s) x,
       generate_series(1, 3);
-- The same when a state leaves summarised: a forged state of 2^48 visits (the
-- most a stage_durations holds) and one more deal's visit, by the _whole
-- transition, is 22003 as it is written, not a text its input refuses.
SELECT deal_event_run_add_durations_whole(translate(encode(
         substring(s FROM 1 FOR 74) || '\x00010000000000000001000000000000'::bytea || substring(s FROM 91 FOR 432)
         || '\x0100'::bytea || substring(s FROM 524), 'base64'), E'\n', '')::deal_event_run,
         5, 'explore', '2026-01-02', '2026-03-01')::text
  FROM (SELECT deal_event_run_send(pg_temp.whole_events_of(NULL, 'explore', '2026-01-01', '2026-03-01')) AS s) x;
