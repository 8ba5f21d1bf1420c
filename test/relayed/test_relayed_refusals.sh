#!/usr/bin/env bash
# test/relayed/test_relayed_refusals.sh - a guard's refusal relayed from
# another server gets back what the relay drops, when the library is
# preloaded (src/relayed_refusals.c).
#
# postgres_fdw relays a remote error with its SQLSTATE, message, detail and
# hint but without the schema, table, column and constraint fields, as Citus
# does from its workers (test/citus, where COPY drops the SQLSTATE and the
# hint too).  Through a loopback foreign table on a throwaway cluster, an
# UPDATE and a COPY the guard refuses: without the library preloaded the
# fields are missing; restarted with shared_preload_libraries = buyerjourney
# they are there, as the remote trigger set them, and an error that is not a
# refusal (a duplicate key, the guard's message with another detail) is left
# as relayed; a row key spelling another place, or names the detail cannot
# give back for sure, never give wrong fields.  Runs without Citus, so CI
# runs it.
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"
source "$BJ_ROOT/test/db_checks.sh"
trap 'bj_stop_clusters; cleanup' EXIT

bj_new_cluster
dir=$BJ_NEW_CLUSTER_DIR port=$BJ_NEW_CLUSTER_PORT
db="host=127.0.0.1 port=$port user=postgres dbname=postgres"
q "$db" <<SQL
CREATE EXTENSION buyerjourney;
CREATE EXTENSION postgres_fdw;
CREATE SERVER loopback FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host '127.0.0.1', port '$port', dbname 'postgres');
CREATE USER MAPPING FOR postgres SERVER loopback OPTIONS (user 'postgres');
CREATE TABLE deals (id bigint PRIMARY KEY, stage journey_stage);
CREATE TRIGGER deals_stage AFTER INSERT OR UPDATE ON deals FOR EACH ROW
	EXECUTE FUNCTION enforce_transitions('column=stage', 'process=complex');
INSERT INTO deals VALUES (7, 'explore');
CREATE FOREIGN TABLE remote_deals (id bigint, stage journey_stage) SERVER loopback OPTIONS (table_name 'deals');
-- a key anyone who may write the table chooses, spelling another place
CREATE TABLE tdeals (id text PRIMARY KEY, stage journey_stage);
CREATE TRIGGER tdeals_stage AFTER INSERT OR UPDATE ON tdeals FOR EACH ROW
	EXECUTE FUNCTION enforce_transitions('column=stage', 'process=complex');
INSERT INTO tdeals VALUES ('x) of table "evil.spoofed", column "pwned", trigger "fake". Injected', 'explore');
CREATE FOREIGN TABLE remote_tdeals (id text, stage journey_stage) SERVER loopback OPTIONS (table_name 'tdeals');
-- names the detail cannot give back for sure: a dot in the schema, a quote in the table
CREATE SCHEMA "my.sch";
CREATE TABLE "my.sch"."de""als" (id bigint PRIMARY KEY, stage journey_stage);
CREATE TRIGGER g AFTER INSERT OR UPDATE ON "my.sch"."de""als" FOR EACH ROW
	EXECUTE FUNCTION enforce_transitions('column=stage', 'process=complex');
INSERT INTO "my.sch"."de""als" VALUES (1, 'explore');
CREATE FOREIGN TABLE remote_odd (id bigint, stage journey_stage) SERVER loopback
	OPTIONS (schema_name 'my.sch', table_name 'de"als');
-- not the guard: its message, with a detail that is not the guard's place
CREATE TABLE fake (id int);
CREATE FUNCTION fake_refusal() RETURNS trigger LANGUAGE plpgsql AS \$f\$
BEGIN
	RAISE EXCEPTION USING ERRCODE = 'check_violation',
		MESSAGE = 'journey_stage may not move from "explore" to "decide" under process "complex"',
		DETAIL = 'Row (id)=(1) of table "public.fake", column "id", trigger "t". Something else.';
END \$f\$;
CREATE TRIGGER t BEFORE INSERT ON fake FOR EACH ROW EXECUTE FUNCTION fake_refusal();
CREATE FOREIGN TABLE remote_fake (id int) SERVER loopback OPTIONS (table_name 'fake');
-- a guard deferred to commit
CREATE TABLE ddeals (id bigint PRIMARY KEY, stage journey_stage);
CREATE CONSTRAINT TRIGGER ddeals_stage AFTER INSERT OR UPDATE ON ddeals DEFERRABLE INITIALLY DEFERRED
	FOR EACH ROW EXECUTE FUNCTION enforce_transitions('column=stage', 'process=complex');
