#!/usr/bin/env bash
# bench/ltv.sh - the lifetime-value aggregates against plain SQL and against
# their time targets, in one run, on the server named by the libpq variables:
#   customer_summary over BJ_BENCH_ORDERS orders (default 5,000,000) of
#   BJ_BENCH_CUSTOMERS customers (default 200,000) against the plain-SQL
#   GROUP BY computing the same columns (target: at most 1.3x its time);
#   bgnbd_fit on BJ_BENCH_FIT customers (default 1,000,000; target < 5 s) and
#   on CDNOW's 2,357 (target < 0.1 s); expected purchases and P(alive) for the
#   1,000,000 customers (target < 2 s each).
# Medians of BJ_BENCH_REPS runs (default 3), two parallel workers allowed.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

orders=${BJ_BENCH_ORDERS:-5000000}
customers=${BJ_BENCH_CUSTOMERS:-200000}
fit=${BJ_BENCH_FIT:-1000000}
reps=${BJ_BENCH_REPS:-3}
cdnow=${BJ_CDNOW:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/test/data/cdnow}
bench_database buyerjourney_bench_ltv

echo "generating $orders orders of $customers customers and $fit fitted customers..."
run <<SQL
CREATE EXTENSION buyerjourney;
SELECT setseed(0.25);
CREATE TABLE orders AS
SELECT 1 + floor(random() * $customers)::int AS customer,
       round((5 + random() * 95)::numeric, 2) AS amount,
       timestamptz '2025-01-01' + random() * interval '730 days' AS at
  FROM generate_series(1, $orders);
ALTER TABLE orders SET (parallel_workers = 2);
VACUUM ANALYZE orders;
CREATE TABLE cdnow_raw (line text);
SQL
run -c "\\copy cdnow_raw FROM '$cdnow/CDNOW_sample.txt' WITH (FORMAT text, DELIMITER E'\\x01')"
run -v fit="$fit" <<'SQL'
CREATE TABLE cdnow_rfm AS
SELECT frequency(s)::float8 AS x, recency(s, '1 week') AS t_x, customer_age(s, '1997-09-30', '1 week') AS t
  FROM (SELECT f[2] AS customer, customer_summary(f[5]::numeric, to_date(f[3], 'YYYYMMDD')) AS s
          FROM (SELECT regexp_split_to_array(btrim(rtrim(line, E'\r')), '\s+') AS f FROM cdnow_raw) r
         WHERE to_date(f[3], 'YYYYMMDD') <= '1997-09-30' GROUP BY 1) c;
-- 1,000,000 customers like CDNOW's: each a CDNOW customer's history with
-- its cohort moved by up to 13 weeks (so most rows differ).
CREATE TABLE rfm AS
SELECT c.x, c.t_x, c.t + floor(random() * 91) / 7 AS t
  FROM (SELECT 1 + floor(random() * (SELECT count(*) FROM cdnow_rfm))::int AS k FROM generate_series(1, :fit)) g
  JOIN (SELECT row_number() OVER () AS k, * FROM cdnow_rfm) c USING (k);
ALTER TABLE rfm SET (parallel_workers = 2);
VACUUM ANALYZE rfm;
CREATE TABLE model AS SELECT bgnbd_fit(x, t_x, t, '1 week') AS m FROM rfm;
SQL

declare -A query=(
	[sql_summary]="SELECT customer, min(at), max(at), count(DISTINCT d) AS periods, sum(amount),
	                      coalesce((sum(amount) - sum(amount) FILTER (WHERE d = first_d))
	                               / nullif(count(DISTINCT d) - 1, 0), 0) AS mean_repeat
	                 FROM (SELECT customer, amount, at, (at AT TIME ZONE 'UTC')::date AS d,
	                              min((at AT TIME ZONE 'UTC')::date) OVER (PARTITION BY customer) AS first_d
	                         FROM orders) o
	                GROUP BY customer"
	[our_summary]="SELECT customer, first_purchase(s), last_purchase(s), purchase_periods(s), historical_value(s),
	                      mean_repeat_spend(s)
	                 FROM (SELECT customer, customer_summary(amount, at) AS s FROM orders GROUP BY customer) x"
	[fit_1m]="SELECT bgnbd_report(bgnbd_fit(x, t_x, t, '1 week')) FROM rfm"
	[fit_cdnow]="SELECT bgnbd_report(bgnbd_fit(x, t_x, t, '1 week')) FROM cdnow_rfm"
	[predict_1m]="SELECT sum(expected_purchases((SELECT m FROM model), x, t_x, t, 52, '1 week')) FROM rfm"
	[p_alive_1m]="SELECT sum(probability_alive((SELECT m FROM model), x, t_x, t, '1 week')) FROM rfm"
)
labels=(sql_summary our_summary fit_1m fit_cdnow predict_1m p_alive_1m)
declare -A times
measure_all "$reps"

printf '%-36s %10s   %s\n' case "median ms" "runs (ms)"
for c in "${labels[@]}"; do
	printf '%-36s %10s   %s\n' "$c" "$(echo "${times[$c]}" | median)" "${times[$c]}"
done
sql=$(echo "${times[sql_summary]}" | median)
ours=$(echo "${times[our_summary]}" | median)
echo "summary: ours / plain SQL = $(ratio "$ours" "$sql") (target <= 1.30)"
run -c "SELECT 'fitted on ' || $fit || ' customers (' || count(*) || ' distinct rows): ' || (SELECT bgnbd_report(m)::text FROM model)
          FROM (SELECT DISTINCT x, t_x, t FROM rfm) d"
echo "targets: fit of 1,000,000 < 5000 ms; CDNOW fit < 100 ms; 1,000,000 predictions < 2000 ms"
