
-- Charts (1.2.0): a bar column that reads well in psql, and SVG charts that a
-- web page, Grafana or Metabase can show.  They only lay out what the report
-- functions compute, so they are PL/pgSQL, with search_path pinned.

-- A bar of fraction (0..1) of width characters: full blocks, then an eighth
-- block for the remainder, so that close values still look different.
CREATE FUNCTION @extschema@.unicode_bar(fraction double precision, width integer) RETURNS text
	LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	eighths integer;
BEGIN
	IF width IS NULL OR width < 1 OR width > 1000 THEN
		RAISE EXCEPTION 'a bar is 1 to 1000 characters wide, not %', width
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF fraction IS NULL OR fraction <= 0 THEN
		RETURN '';
	END IF;
	eighths := round(least(fraction, 1) * width * 8)::integer;
	RETURN repeat('█', eighths / 8) || CASE WHEN eighths % 8 = 0 THEN '' ELSE substr('▏▎▍▌▋▊▉', eighths % 8, 1) END;
END $$;
COMMENT ON FUNCTION @extschema@.unicode_bar(double precision, integer) IS
	'a text bar of fraction (0 to 1) of width characters, in Unicode blocks and eighth blocks';

CREATE FUNCTION @extschema@.funnel_report(f @extschema@.funnel, count_skipped boolean, bar_width integer,
	OUT stage @extschema@.journey_stage, OUT entered bigint, OUT moved_on bigint,
	OUT conversion double precision, OUT cumulative double precision, OUT current bigint, OUT bar text)
	RETURNS SETOF record LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	PERFORM @extschema@.unicode_bar(1, bar_width);	-- checks the width even for an empty funnel
	RETURN QUERY
	SELECT r.stage, r.entered, r.moved_on, r.conversion, r.cumulative, r.current,
	       @extschema@.unicode_bar(r.entered::double precision / nullif(max(r.entered) OVER (), 0), bar_width)
	  FROM @extschema@.funnel_report(f, count_skipped) AS r;
END $$;
COMMENT ON FUNCTION @extschema@.funnel_report(@extschema@.funnel, boolean, integer) IS
	'funnel_report with a last column bar: deals entered as a Unicode bar, bar_width characters for the largest stage';

