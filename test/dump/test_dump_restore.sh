#!/usr/bin/env bash
# test/dump/test_dump_restore.sh - pg_dump and pg_restore of a database that
# uses buyerjourney: tables of both types (arrays with NULLs, NULLs, a primary
# key made of both types, btree and hash indexes), a user-defined process, a
# guarded table with its history.  Restored into a fresh database (custom
# format with pg_restore, plain format with psql -v ON_ERROR_STOP=1), the data
# (md5 of every row, ordinal sums), the processes, the indexes and the trigger
# must all be as before.
# Uses the server named by the libpq environment (PGHOST, PGPORT, PGUSER),
# creates and drops databases of its own, prints one line per check and
# 'N passed, N failed', and exits non-zero if any check failed.
source "$(dirname "${BASH_SOURCE[0]}")/../db_checks.sh"
src=bj_dump_src_$suffix

echo "pg_dump: $(command -v pg_dump) ($(pg_dump --version)); server $(q postgres -c 'SHOW server_version')"
createdb_fresh "$src"
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
       CASE WHEN i % 17 = 0 THEN NULL
            WHEN i % 19 = 0 THEN ARRAY[NULL, journey_stage(i % 9)]
            ELSE ARRAY[journey_stage(i % 9), journey_stage((i + 1) % 9)] END,
       'deal ' || i
  FROM generate_series(1, 5000) i;
CREATE INDEX deals_stage_idx ON deals (stage);
CREATE INDEX deals_phase_hash ON deals USING hash (phase);

-- Every combination of the two types, as a primary key.
CREATE TABLE targets (
	stage journey_stage,
	phase lifecycle_phase,
	target int NOT NULL,
	PRIMARY KEY (stage, phase)
);
INSERT INTO targets
SELECT journey_stage(s), lifecycle_phase(p), s * 10 + p
  FROM generate_series(0, 8) s, generate_series(0, 4) p;

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

# What must survive: data, processes, history.
fingerprint() {
	q "$1" <<'SQL'
SELECT count(*), md5(string_agg(d::text, '|' ORDER BY id)) FROM deals d;
SELECT sum(ordinal(stage)), sum(ordinal(phase)), count(*) FILTER (WHERE stage IS NULL),
       count(*) FILTER (WHERE phase IS NULL), count(DISTINCT stage), count(DISTINCT phase) FROM deals;
SELECT sum(ordinal(s)), count(*) FILTER (WHERE s IS NULL), count(*) FILTER (WHERE path IS NULL)
  FROM deals LEFT JOIN LATERAL unnest(path) s ON true;
SELECT count(*), sum(ordinal(stage) * 10 + ordinal(phase)), md5(string_agg(t::text, '|' ORDER BY stage, phase)) FROM targets t;
SELECT md5(string_agg(p::text, '|' ORDER BY name)) FROM process p;
SELECT md5(string_agg(m::text, '|' ORDER BY process, from_value, to_value)) FROM process_move m;
SELECT md5(string_agg(r::text, '|' ORDER BY process, value)) FROM process_probability r;
SELECT md5(string_agg(row(seq, row_key, from_value, to_value, process)::text, '|' ORDER BY seq)) FROM deal_history;
SELECT md5(string_agg(p::text, '|' ORDER BY id)) FROM pipeline p;
SQL
}
expected=$(fingerprint "$src")
# The source data is what we meant to write (else comparing it proves little).
check "source: 5000 deals, every stage and phase, NULLs" "5000|9|5|454|384" \
	"$(q "$src" -c "SELECT count(*), count(DISTINCT stage), count(DISTINCT phase), count(*) FILTER (WHERE stage IS NULL), count(*) FILTER (WHERE phase IS NULL) FROM deals")"
check "source: 45 targets keyed by (stage, phase)" "45" "$(q "$src" -c "SELECT count(*) FROM targets")"

# Index scans agree with a sequential scan, per stage (and the plan uses the index).
index_counts() {
	q "$1" <<'SQL'
SET enable_seqscan = off; SET enable_bitmapscan = off;
SELECT string_agg(stage::text || '=' || (SELECT count(*) FROM deals d WHERE d.stage = s.stage), ',' ORDER BY stage)
  FROM (SELECT journey_stage(i) AS stage FROM generate_series(0, 8) i) s;
SELECT string_agg(phase::text || '=' || (SELECT count(*) FROM deals d WHERE d.phase = s.phase), ',' ORDER BY phase)
  FROM (SELECT lifecycle_phase(i) AS phase FROM generate_series(0, 4) i) s;
SELECT count(*) FROM deals WHERE stage BETWEEN 'define' AND 'approve';
SQL
}
seqscan_counts() {
	q "$1" <<'SQL'
SET enable_indexscan = off; SET enable_bitmapscan = off; SET enable_indexonlyscan = off;
SELECT string_agg(stage::text || '=' || n, ',' ORDER BY stage)
  FROM (SELECT stage, count(*) AS n FROM deals WHERE stage IS NOT NULL GROUP BY stage) s;
SELECT string_agg(phase::text || '=' || n, ',' ORDER BY phase)
  FROM (SELECT phase, count(*) AS n FROM deals WHERE phase IS NOT NULL GROUP BY phase) s;
SELECT count(*) FROM deals WHERE stage BETWEEN 'define' AND 'approve';
SQL
}
expected_counts=$(seqscan_counts "$src")

