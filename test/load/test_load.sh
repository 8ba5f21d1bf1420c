#!/usr/bin/env bash
# test/load/test_load.sh [load|crash] - many clients moving stages through
# the trigger while others run the aggregates, on a throwaway cluster of its
# own (so that it may kill it).
#
#   load   8 pgbench clients make random moves (allowed and forbidden) of 200
#          deals for BJ_LOAD_SECONDS (default 10), without the trigger, with
#          it and with it and its history (the throughput figures); then
#          again with history while 2 clients run the one-pass funnel and
#          time in stage over it, followed by the invariants of invariants.sql.
#   crash  the same load, with the postmaster killed (kill -9) a few seconds
#          in, BJ_CRASHES times (default 3); after each restart (crash
#          recovery) the invariants must hold: every committed move present
#          once and allowed, no half-written history, aggregates working.
# Prints one line per check and the figures; exits non-zero on a failure.
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
mode=${1:-load}
seconds=${BJ_LOAD_SECONDS:-10}
crashes=${BJ_CRASHES:-3}

unset PGHOST PGPORT
bj_start_cluster max_connections=40
db=postgres
passed=0
failed=0
check() { # check NAME EXPECTED ACTUAL
	if [ "$2" = "$3" ]; then
		passed=$((passed + 1)); echo "ok   $1"
	else
		failed=$((failed + 1)); printf 'FAIL %s:\n  expected [%s]\n  got      [%s]\n' "$1" "$2" "$3"
	fi
}
q() { psql -X -q -At -v ON_ERROR_STOP=1 -d "$db" "$@"; }

setup() { # setup history|trigger|none
	q -v guard="$1" -f "$here/setup.sql" >/dev/null
}
# movers SECONDS [extra pgbench options]: prints the movers' tps.
movers() {
	local seconds=$1
	shift
	pgbench -n -c 8 -j 2 -T "$seconds" -f "$here/mover.pgbench" "$@" "$db" 2>&1 |
		sed -n 's/^tps = \([0-9.]*\) .*/\1/p'
}
readers() { # readers SECONDS: the aggregates, concurrently
	pgbench -n -c 2 -j 1 -T "$1" -f "$here/reader.pgbench" "$db" >/dev/null 2>&1
}
invariants() { # every invariant must be 0
	local line
	while IFS='|' read -r name value; do
		check "$1: $name" 0 "$value"
	done < <(q -f "$here/invariants.sql")
}
counts() {
	q -c "SELECT (SELECT count(*) FROM moves_done) || ' moves, ' || (SELECT count(*) FROM moves_refused) || ' refused, ' ||
	             (SELECT count(*) FROM deal_history) || ' history rows'"
}

export PGOPTIONS="-c client_min_messages=warning"
if [ "$mode" = load ]; then
	tps=()
	# throughput: the movers alone, in each set-up
	for guard in none trigger history; do
		setup "$guard"
		tps+=("$(movers "$seconds")")
		echo "     $guard: ${tps[-1]} attempted moves a second (8 clients, $seconds s)"
	done
	# then the movers again with 2 clients running the aggregates meanwhile
	setup history
	readers "$seconds" &
	reader=$!
	movers "$seconds" >/dev/null
	wait "$reader" || { failed=$((failed + 1)); echo "FAIL the aggregate clients stopped with an error"; }
	echo "     with trigger and history, and 2 clients running the aggregates: $(counts)"
	invariants "after load"
	refused=$(q -c "SELECT count(*) FROM moves_refused")
	check "forbidden moves were tried and refused" yes "$([ "$refused" -gt 0 ] && echo yes || echo "no ($refused)")"
	awk -v n="${tps[0]}" -v t="${tps[1]}" -v h="${tps[2]}" 'BEGIN {
		printf "     throughput: no trigger %.0f, trigger %.0f (%.2fx), trigger and history %.0f attempted moves/s (%.2fx)\n", n, t, t / n, h, h / n }'
else
	setup history
	for i in $(seq 1 "$crashes"); do
		movers 30 >/dev/null &
		mover=$!
		readers 30 &
		reader=$!
		sleep 4
		pid=$(head -1 "$BJ_CLUSTER_DIR/data/postmaster.pid")
		kill -9 "$pid"
		wait "$mover" "$reader" 2>/dev/null || true
		# the backends notice the postmaster's death and exit; then start again
		for try in $(seq 1 30); do
			if bj_as_owner "$BJ_PG_BIN/pg_ctl" -D "$BJ_CLUSTER_DIR/data" -l "$BJ_CLUSTER_DIR/server.log" -w \
				-o "-p $PGPORT -k $BJ_CLUSTER_DIR -c listen_addresses=127.0.0.1 -c max_connections=40" start >/dev/null 2>&1; then
				break
			fi
			sleep 1
		done
		check "crash $i: the server recovered" yes "$(q -c "SELECT 'yes'" 2>&1)"
		echo "     crash $i: $(counts) committed before the kill"
		invariants "after crash $i"
	done
	check "the server log shows the crash recoveries" "$crashes" \
		"$(grep -c 'automatic recovery in progress' "$BJ_CLUSTER_DIR/server.log")"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
