-- BG/NBD and Gamma-Gamma: CDNOW fits against the published estimates,
-- every prediction against an independent 50-digit mpmath reference
-- (test/ltv/reference.csv), time units, parallel fits, LTV, the lifecycle
-- phase from behaviour, bad input.  Every summary here is of dates: the
-- answers are the same in every session time zone (scripts/test runs this
-- file under several).

CREATE TABLE cdnow_raw (line text);
\copy cdnow_raw FROM 'test/data/cdnow/CDNOW_sample.txt' WITH (FORMAT text, DELIMITER E'\x01')
CREATE TABLE cdnow AS
SELECT customer, customer_summary(amount, on_date) AS s
  FROM (SELECT f[2]::int AS customer, to_date(f[3], 'YYYYMMDD') AS on_date, f[5]::numeric AS amount
          FROM (SELECT regexp_split_to_array(btrim(rtrim(line, E'\r')), '\s+') AS f FROM cdnow_raw) x) o
 WHERE on_date <= '1997-09-30' GROUP BY customer;
CREATE TABLE cdnow_rfm AS
SELECT customer, frequency(s)::float8 AS x, recency(s, '1 week') AS t_x, customer_age(s, '1997-09-30', '1 week') AS t,
       mean_repeat_spend(s)::float8 AS spend
  FROM cdnow;

-- Fitted in weeks: FHL 2005 publish r = 0.243, alpha = 4.414, a = 0.793,
-- b = 2.426, LL = -9582.4; Fader and Hardie's Gamma-Gamma note p = 6.25,
-- q = 3.74, v = 15.44.
CREATE TABLE models AS
SELECT (SELECT bgnbd_fit(x, t_x, t, '1 week') FROM cdnow_rfm) AS m,
       (SELECT gammagamma_fit(x, spend) FROM cdnow_rfm) AS g;
SELECT round(r::numeric, 3) AS r, round(alpha::numeric, 3) AS alpha, round(a::numeric, 3) AS a, round(b::numeric, 3) AS b,
       time_unit, round(log_likelihood::numeric, 1) AS ll, customers, converged
  FROM models, bgnbd_report(m);
SELECT round(p::numeric, 2) AS p, round(q::numeric, 2) AS q, round(v::numeric, 2) AS v,
       round(log_likelihood::numeric, 1) AS ll, customers, converged
  FROM models, gammagamma_report(g);
-- The same fit in days: alpha, a rate scale, is 7 times larger; r, a, b and
-- every prediction are unchanged.
SELECT round((d.alpha / w.alpha)::numeric, 6) AS alpha_ratio, round((d.r / w.r)::numeric, 6) AS r_ratio,
       round(abs(expected_purchases(md, '39 weeks') / expected_purchases(m, '273 days') - 1)::numeric, 6) AS prediction_difference
  FROM models, bgnbd_report(m) w,
       LATERAL (SELECT bgnbd_fit(x, t_x * 7, t * 7, '1 day') AS md FROM cdnow_rfm) f, bgnbd_report(f.md) d;
-- Weights: the distinct (x, t_x, T) rows with their counts give the same model;
-- so do a forced-parallel plan and a penalty of 0.
SELECT (SELECT bgnbd_fit(x, t_x, t, '1 week', n::float8) FROM (SELECT x, t_x, t, count(*) AS n FROM cdnow_rfm GROUP BY 1, 2, 3) c)::text
       = m::text AS weighted_same,
       (SELECT bgnbd_fit(x, t_x, t, '1 week', 1, 0) FROM cdnow_rfm)::text = m::text AS zero_penalty_same
  FROM models;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT bgnbd_fit(x, t_x, t, '1 week') FROM cdnow_rfm;
SELECT (SELECT bgnbd_fit(x, t_x, t, '1 week') FROM cdnow_rfm)::text = m::text AS bgnbd_parallel_same,
       (SELECT gammagamma_fit(x, spend) FROM cdnow_rfm)::text = g::text AS gammagamma_parallel_same
  FROM models;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
-- A penalty pulls the log-parameters towards 0 (parameters towards 1).
SELECT round(r::numeric, 3) AS r, round(alpha::numeric, 3) AS alpha, round(a::numeric, 3) AS a, round(b::numeric, 3) AS b, converged
  FROM (SELECT bgnbd_fit(x, t_x, t, '1 week', 1, 0.05) AS mp FROM cdnow_rfm) f, bgnbd_report(f.mp);

