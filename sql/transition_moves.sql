--
-- The guard judges every move against the row as it was before the
-- statement: an UPDATE or MERGE that moves a row to another partition (run by
-- PostgreSQL as a DELETE plus an INSERT), a change of the row's process, a
-- change of its key.  And the history follows the row.  (Issue 16.)
--
\set VERBOSITY terse
CREATE ROLE regress_bj_sales;

-- Partitioned by region; AFTER guard with history.
CREATE TABLE xp (id int, region text, stage journey_stage, note text, PRIMARY KEY (region, id))
	PARTITION BY LIST (region);
CREATE TABLE xp_emea PARTITION OF xp FOR VALUES IN ('EMEA');
CREATE TABLE xp_apac PARTITION OF xp FOR VALUES IN ('APAC');
SELECT create_history_table('xp_history');
CREATE TRIGGER guard AFTER INSERT OR UPDATE OR DELETE ON xp FOR EACH ROW
	EXECUTE FUNCTION enforce_transitions('column=stage', 'process=complex', 'history=xp_history');
SET buyerjourney.bypass_transition_checks = on;	-- plant rows anywhere
INSERT INTO xp VALUES (1, 'EMEA', 'lost'), (2, 'EMEA', 'define'), (3, 'EMEA', 'approve');
RESET buyerjourney.bypass_transition_checks;
GRANT SELECT, UPDATE ON xp TO regress_bj_sales;
SET ROLE regress_bj_sales;
-- lost -> unaware is forbidden in place and across partitions, by UPDATE and by MERGE.
UPDATE xp SET stage = 'unaware' WHERE id = 1;
UPDATE xp SET stage = 'unaware', region = 'APAC' WHERE id = 1;
MERGE INTO xp USING (VALUES (1)) AS s(id) ON xp.id = s.id
	WHEN MATCHED THEN UPDATE SET stage = 'unaware', region = 'APAC';
-- A row at define (no start value) may change region, and move as allowed.
UPDATE xp SET region = 'APAC' WHERE id = 2;
UPDATE xp SET region = 'EMEA', stage = 'select' WHERE id = 2;
MERGE INTO xp USING (VALUES (3)) AS s(id) ON xp.id = s.id
	WHEN MATCHED THEN UPDATE SET stage = 'realize', region = 'APAC';
-- Other columns never trip the check.
UPDATE xp SET note = 'checked', region = 'APAC' WHERE id = 1;
RESET ROLE;
SELECT tableoid::regclass AS partition, id, region, stage, note FROM xp ORDER BY id;
-- The history records each move as a move, and a changed key as the same row.
SELECT row_key, previous_key, from_value, to_value FROM xp_history WHERE from_value IS NOT NULL ORDER BY seq;

-- Partitioned by the stage itself, lifecycle phases too; the table's owner
-- is judged like everyone else.
CREATE TABLE xs (id int, stage journey_stage NOT NULL, PRIMARY KEY (id, stage)) PARTITION BY RANGE (stage);
CREATE TABLE xs_open PARTITION OF xs FOR VALUES FROM ('unaware') TO ('realize');
CREATE TABLE xs_closed PARTITION OF xs DEFAULT;
CREATE TRIGGER guard AFTER INSERT OR UPDATE OR DELETE ON xs FOR EACH ROW
	EXECUTE FUNCTION enforce_transitions('column=stage', 'process=complex');
SET buyerjourney.bypass_transition_checks = on;	-- plant rows anywhere
INSERT INTO xs VALUES (1, 'realize'), (2, 'approve');
RESET buyerjourney.bypass_transition_checks;
UPDATE xs SET stage = 'unaware' WHERE id = 1;
UPDATE xs SET stage = 'realize' WHERE id = 2;
CREATE TABLE xl (id int, phase lifecycle_phase NOT NULL, PRIMARY KEY (id, phase)) PARTITION BY LIST (phase);
CREATE TABLE xl_early PARTITION OF xl FOR VALUES IN ('introduction', 'growth');
CREATE TABLE xl_late PARTITION OF xl FOR VALUES IN ('maturity', 'dormancy', 'churned');
CREATE TRIGGER guard AFTER INSERT OR UPDATE OR DELETE ON xl FOR EACH ROW
	EXECUTE FUNCTION enforce_transitions('column=phase', 'process=lifecycle');
SET buyerjourney.bypass_transition_checks = on;	-- plant rows anywhere
INSERT INTO xl VALUES (1, 'maturity');
RESET buyerjourney.bypass_transition_checks;
UPDATE xl SET phase = 'introduction';
MERGE INTO xl USING (VALUES (1)) AS s(id) ON xl.id = s.id WHEN MATCHED THEN UPDATE SET phase = 'introduction';
UPDATE xl SET phase = 'dormancy';
SELECT tableoid::regclass AS partition, * FROM xs ORDER BY id;
SELECT tableoid::regclass AS partition, * FROM xl;