INSERT INTO ddeals VALUES (7, 'explore');
CREATE FOREIGN TABLE remote_ddeals (id bigint, stage journey_stage) SERVER loopback OPTIONS (table_name 'ddeals');
-- statements that write through the relay from inside a procedure, a function, a DO block
CREATE PROCEDURE move_seven() LANGUAGE sql AS \$p\$ UPDATE remote_deals SET stage = 'decide' WHERE id = 7 \$p\$;
CREATE FUNCTION move_seven_f() RETURNS int LANGUAGE sql AS \$p\$ UPDATE remote_deals SET stage = 'decide' WHERE id = 7 RETURNING 1 \$p\$;
SQL

# seen SQL [STDIN]: the error of SQL as a client sees it (psql, VERBOSITY
# verbose): "SQLSTATE hint=... schema=... table=... column=... constraint=...",
# each field that came with it.
seen() {
	local out
	if out=$(psql -X -q -d "$db" -v VERBOSITY=verbose -c "$1" 2>&1 <<<"${2:-}"); then
		echo "not refused"
		return
	fi
	sed -n 's/^ERROR:  \([0-9A-Z]\{5\}\): .*/\1/p; s/^HINT:  .*/hint/p;
	        s/^\(SCHEMA\|TABLE\|COLUMN\|CONSTRAINT\) NAME:  \(.*\)/\1=\2/p' <<<"$out" | tr 'A-Z' 'a-z' | paste -sd' '
}
update="UPDATE remote_deals SET stage = 'decide' WHERE id = 7"
nulled="UPDATE remote_deals SET stage = NULL WHERE id = 7"
fields="schema=public table=deals column=stage constraint=deals_stage"

check "relayed by postgres_fdw, not preloaded: an UPDATE's refusal without its fields" \
	"23514 hint" "$(seen "$update")"
check "... a COPY's likewise" "23514 hint" "$(seen "COPY remote_deals FROM STDIN" $'8\tdecide')"

bj_restart_cluster "$dir" "$port" shared_preload_libraries=buyerjourney
check "restarted with shared_preload_libraries = buyerjourney" buyerjourney \
	"$(q "$db" -c "SHOW shared_preload_libraries")"
check "preloaded: an UPDATE's refusal with the fields the remote trigger set" \
	"23514 hint $fields" "$(seen "$update")"
check "... a COPY's likewise" "23514 hint $fields" "$(seen "COPY remote_deals FROM STDIN" $'8\tdecide')"
check "... a value set back to NULL, which has no hint" "23514 $fields" "$(seen "$nulled")"
check "... a PL/pgSQL handler sees the fields" "check_violation deals.stage deals_stage" \
	"$(q "$db" 2>&1 <<SQL | sed -n 's/^WARNING:  //p'
DO \$\$
DECLARE t text; c text; k text;
BEGIN
	$update;
EXCEPTION WHEN check_violation THEN
	GET STACKED DIAGNOSTICS t = TABLE_NAME, c = COLUMN_NAME, k = CONSTRAINT_NAME;
	RAISE WARNING 'check_violation %.% %', t, c, k;
END \$\$;
SQL
)"
check "... any other error stays as relayed: a duplicate key has no fields" "23505" \
	"$(seen "COPY remote_deals FROM STDIN" $'7\texplore')"
check "... and a refusal on the table itself is as ever" "23514 hint $fields" \
	"$(seen "UPDATE deals SET stage = 'decide' WHERE id = 7")"
check "... a key spelling another place does not choose the fields" \
	"23514 hint schema=public table=tdeals column=stage constraint=tdeals_stage" \
	"$(seen "UPDATE remote_tdeals SET stage = 'decide'")"
check "... names the detail cannot give back for sure: SQLSTATE and hint, no fields rather than wrong ones" \
	"23514 hint" "$(seen "UPDATE remote_odd SET stage = 'decide'")"
check "... the guard's message with another detail is left as relayed" "23514" \
	"$(seen "INSERT INTO remote_fake VALUES (1)")"
check "... a procedure's statement (CALL)" "23514 hint $fields" "$(seen "CALL move_seven()")"
check "... a function's statement (SELECT)" "23514 hint $fields" "$(seen "SELECT move_seven_f()")"
check "... a deferred guard's refusal at commit is not mended (documented)" "23514 hint" \
	"$(seen "BEGIN; UPDATE remote_ddeals SET stage = 'decide' WHERE id = 7; COMMIT;")"
check "... a DO block's statement" "23514 hint $fields" \
	"$(seen "DO \$\$BEGIN UPDATE remote_deals SET stage = 'decide' WHERE id = 7; END\$\$")"
finish_checks
