#!/usr/bin/env bash
# test/citus/test_citus.sh - buyerjourney on Citus: a coordinator and two
# workers on loopback, a third worker added later (throwaway clusters,
# stopped and removed on exit).
#
#  - the extension: CREATE EXTENSION and ALTER EXTENSION UPDATE on the
#    coordinator reach every worker, also one added later;
#  - every aggregate over distributed tables gives exactly (as text) what it
#    gives over the same rows in plain tables on one node, and EXPLAIN VERBOSE
#    shows how it ran: pushed down whole when grouped by the distribution
#    column, partial aggregation on the workers merged on the coordinator
#    (worker_partial_agg / coord_combine_agg: the concrete states cross as
#    text) when not, or, for the aggregates with an internal state, the rows
#    pulled to the coordinator; their concrete twins (funnel_distributed, …) run
#    on the workers, give the one-pass answer and ship a few bytes a deal;
#  - enforce_transitions on a distributed table: the forbidden move refused
#    with 23514, allowed ones accepted, a multi-shard statement atomic, the
#    bypass only through SET LOCAL propagation, the history written on the
#    node of each shard, a Citus table refused as a history, processes kept
#    per node, a third worker added (it needs that per-node state first) and
#    a shard moved to it;
#  - what an application sees when the guard refuses a row, on every write
#    path (routed, multi-shard, COPY, INSERT ... SELECT and MERGE each way
#    Citus runs them): the SQLSTATE, which fields cross, message and detail;
#    then, with buyerjourney preloaded on the coordinator, the same paths
#    given back 23514, the hint and the fields, other errors left alone.
#
# Citus is not in Debian: when the server binaries in use (BJ_PG_BIN, as in
# scripts/lib.sh) have no citus extension, the suite says so and passes.  It
# expects buyerjourney installed there (scripts/test does that first).
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"

if [ ! -f "$("$BJ_PG_BIN/pg_config" --sharedir)/extension/citus.control" ]; then
	echo 'citus: skipped — the citus extension is not available to this PostgreSQL (it is not in Debian; see docs/citus.md)'
	exit 0
fi

source "$BJ_ROOT/test/db_checks.sh"
trap 'bj_stop_clusters; cleanup' EXIT
started=$SECONDS

# --- three clusters: the coordinator and two workers ------------------------
declare -A node port dir
for name in coordinator worker1 worker2; do
	bj_new_cluster shared_preload_libraries=citus shared_buffers=32MB
	node[$name]="host=127.0.0.1 port=$BJ_NEW_CLUSTER_PORT user=postgres dbname=postgres"
	port[$name]=$BJ_NEW_CLUSTER_PORT
	dir[$name]=$BJ_NEW_CLUSTER_DIR
done
coord=${node[coordinator]}
for name in coordinator worker1 worker2; do
	q "${node[$name]}" -c "CREATE EXTENSION citus"
done
echo "$(q "$coord" -c "SELECT citus_version()") on $(q "$coord" -c "SHOW server_version")"

# The extension is created on the coordinator with one worker registered; the
# second worker joins afterwards.  Citus must bring it to both.
q "$coord" <<SQL
SELECT FROM citus_set_coordinator_host('127.0.0.1', ${port[coordinator]});
SELECT FROM citus_add_node('127.0.0.1', ${port[worker1]});
CREATE EXTENSION buyerjourney VERSION '1.1.0';
SELECT FROM citus_add_node('127.0.0.1', ${port[worker2]});
SQL
versions() {
	for name in coordinator worker1 worker2; do
		printf '%s ' "$name=$(q "${node[$name]}" -c "SELECT extversion FROM pg_extension WHERE extname = 'buyerjourney'")"
	done
}
check "CREATE EXTENSION on the coordinator reaches every worker, also one added later" \
	"coordinator=1.1.0 worker1=1.1.0 worker2=1.1.0 " "$(versions)"
current=$(sed -n "s/^default_version = '\(.*\)'/\1/p" "$BJ_ROOT/buyerjourney.control")
q "$coord" -c "ALTER EXTENSION buyerjourney UPDATE"
check "ALTER EXTENSION UPDATE on the coordinator updates every worker" \
	"coordinator=$current worker1=$current worker2=$current " "$(versions)"

# --- the same rows, distributed (schema public) and plain (schema single) ----
q "$coord" <<'SQL'
SET citus.enable_ddl_propagation = off;	-- schema single stays on the coordinator
CREATE SCHEMA single;
SELECT FROM setseed(0.5);
-- 3,000 deals with 1 to 7 events each, over all nine stages, on 90 days (so
-- some events of one deal share an instant), a few NULL stages; a deal's
-- amount, unknown for some; then exact duplicates of every 50th deal's events.
CREATE TABLE single.events AS
SELECT row_number() OVER ()::bigint AS id, deal, deal % 5 AS region, stage, at, amount
  FROM (SELECT d::bigint AS deal,
               CASE WHEN random() < 0.01 THEN NULL ELSE journey_stage(floor(random() * 9)::int) END AS stage,
               timestamptz '2026-01-01' + floor(random() * 90) * interval '1 day' AS at,
               CASE WHEN d % 11 <> 0 THEN (d % 97) * 100.5 END AS amount
          FROM generate_series(1, 3000) d, generate_series(1, 1 + d % 7)) e;
INSERT INTO single.events SELECT id + 100000, deal, region, stage, at, amount FROM single.events WHERE deal % 50 = 0;
-- 2,000 customers with 1 to 9 orders each over two years, refunds among them.
CREATE TABLE single.orders AS
SELECT row_number() OVER ()::bigint AS id, customer, customer % 5 AS region,
       lifecycle_phase((customer % 5)::int) AS phase, amount, at
  FROM (SELECT c::bigint AS customer, round((random() * 200)::numeric - 20, 2) AS amount,
               timestamptz '2024-01-01' + floor(random() * 700 * 24) * interval '1 hour' AS at
          FROM generate_series(1, 2000) c, generate_series(1, 1 + c % 9)) o;
-- Stored per-group results: journeys and timelines of each deal by week;
-- funnels, durations, window counts and velocities of disjoint sets of deals
-- (deal % 4) by region; customer summaries by month.
CREATE TABLE single.deal_weeks AS
SELECT date_trunc('week', at) AS week, deal, journey(stage, at) AS j, timeline(stage, at) AS t
  FROM single.events GROUP BY 1, 2;
CREATE TABLE single.deal_sets AS
SELECT part, region, funnel(j) AS fj, pipeline_velocity(j, amount) AS v,
       funnel(f) AS f, time_in_stage(d) AS d, window_funnel(w) AS w
  FROM (SELECT deal % 4 AS part, region, deal, journey(stage, at) AS j, max(amount) AS amount,
               funnel(deal, stage, at) AS f, time_in_stage(deal, stage, at, '2026-03-01') AS d,
               window_funnel(deal, stage, at, '720 hours', '{explore,define,select,decide}', '{}') AS w
          FROM single.events GROUP BY deal, region) per_deal
 GROUP BY part, region;
CREATE TABLE single.customer_months AS
SELECT date_trunc('month', at) AS month, customer, customer_summary(amount, at) AS s
  FROM single.orders GROUP BY 1, 2;
