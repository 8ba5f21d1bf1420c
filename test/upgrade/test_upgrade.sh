#!/usr/bin/env bash
# test/upgrade/test_upgrade.sh - ALTER EXTENSION buyerjourney UPDATE from
# every released version to the current one.  A database at 1.0.0 with data
# (a guarded table with its history, a user process, stored journeys, funnels
# and timelines, a view over the one-pass funnel) is updated: the data, the
# view's answer and the trigger must be as before, and the new aggregates
# must work.  An updated database and a fresh install of the current version
# must have the same extension objects: pg_dump --binary-upgrade (which
# dumps every member of an extension) of both, OIDs left out, must be equal.
# Uses the server named by the libpq environment; prints one line per check.
source "$(dirname "${BASH_SOURCE[0]}")/../db_checks.sh"

current=$(sed -n "s/^default_version = '\(.*\)'/\1/p" "$(dirname "${BASH_SOURCE[0]}")/../../buyerjourney.control")
old=bj_upgrade_old_$suffix
echo "updating 1.0.0 -> $current on server $(q postgres -c 'SHOW server_version')"

createdb_fresh "$old"
q "$old" <<'SQL'
CREATE EXTENSION buyerjourney VERSION '1.0.0';
SELECT FROM copy_process('complex', 'enterprise', 'with a fast lane');
INSERT INTO process_move VALUES ('enterprise', 'explore', 'decide');
CREATE TABLE deals (id int PRIMARY KEY, stage journey_stage, phase lifecycle_phase);
SELECT FROM create_history_table('deal_history');
CREATE TRIGGER deals_stage AFTER INSERT OR UPDATE ON deals FOR EACH ROW
	EXECUTE FUNCTION enforce_transitions('column=stage', 'process=enterprise', 'history=deal_history');
INSERT INTO deals SELECT g, 'explore', 'introduction' FROM generate_series(1, 300) g;
UPDATE deals SET stage = 'decide' WHERE id % 3 = 0;
UPDATE deals SET stage = 'define' WHERE id % 3 = 1;
UPDATE deals SET stage = 'select' WHERE id % 3 = 1 AND id % 2 = 0;
CREATE TABLE stored AS
SELECT row_key, journey(to_value, changed_at) AS j, timeline(to_value, changed_at) AS t
  FROM deal_history GROUP BY row_key;
CREATE TABLE stored_funnel AS SELECT funnel(j) AS f FROM stored;
CREATE VIEW pipeline AS
SELECT r.* FROM funnel_report((SELECT funnel(row_key::bigint, to_value, changed_at) FROM deal_history)) r;
SQL
snapshot() { # everything the user stored, as text
	q "$1" -c "SELECT md5(string_agg(x::text, ',' ORDER BY x::text)) FROM (
	             SELECT d::text AS x FROM deals d UNION ALL
	             SELECT h::text FROM deal_history h UNION ALL
	             SELECT s::text FROM stored s UNION ALL
	             SELECT f::text FROM stored_funnel f UNION ALL
	             SELECT p::text FROM pipeline p UNION ALL
	             SELECT m::text FROM process_move m) y"
}
# Still at 1.0.0, this library serves the old catalog (its C names are kept):
# the one-pass funnel in a forced-parallel plan equals the serial one.
parallel_funnel="SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0;
                 SET max_parallel_workers_per_gather = 2;
                 SELECT funnel(row_key::bigint, to_value, changed_at)::text FROM deal_history"
check "1.0.0 catalog, new library: parallel one-pass funnel = serial" \
	"$(q "$old" -c "SELECT funnel(row_key::bigint, to_value, changed_at)::text FROM deal_history")" \
	"$(q "$old" -c "$parallel_funnel" | tail -1)"
before=$(snapshot "$old")
q "$old" -c "ALTER EXTENSION buyerjourney UPDATE"
check "extension version after update" "$current" "$(q "$old" -c "SELECT extversion FROM pg_extension WHERE extname = 'buyerjourney'")"
check "stored data, history and the view's answer unchanged" "$before" "$(snapshot "$old")"
check "stored journeys and timelines read back with the updated functions" "300" \
	"$(q "$old" -c "SELECT count(*) FROM stored s JOIN deals d ON d.id = s.row_key::int
	                 WHERE last_stage(s.j) = d.stage AND current_stage(s.t, now()) = d.stage")"
check "the trigger still refuses a move the process forbids" "23514" \
	"$(q "$old" -c "DO \$\$ BEGIN UPDATE deals SET stage = 'realize' WHERE id = 3; EXCEPTION WHEN OTHERS THEN RAISE WARNING '%', SQLSTATE; END \$\$" 2>&1 | sed -n 's/.*WARNING: *//p')"
check "the trigger still takes an allowed move, with history" "1" \
	"$(q "$old" -c "UPDATE deals SET stage = 'approve' WHERE id = 3" -c "SELECT count(*) FROM deal_history WHERE row_key = '3' AND to_value = 'approve'")"
check "the aggregates 1.1.0 added work on the old data" "t|t" \
	"$(q "$old" -c "SELECT time_in_stage(row_key::bigint, to_value, changed_at, now()) IS NOT NULL,
	                       window_funnel(row_key::bigint, to_value, changed_at, '1 hour', '{explore,decide}', '{}') IS NOT NULL
	                  FROM deal_history")"

# The same objects as a fresh install, from every released version: dump
# each with every extension member.
fresh=bj_upgrade_fresh_$suffix
createdb_fresh "$fresh"
q "$fresh" -c "CREATE EXTENSION buyerjourney"
members() {
	# OIDs, transaction ids and pg_dump's random \restrict key differ by nature
	pg_dump --schema-only --binary-upgrade -d "$1" |
		grep -v -e 'binary_upgrade_set_next_' -e '^--' -e '^$' -e 'pg_catalog.set_config' \
			-e '^\\restrict' -e '^\\unrestrict' -e '^SET relfrozenxid' -e "^WHERE oid = '[0-9]*';" |
		sed -E "s/(binary_upgrade_create_empty_extension\('buyerjourney', '[^']*', (true|false), '[^']*', )'\{[0-9,]*\}'/\1'{OIDS}'/" \
		> "$workdir/$1.sql"
	wc -l < "$workdir/$1.sql"
}
members "$fresh" >/dev/null
for released in $(ls "$(dirname "${BASH_SOURCE[0]}")/../../upgrade" | sed -n 's/^buyerjourney--\([0-9.]*\)\.sql$/\1/p'); do
	empty=bj_upgrade_from_${released//./_}_$suffix
	createdb_fresh "$empty"
	q "$empty" -c "CREATE EXTENSION buyerjourney VERSION '$released'" -c "ALTER EXTENSION buyerjourney UPDATE"
	n=$(members "$empty")
	if diff -u "$workdir/$fresh.sql" "$workdir/$empty.sql" > "$workdir/members.diff"; then
		check "pg_dump --binary-upgrade -s: updated from $released = fresh ($n lines)" same same
	else
		check "pg_dump --binary-upgrade -s: updated from $released = fresh" same "$(head -40 "$workdir/members.diff")"
	fi
	check "built-in processes: updated from $released = fresh" \
		"$(q "$fresh" -c "SELECT md5(string_agg(m::text, ',' ORDER BY m::text)) FROM process_move m")" \
		"$(q "$empty" -c "SELECT md5(string_agg(m::text, ',' ORDER BY m::text)) FROM process_move m")"
done

finish_checks
