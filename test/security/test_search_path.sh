#!/usr/bin/env bash
# test/security/test_search_path.sh - objects planted on search_path change
# nothing, in the manner of PostgreSQL's contrib/seg security test.
#
# An ordinary role that may create objects in the schema a DBA installs the
# extension into (test/security/plant.sql) plants functions, operators and
# look-alike types that would out-match the built-in ones.  Then:
#  - CREATE EXTENSION refuses to take over an object it did not create;
#  - CREATE EXTENSION, and ALTER EXTENSION UPDATE from every released
#    version, succeed, call none of them and bind to none of them (no
#    pg_depend entry of anything on a planted object);
#  - in use, with the planted schema first on search_path and even with
#    pg_catalog listed after it, every kind of call (types, processes, the
#    trigger and its history, create_history_table, the aggregates, the
#    lifetime-value functions) still uses the extension's and PostgreSQL's
#    own objects.
# Uses the server named by the libpq environment; one line per check.
source "$(dirname "${BASH_SOURCE[0]}")/../db_checks.sh"
here=$(dirname "${BASH_SOURCE[0]}")
attacker=regress_bj_attacker_$suffix

psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "CREATE ROLE $attacker LOGIN"
drop_attacker() {
	cleanup
	psql -X -q -d postgres -c "DROP ROLE IF EXISTS $attacker" 2>/dev/null || true
}
trap drop_attacker EXIT