-- Text for XML content and attributes.
CREATE FUNCTION @extschema@.xml_escape(t text) RETURNS text
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
	SELECT pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(
	       t, '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), '"', '&quot;'), '''', '&apos;');
END;
COMMENT ON FUNCTION @extschema@.xml_escape(text) IS 'text escaped for XML content and attribute values';

-- @begin charts-1.3.0  (also the update to 1.3.0: scripts/include_regions.awk)
-- Which labels label(value, locale) gives for a locale: the same rules, read
-- off label() itself, so that a chart's own words follow its stage names.
CREATE FUNCTION @extschema@.label_language(locale text) RETURNS text
	LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
	SELECT CASE @extschema@.label('unaware'::@extschema@.journey_stage, coalesce(locale, ''))
	       WHEN @extschema@.label('unaware'::@extschema@.journey_stage, 'zh-Hans') THEN 'zh-Hans'
	       WHEN @extschema@.label('unaware'::@extschema@.journey_stage, 'zh-Hant') THEN 'zh-Hant'
	       ELSE 'en' END
$$;
COMMENT ON FUNCTION @extschema@.label_language(text) IS
	'the language label(value, locale) speaks for a locale: en, zh-Hans or zh-Hant (English for NULL, empty or unknown)';

-- How wide a text may draw, in pixels, at a font size: an upper bound per
-- character (DejaVu Sans for Latin, a CJK font for the rest; bold up to 12%
-- wider), so that a chart sized by it holds its text in any font it names.
CREATE FUNCTION @extschema@.svg_text_width(t text, font_size double precision, bold boolean DEFAULT false)
	RETURNS double precision LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
	SELECT coalesce(sum(CASE WHEN c = ' ' THEN 0.35
	                         WHEN c ~ '^[0-9a-ln-vx-z.,:;()''/-]$' THEN 0.66
	                         ELSE 1.0 END), 0) * font_size * CASE WHEN bold THEN 1.12 ELSE 1 END
	  FROM regexp_split_to_table(t, '') AS c
$$;
COMMENT ON FUNCTION @extschema@.svg_text_width(text, double precision, boolean) IS
	'an upper bound of the width text draws in the charts'' fonts, in pixels (CJK and other wide characters a full em)';

-- A horizontal bar chart: one row per bar, label on the left, bar, then a
-- value label after it.  rows: (label, fraction 0..1, value text, colour);
-- headings[i], when given, is a line above row i (a group of bars on a scale
-- of its own).  The picture is as wide as its longest text needs, at least
-- 640 px, and the bars have the same room whatever the labels.
CREATE FUNCTION @extschema@.svg_bar_chart(title text, labels text[], fractions double precision[],
	value_labels text[], colours text[], headings text[] DEFAULT NULL, lang text DEFAULT 'en') RETURNS text
	LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	font_size constant integer := 13;
	title_size constant integer := 17;
	bar_room constant integer := 380;
	row_height constant integer := 30;
	heading_height constant integer := 26;
	n integer := coalesce(cardinality(labels), 0);
	bar_left integer := 130;
	top integer := CASE WHEN title IS NULL THEN 10 ELSE 44 END;
	width double precision := 640;
	height integer;
	fonts text;
	body text := '';
	y integer;
	w integer;
BEGIN
	IF lang IS NULL OR lang NOT IN ('en', 'zh-Hans', 'zh-Hant') THEN
		RAISE EXCEPTION 'a chart''s language is en, zh-Hans or zh-Hant, not %', coalesce(lang, 'NULL')
			USING ERRCODE = 'invalid_parameter_value', HINT = 'label_language(locale) gives it for a locale.';
	END IF;
	-- Latin in DejaVu Sans; Chinese in a font of the script's own glyph forms
	fonts := 'DejaVu Sans, ' || CASE lang
		WHEN 'zh-Hant' THEN '''Noto Sans CJK TC'', ''Source Han Sans TC'', ''PingFang TC'', ''Microsoft JhengHei'''
		ELSE '''Noto Sans CJK SC'', ''Source Han Sans SC'', ''PingFang SC'', ''Microsoft YaHei''' END
		|| ', Arial, sans-serif';
	FOR i IN 1 .. n LOOP
		bar_left := greatest(bar_left, ceil(10 + @extschema@.svg_text_width(coalesce(labels[i], ''), font_size) + 8)::integer);
	END LOOP;
	IF title IS NOT NULL THEN
		width := greatest(width, 10 + @extschema@.svg_text_width(title, title_size, true) + 10);
	END IF;
	y := top;
	FOR i IN 1 .. n LOOP
		IF headings[i] IS NOT NULL THEN
			body := body || format('<text class="heading" x="10" y="%s" font-weight="bold" fill="#555555">%s</text>',
			                       y + 18, @extschema@.xml_escape(headings[i]));
			width := greatest(width, 10 + @extschema@.svg_text_width(headings[i], font_size, true) + 10);
			y := y + heading_height;
		END IF;
		w := round(greatest(least(coalesce(fractions[i], 0), 1), 0) * bar_room)::integer;
		body := body
		    || format('<text x="%s" y="%s" text-anchor="end" fill="#333333">%s</text>',
		              bar_left - 8, y + 19, @extschema@.xml_escape(labels[i]))
		    || format('<rect class="bar" data-label="%s" x="%s" y="%s" width="%s" height="%s" fill="%s"/>',
		              @extschema@.xml_escape(labels[i]), bar_left, y + 4, w, row_height - 8, colours[i])
		    || format('<text x="%s" y="%s" fill="#333333">%s</text>',
		              bar_left + w + 6, y + 19, @extschema@.xml_escape(value_labels[i]));
		width := greatest(width, bar_left + w + 6 + @extschema@.svg_text_width(coalesce(value_labels[i], ''), font_size) + 10);
		y := y + row_height;
	END LOOP;
	height := y + 10;
	RETURN format('<svg xmlns="http://www.w3.org/2000/svg" xml:lang="%s" width="%s" height="%s" viewBox="0 0 %s %s" '
	              'font-family="%s" font-size="%s">', lang, ceil(width), height, ceil(width), height, fonts, font_size)
	    || format('<rect width="%s" height="%s" fill="#ffffff"/>', ceil(width), height)
	    || CASE WHEN title IS NULL THEN ''
	            ELSE format('<text x="10" y="28" font-size="%s" font-weight="bold" fill="#222222">%s</text>',
	                        title_size, @extschema@.xml_escape(title)) END
	    || body || '</svg>';
END $$;
COMMENT ON FUNCTION @extschema@.svg_bar_chart(text, text[], double precision[], text[], text[], text[], text) IS
	'an SVG horizontal bar chart (the layout behind funnel_svg and time_in_stage_svg), as wide as its text needs, headings over groups of bars, fonts for the language (en, zh-Hans, zh-Hant)';

CREATE FUNCTION @extschema@.funnel_svg(f @extschema@.funnel, title text DEFAULT NULL,
	count_skipped boolean DEFAULT false, locale text DEFAULT 'en') RETURNS text
	LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	lang constant text := @extschema@.label_language(locale);
	r record;
BEGIN
	IF f IS NULL THEN
		RETURN NULL;
	END IF;
	IF count_skipped IS NULL THEN
		RAISE EXCEPTION 'count_skipped must be true or false, not NULL' USING ERRCODE = 'null_value_not_allowed';
	END IF;
	-- open stages in blue, realize (won) in green, lost in red, no decision in grey
	SELECT array_agg(@extschema@.label(x.stage, lang) ORDER BY x.stage) AS labels,
	       array_agg(x.entered::double precision / nullif(x.top, 0) ORDER BY x.stage) AS fractions,
	       array_agg(x.entered || CASE WHEN x.cumulative IS NULL THEN ''
	                                   ELSE ' (' || round((100 * x.cumulative)::numeric, 1) || '%)' END ORDER BY x.stage) AS vals,
	       array_agg(CASE x.stage::text WHEN 'realize' THEN '#2e8b57' WHEN 'lost' THEN '#c0392b'
	                              WHEN 'no_decision' THEN '#8c8c8c' ELSE '#3b6fb6' END ORDER BY x.stage) AS colours
	  INTO r
	  FROM (SELECT rep.stage, rep.entered, rep.cumulative, max(rep.entered) OVER () AS top
	          FROM @extschema@.funnel_report(f, count_skipped) AS rep) AS x;
	RETURN @extschema@.svg_bar_chart(title, r.labels, r.fractions, r.vals, r.colours, NULL, lang);
END $$;
COMMENT ON FUNCTION @extschema@.funnel_svg(@extschema@.funnel, text, boolean, text) IS
	'an SVG chart of the funnel: deals entered per stage (share of all deals), won, lost and no decision in their own colours; stage names in the locale''s language (as label)';

-- The open stages by default: time "in" realize, lost and no_decision is
-- time since the deal closed, months where an open stage takes days, so those
-- bars are shown only when asked, under a heading of their own and scaled to
-- the longest of them.
CREATE FUNCTION @extschema@.time_in_stage_svg(d @extschema@.stage_durations, title text DEFAULT NULL,
	locale text DEFAULT 'en', closed_stages boolean DEFAULT false) RETURNS text
	LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	lang constant text := @extschema@.label_language(locale);
	r record;
BEGIN
	IF d IS NULL THEN
		RETURN NULL;
	END IF;
	IF closed_stages IS NULL THEN
		RAISE EXCEPTION 'closed_stages must be true or false, not NULL' USING ERRCODE = 'null_value_not_allowed';
	END IF;
	SELECT array_agg(@extschema@.label(x.stage, lang) ORDER BY x.stage) AS labels,
	       array_agg(x.days / nullif(x.top, 0) ORDER BY x.stage) AS fractions,
	       array_agg(format(CASE lang WHEN 'en' THEN CASE WHEN x.visits = 1 THEN '%s days (%s visit)' ELSE '%s days (%s visits)' END
	                                  ELSE '%s 天（%s 次）' END,
	                        round(x.days::numeric, 1), x.visits) ORDER BY x.stage) AS vals,
	       array_agg(CASE x.stage::text WHEN 'realize' THEN '#2e8b57' WHEN 'lost' THEN '#c0392b'
	                              WHEN 'no_decision' THEN '#8c8c8c' ELSE '#3b6fb6' END ORDER BY x.stage) AS colours,
	       array_agg(CASE WHEN NOT closed_stages OR x.rank > 1 THEN NULL
	                      WHEN x.closed THEN CASE lang WHEN 'zh-Hans' THEN '结单以后（单独刻度）'
	                                                   WHEN 'zh-Hant' THEN '結單以後（單獨刻度）'
	                                                   ELSE 'Since the deal closed (a scale of its own)' END
	                      ELSE CASE lang WHEN 'zh-Hans' THEN '进行中的阶段' WHEN 'zh-Hant' THEN '進行中的階段'
	                                     ELSE 'Open stages' END END ORDER BY x.stage) AS headings
	  INTO r
	  FROM (SELECT y.*, max(y.days) OVER (PARTITION BY y.closed) AS top, row_number() OVER (PARTITION BY y.closed ORDER BY y.stage) AS rank
	          FROM (SELECT rep.stage, rep.visits, extract(epoch FROM rep.avg_visit)::double precision / 86400 AS days,
	                       rep.stage::text IN ('realize', 'lost', 'no_decision') AS closed
	                  FROM @extschema@.time_in_stage_report(d) AS rep) AS y
	         WHERE closed_stages OR NOT y.closed) AS x;
	RETURN @extschema@.svg_bar_chart(title, r.labels, r.fractions, r.vals, r.colours, r.headings, lang);
END $$;
COMMENT ON FUNCTION @extschema@.time_in_stage_svg(@extschema@.stage_durations, text, text, boolean) IS
	'an SVG chart of the mean time of a visit to each open stage, in days; with closed_stages, realize, lost and no_decision (time since the deal closed) too, on a scale of their own; words in the locale''s language (as label)';
-- @end charts-1.3.0
