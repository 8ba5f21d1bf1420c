-- Durations: every reader reports a duration justified into 24-hour days and
-- the rest ('9 days 18:00:00', never '234:00:00'), as justify_hours does;
-- extract(epoch) and comparisons read the same either way.
SET TimeZone = 'UTC';
SET IntervalStyle = 'postgres';
CREATE TABLE dur_events (deal bigint, stage journey_stage, at timestamptz);
INSERT INTO dur_events VALUES
	(1, 'explore', '2026-01-01 00:00'), (1, 'define', '2026-01-10 18:00'), (1, 'select', '2026-01-11 06:30'),
	(2, 'explore', '2026-01-02 00:00'), (2, 'define', '2026-01-05 12:00');
CREATE TABLE dur_timelines AS SELECT deal, timeline(stage, at) AS t FROM dur_events GROUP BY deal;

SELECT deal, v.stage, v.duration, v.duration::text = justify_hours(v.duration)::text AS justified,
       extract(epoch FROM v.duration) = extract(epoch FROM coalesce(v.left_at, '2026-02-01') - v.entered_at) AS same_seconds
  FROM dur_timelines, stage_visits(t, '2026-02-01') v ORDER BY deal, v.entered_at;
SELECT deal, s.stage, s.total, s.latest FROM dur_timelines, stage_times(t, '2026-02-01') s ORDER BY deal, s.stage;
SELECT deal, time_in_current_stage(t, '2026-02-01') FROM dur_timelines ORDER BY deal;
SELECT stage, avg_to_next, avg_so_far, avg_visit
  FROM time_in_stage_report((SELECT time_in_stage(deal, stage, at, '2026-02-01') FROM dur_events));
SELECT step, stage, avg_from_previous
  FROM window_funnel_report((SELECT window_funnel(deal, stage, at, '720 hours', '{explore,define,select}', '{}') FROM dur_events));
DROP TABLE dur_events, dur_timelines;
