-- An event at -infinity or infinity has no duration from or to anything:
-- every aggregate refuses it with 22008, as PostgreSQL refuses subtracting
-- such a time (it became a 292,271-year visit in stage_visits, stage_times
-- and time_in_stage_report).  A bound (as_of) must be finite too (22023).
SELECT e AS event, try_sql(q) AS answer FROM (VALUES
	('timeline', $$SELECT stage_visits(timeline(s, t), '2026-02-01 00:00+00') FROM (VALUES ('explore'::journey_stage, timestamptz '-infinity'), ('define', '2026-01-01 00:00+00')) v(s, t)$$),
	('timeline_add', $$SELECT timeline_add(NULL, 'explore', 'infinity')$$),
	('journey', $$SELECT journey(s, t) FROM (VALUES ('explore'::journey_stage, timestamptz '-infinity')) v(s, t)$$),
	('funnel', $$SELECT funnel(1, s, t) FROM (VALUES ('explore'::journey_stage, timestamptz 'infinity')) v(s, t)$$),
	('time_in_stage', $$SELECT time_in_stage(1, s, t, '2026-02-01 00:00+00') FROM (VALUES ('explore'::journey_stage, timestamptz '-infinity'), ('define', '2026-01-01 00:00+00')) v(s, t)$$),
	('window_funnel', $$SELECT window_funnel(1, s, t, '1 hour', '{explore}', '{}') FROM (VALUES ('explore'::journey_stage, timestamptz '-infinity')) v(s, t)$$),
	('customer_summary', $$SELECT customer_summary(1, timestamptz '-infinity')$$),
	('customer_summary of dates', $$SELECT customer_summary(1, date 'infinity')$$),
	('as_of', $$SELECT stage_times(timeline('explore', timestamptz '2026-01-01 00:00+00'), 'infinity')$$)
) v(e, q);

-- States read from outside: a journey or timeline holding an infinite time
-- (INT64_MIN, INT64_MAX) is refused.
SELECT try_sql(format('SELECT %L::journey', '0101' || '8000000000000000' || '0002ef1bab9ef43e' || '0002' || '0101')) AS journey_from_minus_infinity,
       try_sql(format('SELECT %L::timeline', '0105' || '00000001' || '7fffffffffffffff' || '01')) AS timeline_at_infinity;
