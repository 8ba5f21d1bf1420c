/*
 * buyerjourney: the buyer-journey model inside PostgreSQL.
 *
 * This install script is assembled by the Makefile from the files in schema/; edit
 * those files, not the generated buyerjourney--<version>.sql.
 * Objects are referenced schema-qualified (@extschema@, pg_catalog) and SQL
 * function bodies use BEGIN ATOMIC, so nothing depends on search_path.
 */

\echo Use "CREATE EXTENSION buyerjourney" to load this file. \quit

-- ---------------------------------------------------------------------------
-- journey_stage: a one-byte, pass-by-value type whose byte is the ordinal.
-- Generated from schema/value_type.sql.in; the same template makes both
-- journey_stage and lifecycle_phase, so the two can never drift apart.
-- ---------------------------------------------------------------------------

CREATE TYPE @extschema@.journey_stage;

CREATE FUNCTION @extschema@.journey_stage_in(cstring) RETURNS @extschema@.journey_stage
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.journey_stage_out(@extschema@.journey_stage) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.journey_stage_recv(internal) RETURNS @extschema@.journey_stage
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.journey_stage_send(@extschema@.journey_stage) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE @extschema@.journey_stage (
	INPUT = @extschema@.journey_stage_in,
	OUTPUT = @extschema@.journey_stage_out,
	RECEIVE = @extschema@.journey_stage_recv,
	SEND = @extschema@.journey_stage_send,
	LIKE = pg_catalog."char"
);

COMMENT ON FUNCTION @extschema@.journey_stage_in(cstring) IS 'text input of journey_stage: English name in any case, or a Chinese label';
COMMENT ON FUNCTION @extschema@.journey_stage_out(@extschema@.journey_stage) IS 'text output of journey_stage: the canonical English name';
COMMENT ON FUNCTION @extschema@.journey_stage_recv(internal) IS 'binary input of journey_stage: one byte, the ordinal';
COMMENT ON FUNCTION @extschema@.journey_stage_send(@extschema@.journey_stage) IS 'binary output of journey_stage: one byte, the ordinal';

-- Comparison and hashing are the built-in "char" functions (unsigned bytes):
-- no ICU, no C of ours, and the speed of a built-in type.
CREATE FUNCTION @extschema@.journey_stage_eq(@extschema@.journey_stage, @extschema@.journey_stage) RETURNS boolean
	AS 'chareq' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.journey_stage_ne(@extschema@.journey_stage, @extschema@.journey_stage) RETURNS boolean
	AS 'charne' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.journey_stage_lt(@extschema@.journey_stage, @extschema@.journey_stage) RETURNS boolean
	AS 'charlt' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.journey_stage_le(@extschema@.journey_stage, @extschema@.journey_stage) RETURNS boolean
	AS 'charle' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.journey_stage_gt(@extschema@.journey_stage, @extschema@.journey_stage) RETURNS boolean
	AS 'chargt' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.journey_stage_ge(@extschema@.journey_stage, @extschema@.journey_stage) RETURNS boolean
	AS 'charge' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.journey_stage_cmp(@extschema@.journey_stage, @extschema@.journey_stage) RETURNS integer
	AS 'btcharcmp' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.journey_stage_hash(@extschema@.journey_stage) RETURNS integer
	AS 'hashchar' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.journey_stage_hash_extended(@extschema@.journey_stage, bigint) RETURNS bigint
	AS 'hashcharextended' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

COMMENT ON FUNCTION @extschema@.journey_stage_eq(@extschema@.journey_stage, @extschema@.journey_stage) IS 'equal';
COMMENT ON FUNCTION @extschema@.journey_stage_ne(@extschema@.journey_stage, @extschema@.journey_stage) IS 'not equal';
COMMENT ON FUNCTION @extschema@.journey_stage_lt(@extschema@.journey_stage, @extschema@.journey_stage) IS 'less than (model order)';
COMMENT ON FUNCTION @extschema@.journey_stage_le(@extschema@.journey_stage, @extschema@.journey_stage) IS 'less than or equal (model order)';
COMMENT ON FUNCTION @extschema@.journey_stage_gt(@extschema@.journey_stage, @extschema@.journey_stage) IS 'greater than (model order)';
COMMENT ON FUNCTION @extschema@.journey_stage_ge(@extschema@.journey_stage, @extschema@.journey_stage) IS 'greater than or equal (model order)';
COMMENT ON FUNCTION @extschema@.journey_stage_cmp(@extschema@.journey_stage, @extschema@.journey_stage) IS 'btree comparison (model order)';
COMMENT ON FUNCTION @extschema@.journey_stage_hash(@extschema@.journey_stage) IS 'hash';
COMMENT ON FUNCTION @extschema@.journey_stage_hash_extended(@extschema@.journey_stage, bigint) IS 'hash with seed';

CREATE OPERATOR @extschema@.= (
	LEFTARG = @extschema@.journey_stage, RIGHTARG = @extschema@.journey_stage,
	FUNCTION = @extschema@.journey_stage_eq,
	COMMUTATOR = OPERATOR(@extschema@.=), NEGATOR = OPERATOR(@extschema@.<>),
	RESTRICT = pg_catalog.eqsel, JOIN = pg_catalog.eqjoinsel,
	HASHES, MERGES
);
CREATE OPERATOR @extschema@.<> (
	LEFTARG = @extschema@.journey_stage, RIGHTARG = @extschema@.journey_stage,
	FUNCTION = @extschema@.journey_stage_ne,
	COMMUTATOR = OPERATOR(@extschema@.<>), NEGATOR = OPERATOR(@extschema@.=),
	RESTRICT = pg_catalog.neqsel, JOIN = pg_catalog.neqjoinsel
);
CREATE OPERATOR @extschema@.< (
	LEFTARG = @extschema@.journey_stage, RIGHTARG = @extschema@.journey_stage,
	FUNCTION = @extschema@.journey_stage_lt,
	COMMUTATOR = OPERATOR(@extschema@.>), NEGATOR = OPERATOR(@extschema@.>=),
	RESTRICT = pg_catalog.scalarltsel, JOIN = pg_catalog.scalarltjoinsel
);
CREATE OPERATOR @extschema@.<= (
	LEFTARG = @extschema@.journey_stage, RIGHTARG = @extschema@.journey_stage,
	FUNCTION = @extschema@.journey_stage_le,
	COMMUTATOR = OPERATOR(@extschema@.>=), NEGATOR = OPERATOR(@extschema@.>),
	RESTRICT = pg_catalog.scalarlesel, JOIN = pg_catalog.scalarlejoinsel
);
CREATE OPERATOR @extschema@.> (
	LEFTARG = @extschema@.journey_stage, RIGHTARG = @extschema@.journey_stage,
	FUNCTION = @extschema@.journey_stage_gt,
	COMMUTATOR = OPERATOR(@extschema@.<), NEGATOR = OPERATOR(@extschema@.<=),
	RESTRICT = pg_catalog.scalargtsel, JOIN = pg_catalog.scalargtjoinsel
);
CREATE OPERATOR @extschema@.>= (
	LEFTARG = @extschema@.journey_stage, RIGHTARG = @extschema@.journey_stage,
	FUNCTION = @extschema@.journey_stage_ge,
	COMMUTATOR = OPERATOR(@extschema@.<=), NEGATOR = OPERATOR(@extschema@.<),
	RESTRICT = pg_catalog.scalargesel, JOIN = pg_catalog.scalargejoinsel
);

COMMENT ON OPERATOR @extschema@.=(@extschema@.journey_stage, @extschema@.journey_stage) IS 'equal';
COMMENT ON OPERATOR @extschema@.<>(@extschema@.journey_stage, @extschema@.journey_stage) IS 'not equal';
COMMENT ON OPERATOR @extschema@.<(@extschema@.journey_stage, @extschema@.journey_stage) IS 'less than (model order)';
COMMENT ON OPERATOR @extschema@.<=(@extschema@.journey_stage, @extschema@.journey_stage) IS 'less than or equal (model order)';
COMMENT ON OPERATOR @extschema@.>(@extschema@.journey_stage, @extschema@.journey_stage) IS 'greater than (model order)';
COMMENT ON OPERATOR @extschema@.>=(@extschema@.journey_stage, @extschema@.journey_stage) IS 'greater than or equal (model order)';

-- btequalimage: equal values are bitwise equal, so btree deduplication works
-- (a stage column has few distinct values: its index shrinks a lot).
CREATE OPERATOR CLASS @extschema@.journey_stage_ops
	DEFAULT FOR TYPE @extschema@.journey_stage USING btree AS
		OPERATOR 1 @extschema@.<,
		OPERATOR 2 @extschema@.<=,
		OPERATOR 3 @extschema@.=,
		OPERATOR 4 @extschema@.>=,
		OPERATOR 5 @extschema@.>,
		FUNCTION 1 @extschema@.journey_stage_cmp(@extschema@.journey_stage, @extschema@.journey_stage),
		FUNCTION 4 pg_catalog.btequalimage(oid);

CREATE OPERATOR CLASS @extschema@.journey_stage_hash_ops
	DEFAULT FOR TYPE @extschema@.journey_stage USING hash AS
		OPERATOR 1 @extschema@.=,
		FUNCTION 1 @extschema@.journey_stage_hash(@extschema@.journey_stage),
		FUNCTION 2 @extschema@.journey_stage_hash_extended(@extschema@.journey_stage, bigint);

COMMENT ON OPERATOR CLASS @extschema@.journey_stage_ops USING btree IS 'btree order of journey_stage (the model order)';
COMMENT ON OPERATOR FAMILY @extschema@.journey_stage_ops USING btree IS 'btree order of journey_stage (the model order)';
COMMENT ON OPERATOR CLASS @extschema@.journey_stage_hash_ops USING hash IS 'hashing of journey_stage';
COMMENT ON OPERATOR FAMILY @extschema@.journey_stage_hash_ops USING hash IS 'hashing of journey_stage';

-- Casts: text both ways (input rules above), integer both ways (the ordinal).
CREATE FUNCTION @extschema@.journey_stage(text) RETURNS @extschema@.journey_stage
	AS 'MODULE_PATHNAME', 'journey_stage_from_text' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.text(@extschema@.journey_stage) RETURNS text
	AS 'MODULE_PATHNAME', 'journey_stage_to_text' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.journey_stage(integer) RETURNS @extschema@.journey_stage
	AS 'MODULE_PATHNAME', 'journey_stage_from_int4' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.ordinal(@extschema@.journey_stage) RETURNS integer
	AS 'chartoi4' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

COMMENT ON FUNCTION @extschema@.journey_stage(text) IS 'parse text as journey_stage (English name in any case, or a Chinese label)';
COMMENT ON FUNCTION @extschema@.text(@extschema@.journey_stage) IS 'canonical English name of a journey_stage';
COMMENT ON FUNCTION @extschema@.journey_stage(integer) IS 'journey_stage with this ordinal; out of range is an error';
COMMENT ON FUNCTION @extschema@.ordinal(@extschema@.journey_stage) IS 'ordinal of a journey_stage (0 = unaware)';