-- The same rows spread by row instead of by deal or customer: one deal's
-- events (one customer's orders) on every shard.
CREATE VIEW single.events_by_id AS SELECT * FROM single.events;
CREATE VIEW single.orders_by_id AS SELECT * FROM single.orders;
RESET citus.enable_ddl_propagation;

SET citus.shard_count = 8;
CREATE TABLE events (LIKE single.events);
SELECT FROM create_distributed_table('events', 'deal');
CREATE TABLE events_by_id (LIKE single.events);
SELECT FROM create_distributed_table('events_by_id', 'id');
CREATE TABLE orders (LIKE single.orders);
SELECT FROM create_distributed_table('orders', 'customer');
CREATE TABLE orders_by_id (LIKE single.orders);
SELECT FROM create_distributed_table('orders_by_id', 'id');
CREATE TABLE deal_weeks (LIKE single.deal_weeks);
SELECT FROM create_distributed_table('deal_weeks', 'week');
CREATE TABLE deal_sets (LIKE single.deal_sets);
SELECT FROM create_distributed_table('deal_sets', 'part');
CREATE TABLE customer_months (LIKE single.customer_months);
SELECT FROM create_distributed_table('customer_months', 'month');
INSERT INTO events SELECT * FROM single.events;
INSERT INTO events_by_id SELECT * FROM single.events;
INSERT INTO orders SELECT * FROM single.orders;
INSERT INTO orders_by_id SELECT * FROM single.orders;
INSERT INTO deal_weeks SELECT * FROM single.deal_weeks;
INSERT INTO deal_sets SELECT * FROM single.deal_sets;
INSERT INTO customer_months SELECT * FROM single.customer_months;
SQL
echo "data: $(q "$coord" -c "SELECT count(*) FROM events") events of 3000 deals, $(q "$coord" -c "SELECT count(*) FROM orders") orders of 2000 customers, 8 shards a table"

# --- aggregates: answers and plans -------------------------------------------
# same NAME QUERY: QUERY over the distributed tables (search_path public) and
# over the plain ones (single first) succeed and print the same, non-empty text.
same() {
	local dist plain ok=yes
	dist=$(q "$coord" -c "SET search_path = public" -c "$2" 2>&1) || ok=no
	plain=$(q "$coord" -c "SET search_path = single, public" -c "$2" 2>&1) || ok=no
	if [ $ok = yes ] && [ -n "$plain" ] && [ "$dist" = "$plain" ]; then
		check "$1: = one node ($(wc -l <<<"$plain") rows)" same same
	else
		check "$1: = one node" "$(head -c 300 <<<"$plain")" "$(head -c 300 <<<"$dist")"
	fi
}
# sqlstate CONN SQL...: the SQLSTATE the statements (one session, one -c
# each: Citus passes a DDL's whole query string on to the shards) fail with,
# or ok.
sqlstate() {
	local out conn=$1 commands=()
	shift
	for sql in "$@"; do commands+=(-c "$sql"); done
	if out=$(psql -X -q -d "$conn" -v ON_ERROR_STOP=1 -v VERBOSITY=verbose "${commands[@]}" 2>&1); then
		echo ok
	else
		sed -n 's/^ERROR: *\([0-9A-Z]\{5\}\):.*/\1/p' <<<"$out" | head -1
	fi
}
# plan QUERY: EXPLAIN VERBOSE over the distributed tables, split into what the
# coordinator runs ($coordinator_part) and the shard queries ($shard_part).
plan() {
	local p
	p=$(q "$coord" -c "SET search_path = public" -c "EXPLAIN (VERBOSE, COSTS OFF) $1")
	coordinator_part=$(sed '/Task Count:/,$d' <<<"$p")
	shard_part=$(sed -n '/Task Count:/,$p' <<<"$p")
	whole_plan=$p
}
# pushed_down NAME AGG QUERY: the shard queries run AGG; the coordinator only
# collects (and sorts) rows, no aggregate.
pushed_down() {
	plan "$3"
	same "$1" "$3"
	check "$1: pushed down whole" yes \
		"$(grep -q "Query: .*public\.$2(" <<<"$shard_part" && ! grep -q 'Aggregate' <<<"$coordinator_part" &&
			! grep -q 'worker_partial_agg' <<<"$shard_part" &&
			echo yes || echo "no: $whole_plan")"
}
# partial NAME SIGNATURE QUERY: the shard queries run
# worker_partial_agg('SIGNATURE'), whose state crosses as text to
# coord_combine_agg on the coordinator.
partial() {
	plan "$3"
	same "$1" "$3"
	check "$1: partial on the workers, merged on the coordinator" yes \
		"$(grep -qF "worker_partial_agg('$2'::regprocedure" <<<"$shard_part" &&
			grep -q 'Output: .*coord_combine_agg(' <<<"$coordinator_part" && echo yes || echo "no: $whole_plan")"
}
# gathered NAME AGG QUERY: the shard queries return rows, AGG runs on the
# coordinator (what Citus does with an internal state).
gathered() {
	plan "$3"
	same "$1" "$3"
	check "$1: rows pulled to the coordinator" yes \
		"$(grep -q "Output: .*[^.]\<$2(remote_scan\." <<<"$coordinator_part" && ! grep -q "\<$2(" <<<"$shard_part" &&
			echo yes || echo "no: $whole_plan")"
}

# two_level NAME SIGNATURE ONE_PASS TWO_LEVEL: docs/citus.md's recipe TWO_LEVEL
# over the distributed tables gives exactly what the one-pass ONE_PASS gives
# over the plain ones, and merges worker_partial_agg('SIGNATURE') states.
two_level() {
	plan "$4"
	check "$1: = the one-pass answer on one node" \
		"$(q "$coord" -c "SET search_path = single, public" -c "$3")" "$(q "$coord" -c "SET search_path = public" -c "$4")"
	check "$1: partial on the workers, merged on the coordinator" yes \
		"$(grep -qF "worker_partial_agg('$2'::regprocedure" <<<"$shard_part" &&
			grep -q 'Output: .*coord_combine_agg(' <<<"$coordinator_part" && echo yes || echo "no: $whole_plan")"
}

echo "grouped by the distribution column:"
pushed_down "journey(stage, at) GROUP BY deal" journey \
	"SELECT deal, journey(stage, at)::text FROM events GROUP BY deal ORDER BY deal"
pushed_down "timeline(stage, at) GROUP BY deal" timeline \
	"SELECT deal, timeline(stage, at)::text FROM events GROUP BY deal ORDER BY deal"
pushed_down "funnel(deal, stage, at) GROUP BY deal" funnel \
	"SELECT deal, funnel(deal, stage, at)::text FROM events GROUP BY deal ORDER BY deal"
pushed_down "time_in_stage(deal, stage, at, as_of) GROUP BY deal" time_in_stage \
	"SELECT deal, time_in_stage(deal, stage, at, '2026-03-01')::text FROM events GROUP BY deal ORDER BY deal"
pushed_down "window_funnel(deal, stage, at, ...) GROUP BY deal" window_funnel \
	"SELECT deal, window_funnel(deal, stage, at, '720 hours', '{explore,define,select,decide}', '{strict_increase}')::text
	   FROM events GROUP BY deal ORDER BY deal"
pushed_down "customer_summary(amount, at) GROUP BY customer" customer_summary \
	"SELECT customer, customer_summary(amount, at)::text FROM orders GROUP BY customer ORDER BY customer"
pushed_down "customer_summary(amount, at, 'week') GROUP BY customer" customer_summary \
	"SELECT customer, customer_summary(amount, at, 'week')::text FROM orders GROUP BY customer ORDER BY customer"
pushed_down "customer_summary(amount, on, 'month') GROUP BY customer" customer_summary \
	"SELECT customer, customer_summary(amount, at::date, 'month')::text, customer_summary(amount, at::date)::text
	   FROM orders GROUP BY customer ORDER BY customer"

echo "not grouped by it, concrete states:"
partial "journey(stage, at) GROUP BY deal over rows spread by id" \
	'public.journey(public.journey_stage,timestamp with time zone)' \
	"SELECT deal, journey(stage, at)::text FROM events_by_id GROUP BY deal ORDER BY deal"
partial "timeline(stage, at) GROUP BY deal over rows spread by id" \
	'public.timeline(public.journey_stage,timestamp with time zone)' \
	"SELECT deal, timeline(stage, at)::text FROM events_by_id GROUP BY deal ORDER BY deal"
partial "timeline(stage, at) GROUP BY region" \
	'public.timeline(public.journey_stage,timestamp with time zone)' \
	"SELECT region, md5(timeline(stage, at)::text) FROM events GROUP BY region ORDER BY region"
partial "min(journey_stage), max(journey_stage) GROUP BY deal over rows spread by id" \
	'public.max(public.journey_stage)' \
	"SELECT deal, min(stage), max(stage) FROM events_by_id GROUP BY deal ORDER BY deal"
partial "min(lifecycle_phase), max(lifecycle_phase) GROUP BY region" \
	'public.min(public.lifecycle_phase)' \
	"SELECT region, min(phase), max(phase), min(phase) FILTER (WHERE customer > 3) FROM orders GROUP BY region ORDER BY region"
partial "funnel(journey) over the journeys of all deals" 'public.funnel(public.journey)' \
	"SELECT funnel(j)::text FROM (SELECT deal, journey(stage, at) AS j FROM events GROUP BY deal) d"
partial "funnel(journey) by region, read with funnel_report(count_skipped)" 'public.funnel(public.journey)' \
	"SELECT region, r.* FROM (SELECT region, funnel(j) AS f FROM (SELECT deal, region, journey(stage, at) AS j FROM events GROUP BY deal, region) d
	   GROUP BY region) x, funnel_report(x.f, true) r ORDER BY region, r.stage"
partial "pipeline_velocity(journey, amount) by region" 'public.pipeline_velocity(public.journey,numeric)' \
	"SELECT region, pipeline_velocity(j, amount)::text
	   FROM (SELECT deal, region, journey(stage, at) AS j, max(amount) AS amount FROM events GROUP BY deal, region) d
	  GROUP BY region ORDER BY region"
partial "journey(journey) GROUP BY deal over weekly journeys" 'public.journey(public.journey)' \
	"SELECT deal, journey(j)::text FROM deal_weeks GROUP BY deal ORDER BY deal"
partial "timeline(timeline) GROUP BY deal over weekly timelines" 'public.timeline(public.timeline)' \
	"SELECT deal, timeline(t)::text FROM deal_weeks GROUP BY deal ORDER BY deal"
partial "funnel(funnel) by region over disjoint sets" 'public.funnel(public.funnel)' \
	"SELECT region, funnel(f)::text, funnel(fj)::text FROM deal_sets GROUP BY region ORDER BY region"
partial "time_in_stage(stage_durations) by region" 'public.time_in_stage(public.stage_durations)' \
	"SELECT region, time_in_stage(d)::text FROM deal_sets GROUP BY region ORDER BY region"
partial "window_funnel(window_counts) by region" 'public.window_funnel(public.window_counts)' \
	"SELECT region, window_funnel(w)::text FROM deal_sets GROUP BY region ORDER BY region"
partial "pipeline_velocity(velocity) over all sets" 'public.pipeline_velocity(public.velocity)' \
	"SELECT (velocity_report(pipeline_velocity(v))).* FROM deal_sets"
partial "customer_summary(customer_summary) GROUP BY customer over monthly summaries" \
	'public.customer_summary(public.customer_summary)' \
	"SELECT customer, customer_summary(s)::text FROM customer_months GROUP BY customer ORDER BY customer"

echo "not grouped by it, internal states:"
gathered "funnel(deal, stage, at) over all deals" funnel \
	"SELECT funnel(deal, stage, at)::text FROM events"
gathered "time_in_stage(deal, stage, at, as_of) by region" time_in_stage \
	"SELECT region, time_in_stage(deal, stage, at, '2026-03-01')::text FROM events GROUP BY region ORDER BY region"
gathered "window_funnel(deal, stage, at, ...) by region" window_funnel \
	"SELECT region, window_funnel(deal, stage, at, '720 hours', '{explore,define,select,decide}', '{}')::text
	   FROM events GROUP BY region ORDER BY region"
gathered "customer_summary(amount, at) GROUP BY customer over rows spread by id" customer_summary \
	"SELECT customer, customer_summary(amount, at)::text FROM orders_by_id GROUP BY customer ORDER BY customer"
gathered "bgnbd_fit over per-customer summaries" bgnbd_fit \
	"SELECT (bgnbd_report(bgnbd_fit(frequency(s), recency(s, '1 week'), customer_age(s, '2026-01-01', '1 week'), '1 week'))).*
	   FROM (SELECT customer, customer_summary(amount, at) AS s FROM orders GROUP BY customer) c"
gathered "gammagamma_fit over per-customer summaries" gammagamma_fit \
	"SELECT (gammagamma_report(gammagamma_fit(frequency(s), mean_repeat_spend(s)))).*
	   FROM (SELECT customer, customer_summary(amount, at) AS s FROM orders GROUP BY customer) c WHERE mean_repeat_spend(s) > 0"

echo "the two-level forms of the one-pass aggregates:"
two_level "funnel(funnel) over funnel(deal, stage, at) GROUP BY deal" 'public.funnel(public.funnel)' \
	"SELECT funnel(deal, stage, at)::text FROM events" \
	"SELECT funnel(f)::text FROM (SELECT deal, funnel(deal, stage, at) AS f FROM events GROUP BY deal) d"
two_level "time_in_stage(stage_durations) over time_in_stage(deal, ...) GROUP BY deal" \
	'public.time_in_stage(public.stage_durations)' \
	"SELECT region, time_in_stage(deal, stage, at, '2026-03-01')::text FROM events GROUP BY region ORDER BY region" \
	"SELECT region, time_in_stage(d)::text
	   FROM (SELECT deal, region, time_in_stage(deal, stage, at, '2026-03-01') AS d FROM events GROUP BY deal, region) x
	  GROUP BY region ORDER BY region"
two_level "window_funnel(window_counts) over window_funnel(deal, ...) GROUP BY deal" \
	'public.window_funnel(public.window_counts)' \
	"SELECT window_funnel(deal, stage, at, '720 hours', '{explore,define,select,decide}', '{}')::text FROM events" \
	"SELECT window_funnel(w)::text
	   FROM (SELECT deal, window_funnel(deal, stage, at, '720 hours', '{explore,define,select,decide}', '{}') AS w
	           FROM events GROUP BY deal) x"

echo "the concrete twins of the one-pass aggregates (partial on the workers, the one-pass answer):"
twin_funnel='public.funnel_distributed(bigint,public.journey_stage,timestamp with time zone)'
two_level "funnel_distributed(deal, stage, at) over all deals" "$twin_funnel" \
	"SELECT funnel(deal, stage, at)::text FROM events" \
	"SELECT funnel_distributed(deal, stage, at)::text FROM events"
two_level "funnel_distributed(deal, stage, at) over rows spread by id (a deal on every shard)" "$twin_funnel" \
	"SELECT funnel(deal, stage, at)::text FROM events" \
	"SELECT funnel_distributed(deal, stage, at)::text FROM events_by_id"
two_level "funnel_distributed(deal, stage, at) by region, with FILTER and HAVING" "$twin_funnel" \
	"SELECT region, funnel(deal, stage, at) FILTER (WHERE stage <> 'lost')::text FROM events
	  GROUP BY region HAVING count(*) > 100 ORDER BY region" \
	"SELECT region, funnel_distributed(deal, stage, at) FILTER (WHERE stage <> 'lost')::text FROM events
	  GROUP BY region HAVING count(*) > 100 ORDER BY region"
two_level "time_in_stage_distributed(deal, stage, at, as_of) by region" \
	'public.time_in_stage_distributed(bigint,public.journey_stage,timestamp with time zone,timestamp with time zone)' \
	"SELECT region, time_in_stage(deal, stage, at, '2026-03-01')::text FROM events GROUP BY region ORDER BY region" \
	"SELECT region, time_in_stage_distributed(deal, stage, at, '2026-03-01')::text FROM events GROUP BY region ORDER BY region"
two_level "time_in_stage_distributed(deal, stage, at, as_of) over rows spread by id" \
	'public.time_in_stage_distributed(bigint,public.journey_stage,timestamp with time zone,timestamp with time zone)' \
	"SELECT time_in_stage(deal, stage, at, '2026-03-01')::text FROM events" \
	"SELECT time_in_stage_distributed(deal, stage, at, '2026-03-01')::text FROM events_by_id"
two_level "window_funnel_distributed(deal, stage, at, ...) over all deals" \
	'public.window_funnel_distributed(bigint,public.journey_stage,timestamp with time zone,interval,public.journey_stage[],text[])' \
	"SELECT window_funnel(deal, stage, at, '720 hours', '{explore,define,select,decide}', '{strict_increase}')::text FROM events" \
	"SELECT window_funnel_distributed(deal, stage, at, '720 hours', '{explore,define,select,decide}', '{strict_increase}')::text FROM events"
two_level "window_funnel_distributed(deal, stage, at, window, steps) by region over rows spread by id" \
	'public.window_funnel_distributed(bigint,public.journey_stage,timestamp with time zone,interval,public.journey_stage[])' \
	"SELECT region, window_funnel(deal, stage, at, '240 hours', '{define,select}')::text FROM events GROUP BY region ORDER BY region" \
	"SELECT region, window_funnel_distributed(deal, stage, at, '240 hours', '{define,select}')::text FROM events_by_id GROUP BY region ORDER BY region"
two_level "funnel_colocated(deal, stage, at) over all deals (events distributed by deal)" \
	'public.funnel_colocated(bigint,public.journey_stage,timestamp with time zone)' \
	"SELECT funnel(deal, stage, at)::text FROM events" \
	"SELECT funnel_colocated(deal, stage, at)::text FROM events"
two_level "time_in_stage_colocated(deal, stage, at, as_of) by region (events distributed by deal)" \
	'public.time_in_stage_colocated(bigint,public.journey_stage,timestamp with time zone,timestamp with time zone)' \
	"SELECT region, time_in_stage(deal, stage, at, '2026-03-01')::text FROM events GROUP BY region ORDER BY region" \
	"SELECT region, time_in_stage_colocated(deal, stage, at, '2026-03-01')::text FROM events GROUP BY region ORDER BY region"
two_level "window_funnel_colocated(deal, stage, at, ...) over all deals (events distributed by deal)" \
	'public.window_funnel_colocated(bigint,public.journey_stage,timestamp with time zone,interval,public.journey_stage[],text[])' \
	"SELECT window_funnel(deal, stage, at, '720 hours', '{explore,define,select,decide}', '{strict_increase}')::text FROM events" \
	"SELECT window_funnel_colocated(deal, stage, at, '720 hours', '{explore,define,select,decide}', '{strict_increase}')::text FROM events"
two_level "window_funnel_colocated(deal, stage, at, window, steps) with FILTER and HAVING" \
	'public.window_funnel_colocated(bigint,public.journey_stage,timestamp with time zone,interval,public.journey_stage[])' \
	"SELECT region, window_funnel(deal, stage, at, '240 hours', '{define,select}') FILTER (WHERE stage <> 'lost')::text
	   FROM events GROUP BY region HAVING count(*) > 100 ORDER BY region" \
	"SELECT region, window_funnel_colocated(deal, stage, at, '240 hours', '{define,select}') FILTER (WHERE stage <> 'lost')::text
	   FROM events GROUP BY region HAVING count(*) > 100 ORDER BY region"
check "funnel_colocated over rows spread by id (a deal on several shards): refused (22023), not a deal counted twice" 22023 \
	"$(sqlstate "$coord" "SELECT funnel_colocated(deal, stage, at) FROM events_by_id")"
check "time_in_stage_colocated over rows spread by id: refused (22023)" 22023 \
	"$(sqlstate "$coord" "SELECT time_in_stage_colocated(deal, stage, at, '2026-03-01') FROM events_by_id")"
check "window_funnel_colocated over rows spread by id: refused (22023)" 22023 \
	"$(sqlstate "$coord" "SELECT window_funnel_colocated(deal, stage, at, '240 hours', '{define,select}') FROM events_by_id")"
# What crosses to the coordinator: each shard's state as text (its output
# function), as worker_partial_agg writes it, summed over the shards.
# twin_bytes TABLE SIGNATURE ARGUMENTS
twin_bytes() {
	q "$coord" -c "SELECT sum(result::bigint) FROM run_command_on_shards('$1',
		\$\$SELECT octet_length(pg_catalog.worker_partial_agg('$2'::regprocedure, ROW($3))::text) FROM %s\$\$)"
}
deal_count=$(q "$coord" -c "SELECT count(DISTINCT deal) FROM events WHERE deal IS NOT NULL AND stage IS NOT NULL AND at IS NOT NULL")
shard_count=$(q "$coord" -c "SELECT count(*) FROM pg_dist_shard WHERE logicalrelid = 'events'::regclass")
bytes=$(twin_bytes events "$twin_funnel" "deal, stage, at")
check "funnel_distributed over events distributed by deal: at most 12 bytes a deal cross to the coordinator" yes \
	"$( [ "$bytes" -le $((12 * deal_count)) ] && echo yes || echo "no: $bytes bytes for $deal_count deals")"
