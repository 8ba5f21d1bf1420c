-- window_funnel against ClickHouse's windowFunnel: the cases of ClickHouse's
-- own test, tests/queries/0_stateless/00632_aggregation_window_funnel.sql
-- (github.com/ClickHouse/ClickHouse), ported with its events mapped to
-- stages.  Each case gives, per deal, the depth of the per-deal form
-- window_funnel(timeline, ...) and whether the one-pass aggregate
-- window_funnel(deal, stage, at, ...) over that deal agrees.
--
-- Expected values are ClickHouse's; where its .reference file as stored
-- (commit 0882b32b) predates its source (commit 0215c755 of
-- src/AggregateFunctions/AggregateFunctionWindowFunnel.cpp: the fix of
-- ClickHouse issue 37177, strict_deduplication returns the level reached,
-- and allow_reentry passes over a step whose step before is not reached),
-- the case says so and follows the source.  ClickHouse's cases whose
-- conditions are not one event each (event <= 1007, conditions on two
-- nullable columns) have no counterpart: a step here is one stage.
-- Times are seconds from 2018-01-01 00:00:00+00 unless said.
SET TimeZone = 'UTC';

CREATE TABLE ch_events (scenario text, deal bigint, stage journey_stage, at timestamptz);
-- seconds: timestamptz
CREATE FUNCTION ch_at(seconds numeric) RETURNS timestamptz LANGUAGE sql IMMUTABLE AS
	$$ SELECT timestamptz '2018-01-01 00:00:00+00' + seconds * interval '1 second' $$;
-- ClickHouse's event 1000 + k is the stage of ordinal k (unaware .. no_decision).
CREATE FUNCTION ch_stage(event int) RETURNS journey_stage LANGUAGE sql IMMUTABLE AS
	$$ SELECT (ARRAY['unaware', 'explore', 'define', 'select', 'decide', 'approve', 'realize', 'lost',
	                 'no_decision']::journey_stage[])[event - 1000 + 1] $$;
-- Letters a, b, c, d of ClickHouse's strict_order cases: explore, define, select, decide.
CREATE FUNCTION ch_letter(letter text) RETURNS journey_stage LANGUAGE sql IMMUTABLE AS
	$$ SELECT (ARRAY['explore', 'define', 'select', 'decide']::journey_stage[])[ascii(letter) - ascii('a') + 1] $$;
-- Per deal: depth (per-deal form) and whether the one-pass aggregate, over
-- the deal alone, reports a chain of that depth.
CREATE FUNCTION ch_funnel(scenario_name text, window_length interval, steps journey_stage[], mode text[] DEFAULT '{}')
RETURNS TABLE (deal bigint, depth integer, onepass_agrees boolean) LANGUAGE sql AS $$
	SELECT x.deal, x.depth,
	       (SELECT count(*) FILTER (WHERE r.deals = 1) = x.depth AND count(*) FILTER (WHERE r.deals > 1) = 0
	          FROM window_funnel_report(x.counts) r)
	  FROM (SELECT e.deal, (window_funnel(timeline(e.stage, e.at), window_length, steps, mode)).depth,
	               window_funnel(e.deal, e.stage, e.at, window_length, steps, mode) AS counts
	          FROM ch_events e WHERE e.scenario = scenario_name GROUP BY e.deal) x
	 ORDER BY x.deal
$$;

-- funnel_test: (0,1000),(1,1001),...,(8,1008)
INSERT INTO ch_events SELECT 'funnel_test', 1, ch_stage(1000 + k), ch_at(k) FROM generate_series(0, 8) k;
SELECT 1 AS clickhouse, * FROM ch_funnel('funnel_test', '10000 seconds', ARRAY[ch_stage(1000)]);
SELECT 2 AS clickhouse, * FROM ch_funnel('funnel_test', '10000 seconds', ARRAY[ch_stage(1000), ch_stage(1001)]);
SELECT 3 AS clickhouse, * FROM ch_funnel('funnel_test', '10000 seconds', ARRAY[ch_stage(1000), ch_stage(1001), ch_stage(1002)]);
SELECT 4 AS clickhouse, * FROM ch_funnel('funnel_test', '10000 seconds', ARRAY[ch_stage(1000), ch_stage(1001), ch_stage(1002), ch_stage(1008)]);
SELECT 1 AS clickhouse, * FROM ch_funnel('funnel_test', '1 second', ARRAY[ch_stage(1000)]);
SELECT 3 AS clickhouse, * FROM ch_funnel('funnel_test', '2 seconds', ARRAY(SELECT ch_stage(e) FROM generate_series(1003, 1007) e));
SELECT 4 AS clickhouse, * FROM ch_funnel('funnel_test', '3 seconds', ARRAY(SELECT ch_stage(e) FROM generate_series(1003, 1007) e));
SELECT 5 AS clickhouse, * FROM ch_funnel('funnel_test', '4 seconds', ARRAY(SELECT ch_stage(e) FROM generate_series(1003, 1007) e));

