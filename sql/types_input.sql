--
-- Text input of journey_stage and lifecycle_phase: every value in every
-- accepted spelling, and every way to be rejected (with its SQLSTATE).
--
CREATE EXTENSION buyerjourney;

-- Helpers for this and later tests.
-- try_sql: 'ok: <first column>' or '<SQLSTATE>: <message>' for a query.
CREATE FUNCTION try_sql(query text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	result text;
BEGIN
	EXECUTE query INTO result;
	RETURN 'ok: ' || result;
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE || ': ' || SQLERRM;
END $$;
-- try_exec: 'ok: <rows> rows' or '<SQLSTATE>: <message>' for a command.
CREATE FUNCTION try_exec(command text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	n bigint;
BEGIN
	EXECUTE command;
	GET DIAGNOSTICS n = ROW_COUNT;
	RETURN format('ok: %s rows', n);
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE || ': ' || SQLERRM;
END $$;
-- try_input: the same for a text cast to a type.
CREATE FUNCTION try_input(input text, typ regtype) RETURNS text LANGUAGE sql AS $$
	SELECT try_sql(format('SELECT %L::%s::text', input, typ))
$$;
-- fullwidth: ASCII letters and '_' as their full-width forms (U+FF01..U+FF5E).
CREATE FUNCTION fullwidth(s text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
	SELECT string_agg(chr(ascii(c) + 65248), '' ORDER BY i)
	  FROM unnest(string_to_array(s, NULL)) WITH ORDINALITY AS u(c, i)
$$;

-- Every journey_stage in every spelling parses to itself.
SELECT value,
       name::journey_stage = value AS lower,
       upper(name)::journey_stage = value AS upper,
       initcap(name)::journey_stage = value AS initcap,
       (E' \t' || upper(name) || E'\n ')::journey_stage = value AS padded,
       fullwidth(upper(name))::journey_stage = value AS fullwidth,
       label_zh_hans::journey_stage = value AS zh_hans,
       label_zh_hant::journey_stage = value AS zh_hant,
       (U&'\3000' || label_zh_hant || ' ')::journey_stage = value AS ideographic_space
  FROM journey_stages() ORDER BY ordinal;

-- The same for lifecycle_phase.
SELECT value,
       name::lifecycle_phase = value AS lower,
       upper(name)::lifecycle_phase = value AS upper,
       (E' \t' || upper(name) || E'\n ')::lifecycle_phase = value AS padded,
       fullwidth(name)::lifecycle_phase = value AS fullwidth,
       label_zh_hans::lifecycle_phase = value AS zh_hans,
       label_zh_hant::lifecycle_phase = value AS zh_hant
  FROM lifecycle_phases() ORDER BY ordinal;

-- Other compatibility forms fold too: a ligature, a long s, a zero-width space.
SELECT try_input(U&'de\FB01ne', 'journey_stage') AS ligature_fi,
       try_input(U&'\017Felect', 'journey_stage') AS long_s,
       try_input(U&'exp\200Blore', 'journey_stage') AS zero_width_space,
       try_input(U&'\FF2C\FF2F\FF33\FF34', 'journey_stage') AS fullwidth_lost;

-- NULL in, NULL out.
SELECT NULL::journey_stage IS NULL AS stage_null, NULL::lifecycle_phase IS NULL AS phase_null;

-- The full error: message quoting the input, detail listing the values, hint.
SELECT 'Qualify'::journey_stage;
SELECT '探索'::lifecycle_phase;

-- Rejections, each with SQLSTATE 22P02.
SELECT input, try_input(input, 'journey_stage') AS result
  FROM unnest(ARRAY['', '   ', 'explor', 'explores', 'ex plore', 'no decision',
                    'no-decision', '0', '7', 'realise', 'won', '探', '探索探索',
                    '引入期', U&'lost\0301', E'lost\u00e9', 'growth']) AS input;
SELECT input, try_input(input, 'lifecycle_phase') AS result
  FROM unnest(ARRAY['', 'explore', 'grow', 'churn', '成長', '成长期期']) AS input;

-- Garbage of any length is rejected without reading out of bounds; the message
-- quotes at most 64 bytes of it.  White space of any length is trimmed
-- (ASCII and Unicode spaces); non-ASCII content over 1024 bytes cannot be a
-- label and is rejected unread.
SELECT try_input(repeat('x', 100000), 'journey_stage') AS long_ascii;
SELECT try_input(repeat('探', 100000), 'journey_stage') AS long_chinese;
SELECT try_input(repeat(' ', 5000) || 'Lost' || repeat(E'\t', 5000), 'journey_stage') AS long_padding;
SELECT try_input(repeat(U&'\3000', 2000) || '探索', 'journey_stage') AS long_unicode_padding;
SELECT try_input(repeat(U&'\3000', 2000) || repeat('探', 400), 'journey_stage') AS long_unicode_content;