echo "funnel_distributed ships $bytes bytes of state for $deal_count deals distributed by deal," \
	"$(twin_bytes events_by_id "$twin_funnel" "deal, stage, at") spread by id (a deal's marks on each shard that has its events)"
# a colocated state: the result (a head of 370 to 522 bytes: 700 in base64) and about a byte a deal
for twin in "funnel_colocated(bigint,public.journey_stage,timestamp with time zone)|deal, stage, at" \
	"time_in_stage_colocated(bigint,public.journey_stage,timestamp with time zone,timestamp with time zone)|deal, stage, at, '2026-03-01'::timestamptz" \
	"window_funnel_colocated(bigint,public.journey_stage,timestamp with time zone,interval,public.journey_stage[],text[])|deal, stage, at, '720 hours'::interval, '{explore,define,select,decide}'::journey_stage[], '{}'::text[]"; do
	bytes=$(twin_bytes events "public.${twin%%|*}" "${twin#*|}")
	check "${twin%%(*} over events distributed by deal: at most 2 bytes a deal and 800 a shard cross to the coordinator" yes \
		"$( [ "$bytes" -le $((2 * deal_count + 800 * shard_count)) ] && echo yes || echo "no: $bytes bytes for $deal_count deals")"
	echo "${twin%%(*} ships $bytes bytes for $deal_count deals in $shard_count shards," \
		"$(twin_bytes events "public.$(sed 's/_colocated/_distributed/' <<<"${twin%%|*}")" "${twin#*|}") unsummarised (the _distributed twin)"
done

check "as_of = now() is each worker's own: the two-level time_in_stage refuses to add them up (22023)" 22023 \
	"$(sqlstate "$coord" "SELECT time_in_stage(d) FROM (SELECT deal, time_in_stage(deal, stage, at, now()) AS d FROM events GROUP BY deal) x")"

# --- the trigger on a distributed table --------------------------------------
echo "enforce_transitions on a distributed table:"
guard="CREATE TRIGGER deals_stage AFTER INSERT OR UPDATE ON deals FOR EACH ROW
         EXECUTE FUNCTION enforce_transitions('column=stage', 'process=complex', 'history=deal_history')"
q "$coord" <<'SQL'
CREATE TABLE deals (id bigint PRIMARY KEY, stage journey_stage);
SELECT FROM create_distributed_table('deals', 'id', shard_count => 8);
SQL
# The trigger runs on the shards, on the workers: it writes the history into
# the table of that name there.  Give every node a plain history table.
check "a plain history table made on every node (run_command_on_all_nodes)" "t|3" \
	"$(q "$coord" -c "SELECT bool_and(success), count(*) FROM run_command_on_all_nodes(
	     \$\$SET citus.enable_ddl_propagation = off; SELECT create_history_table('deal_history')\$\$)")"
check "without citus.enable_unsafe_triggers, Citus refuses the trigger" \
	"ERROR:  triggers are not supported on distributed tables" \
	"$(q "$coord" -c "$guard" 2>&1 | grep -m1 '^ERROR' || true)"
check "with citus.enable_unsafe_triggers = on, CREATE TRIGGER reaches every shard" "ok 8" \
	"$(sqlstate "$coord" "SET citus.enable_unsafe_triggers = on" "$guard") $(q "$coord" -c "
	   SELECT sum(result::int) FROM run_command_on_shards('deals',
	     \$\$SELECT count(*) FROM pg_trigger WHERE tgrelid = '%s'::regclass AND tgname LIKE 'deals_stage%%'\$\$)")"
check "1,000 deals start at explore or unaware" ok \
	"$(sqlstate "$coord" "INSERT INTO deals SELECT g, CASE WHEN g % 10 = 0 THEN 'unaware' ELSE 'explore' END FROM generate_series(1, 1000) g")"
check "a forbidden move (explore -> decide) is refused with 23514" 23514 \
	"$(sqlstate "$coord" "UPDATE deals SET stage = 'decide' WHERE id = 7")"
check "... with the process's hint, relayed from the worker" \
	'HINT:  From "explore", process "complex" allows: unaware, define, lost, no_decision.' \
	"$(psql -X -q -d "$coord" -c "UPDATE deals SET stage = 'decide' WHERE id = 7" 2>&1 | grep '^HINT' || true)"
check "a multi-shard UPDATE with one forbidden row changes nothing" "23514 unaware=100 explore=900" \
	"$(sqlstate "$coord" "UPDATE deals SET stage = CASE WHEN id = 501 THEN 'decide'::journey_stage ELSE 'define' END WHERE stage = 'explore'") $(
	   q "$coord" -c "SELECT string_agg(stage || '=' || n, ' ' ORDER BY stage) FROM (SELECT stage, count(*) n FROM deals GROUP BY stage) s")"