-- funnel_test2: 1001..1008 at 2018-01-01 01:01:01..08
INSERT INTO ch_events SELECT 'funnel_test2', 1, ch_stage(1000 + k), ch_at(3660 + k) FROM generate_series(1, 8) k;
SELECT 5 AS clickhouse, * FROM ch_funnel('funnel_test2', '4 seconds', ARRAY(SELECT ch_stage(e) FROM generate_series(1003, 1007) e));
SELECT 2 AS clickhouse, * FROM ch_funnel('funnel_test2', '10000 seconds', ARRAY[ch_stage(1001), ch_stage(1008)]);
SELECT 1 AS clickhouse, * FROM ch_funnel('funnel_test2', '10000 seconds', ARRAY[ch_stage(1008), ch_stage(1001)]);

-- funnel_test_u64: times 1e14 + 1 .. 1e14 + 8, here in microseconds from 1970
INSERT INTO ch_events SELECT 'funnel_test_u64', 1, ch_stage(1000 + k), timestamptz 'epoch' + (1e14 + k) * interval '1 microsecond'
  FROM generate_series(1, 8) k;
SELECT 5 AS clickhouse, * FROM ch_funnel('funnel_test_u64', '4 microseconds', ARRAY(SELECT ch_stage(e) FROM generate_series(1003, 1007) e));
SELECT 2 AS clickhouse, * FROM ch_funnel('funnel_test_u64', '10000 microseconds', ARRAY[ch_stage(1001), ch_stage(1008)]);
SELECT 1 AS clickhouse, * FROM ch_funnel('funnel_test_u64', '10000 microseconds', ARRAY[ch_stage(1008), ch_stage(1001)]);

-- funnel_test_strict: 1005 twice (50, 51)
INSERT INTO ch_events SELECT 'funnel_test_strict', 1, ch_stage(e), ch_at(t)
  FROM (VALUES (0, 1000), (10, 1001), (20, 1002), (30, 1003), (40, 1004), (50, 1005), (51, 1005), (60, 1006),
               (70, 1007), (80, 1008)) v(t, e);
SELECT 6 AS clickhouse, * FROM ch_funnel('funnel_test_strict', '10000 seconds', ARRAY(SELECT ch_stage(e) FROM generate_series(1000, 1006) e),
                                         '{strict_deduplication}');
SELECT 7 AS clickhouse, * FROM ch_funnel('funnel_test_strict', '10000 seconds', ARRAY(SELECT ch_stage(e) FROM generate_series(1000, 1006) e));

-- funnel_test_strict_order: users 1-7
INSERT INTO ch_events SELECT 'strict_order', u, ch_letter(e), ch_at(t)
  FROM (VALUES (1, 1, 'a'), (2, 1, 'b'), (3, 1, 'c'),
               (1, 2, 'a'), (2, 2, 'd'), (3, 2, 'b'), (4, 2, 'c'),
               (1, 3, 'a'), (2, 3, 'a'), (3, 3, 'b'), (4, 3, 'b'), (5, 3, 'c'), (6, 3, 'c'),
               (1, 4, 'a'), (2, 4, 'a'), (3, 4, 'a'), (4, 4, 'a'), (5, 4, 'b'), (6, 4, 'b'), (7, 4, 'c'), (8, 4, 'c'),
               (1, 5, 'a'), (2, 5, 'a'), (3, 5, 'b'), (4, 5, 'b'), (5, 5, 'd'), (6, 5, 'c'), (7, 5, 'c'),
               (1, 6, 'c'), (2, 6, 'c'), (3, 6, 'b'), (4, 6, 'b'), (5, 6, 'a'), (6, 6, 'a')) v(t, u, e);
