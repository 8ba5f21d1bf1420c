#!/usr/bin/env bash
# test/demo/test_demo.sh - the quick start's demo runs, and shows what it says:
# the refused move with 23514, 5,000 generated deals whose funnel and history
# agree, LTV's three terms, and three SVG charts in the folder it names (the
# time in stage by default of the six open stages, in Chinese of all nine);
# and scripts/demo --keep keeps its cluster, with commands that work to
# connect to it, restart it, and stop and remove it.
# Uses the server named by the libpq environment (demo/run_demo.sh works in
# its own database, buyerjourney_demo).
source "$(dirname "${BASH_SOURCE[0]}")/../db_checks.sh"
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export BJ_DEMO_CHARTS=$workdir/charts

start=$(date +%s)
status=0
bash "$root/demo/run_demo.sh" > "$workdir/demo.out" 2>&1 || status=$?
echo "     the demo took $(( $(date +%s) - start )) s and printed $(wc -l < "$workdir/demo.out") lines"
check "the demo finishes without error" 0 "$status"
[ "$status" -eq 0 ] || tail -30 "$workdir/demo.out"
check "no ERROR in its output" 0 "$(grep -c 'ERROR' "$workdir/demo.out" || true)"
check "the forbidden jump is refused with 23514" 1 \
	"$(grep -c 'refused with SQLSTATE 23514: journey_stage may not move from "explore" to "decide" under process "complex"' "$workdir/demo.out" || true)"
check "progress is shown while generating" 4 "$(grep -c 'generating: week [0-9]*/52' "$workdir/demo.out" || true)"
check "every section is shown" 10 "$(grep -c '^== [0-9]*\.' "$workdir/demo.out" || true)"
check "the charts folder is named at the end" "   funnel.svg, time_in_stage.svg and time_in_stage_zh.svg (in Chinese) are in $BJ_DEMO_CHARTS" "$(tail -1 "$workdir/demo.out")"
for chart in funnel:9 time_in_stage:6 time_in_stage_zh:9; do
	bars=${chart#*:} chart=${chart%:*}
	check "$chart.svg is a well-formed SVG with $bars bars" "$bars" \
		"$(python3 -c "import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
assert root.tag == '{http://www.w3.org/2000/svg}svg'
print(sum(1 for r in root.iter('{http://www.w3.org/2000/svg}rect') if r.get('class') == 'bar'))" "$BJ_DEMO_CHARTS/$chart.svg" 2>&1)"
done
demo() { q buyerjourney_demo -c "$1"; }
check "5,000 deals, all in the funnel of their events" "5000|5000" \
	"$(demo "SELECT (SELECT count(*) FROM deals), (funnel_outcomes(funnel(deal_id::bigint, stage, at))).deals FROM deal_events")"
check "history rows = deals + moves, and each deal's stage = its last history entry" "t|0" \
	"$(demo "SELECT (SELECT count(*) FROM deal_history) = (SELECT count(*) FROM deal_events),
	               (SELECT count(*) FROM deals d WHERE d.stage <> (SELECT to_value FROM deal_history h
	                                                              WHERE h.row_key = d.deal_id::text ORDER BY seq DESC LIMIT 1))")"
check "LTV's terms add up for every customer" 0 \
	"$(demo "SELECT count(*) FROM customer_value c, models, ltv(c.s, '2026-11-01', m, g, '30 days', 12, 0.01, potential => 1) l
	          WHERE abs(l.historical + l.current + l.potential - l.total) > 1e-6")"
psql -X -q -d postgres -c "DROP DATABASE buyerjourney_demo"

# Keep mode, end to end: scripts/demo --keep starts a cluster of its own (no
# PGHOST/PGPORT), keeps it with its data, and each command it prints works:
# connect, stop, start again, stop and remove.
kept_dir=
remove_kept() { [ -z "$kept_dir" ] || [ ! -d "$kept_dir" ] || bash -c "$stop_remove" >/dev/null 2>&1 || true; cleanup; }
trap remove_kept EXIT
run_demo_script() { # run_demo_script OUTPUT ARG...: scripts/demo on a cluster of its own
	local out=$1
	shift
	env -u PGHOST -u PGPORT -u PGUSER -u PGDATABASE ${PG_CONFIG:+BJ_PG_BIN=$(dirname "$PG_CONFIG")} \
		bash "$root/scripts/demo" "$@" >"$out" 2>&1
}
printed() { sed -n "s/^   $1: *//p" "$workdir/keep.out"; }
status=0
run_demo_script "$workdir/keep.out" --keep || status=$?
check "scripts/demo --keep finishes without error" 0 "$status"
[ "$status" -eq 0 ] || tail -30 "$workdir/keep.out"
connect=$(printed connect)
stop=$(printed 'stop it')
start_again=$(printed 'start it again')
stop_remove=$(printed 'stop and remove it')
kept_dir=$(sed -n 's/^psql -h \([^ ]*\) .*/\1/p' <<<"$connect")
kept() { bash -c "$connect -X -q -At -c \"$1\"" 2>&1; }
check "it prints a psql command for the kept cluster's demo database" "buyerjourney_demo" \
	"$(sed -n 's/.* -d \([^ ]*\)$/\1/p' <<<"$connect")"
check "after it ends, the kept cluster answers with the demo's 5,000 deals" 5000 "$(kept "SELECT count(*) FROM deals")"
bash -c "$stop" >/dev/null 2>&1 || true
after_stop=$(kept "SELECT 1" || true)
check "the printed stop command stops it" "refused" "$(grep -qi 'connection to server' <<<"$after_stop" && echo refused)"
bash -c "$start_again" >/dev/null 2>&1 || true
check "the printed start command brings it back on the same port, data intact" 5000 "$(kept "SELECT count(*) FROM deals")"
bash -c "$stop_remove" >/dev/null 2>&1 || true
check "the printed stop-and-remove command leaves nothing behind" "gone" \
	"$([ -n "$kept_dir" ] && [ ! -e "$kept_dir" ] && echo gone)"
# ... and without --keep, scripts/demo removes its cluster and says how to keep it.
status=0
run_demo_script "$workdir/nokeep.out" || status=$?
check "scripts/demo without --keep removes its cluster and names --keep" "0|1|0" \
	"$status|$(grep -c 'run scripts/demo --keep to keep it' "$workdir/nokeep.out")|$(grep -c '^   connect:' "$workdir/nokeep.out")"
removed=$(sed -n 's/.*stopping the throwaway cluster in \([^ ]*\).*/\1/p' "$workdir/nokeep.out")
check "... and its cluster folder is gone" "gone" "$([ -n "$removed" ] && [ ! -e "$removed" ] && echo gone)"
check "an unknown argument is refused with usage" 2 "$(run_demo_script "$workdir/usage.out" --kept; echo $?)"
finish_checks