check "allowed moves on every shard are accepted (explore -> define, unaware -> explore)" "ok explore=100 define=900" \
	"$(sqlstate "$coord" "UPDATE deals SET stage = CASE stage WHEN 'explore' THEN 'define'::journey_stage ELSE 'explore' END") $(
	   q "$coord" -c "SELECT string_agg(stage || '=' || n, ' ' ORDER BY stage) FROM (SELECT stage, count(*) n FROM deals GROUP BY stage) s")"
check "the trigger still guards when the session has citus.enable_unsafe_triggers off" 23514 \
	"$(sqlstate "$coord" "SET citus.enable_unsafe_triggers = off" "UPDATE deals SET stage = 'realize' WHERE id = 3")"
check "SET buyerjourney.bypass_transition_checks on the coordinator does not reach the workers" 23514 \
	"$(sqlstate "$coord" "SET buyerjourney.bypass_transition_checks = on" "UPDATE deals SET stage = 'realize' WHERE id = 3")"
check "... SET LOCAL with citus.propagate_set_commands = 'local' does" "ok realize" \
	"$(sqlstate "$coord" "SET citus.propagate_set_commands = 'local'" BEGIN "SET LOCAL buyerjourney.bypass_transition_checks = on" \
	     "UPDATE deals SET stage = 'realize' WHERE id = 3" COMMIT) $(q "$coord" -c "SELECT stage FROM deals WHERE id = 3")"
