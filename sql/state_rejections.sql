-- Serialized states that are forged, truncated, padded, of another version or
-- kind, or corrupted byte by byte, fed through COPY (FORMAT binary) and
-- through text casts: each is refused with 22P03 (binary) or 22P02 (text),
-- or, when the corruption happens to leave a well-formed state, accepted as a
-- value that then reads back the same.  Never a crash, never another error.
--
-- A binary COPY file with one bytea column holds exactly the bytes of a
-- state's binary field, so forged fields are written with COPY TO and read
-- back with COPY FROM into a column of the state type.
CREATE TABLE forged (payload bytea);
CREATE TABLE landing (journey journey, funnel funnel, velocity velocity, timeline timeline,
	stage_durations stage_durations, window_counts window_counts, customer_summary customer_summary,
	bgnbd_model bgnbd_model, gammagamma_model gammagamma_model);
CREATE FUNCTION copy_state_in(target regtype, payload bytea) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	back text;
	-- one file per server process: other clusters on the machine run this test too
	copy_file text := '/tmp/buyerjourney_regress_forged_' || pg_backend_pid() || '_' || current_setting('port') || '.copy';
BEGIN
	DELETE FROM forged;
	DELETE FROM landing;
	INSERT INTO forged VALUES (payload);
	EXECUTE format('COPY forged TO %L (FORMAT binary)', copy_file);
	EXECUTE format('COPY landing (%I) FROM %L (FORMAT binary)', target::text, copy_file);
	-- accepted: its text form must read back as the same value
	EXECUTE format('SELECT %1$I::text FROM landing WHERE %1$I::text::%2$s::text = %1$I::text', target::text, target) INTO back;
	RETURN CASE WHEN back IS NULL THEN 'accepted, but does not read back' ELSE 'accepted' END;
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE;
END $$;
CREATE FUNCTION cast_state_in(target regtype, payload bytea) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE format('SELECT %L::%s', encode(payload, 'hex'), target);
	RETURN 'accepted';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE;
END $$;

-- One value of every state type, from generated events and orders.
CREATE TABLE rej_events AS
SELECT (g % 7)::bigint AS deal,
       (ARRAY['unaware','explore','define','select','define','decide','approve','realize','lost'])[1 + (g * 5) % 9]::journey_stage AS stage,
       '2024-01-01 00:00+00'::timestamptz + g * interval '19 hours' AS at,
       (g % 13) * 10::numeric AS amount
  FROM generate_series(1, 120) g;
CREATE TABLE samples AS
SELECT 'journey'::regtype AS t, decode((SELECT journey(stage, at) FROM rej_events WHERE deal = 3)::text, 'hex') AS b
UNION ALL SELECT 'funnel', decode((SELECT funnel(deal, stage, at) FROM rej_events)::text, 'hex')
UNION ALL SELECT 'velocity', decode((SELECT pipeline_velocity(j, 1000::numeric) FROM (SELECT journey(stage, at) AS j FROM rej_events GROUP BY deal) x)::text, 'hex')
UNION ALL SELECT 'timeline', decode((SELECT timeline(stage, at) FROM rej_events WHERE deal = 3)::text, 'hex')
UNION ALL SELECT 'stage_durations', decode((SELECT time_in_stage(deal, stage, at, '2024-06-01 00:00+00') FROM rej_events)::text, 'hex')
UNION ALL SELECT 'window_counts', decode((SELECT window_funnel(deal, stage, at, '720 hours', '{explore,define,select,decide}', '{}') FROM rej_events)::text, 'hex')
UNION ALL SELECT 'customer_summary', decode((SELECT customer_summary(amount, at) FROM rej_events)::text, 'hex')
UNION ALL SELECT 'bgnbd_model', decode(bgnbd_model(0.24, 4.4, 0.79, 2.4, '7 days')::text, 'hex')
UNION ALL SELECT 'gammagamma_model', decode(gammagamma_model(6.25, 3.74, 15.44)::text, 'hex');
SELECT t, octet_length(b) AS bytes, b IS NOT NULL AS made FROM samples ORDER BY t::text;

-- Whole-value forgeries, through COPY and through a cast.
SELECT t,
       copy_state_in(t, b) AS valid,
       copy_state_in(t, '') AS empty,
       copy_state_in(t, substr(b, 1, octet_length(b) / 2)) AS half,
       copy_state_in(t, substr(b, 1, octet_length(b) - 1)) AS one_short,
       copy_state_in(t, b || '\x00'::bytea) AS one_over,
       copy_state_in(t, set_byte(b, 0, 99)) AS version_99,
       copy_state_in(t, set_byte(b, 1, (get_byte(b, 1) % 12) + 1)) AS other_kind,
       cast_state_in(t, set_byte(b, 0, 99)) AS cast_version_99,
       cast_state_in(t, b || '\x00'::bytea) AS cast_one_over
  FROM samples ORDER BY t::text;

-- Every byte of every sample set to 0xff, then to 0x00, in turn, in the
-- binary form and in the text form: refused (22P03, 22P02) or accepted as a
-- value that reads back the same, nothing else.
SELECT t, count(*) AS corrupted,
       count(*) FILTER (WHERE r = '22P03') AS refused,
       count(*) FILTER (WHERE r = 'accepted') AS still_well_formed,
       string_agg(DISTINCT r, ', ') FILTER (WHERE r NOT IN ('22P03', 'accepted')) AS anything_else,
       count(*) FILTER (WHERE c = '22P02') AS text_refused,
       string_agg(DISTINCT c, ', ') FILTER (WHERE c NOT IN ('22P02', 'accepted')) AS text_else,
       count(*) FILTER (WHERE (c = 'accepted') <> (r = 'accepted')) AS text_differs
  FROM samples, generate_series(0, octet_length(b) - 1) i, (VALUES (255), (0)) v(x),
       LATERAL copy_state_in(t, set_byte(b, i, x)) r, LATERAL cast_state_in(t, set_byte(b, i, x)) c
 WHERE get_byte(b, i) <> x
 GROUP BY t ORDER BY t::text;

DROP TABLE forged, landing, samples, rej_events;
DROP FUNCTION copy_state_in(regtype, bytea), cast_state_in(regtype, bytea);
