
-- Triggers that name a process, as "trigger on table" (for errors).  A SQL
-- body is bound when the function is created, with the search_path of the
-- script, which starts with the extension's schema: so every function and
-- operator in it is qualified, lest an object planted in that schema bind
-- in their place.  (1.2.0 replaced the 1.0.0 definition, whose
-- quote_ident(name) an overload in the extension's schema could take.)
CREATE OR REPLACE FUNCTION @extschema@.triggers_using_process(process text) RETURNS text
	LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
	SELECT pg_catalog.string_agg(pg_catalog.format('%s on %s', pg_catalog.quote_ident(t.tgname::pg_catalog.text),
	                                               t.tgrelid::pg_catalog.regclass), ', ' ORDER BY t.oid)
	  FROM pg_catalog.pg_trigger t
	 WHERE t.tgfoid OPERATOR(pg_catalog.=) '@extschema@.enforce_transitions()'::pg_catalog.regprocedure::pg_catalog.oid
	   AND t.tgparentid OPERATOR(pg_catalog.=) 0::pg_catalog.oid
	   AND ('process=' OPERATOR(pg_catalog.||) process) OPERATOR(pg_catalog.=) ANY
	       (pg_catalog.regexp_split_to_array(pg_catalog.encode(t.tgargs, 'escape'), '\\000'));
END;
COMMENT ON FUNCTION @extschema@.triggers_using_process(text) IS 'transition triggers that name a process (for errors)';
