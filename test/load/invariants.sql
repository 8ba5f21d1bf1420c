-- test/load/invariants.sql - what must hold after any run, crashed or not.
-- One line each: name | value; the script compares with what is expected.
WITH h AS (
	SELECT row_key, seq, from_value, to_value, txid,
	       lag(to_value) OVER (PARTITION BY row_key ORDER BY seq) AS previous
	  FROM deal_history)
SELECT 'history rows whose from_value is not the previous to_value', count(*)
  FROM h WHERE from_value IS DISTINCT FROM previous
UNION ALL
SELECT 'history moves the process does not allow', count(*)
  FROM h WHERE from_value IS NOT NULL
   AND NOT EXISTS (SELECT FROM process_move m WHERE m.process = 'complex'
                     AND m.from_value = h.from_value::text AND m.to_value = h.to_value::text)
UNION ALL
SELECT 'history starts the process does not allow', count(*)
  FROM h WHERE from_value IS NULL
   AND NOT h.to_value::text = ANY ((SELECT initial FROM process WHERE name = 'complex')::text[])
UNION ALL
SELECT 'deals whose stage is not their last history entry', count(*)
  FROM deals d
 WHERE d.stage IS DISTINCT FROM (SELECT to_value FROM deal_history h WHERE h.row_key = d.id::text ORDER BY seq DESC LIMIT 1)
UNION ALL
SELECT 'history rows minus (deals + committed moves)',
       (SELECT count(*) FROM deal_history) - (SELECT count(*) FROM deals) - (SELECT count(*) FROM moves_done)
UNION ALL
SELECT 'committed moves without their history row', count(*)
  FROM moves_done m
 WHERE NOT EXISTS (SELECT FROM deal_history h WHERE h.row_key = m.id::text AND h.txid = m.txid AND h.to_value = m.to_stage)
UNION ALL
SELECT 'transactions with two history rows for one deal', count(*)
  FROM (SELECT row_key, txid FROM deal_history GROUP BY 1, 2 HAVING count(*) > 1) x
UNION ALL
SELECT 'stages where the one-pass funnel''s current count differs from the table', count(*)
  FROM (SELECT stage, current FROM funnel_report((SELECT funnel(row_key::bigint, to_value, changed_at) FROM deal_history))) r
  FULL JOIN (SELECT stage, count(*) AS n FROM deals GROUP BY stage) d USING (stage)
 WHERE coalesce(r.current, 0) <> coalesce(d.n, 0)
UNION ALL
SELECT 'deals where the journey''s last stage differs from the table', count(*)
  FROM (SELECT row_key, journey(to_value, changed_at) AS j FROM deal_history GROUP BY row_key) x
  JOIN deals d ON d.id::text = x.row_key
 WHERE last_stage(x.j) <> d.stage;
