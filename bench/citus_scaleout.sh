#!/usr/bin/env bash
# bench/citus_scaleout.sh - the aggregates over a distributed table against
# the same rows in a plain table, and what each ships to the coordinator.
#
# Starts its own throwaway Citus cluster (a coordinator and two workers on
# loopback, as test/citus does; stopped and removed on exit), with
# buyerjourney installed where BJ_PG_BIN points.  Data: BJ_BENCH_EVENTS
# (default 2,000,000) stage events of BJ_BENCH_DEALS deals (default 500,000;
# a geometric number of events per deal, times to the microsecond), and
# BJ_BENCH_ORDERS orders (default 1,000,000) of a quarter as many customers;
# 32 shards, events distributed by deal, orders by order id (not by
# customer); plain copies of both on the coordinator.  Times: medians of
# BJ_BENCH_REPS rounds (default 3); ratios: medians of the ratios to
# count(*) over the same table within each round.  BJ_BENCH_CASES (a regular
# expression) keeps only the cases whose names match it, and the counts.
#
# The floor of Citus's worker_partial_agg path, which every aggregate with a
# concrete state takes (worker_partial_agg_sfunc looks the aggregate up in the
# syscache, unpacks the ROW() of its arguments and runs fmgr_info on the
# transition function for every row), before the aggregate does any work of
# its own: aggregates the bench creates that only count rows or keep a
# maximum, with (state int8, SFUNC int8inc_any, COMBINEFUNC int8pl)
#   floor_builtin_1   bench_rows(deal): a built-in transition function, one
#                     argument
#   floor_extension_1 bench_max_stage(stage): buyerjourney's C function
#                     journey_stage_larger as the transition (fmgr_info of a
#                     function in an extension's library reads pg_proc)
#
# Bytes shipped: Citus's adaptive executor receives each task's rows in the
# binary protocol (citus.enable_binary_protocol, on by default; a partial
# aggregate's state crosses as the cstring its type's output function
# writes).  Each task query of EXPLAIN VERBOSE (all tasks) is run again on
# its worker as COPY ... (FORMAT binary), whose bytes are those rows' field
# lengths and data; summed over the tasks.  (EXPLAIN ANALYZE, which reports
# the bytes received, fails on Citus 13.2.2 for plans that aggregate
# partially on the workers.)
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
source "$BJ_ROOT/bench/lib.sh"

if [ ! -f "$("$BJ_PG_BIN/pg_config" --sharedir)/extension/citus.control" ]; then
	echo 'citus_scaleout: skipped — the citus extension is not available to this PostgreSQL (it is not in Debian; see docs/citus.md)'
	exit 0
fi
export PATH=$BJ_PG_BIN:$PATH
trap bj_stop_clusters EXIT

events=${BJ_BENCH_EVENTS:-2000000}
deals=${BJ_BENCH_DEALS:-500000}
orders=${BJ_BENCH_ORDERS:-1000000}
reps=${BJ_BENCH_REPS:-3}

declare -A node_port
for name in coordinator worker1 worker2; do
	bj_new_cluster shared_preload_libraries=citus shared_buffers=256MB work_mem=256MB max_parallel_workers_per_gather=2
	node_port[$name]=$BJ_NEW_CLUSTER_PORT
done
export PGHOST=127.0.0.1 PGUSER=postgres PGPORT=${node_port[coordinator]}
BENCH_DB=postgres
for name in coordinator worker1 worker2; do
	psql -X -q -p "${node_port[$name]}" -d postgres -c "CREATE EXTENSION citus"
done

echo "generating $events stage events of $deals deals and $orders orders..."
run <<SQL
SELECT FROM citus_set_coordinator_host('127.0.0.1', ${node_port[coordinator]});
SELECT FROM citus_add_node('127.0.0.1', ${node_port[worker1]});
SELECT FROM citus_add_node('127.0.0.1', ${node_port[worker2]});
CREATE EXTENSION buyerjourney;
SET citus.enable_ddl_propagation = off;
CREATE SCHEMA single;
RESET citus.enable_ddl_propagation;
CREATE AGGREGATE bench_rows(bigint) (SFUNC = int8inc_any, STYPE = int8, COMBINEFUNC = int8pl, INITCOND = '0', PARALLEL = SAFE);
CREATE AGGREGATE bench_max_stage(journey_stage) (SFUNC = journey_stage_larger, STYPE = journey_stage,
	COMBINEFUNC = journey_stage_larger, PARALLEL = SAFE);
