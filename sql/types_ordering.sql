--
-- Ordering in the model's order, operators, btree and hash support,
-- index scans, hash and merge joins, min/max.
--

-- The operators agree with the ordinals for every pair of values.
SELECT count(*) AS pairs,
       count(*) FILTER (WHERE (a.value < b.value) = (a.ordinal < b.ordinal)
                          AND (a.value <= b.value) = (a.ordinal <= b.ordinal)
                          AND (a.value = b.value) = (a.ordinal = b.ordinal)
                          AND (a.value <> b.value) = (a.ordinal <> b.ordinal)
                          AND (a.value >= b.value) = (a.ordinal >= b.ordinal)
                          AND (a.value > b.value) = (a.ordinal > b.ordinal)
                          AND sign(journey_stage_cmp(a.value, b.value)) = sign(a.ordinal - b.ordinal)) AS agree
  FROM journey_stages() a, journey_stages() b;
SELECT count(*) AS pairs,
       count(*) FILTER (WHERE (a.value < b.value) = (a.ordinal < b.ordinal)
                          AND (a.value = b.value) = (a.ordinal = b.ordinal)
                          AND (a.value > b.value) = (a.ordinal > b.ordinal)) AS agree
  FROM lifecycle_phases() a, lifecycle_phases() b;

-- Operator metadata: commutators, negators, estimators, hash/merge support.
SELECT oprname, oprcom::regoperator IS NOT NULL AS has_commutator,
       oprnegate::regoperator IS NOT NULL AS has_negator,
       oprrest, oprjoin, oprcanhash, oprcanmerge
  FROM pg_operator
 WHERE oprleft = 'journey_stage'::regtype
 ORDER BY oprname;

CREATE TABLE deals (id int PRIMARY KEY, stage journey_stage NOT NULL, phase lifecycle_phase);
INSERT INTO deals
SELECT i, journey_stage((i * 7) % 9), lifecycle_phase(i % 5) FROM generate_series(1, 20000) i;
ANALYZE deals;

-- ORDER BY, DISTINCT, GROUP BY follow the model order.
SELECT DISTINCT stage FROM deals ORDER BY stage DESC;
SELECT phase, count(*) FROM deals GROUP BY phase ORDER BY phase;
SELECT min(stage), max(stage), min(phase), max(phase) FROM deals;
SELECT min(stage), max(stage) FROM deals WHERE stage BETWEEN 'explore' AND 'approve';

-- A btree index is used for equality and ranges; the planner estimates well.
CREATE INDEX deals_stage_idx ON deals (stage);
SET enable_seqscan = off;
SET enable_bitmapscan = off;
EXPLAIN (COSTS OFF) SELECT id FROM deals WHERE stage = 'decide';
EXPLAIN (COSTS OFF) SELECT stage FROM deals WHERE stage > 'approve' ORDER BY stage;
SELECT count(*) FROM deals WHERE stage = 'decide';
SELECT count(*) FROM deals WHERE stage > 'approve';
-- min/max use the index.
EXPLAIN (COSTS OFF) SELECT max(stage) FROM deals;
SELECT max(stage) FROM deals;
RESET enable_seqscan;
RESET enable_bitmapscan;

-- A hash index works too.
CREATE INDEX deals_phase_hash ON deals USING hash (phase);
SET enable_seqscan = off;
SET enable_bitmapscan = off;
EXPLAIN (COSTS OFF) SELECT count(*) FROM deals WHERE phase = 'maturity';
SELECT count(*) FROM deals WHERE phase = 'maturity';
RESET enable_seqscan;
RESET enable_bitmapscan;

-- Row estimates come from the statistics (20000 rows, 1/9 per stage).
CREATE FUNCTION plan_rows(query text) RETURNS int LANGUAGE plpgsql AS $$
DECLARE
	plan json;
BEGIN
	EXECUTE 'EXPLAIN (FORMAT JSON) ' || query INTO plan;
	RETURN (plan->0->'Plan'->>'Plan Rows')::int;
END $$;
SELECT plan_rows($$SELECT * FROM deals WHERE stage = 'decide'$$) AS eq_decide,
       plan_rows($$SELECT * FROM deals WHERE stage <> 'decide'$$) AS ne_decide,
       plan_rows($$SELECT * FROM deals WHERE stage > 'approve'$$) AS gt_approve,
       plan_rows($$SELECT * FROM deals WHERE stage <= 'explore'$$) AS le_explore;

-- Hash join and merge join on the type.
CREATE TABLE stage_targets (stage journey_stage PRIMARY KEY, target int);
INSERT INTO stage_targets SELECT value, 100 * ordinal FROM journey_stages();
ANALYZE stage_targets;
SET enable_mergejoin = off;
SET enable_nestloop = off;
EXPLAIN (COSTS OFF) SELECT d.stage, t.target FROM deals d JOIN stage_targets t USING (stage);
SELECT sum(t.target) AS joined, (SELECT sum(100 * ordinal(stage)) FROM deals) AS direct
  FROM deals d JOIN stage_targets t USING (stage);
RESET enable_mergejoin;
SET enable_hashjoin = off;
EXPLAIN (COSTS OFF) SELECT d.stage, t.target FROM deals d JOIN stage_targets t USING (stage);
SELECT sum(t.target) AS joined, (SELECT sum(100 * ordinal(stage)) FROM deals) AS direct
  FROM deals d JOIN stage_targets t USING (stage);
RESET enable_hashjoin;
RESET enable_nestloop;
-- Hash aggregation.
SET enable_sort = off;
EXPLAIN (COSTS OFF) SELECT stage, count(*) FROM deals GROUP BY stage;
RESET enable_sort;
