#!/usr/bin/env bash
# test/charts/test_render.sh - the SVG charts as a browser draws them.
#
# funnel_svg and time_in_stage_svg of generated deals, in English and in
# Chinese, and a chart of the longest values and labels, are written to
# files and rendered by Debian's Chromium, headless, at the charts' own size.
# Every text element's box is measured in Chromium (getBBox, measure_text.py)
# against the view box, so that a clipped label fails; the screenshots of the
# single-scale charts are checked pixel by pixel by check_png.py against the
# values the bars stand for.  Chromium and the fonts the charts name (DejaVu
# Sans, Noto Sans CJK) are installed if missing; if Chromium cannot run, the
# suite fails.  Uses the server named by the libpq environment.
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/../db_checks.sh"
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bj_install_packages chromium fonts-dejavu-core fonts-noto-cjk
check "a font with Simplified and Traditional Chinese glyphs is installed" yes \
	"$(fc-list ':lang=zh-cn' family | grep -q 'Noto Sans CJK SC' && fc-list ':lang=zh-tw' family | grep -q 'Noto Sans CJK TC' && echo yes || echo no)"

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
q "$db" -c "SELECT funnel_svg(funnel(deal, stage, at), '2025 年銷售漏斗（全部地區）', locale => 'zh-TW') FROM events" > "$workdir/funnel_zh_hant.svg"
q "$db" -c "SELECT time_in_stage_svg(time_in_stage(deal, stage, at, '2025-06-01'), '各阶段平均停留时间', 'zh-CN', closed_stages => true) FROM events" > "$workdir/time_in_stage_zh_hans.svg"
# The widest text there may be: the longest duration an interval holds, a
# count of a billion, wide Latin capitals and Chinese in every place.
q "$db" -c "SELECT svg_bar_chart(repeat('W', 40) || ' 销售漏斗', ARRAY[repeat('M', 14), '结单以后结单以后结单以后', 'x'],
                                 ARRAY[1, 0.5, 0], ARRAY['106751991.2 days (9999999999 visits)', '106751991.2 天（9999999999 次）', repeat('@', 30)],
                                 ARRAY['#3b6fb6', '#3b6fb6', '#3b6fb6'], ARRAY[NULL, repeat('W', 50), NULL], 'zh-Hans')" > "$workdir/widest.svg"
funnel_counts=$(q "$db" -c "SELECT string_agg(entered::text, ',' ORDER BY stage) FROM funnel_report((SELECT funnel(deal, stage, at) FROM events))")
# the time-in-stage bars stand for the mean visit to an open stage, in seconds
time_counts=$(q "$db" -c "SELECT string_agg(round(extract(epoch FROM avg_visit))::text, ',' ORDER BY stage) FROM time_in_stage_report((SELECT time_in_stage(deal, stage, at, '2025-06-01') FROM events)) WHERE stage::text NOT IN ('realize', 'lost', 'no_decision')")

# chart:counts (no counts: two scales or none, the texts are measured only)
for entry in funnel:$funnel_counts time_in_stage:$time_counts funnel_zh_hant:$funnel_counts time_in_stage_zh_hans: widest:; do
	chart=${entry%%:*} counts=${entry#*:}
	svg=$workdir/$chart.svg
	size=$(sed -n 's/^<svg[^>]* width="\([0-9]*\)" height="\([0-9]*\)".*/\1,\2/p' "$svg")
	start=$(date +%s%N)
	if ! chromium --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update \
			--disable-sync --no-first-run --user-data-dir="$(mktemp -d -p "$workdir")" --hide-scrollbars \
			--window-size="$size" --screenshot="$workdir/$chart.png" "file://$svg" >"$workdir/chromium.log" 2>&1 ||
			[ ! -s "$workdir/$chart.png" ]; then
		tail -20 "$workdir/chromium.log"
		check "$chart: Chromium draws it" yes no
		continue
	fi
	echo "     $chart.svg ($size px) drawn by Chromium in $(( ($(date +%s%N) - start) / 1000000 )) ms"
	while read -r line; do
		case "$line" in
			ok*) check "$chart: ${line#ok   }" yes yes ;;
			FAIL*) check "$chart: ${line#FAIL }" yes no ;;
		esac
	done < <(python3 "$here/measure_text.py" "$svg" "$(mktemp -d -p "$workdir")"
	         [ -z "$counts" ] || python3 "$here/check_png.py" "$svg" "$workdir/$chart.png" "$counts" | grep -v ' failed$')
done
finish_checks
