
-- ---------------------------------------------------------------------------
-- Sales processes (docs/model.md) and the transition trigger.
--
-- A process is a row of `process` (its value type and the values a new row
-- may start at), its allowed moves in `process_move`, and optional win
-- probabilities in `process_probability`.  Users edit them with plain SQL;
-- triggers validate and canonicalise every change and invalidate the
-- per-backend cache of compiled processes.  The built-ins come from the C
-- definitions (bj_rules.c) and cannot be changed.
-- ---------------------------------------------------------------------------

CREATE TABLE @extschema@.process (
	name text PRIMARY KEY CHECK (octet_length(name) BETWEEN 1 AND 63),
	value_type text NOT NULL CHECK (value_type IN ('journey_stage', 'lifecycle_phase')),
	initial text[] NOT NULL,
	description text,
	builtin boolean NOT NULL DEFAULT false
);
CREATE TABLE @extschema@.process_move (
	process text NOT NULL REFERENCES @extschema@.process ON UPDATE CASCADE ON DELETE CASCADE,
	from_value text NOT NULL,
	to_value text NOT NULL,
	PRIMARY KEY (process, from_value, to_value)
);
CREATE TABLE @extschema@.process_probability (
	process text NOT NULL REFERENCES @extschema@.process ON UPDATE CASCADE ON DELETE CASCADE,
	value text NOT NULL,
	probability double precision NOT NULL,
	PRIMARY KEY (process, value)
);
COMMENT ON TABLE @extschema@.process IS 'sales processes: value type and the values a new row may start at';
COMMENT ON TABLE @extschema@.process_move IS 'the moves each process allows, one row per (from, to)';
COMMENT ON TABLE @extschema@.process_probability IS 'win probability per stage of a process (for weighted pipeline)';

-- Everyone may read the processes; writing takes a GRANT from the owner.
REVOKE ALL ON @extschema@.process, @extschema@.process_move, @extschema@.process_probability FROM PUBLIC;
GRANT SELECT ON @extschema@.process, @extschema@.process_move, @extschema@.process_probability TO PUBLIC;

-- The built-ins, from the C definitions.
CREATE FUNCTION @extschema@.builtin_process_moves(name text, OUT from_value text, OUT to_value text)
	RETURNS SETOF record
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.builtin_process_moves(text) IS
	'moves of a built-in process as compiled into the extension (from_value NULL: initial values)';

INSERT INTO @extschema@.process (name, value_type, initial, description, builtin)
SELECT b.name, b.value_type,
       ARRAY(SELECT m.to_value FROM @extschema@.builtin_process_moves(b.name) WITH ORDINALITY AS m(f, to_value, n)
              WHERE m.f IS NULL ORDER BY m.n),
       b.description, true
  FROM (VALUES
	('complex', 'journey_stage',
	 'enterprise deals: start at unaware or explore; forward one stage at a time; back to any earlier open stage; any open stage to lost or no_decision; a closed deal re-opens only to explore'),
	('transactional', 'journey_stage',
	 'land-and-expand deals: like complex, but a new deal may start at any open stage and forward moves may skip stages'),
	('lifecycle', 'lifecycle_phase',
	 'customer lifecycle: start at introduction; forward one phase to maturity; any active phase to dormancy; dormancy back to growth or maturity, or to churned; any phase to churned; churned back to introduction')
  ) AS b(name, value_type, description);

INSERT INTO @extschema@.process_move (process, from_value, to_value)
SELECT b.name, m.from_value, m.to_value
  FROM pg_catalog.unnest(ARRAY['complex', 'transactional', 'lifecycle']) AS b(name),
       @extschema@.builtin_process_moves(b.name) AS m
 WHERE m.from_value IS NOT NULL;

-- CRM-style stage probabilities.
INSERT INTO @extschema@.process_probability (process, value, probability)
SELECT p.process, @extschema@.journey_stage(s.ordinal)::text, p.probability[s.ordinal + 1]
  FROM (VALUES ('complex', ARRAY[0.0, 0.05, 0.10, 0.25, 0.50, 0.75, 1.0, 0.0, 0.0]::float8[]),
               ('transactional', ARRAY[0.0, 0.10, 0.20, 0.40, 0.60, 0.80, 1.0, 0.0, 0.0]::float8[])) AS p(process, probability),
       pg_catalog.generate_series(0, 8) AS s(ordinal);

