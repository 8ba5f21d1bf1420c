#!/usr/bin/env bash
# test/stress/test_handover_internals.sh - one check for each PostgreSQL
# executor internal the state hand-over relies on (docs/internals.md), so
# that a PostgreSQL version that changes one fails here, loudly, instead of
# silently copying states or reading freed memory.  The hand-over says what
# it does at DEBUG2 (state_handover.c): states handed over by a worker,
# named in process by the leader, and read by the finalize (lent until their
# group ends, or kept until the query ends).  Uses the server named by the
# libpq environment.
source "$(dirname "${BASH_SOURCE[0]}")/../db_checks.sh"
source "$(dirname "${BASH_SOURCE[0]}")/handover_shapes.sh"
db=bj_internals_$suffix
createdb_fresh "$db"
setup_sql | q "$db"

# trace NAME: run shape NAME once, 2 workers, floor 0; its answer in
# $workdir/NAME.out, its hand-over messages in $workdir/NAME.trace.
trace() {
	local body=${shape_body[$1]//@TIMEOUT@/0}
	PGOPTIONS="-c client_min_messages=debug2" psql -X -q -At -d "$db" >"$workdir/$1.out" 2>"$workdir/$1.err" <<<"
		$parallel_sql SET max_parallel_workers_per_gather = 2; SET buyerjourney.state_handover_min_size = 0;
		${shape_settings[$1]} $body" || true
	grep -o 'buyerjourney: .*' "$workdir/$1.err" >"$workdir/$1.trace" || true
	psql -X -q -At -d "$db" >"$workdir/$1.serial" 2>&1 <<<"${shape_settings[$1]} $serial_sql $body"
	check "$1: the serial answer, no error" "$(cat "$workdir/$1.serial")" \
		"$(cat "$workdir/$1.out"; grep '^ERROR' "$workdir/$1.err" || true)"
}
# nonces NAME WHAT: the states of one kind of message, one a line, sorted.
nonces() { sed -n "s/^buyerjourney: [a-z ]*state \([0-9a-f]*\) $2\$/\1/p" "$workdir/$1.trace" | sort; }
count() { nonces "$1" "$2" | wc -l; }
distinct() { nonces "$1" "$2" | uniq | wc -l; }

# 1. es_query_dsa: a parallel worker's Agg node reaches the query's DSA area
#    (EState.es_query_dsa, set by ParallelQueryMain while the worker runs) and
#    a serialize function can tell it is a partial Agg's (fcinfo->context is
#    the AggState, aggsplit says serialize).  Were either lost, every state
#    would be copied again, silently: here no state would be handed over.
trace plain
check "es_query_dsa: workers hand their states over in the query's area" yes \
	"$([ "$(count plain 'handed over')" -ge 3 ] && echo yes || echo "no: $(count plain 'handed over') states")"
check "AggState as fcinfo->context: the leader names its own state in process" yes \
	"$([ "$(count plain 'named in process')" -ge 1 ] && echo yes || echo no)"

# 2. GatherState->pei and GatherMergeState->pei: the leader finds the area
#    of a worker's token through the Gather (Merge) under its finalize
#    (pei->area, pei->pcxt->seg's handle, the worker's bgw_main_arg).  Were
#    it not found, the query would fail (checked by trace); here every state
#    handed over is also read.
trace sorted_gather_merge
for name in plain sorted_gather_merge; do
	check "GatherState/GatherMergeState->pei: $name reads every state handed over" \
		"$(nonces "$name" 'handed over' | uniq | tr '\n' ' ')" \
		"$( (nonces "$name" 'lent until its group ends'; nonces "$name" 'kept until the query ends') | sort -u | tr '\n' ' ')"
done

# 3. When deserialize is called: a plain or sorted finalize right over a
#    Gather (Merge) deserialises each row once, so a state read there is lent
#    and its chunk freed with its group; were a row deserialised twice, a
#    freed chunk would be named again.  A hashed finalize deserialises the
#    rows of spilled groups, drops the result and reads them again from its
#    spill file: none of its states is lent.
for name in plain sorted_gather_merge; do
	check "deserialize once per row: $name lends each state exactly once" \
		"$(count "$name" 'handed over')/$(count "$name" 'handed over')" \
		"$(count "$name" 'lent until its group ends')/$(distinct "$name" 'lent until its group ends')"
done
trace hashed_spilling_both
check "a hashed finalize lends nothing" 0 "$(count hashed_spilling_both 'lent until its group ends')"
echo "     a spilling hashed finalize read $(count hashed_spilling_both 'kept until the query ends') tokens of $(distinct hashed_spilling_both 'kept until the query ends') states"

# 4. The DSA area's lifetime: it outlives the workers (a spilling hashed
#    finalize reads its spilled tokens after the Gather has ended, and a Sort
#    replays its tokens on a rescan after ExecParallelReinitialize) and goes
#    with the parallel context, at the latest with the query
#    (test_handover_stress.sh counts a backend's mapped segments).
check "the area outlives the Gather's workers: spilled tokens are read again" yes \
	"$([ "$(count hashed_spilling_both 'kept until the query ends')" -gt "$(distinct hashed_spilling_both 'kept until the query ends')" ] && echo yes || echo no)"
trace rescan_sort_between
check "the area survives a rescan: a Sort's tokens are read again on each" yes \
	"$([ "$(count rescan_sort_between 'kept until the query ends')" -gt "$(distinct rescan_sort_between 'kept until the query ends')" ] && echo yes || echo no)"
finish_checks
