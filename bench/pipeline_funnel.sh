#!/usr/bin/env bash
# bench/pipeline_funnel.sh - the funnel aggregates against plain SQL.
#
# On the server named by the libpq variables, in a scratch database:
# BJ_BENCH_DEALS deals (default 2,000,000) with a geometric number of stage
# events each (mean 2.6: about 5,260,000 events; some regressions, losses and
# no-decisions), stored clustered by deal as generated, and a copy ordered by
# time as a history table is (every deal's events interleaved with others').
# Every query runs on both tables, each compared with count(*) and with its
# plain-SQL equivalent on the same table.  Two parallel workers allowed.
# Times, medians of BJ_BENCH_REPS rounds (default 5); ratios, medians of the
# ratios within each round:
#   count(*)                        the floor
#   count(*) reading the arguments  the floor of any aggregate of (deal, stage,
#                                   at): the scan plus reading the three columns
#   plain-SQL funnel                GROUP BY deal, then counts per stage
#   funnel(deal, stage, at)         ours, one pass (and with every worker's
#                                   state copied through the tuple queue:
#                                   state_handover_min_size -1)
#   funnel(journey) over GROUP BY   ours, two levels (the Citus shape)
#   plain-SQL time in stage         lead() over (deal, time), averaged per stage
#   time_in_stage(deal, ...)        ours, one pass
#   plain-SQL ordered funnel        explore -> define -> select -> decide within
#                                   30 days of the first explore (joins per step)
#   window_funnel(deal, ...)        ours, one pass, the same steps and window
# and the one-pass states' memory per deal.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

deals=${BJ_BENCH_DEALS:-2000000}
reps=${BJ_BENCH_REPS:-5}
bench_database buyerjourney_bench_funnel

echo "generating stage events for $deals deals..."
run <<SQL
CREATE EXTENSION buyerjourney;
SELECT setseed(0.5);
CREATE TABLE events AS $(stage_events "$deals" 0.38);
CREATE TABLE events_by_time AS SELECT * FROM events ORDER BY at, deal;
ALTER TABLE events SET (parallel_workers = 2);
ALTER TABLE events_by_time SET (parallel_workers = 2);
VACUUM ANALYZE events;
VACUUM ANALYZE events_by_time;
SQL
run -c "SELECT 'events: ' || count(*) || ', deals: ' || count(DISTINCT deal) || ', events per deal: ' || round(count(*)::numeric / count(DISTINCT deal), 2) FROM events"

# The queries, each over both layouts: clustered by deal (TABLE = events) and
# in time order (TABLE = events_by_time, labels ending in _by_time).
declare -A template=(
	[count]="SELECT count(*) FROM TABLE"
	[count_args]="SELECT count(*) FILTER (WHERE deal IS NOT NULL AND stage IS NOT NULL AND at IS NOT NULL) FROM TABLE"
	[sql_funnel]="SELECT s, count(*) FILTER (WHERE mask & (1 << s) <> 0) AS entered,
	                     count(*) FILTER (WHERE mask & (1 << s) <> 0 AND hi > s) AS moved_on,
	                     count(*) FILTER (WHERE last & 15 = s) AS current
	                FROM (SELECT deal, bit_or(1 << ordinal(stage)) AS mask,
	                             max(ordinal(stage)) FILTER (WHERE stage <= 'realize') AS hi,
	                             max((extract(epoch FROM at) * 1000000)::bigint * 16 + ordinal(stage)) AS last
	                        FROM TABLE GROUP BY deal) AS per_deal,
	                     generate_series(0, 8) AS s
	               GROUP BY s"
	[one_pass]="SELECT funnel(deal, stage, at) FROM TABLE"
	[one_pass_copied]="SELECT funnel(deal, stage, at) FROM TABLE"
	[two_level]="SELECT funnel(j) FROM (SELECT journey(stage, at) AS j FROM TABLE GROUP BY deal) AS x"
	[sql_time]="SELECT stage, avg(d) FROM (SELECT stage, lead(at) OVER (PARTITION BY deal ORDER BY at, stage) - at AS d
	                                       FROM TABLE) AS x WHERE d IS NOT NULL GROUP BY stage"
	[our_time]="SELECT stage, avg_to_next FROM time_in_stage_report((SELECT time_in_stage(deal, stage, at, '2100-01-01') FROM TABLE))"
	[sql_window]="WITH s0 AS (SELECT deal, min(at) AS t0 FROM TABLE WHERE stage = 'explore' GROUP BY deal),
	              s1 AS (SELECT e.deal, s0.t0, min(e.at) AS t1 FROM s0 JOIN TABLE e USING (deal)
	                      WHERE e.stage = 'define' AND e.at >= s0.t0 AND e.at <= s0.t0 + interval '720 hours' GROUP BY 1, 2),
	              s2 AS (SELECT e.deal, s1.t0, min(e.at) AS t2 FROM s1 JOIN TABLE e USING (deal)
	                      WHERE e.stage = 'select' AND e.at >= s1.t1 AND e.at <= s1.t0 + interval '720 hours' GROUP BY 1, 2),
	              s3 AS (SELECT e.deal, min(e.at) AS t3 FROM s2 JOIN TABLE e USING (deal)
	                      WHERE e.stage = 'decide' AND e.at >= s2.t2 AND e.at <= s2.t0 + interval '720 hours' GROUP BY 1)
	              SELECT (SELECT count(*) FROM s0), (SELECT count(*) FROM s1), (SELECT count(*) FROM s2), (SELECT count(*) FROM s3)"
	[our_window]="SELECT step, deals FROM window_funnel_report((SELECT window_funnel(deal, stage, at, '720 hours',
	                '{explore,define,select,decide}', '{}') FROM TABLE))"
)
base_labels=(count count_args sql_funnel one_pass one_pass_copied two_level sql_time our_time sql_window our_window)
# each of ours against its plain-SQL equivalent over the same table
declare -A sql_of=([one_pass]=sql_funnel [one_pass_copied]=sql_funnel [two_level]=sql_funnel
                   [our_time]=sql_time [our_window]=sql_window)
