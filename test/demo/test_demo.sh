#!/usr/bin/env bash
# test/demo/test_demo.sh - the quick start's demo runs, and shows what it says:
# the refused move with 23514, 5,000 generated deals whose funnel and history
# agree, LTV's three terms, and two SVG charts in the folder it names.
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
check "the charts folder is named at the end" "   funnel.svg and time_in_stage.svg are in $BJ_DEMO_CHARTS" "$(tail -1 "$workdir/demo.out")"
for chart in funnel time_in_stage; do
	check "$chart.svg is a well-formed SVG with 9 bars" 9 \
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
finish_checks
