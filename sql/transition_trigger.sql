--
-- enforce_transitions() on user tables: every write path, the errors, the
-- history, wrong use, the bypass, and search_path safety.
--
CREATE TABLE crm_deals (
	id int PRIMARY KEY,
	owner text NOT NULL DEFAULT 'anna',
	amount numeric NOT NULL DEFAULT 0,
	stage journey_stage
);
SELECT create_history_table('deal_history');
\d deal_history
CREATE TRIGGER deals_stage_guard AFTER INSERT OR UPDATE ON crm_deals FOR EACH ROW
	EXECUTE FUNCTION enforce_transitions('column=stage', 'process=complex', 'history=deal_history');

-- Starts: complex lets a deal start at unaware or explore.
INSERT INTO crm_deals (id, stage) VALUES (1, 'explore'), (2, 'unaware');
INSERT INTO crm_deals (id, stage) VALUES (3, 'decide');
-- A row without a stage is not in the process yet.
INSERT INTO crm_deals (id, stage) VALUES (4, NULL);

-- Moves: forward one stage, back, out to lost.
UPDATE crm_deals SET stage = 'define' WHERE id = 1;
UPDATE crm_deals SET stage = 'select' WHERE id = 1;
UPDATE crm_deals SET stage = 'explore' WHERE id = 1;
UPDATE crm_deals SET stage = 'lost' WHERE id = 2;
-- Forbidden: skipping a stage, leaving a closed outcome except to explore.
UPDATE crm_deals SET stage = 'select' WHERE id = 1;
UPDATE crm_deals SET stage = 'define' WHERE id = 2;
UPDATE crm_deals SET stage = 'explore' WHERE id = 2;
-- Entering the process from NULL follows the start rules; leaving it is refused.
UPDATE crm_deals SET stage = 'select' WHERE id = 4;
UPDATE crm_deals SET stage = 'unaware' WHERE id = 4;
UPDATE crm_deals SET stage = NULL WHERE id = 4;
-- Updates of other columns are not moves: no check, no history.
UPDATE crm_deals SET amount = amount + 100;
-- Nothing is half-written: one forbidden row fails the whole statement.
UPDATE crm_deals SET stage = 'define';
SELECT id, stage, amount FROM crm_deals ORDER BY id;

-- The history holds exactly the accepted changes, in order.
SELECT seq, table_name, row_key, column_name, from_value, to_value, process, changed_by,
       changed_at BETWEEN now() - interval '1 hour' AND now() AS recent, txid IS NOT NULL AS has_txid
  FROM deal_history ORDER BY seq;

-- COPY goes through the trigger too, all or nothing.
COPY crm_deals (id, stage) FROM stdin;
10	explore
11	unaware
\.
COPY crm_deals (id, stage) FROM stdin;
12	explore
13	approve
\.
SELECT id, stage FROM crm_deals WHERE id >= 10 ORDER BY id;

-- INSERT ... ON CONFLICT DO UPDATE: a new row follows the start rules, an
-- existing one the move rules (the AFTER trigger sees what was written).
INSERT INTO crm_deals (id, stage) VALUES (10, 'define') ON CONFLICT (id) DO UPDATE SET stage = excluded.stage;
INSERT INTO crm_deals (id, stage) VALUES (10, 'decide') ON CONFLICT (id) DO UPDATE SET stage = excluded.stage;
INSERT INTO crm_deals (id, stage) VALUES (14, 'decide') ON CONFLICT (id) DO UPDATE SET stage = excluded.stage;
INSERT INTO crm_deals (id, stage) VALUES (14, 'explore') ON CONFLICT (id) DO UPDATE SET stage = excluded.stage;
SELECT row_key, from_value, to_value FROM deal_history WHERE row_key IN ('10', '14') ORDER BY seq;

-- A later BEFORE trigger that rewrites the stage cannot sneak a move past
-- the AFTER trigger.
CREATE FUNCTION sneaky() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	NEW.stage := 'approve';
	RETURN NEW;
END $$;
CREATE TRIGGER zz_sneaky BEFORE UPDATE ON crm_deals FOR EACH ROW EXECUTE FUNCTION sneaky();
UPDATE crm_deals SET amount = 1 WHERE id = 11;
DROP TRIGGER zz_sneaky ON crm_deals;

-- The error as fields, as a driver sees them: SQLSTATE, schema, table,
-- column, and the trigger's name as the constraint.
DO $$
DECLARE
	state text; schema_name text; table_name text; column_name text; constraint_name text;
BEGIN
	UPDATE crm_deals SET stage = 'approve' WHERE id = 11;
