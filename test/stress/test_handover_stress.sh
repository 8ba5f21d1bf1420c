#!/usr/bin/env bash
# test/stress/test_handover_stress.sh - every plan shape of a parallel
# one-pass aggregate (handover_shapes.sh), run again and again under CPU
# contention (a busy loop on every core), at the default hand-over floor
# (1 MB) and at 0, each answer compared with the serial one.  Then the
# backend that ran them all maps no more shared memory than before.
#
# BJ_STRESS_ROUNDS (default 1, a CI run: about 2 minutes) rounds of every shape at each
# floor, each with 1 to 3 workers at random; full strength: 20 or more.
# Uses the server named by the libpq environment.
source "$(dirname "${BASH_SOURCE[0]}")/../db_checks.sh"
source "$(dirname "${BASH_SOURCE[0]}")/handover_shapes.sh"
rounds=${BJ_STRESS_ROUNDS:-1}
db=bj_stress_$suffix
createdb_fresh "$db"
setup_sql | q "$db"

busy=()
stop_busy() {
	local pid
	for pid in "${busy[@]}"; do kill "$pid" 2>/dev/null || true; done
	busy=()
}
trap 'stop_busy; cleanup' EXIT

# run SQL: the script's output; its errors in $workdir/err.
run() { psql -X -q -At -d "$db" 2>"$workdir/err" <<<"$1"; }

declare -A serial
for name in "${shape_names[@]}"; do
	serial[$name]=$(run "${shape_settings[$name]} $serial_sql ${shape_body[$name]//@TIMEOUT@/0}")
	check "serial answer of $name" "" "$(grep -v 'canceling statement due to statement timeout' "$workdir/err" || true)"
done

for ((core = 0; core < $(nproc); core++)); do
	(while :; do :; done) &
	busy+=($!)
done

runs=0 failures=0 timeouts=0
start=$SECONDS
for ((round = 1; round <= rounds; round++)); do
	for floor in 1MB 0; do
		for name in "${shape_names[@]}"; do
			body=${shape_body[$name]//@TIMEOUT@/$((20 + RANDOM % 400))}
			got=$(run "$parallel_sql SET max_parallel_workers_per_gather = $((1 + RANDOM % 3));
				SET buyerjourney.state_handover_min_size = '$floor'; ${shape_settings[$name]} $body") || true
			errors=$(grep -v 'canceling statement due to statement timeout' "$workdir/err" || true)
			grep -q 'canceling statement due to statement timeout' "$workdir/err" && timeouts=$((timeouts + 1))
			runs=$((runs + 1))
			if [ "$got" != "${serial[$name]}" ] || [ -n "$errors" ]; then
				failures=$((failures + 1))
				echo "     $name at floor $floor, round $round: ${errors:-a different answer}" | head -3
			fi
		done
	done
done
stop_busy
echo "     $runs runs of ${#shape_names[@]} shapes in $((SECONDS - start)) s under $(nproc) busy loops, $timeouts cancelled by statement_timeout"
check "every parallel answer equals the serial one, no error ($runs runs)" 0 "$failures"

# One backend runs every shape at floor 0, twice: afterwards it maps as many
# shared memory segments as after the first parallel query (which maps the
# session's own segment for good): each query's area went with its query.
segments="SELECT count(*) FROM regexp_split_to_table(pg_read_file('/proc/self/maps'), E'\\n') l WHERE l LIKE '%/PostgreSQL.%';"
every_shape=
for name in "${shape_names[@]}"; do
	body=${shape_body[$name]//@TIMEOUT@/100}
	every_shape+="
RESET ALL; $parallel_sql SET max_parallel_workers_per_gather = 2; SET buyerjourney.state_handover_min_size = 0;
${shape_settings[$name]} ${body%;} \\g /dev/null"
done
session="$parallel_sql $(grouped grp) \\g /dev/null
$segments $every_shape $every_shape
$segments"
maps=$(run "$session" | grep -E '^[0-9]+$' | tr '\n' ' ')
check "a backend maps no more shared memory after every shape (before, after)" yes \
	"$(read -r before after <<<"$maps"; [ -n "$after" ] && [ "$before" = "$after" ] && echo yes || echo "no: $maps")"
finish_checks