-- Every prediction against the mpmath reference (test/ltv/reference.csv,
-- made by test/ltv/reference.py at 50 digits): relative error below 1e-9,
-- including a < 1 < a + b, a = 1 +- 0.001, tiny alpha, horizons of 10,000
-- weeks and frequencies in the thousands.
CREATE TABLE ref_raw (line text);
\copy ref_raw FROM 'test/ltv/reference.csv' WITH (FORMAT text, DELIMITER E'\x01')
CREATE TABLE ref AS
SELECT split_part(line, ',', 1) AS kind, string_to_array(line, ',') AS f FROM ref_raw WHERE line NOT LIKE '#%';
CREATE FUNCTION close(ours float8, reference text) RETURNS boolean LANGUAGE sql AS $$
	-- (a value below the smallest double, such as 1e-1132, must come out as 0)
	SELECT abs(ours::numeric - reference::numeric) <= 1e-9 * abs(reference::numeric)
	    OR (abs(reference::numeric) < 1e-307 AND ours = 0)
$$;
CREATE FUNCTION bg(f text[]) RETURNS bgnbd_model LANGUAGE sql AS $$
	SELECT bgnbd_model(f[2]::float8, f[3]::float8, f[4]::float8, f[5]::float8, '1 week')
$$;
CREATE FUNCTION w(v text) RETURNS interval LANGUAGE sql AS $$ SELECT v::float8 * interval '1 week' $$;
SELECT kind, count(*) AS rows,
       count(*) FILTER (WHERE CASE kind
         WHEN 'uncond' THEN close(expected_purchases(bg(f), w(f[6])), f[7])
         WHEN 'cond' THEN close(expected_purchases(bg(f), f[6]::float8, w(f[7]), w(f[8]), w(f[9])), f[10])
         WHEN 'palive' THEN close(probability_alive(bg(f), f[6]::float8, w(f[7]), w(f[8])), f[9])
         WHEN 'gg_mean' THEN close(expected_spend(gammagamma_model(f[2]::float8, f[3]::float8, f[4]::float8), f[5]::float8, f[6]::float8), f[7])
         WHEN 'dv' THEN close(discounted_value(bg(f), f[6]::float8, w(f[7]), w(f[8]), f[9]::float8, w(f[10]), f[11]::numeric::int, f[12]::float8), f[13])
         WHEN 'ret' THEN close(retention_value(f[2]::float8, f[3]::float8, f[4]::float8), f[5])
         WHEN 'ret_n' THEN close(retention_value(f[2]::float8, f[3]::float8, f[4]::float8, f[5]::numeric::int), f[6])
       END) AS agree
  FROM ref WHERE kind NOT IN ('ll', 'gg_ll') GROUP BY kind ORDER BY kind;

-- Predictions for CDNOW customers from their summaries equal those from
-- (x, t_x, T) given as intervals; the summary's units follow the model's.
SELECT c.customer, round(probability_alive(m, c.s, '1997-09-30')::numeric, 6) AS p_alive,
       round(expected_purchases(m, c.s, '1997-09-30', '39 weeks')::numeric, 6) AS next_39_weeks,
       round(expected_spend(g, c.s)::numeric, 4) AS spend,
       expected_purchases(m, c.s, '1997-09-30', '39 weeks') =
         expected_purchases(m, r.x, r.t_x * interval '1 week', r.t * interval '1 week', '39 weeks') AS same_as_intervals,
       abs(expected_purchases(m, r.x, r.t_x * 7, r.t * 7, 39 * 7, '1 day') /
           expected_purchases(m, c.s, '1997-09-30', '39 weeks') - 1) < 1e-12 AS same_in_days
  FROM models, cdnow c JOIN cdnow_rfm r USING (customer) WHERE c.customer IN (1, 2, 3, 1516) ORDER BY 1;

-- LTV: historical + current (the model pair, discounted monthly) + potential
-- (given apart), each reported on its own.
SELECT c.customer, l.historical, round(l.current, 4) AS current, l.potential, round(l.total, 4) AS total,
       round(l.current, 9) = round(discounted_value(m, frequency(c.s), recency(c.s, '1 week') * interval '1 week',
                                                    customer_age(c.s, '1997-09-30', '1 week') * interval '1 week',
                                                    expected_spend(g, c.s), '4 weeks', 12, 0.01)::numeric, 9) AS current_is_discounted_value
  FROM models, cdnow c, ltv(c.s, '1997-09-30', m, g, '4 weeks', 12, 0.01, potential => 12.5) l
 WHERE c.customer IN (1, 1516) ORDER BY 1;
-- The constant-retention formula: m r / (1 + d - r), or a finite sum.
SELECT l.*, (SELECT historical + current FROM ltv(c.s, 100, 0.75, 0.1)) AS infinite
  FROM cdnow c, ltv(c.s, 100, 0.75, 0.1, 5) l WHERE c.customer = 1;

