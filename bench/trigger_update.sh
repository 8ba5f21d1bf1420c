#!/usr/bin/env bash
# bench/trigger_update.sh - what guarding a stage column costs an UPDATE.
#
# On the server named by the libpq variables (scripts/lib.sh starts one),
# in a scratch database: an UPDATE moving every row of a table
# (BJ_BENCH_ROWS, default 1,000,000) from explore to define,
#   (a) with no trigger,
#   (b) with enforce_transitions (BEFORE), (b2) the same as an AFTER trigger,
#   (c) with a PL/pgSQL trigger that looks the move up in a table,
#   (d) with enforce_transitions and a history table,
#   (e) with the PL/pgSQL trigger and a history insert.
# Each case runs on a freshly loaded, vacuumed table, BJ_BENCH_REPS times
# (default 3) in rotating order; the median is reported with its ratio to (a).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

rows=${BJ_BENCH_ROWS:-1000000}
reps=${BJ_BENCH_REPS:-3}
bench_database buyerjourney_bench_trigger

run <<'SQL'
CREATE EXTENSION buyerjourney;
SELECT FROM create_history_table('c_history');
-- The PL/pgSQL baseline: the allowed moves in a table, looked up per row.
CREATE TABLE allowed_move (from_stage journey_stage, to_stage journey_stage, PRIMARY KEY (from_stage, to_stage));
INSERT INTO allowed_move SELECT from_value::journey_stage, to_value::journey_stage
  FROM process_move WHERE process = 'complex';
CREATE TABLE plpgsql_history (seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, table_name text NOT NULL,
  row_key text NOT NULL, column_name text NOT NULL, from_value journey_stage, to_value journey_stage NOT NULL,
  process text NOT NULL, changed_at timestamptz NOT NULL, changed_by text NOT NULL, txid xid8 NOT NULL);
CREATE FUNCTION plpgsql_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.stage IS DISTINCT FROM OLD.stage THEN
		IF NOT EXISTS (SELECT 1 FROM allowed_move WHERE from_stage = OLD.stage AND to_stage = NEW.stage) THEN
			RAISE EXCEPTION 'move from % to % is not allowed', OLD.stage, NEW.stage USING ERRCODE = 'check_violation';
		END IF;
		IF TG_NARGS > 0 THEN
			INSERT INTO plpgsql_history (table_name, row_key, column_name, from_value, to_value, process,
			                             changed_at, changed_by, txid)
			VALUES (TG_TABLE_NAME, NEW.id::text, 'stage', OLD.stage, NEW.stage, 'complex',
			        statement_timestamp(), current_user, pg_current_xact_id());
		END IF;
	END IF;
	RETURN NEW;
END $$;
SQL

declare -A trigger_sql=(
	[a]=""
	[b]="CREATE TRIGGER guard BEFORE INSERT OR UPDATE ON deals FOR EACH ROW EXECUTE FUNCTION enforce_transitions('column=stage', 'process=complex')"
	[b2]="CREATE TRIGGER guard AFTER INSERT OR UPDATE ON deals FOR EACH ROW EXECUTE FUNCTION enforce_transitions('column=stage', 'process=complex')"
	[c]="CREATE TRIGGER guard BEFORE UPDATE ON deals FOR EACH ROW EXECUTE FUNCTION plpgsql_guard()"
	[d]="CREATE TRIGGER guard AFTER INSERT OR UPDATE ON deals FOR EACH ROW EXECUTE FUNCTION enforce_transitions('column=stage', 'process=complex', 'history=c_history')"
	[e]="CREATE TRIGGER guard BEFORE UPDATE ON deals FOR EACH ROW EXECUTE FUNCTION plpgsql_guard('history')"
)
declare -A labels=([a]="no trigger" [b]="C trigger (BEFORE)" [b2]="C trigger (AFTER)" [c]="PL/pgSQL lookup trigger"
	[d]="C trigger + history (AFTER)" [e]="PL/pgSQL + history")
cases=(a b b2 c d e)
declare -A times

# One measurement: fresh table, then the timed UPDATE; prints milliseconds.
measure() {
	local case=$1
	run <<SQL >/dev/null
DROP TABLE IF EXISTS deals;
CREATE TABLE deals (id int PRIMARY KEY, stage journey_stage NOT NULL, amount numeric, note text);
INSERT INTO deals SELECT i, 'explore', i % 1000, 'deal ' || i FROM generate_series(1, $rows) i;
TRUNCATE c_history, plpgsql_history;
VACUUM ANALYZE deals;
CHECKPOINT;
${trigger_sql[$case]};
SQL
	time_sql "UPDATE deals SET stage = 'define'"
}

echo "UPDATE of $rows rows from explore to define; median of $reps runs"
for ((r = 0; r < reps; r++)); do
	for ((i = 0; i < ${#cases[@]}; i++)); do
		case=${cases[$(((i + r) % ${#cases[@]}))]}
		ms=$(measure "$case")
		times[$case]="${times[$case]:-} $ms"
	done
done

base=$(echo "${times[a]}" | median)
printf '%-34s %10s %8s   %s\n' case "median ms" "ratio" "runs (ms)"
for case in "${cases[@]}"; do
	m=$(echo "${times[$case]}" | median)
	printf '%-34s %10s %8s   %s\n' "(${case}) ${labels[$case]}" "$m" "$(ratio "$m" "$base")" "${times[$case]}"
done
echo "targets: (b)/(a) <= 1.15, (d)/(a) <= 1.8"