-- Assignment casts from text and varchar: drivers that send strings typed
-- (JDBC setString, psycopg's %b) can INSERT and UPDATE without casts.
CREATE CAST (text AS @extschema@.journey_stage) WITH FUNCTION @extschema@.journey_stage(text) AS ASSIGNMENT;
CREATE CAST (varchar AS @extschema@.journey_stage) WITH FUNCTION @extschema@.journey_stage(text) AS ASSIGNMENT;
CREATE CAST (@extschema@.journey_stage AS text) WITH FUNCTION @extschema@.text(@extschema@.journey_stage) AS ASSIGNMENT;
CREATE CAST (integer AS @extschema@.journey_stage) WITH FUNCTION @extschema@.journey_stage(integer);
CREATE CAST (@extschema@.journey_stage AS integer) WITH FUNCTION @extschema@.ordinal(@extschema@.journey_stage);

-- min and max, parallel: the transition function is its own combine function.
CREATE FUNCTION @extschema@.journey_stage_smaller(@extschema@.journey_stage, @extschema@.journey_stage) RETURNS @extschema@.journey_stage
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.journey_stage_larger(@extschema@.journey_stage, @extschema@.journey_stage) RETURNS @extschema@.journey_stage
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.journey_stage_smaller(@extschema@.journey_stage, @extschema@.journey_stage) IS 'the earlier of two journey_stage values';
COMMENT ON FUNCTION @extschema@.journey_stage_larger(@extschema@.journey_stage, @extschema@.journey_stage) IS 'the later of two journey_stage values';

CREATE AGGREGATE @extschema@.min(@extschema@.journey_stage) (
	SFUNC = @extschema@.journey_stage_smaller,
	STYPE = @extschema@.journey_stage,
	COMBINEFUNC = @extschema@.journey_stage_smaller,
	SORTOP = OPERATOR(@extschema@.<),
	PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.max(@extschema@.journey_stage) (
	SFUNC = @extschema@.journey_stage_larger,
	STYPE = @extschema@.journey_stage,
	COMBINEFUNC = @extschema@.journey_stage_larger,
	SORTOP = OPERATOR(@extschema@.>),
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.min(@extschema@.journey_stage) IS 'earliest journey_stage in model order';
COMMENT ON AGGREGATE @extschema@.max(@extschema@.journey_stage) IS 'latest journey_stage in model order';

-- Labels through ICU, and the path helpers.
CREATE FUNCTION @extschema@.label(@extschema@.journey_stage, locale text) RETURNS text
	AS 'MODULE_PATHNAME', 'journey_stage_label' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.next_stage(@extschema@.journey_stage) RETURNS @extschema@.journey_stage
	AS 'MODULE_PATHNAME', 'journey_stage_next' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.previous_stage(@extschema@.journey_stage) RETURNS @extschema@.journey_stage
	AS 'MODULE_PATHNAME', 'journey_stage_previous' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION @extschema@.label(@extschema@.journey_stage, text) IS 'label of a journey_stage for a locale (en, zh-CN, zh-TW, zh-Hant-HK...); English when the locale is unknown or empty';
COMMENT ON FUNCTION @extschema@.next_stage(@extschema@.journey_stage) IS 'the next stage on the main path, or NULL at its end';
COMMENT ON FUNCTION @extschema@.previous_stage(@extschema@.journey_stage) IS 'the previous stage on the main path, or NULL at its start';

CREATE FUNCTION @extschema@.journey_stages(
	OUT value @extschema@.journey_stage, OUT ordinal integer, OUT name text,
	OUT label_zh_hans text, OUT label_zh_hant text)
	RETURNS SETOF record
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
	SELECT v, i, @extschema@.text(v), @extschema@.label(v, 'zh-Hans'), @extschema@.label(v, 'zh-Hant')
	  FROM pg_catalog.generate_series(0, 8) AS i,
	       LATERAL (SELECT @extschema@.journey_stage(i) AS v) AS x
	 ORDER BY i;
END;
COMMENT ON FUNCTION @extschema@.journey_stages() IS 'every journey_stage value with its ordinal, name and Chinese labels';

-- journey_stage: what only stages have (MODEL.md section 1).
COMMENT ON TYPE @extschema@.journey_stage IS
	'buyer journey stage: unaware < explore < define < select < decide < approve < realize (won), then the closed outcomes lost and no_decision';

CREATE FUNCTION @extschema@.is_open(@extschema@.journey_stage) RETURNS boolean
	AS 'MODULE_PATHNAME', 'journey_stage_is_open' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.is_closed(@extschema@.journey_stage) RETURNS boolean
	AS 'MODULE_PATHNAME', 'journey_stage_is_closed' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.is_won(@extschema@.journey_stage) RETURNS boolean
	AS 'MODULE_PATHNAME', 'journey_stage_is_won' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION @extschema@.is_open(@extschema@.journey_stage) IS 'true for unaware .. approve';
COMMENT ON FUNCTION @extschema@.is_closed(@extschema@.journey_stage) IS 'true for realize (won), lost and no_decision';
COMMENT ON FUNCTION @extschema@.is_won(@extschema@.journey_stage) IS 'true for realize';

-- ---------------------------------------------------------------------------
-- lifecycle_phase: a one-byte, pass-by-value type whose byte is the ordinal.
-- Generated from schema/value_type.sql.in; the same template makes both
-- journey_stage and lifecycle_phase, so the two can never drift apart.
-- ---------------------------------------------------------------------------

CREATE TYPE @extschema@.lifecycle_phase;

CREATE FUNCTION @extschema@.lifecycle_phase_in(cstring) RETURNS @extschema@.lifecycle_phase
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.lifecycle_phase_out(@extschema@.lifecycle_phase) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.lifecycle_phase_recv(internal) RETURNS @extschema@.lifecycle_phase
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.lifecycle_phase_send(@extschema@.lifecycle_phase) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE @extschema@.lifecycle_phase (
	INPUT = @extschema@.lifecycle_phase_in,
	OUTPUT = @extschema@.lifecycle_phase_out,
	RECEIVE = @extschema@.lifecycle_phase_recv,
	SEND = @extschema@.lifecycle_phase_send,
	LIKE = pg_catalog."char"
);

COMMENT ON FUNCTION @extschema@.lifecycle_phase_in(cstring) IS 'text input of lifecycle_phase: English name in any case, or a Chinese label';
COMMENT ON FUNCTION @extschema@.lifecycle_phase_out(@extschema@.lifecycle_phase) IS 'text output of lifecycle_phase: the canonical English name';
COMMENT ON FUNCTION @extschema@.lifecycle_phase_recv(internal) IS 'binary input of lifecycle_phase: one byte, the ordinal';
COMMENT ON FUNCTION @extschema@.lifecycle_phase_send(@extschema@.lifecycle_phase) IS 'binary output of lifecycle_phase: one byte, the ordinal';

-- Comparison and hashing are the built-in "char" functions (unsigned bytes):
-- no ICU, no C of ours, and the speed of a built-in type.
CREATE FUNCTION @extschema@.lifecycle_phase_eq(@extschema@.lifecycle_phase, @extschema@.lifecycle_phase) RETURNS boolean
	AS 'chareq' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.lifecycle_phase_ne(@extschema@.lifecycle_phase, @extschema@.lifecycle_phase) RETURNS boolean
	AS 'charne' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.lifecycle_phase_lt(@extschema@.lifecycle_phase, @extschema@.lifecycle_phase) RETURNS boolean
	AS 'charlt' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.lifecycle_phase_le(@extschema@.lifecycle_phase, @extschema@.lifecycle_phase) RETURNS boolean
	AS 'charle' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.lifecycle_phase_gt(@extschema@.lifecycle_phase, @extschema@.lifecycle_phase) RETURNS boolean
	AS 'chargt' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.lifecycle_phase_ge(@extschema@.lifecycle_phase, @extschema@.lifecycle_phase) RETURNS boolean
	AS 'charge' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.lifecycle_phase_cmp(@extschema@.lifecycle_phase, @extschema@.lifecycle_phase) RETURNS integer
	AS 'btcharcmp' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.lifecycle_phase_hash(@extschema@.lifecycle_phase) RETURNS integer
	AS 'hashchar' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.lifecycle_phase_hash_extended(@extschema@.lifecycle_phase, bigint) RETURNS bigint
	AS 'hashcharextended' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

COMMENT ON FUNCTION @extschema@.lifecycle_phase_eq(@extschema@.lifecycle_phase, @extschema@.lifecycle_phase) IS 'equal';
COMMENT ON FUNCTION @extschema@.lifecycle_phase_ne(@extschema@.lifecycle_phase, @extschema@.lifecycle_phase) IS 'not equal';
COMMENT ON FUNCTION @extschema@.lifecycle_phase_lt(@extschema@.lifecycle_phase, @extschema@.lifecycle_phase) IS 'less than (model order)';
COMMENT ON FUNCTION @extschema@.lifecycle_phase_le(@extschema@.lifecycle_phase, @extschema@.lifecycle_phase) IS 'less than or equal (model order)';
COMMENT ON FUNCTION @extschema@.lifecycle_phase_gt(@extschema@.lifecycle_phase, @extschema@.lifecycle_phase) IS 'greater than (model order)';
COMMENT ON FUNCTION @extschema@.lifecycle_phase_ge(@extschema@.lifecycle_phase, @extschema@.lifecycle_phase) IS 'greater than or equal (model order)';
COMMENT ON FUNCTION @extschema@.lifecycle_phase_cmp(@extschema@.lifecycle_phase, @extschema@.lifecycle_phase) IS 'btree comparison (model order)';
COMMENT ON FUNCTION @extschema@.lifecycle_phase_hash(@extschema@.lifecycle_phase) IS 'hash';
COMMENT ON FUNCTION @extschema@.lifecycle_phase_hash_extended(@extschema@.lifecycle_phase, bigint) IS 'hash with seed';

CREATE OPERATOR @extschema@.= (
	LEFTARG = @extschema@.lifecycle_phase, RIGHTARG = @extschema@.lifecycle_phase,
	FUNCTION = @extschema@.lifecycle_phase_eq,
	COMMUTATOR = OPERATOR(@extschema@.=), NEGATOR = OPERATOR(@extschema@.<>),
	RESTRICT = pg_catalog.eqsel, JOIN = pg_catalog.eqjoinsel,
	HASHES, MERGES
);
CREATE OPERATOR @extschema@.<> (
	LEFTARG = @extschema@.lifecycle_phase, RIGHTARG = @extschema@.lifecycle_phase,
	FUNCTION = @extschema@.lifecycle_phase_ne,
	COMMUTATOR = OPERATOR(@extschema@.<>), NEGATOR = OPERATOR(@extschema@.=),
	RESTRICT = pg_catalog.neqsel, JOIN = pg_catalog.neqjoinsel
);
CREATE OPERATOR @extschema@.< (
	LEFTARG = @extschema@.lifecycle_phase, RIGHTARG = @extschema@.lifecycle_phase,
	FUNCTION = @extschema@.lifecycle_phase_lt,
	COMMUTATOR = OPERATOR(@extschema@.>), NEGATOR = OPERATOR(@extschema@.>=),
	RESTRICT = pg_catalog.scalarltsel, JOIN = pg_catalog.scalarltjoinsel
);
CREATE OPERATOR @extschema@.<= (
	LEFTARG = @extschema@.lifecycle_phase, RIGHTARG = @extschema@.lifecycle_phase,
	FUNCTION = @extschema@.lifecycle_phase_le,
	COMMUTATOR = OPERATOR(@extschema@.>=), NEGATOR = OPERATOR(@extschema@.>),
	RESTRICT = pg_catalog.scalarlesel, JOIN = pg_catalog.scalarlejoinsel
);
CREATE OPERATOR @extschema@.> (
	LEFTARG = @extschema@.lifecycle_phase, RIGHTARG = @extschema@.lifecycle_phase,
	FUNCTION = @extschema@.lifecycle_phase_gt,
	COMMUTATOR = OPERATOR(@extschema@.<), NEGATOR = OPERATOR(@extschema@.<=),
	RESTRICT = pg_catalog.scalargtsel, JOIN = pg_catalog.scalargtjoinsel
);
CREATE OPERATOR @extschema@.>= (
	LEFTARG = @extschema@.lifecycle_phase, RIGHTARG = @extschema@.lifecycle_phase,
	FUNCTION = @extschema@.lifecycle_phase_ge,
	COMMUTATOR = OPERATOR(@extschema@.<=), NEGATOR = OPERATOR(@extschema@.<),
	RESTRICT = pg_catalog.scalargesel, JOIN = pg_catalog.scalargejoinsel
);

COMMENT ON OPERATOR @extschema@.=(@extschema@.lifecycle_phase, @extschema@.lifecycle_phase) IS 'equal';
COMMENT ON OPERATOR @extschema@.<>(@extschema@.lifecycle_phase, @extschema@.lifecycle_phase) IS 'not equal';
COMMENT ON OPERATOR @extschema@.<(@extschema@.lifecycle_phase, @extschema@.lifecycle_phase) IS 'less than (model order)';
COMMENT ON OPERATOR @extschema@.<=(@extschema@.lifecycle_phase, @extschema@.lifecycle_phase) IS 'less than or equal (model order)';
COMMENT ON OPERATOR @extschema@.>(@extschema@.lifecycle_phase, @extschema@.lifecycle_phase) IS 'greater than (model order)';
COMMENT ON OPERATOR @extschema@.>=(@extschema@.lifecycle_phase, @extschema@.lifecycle_phase) IS 'greater than or equal (model order)';

-- btequalimage: equal values are bitwise equal, so btree deduplication works
-- (a stage column has few distinct values: its index shrinks a lot).
CREATE OPERATOR CLASS @extschema@.lifecycle_phase_ops
	DEFAULT FOR TYPE @extschema@.lifecycle_phase USING btree AS
		OPERATOR 1 @extschema@.<,
		OPERATOR 2 @extschema@.<=,
		OPERATOR 3 @extschema@.=,
		OPERATOR 4 @extschema@.>=,
		OPERATOR 5 @extschema@.>,
		FUNCTION 1 @extschema@.lifecycle_phase_cmp(@extschema@.lifecycle_phase, @extschema@.lifecycle_phase),
		FUNCTION 4 pg_catalog.btequalimage(oid);

CREATE OPERATOR CLASS @extschema@.lifecycle_phase_hash_ops
	DEFAULT FOR TYPE @extschema@.lifecycle_phase USING hash AS
		OPERATOR 1 @extschema@.=,
		FUNCTION 1 @extschema@.lifecycle_phase_hash(@extschema@.lifecycle_phase),
		FUNCTION 2 @extschema@.lifecycle_phase_hash_extended(@extschema@.lifecycle_phase, bigint);

COMMENT ON OPERATOR CLASS @extschema@.lifecycle_phase_ops USING btree IS 'btree order of lifecycle_phase (the model order)';
COMMENT ON OPERATOR FAMILY @extschema@.lifecycle_phase_ops USING btree IS 'btree order of lifecycle_phase (the model order)';
COMMENT ON OPERATOR CLASS @extschema@.lifecycle_phase_hash_ops USING hash IS 'hashing of lifecycle_phase';
COMMENT ON OPERATOR FAMILY @extschema@.lifecycle_phase_hash_ops USING hash IS 'hashing of lifecycle_phase';

-- Casts: text both ways (input rules above), integer both ways (the ordinal).
CREATE FUNCTION @extschema@.lifecycle_phase(text) RETURNS @extschema@.lifecycle_phase
	AS 'MODULE_PATHNAME', 'lifecycle_phase_from_text' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.text(@extschema@.lifecycle_phase) RETURNS text
	AS 'MODULE_PATHNAME', 'lifecycle_phase_to_text' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.lifecycle_phase(integer) RETURNS @extschema@.lifecycle_phase
	AS 'MODULE_PATHNAME', 'lifecycle_phase_from_int4' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.ordinal(@extschema@.lifecycle_phase) RETURNS integer
	AS 'chartoi4' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

COMMENT ON FUNCTION @extschema@.lifecycle_phase(text) IS 'parse text as lifecycle_phase (English name in any case, or a Chinese label)';
COMMENT ON FUNCTION @extschema@.text(@extschema@.lifecycle_phase) IS 'canonical English name of a lifecycle_phase';
COMMENT ON FUNCTION @extschema@.lifecycle_phase(integer) IS 'lifecycle_phase with this ordinal; out of range is an error';
COMMENT ON FUNCTION @extschema@.ordinal(@extschema@.lifecycle_phase) IS 'ordinal of a lifecycle_phase (0 = introduction)';

-- Assignment casts from text and varchar: drivers that send strings typed
-- (JDBC setString, psycopg's %b) can INSERT and UPDATE without casts.
CREATE CAST (text AS @extschema@.lifecycle_phase) WITH FUNCTION @extschema@.lifecycle_phase(text) AS ASSIGNMENT;
CREATE CAST (varchar AS @extschema@.lifecycle_phase) WITH FUNCTION @extschema@.lifecycle_phase(text) AS ASSIGNMENT;
CREATE CAST (@extschema@.lifecycle_phase AS text) WITH FUNCTION @extschema@.text(@extschema@.lifecycle_phase) AS ASSIGNMENT;
CREATE CAST (integer AS @extschema@.lifecycle_phase) WITH FUNCTION @extschema@.lifecycle_phase(integer);
CREATE CAST (@extschema@.lifecycle_phase AS integer) WITH FUNCTION @extschema@.ordinal(@extschema@.lifecycle_phase);

-- min and max, parallel: the transition function is its own combine function.
CREATE FUNCTION @extschema@.lifecycle_phase_smaller(@extschema@.lifecycle_phase, @extschema@.lifecycle_phase) RETURNS @extschema@.lifecycle_phase
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.lifecycle_phase_larger(@extschema@.lifecycle_phase, @extschema@.lifecycle_phase) RETURNS @extschema@.lifecycle_phase
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.lifecycle_phase_smaller(@extschema@.lifecycle_phase, @extschema@.lifecycle_phase) IS 'the earlier of two lifecycle_phase values';
COMMENT ON FUNCTION @extschema@.lifecycle_phase_larger(@extschema@.lifecycle_phase, @extschema@.lifecycle_phase) IS 'the later of two lifecycle_phase values';

CREATE AGGREGATE @extschema@.min(@extschema@.lifecycle_phase) (
	SFUNC = @extschema@.lifecycle_phase_smaller,
	STYPE = @extschema@.lifecycle_phase,
	COMBINEFUNC = @extschema@.lifecycle_phase_smaller,
	SORTOP = OPERATOR(@extschema@.<),
	PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.max(@extschema@.lifecycle_phase) (
	SFUNC = @extschema@.lifecycle_phase_larger,
	STYPE = @extschema@.lifecycle_phase,
	COMBINEFUNC = @extschema@.lifecycle_phase_larger,
	SORTOP = OPERATOR(@extschema@.>),
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.min(@extschema@.lifecycle_phase) IS 'earliest lifecycle_phase in model order';
COMMENT ON AGGREGATE @extschema@.max(@extschema@.lifecycle_phase) IS 'latest lifecycle_phase in model order';

-- Labels through ICU, and the path helpers.
CREATE FUNCTION @extschema@.label(@extschema@.lifecycle_phase, locale text) RETURNS text
	AS 'MODULE_PATHNAME', 'lifecycle_phase_label' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.next_phase(@extschema@.lifecycle_phase) RETURNS @extschema@.lifecycle_phase
	AS 'MODULE_PATHNAME', 'lifecycle_phase_next' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.previous_phase(@extschema@.lifecycle_phase) RETURNS @extschema@.lifecycle_phase
	AS 'MODULE_PATHNAME', 'lifecycle_phase_previous' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION @extschema@.label(@extschema@.lifecycle_phase, text) IS 'label of a lifecycle_phase for a locale (en, zh-CN, zh-TW, zh-Hant-HK...); English when the locale is unknown or empty';
COMMENT ON FUNCTION @extschema@.next_phase(@extschema@.lifecycle_phase) IS 'the next phase on the main path, or NULL at its end';
COMMENT ON FUNCTION @extschema@.previous_phase(@extschema@.lifecycle_phase) IS 'the previous phase on the main path, or NULL at its start';

CREATE FUNCTION @extschema@.lifecycle_phases(
	OUT value @extschema@.lifecycle_phase, OUT ordinal integer, OUT name text,
	OUT label_zh_hans text, OUT label_zh_hant text)
	RETURNS SETOF record
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
	SELECT v, i, @extschema@.text(v), @extschema@.label(v, 'zh-Hans'), @extschema@.label(v, 'zh-Hant')
	  FROM pg_catalog.generate_series(0, 4) AS i,
	       LATERAL (SELECT @extschema@.lifecycle_phase(i) AS v) AS x
	 ORDER BY i;
END;
COMMENT ON FUNCTION @extschema@.lifecycle_phases() IS 'every lifecycle_phase value with its ordinal, name and Chinese labels';

-- lifecycle_phase: what only phases have (MODEL.md section 3).
COMMENT ON TYPE @extschema@.lifecycle_phase IS
	'customer lifecycle phase: introduction < growth < maturity < dormancy < churned';

CREATE FUNCTION @extschema@.is_active(@extschema@.lifecycle_phase) RETURNS boolean
	AS 'MODULE_PATHNAME', 'lifecycle_phase_is_active' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION @extschema@.is_active(@extschema@.lifecycle_phase) IS 'true for introduction, growth and maturity';

-- ---------------------------------------------------------------------------
-- Sales processes (MODEL.md section 2) and the transition trigger.
--
-- A process is a row of `process` (its value type and the values a new row
-- may start at), its allowed moves in `process_move`, and optional win
-- probabilities in `process_probability`.  Users edit them with plain SQL;
-- triggers validate and canonicalise every change and invalidate the
-- per-backend cache of compiled processes.  The built-ins come from the C
-- definitions (bj_rules.c) and cannot be changed.
-- ---------------------------------------------------------------------------

CREATE TABLE @extschema@.process (
	name text PRIMARY KEY CHECK (octet_length(name) BETWEEN 1 AND 63),
	value_type text NOT NULL CHECK (value_type IN ('journey_stage', 'lifecycle_phase')),
	initial text[] NOT NULL,
	description text,
	builtin boolean NOT NULL DEFAULT false
);
CREATE TABLE @extschema@.process_move (
	process text NOT NULL REFERENCES @extschema@.process ON UPDATE CASCADE ON DELETE CASCADE,
	from_value text NOT NULL,
	to_value text NOT NULL,
	PRIMARY KEY (process, from_value, to_value)
);
CREATE TABLE @extschema@.process_probability (
	process text NOT NULL REFERENCES @extschema@.process ON UPDATE CASCADE ON DELETE CASCADE,
	value text NOT NULL,
	probability double precision NOT NULL,
	PRIMARY KEY (process, value)
);
COMMENT ON TABLE @extschema@.process IS 'sales processes: value type and the values a new row may start at';
COMMENT ON TABLE @extschema@.process_move IS 'the moves each process allows, one row per (from, to)';
COMMENT ON TABLE @extschema@.process_probability IS 'win probability per stage of a process (for weighted pipeline)';

-- Everyone may read the processes; writing takes a GRANT from the owner.
REVOKE ALL ON @extschema@.process, @extschema@.process_move, @extschema@.process_probability FROM PUBLIC;
GRANT SELECT ON @extschema@.process, @extschema@.process_move, @extschema@.process_probability TO PUBLIC;

-- The built-ins, from the C definitions.
CREATE FUNCTION @extschema@.builtin_process_moves(name text, OUT from_value text, OUT to_value text)
	RETURNS SETOF record
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.builtin_process_moves(text) IS
	'moves of a built-in process as compiled into the extension (from_value NULL: initial values)';

INSERT INTO @extschema@.process (name, value_type, initial, description, builtin)
SELECT b.name, b.value_type,
       ARRAY(SELECT m.to_value FROM @extschema@.builtin_process_moves(b.name) WITH ORDINALITY AS m(f, to_value, n)
              WHERE m.f IS NULL ORDER BY m.n),
       b.description, true
  FROM (VALUES
	('complex', 'journey_stage',
	 'enterprise deals: start at unaware or explore; forward one stage at a time; back to any earlier open stage; any open stage to lost or no_decision; a closed deal re-opens only to explore'),
	('transactional', 'journey_stage',
	 'land-and-expand deals: like complex, but a new deal may start at any open stage and forward moves may skip stages'),
	('lifecycle', 'lifecycle_phase',
	 'customer lifecycle: start at introduction; forward one phase to maturity; any active phase to dormancy; dormancy back to growth or maturity, or to churned; any phase to churned; churned back to introduction')
  ) AS b(name, value_type, description);

INSERT INTO @extschema@.process_move (process, from_value, to_value)
SELECT b.name, m.from_value, m.to_value
  FROM pg_catalog.unnest(ARRAY['complex', 'transactional', 'lifecycle']) AS b(name),
       @extschema@.builtin_process_moves(b.name) AS m
 WHERE m.from_value IS NOT NULL;

-- CRM-style stage probabilities.
INSERT INTO @extschema@.process_probability (process, value, probability)
SELECT p.process, @extschema@.journey_stage(s.ordinal)::text, p.probability[s.ordinal + 1]
  FROM (VALUES ('complex', ARRAY[0.0, 0.05, 0.10, 0.25, 0.50, 0.75, 1.0, 0.0, 0.0]::float8[]),
               ('transactional', ARRAY[0.0, 0.10, 0.20, 0.40, 0.60, 0.80, 1.0, 0.0, 0.0]::float8[])) AS p(process, probability),
       pg_catalog.generate_series(0, 8) AS s(ordinal);

-- User-defined processes (not the built-ins) are dumped with the database.
SELECT pg_catalog.pg_extension_config_dump('@extschema@.process', 'WHERE NOT builtin');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.process_move',
	$$WHERE process NOT IN ('complex', 'transactional', 'lifecycle')$$);
SELECT pg_catalog.pg_extension_config_dump('@extschema@.process_probability',
	$$WHERE process NOT IN ('complex', 'transactional', 'lifecycle')$$);

-- canonical_value: a value name of a process's type in canonical form, or a
-- clear error naming the process.
CREATE FUNCTION @extschema@.canonical_value(value_type text, value text, process text) RETURNS text
	LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	IF value IS NULL THEN
		RAISE EXCEPTION 'process "%" lists a NULL %', process, value_type
			USING ERRCODE = 'not_null_violation';
	ELSIF value_type = 'journey_stage' THEN
		RETURN value::@extschema@.journey_stage::text;
	ELSE
		RETURN value::@extschema@.lifecycle_phase::text;
	END IF;
EXCEPTION WHEN invalid_text_representation THEN
	RAISE EXCEPTION 'process "%": "%" is not a %', process, value, value_type
		USING ERRCODE = 'invalid_text_representation',
		      HINT = format('Valid values are listed by %s().',
		                    CASE value_type WHEN 'journey_stage' THEN 'journey_stages' ELSE 'lifecycle_phases' END);
END $$;
COMMENT ON FUNCTION @extschema@.canonical_value(text, text, text) IS
	'canonical name of a value of a process''s type (used by the process table triggers)';

-- The transition trigger (src/transition_trigger.c).
CREATE FUNCTION @extschema@.enforce_transitions() RETURNS trigger
	AS 'MODULE_PATHNAME' LANGUAGE C;
COMMENT ON FUNCTION @extschema@.enforce_transitions() IS
	'row trigger: a journey_stage or lifecycle_phase column moves only as its process allows; args column=, process=, process_column=, history=';

CREATE FUNCTION @extschema@.check_process() RETURNS trigger
	LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	users text;
BEGIN
	IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.builtin THEN
		RAISE EXCEPTION 'built-in process "%" cannot be changed', OLD.name
			USING ERRCODE = 'insufficient_privilege',
			      HINT = format('Copy it with copy_process(%L, ''my_process'') and change the copy.', OLD.name);
	END IF;
	IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND NEW.name <> OLD.name) THEN
		users := @extschema@.triggers_using_process(OLD.name);
		IF users IS NOT NULL THEN
			RAISE EXCEPTION 'process "%" is used by trigger %', OLD.name, users
				USING ERRCODE = 'dependent_objects_still_exist',
				      HINT = 'Drop or change those triggers first.';
		END IF;
		IF TG_OP = 'DELETE' THEN
			RETURN OLD;
		END IF;
	END IF;
	IF NEW.builtin THEN
		RAISE EXCEPTION 'only the extension creates built-in processes'
			USING ERRCODE = 'insufficient_privilege';
	END IF;
	IF TG_OP = 'UPDATE' AND NEW.value_type <> OLD.value_type THEN
		RAISE EXCEPTION 'the value type of process "%" cannot change', OLD.name
			USING ERRCODE = 'feature_not_supported',
			      HINT = 'Create a new process instead.';
	END IF;
	IF NEW.value_type NOT IN ('journey_stage', 'lifecycle_phase') THEN
		RAISE EXCEPTION 'process "%" has unknown value type "%"', NEW.name, NEW.value_type
			USING ERRCODE = 'invalid_parameter_value',
			      HINT = 'A process is for journey_stage or lifecycle_phase.';
	END IF;
	-- Canonical names, each once, in the model's order.
	NEW.initial := ARRAY(
		SELECT c FROM (SELECT DISTINCT @extschema@.canonical_value(NEW.value_type, v, NEW.name) AS c
		                 FROM unnest(NEW.initial) AS v) AS d
		 ORDER BY CASE NEW.value_type WHEN 'journey_stage' THEN c::@extschema@.journey_stage::int
		                              ELSE c::@extschema@.lifecycle_phase::int END);
	IF cardinality(NEW.initial) = 0 THEN
		RAISE EXCEPTION 'process "%" has no initial value', NEW.name
			USING ERRCODE = 'check_violation',
			      HINT = 'List the values a new row may start at, e.g. initial => ARRAY[''unaware'', ''explore''].';
	END IF;
	RETURN NEW;
END $$;

-- Checks shared by process_move and process_probability: no built-in is
-- touched; returns the process's value type.
CREATE FUNCTION @extschema@.check_process_part(process_name text) RETURNS text
	LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	p record;
BEGIN
	SELECT * INTO p FROM @extschema@.process WHERE name = process_name;
	IF p.builtin THEN
		RAISE EXCEPTION 'built-in process "%" cannot be changed', process_name
			USING ERRCODE = 'insufficient_privilege',
			      HINT = format('Copy it with copy_process(%L, ''my_process'') and change the copy.', process_name);
	END IF;
	RETURN p.value_type;			-- NULL if there is no such process: the foreign key says so
END $$;

-- Rows of process_move and process_probability: no built-in is touched,
-- values are canonical, and each table's own rule holds.
CREATE FUNCTION @extschema@.check_process_row() RETURNS trigger
	LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	value_type text;
BEGIN
	IF TG_OP IN ('UPDATE', 'DELETE') THEN
		PERFORM @extschema@.check_process_part(OLD.process);
		IF TG_OP = 'DELETE' THEN
			RETURN OLD;
		END IF;
	END IF;
	value_type := @extschema@.check_process_part(NEW.process);
	IF value_type IS NULL THEN
		RETURN NEW;
	END IF;
	IF TG_TABLE_NAME = 'process_move' THEN
		NEW.from_value := @extschema@.canonical_value(value_type, NEW.from_value, NEW.process);
		NEW.to_value := @extschema@.canonical_value(value_type, NEW.to_value, NEW.process);
		IF NEW.from_value = NEW.to_value THEN
			RAISE EXCEPTION 'process "%": a move from "%" to itself is not a move', NEW.process, NEW.from_value
				USING ERRCODE = 'check_violation',
				      HINT = 'Staying at a value is always allowed; list only moves to other values.';
		END IF;
	ELSE
		NEW.value := @extschema@.canonical_value(value_type, NEW.value, NEW.process);
		IF NOT (NEW.probability >= 0 AND NEW.probability <= 1) OR NEW.probability = 'NaN' THEN
			RAISE EXCEPTION 'process "%": probability % for "%" is outside [0, 1]', NEW.process, NEW.probability, NEW.value
				USING ERRCODE = 'check_violation';
		END IF;
	END IF;
	RETURN NEW;
END $$;

CREATE FUNCTION @extschema@.refuse_truncate() RETURNS trigger
	LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	RAISE EXCEPTION 'table % cannot be truncated: it holds the built-in processes', TG_TABLE_NAME
		USING ERRCODE = 'insufficient_privilege',
		      HINT = 'Delete the user-defined processes with DELETE instead.';
END $$;

CREATE FUNCTION @extschema@.invalidate_process_cache() RETURNS trigger
	AS 'MODULE_PATHNAME' LANGUAGE C;

COMMENT ON FUNCTION @extschema@.check_process() IS 'validates and canonicalises rows of process';
COMMENT ON FUNCTION @extschema@.check_process_part(text) IS 'refuses changes to a built-in process';
COMMENT ON FUNCTION @extschema@.check_process_row() IS 'validates and canonicalises rows of process_move and process_probability';
COMMENT ON FUNCTION @extschema@.refuse_truncate() IS 'keeps the process tables from being truncated';
COMMENT ON FUNCTION @extschema@.invalidate_process_cache() IS 'tells every backend to reload the processes';

CREATE TRIGGER check_process BEFORE INSERT OR UPDATE OR DELETE ON @extschema@.process
	FOR EACH ROW EXECUTE FUNCTION @extschema@.check_process();
CREATE TRIGGER check_process_row BEFORE INSERT OR UPDATE OR DELETE ON @extschema@.process_move
	FOR EACH ROW EXECUTE FUNCTION @extschema@.check_process_row();
CREATE TRIGGER check_process_row BEFORE INSERT OR UPDATE OR DELETE ON @extschema@.process_probability
	FOR EACH ROW EXECUTE FUNCTION @extschema@.check_process_row();
CREATE TRIGGER refuse_truncate BEFORE TRUNCATE ON @extschema@.process
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.refuse_truncate();
CREATE TRIGGER refuse_truncate BEFORE TRUNCATE ON @extschema@.process_move
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.refuse_truncate();
CREATE TRIGGER refuse_truncate BEFORE TRUNCATE ON @extschema@.process_probability
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.refuse_truncate();
CREATE TRIGGER invalidate_process_cache AFTER INSERT OR UPDATE OR DELETE ON @extschema@.process
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.invalidate_process_cache();
CREATE TRIGGER invalidate_process_cache AFTER INSERT OR UPDATE OR DELETE ON @extschema@.process_move
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.invalidate_process_cache();
CREATE TRIGGER invalidate_process_cache AFTER INSERT OR UPDATE OR DELETE ON @extschema@.process_probability
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.invalidate_process_cache();

CREATE FUNCTION @extschema@.copy_process(source text, name text, description text DEFAULT NULL) RETURNS void
	LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	INSERT INTO @extschema@.process (name, value_type, initial, description)
	SELECT copy_process.name, p.value_type, p.initial,
	       coalesce(copy_process.description, format('copy of %s', source))
	  FROM @extschema@.process p WHERE p.name = source;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'process "%" does not exist', source USING ERRCODE = 'undefined_object';
	END IF;
	INSERT INTO @extschema@.process_move (process, from_value, to_value)
	SELECT copy_process.name, m.from_value, m.to_value FROM @extschema@.process_move m WHERE m.process = source;
	INSERT INTO @extschema@.process_probability (process, value, probability)
	SELECT copy_process.name, q.value, q.probability FROM @extschema@.process_probability q WHERE q.process = source;
END $$;
COMMENT ON FUNCTION @extschema@.copy_process(text, text, text) IS
	'create a process as a copy of another (its initial values, moves and probabilities)';

-- The event trigger that checks transition triggers at CREATE TRIGGER.
CREATE FUNCTION @extschema@.validate_transition_trigger(relid oid, trigger_oid oid) RETURNS void
	AS 'MODULE_PATHNAME' LANGUAGE C STRICT;
COMMENT ON FUNCTION @extschema@.validate_transition_trigger(oid, oid) IS
	'checks a transition trigger''s definition as its first firing would';

CREATE FUNCTION @extschema@.check_transition_triggers() RETURNS event_trigger
	LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	t record;
BEGIN
	FOR t IN SELECT tg.tgrelid, tg.oid
	           FROM pg_catalog.pg_event_trigger_ddl_commands() AS c
	           JOIN pg_catalog.pg_trigger AS tg ON tg.oid = c.objid
	          WHERE c.classid = 'pg_catalog.pg_trigger'::pg_catalog.regclass
	            AND tg.tgfoid = '@extschema@.enforce_transitions()'::pg_catalog.regprocedure
	LOOP
		PERFORM @extschema@.validate_transition_trigger(t.tgrelid, t.oid);
	END LOOP;
END $$;
COMMENT ON FUNCTION @extschema@.check_transition_triggers() IS
	'event trigger: validates transition triggers when they are created';

CREATE EVENT TRIGGER buyerjourney_check_transition_triggers ON ddl_command_end
	WHEN TAG IN ('CREATE TRIGGER')
	EXECUTE FUNCTION @extschema@.check_transition_triggers();
COMMENT ON EVENT TRIGGER buyerjourney_check_transition_triggers IS
	'checks the arguments of enforce_transitions() triggers when they are created';

-- journey: an aggregate state and result type.  Its binary form is its
-- versioned, big-endian wire form; its text form is that in hex, so Citus
-- can ship it between nodes.  Generated from schema/state_type.sql.in.
CREATE TYPE @extschema@.journey;
CREATE FUNCTION @extschema@.journey_in(cstring) RETURNS @extschema@.journey
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.journey_out(@extschema@.journey) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.journey_recv(internal) RETURNS @extschema@.journey
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.journey_send(@extschema@.journey) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE @extschema@.journey (
	INPUT = @extschema@.journey_in, OUTPUT = @extschema@.journey_out,
	RECEIVE = @extschema@.journey_recv, SEND = @extschema@.journey_send,
	INTERNALLENGTH = 24, ALIGNMENT = double, STORAGE = plain
);
COMMENT ON FUNCTION @extschema@.journey_in(cstring) IS 'journey from its text form (hex of the wire form)';
COMMENT ON FUNCTION @extschema@.journey_out(@extschema@.journey) IS 'journey as text (hex of the wire form)';
COMMENT ON FUNCTION @extschema@.journey_recv(internal) IS 'journey from its versioned, big-endian wire form';
COMMENT ON FUNCTION @extschema@.journey_send(@extschema@.journey) IS 'journey as its versioned, big-endian wire form';

-- funnel: an aggregate state and result type.  Its binary form is its
-- versioned, big-endian wire form; its text form is that in hex, so Citus
-- can ship it between nodes.  Generated from schema/state_type.sql.in.
CREATE TYPE @extschema@.funnel;
CREATE FUNCTION @extschema@.funnel_in(cstring) RETURNS @extschema@.funnel
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.funnel_out(@extschema@.funnel) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.funnel_recv(internal) RETURNS @extschema@.funnel
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.funnel_send(@extschema@.funnel) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE @extschema@.funnel (
	INPUT = @extschema@.funnel_in, OUTPUT = @extschema@.funnel_out,
	RECEIVE = @extschema@.funnel_recv, SEND = @extschema@.funnel_send,
	INTERNALLENGTH = 368, ALIGNMENT = double, STORAGE = plain
);
COMMENT ON FUNCTION @extschema@.funnel_in(cstring) IS 'funnel from its text form (hex of the wire form)';
COMMENT ON FUNCTION @extschema@.funnel_out(@extschema@.funnel) IS 'funnel as text (hex of the wire form)';
COMMENT ON FUNCTION @extschema@.funnel_recv(internal) IS 'funnel from its versioned, big-endian wire form';
COMMENT ON FUNCTION @extschema@.funnel_send(@extschema@.funnel) IS 'funnel as its versioned, big-endian wire form';

-- velocity: an aggregate state and result type.  Its binary form is its
-- versioned, big-endian wire form; its text form is that in hex, so Citus
-- can ship it between nodes.  Generated from schema/state_type.sql.in.
CREATE TYPE @extschema@.velocity;
CREATE FUNCTION @extschema@.velocity_in(cstring) RETURNS @extschema@.velocity
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.velocity_out(@extschema@.velocity) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.velocity_recv(internal) RETURNS @extschema@.velocity
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.velocity_send(@extschema@.velocity) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE @extschema@.velocity (
	INPUT = @extschema@.velocity_in, OUTPUT = @extschema@.velocity_out,
	RECEIVE = @extschema@.velocity_recv, SEND = @extschema@.velocity_send,
	INTERNALLENGTH = 56, ALIGNMENT = double, STORAGE = plain
);
COMMENT ON FUNCTION @extschema@.velocity_in(cstring) IS 'velocity from its text form (hex of the wire form)';
COMMENT ON FUNCTION @extschema@.velocity_out(@extschema@.velocity) IS 'velocity as text (hex of the wire form)';
COMMENT ON FUNCTION @extschema@.velocity_recv(internal) IS 'velocity from its versioned, big-endian wire form';
COMMENT ON FUNCTION @extschema@.velocity_send(@extschema@.velocity) IS 'velocity as its versioned, big-endian wire form';

-- timeline: an aggregate state and result type.  Its binary form is its
-- versioned, big-endian wire form; its text form is that in hex, so Citus
-- can ship it between nodes.  Generated from schema/state_type.sql.in.
CREATE TYPE @extschema@.timeline;
CREATE FUNCTION @extschema@.timeline_in(cstring) RETURNS @extschema@.timeline
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.timeline_out(@extschema@.timeline) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.timeline_recv(internal) RETURNS @extschema@.timeline
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.timeline_send(@extschema@.timeline) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE @extschema@.timeline (
	INPUT = @extschema@.timeline_in, OUTPUT = @extschema@.timeline_out,
	RECEIVE = @extschema@.timeline_recv, SEND = @extschema@.timeline_send,
	INTERNALLENGTH = VARIABLE, STORAGE = extended
);
COMMENT ON FUNCTION @extschema@.timeline_in(cstring) IS 'timeline from its text form (hex of the wire form)';
COMMENT ON FUNCTION @extschema@.timeline_out(@extschema@.timeline) IS 'timeline as text (hex of the wire form)';
COMMENT ON FUNCTION @extschema@.timeline_recv(internal) IS 'timeline from its versioned, big-endian wire form';
COMMENT ON FUNCTION @extschema@.timeline_send(@extschema@.timeline) IS 'timeline as its versioned, big-endian wire form';

-- stage_durations: an aggregate state and result type.  Its binary form is its
-- versioned, big-endian wire form; its text form is that in hex, so Citus
-- can ship it between nodes.  Generated from schema/state_type.sql.in.
CREATE TYPE @extschema@.stage_durations;
CREATE FUNCTION @extschema@.stage_durations_in(cstring) RETURNS @extschema@.stage_durations
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.stage_durations_out(@extschema@.stage_durations) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.stage_durations_recv(internal) RETURNS @extschema@.stage_durations
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.stage_durations_send(@extschema@.stage_durations) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE @extschema@.stage_durations (
	INPUT = @extschema@.stage_durations_in, OUTPUT = @extschema@.stage_durations_out,
	RECEIVE = @extschema@.stage_durations_recv, SEND = @extschema@.stage_durations_send,
	INTERNALLENGTH = 520, ALIGNMENT = double, STORAGE = plain
);
COMMENT ON FUNCTION @extschema@.stage_durations_in(cstring) IS 'stage_durations from its text form (hex of the wire form)';
COMMENT ON FUNCTION @extschema@.stage_durations_out(@extschema@.stage_durations) IS 'stage_durations as text (hex of the wire form)';
COMMENT ON FUNCTION @extschema@.stage_durations_recv(internal) IS 'stage_durations from its versioned, big-endian wire form';
COMMENT ON FUNCTION @extschema@.stage_durations_send(@extschema@.stage_durations) IS 'stage_durations as its versioned, big-endian wire form';

-- window_counts: an aggregate state and result type.  Its binary form is its
-- versioned, big-endian wire form; its text form is that in hex, so Citus
-- can ship it between nodes.  Generated from schema/state_type.sql.in.
CREATE TYPE @extschema@.window_counts;
CREATE FUNCTION @extschema@.window_counts_in(cstring) RETURNS @extschema@.window_counts
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.window_counts_out(@extschema@.window_counts) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.window_counts_recv(internal) RETURNS @extschema@.window_counts
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.window_counts_send(@extschema@.window_counts) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE @extschema@.window_counts (
	INPUT = @extschema@.window_counts_in, OUTPUT = @extschema@.window_counts_out,
	RECEIVE = @extschema@.window_counts_recv, SEND = @extschema@.window_counts_send,
	INTERNALLENGTH = 424, ALIGNMENT = double, STORAGE = plain
);
COMMENT ON FUNCTION @extschema@.window_counts_in(cstring) IS 'window_counts from its text form (hex of the wire form)';
COMMENT ON FUNCTION @extschema@.window_counts_out(@extschema@.window_counts) IS 'window_counts as text (hex of the wire form)';
COMMENT ON FUNCTION @extschema@.window_counts_recv(internal) IS 'window_counts from its versioned, big-endian wire form';
COMMENT ON FUNCTION @extschema@.window_counts_send(@extschema@.window_counts) IS 'window_counts as its versioned, big-endian wire form';

-- customer_summary: an aggregate state and result type.  Its binary form is its
-- versioned, big-endian wire form; its text form is that in hex, so Citus
-- can ship it between nodes.  Generated from schema/state_type.sql.in.
CREATE TYPE @extschema@.customer_summary;
CREATE FUNCTION @extschema@.customer_summary_in(cstring) RETURNS @extschema@.customer_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.customer_summary_out(@extschema@.customer_summary) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.customer_summary_recv(internal) RETURNS @extschema@.customer_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.customer_summary_send(@extschema@.customer_summary) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE @extschema@.customer_summary (
	INPUT = @extschema@.customer_summary_in, OUTPUT = @extschema@.customer_summary_out,
	RECEIVE = @extschema@.customer_summary_recv, SEND = @extschema@.customer_summary_send,
	INTERNALLENGTH = VARIABLE, STORAGE = extended
);
COMMENT ON FUNCTION @extschema@.customer_summary_in(cstring) IS 'customer_summary from its text form (hex of the wire form)';
COMMENT ON FUNCTION @extschema@.customer_summary_out(@extschema@.customer_summary) IS 'customer_summary as text (hex of the wire form)';
COMMENT ON FUNCTION @extschema@.customer_summary_recv(internal) IS 'customer_summary from its versioned, big-endian wire form';
COMMENT ON FUNCTION @extschema@.customer_summary_send(@extschema@.customer_summary) IS 'customer_summary as its versioned, big-endian wire form';

-- bgnbd_model: an aggregate state and result type.  Its binary form is its
-- versioned, big-endian wire form; its text form is that in hex, so Citus
-- can ship it between nodes.  Generated from schema/state_type.sql.in.
CREATE TYPE @extschema@.bgnbd_model;
CREATE FUNCTION @extschema@.bgnbd_model_in(cstring) RETURNS @extschema@.bgnbd_model
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.bgnbd_model_out(@extschema@.bgnbd_model) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.bgnbd_model_recv(internal) RETURNS @extschema@.bgnbd_model
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.bgnbd_model_send(@extschema@.bgnbd_model) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE @extschema@.bgnbd_model (
	INPUT = @extschema@.bgnbd_model_in, OUTPUT = @extschema@.bgnbd_model_out,
	RECEIVE = @extschema@.bgnbd_model_recv, SEND = @extschema@.bgnbd_model_send,
	INTERNALLENGTH = 80, ALIGNMENT = double, STORAGE = plain
);
COMMENT ON FUNCTION @extschema@.bgnbd_model_in(cstring) IS 'bgnbd_model from its text form (hex of the wire form)';
COMMENT ON FUNCTION @extschema@.bgnbd_model_out(@extschema@.bgnbd_model) IS 'bgnbd_model as text (hex of the wire form)';
COMMENT ON FUNCTION @extschema@.bgnbd_model_recv(internal) IS 'bgnbd_model from its versioned, big-endian wire form';
COMMENT ON FUNCTION @extschema@.bgnbd_model_send(@extschema@.bgnbd_model) IS 'bgnbd_model as its versioned, big-endian wire form';

-- gammagamma_model: an aggregate state and result type.  Its binary form is its
-- versioned, big-endian wire form; its text form is that in hex, so Citus
-- can ship it between nodes.  Generated from schema/state_type.sql.in.
CREATE TYPE @extschema@.gammagamma_model;
CREATE FUNCTION @extschema@.gammagamma_model_in(cstring) RETURNS @extschema@.gammagamma_model
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.gammagamma_model_out(@extschema@.gammagamma_model) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.gammagamma_model_recv(internal) RETURNS @extschema@.gammagamma_model
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.gammagamma_model_send(@extschema@.gammagamma_model) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE @extschema@.gammagamma_model (
	INPUT = @extschema@.gammagamma_model_in, OUTPUT = @extschema@.gammagamma_model_out,
	RECEIVE = @extschema@.gammagamma_model_recv, SEND = @extschema@.gammagamma_model_send,
	INTERNALLENGTH = 56, ALIGNMENT = double, STORAGE = plain
);
COMMENT ON FUNCTION @extschema@.gammagamma_model_in(cstring) IS 'gammagamma_model from its text form (hex of the wire form)';
COMMENT ON FUNCTION @extschema@.gammagamma_model_out(@extschema@.gammagamma_model) IS 'gammagamma_model as text (hex of the wire form)';
COMMENT ON FUNCTION @extschema@.gammagamma_model_recv(internal) IS 'gammagamma_model from its versioned, big-endian wire form';
COMMENT ON FUNCTION @extschema@.gammagamma_model_send(@extschema@.gammagamma_model) IS 'gammagamma_model as its versioned, big-endian wire form';

-- ---------------------------------------------------------------------------
-- Pipeline conversion (src/pipeline_agg.c, src/core/bj_journey.c,
-- bj_funnel.c): the per-deal journey, the funnel over deals, and the
-- one-pass funnel over events.  Every aggregate is parallel, with a combine
-- function; journey and funnel are concrete types, so Citus can ship them.
-- ---------------------------------------------------------------------------

COMMENT ON TYPE @extschema@.journey IS
	'one deal''s stage events summarised: stages entered, first and last event (order-independent, mergeable)';

CREATE FUNCTION @extschema@.journey_add(@extschema@.journey, @extschema@.journey_stage, timestamptz)
	RETURNS @extschema@.journey AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.journey_merge(@extschema@.journey, @extschema@.journey)
	RETURNS @extschema@.journey AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.journey_add(@extschema@.journey, @extschema@.journey_stage, timestamptz) IS
	'a journey with one event more (NULL stage or time: unchanged)';
COMMENT ON FUNCTION @extschema@.journey_merge(@extschema@.journey, @extschema@.journey) IS
	'two journeys of the same deal as one';

CREATE AGGREGATE @extschema@.journey(@extschema@.journey_stage, timestamptz) (
	SFUNC = @extschema@.journey_add, STYPE = @extschema@.journey,
	COMBINEFUNC = @extschema@.journey_merge, PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.journey(@extschema@.journey) (
	SFUNC = @extschema@.journey_merge, STYPE = @extschema@.journey,
	COMBINEFUNC = @extschema@.journey_merge, PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.journey(@extschema@.journey_stage, timestamptz) IS
	'a deal''s journey from its stage events, in any order (use with GROUP BY deal)';
COMMENT ON AGGREGATE @extschema@.journey(@extschema@.journey) IS
	'journeys of the same deal rolled up (e.g. daily into monthly)';

CREATE FUNCTION @extschema@.first_at(@extschema@.journey) RETURNS timestamptz
	AS 'MODULE_PATHNAME', 'journey_first_at' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.last_at(@extschema@.journey) RETURNS timestamptz
	AS 'MODULE_PATHNAME', 'journey_last_at' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.first_stage(@extschema@.journey) RETURNS @extschema@.journey_stage
	AS 'MODULE_PATHNAME', 'journey_first_stage' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.last_stage(@extschema@.journey) RETURNS @extschema@.journey_stage
	AS 'MODULE_PATHNAME', 'journey_last_stage' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.stages_entered(@extschema@.journey) RETURNS @extschema@.journey_stage[]
	AS 'MODULE_PATHNAME', 'journey_stages_entered' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.first_at(@extschema@.journey) IS 'time of the deal''s earliest event';
COMMENT ON FUNCTION @extschema@.last_at(@extschema@.journey) IS 'time of the deal''s latest event';
COMMENT ON FUNCTION @extschema@.first_stage(@extschema@.journey) IS 'stage of the earliest event (ties: lowest ordinal)';
COMMENT ON FUNCTION @extschema@.last_stage(@extschema@.journey) IS 'stage of the latest event (ties: highest ordinal): where the deal is';
COMMENT ON FUNCTION @extschema@.stages_entered(@extschema@.journey) IS 'the stages the deal had an event at, in model order';

COMMENT ON TYPE @extschema@.funnel IS
	'conversion counts over a set of deals: entered, passed, moved on and currently at each stage';

CREATE FUNCTION @extschema@.funnel_add(@extschema@.funnel, @extschema@.journey) RETURNS @extschema@.funnel
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.funnel_merge(@extschema@.funnel, @extschema@.funnel) RETURNS @extschema@.funnel
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.funnel_add(@extschema@.funnel, @extschema@.journey) IS 'a funnel with one deal more';
COMMENT ON FUNCTION @extschema@.funnel_merge(@extschema@.funnel, @extschema@.funnel) IS 'funnels of disjoint sets of deals added up';

CREATE AGGREGATE @extschema@.funnel(@extschema@.journey) (
	SFUNC = @extschema@.funnel_add, STYPE = @extschema@.funnel,
	COMBINEFUNC = @extschema@.funnel_merge, PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.funnel(@extschema@.funnel) (
	SFUNC = @extschema@.funnel_merge, STYPE = @extschema@.funnel,
	COMBINEFUNC = @extschema@.funnel_merge, PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.funnel(@extschema@.journey) IS 'the funnel of a set of deals, one journey each';
COMMENT ON AGGREGATE @extschema@.funnel(@extschema@.funnel) IS 'funnels of disjoint sets of deals added up';

-- One pass over events (src/onepass_agg.c): these names are those of 1.0.0,
-- kept so that upgraded databases and views over funnel() keep working.
CREATE FUNCTION @extschema@.funnel_events_add(internal, bigint, @extschema@.journey_stage, timestamptz)
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION @extschema@.funnel_events_combine(internal, internal)
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION @extschema@.funnel_events_serialize(internal)
	RETURNS bytea AS 'MODULE_PATHNAME' LANGUAGE C STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.funnel_events_deserialize(bytea, internal)
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.funnel_events_final(internal)
	RETURNS @extschema@.funnel AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.funnel_events_add(internal, bigint, @extschema@.journey_stage, timestamptz) IS 'funnel(deal, stage, at) transition';
COMMENT ON FUNCTION @extschema@.funnel_events_combine(internal, internal) IS 'funnel(deal, stage, at) combine';
COMMENT ON FUNCTION @extschema@.funnel_events_serialize(internal) IS 'funnel(deal, stage, at) state to its wire form';
COMMENT ON FUNCTION @extschema@.funnel_events_deserialize(bytea, internal) IS 'funnel(deal, stage, at) state from its wire form';
COMMENT ON FUNCTION @extschema@.funnel_events_final(internal) IS 'funnel(deal, stage, at) result';

CREATE AGGREGATE @extschema@.funnel(deal bigint, stage @extschema@.journey_stage, at timestamptz) (
	SFUNC = @extschema@.funnel_events_add, STYPE = internal,
	COMBINEFUNC = @extschema@.funnel_events_combine,
	SERIALFUNC = @extschema@.funnel_events_serialize,
	DESERIALFUNC = @extschema@.funnel_events_deserialize,
	FINALFUNC = @extschema@.funnel_events_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.funnel(bigint, @extschema@.journey_stage, timestamptz) IS
	'the funnel of stage events (deal, stage, at) in any order, in one pass';

CREATE FUNCTION @extschema@.funnel_report(f @extschema@.funnel, count_skipped boolean DEFAULT false,
	OUT stage @extschema@.journey_stage, OUT entered bigint, OUT moved_on bigint,
	OUT conversion double precision, OUT cumulative double precision, OUT current bigint)
	RETURNS SETOF record AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.funnel_report(@extschema@.funnel, boolean) IS
	'one row per stage: deals entered (or passed, with count_skipped), moved on to a later stage, conversion, share of all deals, currently there';

CREATE FUNCTION @extschema@.funnel_outcomes(f @extschema@.funnel,
	OUT deals bigint, OUT open bigint, OUT won bigint, OUT lost bigint, OUT no_decision bigint,
	OUT win_rate double precision, OUT loss_rate double precision, OUT no_decision_rate double precision)
	RETURNS record AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.funnel_outcomes(@extschema@.funnel) IS
	'where the deals are: open, won, lost, no decision, and the rates over closed deals';

-- What the pipeline is worth (src/pipeline_value.c).
CREATE FUNCTION @extschema@.stage_probability(process text, stage @extschema@.journey_stage)
	RETURNS double precision AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.stage_probability(text, @extschema@.journey_stage) IS
	'win probability of a stage under a process (process_probability), NULL if it sets none';
CREATE FUNCTION @extschema@.weighted_amount(amount numeric, stage @extschema@.journey_stage,
	process text DEFAULT 'complex', probability double precision DEFAULT NULL)
	RETURNS numeric AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.weighted_amount(numeric, @extschema@.journey_stage, text, double precision) IS
	'amount times the deal''s own probability if given, else its stage''s probability under the process; sum() it for the weighted pipeline';

-- Pipeline velocity: (open deals x average won deal size x win rate)
-- / average sales cycle in days, per day.
COMMENT ON TYPE @extschema@.velocity IS 'pipeline velocity counts and sums over a set of deals (mergeable)';

CREATE FUNCTION @extschema@.velocity_add(@extschema@.velocity, @extschema@.journey, numeric)
	RETURNS @extschema@.velocity AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.velocity_merge(@extschema@.velocity, @extschema@.velocity)
	RETURNS @extschema@.velocity AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.velocity_add(@extschema@.velocity, @extschema@.journey, numeric) IS 'velocity with one deal more';
COMMENT ON FUNCTION @extschema@.velocity_merge(@extschema@.velocity, @extschema@.velocity) IS 'velocities of disjoint sets of deals added up';

CREATE AGGREGATE @extschema@.pipeline_velocity(@extschema@.journey, numeric) (
	SFUNC = @extschema@.velocity_add, STYPE = @extschema@.velocity,
	COMBINEFUNC = @extschema@.velocity_merge, PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.pipeline_velocity(@extschema@.velocity) (
	SFUNC = @extschema@.velocity_merge, STYPE = @extschema@.velocity,
	COMBINEFUNC = @extschema@.velocity_merge, PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.pipeline_velocity(@extschema@.journey, numeric) IS
	'pipeline velocity of deals given as (journey, amount)';
COMMENT ON AGGREGATE @extschema@.pipeline_velocity(@extschema@.velocity) IS
	'velocities of disjoint sets of deals added up';

CREATE FUNCTION @extschema@.velocity_report(v @extschema@.velocity,
	OUT deals bigint, OUT open_deals bigint, OUT won bigint, OUT win_rate double precision,
	OUT average_won_size double precision, OUT average_cycle_days double precision,
	OUT velocity_per_day double precision)
	RETURNS record AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.velocity_report(@extschema@.velocity) IS
	'open deals, won, win rate, average won deal size, average cycle (days) and velocity per day';

-- ---------------------------------------------------------------------------
-- Timelines (src/timeline_agg.c, src/core/bj_timeline.c): one deal's stage
-- events in time order; time in stage, stalled deals, the window funnel.
-- ---------------------------------------------------------------------------

COMMENT ON TYPE @extschema@.timeline IS 'one deal''s stage events in time order (at most 100,000)';

CREATE FUNCTION @extschema@.timeline_add(@extschema@.timeline, @extschema@.journey_stage, timestamptz)
	RETURNS @extschema@.timeline AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.timeline_merge(@extschema@.timeline, @extschema@.timeline)
	RETURNS @extschema@.timeline AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.timeline_normalize(@extschema@.timeline)
	RETURNS @extschema@.timeline AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.timeline_add(@extschema@.timeline, @extschema@.journey_stage, timestamptz) IS 'a timeline with one event more';
COMMENT ON FUNCTION @extschema@.timeline_merge(@extschema@.timeline, @extschema@.timeline) IS 'the events of two timelines of one deal';
COMMENT ON FUNCTION @extschema@.timeline_normalize(@extschema@.timeline) IS 'a timeline sorted, duplicates dropped';

CREATE AGGREGATE @extschema@.timeline(@extschema@.journey_stage, timestamptz) (
	SFUNC = @extschema@.timeline_add, STYPE = @extschema@.timeline,
	COMBINEFUNC = @extschema@.timeline_merge, FINALFUNC = @extschema@.timeline_normalize,
	PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.timeline(@extschema@.timeline) (
	SFUNC = @extschema@.timeline_merge, STYPE = @extschema@.timeline,
	COMBINEFUNC = @extschema@.timeline_merge, FINALFUNC = @extschema@.timeline_normalize,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.timeline(@extschema@.journey_stage, timestamptz) IS
	'a deal''s timeline from its stage events, in any order (use with GROUP BY deal)';
COMMENT ON AGGREGATE @extschema@.timeline(@extschema@.timeline) IS 'timelines of one deal rolled up';

CREATE FUNCTION @extschema@.stage_times(t @extschema@.timeline, as_of timestamptz, since timestamptz DEFAULT NULL,
	OUT stage @extschema@.journey_stage, OUT visits bigint, OUT total interval, OUT latest interval)
	RETURNS SETOF record AS 'MODULE_PATHNAME', 'timeline_stage_times' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.stage_times(@extschema@.timeline, timestamptz, timestamptz) IS
	'per stage: entries, total and latest time inside [since, as_of); the stage carried in from before since counts from since';
CREATE FUNCTION @extschema@.stage_visits(t @extschema@.timeline, as_of timestamptz,
	OUT stage @extschema@.journey_stage, OUT entered_at timestamptz, OUT left_at timestamptz,
	OUT duration interval, OUT next_stage @extschema@.journey_stage)
	RETURNS SETOF record AS 'MODULE_PATHNAME', 'timeline_stage_visits' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.stage_visits(@extschema@.timeline, timestamptz) IS
	'every visit to a stage before as_of: entered, left (NULL if still there), duration up to as_of, next stage';
CREATE FUNCTION @extschema@.current_stage(t @extschema@.timeline, as_of timestamptz)
	RETURNS @extschema@.journey_stage AS 'MODULE_PATHNAME', 'timeline_current_stage' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.time_in_current_stage(t @extschema@.timeline, as_of timestamptz)
	RETURNS interval AS 'MODULE_PATHNAME', 'timeline_time_in_current_stage' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.current_stage(@extschema@.timeline, timestamptz) IS 'the stage the deal was at as of a time';
COMMENT ON FUNCTION @extschema@.time_in_current_stage(@extschema@.timeline, timestamptz) IS 'how long the deal had been at its stage, as of a time';

CREATE FUNCTION @extschema@.stalled(t @extschema@.timeline, as_of timestamptz, threshold interval)
	RETURNS boolean LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
	SELECT @extschema@.is_open(@extschema@.current_stage(t, as_of))
	   AND @extschema@.time_in_current_stage(t, as_of) > threshold;
END;
COMMENT ON FUNCTION @extschema@.stalled(@extschema@.timeline, timestamptz, interval) IS
	'true if the deal is at an open stage and has been there longer than threshold (join a table of thresholds per stage for per-stage limits)';

CREATE FUNCTION @extschema@.window_funnel(t @extschema@.timeline, window_length interval,
	steps @extschema@.journey_stage[], mode text[] DEFAULT '{}',
	OUT depth integer, OUT step_at timestamptz[])
	RETURNS record AS 'MODULE_PATHNAME', 'timeline_window_funnel' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.window_funnel(@extschema@.timeline, interval, @extschema@.journey_stage[], text[]) IS
	'the deepest step reached in order within the window of the first step, and when each step was reached; modes strict_order, strict_increase, strict_deduplication';

-- ---------------------------------------------------------------------------
-- One-pass aggregates over the stage events of many deals, no GROUP BY deal
-- (src/onepass_agg.c, src/pipeline_summaries.c, src/core/bj_deal_log.c):
-- time_in_stage(deal, stage, at, as_of) and window_funnel(deal, stage, at,
-- window, steps, mode), new in 1.1.0; funnel(deal, stage, at), of 1.0.0, is
-- in pipeline.sql and shares their state.  The state is a log of the events
-- put in deal order once; parallel workers each hand over one packed run.
-- This file is also the body of the 1.0.0 -> 1.1.0 upgrade script.
-- ---------------------------------------------------------------------------

CREATE FUNCTION @extschema@.onepass_combine(internal, internal)
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION @extschema@.onepass_serialize(internal)
	RETURNS bytea AS 'MODULE_PATHNAME' LANGUAGE C STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.onepass_deserialize(bytea, internal)
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.onepass_combine(internal, internal) IS 'one-pass aggregates: combine (adopts a worker''s sorted run)';
COMMENT ON FUNCTION @extschema@.onepass_serialize(internal) IS 'one-pass aggregates: state to its checked form';
COMMENT ON FUNCTION @extschema@.onepass_deserialize(bytea, internal) IS 'one-pass aggregates: state from its checked form';

-- time_in_stage(deal, stage, at, as_of) -> stage_durations
COMMENT ON TYPE @extschema@.stage_durations IS 'time in stage over many deals, as of one time: visits, moves on and their durations, per stage';
CREATE FUNCTION @extschema@.time_in_stage_add(internal, bigint, @extschema@.journey_stage, timestamptz, timestamptz)
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION @extschema@.time_in_stage_final(internal)
	RETURNS @extschema@.stage_durations AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION @extschema@.stage_durations_merge(@extschema@.stage_durations, @extschema@.stage_durations)
	RETURNS @extschema@.stage_durations AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.time_in_stage_add(internal, bigint, @extschema@.journey_stage, timestamptz, timestamptz) IS 'time_in_stage(deal, stage, at, as_of) transition';
COMMENT ON FUNCTION @extschema@.time_in_stage_final(internal) IS 'time_in_stage(deal, stage, at, as_of) result';
COMMENT ON FUNCTION @extschema@.stage_durations_merge(@extschema@.stage_durations, @extschema@.stage_durations) IS 'times in stage of disjoint sets of deals added up';
CREATE AGGREGATE @extschema@.time_in_stage(deal bigint, stage @extschema@.journey_stage, at timestamptz, as_of timestamptz) (
	SFUNC = @extschema@.time_in_stage_add, STYPE = internal,
	COMBINEFUNC = @extschema@.onepass_combine,
	SERIALFUNC = @extschema@.onepass_serialize, DESERIALFUNC = @extschema@.onepass_deserialize,
	FINALFUNC = @extschema@.time_in_stage_final,
	PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.time_in_stage(@extschema@.stage_durations) (
	SFUNC = @extschema@.stage_durations_merge, STYPE = @extschema@.stage_durations,
	COMBINEFUNC = @extschema@.stage_durations_merge,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.time_in_stage(bigint, @extschema@.journey_stage, timestamptz, timestamptz) IS
	'time in stage of stage events (deal, stage, at) in any order, as of a time, in one pass';
COMMENT ON AGGREGATE @extschema@.time_in_stage(@extschema@.stage_durations) IS
	'times in stage of disjoint sets of deals (read as of one time) added up';
CREATE FUNCTION @extschema@.time_in_stage_report(d @extschema@.stage_durations,
	OUT stage @extschema@.journey_stage, OUT visits bigint, OUT moved_on bigint, OUT avg_to_next interval,
	OUT still_there bigint, OUT avg_so_far interval, OUT avg_visit interval)
	RETURNS SETOF record AS 'MODULE_PATHNAME', 'stage_durations_report' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.time_in_stage_report(@extschema@.stage_durations) IS
	'per stage entered: visits; visits that moved on and their mean length; visits still going at as_of and their mean length so far; mean of all';

-- window_funnel(deal, stage, at, window, steps[, mode]) -> window_counts
COMMENT ON TYPE @extschema@.window_counts IS 'an ordered window funnel over many deals: deals per step reached and time between steps';
CREATE FUNCTION @extschema@.window_funnel_add(internal, bigint, @extschema@.journey_stage, timestamptz,
	interval, @extschema@.journey_stage[], text[])
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION @extschema@.window_funnel_final(internal)
	RETURNS @extschema@.window_counts AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION @extschema@.window_counts_merge(@extschema@.window_counts, @extschema@.window_counts)
	RETURNS @extschema@.window_counts AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.window_funnel_add(internal, bigint, @extschema@.journey_stage, timestamptz, interval, @extschema@.journey_stage[], text[]) IS 'window_funnel(deal, stage, at, window, steps, mode) transition';
COMMENT ON FUNCTION @extschema@.window_funnel_final(internal) IS 'window_funnel(deal, stage, at, window, steps, mode) result';
COMMENT ON FUNCTION @extschema@.window_counts_merge(@extschema@.window_counts, @extschema@.window_counts) IS 'window funnels of disjoint sets of deals added up';
CREATE AGGREGATE @extschema@.window_funnel(deal bigint, stage @extschema@.journey_stage, at timestamptz,
	window_length interval, steps @extschema@.journey_stage[], mode text[]) (
	SFUNC = @extschema@.window_funnel_add, STYPE = internal,
	COMBINEFUNC = @extschema@.onepass_combine,
	SERIALFUNC = @extschema@.onepass_serialize, DESERIALFUNC = @extschema@.onepass_deserialize,
	FINALFUNC = @extschema@.window_funnel_final,
	PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.window_funnel(@extschema@.window_counts) (
	SFUNC = @extschema@.window_counts_merge, STYPE = @extschema@.window_counts,
	COMBINEFUNC = @extschema@.window_counts_merge,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.window_funnel(bigint, @extschema@.journey_stage, timestamptz, interval, @extschema@.journey_stage[], text[]) IS
	'the ordered window funnel of stage events (deal, stage, at) in any order, in one pass; mode ''{}'' for none';
COMMENT ON AGGREGATE @extschema@.window_funnel(@extschema@.window_counts) IS
	'window funnels of disjoint sets of deals (same window, steps and mode) added up';
CREATE FUNCTION @extschema@.window_funnel_report(w @extschema@.window_counts,
	OUT step integer, OUT stage @extschema@.journey_stage, OUT deals bigint,
	OUT conversion double precision, OUT cumulative double precision, OUT avg_from_previous interval)
	RETURNS SETOF record AS 'MODULE_PATHNAME', 'window_counts_report' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.window_funnel_report(@extschema@.window_counts) IS
	'per step: deals whose chain got that far, conversion from the step before and from the first, mean time from the step before';

-- ---------------------------------------------------------------------------
-- Lifetime value (MODEL.md section 4; src/ltv_summary.c, ltv_models.c,
-- ltv_predict.c, src/core/bj_ltv*.c): the customer value summary, BG/NBD
-- and Gamma-Gamma fitted by aggregates, predictions with explicit time
-- units, LTV = historical + current + potential, and the lifecycle phase
-- from behaviour.  New in 1.1.0: also the body of its upgrade script.
-- ---------------------------------------------------------------------------

-- The customer value summary
COMMENT ON TYPE @extschema@.customer_summary IS
	'one customer''s purchases: first and last, distinct purchase periods, total and first period''s amount (exact)';
CREATE FUNCTION @extschema@.customer_summary_add(internal, numeric, timestamptz)
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION @extschema@.customer_summary_add(internal, numeric, timestamptz, text)
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION @extschema@.customer_summary_add(internal, numeric, date)
	RETURNS internal AS 'MODULE_PATHNAME', 'customer_summary_add_date' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION @extschema@.customer_summary_add(internal, numeric, date, text)
	RETURNS internal AS 'MODULE_PATHNAME', 'customer_summary_add_date' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION @extschema@.customer_summary_combine(internal, internal)
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION @extschema@.customer_summary_serialize(internal)
	RETURNS bytea AS 'MODULE_PATHNAME' LANGUAGE C STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.customer_summary_deserialize(bytea, internal)
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.customer_summary_final(internal)
	RETURNS @extschema@.customer_summary AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION @extschema@.customer_summary_merge(@extschema@.customer_summary, @extschema@.customer_summary)
	RETURNS @extschema@.customer_summary AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.customer_summary_add(internal, numeric, timestamptz) IS 'customer_summary(amount, at) transition';
COMMENT ON FUNCTION @extschema@.customer_summary_add(internal, numeric, timestamptz, text) IS 'customer_summary(amount, at, period) transition';
COMMENT ON FUNCTION @extschema@.customer_summary_add(internal, numeric, date) IS 'customer_summary(amount, on) transition';
COMMENT ON FUNCTION @extschema@.customer_summary_add(internal, numeric, date, text) IS 'customer_summary(amount, on, period) transition';
COMMENT ON FUNCTION @extschema@.customer_summary_combine(internal, internal) IS 'customer_summary combine';
COMMENT ON FUNCTION @extschema@.customer_summary_serialize(internal) IS 'customer_summary state to its wire form';
COMMENT ON FUNCTION @extschema@.customer_summary_deserialize(bytea, internal) IS 'customer_summary state from its wire form';
COMMENT ON FUNCTION @extschema@.customer_summary_final(internal) IS 'customer_summary result';
COMMENT ON FUNCTION @extschema@.customer_summary_merge(@extschema@.customer_summary, @extschema@.customer_summary) IS
	'summaries of one customer''s orders (partitions, months) rolled up';

CREATE AGGREGATE @extschema@.customer_summary(amount numeric, at timestamptz) (
	SFUNC = @extschema@.customer_summary_add, STYPE = internal,
	COMBINEFUNC = @extschema@.customer_summary_combine,
	SERIALFUNC = @extschema@.customer_summary_serialize, DESERIALFUNC = @extschema@.customer_summary_deserialize,
	FINALFUNC = @extschema@.customer_summary_final, PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.customer_summary(amount numeric, at timestamptz, period text) (
	SFUNC = @extschema@.customer_summary_add, STYPE = internal,
	COMBINEFUNC = @extschema@.customer_summary_combine,
	SERIALFUNC = @extschema@.customer_summary_serialize, DESERIALFUNC = @extschema@.customer_summary_deserialize,
	FINALFUNC = @extschema@.customer_summary_final, PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.customer_summary(amount numeric, "on" date) (
	SFUNC = @extschema@.customer_summary_add, STYPE = internal,
	COMBINEFUNC = @extschema@.customer_summary_combine,
	SERIALFUNC = @extschema@.customer_summary_serialize, DESERIALFUNC = @extschema@.customer_summary_deserialize,
	FINALFUNC = @extschema@.customer_summary_final, PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.customer_summary(amount numeric, "on" date, period text) (
	SFUNC = @extschema@.customer_summary_add, STYPE = internal,
	COMBINEFUNC = @extschema@.customer_summary_combine,
	SERIALFUNC = @extschema@.customer_summary_serialize, DESERIALFUNC = @extschema@.customer_summary_deserialize,
	FINALFUNC = @extschema@.customer_summary_final, PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.customer_summary(@extschema@.customer_summary) (
	SFUNC = @extschema@.customer_summary_merge, STYPE = @extschema@.customer_summary,
	COMBINEFUNC = @extschema@.customer_summary_merge, PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.customer_summary(numeric, timestamptz) IS 'one customer''s orders summarised, purchases of one UTC day merged (use with GROUP BY customer)';
COMMENT ON AGGREGATE @extschema@.customer_summary(numeric, timestamptz, text) IS 'one customer''s orders summarised, purchases of one period (day, week, month; UTC) merged';
COMMENT ON AGGREGATE @extschema@.customer_summary(numeric, date) IS 'one customer''s orders by date summarised, purchases of one day merged';
COMMENT ON AGGREGATE @extschema@.customer_summary(numeric, date, text) IS 'one customer''s orders by date summarised, purchases of one period (day, week, month) merged';
COMMENT ON AGGREGATE @extschema@.customer_summary(@extschema@.customer_summary) IS 'summaries of one customer rolled up';

CREATE FUNCTION @extschema@.first_purchase(s @extschema@.customer_summary) RETURNS timestamptz
	AS 'MODULE_PATHNAME', 'customer_summary_first_purchase' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.last_purchase(s @extschema@.customer_summary) RETURNS timestamptz
	AS 'MODULE_PATHNAME', 'customer_summary_last_purchase' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.purchase_periods(s @extschema@.customer_summary) RETURNS integer
	AS 'MODULE_PATHNAME', 'customer_summary_periods' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.purchase_period(s @extschema@.customer_summary) RETURNS text
	AS 'MODULE_PATHNAME', 'customer_summary_period' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.frequency(s @extschema@.customer_summary) RETURNS integer
	AS 'MODULE_PATHNAME', 'customer_summary_frequency' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.historical_value(s @extschema@.customer_summary) RETURNS numeric
	AS 'MODULE_PATHNAME', 'customer_summary_historical_value' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.mean_repeat_spend(s @extschema@.customer_summary) RETURNS numeric
	AS 'MODULE_PATHNAME', 'customer_summary_mean_repeat_spend' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.recency(s @extschema@.customer_summary, time_unit interval) RETURNS double precision
	AS 'MODULE_PATHNAME', 'customer_summary_recency' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.customer_age(s @extschema@.customer_summary, as_of timestamptz, time_unit interval)
	RETURNS double precision AS 'MODULE_PATHNAME', 'customer_summary_age' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.first_purchase(@extschema@.customer_summary) IS 'the time of the first purchase';
COMMENT ON FUNCTION @extschema@.last_purchase(@extschema@.customer_summary) IS 'the time of the last purchase';
COMMENT ON FUNCTION @extschema@.purchase_periods(@extschema@.customer_summary) IS 'the number of distinct periods with a purchase';
COMMENT ON FUNCTION @extschema@.purchase_period(@extschema@.customer_summary) IS 'the period purchases were merged by: day, week or month';
COMMENT ON FUNCTION @extschema@.frequency(@extschema@.customer_summary) IS 'repeat purchase periods: distinct periods - 1 (x, frequency)';
COMMENT ON FUNCTION @extschema@.historical_value(@extschema@.customer_summary) IS 'the sum of all purchases (exact)';
COMMENT ON FUNCTION @extschema@.mean_repeat_spend(@extschema@.customer_summary) IS 'mean spend of the repeat periods, the first period left out; 0 without repeat purchases';
COMMENT ON FUNCTION @extschema@.recency(@extschema@.customer_summary, interval) IS 'time from the first to the last purchase period (t_x) in a unit';
COMMENT ON FUNCTION @extschema@.customer_age(@extschema@.customer_summary, timestamptz, interval) IS 'time from the first purchase period to the period of as_of (T) in a unit';

-- Models
COMMENT ON TYPE @extschema@.bgnbd_model IS 'a BG/NBD model: r, alpha, a, b, the time unit of the fit, log-likelihood, customers, convergence';
COMMENT ON TYPE @extschema@.gammagamma_model IS 'a Gamma-Gamma spend model: p, q, v, log-likelihood, customers, convergence';
CREATE FUNCTION @extschema@.bgnbd_fit_add(internal, double precision, double precision, double precision, interval)
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION @extschema@.bgnbd_fit_add(internal, double precision, double precision, double precision, interval, double precision)
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION @extschema@.bgnbd_fit_add(internal, double precision, double precision, double precision, interval, double precision, double precision)
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION @extschema@.gammagamma_fit_add(internal, double precision, double precision)
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION @extschema@.gammagamma_fit_add(internal, double precision, double precision, double precision)
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION @extschema@.gammagamma_fit_add(internal, double precision, double precision, double precision, double precision)
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION @extschema@.ltv_fit_combine(internal, internal)
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION @extschema@.ltv_fit_serialize(internal)
	RETURNS bytea AS 'MODULE_PATHNAME' LANGUAGE C STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.ltv_fit_deserialize(bytea, internal)
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.bgnbd_fit_final(internal)
	RETURNS @extschema@.bgnbd_model AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION @extschema@.gammagamma_fit_final(internal)
	RETURNS @extschema@.gammagamma_model AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.bgnbd_fit_add(internal, double precision, double precision, double precision, interval) IS 'bgnbd_fit transition';
COMMENT ON FUNCTION @extschema@.bgnbd_fit_add(internal, double precision, double precision, double precision, interval, double precision) IS 'bgnbd_fit transition (weighted)';
COMMENT ON FUNCTION @extschema@.bgnbd_fit_add(internal, double precision, double precision, double precision, interval, double precision, double precision) IS 'bgnbd_fit transition (weighted, penalised)';
COMMENT ON FUNCTION @extschema@.gammagamma_fit_add(internal, double precision, double precision) IS 'gammagamma_fit transition';
COMMENT ON FUNCTION @extschema@.gammagamma_fit_add(internal, double precision, double precision, double precision) IS 'gammagamma_fit transition (weighted)';
COMMENT ON FUNCTION @extschema@.gammagamma_fit_add(internal, double precision, double precision, double precision, double precision) IS 'gammagamma_fit transition (weighted, penalised)';
COMMENT ON FUNCTION @extschema@.ltv_fit_combine(internal, internal) IS 'model fits: combine';
COMMENT ON FUNCTION @extschema@.ltv_fit_serialize(internal) IS 'model fits: state to its wire form';
COMMENT ON FUNCTION @extschema@.ltv_fit_deserialize(bytea, internal) IS 'model fits: state from its wire form';
COMMENT ON FUNCTION @extschema@.bgnbd_fit_final(internal) IS 'bgnbd_fit result';
COMMENT ON FUNCTION @extschema@.gammagamma_fit_final(internal) IS 'gammagamma_fit result';

CREATE AGGREGATE @extschema@.bgnbd_fit(frequency double precision, recency double precision, age double precision, time_unit interval) (
	SFUNC = @extschema@.bgnbd_fit_add, STYPE = internal, COMBINEFUNC = @extschema@.ltv_fit_combine,
	SERIALFUNC = @extschema@.ltv_fit_serialize, DESERIALFUNC = @extschema@.ltv_fit_deserialize,
	FINALFUNC = @extschema@.bgnbd_fit_final, PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.bgnbd_fit(frequency double precision, recency double precision, age double precision, time_unit interval,
	weight double precision) (
	SFUNC = @extschema@.bgnbd_fit_add, STYPE = internal, COMBINEFUNC = @extschema@.ltv_fit_combine,
	SERIALFUNC = @extschema@.ltv_fit_serialize, DESERIALFUNC = @extschema@.ltv_fit_deserialize,
	FINALFUNC = @extschema@.bgnbd_fit_final, PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.bgnbd_fit(frequency double precision, recency double precision, age double precision, time_unit interval,
	weight double precision, penalty double precision) (
	SFUNC = @extschema@.bgnbd_fit_add, STYPE = internal, COMBINEFUNC = @extschema@.ltv_fit_combine,
	SERIALFUNC = @extschema@.ltv_fit_serialize, DESERIALFUNC = @extschema@.ltv_fit_deserialize,
	FINALFUNC = @extschema@.bgnbd_fit_final, PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.gammagamma_fit(frequency double precision, mean_spend double precision) (
	SFUNC = @extschema@.gammagamma_fit_add, STYPE = internal, COMBINEFUNC = @extschema@.ltv_fit_combine,
	SERIALFUNC = @extschema@.ltv_fit_serialize, DESERIALFUNC = @extschema@.ltv_fit_deserialize,
	FINALFUNC = @extschema@.gammagamma_fit_final, PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.gammagamma_fit(frequency double precision, mean_spend double precision, weight double precision) (
	SFUNC = @extschema@.gammagamma_fit_add, STYPE = internal, COMBINEFUNC = @extschema@.ltv_fit_combine,
	SERIALFUNC = @extschema@.ltv_fit_serialize, DESERIALFUNC = @extschema@.ltv_fit_deserialize,
	FINALFUNC = @extschema@.gammagamma_fit_final, PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.gammagamma_fit(frequency double precision, mean_spend double precision, weight double precision,
	penalty double precision) (
	SFUNC = @extschema@.gammagamma_fit_add, STYPE = internal, COMBINEFUNC = @extschema@.ltv_fit_combine,
	SERIALFUNC = @extschema@.ltv_fit_serialize, DESERIALFUNC = @extschema@.ltv_fit_deserialize,
	FINALFUNC = @extschema@.gammagamma_fit_final, PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.bgnbd_fit(double precision, double precision, double precision, interval) IS
	'BG/NBD by maximum likelihood over customers (frequency, recency, age in time_unit)';
COMMENT ON AGGREGATE @extschema@.bgnbd_fit(double precision, double precision, double precision, interval, double precision) IS
	'BG/NBD by maximum likelihood, each row weighted';
COMMENT ON AGGREGATE @extschema@.bgnbd_fit(double precision, double precision, double precision, interval, double precision, double precision) IS
	'BG/NBD by maximum likelihood, weighted, with an L2 penalty on the log-parameters';
COMMENT ON AGGREGATE @extschema@.gammagamma_fit(double precision, double precision) IS
	'Gamma-Gamma spend model by maximum likelihood over repeat customers (frequency, mean repeat spend)';
COMMENT ON AGGREGATE @extschema@.gammagamma_fit(double precision, double precision, double precision) IS
	'Gamma-Gamma by maximum likelihood, each row weighted';
COMMENT ON AGGREGATE @extschema@.gammagamma_fit(double precision, double precision, double precision, double precision) IS
	'Gamma-Gamma by maximum likelihood, weighted, with an L2 penalty on the log-parameters';

CREATE FUNCTION @extschema@.bgnbd_model(r double precision, alpha double precision, a double precision, b double precision,
	time_unit interval) RETURNS @extschema@.bgnbd_model
	AS 'MODULE_PATHNAME', 'bgnbd_model_make' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.gammagamma_model(p double precision, q double precision, v double precision)
	RETURNS @extschema@.gammagamma_model
	AS 'MODULE_PATHNAME', 'gammagamma_model_make' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.bgnbd_report(m @extschema@.bgnbd_model,
	OUT r double precision, OUT alpha double precision, OUT a double precision, OUT b double precision,
	OUT time_unit interval, OUT log_likelihood double precision, OUT customers double precision,
	OUT converged boolean, OUT iterations integer, OUT gradient double precision)
	RETURNS record AS 'MODULE_PATHNAME', 'bgnbd_model_report' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.gammagamma_report(m @extschema@.gammagamma_model,
	OUT p double precision, OUT q double precision, OUT v double precision,
	OUT log_likelihood double precision, OUT customers double precision, OUT converged boolean, OUT iterations integer,
	OUT gradient double precision)
	RETURNS record AS 'MODULE_PATHNAME', 'gammagamma_model_report' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.bgnbd_model(double precision, double precision, double precision, double precision, interval) IS
	'a BG/NBD model from known parameters and the time unit they are in';
COMMENT ON FUNCTION @extschema@.gammagamma_model(double precision, double precision, double precision) IS
	'a Gamma-Gamma model from known parameters';
COMMENT ON FUNCTION @extschema@.bgnbd_report(@extschema@.bgnbd_model) IS 'a BG/NBD model''s parameters and how its fit went';
COMMENT ON FUNCTION @extschema@.gammagamma_report(@extschema@.gammagamma_model) IS 'a Gamma-Gamma model''s parameters and how its fit went';

-- Predictions: every time an interval, converted into the model's unit
CREATE FUNCTION @extschema@.expected_purchases(m @extschema@.bgnbd_model, horizon interval) RETURNS double precision
	AS 'MODULE_PATHNAME', 'bgnbd_expected_new' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.expected_purchases(m @extschema@.bgnbd_model, frequency double precision, recency interval,
	age interval, horizon interval) RETURNS double precision
	AS 'MODULE_PATHNAME', 'bgnbd_expected_given' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.expected_purchases(m @extschema@.bgnbd_model, s @extschema@.customer_summary, as_of timestamptz,
	horizon interval) RETURNS double precision
	AS 'MODULE_PATHNAME', 'bgnbd_expected_summary' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.expected_purchases(m @extschema@.bgnbd_model, frequency double precision, recency double precision,
	age double precision, horizon double precision, time_unit interval) RETURNS double precision
	AS 'MODULE_PATHNAME', 'bgnbd_expected_numbers' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.probability_alive(m @extschema@.bgnbd_model, frequency double precision, recency double precision,
	age double precision, time_unit interval) RETURNS double precision
	AS 'MODULE_PATHNAME', 'bgnbd_p_alive_numbers' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.probability_alive(m @extschema@.bgnbd_model, frequency double precision, recency interval, age interval)
	RETURNS double precision AS 'MODULE_PATHNAME', 'bgnbd_p_alive_given' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.probability_alive(m @extschema@.bgnbd_model, s @extschema@.customer_summary, as_of timestamptz)
	RETURNS double precision AS 'MODULE_PATHNAME', 'bgnbd_p_alive_summary' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.expected_spend(g @extschema@.gammagamma_model, frequency double precision, mean_spend double precision)
	RETURNS double precision AS 'MODULE_PATHNAME', 'gg_expected_spend' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.expected_spend(g @extschema@.gammagamma_model, s @extschema@.customer_summary)
	RETURNS double precision AS 'MODULE_PATHNAME', 'gg_expected_spend_summary' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.discounted_value(m @extschema@.bgnbd_model, frequency double precision, recency interval, age interval,
	spend double precision, period interval, periods integer, discount_rate double precision) RETURNS double precision
	AS 'MODULE_PATHNAME', 'bgnbd_discounted_value' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.retention_value(margin double precision, retention double precision, discount_rate double precision)
	RETURNS double precision AS 'MODULE_PATHNAME', 'ltv_retention_value' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.retention_value(margin double precision, retention double precision, discount_rate double precision,
	periods integer) RETURNS double precision AS 'MODULE_PATHNAME', 'ltv_retention_value' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.expected_purchases(@extschema@.bgnbd_model, interval) IS 'expected purchases of a new customer within the horizon (FHL 2005 eq. 9)';
COMMENT ON FUNCTION @extschema@.expected_purchases(@extschema@.bgnbd_model, double precision, interval, interval, interval) IS
	'expected purchases within the horizon given frequency, recency and age (FHL 2005 eq. 10)';
COMMENT ON FUNCTION @extschema@.expected_purchases(@extschema@.bgnbd_model, @extschema@.customer_summary, timestamptz, interval) IS
	'expected purchases within the horizon after as_of, given the customer''s summary';
COMMENT ON FUNCTION @extschema@.expected_purchases(@extschema@.bgnbd_model, double precision, double precision, double precision, double precision, interval) IS
	'expected purchases within the horizon given frequency, recency and age, all times numbers in time_unit (converted into the model''s unit)';
COMMENT ON FUNCTION @extschema@.probability_alive(@extschema@.bgnbd_model, double precision, double precision, double precision, interval) IS
	'probability the customer is still active, times numbers in time_unit';
COMMENT ON FUNCTION @extschema@.probability_alive(@extschema@.bgnbd_model, double precision, interval, interval) IS
	'probability the customer is still active (FHL 2005 eq. 13)';
COMMENT ON FUNCTION @extschema@.probability_alive(@extschema@.bgnbd_model, @extschema@.customer_summary, timestamptz) IS
	'probability the customer is still active as of a time';
COMMENT ON FUNCTION @extschema@.expected_spend(@extschema@.gammagamma_model, double precision, double precision) IS
	'expected spend per purchase given frequency and mean repeat spend (the prior mean when frequency = 0)';
COMMENT ON FUNCTION @extschema@.expected_spend(@extschema@.gammagamma_model, @extschema@.customer_summary) IS
	'expected spend per purchase given the customer''s summary';
COMMENT ON FUNCTION @extschema@.discounted_value(@extschema@.bgnbd_model, double precision, interval, interval, double precision, interval, integer, double precision) IS
	'value of the purchases expected in each of the next periods at a spend, discounted per period';
COMMENT ON FUNCTION @extschema@.retention_value(double precision, double precision, double precision) IS
	'constant retention: margin * retention / (1 + discount_rate - retention)';
COMMENT ON FUNCTION @extschema@.retention_value(double precision, double precision, double precision, integer) IS
	'constant retention over a finite number of periods: sum of margin * (retention / (1 + discount_rate))^k';

-- Lifetime value = historical + current + potential, each apart
CREATE FUNCTION @extschema@.ltv(s @extschema@.customer_summary, as_of timestamptz, m @extschema@.bgnbd_model,
	g @extschema@.gammagamma_model, period interval, periods integer, discount_rate double precision,
	potential numeric DEFAULT 0,
	OUT historical numeric, OUT current numeric, OUT potential numeric, OUT total numeric)
	RETURNS record AS 'MODULE_PATHNAME', 'ltv_models' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.ltv(s @extschema@.customer_summary, margin numeric, retention double precision,
	discount_rate double precision, periods integer DEFAULT NULL, potential numeric DEFAULT 0,
	OUT historical numeric, OUT current numeric, OUT potential numeric, OUT total numeric)
	RETURNS record AS 'MODULE_PATHNAME', 'ltv_retention' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.ltv(@extschema@.customer_summary, timestamptz, @extschema@.bgnbd_model, @extschema@.gammagamma_model, interval, integer, double precision, numeric) IS
	'historical value, the discounted value of the purchases BG/NBD and Gamma-Gamma expect in the next periods, the potential value given, and their total';
COMMENT ON FUNCTION @extschema@.ltv(@extschema@.customer_summary, numeric, double precision, double precision, integer, numeric) IS
	'historical value, the constant-retention value of a margin per period (infinite horizon when periods is NULL), the potential value given, and their total';

-- The lifecycle phase from behaviour (MODEL.md section 3)
CREATE FUNCTION @extschema@.lifecycle_phase_of(s @extschema@.customer_summary, as_of timestamptz,
	p_alive double precision DEFAULT NULL, mature_frequency integer DEFAULT 3,
	dormant_after interval DEFAULT '90 days', churned_after interval DEFAULT '365 days',
	dormant_below double precision DEFAULT 0.5, churned_below double precision DEFAULT 0.1)
	RETURNS @extschema@.lifecycle_phase LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
	SELECT CASE
		WHEN s IS NULL OR as_of IS NULL THEN NULL
		WHEN p_alive < churned_below
		  OR (p_alive IS NULL AND as_of - @extschema@.last_purchase(s) > churned_after)
			THEN 'churned'::@extschema@.lifecycle_phase
		WHEN p_alive < dormant_below
		  OR (p_alive IS NULL AND as_of - @extschema@.last_purchase(s) > dormant_after)
			THEN 'dormancy'::@extschema@.lifecycle_phase
		WHEN @extschema@.frequency(s) = 0 THEN 'introduction'::@extschema@.lifecycle_phase
		WHEN @extschema@.frequency(s) < mature_frequency THEN 'growth'::@extschema@.lifecycle_phase
		ELSE 'maturity'::@extschema@.lifecycle_phase
	END;
END;
COMMENT ON FUNCTION @extschema@.lifecycle_phase_of(@extschema@.customer_summary, timestamptz, double precision, integer, interval, interval, double precision, double precision) IS
	'the lifecycle phase behaviour suggests: churned or dormant by probability alive (or time since the last purchase), else introduction (no repeat), growth, maturity (mature_frequency repeats)';

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