-- Two guards on one table: each pairs the halves of a move through its own trigger.
CREATE TABLE two (id int, region text, stage journey_stage, phase lifecycle_phase, PRIMARY KEY (region, id))
	PARTITION BY LIST (region);
CREATE TABLE two_emea PARTITION OF two FOR VALUES IN ('EMEA');
CREATE TABLE two_apac PARTITION OF two FOR VALUES IN ('APAC');
CREATE TRIGGER guard_phase AFTER INSERT OR UPDATE OR DELETE ON two FOR EACH ROW
	EXECUTE FUNCTION enforce_transitions('column=phase', 'process=lifecycle');
CREATE TRIGGER guard_stage AFTER INSERT OR UPDATE OR DELETE ON two FOR EACH ROW
	EXECUTE FUNCTION enforce_transitions('column=stage', 'process=complex');
SET buyerjourney.bypass_transition_checks = on;	-- plant rows anywhere
INSERT INTO two VALUES (1, 'EMEA', 'define', 'maturity'), (2, 'EMEA', 'define', 'maturity');
RESET buyerjourney.bypass_transition_checks;
UPDATE two SET region = 'APAC';
UPDATE two SET region = 'EMEA', stage = 'select', phase = 'dormancy' WHERE id = 1;
UPDATE two SET region = 'EMEA', phase = 'introduction' WHERE id = 2;
SELECT tableoid::regclass AS partition, * FROM two ORDER BY id;

-- A BEFORE guard sees the whole move at BEFORE UPDATE.
CREATE TABLE xb (id int, stage journey_stage NOT NULL, PRIMARY KEY (id, stage)) PARTITION BY RANGE (stage);
CREATE TABLE xb_open PARTITION OF xb FOR VALUES FROM ('unaware') TO ('realize');
CREATE TABLE xb_closed PARTITION OF xb DEFAULT;
CREATE TRIGGER guard BEFORE INSERT OR UPDATE ON xb FOR EACH ROW
	EXECUTE FUNCTION enforce_transitions('column=stage', 'process=complex');
SET buyerjourney.bypass_transition_checks = on;	-- plant rows anywhere
INSERT INTO xb VALUES (1, 'realize'), (2, 'approve'), (3, 'lost');
RESET buyerjourney.bypass_transition_checks;
UPDATE xb SET stage = 'unaware' WHERE id = 1;
UPDATE xb SET stage = 'realize' WHERE id = 2;
UPDATE xb SET stage = 'explore' WHERE id = 3;
-- An INSERT in the same statement is no move: it starts where it may.
WITH moved AS (UPDATE xb SET stage = 'explore' WHERE id = 1 RETURNING id)
INSERT INTO xb SELECT 10, 'realize' FROM moved;
SELECT tableoid::regclass AS partition, * FROM xb ORDER BY id;

-- With process_column=, a move is judged under the process the row had
-- before the statement, and a change of process is recorded.
CREATE TABLE pipe (id int PRIMARY KEY, sales_process text, stage journey_stage);
SELECT create_history_table('pipe_history');
CREATE TRIGGER guard AFTER INSERT OR UPDATE ON pipe FOR EACH ROW
	EXECUTE FUNCTION enforce_transitions('column=stage', 'process_column=sales_process', 'history=pipe_history');
SET buyerjourney.bypass_transition_checks = on;	-- plant rows anywhere
INSERT INTO pipe VALUES (3, 'complex', 'define');
RESET buyerjourney.bypass_transition_checks;
GRANT SELECT, UPDATE ON pipe TO regress_bj_sales;
SET ROLE regress_bj_sales;
UPDATE pipe SET stage = 'realize' WHERE id = 3;
UPDATE pipe SET sales_process = 'transactional', stage = 'realize' WHERE id = 3;
UPDATE pipe SET sales_process = 'transactional' WHERE id = 3;
UPDATE pipe SET stage = 'realize' WHERE id = 3;
UPDATE pipe SET sales_process = 'nosuch' WHERE id = 3;
-- Changing only the key: the history follows the row.
UPDATE pipe SET id = 4 WHERE id = 3;
RESET ROLE;
SELECT row_key, previous_key, from_value, to_value, process FROM pipe_history ORDER BY seq;
-- A history table made before previous_key existed refuses to lose a key change.
ALTER TABLE pipe_history DROP COLUMN previous_key;
UPDATE pipe SET id = 5 WHERE id = 4;

-- validate_transition_trigger() tells nothing of a table one may not add triggers to.
SET ROLE regress_bj_sales;
SELECT validate_transition_trigger('xp'::regclass, 0);
RESET ROLE;

DROP TABLE xp, xp_history, xs, xl, two, xb, pipe, pipe_history;
DROP ROLE regress_bj_sales;