-- ClickHouse: 3 3 3 3 3 1
SELECT * FROM ch_funnel('strict_order', '86400 seconds', '{explore,define,select}') WHERE deal <= 6;
-- ClickHouse: 3 1 3 3 2 1
SELECT * FROM ch_funnel('strict_order', '86400 seconds', '{explore,define,select}', '{strict_order}') WHERE deal <= 6;
-- ClickHouse: 3 1 2 2 2 1
SELECT * FROM ch_funnel('strict_order', '86400 seconds', '{explore,define,select}', '{strict_deduplication,strict_order}') WHERE deal <= 6;
INSERT INTO ch_events SELECT 'strict_order', 7, ch_letter(e), ch_at(t) FROM (VALUES (1, 'a'), (2, 'c'), (3, 'b')) v(t, e);
-- ClickHouse: 1
SELECT * FROM ch_funnel('strict_order', '10 seconds', '{explore,define,select}', '{strict_order}') WHERE deal = 7;

-- ClickHouse issue 27469 (strict_BiteTheDDDD): a b c b d
INSERT INTO ch_events SELECT 'abcbd', 1, ch_letter(e), ch_at(t) FROM (VALUES (1, 'a'), (2, 'b'), (3, 'c'), (4, 'b'), (5, 'd')) v(t, e);
SELECT 3 AS clickhouse, * FROM ch_funnel('abcbd', '86400 seconds', '{explore,define,select,decide}', '{strict_deduplication}');
-- issue 15 defect 3: strict_order gives 4 (b again is a step, and its step before is reached)
SELECT 4 AS clickhouse, * FROM ch_funnel('abcbd', '86400 seconds', '{explore,define,select,decide}', '{strict_order}');

-- funnel_test_strict_increase: (0,1000),(1,1001),(1,1002),(1,1003),(2,1004)
INSERT INTO ch_events SELECT 'strict_increase', 1, ch_stage(e), ch_at(t)
  FROM (VALUES (0, 1000), (1, 1001), (1, 1002), (1, 1003), (2, 1004)) v(t, e);
SELECT 5 AS clickhouse, * FROM ch_funnel('strict_increase', '10000 seconds', ARRAY(SELECT ch_stage(e) FROM generate_series(1000, 1004) e));
SELECT 2 AS clickhouse, * FROM ch_funnel('strict_increase', '10000 seconds', ARRAY(SELECT ch_stage(e) FROM generate_series(1000, 1004) e),
                                         '{strict_increase}');
-- one event meets all three steps: it stands for all three, unless strict_once or strict_increase
SELECT 3 AS clickhouse, * FROM ch_funnel('strict_increase', '10000 seconds', ARRAY[ch_stage(1004), ch_stage(1004), ch_stage(1004)]);
SELECT 1 AS clickhouse, * FROM ch_funnel('strict_increase', '10000 seconds', ARRAY[ch_stage(1004), ch_stage(1004), ch_stage(1004)], '{strict_once}');
SELECT 1 AS clickhouse, * FROM ch_funnel('strict_increase', '10000 seconds', ARRAY[ch_stage(1004), ch_stage(1004), ch_stage(1004)], '{strict_increase}');

-- strict_once: failure, failure, success (lost, lost, realize); uid 123, 234, 345
INSERT INTO ch_events SELECT 'strict_once', uid, CASE WHEN result = 'failure' THEN 'lost' ELSE 'realize' END::journey_stage, ch_at(t)
  FROM (VALUES (100, 'failure', 234), (200, 'success', 345), (210, 'failure', 345), (230, 'success', 345),
               (250, 'failure', 234), (180, 'failure', 123), (220, 'failure', 123), (250, 'success', 123)) v(t, result, uid);
-- ClickHouse: 123 3, 234 2, 345 1 (each of the three)
SELECT * FROM ch_funnel('strict_once', '200 seconds', '{lost,lost,realize}', '{strict_once,strict_increase}');
SELECT * FROM ch_funnel('strict_once', '200 seconds', '{lost,lost,realize}', '{strict_once}');
SELECT * FROM ch_funnel('strict_once', '200 seconds', '{lost,lost,realize}', '{strict_once,strict_deduplication}');

