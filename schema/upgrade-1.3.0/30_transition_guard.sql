
-- The guard (issue 16).  History tables record the key a row had before an
-- UPDATE changed it (previous_key); a history table made by 1.2.0 lacks the
-- column, and a guard that must record a key change then refuses the UPDATE
-- with a hint to add it (docs/security.md).
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

-- An AFTER guard on a partitioned table must now fire on DELETE too, to judge
-- a row that an UPDATE moves to another partition; one created by 1.2.0
-- refuses to fire until it is re-created.  Name them.
DO $$
DECLARE
	t record;
BEGIN
	FOR t IN SELECT tg.tgname, tg.tgrelid::pg_catalog.regclass AS rel
	           FROM pg_catalog.pg_trigger tg JOIN pg_catalog.pg_class c ON c.oid OPERATOR(pg_catalog.=) tg.tgrelid
	          WHERE tg.tgfoid OPERATOR(pg_catalog.=) '@extschema@.enforce_transitions()'::pg_catalog.regprocedure
	            AND tg.tgparentid OPERATOR(pg_catalog.=) 0::pg_catalog.oid AND c.relkind OPERATOR(pg_catalog.=) 'p'
	            AND (tg.tgtype::pg_catalog.int4 OPERATOR(pg_catalog.&) 2) OPERATOR(pg_catalog.=) 0  -- AFTER
	            AND (tg.tgtype::pg_catalog.int4 OPERATOR(pg_catalog.&) 16) OPERATOR(pg_catalog.<>) 0  -- UPDATE
	            AND ((tg.tgtype::pg_catalog.int4 OPERATOR(pg_catalog.&) 12) OPERATOR(pg_catalog.<>) 12 -- INSERT, DELETE
	                 OR tg.tgqual IS NOT NULL)
	LOOP
		RAISE WARNING 'transition trigger "%" on partitioned table % must be re-created AFTER INSERT OR UPDATE OR DELETE, without WHEN', t.tgname, t.rel
			USING HINT = 'Until then it refuses every write: an UPDATE that moves a row to another partition fires DELETE and INSERT triggers, and the guard needs both.';
	END LOOP;
END $$;
