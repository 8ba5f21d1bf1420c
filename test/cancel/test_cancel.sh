#!/usr/bin/env bash
# test/cancel/test_cancel.sh - every long call stops when asked.
#
# Each call below ran for tens of seconds to many minutes without looking at
# interrupts (issue 16).  Under a statement_timeout each must fail with
# 57014 within a second of the timeout, and the same session must then
# answer a query (and a fit, whose cancelled predecessor left no state
# behind).  Uses the server named by the libpq environment.
source "$(dirname "${BASH_SOURCE[0]}")/../db_checks.sh"
db=bj_cancel_$suffix
createdb_fresh "$db"
q "$db" <<'SQL'
CREATE EXTENSION buyerjourney;
-- Customers whose every (x, t_x, T) differs: a fit computes each one.
CREATE TABLE rfm AS
SELECT (g % 50)::float8 AS x, ((g % 50) * 0.7 + (g % 997) * 0.0001)::float8 AS t_x,
       (40 + (g % 100000) * 0.001 + (g % 50) * 0.7)::float8 AS t, (1 + g % 7919)::float8 AS spend
  FROM generate_series(1, 1000000) g;
CREATE TABLE summaries AS
SELECT customer_summary(10, timestamptz '2026-01-01' + g * interval '1 week') AS s FROM generate_series(1, 3) g;
CREATE TABLE events AS
SELECT (g / 4)::bigint AS deal, ((g % 4) + 1)::text::int::smallint AS k, timestamptz '2026-01-01' + g * interval '1 minute' AS at
  FROM generate_series(1, 4000000) g;
ANALYZE;
SQL

# cancelled NAME SQL [TIMEOUT_MS]: run SQL under a statement_timeout (1 s
# unless given; shorter for calls that finish in about a second on an idle
# machine), then a query.
cancelled() {
	local out timeout=${3:-1000}
	out=$(psql -X -q -At -v VERBOSITY=sqlstate -d "$db" 2>&1 <<SQL
SET max_parallel_workers_per_gather = 0;
SET statement_timeout = $timeout;
SELECT set_config('bj.t0', clock_timestamp()::text, false) IS NOT NULL AS started \gset
$2;
SELECT 'elapsed ' || (extract(epoch FROM clock_timestamp() - current_setting('bj.t0')::timestamptz) * 1000)::int;
RESET statement_timeout;
SELECT 'usable ' || ((SELECT bgnbd_fit(x, t_x, t, '1 week') FROM rfm WHERE x > 0 LIMIT 0) IS NULL)::text;
SQL
)
	local state elapsed usable
	state=$(echo "$out" | sed -n 's/^ERROR:  \([0-9A-Z]\{5\}\)$/\1/p' | head -1)
	elapsed=$(echo "$out" | sed -n 's/^elapsed //p')
	usable=$(echo "$out" | sed -n 's/^usable //p')
	check "$1: cancelled (57014)" "57014" "$state"
	check "$1: stopped within 1 s of the timeout of $timeout ms (took ${elapsed:-?} ms)" "yes" \
		"$([ -n "$elapsed" ] && [ "$elapsed" -lt $((timeout + 1000)) ] && echo yes || echo "no: $out")"
	check "$1: the session answers afterwards" "true" "$usable"
}

cancelled "discounted_value, 100000 periods" \
	"SELECT discounted_value(bgnbd_model(10000, 0.01, 0.001, 0.001, '1 week'), 0, '0 weeks', '0 weeks', 10, '1000 weeks', 100000, 0)"
cancelled "ltv, 100000 periods" \
	"SELECT ltv(s, '2026-06-01', bgnbd_model(10000, 0.01, 0.001, 0.001, '1 week'), gammagamma_model(6, 4, 15), '1 week', 100000, 0) FROM summaries"
cancelled "bgnbd_fit, 200000 distinct customers" \
	"SELECT bgnbd_fit(x, t_x, t, '1 week') FROM (SELECT * FROM rfm LIMIT 200000) r"
# 1,000,000 customers fit in about a second on an idle machine: three times
# as many distinct ones take about five, so the timeout lands in the fit.
cancelled "gammagamma_fit, 3000000 customers" \
	"SELECT gammagamma_fit(x + 1, spend + k * 0.01) FROM rfm, generate_series(0, 2) k"
cancelled "time_in_stage (one-pass), 4000000 events" \
	"SELECT time_in_stage(deal, (ARRAY['explore','define','select','decide'])[k]::journey_stage, at, '2030-01-01') FROM events" 200
cancelled "window_funnel (one-pass), 4000000 events" \
	"SELECT window_funnel(deal, (ARRAY['explore','define','select','decide'])[k]::journey_stage, at, '24 hours', ARRAY['explore','define','select']::journey_stage[], ARRAY[]::text[]) FROM events" 200

finish_checks
