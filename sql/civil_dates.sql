-- A date is a civil day: a customer summary of dates gives the same answers
-- in every session time zone.  Each answer is computed under UTC, UTC+8,
-- UTC-8/-7 (DST), UTC+12:45/+13:45 and UTC-12, and must not change; the
-- as_of is given as an untyped literal, a date and a timestamptz of the
-- session's zone (what now() is for an analyst there).  scripts/test also
-- runs the whole suite under several zones.
CREATE FUNCTION in_zones(query text) RETURNS TABLE (zone text, answer text) LANGUAGE plpgsql AS $$
BEGIN
	FOREACH zone IN ARRAY ARRAY['UTC', 'Asia/Shanghai', 'America/Los_Angeles', 'Pacific/Chatham', 'Etc/GMT+12'] LOOP
		PERFORM set_config('TimeZone', zone, true);
		answer := try_sql(query);
		RETURN NEXT;
	END LOOP;
END $$;
-- one row per query: the answer, and whether every zone gave it
CREATE FUNCTION zone_free(query text) RETURNS TABLE (answer text, zones bigint, same_in_every_zone boolean)
LANGUAGE sql AS $$
	SELECT min(answer), count(*), count(DISTINCT answer) = 1 FROM in_zones(query)
$$;

CREATE TABLE civil_orders (customer int, amount numeric, on_date date);
INSERT INTO civil_orders VALUES
	(1, 10, '1997-01-01'), (1, 20, '1997-01-01'), (1, 5, '1997-03-15'), (1, 7.5, '1997-06-30'),
	(2, 40, '1997-09-30'),
	(3, 12, '1997-02-28'), (3, 12, '1997-03-01');
CREATE TABLE civil AS
SELECT customer, customer_summary(amount, on_date) AS s, customer_summary(amount, on_date, 'month') AS by_month
  FROM civil_orders GROUP BY customer;

-- The issue's reproducer: UTC gives 38.857 weeks, and as_of on the day of the
-- only purchase is age 0, not an error.
SELECT q, z.* FROM (VALUES
	($$SELECT round(customer_age(customer_summary(10, date '1997-01-01'), '1997-09-30', '1 week')::numeric, 4)$$),
	($$SELECT customer_age(customer_summary(10, date '1997-09-30'), '1997-09-30', '1 week')$$),
	($$SELECT customer_age(customer_summary(10, date '1997-09-30'), date '1997-09-30', '1 day')$$),
	($$SELECT customer_age(customer_summary(10, date '1997-09-30'), '1997-09-30 23:59'::timestamptz, '1 day')$$),
	($$SELECT string_agg(customer_age(s, '1997-09-30', '1 day') || '/' || customer_age(by_month, '1997-09-30', '1 month'), ' ' ORDER BY customer) FROM civil$$),
	($$SELECT string_agg(recency(s, '1 day') || '/' || frequency(s), ' ' ORDER BY customer) FROM civil$$),
	($$SELECT string_agg(first_purchase(s)::date || '..' || last_purchase(s)::date, ' ' ORDER BY customer) FROM civil$$),
	($$SELECT string_agg(round(probability_alive(bgnbd_model(0.24, 4.4, 0.79, 2.4, '7 days'), s, '1997-09-30')::numeric, 6)::text, ' ' ORDER BY customer) FROM civil$$),
	($$SELECT string_agg(round(expected_purchases(bgnbd_model(0.24, 4.4, 0.79, 2.4, '7 days'), s, '1997-09-30', '39 weeks')::numeric, 6)::text, ' ' ORDER BY customer) FROM civil$$),
	($$SELECT string_agg(round((ltv(s, '1997-09-30', bgnbd_model(0.24, 4.4, 0.79, 2.4, '7 days'), gammagamma_model(6.25, 3.74, 15.44), '4 weeks', 12, 0.01)).total, 6)::text, ' ' ORDER BY customer) FROM civil$$),
	($$SELECT string_agg(lifecycle_phase_of(s, '1997-09-30', dormant_after => '92 days')::text, ' ' ORDER BY customer) FROM civil$$),
	($$SELECT string_agg(lifecycle_phase_of(s, date '1997-09-30', dormant_after => '91 days')::text, ' ' ORDER BY customer) FROM civil$$),
	-- rolled up, the summaries stay summaries of dates
	($$SELECT customer_age(customer_summary(s), '1997-09-30', '1 day') FROM civil WHERE customer IN (1, 3)$$)
) v(q), LATERAL zone_free(q) z;

-- A summary of timestamptz is cut into periods in UTC, whatever the session's
-- zone; cutting in another zone is a summary of (at AT TIME ZONE zone)::date.
SELECT q, z.* FROM (VALUES
	($$SELECT purchase_periods(customer_summary(1, at)) FROM (VALUES (timestamptz '2026-01-01 20:00+00'), ('2026-01-02 02:00+00')) v(at)$$),
	($$SELECT purchase_periods(customer_summary(1, (at AT TIME ZONE 'Asia/Shanghai')::date)) FROM (VALUES (timestamptz '2026-01-01 20:00+00'), ('2026-01-02 02:00+00')) v(at)$$),
	-- or with the zone named: the same summary of dates, in every session zone
	($$SELECT purchase_periods(customer_summary(1, at, 'day', 'Asia/Shanghai')) FROM (VALUES (timestamptz '2026-01-01 20:00+00'), ('2026-01-02 02:00+00')) v(at)$$),
	($$SELECT customer_summary(1, at, 'week', 'Pacific/Chatham')::text = customer_summary(1, (at AT TIME ZONE 'Pacific/Chatham')::date, 'week')::text FROM (VALUES (timestamptz '2026-01-01 20:00+00'), ('2026-01-02 02:00+00'), ('2026-01-07 11:00+00')) v(at)$$),
	($$SELECT round(customer_age(customer_summary(10, at, 'day', 'Asia/Shanghai'), '1997-09-30', '1 week')::numeric, 4) FROM (VALUES (timestamptz '1996-12-31 17:00+00')) v(at)$$)
) v(q), LATERAL zone_free(q) z;
SELECT try_sql($$SELECT customer_summary(1, now(), 'day', 'Mars/Olympus')$$) AS unknown_zone,
       try_sql($$SELECT customer_summary(1, now(), 'day', NULL)$$) AS null_zone,
       try_sql($$SELECT customer_summary(1, '-infinity', 'day', 'UTC')$$) AS infinite_time;

-- lifecycle_phase_of refuses an as_of before the last purchase period, as
-- every other as_of reader does (it answered 'growth').
SELECT try_sql($$SELECT lifecycle_phase_of(s, '1997-03-31') FROM civil WHERE customer = 1$$) AS phase_before_last,
       try_sql($$SELECT lifecycle_phase_of(s, '1996-12-31', p_alive => 0.9) FROM civil WHERE customer = 1$$) AS phase_before_first,
       try_sql($$SELECT customer_age(s, '1996-12-31', '1 day') FROM civil WHERE customer = 1$$) AS age_before_first,
       try_sql($$SELECT lifecycle_phase_of(by_month, '1997-09-01') FROM civil WHERE customer = 2$$) AS same_month;

-- A 1.2.0 summary (flags 0) still reads, as a summary of times at 00:00 UTC.
SELECT customer_age(overlay(s::text placing '00' from 7 for 2)::customer_summary, '1997-09-30 00:00+00', '1 day')
       = customer_age(s, '1997-09-30', '1 day') AS old_form_reads
  FROM civil WHERE customer = 1;

DROP TABLE civil, civil_orders;
DROP FUNCTION zone_free(text), in_zones(text);