pg_dump -Fc -f "$workdir/custom.dump" "$src"
pg_dump -Fp -f "$workdir/plain.sql" "$src"
check "plain dump creates the extension" "1" \
	"$(grep -c '^CREATE EXTENSION IF NOT EXISTS buyerjourney WITH SCHEMA public;$' "$workdir/plain.sql")"
check "plain dump holds no member of the extension (no CREATE TYPE/FUNCTION/OPERATOR)" "0" \
	"$(grep -cE '^CREATE (TYPE|FUNCTION|OPERATOR|AGGREGATE|CAST)' "$workdir/plain.sql" || true)"

amcheck=$(q "$src" -c "SELECT count(*) FROM pg_available_extensions WHERE name = 'amcheck'")

for format in custom plain; do
	dst=bj_dump_${format}_$suffix
	createdb_fresh "$dst"
	if [ "$format" = custom ]; then
		pg_restore --exit-on-error -d "$dst" "$workdir/custom.dump"
	else
		psql -X -q -v ON_ERROR_STOP=1 -d "$dst" -f "$workdir/plain.sql" >/dev/null
	fi
	check "$format: data (md5 of rows, ordinal sums), processes and history identical" "$expected" "$(fingerprint "$dst")"
	check "$format: column types" "stage journey_stage,phase lifecycle_phase,path journey_stage[]" \
		"$(q "$dst" -c "SELECT string_agg(attname || ' ' || format_type(atttypid, atttypmod), ',' ORDER BY attnum) FROM pg_attribute WHERE attrelid = 'deals'::regclass AND attname IN ('stage', 'phase', 'path')")"
	check "$format: indexes restored" "deals_phase_hash,deals_pkey,deals_stage_idx,targets_pkey" \
		"$(q "$dst" -c "SELECT string_agg(indexrelid::regclass::text, ',' ORDER BY indexrelid::regclass::text) FROM pg_index WHERE indrelid IN ('deals'::regclass, 'targets'::regclass)")"
	check "$format: index scans agree with sequential scans" "$expected_counts" "$(index_counts "$dst")"
	check "$format: the stage index is used" "1" \
		"$(q "$dst" -c "SET enable_seqscan = off" -c "EXPLAIN SELECT count(*) FROM deals WHERE stage = 'decide'" | grep -c 'deals_stage_idx' || true)"
	check "$format: the primary key of both types refuses a duplicate" "23505" \
		"$(psql -X -d "$dst" -c "\\set VERBOSITY sqlstate" -c "INSERT INTO targets VALUES ('定義', 'GROWTH', 0)" 2>&1 | sed -n 's/^ERROR: *//p')"
	if [ "$amcheck" = 1 ]; then
		check "$format: amcheck finds the btree indexes sound" "3" \
			"$(q "$dst" -c "CREATE EXTENSION amcheck" -c "SELECT count(*) FROM (SELECT bt_index_parent_check(i::regclass, true) FROM unnest(ARRAY['deals_stage_idx', 'deals_pkey', 'targets_pkey']) i) x")"
	else
		echo "skip $format: amcheck (not available)"
	fi
	check "$format: built-ins present once" "3" "$(q "$dst" -c "SELECT count(*) FROM process WHERE builtin")"
	# The restored trigger still enforces the restored user-defined process.
	check "$format: restored process allows its fast lane" "UPDATE 1" \
		"$(psql -X -d "$dst" -c "UPDATE pipeline SET stage = 'decide' WHERE id = 51" 2>&1 | tail -1)"
	check "$format: restored trigger refuses a forbidden move" "23514" \
		"$(psql -X -d "$dst" -c "\\set VERBOSITY sqlstate" -c "UPDATE pipeline SET stage = 'realize' WHERE id = 52" 2>&1 | sed -n 's/^ERROR: *//p')"
	check "$format: restored trigger keeps writing history, seq continuing" "decide|t" \
		"$(q "$dst" -c "SELECT to_value, seq > (SELECT max(seq) FROM deal_history WHERE row_key <> '51' OR from_value IS NULL) FROM deal_history WHERE row_key = '51' ORDER BY seq DESC LIMIT 1")"
done

finish_checks
