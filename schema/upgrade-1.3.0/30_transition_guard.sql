
-- The guard (issue 16).  History tables record the key a row had before an
-- UPDATE changed it (previous_key); a history table made by 1.2.0 lacks the
-- column, and a guard that must record a key change then refuses the UPDATE
-- with a hint to add it (docs/security.md).
-- @include create-history-table

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