# History: 1,000 starts, 1,000 moves, the bypassed one; each row on the node
# that holds its shard, none on the coordinator (it holds no shard).
history_count() { q "${node[$1]}" -c "SELECT count(*) FROM deal_history"; }
check "history written on the workers: 2001 rows, none on the coordinator" "0 2001" \
	"$(history_count coordinator) $(($(history_count worker1) + $(history_count worker2)))"
check "... one start and one move per deal, each on the node of its shard" "2001|1000|0" \
	"$(q "$coord" -c "SELECT sum(rows), sum(deals), sum(misplaced) FROM (SELECT (r.result::json->>0)::int AS rows, (r.result::json->>1)::int AS deals, (r.result::json->>2)::int AS misplaced
	     FROM run_command_on_workers(\$\$SELECT json_build_array(count(*), count(DISTINCT row_key),
	            count(*) FILTER (WHERE NOT EXISTS (SELECT FROM pg_dist_shard_placement p
	                                               WHERE p.shardid = substring(h.table_name FROM '_([0-9]+)\$')::bigint
	                                                 AND p.nodeport = current_setting('port')::int)))
	            FROM deal_history h\$\$) r) x")"
check "... naming the shard (public.deals_<shard id>) as the table" "public.deals" \
	"$(q "$coord" -c "SELECT string_agg(DISTINCT regexp_replace(x, '_[0-9]+$', ''), ',') FROM run_command_on_workers(
	     \$\$SELECT string_agg(DISTINCT table_name, ',') FROM deal_history\$\$) r, regexp_split_to_table(r.result, ',') x")"