-- allow_reentry: users 1-5
INSERT INTO ch_events SELECT 'allow_reentry', u, ch_letter(e), ch_at(t)
  FROM (VALUES (1, 1, 'a'), (2, 1, 'b'), (3, 1, 'a'), (4, 1, 'c'),
               (1, 2, 'a'), (2, 2, 'b'), (3, 2, 'a'), (4, 2, 'b'), (5, 2, 'c'),
               (1, 3, 'a'), (2, 3, 'b'), (3, 3, 'c'), (4, 3, 'b'), (5, 3, 'd'),
               (1, 4, 'a'), (2, 4, 'c'), (3, 4, 'b'),
               (1, 5, 'a'), (2, 5, 'b'), (3, 5, 'c'), (4, 5, 'a'), (5, 5, 'b'), (6, 5, 'c'), (7, 5, 'd')) v(t, u, e);
-- ClickHouse's source: 3 3 3 1 3 (its stored .reference: 2 2 3 1 3, from before the rework)
SELECT * FROM ch_funnel('allow_reentry', '86400 seconds', '{explore,define,select}', '{strict_order}');
-- ClickHouse's source: 3 3 3 2 3 (stored .reference: 3 3 3 1 3)
SELECT * FROM ch_funnel('allow_reentry', '86400 seconds', '{explore,define,select}', '{strict_order,allow_reentry}');
-- ClickHouse's source: 3 3 4 1 4 (stored .reference: 2 2 4 1 3)
SELECT * FROM ch_funnel('allow_reentry', '86400 seconds', '{explore,define,select,decide}', '{strict_order}');
-- ClickHouse's source: 3 3 4 2 4 (stored .reference: 3 3 4 1 4)
SELECT * FROM ch_funnel('allow_reentry', '86400 seconds', '{explore,define,select,decide}', '{strict_order,allow_reentry}');
-- ClickHouse's source: 3 2 3 2 3 (stored .reference: 3 1 3 1 3; its 1 for user 2 is issue 37177)
SELECT * FROM ch_funnel('allow_reentry', '86400 seconds', '{explore,define,select}', '{strict_order,allow_reentry,strict_deduplication}');

-- funnel_test_ecommerce: begin_checkout, view_product_detail, complete_payment as select, define, realize
INSERT INTO ch_events SELECT 'ecommerce', u, (CASE a WHEN 'begin_checkout' THEN 'select' WHEN 'view_product_detail' THEN 'define'
                                              ELSE 'realize' END)::journey_stage, ch_at(t)
  FROM (VALUES (100, 1, 'begin_checkout'), (200, 1, 'view_product_detail'), (300, 1, 'begin_checkout'), (400, 1, 'complete_payment'),
               (100, 2, 'begin_checkout'), (200, 2, 'view_product_detail'), (250, 2, 'view_product_detail'),
               (300, 2, 'begin_checkout'), (400, 2, 'complete_payment'),
               (100, 3, 'begin_checkout'), (200, 3, 'view_product_detail'), (300, 3, 'complete_payment')) v(t, u, a);
-- ClickHouse's source: 3 3 3 (stored .reference: 2 2 3)
SELECT * FROM ch_funnel('ecommerce', '600 seconds', '{select,define,realize}', '{strict_order}');
-- ClickHouse: 3 3 3
SELECT * FROM ch_funnel('ecommerce', '600 seconds', '{select,define,realize}', '{strict_order,allow_reentry}');
-- a step listed twice; ClickHouse: 1 1 1 (begin_checkout meets steps 1 and 3, and step 3 comes before step 2 is reached)
SELECT * FROM ch_funnel('ecommerce', '600 seconds', '{select,define,select,realize}', '{strict_order}');
-- ClickHouse's source: 4 4 2 (stored .reference: 1 1 1)
SELECT * FROM ch_funnel('ecommerce', '600 seconds', '{select,define,select,realize}', '{strict_order,allow_reentry}');

-- ClickHouse's errors: allow_reentry without strict_order, the old name strict, an unknown mode
SELECT try_sql($$SELECT window_funnel(t, '1 hour', '{explore}', '{allow_reentry}') FROM (SELECT timeline('explore', now()) t) x$$) AS reentry_alone,
       try_sql($$SELECT window_funnel(t, '1 hour', '{explore}', '{strict}') FROM (SELECT timeline('explore', now()) t) x$$) AS old_strict,
       try_sql($$SELECT window_funnel(t, '1 hour', '{explore}', '{fastest}') FROM (SELECT timeline('explore', now()) t) x$$) AS unknown;

DROP TABLE ch_events;
DROP FUNCTION ch_funnel(text, interval, journey_stage[], text[]);
DROP FUNCTION ch_at(numeric);
DROP FUNCTION ch_stage(int);
DROP FUNCTION ch_letter(text);