-- User-defined processes (not the built-ins) are dumped with the database.
SELECT pg_catalog.pg_extension_config_dump('@extschema@.process', 'WHERE NOT builtin');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.process_move',
	$$WHERE process NOT IN ('complex', 'transactional', 'lifecycle')$$);
SELECT pg_catalog.pg_extension_config_dump('@extschema@.process_probability',
	$$WHERE process NOT IN ('complex', 'transactional', 'lifecycle')$$);

-- canonical_value: a value name of a process's type in canonical form, or a
-- clear error naming the process.
CREATE FUNCTION @extschema@.canonical_value(value_type text, value text, process text) RETURNS text
	LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	IF value IS NULL THEN
		RAISE EXCEPTION 'process "%" lists a NULL %', process, value_type
			USING ERRCODE = 'not_null_violation';
	ELSIF value_type = 'journey_stage' THEN
		RETURN value::@extschema@.journey_stage::text;
	ELSE
		RETURN value::@extschema@.lifecycle_phase::text;
	END IF;
EXCEPTION WHEN invalid_text_representation THEN
	RAISE EXCEPTION 'process "%": "%" is not a %', process, value, value_type
		USING ERRCODE = 'invalid_text_representation',
		      HINT = format('Valid values are listed by %s().',
		                    CASE value_type WHEN 'journey_stage' THEN 'journey_stages' ELSE 'lifecycle_phases' END);
END $$;
COMMENT ON FUNCTION @extschema@.canonical_value(text, text, text) IS
	'canonical name of a value of a process''s type (used by the process table triggers)';

-- The transition trigger (src/transition_trigger.c).
CREATE FUNCTION @extschema@.enforce_transitions() RETURNS trigger
	AS 'MODULE_PATHNAME' LANGUAGE C;
COMMENT ON FUNCTION @extschema@.enforce_transitions() IS
	'row trigger: a journey_stage or lifecycle_phase column moves only as its process allows; args column=, process=, process_column=, history=';

CREATE FUNCTION @extschema@.check_process() RETURNS trigger
	LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	users text;
BEGIN
	IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.builtin THEN
		RAISE EXCEPTION 'built-in process "%" cannot be changed', OLD.name
			USING ERRCODE = 'insufficient_privilege',
			      HINT = format('Copy it with copy_process(%L, ''my_process'') and change the copy.', OLD.name);
	END IF;
	IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND NEW.name <> OLD.name) THEN
		users := @extschema@.triggers_using_process(OLD.name);
		IF users IS NOT NULL THEN
			RAISE EXCEPTION 'process "%" is used by trigger %', OLD.name, users
				USING ERRCODE = 'dependent_objects_still_exist',
				      HINT = 'Drop or change those triggers first.';
		END IF;
		IF TG_OP = 'DELETE' THEN
			RETURN OLD;
		END IF;
	END IF;
	IF NEW.builtin THEN
		RAISE EXCEPTION 'only the extension creates built-in processes'
			USING ERRCODE = 'insufficient_privilege';
	END IF;
	IF TG_OP = 'UPDATE' AND NEW.value_type <> OLD.value_type THEN
		RAISE EXCEPTION 'the value type of process "%" cannot change', OLD.name
			USING ERRCODE = 'feature_not_supported',
			      HINT = 'Create a new process instead.';
	END IF;
	IF NEW.value_type NOT IN ('journey_stage', 'lifecycle_phase') THEN
		RAISE EXCEPTION 'process "%" has unknown value type "%"', NEW.name, NEW.value_type
			USING ERRCODE = 'invalid_parameter_value',
			      HINT = 'A process is for journey_stage or lifecycle_phase.';
	END IF;
	-- Canonical names, each once, in the model's order.
	NEW.initial := ARRAY(
		SELECT c FROM (SELECT DISTINCT @extschema@.canonical_value(NEW.value_type, v, NEW.name) AS c
		                 FROM unnest(NEW.initial) AS v) AS d
		 ORDER BY CASE NEW.value_type WHEN 'journey_stage' THEN c::@extschema@.journey_stage::int
		                              ELSE c::@extschema@.lifecycle_phase::int END);
	IF cardinality(NEW.initial) = 0 THEN
		RAISE EXCEPTION 'process "%" has no initial value', NEW.name
			USING ERRCODE = 'check_violation',
			      HINT = 'List the values a new row may start at, e.g. initial => ARRAY[''unaware'', ''explore''].';
	END IF;
	RETURN NEW;
