#!/usr/bin/env bash
# bench/pipeline_funnel.sh - the funnel aggregates against plain SQL.
#
# On the server named by the libpq variables, in a scratch database:
# BJ_BENCH_EVENTS stage events (default 5,000,000) for BJ_BENCH_DEALS deals
# (default 2,000,000; geometric depth, some regressions, losses and
# no-decisions), with 2 parallel workers allowed.  Times, medians of
# BJ_BENCH_REPS runs (default 3):
#   count(*)                        the floor
#   plain-SQL funnel                GROUP BY deal, then counts per stage
#   funnel(deal, stage, at)         ours, one pass
#   funnel(journey) over GROUP BY   ours, two levels (the Citus shape)
#   plain-SQL time in stage         lead() over (deal, time), averaged per stage
#   stage_visits over timelines     ours, the same averages
#   plain-SQL ordered funnel        explore -> define -> select -> decide within
#                                   30 days of the first explore (joins per step)
#   window_funnel over timelines    ours, the same steps and window
# and the one-pass state's memory per deal.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

events=${BJ_BENCH_EVENTS:-5000000}
deals=${BJ_BENCH_DEALS:-2000000}
reps=${BJ_BENCH_REPS:-3}
bench_database buyerjourney_bench_funnel

echo "generating $events events for $deals deals..."
run <<SQL
CREATE EXTENSION buyerjourney;
SELECT setseed(0.5);
-- Each deal walks forward from explore for a geometric number of steps,
-- with an occasional step back and a closed ending for some.
CREATE TABLE events AS
SELECT d.deal::bigint AS deal,
       journey_stage(CASE WHEN s.step = d.depth AND d.ending > 0 THEN d.ending
                          WHEN s.step % 5 = 4 THEN least(s.step, 6) - 2
                          ELSE least(s.step, 6) END) AS stage,
       timestamptz '2026-01-01' + (d.start + s.step * 3) * interval '1 day' AS at
  FROM (SELECT g AS deal, random() * 300 AS start,
               CASE WHEN random() < 0.3 THEN 7 + (random() < 0.6)::int ELSE 0 END AS ending,
               1 + floor(ln(1 - random()) / ln(1 - 0.45))::int AS depth
          FROM generate_series(1, $deals) g) AS d,
       generate_series(1, d.depth) AS s(step)
 LIMIT $events;
ALTER TABLE events SET (parallel_workers = 2);
VACUUM ANALYZE events;
SQL
run -c "SELECT 'events: ' || count(*) || ', deals: ' || count(DISTINCT deal) FROM events"

declare -A query=(
	[count]="SELECT count(*) FROM events"
	[sql_funnel]="SELECT s, count(*) FILTER (WHERE mask & (1 << s) <> 0) AS entered,
	                     count(*) FILTER (WHERE mask & (1 << s) <> 0 AND hi > s) AS moved_on,
	                     count(*) FILTER (WHERE last = s) AS current
	                FROM (SELECT deal, bit_or(1 << ordinal(stage)) AS mask,
	                             max(ordinal(stage)) FILTER (WHERE stage <= 'realize') AS hi,
	                             ordinal((array_agg(stage ORDER BY at DESC, stage DESC))[1]) AS last
	                        FROM events GROUP BY deal) AS per_deal,
	                     generate_series(0, 8) AS s
	               GROUP BY s"
	[one_pass]="SELECT funnel(deal, stage, at) FROM events"
	[two_level]="SELECT funnel(j) FROM (SELECT journey(stage, at) AS j FROM events GROUP BY deal) AS x"
	[sql_time]="SELECT stage, avg(d) FROM (SELECT stage, lead(at) OVER (PARTITION BY deal ORDER BY at, stage) - at AS d
	                                       FROM events) AS x WHERE d IS NOT NULL GROUP BY stage"
	[our_time]="SELECT v.stage, avg(v.duration)
	              FROM (SELECT deal, timeline(stage, at) AS t FROM events GROUP BY deal) AS d,
	                   stage_visits(d.t, '2100-01-01') AS v
	             WHERE v.next_stage IS NOT NULL GROUP BY v.stage"
	[sql_window]="WITH s0 AS (SELECT deal, min(at) AS t0 FROM events WHERE stage = 'explore' GROUP BY deal),
	              s1 AS (SELECT e.deal, s0.t0, min(e.at) AS t1 FROM s0 JOIN events e USING (deal)
	                      WHERE e.stage = 'define' AND e.at >= s0.t0 AND e.at <= s0.t0 + interval '720 hours' GROUP BY 1, 2),
	              s2 AS (SELECT e.deal, s1.t0, min(e.at) AS t2 FROM s1 JOIN events e USING (deal)
	                      WHERE e.stage = 'select' AND e.at >= s1.t1 AND e.at <= s1.t0 + interval '720 hours' GROUP BY 1, 2),
	              s3 AS (SELECT e.deal, min(e.at) AS t3 FROM s2 JOIN events e USING (deal)
	                      WHERE e.stage = 'decide' AND e.at >= s2.t2 AND e.at <= s2.t0 + interval '720 hours' GROUP BY 1)
	              SELECT (SELECT count(*) FROM s0), (SELECT count(*) FROM s1), (SELECT count(*) FROM s2), (SELECT count(*) FROM s3)"
	[our_window]="SELECT depth, count(*) FROM
	                (SELECT (window_funnel(timeline(stage, at), '720 hours', '{explore,define,select,decide}')).depth
	                   FROM events GROUP BY deal) AS x GROUP BY depth"
)
labels=(count sql_funnel one_pass two_level sql_time our_time sql_window our_window)
declare -A times

# Every output column is used (digested), so nothing can be planned away.
measure() {
	time_sql "SET LOCAL max_parallel_workers_per_gather = 2; SET LOCAL work_mem = '256MB';
	          PERFORM md5(string_agg(q::text, ',')) FROM (${query[$1]}) AS q"
}

for ((r = 0; r < reps; r++)); do
	for ((i = 0; i < ${#labels[@]}; i++)); do
		c=${labels[$(((i + r) % ${#labels[@]}))]}
		times[$c]="${times[$c]:-} $(measure "$c")"
	done
done


base=$(echo "${times[count]}" | median)
# each of ours against its plain-SQL equivalent
declare -A sql_of=([one_pass]=sql_funnel [two_level]=sql_funnel [our_time]=sql_time [our_window]=sql_window)
printf '%-36s %10s %12s %14s   %s\n' case "median ms" "vs count(*)" "SQL / ours" "runs (ms)"
for c in "${labels[@]}"; do
	m=$(echo "${times[$c]}" | median)
	speedup=""
	if [ -n "${sql_of[$c]:-}" ]; then
		speedup=$(ratio "$(echo "${times[${sql_of[$c]}]}" | median)" "$m")
	fi
	printf '%-36s %10s %12s %14s   %s\n' "$c" "$m" "$(ratio "$m" "$base")" "$speedup" "${times[$c]}"
done
echo "one-pass state: 32 bytes per hash slot, at most 70% full when it grows: 32..91 bytes per deal"
echo "targets: one pass <= 2.0x count(*); each of ours >= 5x faster than its plain-SQL equivalent"
