
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

-- A horizontal bar chart: one row per bar, label on the left, bar, then a
-- value label after it.  rows: (label, fraction 0..1, value text, colour).
CREATE FUNCTION @extschema@.svg_bar_chart(title text, labels text[], fractions double precision[],
	value_labels text[], colours text[]) RETURNS text
	LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	width constant integer := 640;
	bar_left constant integer := 130;
	bar_room constant integer := 380;
	row_height constant integer := 30;
	top integer := CASE WHEN title IS NULL THEN 10 ELSE 44 END;
	n integer := coalesce(cardinality(labels), 0);
	height integer := top + n * row_height + 10;
	svg text;
	y integer;
	w integer;
BEGIN
	svg := format('<svg xmlns="http://www.w3.org/2000/svg" width="%s" height="%s" viewBox="0 0 %s %s" '
	              'font-family="DejaVu Sans, Arial, sans-serif" font-size="13">', width, height, width, height)
	    || format('<rect width="%s" height="%s" fill="#ffffff"/>', width, height);
	IF title IS NOT NULL THEN
		svg := svg || format('<text x="10" y="28" font-size="17" font-weight="bold" fill="#222222">%s</text>',
		                     @extschema@.xml_escape(title));
	END IF;
	FOR i IN 1 .. n LOOP
		y := top + (i - 1) * row_height;
		w := round(greatest(least(coalesce(fractions[i], 0), 1), 0) * bar_room)::integer;
		svg := svg
		    || format('<text x="%s" y="%s" text-anchor="end" fill="#333333">%s</text>',
		              bar_left - 8, y + 19, @extschema@.xml_escape(labels[i]))
		    || format('<rect class="bar" data-label="%s" x="%s" y="%s" width="%s" height="%s" fill="%s"/>',
		              @extschema@.xml_escape(labels[i]), bar_left, y + 4, w, row_height - 8, colours[i])
		    || format('<text x="%s" y="%s" fill="#333333">%s</text>',
		              bar_left + w + 6, y + 19, @extschema@.xml_escape(value_labels[i]));
	END LOOP;
	RETURN svg || '</svg>';
END $$;
COMMENT ON FUNCTION @extschema@.svg_bar_chart(text, text[], double precision[], text[], text[]) IS
	'an SVG horizontal bar chart (the layout behind funnel_svg and time_in_stage_svg)';

CREATE FUNCTION @extschema@.funnel_svg(f @extschema@.funnel, title text DEFAULT NULL,
	count_skipped boolean DEFAULT false) RETURNS text
	LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	r record;
BEGIN
	IF f IS NULL THEN
		RETURN NULL;
	END IF;
	-- open stages in blue, realize (won) in green, lost in red, no decision in grey
	SELECT array_agg(@extschema@.label(x.stage, 'en') ORDER BY x.stage) AS labels,
	       array_agg(x.entered::double precision / nullif(x.top, 0) ORDER BY x.stage) AS fractions,
	       array_agg(x.entered || CASE WHEN x.cumulative IS NULL THEN ''
	                                   ELSE ' (' || round((100 * x.cumulative)::numeric, 1) || '%)' END ORDER BY x.stage) AS vals,
	       array_agg(CASE x.stage::text WHEN 'realize' THEN '#2e8b57' WHEN 'lost' THEN '#c0392b'
	                              WHEN 'no_decision' THEN '#8c8c8c' ELSE '#3b6fb6' END ORDER BY x.stage) AS colours
	  INTO r
	  FROM (SELECT rep.stage, rep.entered, rep.cumulative, max(rep.entered) OVER () AS top
	          FROM @extschema@.funnel_report(f, count_skipped) AS rep) AS x;
	RETURN @extschema@.svg_bar_chart(title, r.labels, r.fractions, r.vals, r.colours);
END $$;
COMMENT ON FUNCTION @extschema@.funnel_svg(@extschema@.funnel, text, boolean) IS
	'an SVG chart of the funnel: deals entered per stage (share of all deals), won, lost and no decision in their own colours';

CREATE FUNCTION @extschema@.time_in_stage_svg(d @extschema@.stage_durations, title text DEFAULT NULL) RETURNS text
	LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	r record;
BEGIN
	IF d IS NULL THEN
		RETURN NULL;
	END IF;
	SELECT array_agg(@extschema@.label(x.stage, 'en') ORDER BY x.stage) AS labels,
	       array_agg(x.days / nullif(x.top, 0) ORDER BY x.stage) AS fractions,
	       array_agg(round(x.days::numeric, 1) || ' days (' || x.visits || CASE WHEN x.visits = 1 THEN ' visit)' ELSE ' visits)' END ORDER BY x.stage) AS vals,
	       array_agg('#3b6fb6'::text ORDER BY x.stage) AS colours
	  INTO r
	  FROM (SELECT rep.stage, rep.visits, extract(epoch FROM rep.avg_visit)::double precision / 86400 AS days,
	               max(extract(epoch FROM rep.avg_visit)::double precision / 86400) OVER () AS top
	          FROM @extschema@.time_in_stage_report(d) AS rep) AS x;
	RETURN @extschema@.svg_bar_chart(title, r.labels, r.fractions, r.vals, r.colours);
END $$;
COMMENT ON FUNCTION @extschema@.time_in_stage_svg(@extschema@.stage_durations, text) IS
	'an SVG chart of the mean time of a visit to each stage, in days';
