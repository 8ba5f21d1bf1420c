-- test/security/plant.sql - what an attacker who may create objects in
-- schema :"target" plants there: functions and operators that would be a
-- better (or, before an explicit pg_catalog, an equal) match than the
-- built-in ones for every argument type a careless script or function might
-- pass.  Each raises 'hijacked' if ever called; test_search_path.sh also
-- looks for anything that merely binds to them.  Run as the attacker.
SET search_path = :"target";
DO $plant$
DECLARE
	names text[] := ARRAY[
		-- called in the install scripts and the SQL and PL/pgSQL functions
		'cardinality', 'coalesce', 'format', 'octet_length', 'quote_ident', 'string_agg', 'sum', 'unnest',
		'parse_ident', 'array_length', 'array_agg', 'lower', 'upper', 'length', 'count', 'min', 'max',
		'avg', 'now', 'date_trunc', 'extract', 'greatest', 'least', 'abs', 'round', 'exp', 'ln',
		'generate_series', 'array_position', 'set_config', 'current_setting', 'to_char', 'concat',
		'jsonb_build_object', 'row_number', 'lead', 'lag'];
	-- the extension's own names: an overload must not win either (with
	-- argument lists the extension itself never declares)
	own_names text[] := ARRAY['label', 'ordinal', 'journey_stage', 'lifecycle_phase', 'journey_stages', 'lifecycle_phases',
		'next_stage', 'previous_stage', 'is_open', 'is_closed', 'is_won', 'is_active', 'canonical_value',
		'builtin_process_moves', 'copy_process', 'create_history_table', 'enforce_transitions',
		'funnel', 'funnel_report', 'funnel_outcomes', 'journey', 'timeline', 'velocity', 'time_in_stage',
		'window_funnel', 'customer_summary', 'frequency', 'recency', 'historical_value', 'bgnbd_fit',
		'gammagamma_fit', 'expected_purchases', 'probability_alive', 'ltv', 'lifecycle_phase_of'];
	signatures text[] := ARRAY[
		'text', 'text[]', 'varchar', 'varchar[]', 'name', '"char"', 'integer', 'bigint', 'smallint',
		'numeric', 'double precision', 'double precision[]', 'real', 'regtype', 'oid', 'regclass',
		'timestamp', 'date', 'interval', 'anyelement', 'anyarray', 'text, text', 'varchar, varchar',
		'text, anyelement', 'anyelement, anyelement', 'text, text[]', 'bigint, text, timestamp',
		'bigint, varchar, timestamptz', 'numeric, timestamp', 'numeric, date'];
	own_signatures text[] := ARRAY['varchar', 'anyelement', 'anyarray', 'anyelement, anyelement',
		'varchar, varchar', 'bigint, varchar, timestamp'];
	n text;
	sig text;
	result text;
BEGIN
	FOREACH n IN ARRAY names || own_names LOOP
		FOREACH sig IN ARRAY CASE WHEN n = ANY (own_names) THEN own_signatures ELSE signatures END LOOP
			result := CASE WHEN sig LIKE '%anyelement%' OR sig = 'anyarray' THEN 'anyelement' ELSE 'text' END;
			BEGIN
				EXECUTE pg_catalog.format($f$CREATE FUNCTION %I(%s) RETURNS %s LANGUAGE plpgsql AS $b$
					BEGIN RAISE EXCEPTION 'hijacked: %s(%s) called by %%', current_user; END $b$$f$,
					n, sig, result, n, sig);
			EXCEPTION WHEN duplicate_function OR invalid_function_definition OR wrong_object_type THEN
				NULL; -- taken already (the extension's own object, at update time)
			END;
		END LOOP;
	END LOOP;
END $plant$;

-- Operators over argument pairs the built-in ones only match after a cast.
DO $plant$
DECLARE
	operators text[] := ARRAY['=', '<>', '<', '>', '<=', '>=', '||', '+', '-', '*', '/', '@>', '<@', '&&', '~~'];
	pairs text[] := ARRAY['varchar,varchar', 'name,name', 'name,text', 'text,name', 'regtype,regtype',
		'regclass,regclass', 'oid,regclass', 'integer,bigint', 'bigint,integer', 'numeric,double precision',
		'double precision,numeric', 'timestamp,timestamptz', 'timestamptz,timestamp', 'date,timestamptz',
		'text,unknown', 'text[],text[]', 'varchar[],varchar[]', '"char","char"', 'anyelement,anyelement',
		'anyarray,anyarray', 'text,anyelement', 'anyelement,text'];
	op text;
	pair text;
	i int := 0;
BEGIN
	FOREACH pair IN ARRAY pairs LOOP
		i := i + 1;
		BEGIN
			EXECUTE pg_catalog.format($f$CREATE FUNCTION hijack_operator_%s(%s) RETURNS boolean LANGUAGE plpgsql AS $b$
				BEGIN RAISE EXCEPTION 'hijacked: operator on (%s) called by %%', current_user; END $b$$f$,
				i, pair, pair);
		EXCEPTION WHEN OTHERS THEN
			CONTINUE; -- a pair no function may take (unknown)
		END;
		FOREACH op IN ARRAY operators LOOP
			BEGIN
				EXECUTE pg_catalog.format('CREATE OPERATOR %s (LEFTARG = %s, RIGHTARG = %s, FUNCTION = hijack_operator_%s)',
					op, pg_catalog.split_part(pair, ',', 1), pg_catalog.split_part(pair, ',', 2), i);
			EXCEPTION WHEN duplicate_function OR duplicate_object THEN
				NULL;
			END;
		END LOOP;
	END LOOP;
END $plant$;

-- Look-alike types: a column or cast naming one unqualified would take it,
-- and storing a value in it raises.
CREATE FUNCTION hijacked_domain(pg_catalog.text) RETURNS pg_catalog.bool LANGUAGE plpgsql AS $b$
	BEGIN RAISE EXCEPTION 'hijacked: a look-alike type used, by %', current_user; END $b$;
DO $plant$
DECLARE
	t text;
BEGIN
	FOREACH t IN ARRAY ARRAY['text', 'int8', 'bigint', 'int4', 'integer', 'timestamptz', 'xid8', 'regtype',
	                         'regclass', 'float8', 'numeric', 'boolean', 'bool'] LOOP
		BEGIN
			EXECUTE pg_catalog.format('CREATE DOMAIN %I AS pg_catalog.text CHECK (hijacked_domain(VALUE))', t);
		EXCEPTION WHEN duplicate_object THEN
			NULL;
		END;
	END LOOP;
END $plant$;
RESET search_path;
SELECT (SELECT pg_catalog.count(*) FROM pg_proc WHERE pronamespace = :'target'::regnamespace AND proowner = current_user::regrole) AS functions,
       (SELECT pg_catalog.count(*) FROM pg_operator WHERE oprnamespace = :'target'::regnamespace AND oprowner = current_user::regrole) AS operators,
       (SELECT pg_catalog.count(*) FROM pg_type WHERE typnamespace = :'target'::regnamespace AND typowner = current_user::regrole AND typtype = 'd') AS types;