END $$;

-- Checks shared by process_move and process_probability: no built-in is
-- touched; returns the process's value type.
CREATE FUNCTION @extschema@.check_process_part(process_name text) RETURNS text
	LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	p record;
BEGIN
	SELECT * INTO p FROM @extschema@.process WHERE name = process_name;
	IF p.builtin THEN
		RAISE EXCEPTION 'built-in process "%" cannot be changed', process_name
			USING ERRCODE = 'insufficient_privilege',
			      HINT = format('Copy it with copy_process(%L, ''my_process'') and change the copy.', process_name);
	END IF;
	RETURN p.value_type;			-- NULL if there is no such process: the foreign key says so
END $$;

-- Rows of process_move and process_probability: no built-in is touched,
-- values are canonical, and each table's own rule holds.
CREATE FUNCTION @extschema@.check_process_row() RETURNS trigger
	LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	value_type text;
BEGIN
	IF TG_OP IN ('UPDATE', 'DELETE') THEN
		PERFORM @extschema@.check_process_part(OLD.process);
		IF TG_OP = 'DELETE' THEN
			RETURN OLD;
		END IF;
	END IF;
	value_type := @extschema@.check_process_part(NEW.process);
	IF value_type IS NULL THEN
		RETURN NEW;
	END IF;
	IF TG_TABLE_NAME = 'process_move' THEN
		NEW.from_value := @extschema@.canonical_value(value_type, NEW.from_value, NEW.process);
		NEW.to_value := @extschema@.canonical_value(value_type, NEW.to_value, NEW.process);
		IF NEW.from_value = NEW.to_value THEN
			RAISE EXCEPTION 'process "%": a move from "%" to itself is not a move', NEW.process, NEW.from_value
				USING ERRCODE = 'check_violation',
				      HINT = 'Staying at a value is always allowed; list only moves to other values.';
		END IF;
	ELSE
		NEW.value := @extschema@.canonical_value(value_type, NEW.value, NEW.process);
		IF NOT (NEW.probability >= 0 AND NEW.probability <= 1) OR NEW.probability = 'NaN' THEN
			RAISE EXCEPTION 'process "%": probability % for "%" is outside [0, 1]', NEW.process, NEW.probability, NEW.value
				USING ERRCODE = 'check_violation';
		END IF;
	END IF;
	RETURN NEW;
END $$;

CREATE FUNCTION @extschema@.refuse_truncate() RETURNS trigger
	LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	RAISE EXCEPTION 'table % cannot be truncated: it holds the built-in processes', TG_TABLE_NAME
		USING ERRCODE = 'insufficient_privilege',
		      HINT = 'Delete the user-defined processes with DELETE instead.';
END $$;

CREATE FUNCTION @extschema@.invalidate_process_cache() RETURNS trigger
	AS 'MODULE_PATHNAME' LANGUAGE C;

COMMENT ON FUNCTION @extschema@.check_process() IS 'validates and canonicalises rows of process';
COMMENT ON FUNCTION @extschema@.check_process_part(text) IS 'refuses changes to a built-in process';
COMMENT ON FUNCTION @extschema@.check_process_row() IS 'validates and canonicalises rows of process_move and process_probability';
COMMENT ON FUNCTION @extschema@.refuse_truncate() IS 'keeps the process tables from being truncated';
COMMENT ON FUNCTION @extschema@.invalidate_process_cache() IS 'tells every backend to reload the processes';

