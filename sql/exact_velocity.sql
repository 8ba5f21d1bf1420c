-- pipeline_velocity keeps exact sums (microseconds, amounts as decimals):
-- every order, plan and split gives the same bits.
-- The issue's reproducer: merged in two orders, one row twice.
WITH d(k, cycle, amount) AS (VALUES (1, interval '2h24m', 100.10), (2, interval '4h48m', 200.20), (3, interval '7h12m', 300.30)),
j AS (SELECT k, amount, journey(s, t) j FROM d, LATERAL (VALUES ('explore'::journey_stage, timestamptz '2026-01-01'), ('realize', timestamptz '2026-01-01' + cycle)) e(s, t) GROUP BY k, amount),
v AS (SELECT k, (SELECT pipeline_velocity(x.j, x.a) FROM (VALUES (j.j, j.amount)) x(j, a)) v FROM j)
SELECT DISTINCT r.* FROM velocity_report((SELECT pipeline_velocity(v ORDER BY k) FROM v)) r
UNION ALL SELECT r.* FROM velocity_report((SELECT pipeline_velocity(v ORDER BY k DESC) FROM v)) r;

-- Many deals with cents and long cycles: serial in two orders, per-group
-- states rolled up in two orders, and a forced parallel plan: one value.
SELECT setseed(0.15);
CREATE TABLE velocity_deals AS
SELECT d, journey(s, t) AS j, round((random() * 10000)::numeric, 2) AS amount
  FROM generate_series(1, 3000) d,
       LATERAL (VALUES ('explore'::journey_stage, timestamptz '2020-01-01' + d * interval '1 hour' + random() * interval '1 second'),
                       ((ARRAY['define', 'realize', 'lost', 'realize'])[1 + d % 4]::journey_stage,
                        timestamptz '2020-01-01' + d * interval '1 hour' + random() * interval '9600 hours')) e(s, t)
 GROUP BY d;
CREATE TEMP TABLE velocity_answers (how text, v text);
INSERT INTO velocity_answers
SELECT 'serial', pipeline_velocity(j, amount ORDER BY d)::text FROM velocity_deals
UNION ALL SELECT 'serial, reversed', pipeline_velocity(j, amount ORDER BY d DESC)::text FROM velocity_deals
UNION ALL SELECT 'by group', pipeline_velocity(v ORDER BY g)::text
  FROM (SELECT d % 7 AS g, pipeline_velocity(j, amount) AS v FROM velocity_deals GROUP BY 1) x
UNION ALL SELECT 'by group, reversed', pipeline_velocity(v ORDER BY g DESC)::text
  FROM (SELECT d % 13 AS g, pipeline_velocity(j, amount ORDER BY amount) AS v FROM velocity_deals GROUP BY 1) x;
SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2; SET parallel_leader_participation = off;
INSERT INTO velocity_answers SELECT 'parallel', pipeline_velocity(j, amount)::text FROM velocity_deals;
RESET parallel_setup_cost; RESET parallel_tuple_cost; RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather; RESET parallel_leader_participation;
SELECT count(DISTINCT v) AS distinct_answers, count(*) AS ways FROM velocity_answers;
-- the figures: exact sums divided once
SELECT r.*, (SELECT round(avg(amount), 6) FROM velocity_deals WHERE d % 4 IN (1, 3)) AS sql_average_won_size,
       (SELECT round(sum(extract(epoch FROM last_at(j) - first_at(j))) / 86400 / count(*), 9)
          FROM velocity_deals WHERE d % 4 IN (1, 3)) = round(r.average_cycle_days::numeric, 9) AS cycle_as_sql
  FROM velocity_report((SELECT v::velocity FROM velocity_answers LIMIT 1)) r;

-- A 1.2.0 text form (format 1, float sums) still reads: 100.1 and 0.1 days.
SELECT r.* FROM velocity_report('01040000000000000002000000000000000100000000000000010000000000000001000000000000000140590666666666663fb999999999999a'::velocity) r;
SELECT '01040000000000000002000000000000000100000000000000010000000000000001000000000000000140590666666666663fb999999999999a'::velocity::text AS read_as_exact;
DROP TABLE velocity_deals;