SELECT setseed(0.5);
CREATE TABLE single.events AS $(stage_events "$deals" "$(awk -v d="$deals" -v e="$events" 'BEGIN {print d / e}')");
CREATE TABLE single.orders AS
SELECT o::bigint AS id, (1 + floor(random() * ($orders / 4)))::bigint AS customer,
       round((random() * 200)::numeric + 1, 2) AS amount,
       timestamptz '2024-01-01' + random() * 700 * interval '1 day' AS at
  FROM generate_series(1, $orders) o;
SET citus.shard_count = 32;
CREATE TABLE events (LIKE single.events);
SELECT FROM create_distributed_table('events', 'deal');
INSERT INTO events SELECT * FROM single.events;
CREATE TABLE orders (LIKE single.orders);
SELECT FROM create_distributed_table('orders', 'id');
INSERT INTO orders SELECT * FROM single.orders;
ALTER TABLE single.events SET (parallel_workers = 2);
ALTER TABLE single.orders SET (parallel_workers = 2);
VACUUM ANALYZE single.events;
VACUUM ANALYZE single.orders;
VACUUM ANALYZE events;
VACUUM ANALYZE orders;
SQL
run -c "SELECT 'events: ' || count(*) || ', deals: ' || count(DISTINCT deal) FROM events"
run -c "SELECT 'orders: ' || count(*) || ', customers: ' || count(DISTINCT customer) FROM orders"
echo "$(run -c "SELECT citus_version()") on $(run -c "SHOW server_version")"

# Each case over the table names E (events) and O (orders): public for the
# distributed tables, single for the plain ones.  Cases of functions that
# this build lacks are left out.
declare -A cases=(
	[count]="SELECT count(*) FROM E"
	[floor_builtin_1]="SELECT bench_rows(deal) FROM E"
	[floor_extension_1]="SELECT bench_max_stage(stage) FROM E"
	[funnel_one_pass]="SELECT funnel(deal, stage, at) FROM E"
	[funnel_of_funnels]="SELECT funnel(f) FROM (SELECT deal, funnel(deal, stage, at) AS f FROM E GROUP BY deal) d"
	[funnel_of_journeys]="SELECT funnel(j) FROM (SELECT deal, journey(stage, at) AS j FROM E GROUP BY deal) d"
	[time_in_stage]="SELECT time_in_stage(deal, stage, at, '2027-06-01') FROM E"
	[window_funnel]="SELECT window_funnel(deal, stage, at, '720 hours', '{explore,define,select,decide}', '{}') FROM E"
	[customer_count]="SELECT count(*) FROM O"
	[customer_summary]="SELECT customer, customer_summary(amount, at) FROM O GROUP BY customer"
)
labels=(count floor_builtin_1 floor_extension_1 funnel_one_pass funnel_of_funnels funnel_of_journeys time_in_stage window_funnel customer_count customer_summary)
# the concrete twins, where this build has them (the _colocated ones need each
# deal's events on one shard: events are distributed by deal)
declare -A twins=(
	[funnel_distributed]="SELECT funnel_distributed(deal, stage, at) FROM E"
	[time_in_stage_distributed]="SELECT time_in_stage_distributed(deal, stage, at, '2027-06-01') FROM E"
	[window_funnel_distributed]="SELECT window_funnel_distributed(deal, stage, at, '720 hours', '{explore,define,select,decide}', '{}') FROM E"
	[funnel_colocated]="SELECT funnel_colocated(deal, stage, at) FROM E"
	[time_in_stage_colocated]="SELECT time_in_stage_colocated(deal, stage, at, '2027-06-01') FROM E"
	[window_funnel_colocated]="SELECT window_funnel_colocated(deal, stage, at, '720 hours', '{explore,define,select,decide}', '{}') FROM E"
)
for twin in funnel_distributed time_in_stage_distributed window_funnel_distributed funnel_colocated time_in_stage_colocated window_funnel_colocated; do
	if [ "$(run -c "SELECT count(*) FROM pg_proc WHERE proname = '$twin'")" != 0 ]; then
		cases[$twin]=${twins[$twin]}
		labels+=("$twin")
	fi