# Distributing a table copies its rows into the shards, where the trigger
# (if already there) checks them again, as new rows.
check "distributing a guarded table checks its rows again as starts: a row at define refuses it" \
	'ERROR:  journey_stage may not start at "define" under process "complex"' \
	"$(psql -X -q -d "$coord" -v ON_ERROR_STOP=1 -c "SET citus.enable_unsafe_triggers = on" \
	     -c "CREATE TABLE leads (id bigint PRIMARY KEY, stage journey_stage)" \
	     -c "CREATE TRIGGER leads_stage AFTER INSERT OR UPDATE ON leads FOR EACH ROW EXECUTE FUNCTION enforce_transitions('column=stage', 'process=complex')" \
	     -c "INSERT INTO leads SELECT g, 'explore' FROM generate_series(1, 10) g" -c "UPDATE leads SET stage = 'define' WHERE id = 4" \
	     -c "SELECT create_distributed_table('leads', 'id')" 2>&1 | grep -m1 '^ERROR' || true)"
# Processes are rows of the extension's tables on each node; Citus does not
# copy them.
fast="CREATE TRIGGER accounts_stage AFTER INSERT OR UPDATE ON accounts FOR EACH ROW
        EXECUTE FUNCTION enforce_transitions('column=stage', 'process=enterprise')"
q "$coord" <<'SQL'
CREATE TABLE accounts (id bigint PRIMARY KEY, stage journey_stage);
SELECT FROM create_distributed_table('accounts', 'id', colocate_with => 'deals');
INSERT INTO accounts SELECT g, 'explore' FROM generate_series(1, 100) g;
SELECT FROM copy_process('complex', 'enterprise', 'with a fast lane');
INSERT INTO process_move VALUES ('enterprise', 'explore', 'decide');
SQL
check "a process made on the coordinator only: the shards refuse the trigger (42704)" 42704 \
	"$(sqlstate "$coord" "SET citus.enable_unsafe_triggers = on" "$fast")"
check "made on the workers too (run_command_on_workers), the trigger is created" "t ok" \
	"$(q "$coord" -c "SELECT bool_and(success) FROM (
	     SELECT success FROM run_command_on_workers(\$\$SELECT copy_process('complex', 'enterprise', 'with a fast lane')\$\$) UNION ALL
	     SELECT success FROM run_command_on_workers(\$\$INSERT INTO process_move VALUES ('enterprise', 'explore', 'decide')\$\$)) r") $(
	   sqlstate "$coord" "SET citus.enable_unsafe_triggers = on" "$fast")"
check "... and its fast lane (explore -> decide) is accepted on every shard" "ok explore=50 decide=50" \
	"$(sqlstate "$coord" "UPDATE accounts SET stage = 'decide' WHERE id <= 50") $(
	   q "$coord" -c "SELECT string_agg(stage || '=' || n, ' ' ORDER BY stage) FROM (SELECT stage, count(*) n FROM accounts GROUP BY stage) s")"
q "$coord" -c "DELETE FROM process_move WHERE process = 'enterprise' AND from_value = 'explore' AND to_value = 'decide'"
check "processes are per node: a move deleted on the coordinator only is still allowed by the workers" "ok" \
	"$(sqlstate "$coord" "UPDATE accounts SET stage = 'decide' WHERE id = 51")"
# A worker added later holds no per-node state: the shells Citus makes there
# carry the triggers, whose checks need the history table and the processes.
bj_new_cluster shared_preload_libraries=citus shared_buffers=32MB
node[worker3]="host=127.0.0.1 port=$BJ_NEW_CLUSTER_PORT user=postgres dbname=postgres"
port[worker3]=$BJ_NEW_CLUSTER_PORT
q "${node[worker3]}" -c "CREATE EXTENSION citus"
add_worker3="SELECT FROM citus_add_node('127.0.0.1', ${port[worker3]})"
check "a worker added later: citus_add_node fails while it lacks the history table" \
	'WARNING:  history table "public.deal_history" does not exist' \
	"$(q "$coord" -c "$add_worker3" 2>&1 | grep -m1 '^WARNING' || true)"
q "${node[worker3]}" <<'SQL'
CREATE EXTENSION buyerjourney;
SELECT FROM create_history_table('deal_history');
SELECT FROM copy_process('complex', 'enterprise', 'with a fast lane');
INSERT INTO process_move VALUES ('enterprise', 'explore', 'decide');
SQL
check "... with the extension, the history table and the processes made there first, it joins" "ok $current" \
	"$(sqlstate "$coord" "$add_worker3") $(q "${node[worker3]}" -c "SELECT extversion FROM pg_extension WHERE extname = 'buyerjourney'")"
check "a shard moved to it (citus_move_shard_placement) keeps its guard: define -> decide refused" "ok 23514" \
	"$(sqlstate "$coord" "SELECT citus_move_shard_placement(s.shardid, p.nodename, p.nodeport, '127.0.0.1', ${port[worker3]}, shard_transfer_mode => 'block_writes')
	                        FROM (SELECT get_shard_id_for_distribution_column('deals', 7) AS shardid) s JOIN pg_dist_shard_placement p USING (shardid)") $(
	   sqlstate "$coord" "UPDATE deals SET stage = 'decide' WHERE id = 7")"
