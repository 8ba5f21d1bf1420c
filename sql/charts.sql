-- Charts: the bar column of funnel_report, unicode_bar, and the SVG charts
-- (well-formed, one bar per stage in order, widths in proportion, titles
-- escaped).  test/charts/test_render.sh checks the pictures in a browser.
CREATE TABLE chart_events (deal bigint, stage journey_stage, at timestamptz);
-- 8 deals reach explore, 4 of them define, 2 select, 1 decide and realize;
-- 2 are lost at explore and 1 ends with no decision at define.
INSERT INTO chart_events
SELECT d, s.stage, '2025-01-01'::timestamptz + d * interval '1 day' + s.n * interval '2 days'
  FROM generate_series(1, 8) d,
       LATERAL (SELECT n, (ARRAY['explore','define','select','decide','realize'])[n + 1]::journey_stage AS stage
                  FROM generate_series(0, 4) n
                 WHERE n < CASE WHEN d = 1 THEN 5 WHEN d = 2 THEN 3 WHEN d <= 4 THEN 2 ELSE 1 END) s;
INSERT INTO chart_events VALUES (7, 'lost', '2025-03-01'), (8, 'lost', '2025-03-01'), (4, 'no_decision', '2025-03-01');

-- Bars of 16 characters for the largest stage (8 deals): 4 deals is 8
-- blocks, 1 deal 2 blocks, 2 deals 4 blocks, 3 deals 6; no bar for 0.
SELECT stage, entered, bar, length(bar) AS chars
  FROM funnel_report((SELECT funnel(deal, stage, at) FROM chart_events), false, 16);
-- Eighth blocks for what does not fill a block.
SELECT f, unicode_bar(f, 4) AS bar FROM (VALUES (0.0), (0.03), (0.125), (0.5), (0.97), (1.0), (1.5)) v(f);
-- Widths out of range.
SELECT * FROM funnel_report((SELECT funnel(deal, stage, at) FROM chart_events), false, 0);
SELECT unicode_bar(0.5, 1001);

-- The SVG: well-formed, its size given, one bar per stage in stage order,
-- widths in proportion to the deals entered, won/lost/no decision coloured
-- apart, the title escaped.
CREATE TABLE charts AS
SELECT xmlparse(document funnel_svg(funnel(deal, stage, at), 'Q1 <EMEA> & "partners"')) AS funnel_chart,
       xmlparse(document time_in_stage_svg(time_in_stage(deal, stage, at, '2025-04-01'))) AS time_chart
  FROM chart_events;
SELECT (xpath('/s:svg/@width', funnel_chart, ARRAY[ARRAY['s', 'http://www.w3.org/2000/svg']]))[1]::text AS width,
       (xpath('/s:svg/@height', funnel_chart, ARRAY[ARRAY['s', 'http://www.w3.org/2000/svg']]))[1]::text AS height,
       (xpath('/s:svg/s:text[1]/text()', funnel_chart, ARRAY[ARRAY['s', 'http://www.w3.org/2000/svg']]))[1]::text AS title_markup,
       (xpath('string(/s:svg/s:text[1])', funnel_chart, ARRAY[ARRAY['s', 'http://www.w3.org/2000/svg']]))[1]::text AS title
  FROM charts;
SELECT n, b.label, b.width, b.fill
  FROM charts,
       LATERAL unnest(xpath('//s:rect[@class="bar"]/@data-label', funnel_chart, ARRAY[ARRAY['s', 'http://www.w3.org/2000/svg']])::text[],
                      xpath('//s:rect[@class="bar"]/@width', funnel_chart, ARRAY[ARRAY['s', 'http://www.w3.org/2000/svg']])::text[],
                      xpath('//s:rect[@class="bar"]/@fill', funnel_chart, ARRAY[ARRAY['s', 'http://www.w3.org/2000/svg']])::text[])
               WITH ORDINALITY AS b(label, width, fill, n);
SELECT n, b.label, b.value
  FROM charts,
       LATERAL unnest(xpath('//s:rect[@class="bar"]/@data-label', time_chart, ARRAY[ARRAY['s', 'http://www.w3.org/2000/svg']])::text[],
                      xpath('//s:rect[@class="bar"]/following-sibling::s:text[1]/text()', time_chart, ARRAY[ARRAY['s', 'http://www.w3.org/2000/svg']])::text[])
               WITH ORDINALITY AS b(label, value, n);
-- No title, no title element; NULL in, NULL out.
SELECT xpath('count(/s:svg/s:text)', xmlparse(document funnel_svg(funnel(deal, stage, at))), ARRAY[ARRAY['s', 'http://www.w3.org/2000/svg']]) AS texts_without_title,
       funnel_svg(NULL) IS NULL AS null_funnel, time_in_stage_svg(NULL) IS NULL AS null_durations
  FROM chart_events;
DROP TABLE chart_events, charts;