# prepare DB: a database with schema "shared" the attacker may create in,
# and schema "evil" the attacker owns, planted.
prepare() {
	createdb_fresh "$1"
	q "$1" <<-SQL
		REVOKE CREATE ON SCHEMA public FROM PUBLIC;
		CREATE SCHEMA shared;
		GRANT USAGE, CREATE ON SCHEMA shared TO $attacker;
		CREATE SCHEMA evil AUTHORIZATION $attacker;
		GRANT USAGE ON SCHEMA evil TO PUBLIC;
	SQL
	plant "$1" evil >/dev/null
}
plant() { # plant DB SCHEMA
	PGUSER=$attacker q "$1" -v target="$2" -f "$here/plant.sql" | tail -1
}
# Once installed, the DBA closes the extension's schema (docs/security.md):
# the planted objects there are dropped (RESTRICT: none may be in use) and
# CREATE is revoked.  Schema "evil" stays, for use-time checks.
close_shared() {
	q "$1" <<-SQL
		DO \$\$ DECLARE o record; BEGIN
			FOR o IN SELECT oid::regoperator AS x FROM pg_operator WHERE oprnamespace = 'shared'::regnamespace AND oprowner = '$attacker'::regrole LOOP
				EXECUTE format('DROP OPERATOR %s RESTRICT', o.x); END LOOP;
			FOR o IN SELECT oid::regtype AS x FROM pg_type WHERE typnamespace = 'shared'::regnamespace AND typowner = '$attacker'::regrole AND typtype = 'd' LOOP
				EXECUTE format('DROP DOMAIN %s RESTRICT', o.x); END LOOP;
			FOR o IN SELECT oid::regprocedure AS x FROM pg_proc WHERE pronamespace = 'shared'::regnamespace AND proowner = '$attacker'::regrole LOOP
				EXECUTE format('DROP FUNCTION %s RESTRICT', o.x); END LOOP;
		END \$\$;
		REVOKE CREATE ON SCHEMA shared FROM $attacker;
	SQL
}
# Anything at all that depends on a planted object, other than the
# attacker's own objects, bound to it.
bound_to_planted() {
	q "$1" -c "SELECT count(*) || coalesce(': ' || string_agg(DISTINCT pg_describe_object(d.classid, d.objid, d.objsubid) || ' -> ' ||
	                                                    pg_describe_object(d.refclassid, d.refobjid, 0), '; '), '')
	             FROM pg_depend d
	             LEFT JOIN pg_proc p ON d.refclassid = 'pg_proc'::regclass AND p.oid = d.refobjid
	             LEFT JOIN pg_operator o ON d.refclassid = 'pg_operator'::regclass AND o.oid = d.refobjid
	             LEFT JOIN pg_type t ON d.refclassid = 'pg_type'::regclass AND t.oid = d.refobjid
	            WHERE coalesce(p.proowner, o.oprowner, t.typowner) = '$attacker'::regrole
	              AND NOT EXISTS (SELECT FROM pg_proc p2 WHERE d.classid = 'pg_proc'::regclass AND p2.oid = d.objid AND p2.proowner = '$attacker'::regrole)
	              AND NOT EXISTS (SELECT FROM pg_operator o2 WHERE d.classid = 'pg_operator'::regclass AND o2.oid = d.objid AND o2.oprowner = '$attacker'::regrole)
	              AND NOT EXISTS (SELECT FROM pg_type t2 WHERE d.classid = 'pg_type'::regclass AND t2.oid = d.objid AND t2.typowner = '$attacker'::regrole)
	              AND NOT EXISTS (SELECT FROM pg_constraint c JOIN pg_type t3 ON t3.oid = c.contypid
	                               WHERE d.classid = 'pg_constraint'::regclass AND c.oid = d.objid AND t3.typowner = '$attacker'::regrole)"
}
# Every kind of use, as the superuser, with the planted schemas first.  Prints
# a digest of the answers; an error (a hijacked call raises) stops it.  The
# workload's own SQL qualifies what it calls: the user's own unqualified
# calls are the user's search_path's business, the extension's are ours.
workload() { # workload DB SEARCH_PATH
	q "$1" -v ON_ERROR_STOP=1 <<-SQL 2>&1 | tail -1
		SET search_path = $2;
		SELECT shared.create_history_table('public.deal_history');
		CREATE TABLE public.deals (id int PRIMARY KEY, stage shared.journey_stage);
		SELECT shared.copy_process('complex', 'mine');
		CREATE TRIGGER deals_stage AFTER INSERT OR UPDATE ON public.deals FOR EACH ROW
			EXECUTE FUNCTION shared.enforce_transitions('column=stage', 'process=mine', 'history=public.deal_history');
		INSERT INTO public.deals SELECT g, 'explore' FROM pg_catalog.generate_series(1, 40) g;
		UPDATE public.deals SET stage = 'define' WHERE id OPERATOR(pg_catalog.%) 2 OPERATOR(pg_catalog.=) 0;
		UPDATE public.deals SET stage = 'select' WHERE id OPERATOR(pg_catalog.%) 4 OPERATOR(pg_catalog.=) 0;
		DO \$\$ BEGIN
			UPDATE public.deals SET stage = 'realize' WHERE id OPERATOR(pg_catalog.=) 1;
			RAISE EXCEPTION 'a forbidden move was accepted';
		EXCEPTION WHEN check_violation THEN NULL;
		END \$\$;
		CREATE TEMP TABLE answers AS
		SELECT 'types' AS k, shared.label('define'::shared.journey_stage, 'zh-Hans')
		       || shared.next_stage('define'::shared.journey_stage)::pg_catalog.text
		       || ('select'::shared.journey_stage OPERATOR(shared.>) 'define'::shared.journey_stage)::pg_catalog.text AS v
		UNION ALL SELECT 'history', pg_catalog.count(*)::pg_catalog.text FROM public.deal_history
		UNION ALL SELECT 'history types', pg_catalog.string_agg(tn.nspname OPERATOR(pg_catalog.||) '.' OPERATOR(pg_catalog.||) ty.typname, ',' ORDER BY a.attnum)
		            FROM pg_catalog.pg_attribute a
		            JOIN pg_catalog.pg_type ty ON ty.oid OPERATOR(pg_catalog.=) a.atttypid
		            JOIN pg_catalog.pg_namespace tn ON tn.oid OPERATOR(pg_catalog.=) ty.typnamespace
		           WHERE a.attrelid OPERATOR(pg_catalog.=) 'public.deal_history'::pg_catalog.regclass AND a.attnum OPERATOR(pg_catalog.>) 0
		UNION ALL SELECT 'funnel', (SELECT shared.funnel(row_key::pg_catalog.int8, to_value, changed_at)::pg_catalog.text FROM public.deal_history)
		UNION ALL SELECT 'journeys', (SELECT shared.funnel(j)::pg_catalog.text FROM (SELECT shared.journey(to_value, changed_at) AS j FROM public.deal_history GROUP BY row_key) x)
		UNION ALL SELECT 'report', (SELECT pg_catalog.string_agg(r::pg_catalog.text, ';') FROM shared.funnel_report((SELECT shared.funnel(row_key::pg_catalog.int8, to_value, changed_at) FROM public.deal_history)) r)
		UNION ALL SELECT 'time in stage', (SELECT (shared.time_in_stage(row_key::pg_catalog.int8, to_value, changed_at, '2100-01-01'::pg_catalog.timestamptz) IS NOT NULL)::pg_catalog.text FROM public.deal_history)
		UNION ALL SELECT 'summary', (SELECT shared.frequency(shared.customer_summary(a::pg_catalog.numeric, '2020-01-01'::pg_catalog.date OPERATOR(pg_catalog.+) d))::pg_catalog.text
		                   FROM pg_catalog.generate_series(1, 5) AS a, pg_catalog.generate_series(0, 40, 10) AS d)
		UNION ALL SELECT 'process', (SELECT pg_catalog.count(*)::pg_catalog.text FROM shared.process_move WHERE process OPERATOR(pg_catalog.=) 'mine');
		SELECT pg_catalog.string_agg(k OPERATOR(pg_catalog.||) '=' OPERATOR(pg_catalog.||) v, ' | ' ORDER BY k) FROM answers;
	SQL
}