check "... an allowed move is recorded there; the shard's earlier history stays on the old node" "7:select 2" \
	"$(sqlstate "$coord" "UPDATE deals SET stage = 'select' WHERE id = 7" >/dev/null
	   q "${node[worker3]}" -c "SELECT string_agg(row_key || ':' || to_value, ' ') FROM deal_history") $(
	   q "$coord" -c "SELECT sum(result::int) FROM run_command_on_workers(\$\$SELECT count(*) FROM deal_history WHERE row_key = '7'\$\$)
	                   WHERE nodeport <> ${port[worker3]}")"
check "a Citus reference table as the history is refused (42809)" 42809 \
	"$(sqlstate "$coord" "SET citus.enable_unsafe_triggers = on" "SELECT FROM create_history_table('ref_history')" \
	     "SELECT FROM create_reference_table('ref_history')" "CREATE TRIGGER deals_ref AFTER INSERT OR UPDATE ON deals FOR EACH ROW
	        EXECUTE FUNCTION enforce_transitions('column=stage', 'process=complex', 'history=ref_history')")"

# --- what an application sees when the guard refuses, path by path -----------
# Citus rebuilds a worker's error on the coordinator: ReportResultError (the
# adaptive executor) keeps the SQLSTATE, message, detail and hint, and drops
# the schema, table, column and constraint fields; ReportCopyError (rows sent
# to the shards with COPY) keeps only the message and the detail, without a
# SQLSTATE (so XX000).  docs/citus.md's table is these checks.
echo "what an application sees when the guard refuses, by write path:"
q "$coord" <<'SQL'
CREATE TABLE offers (id bigint PRIMARY KEY, stage journey_stage);
SELECT FROM create_distributed_table('offers', 'id', shard_count => 8);
SET citus.enable_unsafe_triggers = on;
CREATE TRIGGER offers_stage AFTER INSERT OR UPDATE ON offers FOR EACH ROW
	EXECUTE FUNCTION enforce_transitions('column=stage', 'process=complex');
INSERT INTO offers SELECT g, 'explore' FROM generate_series(1, 20) g;
-- Sources of new rows: colocated with offers, distributed by another column.
CREATE TABLE offer_leads (id bigint, stage journey_stage);
SELECT FROM create_distributed_table('offer_leads', 'id', colocate_with => 'offers');
INSERT INTO offer_leads SELECT g, 'explore' FROM generate_series(101, 110) g;
INSERT INTO offer_leads VALUES (111, 'decide');
CREATE TABLE offer_moves (id bigint, batch int);
SELECT FROM create_distributed_table('offer_moves', 'batch');
INSERT INTO offer_moves VALUES (7, 1);
-- The same table and trigger, not distributed, for comparison.
SET citus.enable_ddl_propagation = off;
CREATE TABLE offers_local (id bigint PRIMARY KEY, stage journey_stage);
CREATE TRIGGER offers_stage AFTER INSERT OR UPDATE ON offers_local FOR EACH ROW
	EXECUTE FUNCTION enforce_transitions('column=stage', 'process=complex');
INSERT INTO offers_local VALUES (7, 'explore');
SQL
# seen SQL [STDIN]: what a client sees of SQL's error (psql, VERBOSITY
# verbose): "SQLSTATE FIELDS | message | detail", FIELDS being which of the
# hint and the schema, table, column and constraint fields came with it, and
# a shard id in the detail written <shard>.  Message and detail are also kept
# in $workdir/refusals, one tab-separated line each.
seen() {
	local out fields= f message detail
	if out=$(psql -X -q -d "$coord" -v VERBOSITY=verbose -c "$1" 2>&1 <<<"${2:-}"); then
		echo "not refused"
		return
	fi
	for f in HINT 'SCHEMA NAME' 'TABLE NAME' 'COLUMN NAME' 'CONSTRAINT NAME'; do
		grep -q "^$f:" <<<"$out" && fields+="${fields:+,}$(tr 'A-Z' 'a-z' <<<"${f% NAME}")"
	done
	message=$(sed -n 's/^ERROR:  [0-9A-Z]\{5\}: //p' <<<"$out")
	detail=$(sed -n 's/^DETAIL:  //p' <<<"$out")
	printf '%s\t%s\n' "$message" "$detail" >>"$workdir/refusals"
	printf '%s %s | %s | %s\n' "$(sed -n 's/^ERROR:  \([0-9A-Z]\{5\}\): .*/\1/p' <<<"$out")" "${fields:-none}" \
		"$(sed 's/_[0-9]\+"/_<shard>"/g' <<<"$message")" "$(sed 's/_[0-9]\+"/_<shard>"/g' <<<"$detail")"
}
# how SQL: how Citus runs it (its EXPLAIN's method, or its number of tasks).
how() {
	q "$coord" -c "EXPLAIN (COSTS OFF) $1" |
		sed -n 's/^ *\(INSERT\/SELECT\|MERGE INTO [a-z_]*\) method: \(.*\)/\2/p; s/^ *Task Count: \(.*\)/\1 tasks/p' | head -1
}
all_fields="hint,schema,table,column,constraint"
start_decide='journey_stage may not start at "decide" under process "complex"'
start_detail='column "stage", trigger "offers_stage_<shard>". Process "complex" lets a row start at: unaware, explore.'
move_decide='journey_stage may not move from "explore" to "decide" under process "complex"'
move_detail='column "stage", trigger "offers_stage_<shard>". From "explore", process "complex" allows: unaware, define, lost, no_decision.'
check "a plain table: 23514 with the hint and every field" \
	"23514 $all_fields | $move_decide | Row (id)=(7) of table \"public.offers_local\", ${move_detail/_<shard>/}" \
	"$(seen "UPDATE offers_local SET stage = 'decide' WHERE id = 7")"
# refusal_paths ROUTED COPIED NULLED: every write path's refusal, each as
# Citus runs it, seen as ROUTED ("SQLSTATE FIELDS") where Citus's executor
# relays it, COPIED where Citus sent the rows with COPY, NULLED for the
# refusal of a NULL (which has no hint); nothing of them written.
refusal_paths() {
	local routed=$1 copied=$2 nulled=$3
	check "INSERT … VALUES, routed to one shard: $routed" \
		"1 tasks: $routed | $start_decide | Row (id)=(1001) of table \"public.offers_<shard>\", $start_detail" \
		"$(how "INSERT INTO offers VALUES (1001, 'decide')"): $(seen "INSERT INTO offers VALUES (1001, 'decide')")"
	check "UPDATE, routed to one shard: $routed" \
		"1 tasks: $routed | $move_decide | Row (id)=(7) of table \"public.offers_<shard>\", $move_detail" \
		"$(how "UPDATE offers SET stage = 'decide' WHERE id = 7"): $(seen "UPDATE offers SET stage = 'decide' WHERE id = 7")"
	check "INSERT … ON CONFLICT DO UPDATE, routed to one shard: $routed" \
		"1 tasks: $routed | $move_decide | Row (id)=(7) of table \"public.offers_<shard>\", $move_detail" \
		"$(how "INSERT INTO offers VALUES (7, 'decide') ON CONFLICT (id) DO UPDATE SET stage = excluded.stage"): $(
		   seen "INSERT INTO offers VALUES (7, 'decide') ON CONFLICT (id) DO UPDATE SET stage = excluded.stage")"
	check "UPDATE … SET stage = NULL: $nulled" \
		"$nulled | journey_stage column \"stage\" may not be set back to NULL | Row (id)=(7) of table \"public.offers_<shard>\", column \"stage\", trigger \"offers_stage_<shard>\". The row was at \"explore\"." \
		"$(seen "UPDATE offers SET stage = NULL WHERE id = 7")"
	check "UPDATE over every shard: $routed" \
		"8 tasks: $routed | $move_decide | Row (id)=(7) of table \"public.offers_<shard>\", $move_detail" \
		"$(how "UPDATE offers SET stage = CASE WHEN id = 7 THEN 'decide'::journey_stage ELSE 'define' END"): $(
		   seen "UPDATE offers SET stage = CASE WHEN id = 7 THEN 'decide'::journey_stage ELSE 'define' END")"
	check "COPY … FROM STDIN: $copied" \
		"$copied | $start_decide | Row (id)=(1002) of table \"public.offers_<shard>\", $start_detail" \
		"$(seen "COPY offers FROM STDIN" $'1001\texplore\n1002\tdecide\n1003\texplore')"
	check "INSERT … SELECT pulled to the coordinator (sent with COPY): $copied" \
		"pull to coordinator: $copied | $start_decide | Row (id)=(111) of table \"public.offers_<shard>\", $start_detail" \
		"$(how "INSERT INTO offers SELECT * FROM offer_leads ORDER BY id LIMIT 20"): $(
		   seen "INSERT INTO offers SELECT * FROM offer_leads ORDER BY id LIMIT 20")"
	check "INSERT … SELECT pushed down to the shards: $routed" \
		"8 tasks: $routed | $start_decide | Row (id)=(111) of table \"public.offers_<shard>\", $start_detail" \
		"$(how "INSERT INTO offers SELECT * FROM offer_leads"): $(seen "INSERT INTO offers SELECT * FROM offer_leads")"
	check "INSERT … SELECT repartitioned: $routed" \
		"repartition: $routed | $start_decide | Row (id)=(1111) of table \"public.offers_<shard>\", $start_detail" \
		"$(how "INSERT INTO offers SELECT id + 1000, stage FROM offer_leads"): $(
		   seen "INSERT INTO offers SELECT id + 1000, stage FROM offer_leads")"
	check "MERGE from a colocated table, pushed down: $routed" \
		"8 tasks: $routed | $start_decide | Row (id)=(111) of table \"public.offers_<shard>\", $start_detail" \
		"$(how "MERGE INTO offers o USING offer_leads l ON o.id = l.id WHEN NOT MATCHED THEN INSERT VALUES (l.id, l.stage)"): $(
		   seen "MERGE INTO offers o USING offer_leads l ON o.id = l.id WHEN NOT MATCHED THEN INSERT VALUES (l.id, l.stage)")"
	check "MERGE repartitioned: $routed" \
		"repartition: $routed | $move_decide | Row (id)=(7) of table \"public.offers_<shard>\", $move_detail" \
		"$(how "MERGE INTO offers o USING offer_moves m ON o.id = m.id WHEN MATCHED THEN UPDATE SET stage = 'decide'"): $(
		   seen "MERGE INTO offers o USING offer_moves m ON o.id = m.id WHEN MATCHED THEN UPDATE SET stage = 'decide'")"
	check "MERGE pulled to the coordinator: $routed" \
		"pull to coordinator: $routed | $start_decide | Row (id)=(111) of table \"public.offers_<shard>\", $start_detail" \
		"$(how "MERGE INTO offers o USING (SELECT * FROM offer_leads ORDER BY id LIMIT 20) l ON o.id = l.id WHEN NOT MATCHED THEN INSERT VALUES (l.id, l.stage)"): $(
		   seen "MERGE INTO offers o USING (SELECT * FROM offer_leads ORDER BY id LIMIT 20) l ON o.id = l.id WHEN NOT MATCHED THEN INSERT VALUES (l.id, l.stage)")"
	check "nothing of the refused statements was written" "20 explore" \
		"$(q "$coord" -c "SELECT count(*) || ' ' || string_agg(DISTINCT stage::text, ',') FROM offers")"
}
refusal_paths "23514 hint" "XX000 none" "23514 none"
# docs/citus.md's patterns, as an application would use them: the message
# tells a refusal on every path, the start of the detail names the place;
# through Citus the table and the trigger are the shard's, "_<shard id>" added.
refusal_message='^(journey_stage|lifecycle_phase) (may not move from "[^"]*" to "[^"]*"|may not start at "[^"]*") under process "[^"]*"$|^(journey_stage|lifecycle_phase) column "[^"]*" may not be set back to NULL$'
refusal_place='^(Row .* of table|Table) "([^"]*)\.([^"]*)", column "([^"]*)", trigger "([^"]*)"\.( |$)'
check "docs/citus.md's patterns: every message above is a refusal, every detail names its place" \
	"13/13 13/13 public.offers.stage.offers_stage public.offers_local.stage.offers_stage" \
	"$(cut -f1 "$workdir/refusals" | grep -cE "$refusal_message")/$(wc -l <"$workdir/refusals") $(
	   cut -f2 "$workdir/refusals" | grep -cE "$refusal_place")/$(wc -l <"$workdir/refusals") $(
	   cut -f2 "$workdir/refusals" | sed -nE "s/$refusal_place.*/\2 \3 \4 \5/p" |
	   while read -r schema table column trigger; do echo "$schema.${table%_[0-9]*}.$column.${trigger%_[0-9]*}"; done | sort -u | paste -sd' ')"
