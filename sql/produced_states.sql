-- Every value an aggregate or a merge produces reads back through its own
-- input function: a count or sum past its bound is refused with 22003 when
-- it is made, never wrapped; decoders refuse negative totals.
SET TimeZone = 'UTC';

-- funnel: forged funnels at the count bound (2^48 deals, all at unaware) read,
-- and merging two is refused (it gave a value funnel's input refused, and
-- 32,768 of them gave deals = -2^63).
CREATE TABLE forged_funnel AS
SELECT ('0102' || b || e || e || z || z || e)::funnel AS f
  FROM (SELECT '0001000000000000' AS b, '0001000000000000' || repeat('0', 128) AS e, repeat('0', 144) AS z) x;
SELECT deals FROM funnel_outcomes((SELECT f FROM forged_funnel));
SELECT try_sql($$SELECT funnel(f) FROM forged_funnel, generate_series(1, 2)$$) AS two_at_the_bound,
       try_sql($$SELECT (funnel_outcomes(funnel(f))).deals FROM forged_funnel, generate_series(1, 32768)$$) AS many_at_the_bound;

-- velocity: amounts whose sum would be Infinity, or pass 128 bits, are
-- refused; what is made reads back.
SELECT try_sql($$SELECT pipeline_velocity(j, 1e308) FROM (SELECT journey('realize', timestamptz '2026-01-01 00:00+00') j
                  FROM generate_series(1, 2) g GROUP BY g) x$$) AS amount_1e308,
       try_sql($$SELECT pipeline_velocity(j, 1e38) FROM (SELECT journey('realize', timestamptz '2026-01-01 00:00+00') j
                  FROM generate_series(1, 2) g GROUP BY g) x$$) AS sum_past_128_bits,
       try_sql($$SELECT pipeline_velocity(j, 0.1e-38) FROM (SELECT journey('realize', timestamptz '2026-01-01 00:00+00') j) x$$) AS amount_39_decimals,
       try_sql($$SELECT v::text::velocity::text = v::text FROM (SELECT pipeline_velocity(j, 1e37) v
                  FROM (SELECT journey('realize', timestamptz '2026-01-01 00:00+00') j FROM generate_series(1, 17) g GROUP BY g) x) y$$) AS near_the_bound_reads_back;

-- customer_summary: a sum of more than 3,000 base-10000 digits (what a
-- numeric's binary form may carry) is refused when made; it was made, and
-- its own decoder refused it.
SELECT try_sql($$SELECT customer_summary(10::numeric ^ 12100 + 1, timestamptz '2026-01-01 00:00+00')::text IS NOT NULL$$) AS sum_of_3026_digits,
       try_sql($$SELECT customer_summary(s) IS NOT NULL FROM (SELECT customer_summary(10::numeric ^ 11990 + 1, timestamptz '2026-01-01 00:00+00') s
                  UNION ALL SELECT customer_summary(10::numeric ^ 12100, timestamptz '2026-01-02 00:00+00')) x$$) AS merged_to_3026_digits,
       try_sql($$SELECT customer_summary(10::numeric ^ 11900 + 1, timestamptz '2026-01-01 00:00+00')::text::customer_summary IS NOT NULL$$) AS sum_of_2976_digits_reads_back;

-- stage_durations and window_counts: the sign bit of one total set, in turn
-- for every total, is refused (it was accepted, and its report showed
-- negative average times).
CREATE TABLE produced_events AS
SELECT (g % 5)::bigint AS deal,
       (ARRAY['explore', 'define', 'select', 'decide', 'define', 'realize'])[1 + g % 6]::journey_stage AS stage,
       timestamptz '2024-01-01 00:00+00' + g * interval '7 hours' AS at
  FROM generate_series(1, 60) g;
CREATE TABLE produced AS
SELECT decode(time_in_stage(deal, stage, at, '2024-03-01 00:00+00')::text, 'hex') AS d,
       decode(window_funnel(deal, stage, at, '720 hours', '{explore,define,select,decide}', '{}')::text, 'hex') AS w
  FROM produced_events;
-- stage_durations: per stage from byte 18, 56 bytes: visits, left, left total (16), open, open total (16)
SELECT count(*) AS totals_flipped, count(*) FILTER (WHERE r LIKE '22P02%') AS refused
  FROM produced, generate_series(0, 8) s, (VALUES (16), (40)) t(field),
       LATERAL try_sql(format('SELECT %L::stage_durations', encode(set_byte(d, 18 + s * 56 + field, get_byte(d, 18 + s * 56 + field) | 128), 'hex'))) r;
-- window_counts: per step from byte 36, 24 bytes: reached, time from the step before (16)
SELECT count(*) AS totals_flipped, count(*) FILTER (WHERE r LIKE '22P02%') AS refused
  FROM produced, generate_series(1, 3) k,
       LATERAL try_sql(format('SELECT %L::window_counts', encode(set_byte(w, 36 + k * 24 + 8, get_byte(w, 36 + k * 24 + 8) | 128), 'hex'))) r;
-- the unflipped values read back, and so do their merges
SELECT encode(d, 'hex')::stage_durations::text = encode(d, 'hex') AS durations_read_back,
       (SELECT time_in_stage(x)::text FROM (VALUES (encode(d, 'hex')::stage_durations), (encode(d, 'hex')::stage_durations)) y(x))::stage_durations IS NOT NULL AS durations_merge_reads_back,
       encode(w, 'hex')::window_counts::text = encode(w, 'hex') AS window_read_back
  FROM produced;

DROP TABLE forged_funnel, produced, produced_events;
RESET TimeZone;
