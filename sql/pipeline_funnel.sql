--
-- Pipeline conversion: journey and funnel, by hand on small cases, then
-- against a plain-SQL statement of the same definitions on generated data,
-- in any row order, serial and parallel.
--

-- Hand-checked: deal 1 skips select, deal 2 is lost after a regression,
-- deal 3 jumps to realize, deal 4 re-enters define and is still open,
-- deal 5 has two events at the same instant (the higher stage counts as
-- latest), deal 6 has only NULLs (ignored).
CREATE TABLE small_events (deal bigint, stage journey_stage, at timestamptz);
INSERT INTO small_events VALUES
	(1, 'explore', '2026-01-01'), (1, 'define', '2026-01-05'), (1, 'decide', '2026-01-09'),
	(2, 'explore', '2026-01-01'), (2, 'define', '2026-01-02'), (2, 'explore', '2026-01-03'), (2, 'lost', '2026-01-04'),
	(3, 'explore', '2026-01-01'), (3, 'realize', '2026-01-20'),
	(4, 'unaware', '2026-01-01'), (4, 'define', '2026-01-02'), (4, 'explore', '2026-01-03'), (4, 'define', '2026-01-04'),
	(5, 'select', '2026-01-07'), (5, 'no_decision', '2026-01-07'),
	(6, NULL, '2026-01-01'), (6, 'explore', NULL), (NULL, 'explore', '2026-01-01');

-- (times as dates: the events are at midnight in the session's zone, whichever it is)
SELECT deal, stages_entered(j), first_stage(j), first_at(j)::date, last_stage(j), last_at(j)::date
  FROM (SELECT deal, journey(stage, at) AS j FROM small_events GROUP BY deal) AS x
 ORDER BY deal;

-- Strict reading: a stage counts only where the deal had an event.
SELECT * FROM funnel_report((SELECT funnel(deal, stage, at) FROM small_events));
-- Skips counted: deal 1 passed select, deal 3 passed define..approve.
SELECT * FROM funnel_report((SELECT funnel(deal, stage, at) FROM small_events), count_skipped => true);
SELECT * FROM funnel_outcomes((SELECT funnel(deal, stage, at) FROM small_events));
-- Two levels (per deal, then over deals) give the same funnel.  The one-pass
-- form ignores rows without a deal; GROUP BY deal would make them a group.
SELECT (SELECT funnel(deal, stage, at) FROM small_events)::text
     = (SELECT funnel(j) FROM (SELECT journey(stage, at) AS j FROM small_events
                               WHERE deal IS NOT NULL GROUP BY deal) AS x)::text
       AS two_levels_agree;
-- No rows, no funnel.
SELECT funnel(deal, stage, at) IS NULL AS empty FROM small_events WHERE false;

-- Generated journeys: 3000 deals, regressions, skips, re-entries, ties,
-- losses and no-decisions, and NULL rows, stored in random order.
SELECT setseed(0.4242);
CREATE TABLE events AS
WITH RECURSIVE walk(deal, step, stage, at) AS (
	SELECT d, 1, (random() * 2)::int, timestamptz '2026-01-01 00:00+00' + (random() * 90) * interval '1 day'
	  FROM generate_series(1, 3000) AS d
	UNION ALL
	SELECT deal, step + 1,
	       CASE WHEN stage >= 6 THEN 1                                    -- re-opened
	            WHEN r < 0.15 THEN greatest(stage - 1, 0)                 -- regression
	            WHEN r < 0.25 THEN 7 + (random() < 0.6)::int              -- lost / no decision
	            WHEN r < 0.35 THEN least(stage + 2, 6)                    -- skip
	            ELSE stage + 1 END,
	       at + (floor(random() * 4)) * interval '1 day'                 -- 0: a tie
	  FROM (SELECT *, random() AS r FROM walk) AS w
	 WHERE step < 1 + (deal % 9) AND random() < 0.85
)
SELECT * FROM (
	SELECT deal::bigint, journey_stage(stage) AS stage, at FROM walk
	UNION ALL SELECT NULL, 'explore', '2026-01-01'
	UNION ALL SELECT 99999, NULL, '2026-01-01'
) AS all_events ORDER BY random();
SELECT count(*) AS events, count(DISTINCT deal) AS deals FROM events;

-- The definitions of docs/reference.md, in plain SQL.
CREATE VIEW reference_funnel AS
WITH per_deal AS (
	SELECT deal,
	       bit_or(1 << ordinal(stage)) AS mask,
	       max(ordinal(stage)) FILTER (WHERE stage <= 'realize') AS hi,
	       min(ordinal(stage)) FILTER (WHERE stage <= 'realize') AS lo,
	       (array_agg(stage ORDER BY at DESC, stage DESC))[1] AS last
	  FROM events WHERE deal IS NOT NULL AND stage IS NOT NULL AND at IS NOT NULL
	 GROUP BY deal
)
SELECT s.value AS stage,
       count(*) FILTER (WHERE mask & (1 << s.ordinal) <> 0) AS entered,
       count(*) FILTER (WHERE mask & (1 << s.ordinal) <> 0 AND s.ordinal < 6 AND hi > s.ordinal) AS moved_on,
       count(*) FILTER (WHERE mask & (1 << s.ordinal) <> 0
                           OR (s.ordinal <= 6 AND s.ordinal BETWEEN lo AND hi)) AS passed,
       count(*) FILTER (WHERE (mask & (1 << s.ordinal) <> 0 OR (s.ordinal <= 6 AND s.ordinal BETWEEN lo AND hi))
                          AND s.ordinal < 6 AND hi > s.ordinal) AS moved_on_passed,
       count(*) FILTER (WHERE last = s.value) AS current
  FROM journey_stages() AS s CROSS JOIN per_deal
 GROUP BY s.value;

CREATE FUNCTION report_diffs(f funnel) RETURNS bigint LANGUAGE sql AS $$
	SELECT count(*) FROM reference_funnel r
	  JOIN funnel_report(f) a USING (stage)
	  JOIN funnel_report(f, true) b USING (stage)
	 WHERE a.entered <> r.entered OR a.current <> r.current OR b.entered <> r.passed
	    OR (r.stage < 'realize' AND (a.moved_on <> r.moved_on OR b.moved_on <> r.moved_on_passed))
$$;

-- One pass, two levels, and a roll-up of per-week journeys all equal the reference.
SELECT report_diffs((SELECT funnel(deal, stage, at) FROM events)) AS one_pass_diffs,
       report_diffs((SELECT funnel(j) FROM (SELECT journey(stage, at) AS j FROM events WHERE deal IS NOT NULL GROUP BY deal) x)) AS two_level_diffs,
       report_diffs((SELECT funnel(j) FROM (SELECT journey(wj) AS j FROM
                       (SELECT deal, journey(stage, at) AS wj FROM events WHERE deal IS NOT NULL
                        GROUP BY deal, date_trunc('week', at)) w
                     GROUP BY deal) x)) AS weekly_rollup_diffs;
-- Funnels of disjoint groups add up.
SELECT (SELECT funnel(f) FROM (SELECT funnel(deal, stage, at) AS f FROM events GROUP BY deal % 7) x)::text
     = (SELECT funnel(deal, stage, at) FROM events)::text AS groups_add_up;
-- The win, loss and no-decision rates equal plain SQL.
SELECT o.win_rate = r.won::float8 / r.closed AS win_rate_ok,
       o.loss_rate = r.lost::float8 / r.closed AS loss_rate_ok,
       o.no_decision_rate = r.nd::float8 / r.closed AS no_decision_rate_ok,
       o.open + o.won + o.lost + o.no_decision = o.deals AS outcomes_add_up
  FROM funnel_outcomes((SELECT funnel(deal, stage, at) FROM events)) AS o,
       (SELECT sum(current) FILTER (WHERE stage = 'realize') AS won,
               sum(current) FILTER (WHERE stage = 'lost') AS lost,
               sum(current) FILTER (WHERE stage = 'no_decision') AS nd,
               sum(current) FILTER (WHERE stage >= 'realize') AS closed FROM reference_funnel) AS r;

-- Forced parallel plans: Partial and Finalize aggregation, the same answer.
CREATE TEMP TABLE serial_answer AS SELECT funnel(deal, stage, at)::text AS f FROM events;
SET max_parallel_workers_per_gather = 2;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF) SELECT funnel(deal, stage, at) FROM events;
SELECT funnel(deal, stage, at)::text = (SELECT f FROM serial_answer) AS parallel_equals_serial FROM events;
EXPLAIN (COSTS OFF) SELECT funnel(j) FROM (SELECT journey(stage, at) AS j FROM events WHERE deal IS NOT NULL GROUP BY deal) x;
SELECT report_diffs((SELECT funnel(j) FROM (SELECT journey(stage, at) AS j FROM events WHERE deal IS NOT NULL GROUP BY deal) x)) AS parallel_two_level_diffs;
RESET ALL;