# In PL/pgSQL on the coordinator the codes are the same: check_violation
# catches the routed refusal, internal_error the one sent with COPY.
check "PL/pgSQL on the coordinator: check_violation catches a routed UPDATE's refusal, internal_error one sent with COPY" \
	"check_violation|internal_error, a refusal" \
	"$(q "$coord" -v pattern="$refusal_message" <<'SQL'
CREATE FUNCTION refusal_caught(sql text, pattern text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE sql;
	RETURN 'not refused';
EXCEPTION
	WHEN check_violation THEN RETURN 'check_violation';
	WHEN internal_error THEN RETURN CASE WHEN SQLERRM ~ pattern THEN 'internal_error, a refusal' ELSE SQLERRM END;
END $$;
SELECT refusal_caught($$UPDATE offers SET stage = 'decide' WHERE id = 7$$, :'pattern'),
       refusal_caught($$INSERT INTO offers SELECT * FROM offer_leads ORDER BY id LIMIT 20$$, :'pattern');
SQL
)"

# With buyerjourney in the coordinator's shared_preload_libraries, after
# citus, the extension gives a relayed refusal back its SQLSTATE, hint and
# fields on every path (the shard's names, as the worker gave them), and
# leaves every other error as Citus made it.
echo "... with buyerjourney preloaded on the coordinator:"
bj_restart_cluster "${dir[coordinator]}" "${port[coordinator]}" shared_preload_libraries=citus,buyerjourney shared_buffers=32MB
check "the coordinator restarted with shared_preload_libraries = citus,buyerjourney" "citus,buyerjourney" \
	"$(q "$coord" -c "SHOW shared_preload_libraries")"
refusal_paths "23514 $all_fields" "23514 $all_fields" "23514 schema,table,column,constraint"
check "... a plain table's refusal unchanged" \
	"23514 $all_fields | $move_decide | Row (id)=(7) of table \"public.offers_local\", ${move_detail/_<shard>/}" \
	"$(seen "UPDATE offers_local SET stage = 'decide' WHERE id = 7")"
check "... the fields as the worker set them: the shard's schema, table, column and trigger" \
	"public offers_<shard> stage offers_stage_<shard>" \
	"$(psql -X -q -d "$coord" -v VERBOSITY=verbose -c "COPY offers FROM STDIN" 2>&1 <<<$'1001\tdecide' |
	   sed -n 's/^\(SCHEMA\|TABLE\|COLUMN\|CONSTRAINT\) NAME:  //p' | sed 's/_[0-9]\+$/_<shard>/' | paste -sd' ')"
check "... PL/pgSQL catches check_violation on both paths" "check_violation|check_violation" \
	"$(q "$coord" -c "SELECT refusal_caught(\$\$UPDATE offers SET stage = 'decide' WHERE id = 7\$\$, ''),
	                         refusal_caught(\$\$INSERT INTO offers SELECT * FROM offer_leads ORDER BY id LIMIT 20\$\$, '')")"
check "... any other error stays as Citus relays it: a duplicate key through COPY is XX000" \
	"XX000 none | duplicate key value violates unique constraint \"offers_pkey_<shard>\" | Key (id)=(7) already exists." \
	"$(seen "COPY offers FROM STDIN" $'7\texplore')"

echo "Citus suite: $((SECONDS - started)) s"
finish_checks
