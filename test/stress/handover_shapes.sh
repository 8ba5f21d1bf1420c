# test/stress/handover_shapes.sh - the data and the plan shapes the hand-over
# tests run (sourced by test_handover_stress.sh and test_handover_internals.sh).
#
# Table ev: 400,000 deals of three events, in deal order; grp spreads every
# deal over 4 groups (each group met at once by every worker), cgrp cuts them
# into 8 runs of consecutive deals (each group met only after the previous
# one has grown: a hash aggregate with a small work_mem spills some).  A
# worker's partial state of a group holds some tens of thousands of deals,
# a few MB: above the 1 MB floor.

setup_sql() {
	cat <<'SQL'
CREATE EXTENSION buyerjourney;
CREATE TABLE ev AS
SELECT d::bigint AS deal,
       ('{unaware,explore,define,select,decide,approve,realize,lost,no_decision}'::journey_stage[])[1 + ((d * 7 + k * 3) % 9)] AS stage,
       timestamptz '2026-01-01' + (d % 1000) * interval '1 hour' + k * interval '1 day' AS at,
       (d % 4)::int AS grp, (d * 8 / 400001)::int AS cgrp
  FROM generate_series(1, 400000) d, generate_series(0, 2) k;
VACUUM ANALYZE ev;
SQL
}

# A parallel plan for any table size and every worker's state handed over.
parallel_sql="SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0;"
serial_sql="SET max_parallel_workers_per_gather = 0; SET buyerjourney.state_handover_min_size = -1;"
nested_loop_sql="SET enable_material = off; SET enable_hashjoin = off; SET enable_mergejoin = off;"
spill_sql="SET work_mem = '64kB'; SET hash_mem_multiplier = 1;"

# The three one-pass aggregates of a group, as one text.
aggs="funnel(deal, stage, at)::text || time_in_stage(deal, stage, at, '2027-01-01')::text || window_funnel(deal, stage, at, '72 hours', '{explore,define,select}', '{}')::text"
# grouped KEY: every group's answer in one text.
grouped() { echo "SELECT string_agg(k::text || ':' || f, ',' ORDER BY k::text) FROM (SELECT $1 AS k, $aggs AS f FROM ev GROUP BY 1) g"; }
# rescanned SUBQUERY: the subquery as the inner side of a nested loop, run 3 times.
rescanned() { echo "SELECT string_agg(v.x || '=' || s.a, ';' ORDER BY v.x) FROM (VALUES (1), (2), (3)) v(x) LEFT JOIN ($1) s(a) ON v.x > 0"; }

# Shapes: name, settings, body (psql script whose output is compared).
shape_names=()
declare -A shape_settings shape_body
shape() { shape_names+=("$1"); shape_settings[$1]=$2; shape_body[$1]=$3; }

shape plain "" "SELECT $aggs FROM ev;"
shape plain_workers_only "SET parallel_leader_participation = off;" "SELECT $aggs FROM ev;"
shape sorted_gather_merge "SET enable_hashagg = off;" "$(grouped grp);"
shape hashed "SET enable_sort = off;" "$(grouped grp);"
shape hashed_spilling_both "SET enable_sort = off; $spill_sql" "$(grouped cgrp);"
shape hashed_spilling_workers_only "SET enable_sort = off; SET parallel_leader_participation = off; $spill_sql" "$(grouped cgrp);"
shape hashed_key_without_btree "" "$(grouped 'grp::text::xid');"
shape sort_between "SET enable_gathermerge = off; SET enable_hashagg = off;" "$(grouped cgrp);"
shape rescan_plain "$nested_loop_sql" "$(rescanned "SELECT $aggs FROM ev");"
shape rescan_sort_between "$nested_loop_sql SET enable_gathermerge = off; SET enable_hashagg = off;" "$(rescanned "$(grouped grp)");"
shape rescan_hashed_spilling "$nested_loop_sql SET enable_sort = off; $spill_sql" "$(rescanned "$(grouped cgrp)");"
shape cursor_rewound "SET enable_sort = off; $spill_sql" "BEGIN; DECLARE c SCROLL CURSOR FOR $(grouped cgrp); FETCH ALL FROM c; MOVE ABSOLUTE 0 FROM c; FETCH ALL FROM c; COMMIT;"
# Cancelled at a random moment (its error is expected), then run whole.
shape statement_timeout "SET enable_sort = off; $spill_sql" "SET statement_timeout = '@TIMEOUT@ms'; $(grouped cgrp) \\g /dev/null
RESET statement_timeout; $(grouped cgrp);"