-- The lifecycle phase from behaviour, and an UPDATE through the lifecycle trigger.
SELECT customer, frequency(s), lifecycle_phase_of(s, '1997-09-30') AS by_recency,
       lifecycle_phase_of(s, '1997-09-30', probability_alive(m, s, '1997-09-30')) AS by_p_alive
  FROM models, cdnow WHERE customer IN (1, 2, 3, 16, 1516) ORDER BY 1;
CREATE TABLE customers (id int PRIMARY KEY, phase lifecycle_phase);
CREATE TRIGGER customers_phase AFTER INSERT OR UPDATE ON customers FOR EACH ROW
	EXECUTE FUNCTION enforce_transitions('column=phase', 'process=lifecycle');
INSERT INTO customers SELECT customer, 'introduction' FROM cdnow WHERE customer IN (1, 2, 3);
UPDATE customers SET phase = lifecycle_phase_of(s, '1997-09-30', dormant_after => '1 year') FROM cdnow WHERE customer = id AND customer IN (1, 2);
SELECT * FROM customers ORDER BY id;
SELECT try_exec($$UPDATE customers SET phase = 'maturity' WHERE id = 3$$) AS skipping_growth;

-- Bad input: a clear error each.
SELECT try_sql($$SELECT bgnbd_fit(x, t_x, t, '1 week') FROM (VALUES (1.5, 1, 2)) v(x, t_x, t)$$) AS fractional_frequency,
       try_sql($$SELECT bgnbd_fit(x, t_x, t, '1 week') FROM (VALUES (1, 3, 2)) v(x, t_x, t)$$) AS recency_after_age,
       try_sql($$SELECT bgnbd_fit(x, t_x, t, u) FROM (VALUES (1, 1, 2, '1 week'::interval), (1, 1, 2, '1 day')) v(x, t_x, t, u)$$) AS unit_changes,
       try_sql($$SELECT bgnbd_fit(0, 0, t, '1 week') FROM generate_series(1, 10) t$$) AS no_repeat_purchases,
       try_sql($$SELECT gammagamma_fit(2, -5)$$) AS negative_spend,
       try_sql($$SELECT bgnbd_fit(x, t_x, t, '1 week', -1) FROM cdnow_rfm$$) AS negative_weight;
SELECT try_sql($$SELECT bgnbd_model(0.2, -1, 0.8, 2.4, '1 week')$$) AS bad_parameter,
       try_sql($$SELECT bgnbd_model(0.2, 4, 0.8, 2.4, '0 days')$$) AS zero_unit,
       try_sql($$SELECT expected_purchases(bgnbd_model(0.2, 4, 0.8, 2.4, '1 week'), '1 month')$$) AS months_for_weeks,
       try_sql($$SELECT expected_purchases(bgnbd_model(0.2, 4, 0.8, 2.4, '1 week'), 1, '2 weeks', '1 week', '1 week')$$) AS recency_after_age,
       try_sql($$SELECT expected_spend(gammagamma_model(6, 0.5, 15), 2, 10)$$) AS mean_spend_undefined,
       try_sql($$SELECT discounted_value(bgnbd_model(0.2, 4, 0.8, 2.4, '1 week'), 1, '1 week', '2 weeks', 10, '4 weeks', 0, 0.01)$$) AS zero_periods,
       try_sql($$SELECT probability_alive(bgnbd_model(0.2, 4, 0.8, 2.4, '1 week'), 1, 1, 2, '1 month')$$) AS month_unit_for_weeks;
SELECT bgnbd_fit(x, t_x, t, '1 week') IS NULL AS no_rows_no_model FROM cdnow_rfm WHERE false;
-- A model whose fit did not converge (its stored flag cleared) is refused.
SELECT try_sql(format($$SELECT expected_purchases(%L::bgnbd_model, '1 week')$$,
                      left(m::text, 148) || '00000000' || right(m::text, 0))) AS not_converged
  FROM models;
-- Forms round-trip; malformed ones are refused.
SELECT m::text::bgnbd_model::text = m::text AS bgnbd_round_trip, g::text::gammagamma_model::text = g::text AS gammagamma_round_trip,
       try_input(left(m::text, 40), 'bgnbd_model') AS truncated,
       try_input(left(m::text, 4) || 'fff0000000000000' || substr(m::text, 21), 'bgnbd_model') AS negative_r
  FROM models;

DROP TABLE cdnow_raw, cdnow, cdnow_rfm, models, ref_raw, ref, customers CASCADE;
DROP FUNCTION close(float8, text), bg(text[]), w(text);
