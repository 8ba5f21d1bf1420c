
-- create_history_table runs with the caller's search_path, on purpose: an
-- unqualified table name goes where the caller's CREATE TABLE would put it.
-- So everything else in it is qualified, operators and the types of its
-- variables included: a schema earlier on that path (even one listed before
-- pg_catalog) cannot supply an operator or a type of its own.  (1.2.0 replaced the 1.0.0 definition,
-- which compared with an unqualified = and named its column types unqualified; 1.3.0 added
-- previous_key, the key a row had before an UPDATE changed it.)
-- @begin create-history-table  (also the update to 1.3.0: scripts/include_regions.awk)
CREATE OR REPLACE FUNCTION @extschema@.create_history_table(name text, value_type regtype DEFAULT '@extschema@.journey_stage')
	RETURNS regclass LANGUAGE plpgsql AS $$
DECLARE
	qualified pg_catalog.text;
	stored_type pg_catalog.text;
BEGIN
	IF value_type OPERATOR(pg_catalog.=) '@extschema@.journey_stage'::pg_catalog.regtype THEN
		stored_type := '@extschema@.journey_stage';
	ELSIF value_type OPERATOR(pg_catalog.=) '@extschema@.lifecycle_phase'::pg_catalog.regtype THEN
		stored_type := '@extschema@.lifecycle_phase';
	ELSE
		RAISE EXCEPTION 'a history table records journey_stage or lifecycle_phase, not %', value_type
			USING ERRCODE = 'datatype_mismatch';
	END IF;
	SELECT pg_catalog.string_agg(pg_catalog.quote_ident(part), '.' ORDER BY n) INTO qualified
	  FROM pg_catalog.unnest(pg_catalog.parse_ident(name)) WITH ORDINALITY AS p(part, n);
	EXECUTE pg_catalog.format($ddl$
		CREATE TABLE %1$s (
			seq pg_catalog.int8 GENERATED ALWAYS AS IDENTITY,
			table_name pg_catalog.text NOT NULL,
			row_key pg_catalog.text NOT NULL,
			column_name pg_catalog.text NOT NULL,
			from_value %2$s,
			to_value %2$s NOT NULL,
			process pg_catalog.text NOT NULL,
			changed_at pg_catalog.timestamptz NOT NULL,
			changed_by pg_catalog.text NOT NULL,
			txid pg_catalog.xid8 NOT NULL,
			previous_key pg_catalog.text
		)$ddl$, qualified, stored_type);
	-- No index: every index costs each guarded UPDATE a second index insert
	-- (the README shows which to add for which question).
	EXECUTE pg_catalog.format('COMMENT ON TABLE %s IS %L', qualified,
		'buyerjourney transition history: one row per accepted change, in seq order');
	RETURN qualified::pg_catalog.regclass;
END $$;
COMMENT ON FUNCTION @extschema@.create_history_table(text, regtype) IS
	'create a transition history table for enforce_transitions(''history=...'')';
-- @end create-history-table