# 1. An object the script would create, planted first: CREATE EXTENSION refuses.
db=bj_sec_refuse_$suffix
prepare "$db"
PGUSER=$attacker q "$db" -c "CREATE FUNCTION shared.journey_stages() RETURNS text LANGUAGE sql AS 'SELECT ''planted'''"
err=$(q "$db" -c "CREATE EXTENSION buyerjourney SCHEMA shared" 2>&1 || true)
check "CREATE EXTENSION refuses to take over a planted object of the same name" "yes" \
	"$(grep -q 'already exists' <<<"$err" && echo yes || echo "$err")"
check "... and leaves nothing behind" "0|planted" \
	"$(q "$db" -c "SELECT count(*) FROM pg_extension WHERE extname = 'buyerjourney'" -c "SELECT shared.journey_stages()" | paste -sd'|')"

# 2. A fresh install into the planted schema.
reference=bj_sec_reference_$suffix
createdb_fresh "$reference"
q "$reference" -c "CREATE SCHEMA shared" -c "CREATE EXTENSION buyerjourney SCHEMA shared"
expected=$(workload "$reference" "shared, public")

db=bj_sec_install_$suffix
prepare "$db"
echo "planted in the extension's schema: $(plant "$db" shared) (functions|operators|types)"
out=$(q "$db" -c "SET search_path = shared" -c "CREATE EXTENSION buyerjourney SCHEMA shared" 2>&1 || true)
check "CREATE EXTENSION into a planted schema succeeds, calling nothing planted" "" "$out"
check "nothing the install created is bound to a planted object" "0" "$(bound_to_planted "$db")"
close_shared "$db"
check "in use with a planted schema first on search_path: same answers as a clean database" "$expected" \
	"$(workload "$db" "evil, shared, public")"
check "in use with a planted schema even before pg_catalog: same answers" "$expected" \
	"$(q "$db" -c "DROP TABLE public.deals, public.deal_history CASCADE" -c "DELETE FROM shared.process WHERE name = 'mine'" >/dev/null;
	   workload "$db" "evil, pg_catalog, shared, public")"
check "still nothing bound to a planted object" "0" "$(bound_to_planted "$db")"

# 3. ALTER EXTENSION UPDATE from every released version, planted in between
#    (now also overloads on the extension's own types).
for released in $(ls "$here/../../upgrade" | sed -n 's/^buyerjourney--\([0-9.]*\)\.sql$/\1/p'); do
	db=bj_sec_from_${released//./_}_$suffix
	prepare "$db"
	q "$db" -c "CREATE EXTENSION buyerjourney VERSION '$released' SCHEMA shared"
	plant "$db" shared >/dev/null
	out=$(q "$db" -c "SET search_path = shared" -c "ALTER EXTENSION buyerjourney UPDATE" 2>&1 || true)
	check "ALTER EXTENSION UPDATE from $released in a planted schema succeeds" "" "$out"
	check "nothing the update created is bound to a planted object" "0" "$(bound_to_planted "$db")"
	close_shared "$db"
	check "in use after the update, planted schemas before pg_catalog: same answers" "$expected" \
		"$(workload "$db" "evil, pg_catalog, shared, public")"
done

finish_checks
