/*
 * buyerjourney: an upgrade script, assembled by the Makefile from the files
 * in schema/ that the new version added.
 */

\echo Use "ALTER EXTENSION buyerjourney UPDATE" to load this file. \quit

-- create_history_table runs with the caller's search_path, on purpose: an
-- unqualified table name goes where the caller's CREATE TABLE would put it.
-- So everything else in it is qualified, operators and the types of its
-- variables included: a schema earlier on that path (even one listed before
-- pg_catalog) cannot supply an operator or a type of its own.  (1.2.0 replaced the 1.0.0 definition,
-- which compared with an unqualified = and named its column types unqualified.)
CREATE OR REPLACE FUNCTION @extschema@.create_history_table(name text, value_type regtype DEFAULT '@extschema@.journey_stage')
	RETURNS regclass LANGUAGE plpgsql AS $$
DECLARE
	qualified pg_catalog.text;
	stored_type pg_catalog.text;
BEGIN
	IF value_type OPERATOR(pg_catalog.=) '@extschema@.journey_stage'::pg_catalog.regtype THEN
		stored_type := '@extschema@.journey_stage';
	ELSIF value_type OPERATOR(pg_catalog.=) '@extschema@.lifecycle_phase'::pg_catalog.regtype THEN
		stored_type := '@extschema@.lifecycle_phase';
	ELSE
		RAISE EXCEPTION 'a history table records journey_stage or lifecycle_phase, not %', value_type
			USING ERRCODE = 'datatype_mismatch';
	END IF;
	SELECT pg_catalog.string_agg(pg_catalog.quote_ident(part), '.' ORDER BY n) INTO qualified
	  FROM pg_catalog.unnest(pg_catalog.parse_ident(name)) WITH ORDINALITY AS p(part, n);
	EXECUTE pg_catalog.format($ddl$
		CREATE TABLE %1$s (
			seq pg_catalog.int8 GENERATED ALWAYS AS IDENTITY,
			table_name pg_catalog.text NOT NULL,
			row_key pg_catalog.text NOT NULL,
			column_name pg_catalog.text NOT NULL,
			from_value %2$s,
			to_value %2$s NOT NULL,
			process pg_catalog.text NOT NULL,
			changed_at pg_catalog.timestamptz NOT NULL,
			changed_by pg_catalog.text NOT NULL,
			txid pg_catalog.xid8 NOT NULL
		)$ddl$, qualified, stored_type);
	-- No index: every index costs each guarded UPDATE a second index insert
	-- (the README shows which to add for which question).
	EXECUTE pg_catalog.format('COMMENT ON TABLE %s IS %L', qualified,
		'buyerjourney transition history: one row per accepted change, in seq order');
	RETURN qualified::pg_catalog.regclass;
END $$;
COMMENT ON FUNCTION @extschema@.create_history_table(text, regtype) IS
	'create a transition history table for enforce_transitions(''history=...'')';

-- Triggers that name a process, as "trigger on table" (for errors).  A SQL
-- body is bound when the function is created, with the search_path of the
-- script, which starts with the extension's schema: so every function and
-- operator in it is qualified, lest an object planted in that schema bind
-- in their place.  (1.2.0 replaced the 1.0.0 definition, whose
-- quote_ident(name) an overload in the extension's schema could take.)
CREATE OR REPLACE FUNCTION @extschema@.triggers_using_process(process text) RETURNS text
	LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
	SELECT pg_catalog.string_agg(pg_catalog.format('%s on %s', pg_catalog.quote_ident(t.tgname::pg_catalog.text),
	                                               t.tgrelid::pg_catalog.regclass), ', ' ORDER BY t.oid)
	  FROM pg_catalog.pg_trigger t
	 WHERE t.tgfoid OPERATOR(pg_catalog.=) '@extschema@.enforce_transitions()'::pg_catalog.regprocedure::pg_catalog.oid
	   AND t.tgparentid OPERATOR(pg_catalog.=) 0::pg_catalog.oid
	   AND ('process=' OPERATOR(pg_catalog.||) process) OPERATOR(pg_catalog.=) ANY
	       (pg_catalog.regexp_split_to_array(pg_catalog.encode(t.tgargs, 'escape'), '\\000'));
END;
COMMENT ON FUNCTION @extschema@.triggers_using_process(text) IS 'transition triggers that name a process (for errors)';

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
