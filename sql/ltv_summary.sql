-- The customer value summary: conventions by hand, CDNOW reproduced,
-- property checks against plain SQL, order and parallelism, roll-up, bad
-- input, forms.
SET TimeZone = 'UTC';

-- One customer: two orders on 1 January (one purchase), one on the 8th,
-- one on the 30th, one on 2 February; read as of 5 February.
CREATE TABLE hand_orders (customer int, amount numeric, at timestamptz);
INSERT INTO hand_orders VALUES
	(1, 10.00, '2026-01-01 09:00'), (1, 5.50, '2026-01-01 17:30'), (1, 20.00, '2026-01-08 12:00'),
	(1, 7.25, '2026-01-30 08:00'), (1, 2.25, '2026-02-02 10:00'), (1, NULL, '2026-02-03'), (1, 99, NULL);
SELECT p AS period, purchase_periods(s), frequency(s), historical_value(s), mean_repeat_spend(s),
       first_purchase(s), last_purchase(s),
       round(recency(s, CASE p WHEN 'month' THEN '1 month' ELSE '1 day' END::interval)::numeric, 4) AS recency,
       round(customer_age(s, '2026-02-05', CASE p WHEN 'month' THEN '1 month' ELSE '1 day' END::interval)::numeric, 4) AS age
  FROM (VALUES ('day'), ('week'), ('month')) v(p),
       LATERAL (SELECT customer_summary(amount, at, p) AS s FROM hand_orders) x;
-- The same with dates, and recency and age in weeks.
SELECT frequency(s), round(recency(s, '1 week')::numeric, 4) AS recency_weeks,
       round(customer_age(s, '2026-02-05', '1 week')::numeric, 4) AS age_weeks
  FROM (SELECT customer_summary(amount, at::date) AS s FROM hand_orders) x;

-- CDNOW: the sample's orders up to the end of calibration (1997-09-30),
-- merged by day, read in weeks, give the published summary of every customer,
-- in the session's time zone whatever it is (summaries of dates are civil
-- days; scripts/test runs this file under several zones).
RESET TimeZone;
CREATE TABLE cdnow_raw (line text);
\copy cdnow_raw FROM 'test/data/cdnow/CDNOW_sample.txt' WITH (FORMAT text, DELIMITER E'\x01')
CREATE TABLE cdnow_orders AS
SELECT f[2]::int AS customer, to_date(f[3], 'YYYYMMDD') AS on_date, f[5]::numeric AS amount
  FROM (SELECT regexp_split_to_array(btrim(rtrim(line, E'\r')), '\s+') AS f FROM cdnow_raw) x;
CREATE TABLE cdnow_expected (id int, x int, t_x numeric, t numeric, zbar numeric);
\copy cdnow_expected FROM 'test/data/cdnow/cdnow_customers_summary_with_transactions.csv' WITH (FORMAT csv, HEADER)
CREATE TABLE cdnow_summaries AS
SELECT customer, customer_summary(amount, on_date) AS s FROM cdnow_orders WHERE on_date <= '1997-09-30' GROUP BY customer;
SELECT count(*) AS customers,
       count(*) FILTER (WHERE frequency(s) = e.x AND round(recency(s, '1 week')::numeric, 2) = e.t_x
                          AND round(customer_age(s, '1997-09-30', '1 week')::numeric, 2) = e.t
                          AND round(mean_repeat_spend(s), 2) = e.zbar) AS reproduced
  FROM cdnow_summaries FULL JOIN cdnow_expected e ON e.id = customer;
-- Summaries of timestamptz are cut into periods in UTC; the plain-SQL
-- definitions below use date_trunc, which cuts in the session's zone.
SET TimeZone = 'UTC';

-- Generated orders (3 batches of 400 customers with up to 49 orders each,
-- random times over 75 days so that many share a day, a tenth of the rows
-- NULL), in random order: every field equals its plain-SQL definition, for
-- each period.
-- (OFFSET 0 keeps the generator a subquery of its own: with ORDER BY random()
-- in the same query level, every random() of a row gives the same value.)
SELECT setseed(0.42);
CREATE TABLE gen_orders AS
SELECT * FROM (
	SELECT b * 1000 + c AS customer,
	       CASE WHEN random() < 0.05 THEN NULL ELSE round((random() * 200 - 20)::numeric, 2) END AS amount,
	       CASE WHEN random() < 0.05 THEN NULL
	            ELSE timestamptz '2025-01-01' + floor(random() * 75 * 24 * 4) * interval '15 minutes' END AS at
	  FROM generate_series(1, 3) b, generate_series(1, 400) c, generate_series(1, 1 + (c % 17) * (b % 3 + 1))
	OFFSET 0) AS generated
 ORDER BY random();
CREATE VIEW sql_summaries AS
WITH o AS (SELECT customer, amount, at, p, date_trunc(p, at) AS period
             FROM gen_orders, (VALUES ('day'), ('week'), ('month')) v(p)
            WHERE amount IS NOT NULL AND at IS NOT NULL),
     f AS (SELECT customer, p, min(period) AS first_period FROM o GROUP BY customer, p)
SELECT customer, p, min(at) AS first_at, max(at) AS last_at, count(DISTINCT period) AS periods,
       sum(amount) AS total,
       coalesce((sum(amount) - sum(amount) FILTER (WHERE period = first_period)) / nullif(count(DISTINCT period) - 1, 0), 0) AS mean_repeat,
       max(period) AS last_period, min(period) AS first_period
  FROM o JOIN f USING (customer, p) GROUP BY customer, p;