-- Text and binary forms round-trip exactly (Citus ships the text form).
CREATE TABLE stored_states (id int, f funnel, j journey);
INSERT INTO stored_states
SELECT 1, (SELECT funnel(deal, stage, at) FROM events),
       (SELECT journey(stage, at) FROM events WHERE deal = 5);
SELECT f::text::funnel::text = f::text AS funnel_text, j::text::journey::text = j::text AS journey_text
  FROM stored_states;
COPY stored_states TO PROGRAM 'cat > /tmp/buyerjourney_regress_states.copy' (FORMAT binary);
CREATE TABLE stored_states2 (LIKE stored_states);
COPY stored_states2 FROM PROGRAM 'cat /tmp/buyerjourney_regress_states.copy' (FORMAT binary);
SELECT a.f::text = b.f::text AS funnel_binary, a.j::text = b.j::text AS journey_binary
  FROM stored_states a JOIN stored_states2 b USING (id);
COPY (SELECT 1) TO PROGRAM 'cat > /dev/null; rm -f /tmp/buyerjourney_regress_states.copy';

-- Bad forms are refused with a reason, never trusted.
SELECT input, try_input(input, 'journey') AS result FROM (VALUES
	('not hex'),
	('0101'),
	('0201' || substr((SELECT j::text FROM stored_states), 5)),
	('0102' || substr((SELECT j::text FROM stored_states), 5)),
	(substr((SELECT j::text FROM stored_states), 1, 42) || '0f'),
	((SELECT j::text FROM stored_states) || '00')) AS t(input);
-- A funnel whose counts do not add up.
SELECT try_input(overlay((SELECT f::text FROM stored_states) placing 'ff' from 19), 'funnel') AS inconsistent_funnel;
