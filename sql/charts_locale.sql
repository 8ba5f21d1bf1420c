-- Charts for readers of Chinese, and text that fits: funnel_svg and
-- time_in_stage_svg speak the locale's language by label's rules and name
-- fonts with CJK glyphs; time_in_stage_svg shows the open stages unless the
-- closed ones are asked for, and those on a scale of their own; a chart is
-- as wide as its text needs.  (test/charts measures the drawn text in
-- Chromium.)
CREATE TABLE cl_events (deal bigint, stage journey_stage, at timestamptz);
-- open stages take days, the closed ones months: deal 1 won, 2 lost
INSERT INTO cl_events VALUES
	(1, 'explore', '2025-01-01'), (1, 'define', '2025-01-05'), (1, 'realize', '2025-01-06'),
	(2, 'explore', '2025-01-01'), (2, 'define', '2025-01-03'), (2, 'lost', '2025-01-11');
CREATE TABLE cl_charts AS
SELECT xmlparse(document funnel_svg(funnel(deal, stage, at), '销售漏斗', locale => 'zh-CN')) AS funnel_hans,
       xmlparse(document funnel_svg(funnel(deal, stage, at), NULL, false, 'zh-Hant-HK')) AS funnel_hant,
       xmlparse(document funnel_svg(funnel(deal, stage, at), NULL, false, 'fr')) AS funnel_other,
       xmlparse(document time_in_stage_svg(time_in_stage(deal, stage, at, '2025-07-01'))) AS time_open,
       xmlparse(document time_in_stage_svg(time_in_stage(deal, stage, at, '2025-07-01'), NULL, 'zh-TW', true)) AS time_all
  FROM cl_events;
CREATE FUNCTION cl_texts(chart xml, path text) RETURNS text LANGUAGE sql AS $$
	SELECT string_agg(v::text, ' | ') FROM unnest(xpath(path, chart, ARRAY[ARRAY['s', 'http://www.w3.org/2000/svg']])) v
$$;

-- label's locale rules, for the charts' own words too
SELECT l, label_language(l) FROM unnest(ARRAY['zh-CN', 'zh-SG', 'zh_Hans', 'zh-TW', 'zh-HK', 'zh-Hant-HK', 'en', 'fr', '', NULL]) l;
-- the stage names in the locale's language, the language and fonts on the picture
SELECT cl_texts(funnel_hans, '//s:rect[@class="bar"]/@data-label') AS hans,
       cl_texts(funnel_hant, '//s:rect[@class="bar"]/@data-label') AS hant,
       cl_texts(funnel_other, '//s:rect[@class="bar"]/@data-label') AS other
  FROM cl_charts;
SELECT cl_texts(funnel_hans, '/s:svg/@xml:lang') AS lang_hans, cl_texts(funnel_hant, '/s:svg/@xml:lang') AS lang_hant,
       cl_texts(funnel_hans, '/s:svg/@font-family') AS fonts_hans, cl_texts(funnel_hant, '/s:svg/@font-family') AS fonts_hant
  FROM cl_charts;
-- By default only the open stages, scaled to the longest (define: 4.5 days);
-- asked for, the closed ones follow under their own heading, scaled to the
-- longest of them (realize: 176 days), in the funnel's colours.
SELECT cl_texts(time_open, '//s:rect[@class="bar"]/@data-label') AS bars,
       cl_texts(time_open, '//s:rect[@class="bar"]/@width') AS widths,
       cl_texts(time_open, '//s:rect[@class="bar"]/following-sibling::s:text[1]/text()') AS values,
       cl_texts(time_open, '//s:text[@class="heading"]/text()') AS headings
  FROM cl_charts;
SELECT cl_texts(time_all, '//s:rect[@class="bar"]/@data-label') AS bars,
       cl_texts(time_all, '//s:rect[@class="bar"]/@width') AS widths,
       cl_texts(time_all, '//s:rect[@class="bar"]/@fill') AS fills,
       cl_texts(time_all, '//s:rect[@class="bar"]/following-sibling::s:text[1]/text()') AS values,
       cl_texts(time_all, '//s:text[@class="heading"]/text()') AS headings
  FROM cl_charts;

-- The picture grows with its text: the 640 px of before would cut these.
SELECT (xpath('/s:svg/@width', c, ARRAY[ARRAY['s', 'http://www.w3.org/2000/svg']]))[1]::text::int AS width,
       (xpath('/s:svg/s:rect[@class="bar"]/@x', c, ARRAY[ARRAY['s', 'http://www.w3.org/2000/svg']]))[1]::text::int AS bar_left,
       (xpath('/s:svg/@viewBox', c, ARRAY[ARRAY['s', 'http://www.w3.org/2000/svg']]))[1]::text AS view_box
  FROM (SELECT xmlparse(document svg_bar_chart(repeat('W', 60), ARRAY['结单以后结单以后结单以后', 'x'], ARRAY[1, 0.5],
                                               ARRAY['106751991.2 days (9999999999 visits)', '1'], ARRAY['#3b6fb6', '#3b6fb6'])) AS c) x;
-- every text's widest estimate ends inside the picture
SELECT bool_and(CASE WHEN t.anchor = 'end' THEN t.x - svg_text_width(t.body, 13) >= 0
                     ELSE t.x + svg_text_width(t.body, CASE WHEN t.size = '' THEN 13 ELSE t.size::int END, t.bold) <= c.width END) AS all_inside,
       count(*) AS texts
  FROM (SELECT x.c, (xpath('/s:svg/@width', x.c, ARRAY[ARRAY['s', 'http://www.w3.org/2000/svg']]))[1]::text::int AS width
          FROM cl_charts, LATERAL (VALUES (funnel_hans), (time_all)) x(c)) c,
       LATERAL (SELECT (xpath('string(/*/@x)', e))[1]::text::int AS x, (xpath('string(/*/@text-anchor)', e))[1]::text AS anchor,
                       (xpath('string(/*/@font-size)', e))[1]::text AS size, (xpath('string(/*/@font-weight)', e))[1]::text = 'bold' AS bold,
                       (xpath('string(.)', e))[1]::text AS body
                  FROM unnest(xpath('//s:text', c.c, ARRAY[ARRAY['s', 'http://www.w3.org/2000/svg']])) e) t;
SELECT round(svg_text_width('abc', 10)::numeric, 1) AS latin, round(svg_text_width('销售', 10)::numeric, 1) AS chinese,
       round(svg_text_width('WM', 10, true)::numeric, 1) AS wide_bold;

-- Bad arguments
SELECT svg_bar_chart(NULL, ARRAY['a'], ARRAY[1], ARRAY['1'], ARRAY['#000000'], NULL, 'fr');
SELECT time_in_stage_svg(time_in_stage(deal, stage, at, '2025-07-01'), NULL, 'en', NULL) FROM cl_events;
SELECT funnel_svg(funnel(deal, stage, at), NULL, NULL) FROM cl_events;
SELECT funnel_svg(NULL, NULL, false, 'zh-CN') IS NULL AS null_funnel, time_in_stage_svg(NULL, NULL, 'zh-CN', true) IS NULL AS null_durations;
DROP FUNCTION cl_texts(xml, text);
DROP TABLE cl_events, cl_charts;
