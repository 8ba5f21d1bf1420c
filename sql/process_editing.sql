--
-- User-defined processes: create, change, validate, protect the built-ins,
-- privileges, and the per-backend cache seeing every change.
--

-- A copy of a built-in is the usual start.
SELECT copy_process('complex', 'enterprise', 'enterprise deals, with a fast lane');
SELECT name, value_type, initial, description, builtin FROM process WHERE name = 'enterprise';
SELECT count(*) AS moves FROM process_move WHERE process = 'enterprise';

-- A table guarded by it: explore -> decide is not (yet) allowed.
CREATE TABLE opportunities (id int PRIMARY KEY, stage journey_stage NOT NULL);
CREATE TRIGGER guard AFTER INSERT OR UPDATE ON opportunities FOR EACH ROW
	EXECUTE FUNCTION enforce_transitions('column=stage', 'process=enterprise');
INSERT INTO opportunities VALUES (1, 'explore');
UPDATE opportunities SET stage = 'decide' WHERE id = 1;

-- Allow it: the next statement sees the change (cache invalidation).
INSERT INTO process_move VALUES ('enterprise', 'EXPLORE', '決策');
SELECT * FROM process_move WHERE process = 'enterprise' AND from_value = 'explore' ORDER BY to_value;
UPDATE opportunities SET stage = 'decide' WHERE id = 1;
-- And forbid it again.
DELETE FROM process_move WHERE process = 'enterprise' AND from_value = 'decide' AND to_value = 'select';
UPDATE opportunities SET stage = 'select' WHERE id = 1;
-- A change rolled back is not seen.
BEGIN;
INSERT INTO process_move VALUES ('enterprise', 'decide', 'select');
ROLLBACK;
UPDATE opportunities SET stage = 'select' WHERE id = 1;
-- Initial values can change too.
UPDATE process SET initial = ARRAY['unaware', 'explore', 'define'] WHERE name = 'enterprise';
SELECT initial FROM process WHERE name = 'enterprise';
INSERT INTO opportunities VALUES (2, 'define');
-- Probabilities.
UPDATE process_probability SET probability = 0.6 WHERE process = 'enterprise' AND value = 'decide';
SELECT value, probability FROM process_probability WHERE process = 'enterprise' AND probability > 0.2
 ORDER BY value::journey_stage;

-- A process from scratch, in one transaction.
BEGIN;
INSERT INTO process (name, value_type, initial) VALUES ('renewal', 'lifecycle_phase', '{growth,maturity}');
INSERT INTO process_move VALUES ('renewal', 'growth', 'maturity'), ('renewal', 'maturity', 'dormancy'),
                                ('renewal', 'dormancy', 'churned');
COMMIT;
SELECT name, value_type, initial FROM process WHERE name = 'renewal';

-- Validation: each bad definition is refused with a clear error.
SELECT try_exec($$INSERT INTO process_move VALUES ('enterprise', 'explore', 'qualify')$$) AS unknown_stage;
SELECT try_exec($$INSERT INTO process_move VALUES ('renewal', 'growth', 'explore')$$) AS stage_in_phase_process;
SELECT try_exec($$INSERT INTO process_move VALUES ('enterprise', 'define', 'DEFINE')$$) AS self_move;
SELECT try_exec($$INSERT INTO process_move VALUES ('nosuch', 'define', 'select')$$) AS unknown_process;
SELECT try_exec($$INSERT INTO process (name, value_type, initial) VALUES ('empty', 'journey_stage', '{}')$$) AS no_initial;
SELECT try_exec($$INSERT INTO process (name, value_type, initial) VALUES ('nulls', 'journey_stage', '{NULL}')$$) AS null_initial;
SELECT try_exec($$INSERT INTO process (name, value_type, initial) VALUES ('odd', 'journey_stage', '{qualify}')$$) AS bad_initial;
SELECT try_exec($$INSERT INTO process (name, value_type, initial) VALUES ('odd', 'deal_stage', '{explore}')$$) AS bad_type;
SELECT try_exec($$INSERT INTO process (name, value_type, initial) VALUES ('', 'journey_stage', '{explore}')$$) AS empty_name;
SELECT try_exec($$INSERT INTO process_probability VALUES ('enterprise', 'select', 1.5)$$) AS probability_high;
SELECT try_exec($$INSERT INTO process_probability VALUES ('enterprise', 'select', -0.1)$$) AS probability_low;
SELECT try_exec($$INSERT INTO process_probability VALUES ('enterprise', 'select', 'NaN')$$) AS probability_nan;
SELECT try_exec($$UPDATE process SET value_type = 'lifecycle_phase' WHERE name = 'enterprise'$$) AS retype;
-- The full error for one of them.
INSERT INTO process_move VALUES ('enterprise', 'define', 'define');

-- The built-ins cannot be changed, by anyone.
SELECT try_exec($$UPDATE process SET initial = '{explore}' WHERE name = 'complex'$$) AS update_builtin;
SELECT try_exec($$DELETE FROM process WHERE name = 'transactional'$$) AS delete_builtin;
SELECT try_exec($$INSERT INTO process_move VALUES ('complex', 'explore', 'decide')$$) AS add_move;
SELECT try_exec($$DELETE FROM process_move WHERE process = 'complex'$$) AS delete_moves;
SELECT try_exec($$UPDATE process_probability SET probability = 0.9 WHERE process = 'complex'$$) AS probability;
SELECT try_exec($$INSERT INTO process (name, value_type, initial, builtin) VALUES ('mine', 'journey_stage', '{explore}', true)$$) AS fake_builtin;
SELECT try_exec($$TRUNCATE process_probability$$) AS truncate;
SELECT count(*) AS complex_moves FROM process_move WHERE process = 'complex';

-- A process a trigger uses cannot be dropped or renamed.
SELECT try_exec($$DELETE FROM process WHERE name = 'enterprise'$$) AS drop_in_use;
SELECT try_exec($$UPDATE process SET name = 'ent' WHERE name = 'enterprise'$$) AS rename_in_use;
DROP TABLE opportunities;
DELETE FROM process WHERE name = 'enterprise';
SELECT count(*) AS left_over FROM process_move WHERE process = 'enterprise';

-- Privileges: everyone reads, only granted roles write.
CREATE ROLE regress_bj_analyst;
CREATE ROLE regress_bj_sales_ops;
GRANT INSERT, UPDATE, DELETE ON process, process_move, process_probability TO regress_bj_sales_ops;
SET ROLE regress_bj_analyst;
SELECT count(*) > 0 AS can_read FROM process_move;
SELECT try_exec($$INSERT INTO process_move VALUES ('renewal', 'growth', 'dormancy')$$) AS analyst_insert;
SELECT try_exec($$DELETE FROM process_move WHERE process = 'renewal'$$) AS analyst_delete;
SELECT try_sql($$SELECT copy_process('complex', 'analyst_copy')$$) AS analyst_copy;
RESET ROLE;
SET ROLE regress_bj_sales_ops;
INSERT INTO process_move VALUES ('renewal', 'growth', 'dormancy');
SELECT copy_process('transactional', 'smb');
SELECT try_exec($$UPDATE process_move SET to_value = 'lost' WHERE process = 'complex'$$) AS ops_builtin;
RESET ROLE;
DELETE FROM process WHERE name IN ('renewal', 'smb');
REVOKE ALL ON process, process_move, process_probability FROM regress_bj_sales_ops;
DROP ROLE regress_bj_analyst;
DROP ROLE regress_bj_sales_ops;