EXCEPTION WHEN check_violation THEN
	GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, schema_name = SCHEMA_NAME,
		table_name = TABLE_NAME, column_name = COLUMN_NAME, constraint_name = CONSTRAINT_NAME;
	RAISE NOTICE 'sqlstate %, schema %, table %, column %, constraint %',
		state, schema_name, table_name, column_name, constraint_name;
END $$;

-- A composite primary key is recorded as a row value.
CREATE TABLE accounts (region text, account_no int, phase lifecycle_phase, PRIMARY KEY (region, account_no));
SELECT create_history_table('account_history', 'lifecycle_phase');
CREATE TRIGGER guard AFTER INSERT OR UPDATE ON accounts FOR EACH ROW
	EXECUTE FUNCTION enforce_transitions('column=phase', 'process=lifecycle', 'history=account_history');
INSERT INTO accounts VALUES ('EMEA', 7, 'introduction'), ('Greater China', 8, '引入期');
UPDATE accounts SET phase = 'growth';
UPDATE accounts SET phase = 'introduction' WHERE account_no = 7;
SELECT row_key, from_value, to_value, process FROM account_history ORDER BY seq;

-- Several guarded columns on one table, each with its own process.
CREATE TABLE customers (id int PRIMARY KEY, stage journey_stage, phase lifecycle_phase);
CREATE TRIGGER stage_guard AFTER INSERT OR UPDATE ON customers FOR EACH ROW
	EXECUTE FUNCTION enforce_transitions('column=stage', 'process=transactional');
CREATE TRIGGER phase_guard AFTER INSERT OR UPDATE ON customers FOR EACH ROW
	EXECUTE FUNCTION enforce_transitions('column=phase', 'process=lifecycle');
INSERT INTO customers VALUES (1, 'select', 'introduction');
UPDATE customers SET stage = 'realize', phase = 'growth';
UPDATE customers SET phase = 'churned', stage = 'lost';
UPDATE customers SET phase = 'maturity';
SELECT * FROM customers;

-- The process per row, from a column; the trigger's process= is the default.
CREATE TABLE pipeline (id int PRIMARY KEY, sales_process text, stage journey_stage);
CREATE TRIGGER guard AFTER INSERT OR UPDATE ON pipeline FOR EACH ROW
	EXECUTE FUNCTION enforce_transitions('column=stage', 'process_column=sales_process', 'process=complex');
INSERT INTO pipeline VALUES (1, 'transactional', 'decide'), (2, NULL, 'explore');
INSERT INTO pipeline VALUES (3, NULL, 'decide');
UPDATE pipeline SET stage = 'realize' WHERE id = 1;
INSERT INTO pipeline VALUES (4, 'no such process', 'explore');
-- Without a default, a row must name its process.
CREATE TABLE pipeline2 (id int PRIMARY KEY, sales_process text, stage journey_stage);
CREATE TRIGGER guard AFTER INSERT OR UPDATE ON pipeline2 FOR EACH ROW
	EXECUTE FUNCTION enforce_transitions('column=stage', 'process_column=sales_process');
INSERT INTO pipeline2 VALUES (1, NULL, 'explore');

-- Partitioned tables: one trigger on the parent guards every partition; the
-- history names the parent.
CREATE TABLE regional_deals (id int, region text, stage journey_stage, PRIMARY KEY (region, id))
	PARTITION BY LIST (region);
CREATE TABLE regional_deals_emea PARTITION OF regional_deals FOR VALUES IN ('EMEA');
CREATE TABLE regional_deals_apac PARTITION OF regional_deals FOR VALUES IN ('APAC');
SELECT create_history_table('regional_history');
-- On a partitioned table the guard also fires on DELETE: an UPDATE that moves
-- a row to another partition fires DELETE and INSERT (see transition_moves).
CREATE TRIGGER guard AFTER INSERT OR UPDATE OR DELETE ON regional_deals FOR EACH ROW
	EXECUTE FUNCTION enforce_transitions('column=stage', 'process=complex', 'history=regional_history');
INSERT INTO regional_deals VALUES (1, 'EMEA', 'explore'), (2, 'APAC', 'explore');
UPDATE regional_deals SET stage = 'define';
UPDATE regional_deals SET stage = 'decide' WHERE region = 'APAC';
-- A partition attached later is guarded too.
CREATE TABLE regional_deals_amer (id int, region text, stage journey_stage, PRIMARY KEY (region, id));
ALTER TABLE regional_deals ATTACH PARTITION regional_deals_amer FOR VALUES IN ('AMER');
INSERT INTO regional_deals VALUES (3, 'AMER', 'approve');
SELECT table_name, row_key, from_value, to_value FROM regional_history ORDER BY seq;