CREATE TRIGGER check_process BEFORE INSERT OR UPDATE OR DELETE ON @extschema@.process
	FOR EACH ROW EXECUTE FUNCTION @extschema@.check_process();
CREATE TRIGGER check_process_row BEFORE INSERT OR UPDATE OR DELETE ON @extschema@.process_move
	FOR EACH ROW EXECUTE FUNCTION @extschema@.check_process_row();
CREATE TRIGGER check_process_row BEFORE INSERT OR UPDATE OR DELETE ON @extschema@.process_probability
	FOR EACH ROW EXECUTE FUNCTION @extschema@.check_process_row();
CREATE TRIGGER refuse_truncate BEFORE TRUNCATE ON @extschema@.process
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.refuse_truncate();
CREATE TRIGGER refuse_truncate BEFORE TRUNCATE ON @extschema@.process_move
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.refuse_truncate();
CREATE TRIGGER refuse_truncate BEFORE TRUNCATE ON @extschema@.process_probability
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.refuse_truncate();
CREATE TRIGGER invalidate_process_cache AFTER INSERT OR UPDATE OR DELETE ON @extschema@.process
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.invalidate_process_cache();
CREATE TRIGGER invalidate_process_cache AFTER INSERT OR UPDATE OR DELETE ON @extschema@.process_move
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.invalidate_process_cache();
CREATE TRIGGER invalidate_process_cache AFTER INSERT OR UPDATE OR DELETE ON @extschema@.process_probability
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.invalidate_process_cache();

CREATE FUNCTION @extschema@.copy_process(source text, name text, description text DEFAULT NULL) RETURNS void
	LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	INSERT INTO @extschema@.process (name, value_type, initial, description)
	SELECT copy_process.name, p.value_type, p.initial,
	       coalesce(copy_process.description, format('copy of %s', source))
	  FROM @extschema@.process p WHERE p.name = source;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'process "%" does not exist', source USING ERRCODE = 'undefined_object';
	END IF;
	INSERT INTO @extschema@.process_move (process, from_value, to_value)
	SELECT copy_process.name, m.from_value, m.to_value FROM @extschema@.process_move m WHERE m.process = source;
	INSERT INTO @extschema@.process_probability (process, value, probability)
	SELECT copy_process.name, q.value, q.probability FROM @extschema@.process_probability q WHERE q.process = source;
END $$;
COMMENT ON FUNCTION @extschema@.copy_process(text, text, text) IS
	'create a process as a copy of another (its initial values, moves and probabilities)';

-- The event trigger that checks transition triggers at CREATE TRIGGER.
CREATE FUNCTION @extschema@.validate_transition_trigger(relid oid, trigger_oid oid) RETURNS void
	AS 'MODULE_PATHNAME' LANGUAGE C STRICT;
COMMENT ON FUNCTION @extschema@.validate_transition_trigger(oid, oid) IS
	'checks a transition trigger''s definition as its first firing would';

CREATE FUNCTION @extschema@.check_transition_triggers() RETURNS event_trigger
	LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	t record;
BEGIN
	FOR t IN SELECT tg.tgrelid, tg.oid
	           FROM pg_catalog.pg_event_trigger_ddl_commands() AS c
	           JOIN pg_catalog.pg_trigger AS tg ON tg.oid = c.objid
	          WHERE c.classid = 'pg_catalog.pg_trigger'::pg_catalog.regclass
	            AND tg.tgfoid = '@extschema@.enforce_transitions()'::pg_catalog.regprocedure
	LOOP
		PERFORM @extschema@.validate_transition_trigger(t.tgrelid, t.oid);
	END LOOP;
END $$;
COMMENT ON FUNCTION @extschema@.check_transition_triggers() IS
	'event trigger: validates transition triggers when they are created';

CREATE EVENT TRIGGER buyerjourney_check_transition_triggers ON ddl_command_end
	WHEN TAG IN ('CREATE TRIGGER')
	EXECUTE FUNCTION @extschema@.check_transition_triggers();
COMMENT ON EVENT TRIGGER buyerjourney_check_transition_triggers IS
	'checks the arguments of enforce_transitions() triggers when they are created';
