-- test/load/setup.sql - the load test's schema: :guard is 'history',
-- 'trigger' (no history) or 'none'.  try_move() makes one random move of one
-- deal, allowed or not, and records what happened in the same transaction.
CREATE EXTENSION IF NOT EXISTS buyerjourney;
DROP TABLE IF EXISTS deals, deal_history, moves_done, moves_refused CASCADE;
CREATE TABLE deals (id int PRIMARY KEY, stage journey_stage NOT NULL);
CREATE TABLE moves_done (id int NOT NULL, to_stage journey_stage NOT NULL, txid xid8 NOT NULL DEFAULT pg_current_xact_id());
CREATE TABLE moves_refused (id int NOT NULL);
SELECT :'guard' <> 'none' AS guarded, :'guard' = 'history' AS with_history \gset
\if :with_history
SELECT create_history_table('deal_history');
CREATE TRIGGER deals_stage AFTER INSERT OR UPDATE ON deals FOR EACH ROW
	EXECUTE FUNCTION enforce_transitions('column=stage', 'process=complex', 'history=deal_history');
\elif :guarded
CREATE TRIGGER deals_stage AFTER INSERT OR UPDATE ON deals FOR EACH ROW
	EXECUTE FUNCTION enforce_transitions('column=stage', 'process=complex');
\endif
INSERT INTO deals SELECT g, 'explore' FROM generate_series(1, 200) g;

CREATE OR REPLACE FUNCTION try_move(deal int) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	current journey_stage;
	target journey_stage := journey_stage((random() * 8)::int);
BEGIN
	SELECT stage INTO current FROM deals WHERE id = deal;
	IF current = target THEN
		RETURN 'same';
	END IF;
	BEGIN
		-- another client may have made the same move meanwhile: the WHERE is
		-- checked again on the row it left, and then nothing moves here
		UPDATE deals SET stage = target WHERE id = deal AND stage <> target RETURNING stage INTO current;
		IF NOT FOUND THEN
			RETURN 'same';
		END IF;
		INSERT INTO moves_done (id, to_stage) VALUES (deal, target);
		RETURN 'moved';
	EXCEPTION WHEN check_violation THEN
		INSERT INTO moves_refused VALUES (deal);
		RETURN 'refused';
	END;
END $$;