-- A BEFORE trigger works for plain writes (no history: see docs/reference.md).
CREATE TABLE quick (id int PRIMARY KEY, stage journey_stage);
CREATE TRIGGER guard BEFORE INSERT OR UPDATE ON quick FOR EACH ROW
	EXECUTE FUNCTION enforce_transitions('column=stage', 'process=complex');
INSERT INTO quick VALUES (1, 'explore');
UPDATE quick SET stage = 'select';
UPDATE quick SET stage = 'define';
SELECT * FROM quick;

-- Wrong use is refused at CREATE TRIGGER, with the reason.
CREATE VIEW deals_view AS SELECT * FROM crm_deals;
SELECT try_exec(def) AS result FROM unnest(ARRAY[
	$$CREATE TRIGGER bad AFTER UPDATE ON quick FOR EACH STATEMENT EXECUTE FUNCTION enforce_transitions('column=stage', 'process=complex')$$,
	$$CREATE TRIGGER bad INSTEAD OF UPDATE ON deals_view FOR EACH ROW EXECUTE FUNCTION enforce_transitions('column=stage', 'process=complex')$$,
	$$CREATE TRIGGER bad AFTER DELETE ON quick FOR EACH ROW EXECUTE FUNCTION enforce_transitions('column=stage', 'process=complex')$$,
	$$CREATE TRIGGER bad AFTER INSERT OR UPDATE ON regional_deals FOR EACH ROW EXECUTE FUNCTION enforce_transitions('column=stage', 'process=complex')$$,
	$$CREATE TRIGGER bad AFTER INSERT OR UPDATE OR DELETE ON regional_deals FOR EACH ROW WHEN (current_user <> 'auditor') EXECUTE FUNCTION enforce_transitions('column=stage', 'process=complex')$$,
	$$CREATE TRIGGER bad AFTER UPDATE ON quick FOR EACH ROW EXECUTE FUNCTION enforce_transitions('column=nosuch', 'process=complex')$$,
	$$CREATE TRIGGER bad AFTER UPDATE ON crm_deals FOR EACH ROW EXECUTE FUNCTION enforce_transitions('column=amount', 'process=complex')$$,
	$$CREATE TRIGGER bad AFTER UPDATE ON quick FOR EACH ROW EXECUTE FUNCTION enforce_transitions('column=stage', 'process=nosuch')$$,
	$$CREATE TRIGGER bad AFTER UPDATE ON quick FOR EACH ROW EXECUTE FUNCTION enforce_transitions('column=stage', 'process=lifecycle')$$,
	$$CREATE TRIGGER bad AFTER UPDATE ON quick FOR EACH ROW EXECUTE FUNCTION enforce_transitions('column=stage')$$,
	$$CREATE TRIGGER bad AFTER UPDATE ON quick FOR EACH ROW EXECUTE FUNCTION enforce_transitions('process=complex')$$,
	$$CREATE TRIGGER bad AFTER UPDATE ON quick FOR EACH ROW EXECUTE FUNCTION enforce_transitions('stage', 'complex')$$,
	$$CREATE TRIGGER bad AFTER UPDATE ON quick FOR EACH ROW EXECUTE FUNCTION enforce_transitions('column=stage', 'column=stage', 'process=complex')$$,
	$$CREATE TRIGGER bad AFTER UPDATE ON quick FOR EACH ROW EXECUTE FUNCTION enforce_transitions('column=stage', 'process=complex', 'process_column=nosuch')$$,
	$$CREATE TRIGGER bad BEFORE UPDATE ON quick FOR EACH ROW EXECUTE FUNCTION enforce_transitions('column=stage', 'process=complex', 'history=deal_history')$$,
	$$CREATE TRIGGER bad AFTER UPDATE ON quick FOR EACH ROW EXECUTE FUNCTION enforce_transitions('column=stage', 'process=complex', 'history=nosuch')$$,
	$$CREATE TRIGGER bad AFTER UPDATE ON quick FOR EACH ROW EXECUTE FUNCTION enforce_transitions('column=stage', 'process=complex', 'history=account_history')$$,
	$$CREATE TRIGGER bad AFTER UPDATE ON quick FOR EACH ROW EXECUTE FUNCTION enforce_transitions('column=stage', 'process=complex', 'history=crm_deals')$$,
	$$CREATE TRIGGER bad AFTER UPDATE ON pipeline2 FOR EACH ROW EXECUTE FUNCTION enforce_transitions('column=stage', 'process=complex', 'history=regional_deals')$$
]) AS def;
-- A table without a primary key cannot keep a history.
CREATE TABLE keyless (stage journey_stage);
CREATE TRIGGER bad AFTER UPDATE ON keyless FOR EACH ROW
	EXECUTE FUNCTION enforce_transitions('column=stage', 'process=complex', 'history=deal_history');
