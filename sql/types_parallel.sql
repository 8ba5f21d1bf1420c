--
-- min/max and grouping in forced-parallel plans give the serial answer.
--
CREATE TABLE big_deals AS
SELECT i AS id, journey_stage((i * 31) % 9) AS stage, lifecycle_phase((i * 17) % 5) AS phase
  FROM generate_series(1, 100000) i;
-- Restrict to a window so min and max are not the global ends.
CREATE VIEW windowed AS
SELECT min(stage) AS min_stage, max(stage) AS max_stage,
       min(phase) AS min_phase, max(phase) AS max_phase, count(*)
  FROM big_deals WHERE stage BETWEEN 'define' AND 'realize' AND phase < 'churned';
ANALYZE big_deals;

SET max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE serial_result AS SELECT * FROM windowed;
CREATE TEMP TABLE serial_groups AS SELECT stage, max(phase), count(*) FROM big_deals GROUP BY stage;

SET max_parallel_workers_per_gather = 2;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF) SELECT * FROM windowed;
SELECT * FROM windowed;
SELECT (SELECT row(w.*)::text FROM windowed w) = (SELECT row(s.*)::text FROM serial_result s) AS parallel_equals_serial;

SET enable_hashagg = off;
EXPLAIN (COSTS OFF) SELECT stage, max(phase), count(*) FROM big_deals GROUP BY stage;
SELECT count(*) AS groups,
       count(*) FILTER (WHERE s.max IS NOT DISTINCT FROM p.max AND s.count = p.count) AS equal
  FROM serial_groups s
  JOIN (SELECT stage, max(phase), count(*) FROM big_deals GROUP BY stage) p USING (stage);
RESET ALL;
