# bench/lib.sh - shared by the benchmarks: a scratch database, a quiet psql,
# timing inside the server, and medians.
#
#   bench_database NAME    create the scratch database (dropped on exit)
#   run [psql args]        psql on it, quiet, stopping at the first error
#   time_sql SQL           run SQL once, print its server-side time in ms
#   median                 the median of whitespace-separated numbers on stdin
#   measure_all REPS       time each query of the associative array `query`
#                          named in the array `labels`, REPS rounds in rotating
#                          order, into the associative array `times`; a label's
#                          entry in the associative array `setup`, if any, runs
#                          first in the same transaction (SET LOCAL ...;)
#   stage_events DEALS P   a SELECT of (deal, stage, at) stage events of DEALS
#                          deals with a geometric number of events each (1 / P
#                          on average)

set -euo pipefail
export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"

BENCH_DB=
declare -A setup=()

bench_database() {
	BENCH_DB=$1
	psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "DROP DATABASE IF EXISTS $BENCH_DB" -c "CREATE DATABASE $BENCH_DB"
	trap 'psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $BENCH_DB" || true' EXIT
}

run() { psql -X -q -At -v ON_ERROR_STOP=1 -d "$BENCH_DB" "$@"; }

# The statement runs inside a DO block; its time comes back as a warning.
time_sql() {
	run 2>&1 <<SQL | sed -n 's/.*WARNING: *//p'
DO \$bench\$
DECLARE t0 timestamptz := clock_timestamp();
BEGIN
	$1;
	RAISE WARNING '%', round(extract(epoch FROM clock_timestamp() - t0) * 1000);
END \$bench\$;
SQL
}

median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# ratio A B: A / B with two decimals
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }

# paired_ratio "A's runs" "B's runs": the median over rounds of A / B, each
# pair timed in the same round, so that a machine slowing down or speeding
# up between rounds moves both sides of a ratio alike
paired_ratio() {
	paste <(tr ' ' '\n' <<<"$1" | grep -v '^$') <(tr ' ' '\n' <<<"$2" | grep -v '^$') |
		awk '{print $1 / $2}' | sort -n | awk '{a[NR]=$1} END {printf "%.2f", a[int((NR+1)/2)]}'
}

# Every output column is used (digested), so nothing can be planned away;
# two parallel workers allowed.
measure_all() {
	local r i c
	for ((r = 0; r < $1; r++)); do
		for ((i = 0; i < ${#labels[@]}; i++)); do
			c=${labels[$(((i + r) % ${#labels[@]}))]}
			times[$c]="${times[$c]:-} $(time_sql "SET LOCAL max_parallel_workers_per_gather = 2; SET LOCAL work_mem = '256MB';
			          ${setup[$c]:-} PERFORM md5(string_agg(q::text, ',')) FROM (${query[$c]}) AS q")"
		done
	done
}

# Each deal walks forward from explore for a geometric number of steps, with
# an occasional step back and a closed ending for some; times to the
# microsecond over some 300 days.
stage_events() {
	cat <<SQL
SELECT d.deal::bigint AS deal,
       journey_stage(CASE WHEN s.step = d.depth AND d.ending > 0 THEN d.ending
                          WHEN s.step % 5 = 4 THEN least(s.step, 6) - 2
                          ELSE least(s.step, 6) END) AS stage,
       timestamptz '2026-01-01' + (d.start + s.step * 3) * interval '1 day' AS at
  FROM (SELECT g AS deal, random() * 300 AS start,
               CASE WHEN random() < 0.3 THEN 7 + (random() < 0.6)::int ELSE 0 END AS ending,
               1 + floor(ln(1 - random()) / ln(1 - $2))::int AS depth
          FROM generate_series(1, $1) g) AS d,
       generate_series(1, d.depth) AS s(step)
SQL
}
