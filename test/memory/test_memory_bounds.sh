#!/usr/bin/env bash
# test/memory/test_memory_bounds.sh - aggregate states over pathological
# groups stay within their documented bounds, or stop with a clear error.
#
#  - one deal (or customer) with a million events: the one-pass aggregates
#    finish within their bound; a timeline (at most 100,000 events) and a
#    customer summary over more than 100,000 distinct periods stop with 54000;
#  - a million tiny groups (GROUP BY deal / customer): the hash aggregate
#    stays within work_mem by spilling, for every aggregate.
# Memory is the backend's peak resident size (log_executor_stats) minus that
# of a count(*) over the same table in a fresh backend, which touches the
# same shared buffers.  The bound asserted is generous (it catches growth
# with the number of events or groups, not a few MB); the figures are
# printed.  Uses the server named by the libpq environment.
source "$(dirname "${BASH_SOURCE[0]}")/../db_checks.sh"
db=bj_memory_$suffix
createdb_fresh "$db"

q "$db" <<'SQL'
CREATE EXTENSION buyerjourney;
-- One deal, a million events: stages cycling with regressions, a second apart.
CREATE TABLE one_deal AS
SELECT 1::bigint AS deal, (ARRAY['explore','define','select','define','decide','select'])[1 + g % 6]::journey_stage AS stage,
       '2024-01-01'::timestamptz + g * interval '1 second' AS at
  FROM generate_series(1, 1000000) g;
-- A million deals, two events each.
CREATE TABLE tiny_deals AS
SELECT g::bigint AS deal, s.stage, '2024-01-01'::timestamptz + (g % 1000) * interval '1 hour' + s.n * interval '1 day' AS at
  FROM generate_series(1, 1000000) g, (VALUES (0, 'explore'::journey_stage), (1, 'define')) AS s(n, stage);
-- One customer, a million purchases on 1,000 days; and on a million days.
CREATE TABLE one_customer AS
SELECT 1 AS customer, (g % 97)::numeric AS amount, '2020-01-01'::date + (g % 1000) AS on_day FROM generate_series(1, 1000000) g;
CREATE TABLE one_customer_every_day AS
SELECT 1 AS customer, 10::numeric AS amount, '1000-01-01'::date + g AS on_day FROM generate_series(1, 1000000) g;
-- A million customers, two purchases each.
CREATE TABLE tiny_customers AS
SELECT g AS customer, 10::numeric AS amount, '2020-01-01'::date + (g % 700) + n * 30 AS on_day
  FROM generate_series(1, 1000000) g, generate_series(0, 1) n;
VACUUM ANALYZE;
SQL

settings="SET max_parallel_workers_per_gather = 0; SET work_mem = '16MB';"
# peak_mb QUERY: peak resident MB of a fresh backend running QUERY, or its error.
peak_mb() {
	local out
	out=$(psql -X -d "$db" -v ON_ERROR_STOP=1 -c "$settings" -c "SET log_executor_stats = on" \
		-c "SET client_min_messages = log" -c "$1" 2>&1) || { grep -m1 '^ERROR' <<<"$out"; return 0; }
	sed -n 's/^![[:space:]]*\([0-9]*\) kB max resident size.*/\1/p' <<<"$out" | tail -1 | awk '{ printf "%d", $1 / 1024 }'
}
# within NAME TABLE QUERY BOUND_MB: QUERY finishes, using at most BOUND_MB
# more than count(*) over TABLE.
within() {
	local base peak
	base=$(peak_mb "SELECT count(*) FROM $2")
	peak=$(peak_mb "$3")
	if [[ "$base" =~ ^[0-9]+$ && "$peak" =~ ^[0-9]+$ ]]; then
		printf '     %-58s %5d MB over count(*)\n' "$1" $((peak - base))
		check "$1: finishes within $4 MB" yes "$([ $((peak - base)) -le "$4" ] && echo yes || echo "no: $((peak - base)) MB")"
	else
		check "$1: finishes within $4 MB" yes "no: ${peak:-no figure} (count(*): ${base:-no figure})"
	fi
}
# refuses NAME SQLSTATE QUERY: QUERY stops with SQLSTATE (and its message).
refuses() {
	local out
	out=$(psql -X -q -d "$db" -v ON_ERROR_STOP=1 -v VERBOSITY=verbose -c "$settings" -c "$3" 2>&1 || true)
	check "$1: stops with $2" "$2" "$(sed -n 's/^ERROR: *\([0-9A-Z]\{5\}\):.*/\1/p' <<<"$out" | head -1)"
	echo "     $(grep -m1 '^ERROR' <<<"$out")"
}

echo "one deal with 1,000,000 events"
within "funnel(deal, stage, at)" one_deal "SELECT funnel(deal, stage, at) IS NULL FROM one_deal" 64
within "time_in_stage(deal, stage, at, as_of)" one_deal \
	"SELECT time_in_stage(deal, stage, at, '2030-01-01') IS NULL FROM one_deal" 64
within "window_funnel(deal, stage, at, ...)" one_deal \
	"SELECT window_funnel(deal, stage, at, '720 hours', '{explore,define,select,decide}', '{}') IS NULL FROM one_deal" 64
within "journey(stage, at) GROUP BY deal" one_deal "SELECT count(j) FROM (SELECT journey(stage, at) AS j FROM one_deal GROUP BY deal) x" 16
refuses "timeline(stage, at) of one deal" 54000 "SELECT timeline(stage, at) IS NULL FROM one_deal GROUP BY deal"
check "... the deal's first 100,000 events (the bound) make a timeline" "100000" \
	"$(q "$db" -c "SELECT sum(visits) FROM (SELECT timeline(stage, at) AS t FROM (SELECT * FROM one_deal ORDER BY at LIMIT 100000) x) y,
	                      stage_times(t, '2100-01-01')")"

echo "one customer with 1,000,000 purchases"
within "customer_summary on 1,000 days" one_customer \
	"SELECT frequency(customer_summary(amount, on_day)) FROM one_customer" 16
refuses "customer_summary over 1,000,000 distinct days" 54000 \
	"SELECT customer_summary(amount, on_day) IS NULL FROM one_customer_every_day"

echo "a million tiny groups (work_mem 16MB)"
for agg in "journey(stage, at)" "timeline(stage, at)" "funnel(deal, stage, at)" \
           "time_in_stage(deal, stage, at, '2030-01-01')"; do
	within "GROUP BY deal: $agg" tiny_deals \
		"SELECT count(s) FROM (SELECT deal, $agg AS s FROM tiny_deals GROUP BY deal) x" 128
done
within "GROUP BY deal, then funnel(journey)" tiny_deals \
	"SELECT funnel(j) IS NULL FROM (SELECT deal, journey(stage, at) AS j FROM tiny_deals GROUP BY deal) x" 128
within "GROUP BY customer: customer_summary" tiny_customers \
	"SELECT count(s) FROM (SELECT customer, customer_summary(amount, on_day) AS s FROM tiny_customers GROUP BY customer) x" 128

finish_checks
