#!/usr/bin/env bash
# test/charts/test_render.sh - the SVG charts as a browser draws them.
#
# funnel_svg and time_in_stage_svg of generated deals are written to files,
# rendered by Debian's Chromium, headless, at the charts' own size, and the
# screenshots are checked pixel by pixel by check_png.py against the values
# the bars stand for.  Chromium is installed if missing; if it cannot run,
# the suite fails.  Uses the server named by the libpq environment.
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/../db_checks.sh"
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bj_install_packages chromium fonts-dejavu-core

db=bj_charts_$suffix
createdb_fresh "$db"
q "$db" <<'SQL'
CREATE EXTENSION buyerjourney;
-- 600 deals: each goes forward from unaware a number of stages, then may end
-- lost or with no decision; a day or two a stage.
CREATE TABLE events AS
SELECT d AS deal, s.stage, '2025-01-01'::timestamptz + d * interval '1 hour' + s.n * interval '36 hours' * (1 + d % 3) AS at
  FROM generate_series(1, 600) d,
       LATERAL (SELECT n, (ARRAY['unaware','explore','define','select','decide','approve','realize'])[n + 1]::journey_stage AS stage
                  FROM generate_series(0, 6) n WHERE n <= (d * 7) % 11 % 7
                UNION ALL
                SELECT 7, CASE WHEN d % 5 = 0 THEN 'lost' ELSE 'no_decision' END::journey_stage
                 WHERE (d * 7) % 11 % 7 < 6 AND d % 5 IN (0, 1)) s;
SQL
q "$db" -c "SELECT funnel_svg(funnel(deal, stage, at), 'Pipeline 2025 <all regions> & \"partners\"') FROM events" > "$workdir/funnel.svg"
q "$db" -c "SELECT time_in_stage_svg(time_in_stage(deal, stage, at, '2025-06-01'), 'Time in stage') FROM events" > "$workdir/time_in_stage.svg"
funnel_counts=$(q "$db" -c "SELECT string_agg(entered::text, ',' ORDER BY stage) FROM funnel_report((SELECT funnel(deal, stage, at) FROM events))")
# the time-in-stage bars stand for the mean visit, in seconds
time_counts=$(q "$db" -c "SELECT string_agg(round(extract(epoch FROM avg_visit))::text, ',' ORDER BY stage) FROM time_in_stage_report((SELECT time_in_stage(deal, stage, at, '2025-06-01') FROM events))")

for chart in funnel time_in_stage; do
	svg=$workdir/$chart.svg
	size=$(sed -n 's/^<svg[^>]* width="\([0-9]*\)" height="\([0-9]*\)".*/\1,\2/p' "$svg")
	start=$(date +%s%N)
	if ! chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size="$size" \
			--screenshot="$workdir/$chart.png" "file://$svg" >"$workdir/chromium.log" 2>&1 ||
			[ ! -s "$workdir/$chart.png" ]; then
		tail -20 "$workdir/chromium.log"
		check "$chart: Chromium draws it" yes no
		continue
	fi
	echo "     $chart.svg ($size px) drawn by Chromium in $(( ($(date +%s%N) - start) / 1000000 )) ms"
	counts=$funnel_counts
	[ "$chart" = time_in_stage ] && counts=$time_counts
	while read -r line; do
		case "$line" in
			ok*) check "$chart: ${line#ok   }" yes yes ;;
			FAIL*) check "$chart: ${line#FAIL }" yes no ;;
		esac
	done < <(python3 "$here/check_png.py" "$svg" "$workdir/$chart.png" "$counts" | grep -v ' failed$')
done
finish_checks