-- Without a history it may be guarded; a refusal's detail then names no row.
-- Every refusal's detail starts with the same place, the table with its
-- schema (Citus forwards only the message and the detail on every path).
CREATE SCHEMA sales;
CREATE TABLE sales.keyless (stage journey_stage);
CREATE TRIGGER guard AFTER INSERT OR UPDATE ON sales.keyless FOR EACH ROW
	EXECUTE FUNCTION enforce_transitions('column=stage', 'process=complex');
INSERT INTO sales.keyless VALUES ('explore');
UPDATE sales.keyless SET stage = 'decide';
UPDATE sales.keyless SET stage = NULL;
INSERT INTO sales.keyless VALUES ('realize');
DROP SCHEMA sales CASCADE;
-- Not as a trigger at all.
SELECT enforce_transitions();

-- The bypass, for data migrations: superusers only.
BEGIN;
SET LOCAL buyerjourney.bypass_transition_checks = on;
UPDATE crm_deals SET stage = 'approve' WHERE id = 1;
COMMIT;
SELECT row_key, from_value, to_value FROM deal_history WHERE row_key = '1' ORDER BY seq DESC LIMIT 1;
CREATE ROLE regress_bj_clerk;
GRANT SELECT, INSERT, UPDATE ON crm_deals TO regress_bj_clerk;
SET ROLE regress_bj_clerk;
SET buyerjourney.bypass_transition_checks = on;
SELECT set_config('buyerjourney.bypass_transition_checks', 'on', false);
UPDATE crm_deals SET stage = 'realize' WHERE id = 11;
-- The clerk's changes are recorded under the clerk's name, without needing
-- any privilege on the history table.
UPDATE crm_deals SET stage = 'explore' WHERE id = 11;
RESET ROLE;
SELECT row_key, from_value, to_value, changed_by FROM deal_history ORDER BY seq DESC LIMIT 1;
SELECT has_table_privilege('regress_bj_clerk', 'deal_history', 'INSERT') AS clerk_may_insert_history;
-- A DBA can delegate the bypass to a migration role (PostgreSQL 15+).
CREATE ROLE regress_bj_migrator;
GRANT UPDATE, SELECT ON crm_deals TO regress_bj_migrator;
GRANT SET ON PARAMETER buyerjourney.bypass_transition_checks TO regress_bj_migrator;
SET ROLE regress_bj_migrator;
SET buyerjourney.bypass_transition_checks = on;
UPDATE crm_deals SET stage = 'realize' WHERE id = 11;
RESET buyerjourney.bypass_transition_checks;
RESET ROLE;
SELECT row_key, from_value, to_value, changed_by FROM deal_history ORDER BY seq DESC LIMIT 1;
REVOKE SET ON PARAMETER buyerjourney.bypass_transition_checks FROM regress_bj_migrator;
REVOKE ALL ON crm_deals FROM regress_bj_clerk, regress_bj_migrator;
DROP ROLE regress_bj_clerk, regress_bj_migrator;

-- search_path cannot redirect the trigger: a schema earlier on the path
-- with its own process table, a permissive "complex", a history table of
-- the same name and a look-alike function changes nothing.
CREATE SCHEMA evil;
CREATE TABLE evil.process (name text, value_type text, initial text[], description text, builtin boolean);
INSERT INTO evil.process VALUES ('complex', 'journey_stage', '{unaware,explore,define,select,decide,approve}', 'anything goes', true);
CREATE TABLE evil.process_move (process text, from_value text, to_value text);
INSERT INTO evil.process_move VALUES ('complex', 'explore', 'realize');
CREATE TABLE evil.deal_history (LIKE deal_history);
CREATE FUNCTION evil.enforce_transitions() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
SET search_path = evil, public;
UPDATE crm_deals SET stage = 'realize' WHERE id = 10;
INSERT INTO crm_deals (id, stage) VALUES (20, 'select');
UPDATE crm_deals SET stage = 'explore' WHERE id = 4;
RESET search_path;
SELECT count(*) AS rows_in_evil_history FROM evil.deal_history;
SELECT row_key, to_value FROM deal_history ORDER BY seq DESC LIMIT 1;
DROP SCHEMA evil CASCADE;

DROP TABLE crm_deals, deal_history, accounts, account_history, customers, pipeline, pipeline2,
	regional_deals, regional_history, quick, keyless CASCADE;
DROP FUNCTION sneaky();