declare -A query
labels=()
for suffix in "" _by_time; do
	table=events${suffix}
	for b in "${base_labels[@]}"; do
		query[$b$suffix]=${template[$b]//TABLE/$table}
		labels+=("$b$suffix")
	done
	setup[one_pass_copied$suffix]="SET LOCAL buyerjourney.state_handover_min_size = -1;"
done
declare -A times
measure_all "$reps"

printf '%-36s %10s %12s %14s   %s\n' case "median ms" "vs count(*)" "SQL / ours" "runs (ms)"
for suffix in "" _by_time; do
	if [ -z "$suffix" ]; then echo "-- clustered by deal (events)"; else echo "-- the same rows in time order (events_by_time)"; fi
	for b in "${base_labels[@]}"; do
		c=$b$suffix
		speedup=""
		if [ -n "${sql_of[$b]:-}" ]; then
			speedup=$(paired_ratio "${times[${sql_of[$b]}$suffix]}" "${times[$c]}")
		fi
		printf '%-36s %10s %12s %14s   %s\n' "$c" "$(echo "${times[$c]}" | median)" \
			"$(paired_ratio "${times[$c]}" "${times[count$suffix]}")" "$speedup" "${times[$c]}"
	done
done

# Peak memory: the backend's peak resident size (log_executor_stats) running
# the aggregate alone in a serial plan, less that of count(*) on the same table.
peak_kb() {
	psql -X -d "$BENCH_DB" -c "SET max_parallel_workers_per_gather = 0" -c "SET log_executor_stats = on" \
		-c "SET client_min_messages = log" -c "$1" 2>&1 | sed -n 's/^![[:space:]]*\([0-9]*\) kB max resident size.*/\1/p' | tail -1
}
echo
printf '%-36s %14s %14s\n' "peak memory of the state" "MB" "bytes per deal"
for table in events events_by_time; do
	base_kb=$(peak_kb "SELECT count(*) FROM $table")
	for agg in "funnel(deal, stage, at)" "time_in_stage(deal, stage, at, '2100-01-01')" \
	           "window_funnel(deal, stage, at, '720 hours', '{explore,define,select,decide}', '{}')"; do
		kb=$(peak_kb "SELECT $agg IS NULL FROM $table")
		printf '%-36s %14s %14s\n' "${agg%%(*} on $table" "$(( (kb - base_kb) / 1024 ))" \
			"$(awk -v k="$((kb - base_kb))" -v d="$deals" 'BEGIN {printf "%.0f", k * 1024 / d}')"
	done
done
echo "targets: each one-pass aggregate <= 2.0x count(*) on either layout (the funnel met it clustered in 1.2.0); each of ours >= 5x faster than its plain-SQL equivalent on the same table"
