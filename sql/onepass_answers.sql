-- Wrong answers found in review (issue 15) and readers' gaps (issue 20),
-- each checked here against what plain SQL says.
SET TimeZone = 'UTC';

-- Issue 15, defect 1: 17 rows of two deals in alternating order.  When the
-- 16-record buffer filled, it was sorted and collapsed, and the 17th record
-- (of the deal now last) was appended while the buffer stayed marked sorted:
-- that deal was read twice (3 deals, one both open and won).
SELECT (funnel_outcomes(funnel(CASE WHEN k % 2 = 0 THEN 1 ELSE 2 END, 'explore',
        timestamptz '2026-01-01' + k * interval '1 hour'))).deals
  FROM generate_series(1, 17) k;
-- Every row count from 1 to 40, in three orders, against count(DISTINCT deal):
-- time_in_stage and window_funnel read the same log.
CREATE TABLE alternating AS
	SELECT n, k, CASE WHEN k % 2 = 0 THEN 1 ELSE 2 END AS deal,
	       (ARRAY['explore', 'define', 'realize']::journey_stage[])[1 + k % 3] AS stage,
	       timestamptz '2026-01-01' + k * interval '1 hour' AS at
	  FROM generate_series(1, 40) n, generate_series(1, n) k;
SELECT count(*) AS row_counts,
       count(*) FILTER (WHERE by_k = truth AND by_k_desc = truth AND by_stage = truth) AS funnel_right,
       count(*) FILTER (WHERE tis = truth AND wf = with_explore) AS time_in_stage_and_window_funnel_right
  FROM (SELECT n, count(DISTINCT deal) AS truth, count(DISTINCT deal) FILTER (WHERE stage = 'explore') AS with_explore,
               (funnel_outcomes(funnel(deal, stage, at ORDER BY k))).deals AS by_k,
               (funnel_outcomes(funnel(deal, stage, at ORDER BY k DESC))).deals AS by_k_desc,
               (funnel_outcomes(funnel(deal, stage, at ORDER BY stage, k))).deals AS by_stage,
               (SELECT sum(r.still_there) FROM time_in_stage_report(time_in_stage(deal, stage, at, '2027-01-01')) r) AS tis,
               (SELECT r.deals FROM window_funnel_report(window_funnel(deal, stage, at, '1000 hours', '{explore}')) r) AS wf
          FROM alternating GROUP BY n) x;
DROP TABLE alternating;

-- Issue 15, defect 2: a stage listed twice in the steps counts at each place.
SELECT (window_funnel(timeline(s, t), '10000 seconds', '{explore,define,explore}', '{}')).*
  FROM (VALUES ('explore'::journey_stage, timestamptz '2018-01-01 00:00:01+00'),
               ('define', '2018-01-01 00:00:02+00'), ('explore', '2018-01-01 00:00:03+00')) v(s, t);
SELECT step, stage, deals, avg_from_previous
  FROM window_funnel_report((SELECT window_funnel(1, s, t, '10000 seconds', '{explore,define,explore}')
                               FROM (VALUES ('explore'::journey_stage, timestamptz '2018-01-01 00:00:01+00'),
                                            ('define', '2018-01-01 00:00:02+00'),
                                            ('explore', '2018-01-01 00:00:03+00')) v(s, t)));
-- Back to an earlier stage and on again: explore, define, explore, define.
SELECT (window_funnel(timeline(s, t), '1 hour', '{explore,define,explore,define}')).depth
  FROM (VALUES ('explore'::journey_stage, timestamptz '2018-01-01 00:00:01+00'),
               ('define', '2018-01-01 00:00:02+00'), ('explore', '2018-01-01 00:00:03+00'),
               ('define', '2018-01-01 00:00:04+00')) v(s, t);
-- One event stands for every step that names its stage (ClickHouse's
-- default), unless strict_once: explore alone reaches {explore,explore} in
-- the default mode, not with strict_once.
SELECT mode, (window_funnel(t, '1 hour', '{explore,explore}', mode)).depth
  FROM (SELECT timeline('explore', timestamptz '2018-01-01') AS t) x, (VALUES ('{}'::text[]), ('{strict_once}')) m(mode);
-- Events at one instant are read in step order, not stage order (ClickHouse
-- sorts its (time, condition) pairs so): with steps listed out of stage
-- order, lost then unaware at one instant is steps 1 and 2 (depth 2; 1 with
-- strict_increase, where one instant is one step at most).
SELECT mode, (window_funnel(timeline(s, t), '1 hour', '{lost,unaware,select}', mode)).depth
  FROM (VALUES ('lost'::journey_stage, timestamptz '2026-01-01 12:00+00'), ('unaware', '2026-01-01 12:00+00')) v(s, t),
       (VALUES ('{}'::text[]), ('{strict_order}'), ('{strict_once}'), ('{strict_increase}')) m(mode)
 GROUP BY mode ORDER BY mode;
-- step_at is the first chain to reach the deal's depth (docs/window-funnel.md):
-- a restart that goes no deeper changes nothing; a chain that goes deeper
-- replaces it; among chains reaching the depth at one event, the latest steps.
SELECT name, mode, (window_funnel(timeline(s, t), '240 hours', steps, mode)).step_at
  FROM (VALUES ('restart', '{explore,define}'::journey_stage[], '{}'::text[],
                '{explore,explore}'::journey_stage[], '{1,2}'::int[]),
               ('same steps again', '{explore,define,select}', '{}', '{explore,define,explore,define}', '{1,2,3,4}'),
               ('deeper', '{explore,define}', '{}', '{explore,explore,define}', '{1,2,3}'),
               ('one event, two chains', '{explore,define,select}', '{strict_once}', '{explore,define,define,select}', '{1,2,3,4}'))
         c(name, steps, mode, stages, days),
       LATERAL unnest(stages, days) e(s, d), LATERAL (SELECT timestamptz '2026-01-01 00:00+00' + (d - 1) * interval '1 day') x(t)
 GROUP BY name, steps, mode ORDER BY name;

-- Issue 20, item 4: window_funnel(deal, stage, at, window, steps) is the default mode.
SELECT (SELECT window_funnel(d, s, t, '1 hour', '{explore,define}')::text
          FROM (VALUES (1, 'explore'::journey_stage, timestamptz '2018-01-01'), (1, 'define', '2018-01-01 00:30')) v(d, s, t)) =
       (SELECT window_funnel(d, s, t, '1 hour', '{explore,define}', '{}')::text
          FROM (VALUES (1, 'explore'::journey_stage, timestamptz '2018-01-01'), (1, 'define', '2018-01-01 00:30')) v(d, s, t))
       AS five_arguments_as_default;
-- Issue 20, item 6: a NULL mode is refused as NULL, not as an unknown mode "".
SELECT try_sql($$SELECT window_funnel(1, 'explore', now(), '1 hour', '{explore}', ARRAY['strict_order', NULL])$$) AS onepass_null_mode,
       try_sql($$SELECT window_funnel(timeline('explore', now()), '1 hour', '{explore}', ARRAY[NULL]::text[])$$) AS timeline_null_mode,
       try_sql($$SELECT window_funnel(1, 'explore', now(), '1 hour', '{explore}', NULL)$$) AS null_modes;