done
if [ -n "${BJ_BENCH_CASES:-}" ]; then
	kept=()
	for c in "${labels[@]}"; do
		[[ $c == count || $c == customer_count || $c =~ $BJ_BENCH_CASES ]] && kept+=("$c")
	done
	labels=("${kept[@]}")
fi
baseline_of() { [[ $1 == customer_* ]] && echo customer_count || echo count; }

declare -A query
for c in "${labels[@]}"; do
	query[plain_$c]=$(sed -e 's/\bE\b/single.events/g' -e 's/\bO\b/single.orders/g' <<<"${cases[$c]}")
	query[dist_$c]=$(sed -e 's/\bE\b/public.events/g' -e 's/\bO\b/public.orders/g' <<<"${cases[$c]}")
done

# Every answer over the distributed table equals the one over the plain one.
for c in "${labels[@]}"; do
	a=$(run -c "SELECT md5(string_agg(q::text, ',' ORDER BY q::text)) FROM (${query[plain_$c]}) q")
	b=$(run -c "SELECT md5(string_agg(q::text, ',' ORDER BY q::text)) FROM (${query[dist_$c]}) q")
	[ "$a" = "$b" ] || { echo "$c: the distributed answer differs from the plain one" >&2; exit 1; }
done

# shipped QUERY: the plan's way (partial, gathered or pushed down whole) and
# the bytes of the rows its tasks send to the coordinator.
shipped() {
	local plan way total=0 task_query port bytes
	plan=$(run -c "SET citus.explain_all_tasks = on" -c "EXPLAIN (VERBOSE, COSTS OFF) $1")
	# partial: worker_partial_agg, or Citus's own split (count(*) summed)
	if grep -Eq 'Query: .*(worker_partial_agg|count)\(' <<<"$plan"; then way=partial
	elif grep -q 'Aggregate' <<<"$(sed '/Task Count:/,$d' <<<"$plan")"; then way=gathered
	else way=pushed; fi
	while IFS=$'\t' read -r task_query port; do
		bytes=$(psql -X -q -p "$port" -d postgres -c "COPY ($task_query) TO STDOUT (FORMAT binary)" | wc -c)
		total=$((total + bytes - 21))	# less COPY's 19-byte header and 2-byte trailer
	done < <(awk '/^ *Query: /{sub(/^ *Query: /, ""); q = $0}
	              /^ *Node: /{match($0, /port=[0-9]+/); print q "\t" substr($0, RSTART + 5, RLENGTH - 5)}' <<<"$plan")
	echo "$way $total"
}

declare -A times
plain_labels=() dist_labels=()
for c in "${labels[@]}"; do plain_labels+=("plain_$c") dist_labels+=("dist_$c"); done
labels=("${plain_labels[@]}" "${dist_labels[@]}")
echo "timing ($reps rounds)..."
measure_all "$reps"

printf '%-26s %10s %8s %10s %8s %-9s %14s %12s\n' case "plain ms" "x count" "dist ms" "x count" plan "bytes shipped" "per deal"
for c in "${plain_labels[@]#plain_}"; do
	base=$(baseline_of "$c")
	read -r way bytes <<<"$(shipped "${query[dist_$c]}")"
	per=$deals
	[[ $c == customer_* ]] && per=$(run -c "SELECT count(DISTINCT customer) FROM orders")
	printf '%-26s %10s %8s %10s %8s %-9s %14s %12s\n' "$c" \
		"$(echo "${times[plain_$c]}" | median)" "$(paired_ratio "${times[plain_$c]}" "${times[plain_$base]}")" \
		"$(echo "${times[dist_$c]}" | median)" "$(paired_ratio "${times[dist_$c]}" "${times[dist_$base]}")" \
		"$way" "$bytes" "$(awk -v b="$bytes" -v n="$per" 'BEGIN {printf "%.1f", b / n}')"
done
echo "(per deal: bytes shipped / deals; customer_*: / customers.  target: each distributed one-pass form <= 2.0x the distributed count(*), <= ~12 bytes per deal)"