SELECT p, count(*) AS customers,
       count(*) FILTER (WHERE first_purchase(s) = q.first_at AND last_purchase(s) = q.last_at
                          AND purchase_periods(s) = q.periods AND frequency(s) = q.periods - 1
                          AND historical_value(s) = q.total AND mean_repeat_spend(s) = q.mean_repeat
                          AND (p = 'month' OR recency(s, '1 day') = extract(epoch FROM q.last_period - q.first_period) / 86400)
                          AND (p <> 'month' OR recency(s, '1 month') = (extract(year FROM q.last_period) - extract(year FROM q.first_period)) * 12
                                                                     + extract(month FROM q.last_period) - extract(month FROM q.first_period))) AS agree
  FROM (SELECT * FROM (SELECT customer, p, customer_summary(amount, at, p) AS s
                         FROM gen_orders, (VALUES ('day'), ('week'), ('month')) v(p) GROUP BY customer, p) x
         WHERE s IS NOT NULL) ours
  FULL JOIN sql_summaries q USING (customer, p)
 GROUP BY p ORDER BY p;
-- Customers whose every row has a NULL amount or time have no summary (NULL).
SELECT count(*) FILTER (WHERE s IS NULL) AS without_summary,
       count(*) FILTER (WHERE NOT EXISTS (SELECT FROM gen_orders g WHERE g.customer = x.customer
                                           AND amount IS NOT NULL AND at IS NOT NULL)) AS without_purchase
  FROM (SELECT customer, customer_summary(amount, at) AS s FROM gen_orders GROUP BY customer) x;

-- Row order and parallel workers change nothing; summaries of parts roll up.
CREATE TEMP TABLE serial_summaries AS
SELECT customer, customer_summary(amount, at)::text AS s FROM gen_orders GROUP BY customer;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT customer_summary(amount, at, 'week') FROM gen_orders;
SELECT (SELECT customer_summary(amount, at, 'week')::text FROM gen_orders) =
       (SELECT customer_summary(amount, at, 'week')::text FROM (SELECT * FROM gen_orders ORDER BY at) o) AS parallel_equals_ordered;
SELECT count(*) FILTER (WHERE p.s IS NOT DISTINCT FROM q.s) AS same, count(*) AS customers
  FROM (SELECT customer, customer_summary(amount, at)::text AS s FROM gen_orders GROUP BY customer) p
  JOIN serial_summaries q USING (customer);
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
SELECT count(*) FILTER (WHERE r.s IS NOT DISTINCT FROM q.s) AS rolled_up_same, count(*) AS customers
  FROM (SELECT customer, customer_summary(m)::text AS s
          FROM (SELECT customer, customer_summary(amount, at) AS m FROM gen_orders GROUP BY customer, date_trunc('month', at)) x
         GROUP BY customer) r
  JOIN serial_summaries q USING (customer);

-- Bad input: a clear error each.
SELECT try_sql($$SELECT customer_summary(amount, at, 'year') FROM hand_orders$$) AS unknown_period,
       try_sql($$SELECT customer_summary(amount, at, CASE WHEN amount > 6 THEN 'day' ELSE 'week' END) FROM hand_orders$$) AS period_changes,
       try_sql($$SELECT customer_summary('NaN'::numeric, now())$$) AS nan_amount,
       try_sql($$SELECT customer_summary(1::numeric, 'infinity'::date)$$) AS infinite_date,
       try_sql($$SELECT customer_age(customer_summary(amount, at), '2026-01-15', '1 day') FROM hand_orders$$) AS as_of_before_last,
       try_sql($$SELECT recency(customer_summary(amount, at), '1 month') FROM hand_orders$$) AS months_for_days,
       try_sql($$SELECT recency(customer_summary(amount, at, 'month'), '30 days') FROM hand_orders$$) AS days_for_months,
       try_sql($$SELECT recency(customer_summary(amount, at), '1 month 1 day') FROM hand_orders$$) AS mixed_unit,
       try_sql($$SELECT customer_summary(s) FROM (SELECT customer_summary(amount, at, p) AS s FROM hand_orders,
                   (VALUES ('day'), ('week')) v(p) GROUP BY p) x$$) AS rollup_of_two_periods;
SELECT customer_summary(amount, at) IS NULL AS no_purchases FROM hand_orders WHERE amount IS NULL;

-- Text and binary forms round-trip; malformed forms are refused.
COPY (SELECT customer, s FROM cdnow_summaries) TO PROGRAM 'cat > /tmp/buyerjourney_regress_summaries.copy' (FORMAT binary);
CREATE TABLE cdnow_summaries2 (customer int, s customer_summary);
COPY cdnow_summaries2 FROM PROGRAM 'cat /tmp/buyerjourney_regress_summaries.copy' (FORMAT binary);
COPY (SELECT 1) TO PROGRAM 'cat > /dev/null; rm -f /tmp/buyerjourney_regress_summaries.copy';
SELECT count(*) FILTER (WHERE a.s::text = b.s::text AND a.s::text::customer_summary::text = a.s::text) AS round_trips
  FROM cdnow_summaries a JOIN cdnow_summaries2 b USING (customer);
SELECT try_input(left(s::text, 30), 'customer_summary') AS truncated,
       try_input('02' || substr(s::text, 3), 'customer_summary') AS bad_version,
       try_input(left(s::text, 4) || '04' || substr(s::text, 7), 'customer_summary') AS bad_period,
       try_input(left(s::text, 8) || '7fff' || substr(s::text, 13), 'customer_summary') AS first_after_last,
       try_input(s::text || '00', 'customer_summary') AS trailing,
       try_input('zz', 'customer_summary') AS not_hex
  FROM cdnow_summaries WHERE customer = 1;

RESET TimeZone;
DROP TABLE hand_orders, cdnow_raw, gen_orders, cdnow_summaries2 CASCADE;
