--
-- The built-in processes, checked exhaustively: every move (and every start)
-- is tried through the trigger and compared with the rules of docs/model.md,
-- written out here independently of the C definitions.
--
SELECT name, value_type, initial, builtin FROM process ORDER BY name;
SELECT process, count(*) AS moves FROM process_move GROUP BY process ORDER BY process;
SELECT process, value, probability FROM process_probability
 WHERE process = 'complex' ORDER BY value::journey_stage;

-- One probe table per type; each row names its process.
CREATE TABLE stage_probe (id int PRIMARY KEY, process text NOT NULL, stage journey_stage);
CREATE TRIGGER guard AFTER INSERT OR UPDATE ON stage_probe FOR EACH ROW
	EXECUTE FUNCTION enforce_transitions('column=stage', 'process_column=process');
CREATE TABLE phase_probe (id int PRIMARY KEY, process text NOT NULL, phase lifecycle_phase);
CREATE TRIGGER guard AFTER INSERT OR UPDATE ON phase_probe FOR EACH ROW
	EXECUTE FUNCTION enforce_transitions('column=phase', 'process_column=process');

-- try_move: does the trigger accept a row starting at `target` (from NULL)
-- or moving from `origin` to `target`?  The origin row is written with the
-- checks bypassed, so that every origin can be tried.
CREATE FUNCTION try_move(probe regclass, col text, proc text, origin text, target text)
RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE format('DELETE FROM %s', probe);
	IF origin IS NULL THEN
		BEGIN
			EXECUTE format('INSERT INTO %s (id, process, %I) VALUES (1, %L, %L)', probe, col, proc, target);
			RETURN true;
		EXCEPTION WHEN check_violation THEN
			RETURN false;
		END;
	END IF;
	PERFORM set_config('buyerjourney.bypass_transition_checks', 'on', true);
	EXECUTE format('INSERT INTO %s (id, process, %I) VALUES (1, %L, %L)', probe, col, proc, origin);
	PERFORM set_config('buyerjourney.bypass_transition_checks', 'off', true);
	BEGIN
		EXECUTE format('UPDATE %s SET %I = %L', probe, col, target);
		RETURN true;
	EXCEPTION WHEN check_violation THEN
		RETURN false;
	END;
END $$;

-- The journey processes of docs/model.md, in SQL.  o/t are ordinals; o NULL means a new row.
CREATE FUNCTION model_allows(proc text, o int, t int) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE
		WHEN o = t THEN true                                           -- staying is not a move
		WHEN proc = 'complex' AND o IS NULL THEN t IN (0, 1)           -- start at unaware or explore
		WHEN proc = 'transactional' AND o IS NULL THEN t BETWEEN 0 AND 5   -- any open stage
		WHEN o BETWEEN 0 AND 5 THEN                                    -- from an open stage:
			(proc = 'complex' AND t = o + 1)                           --   forward one stage
			OR (proc = 'transactional' AND t > o AND t <= 6)           --   forward, skipping allowed
			OR (t < o)                                                 --   back to an earlier open stage
			OR t IN (7, 8)                                             --   lost or no_decision
		ELSE t = 1                                                     -- closed: re-open to explore only
	END
$$;

-- The lifecycle process of docs/model.md, in SQL.
CREATE FUNCTION lifecycle_allows(o int, t int) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE
		WHEN o = t THEN true
		WHEN o IS NULL THEN t = 0                                      -- start at introduction
		WHEN t = 4 THEN o <> 4                                         -- any phase straight to churned
		WHEN o IN (0, 1) AND t = o + 1 THEN true                       -- forward one phase to maturity
		WHEN o IN (0, 1, 2) AND t = 3 THEN true                        -- an active phase falls dormant
		WHEN o = 3 THEN t IN (1, 2)                                    -- re-activated to growth or maturity
		WHEN o = 4 THEN t = 0                                          -- won back: starts again
		ELSE false
	END
$$;

CREATE TEMP TABLE verdicts AS
SELECT p.process, o.ordinal AS o, t.ordinal AS t,
       try_move('stage_probe', 'stage', p.process, o.name, t.name) AS trigger_allows,
       model_allows(p.process, o.ordinal, t.ordinal) AS model_says
  FROM unnest(ARRAY['complex', 'transactional']) AS p(process)
 CROSS JOIN (SELECT ordinal, name FROM journey_stages() UNION ALL SELECT NULL, NULL) AS o
 CROSS JOIN journey_stages() AS t
UNION ALL
SELECT 'lifecycle', o.ordinal, t.ordinal,
       try_move('phase_probe', 'phase', 'lifecycle', o.name, t.name),
       lifecycle_allows(o.ordinal, t.ordinal)
  FROM (SELECT ordinal, name FROM lifecycle_phases() UNION ALL SELECT NULL, NULL) AS o
 CROSS JOIN lifecycle_phases() AS t;

-- Every start and move of every built-in process, tried: all agree.
SELECT process, count(*) AS tried,
       count(*) FILTER (WHERE trigger_allows) AS allowed,
       count(*) FILTER (WHERE trigger_allows = model_says) AS agree
  FROM verdicts GROUP BY process ORDER BY process;
-- (no disagreements)
SELECT * FROM verdicts WHERE trigger_allows <> model_says;

-- The allowed moves of complex, as a matrix (rows: from, columns: to; * = start).
SELECT coalesce(journey_stage(o)::text, '*') AS "from",
       string_agg(CASE WHEN trigger_allows AND o IS DISTINCT FROM t THEN 'x' ELSE '.' END, ' ' ORDER BY t)
         AS "u e d s d a r l n"
  FROM verdicts WHERE process = 'complex' GROUP BY o ORDER BY o NULLS FIRST;

DROP TABLE stage_probe, phase_probe;
