#!/usr/bin/env bash
# test/dump/test_dump_restore.sh - pg_dump and pg_restore of a database that
# uses buyerjourney: tables of both types (arrays, NULLs, indexes), a
# user-defined process, a guarded table with its history.  Restored into a
# fresh database (custom format with pg_restore, plain format with psql), the
# data, the processes and the trigger must all be as before.
# Uses the server named by the libpq environment; prints 'N passed, N failed'.
set -euo pipefail

suffix=$RANDOM
src=bj_dump_src_$suffix
workdir=$(mktemp -d)
dbs=("$src")
cleanup() {
	for db in "${dbs[@]}"; do
		psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" 2>/dev/null || true
	done
	rm -rf "$workdir"
}
trap cleanup EXIT
export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"

passed=0
failed=0
check() { # check NAME EXPECTED ACTUAL
	if [ "$2" = "$3" ]; then
		passed=$((passed + 1)); echo "ok   $1"
	else
		failed=$((failed + 1)); echo "FAIL $1: expected [$2], got [$3]"
	fi
}
q() { psql -X -q -At -v ON_ERROR_STOP=1 -d "$@"; }

psql -X -q -d postgres -c "CREATE DATABASE $src"
q "$src" <<'SQL'
CREATE EXTENSION buyerjourney;
CREATE TABLE deals (
	id int PRIMARY KEY,
	stage journey_stage,
	phase lifecycle_phase,
	path journey_stage[],
	note text
);
INSERT INTO deals
SELECT i,
       CASE WHEN i % 11 = 0 THEN NULL ELSE journey_stage(i % 9) END,
       CASE WHEN i % 13 = 0 THEN NULL ELSE lifecycle_phase(i % 5) END,
       ARRAY[journey_stage(i % 9), journey_stage((i + 1) % 9)],
       'deal ' || i
  FROM generate_series(1, 5000) i;
CREATE INDEX deals_stage_idx ON deals (stage);
CREATE INDEX deals_phase_hash ON deals USING hash (phase);

-- A user-defined process, a guarded table, its history.
SELECT FROM copy_process('complex', 'enterprise', 'with a fast lane');
INSERT INTO process_move VALUES ('enterprise', 'explore', 'decide');
UPDATE process_probability SET probability = 0.6 WHERE process = 'enterprise' AND value = 'decide';
SELECT FROM create_history_table('deal_history');
CREATE TABLE pipeline (id int PRIMARY KEY, stage journey_stage NOT NULL);
CREATE TRIGGER pipeline_guard AFTER INSERT OR UPDATE ON pipeline FOR EACH ROW
	EXECUTE FUNCTION enforce_transitions('column=stage', 'process=enterprise', 'history=deal_history');
INSERT INTO pipeline SELECT i, 'explore' FROM generate_series(1, 100) i;
UPDATE pipeline SET stage = 'decide' WHERE id <= 50;
SQL

# What must survive: data, processes, history, and the trigger's behaviour.
fingerprint() {
	q "$1" <<'SQL'
SELECT md5(string_agg(d::text, '|' ORDER BY id)) FROM deals d;
SELECT sum(ordinal(stage)), sum(ordinal(phase)), count(*) FILTER (WHERE stage IS NULL) FROM deals;
SELECT md5(string_agg(p::text, '|' ORDER BY name)) FROM process p;
SELECT md5(string_agg(m::text, '|' ORDER BY process, from_value, to_value)) FROM process_move m;
SELECT md5(string_agg(r::text, '|' ORDER BY process, value)) FROM process_probability r;
SELECT md5(string_agg(row(seq, row_key, from_value, to_value, process)::text, '|' ORDER BY seq)) FROM deal_history;
SELECT count(*) FROM deals WHERE stage = 'decide';
SQL
}
expected=$(fingerprint "$src")

pg_dump -Fc -f "$workdir/custom.dump" "$src"
pg_dump -Fp -f "$workdir/plain.sql" "$src"

for format in custom plain; do
	dst=bj_dump_${format}_$suffix
	dbs+=("$dst")
	psql -X -q -d postgres -c "CREATE DATABASE $dst"
	if [ "$format" = custom ]; then
		pg_restore --exit-on-error -d "$dst" "$workdir/custom.dump"
	else
		psql -X -q -v ON_ERROR_STOP=1 -d "$dst" -f "$workdir/plain.sql" >/dev/null
	fi
	check "$format: data, processes and history identical" "$expected" "$(fingerprint "$dst")"
	check "$format: index on the stage column restored" "deals_stage_idx" \
		"$(q "$dst" -c "SELECT indexrelid::regclass FROM pg_index WHERE indrelid = 'deals'::regclass AND indexrelid::regclass::text = 'deals_stage_idx'")"
	check "$format: built-ins present once" "3" "$(q "$dst" -c "SELECT count(*) FROM process WHERE builtin")"
	# The restored trigger still enforces the restored user-defined process.
	check "$format: restored process allows its fast lane" "UPDATE 1" \
		"$(psql -X -d "$dst" -c "UPDATE pipeline SET stage = 'decide' WHERE id = 51" 2>&1 | tail -1)"
	check "$format: restored trigger refuses a forbidden move" "23514" \
		"$(psql -X -d "$dst" -v VERBOSITY=sqlstate -c "\\set VERBOSITY sqlstate" -c "UPDATE pipeline SET stage = 'realize' WHERE id = 52" 2>&1 | sed -n 's/^ERROR: *//p')"
	check "$format: restored trigger keeps writing history, seq continuing" "decide|t" \
		"$(q "$dst" -c "SELECT to_value, seq > (SELECT max(seq) FROM deal_history WHERE row_key <> '51' OR from_value IS NULL) FROM deal_history WHERE row_key = '51' ORDER BY seq DESC LIMIT 1")"
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
