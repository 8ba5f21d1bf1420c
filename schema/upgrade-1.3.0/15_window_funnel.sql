
-- Issue 15 (window_funnel as ClickHouse's windowFunnel: every mode, repeated
-- steps) and issue 20 (window_funnel without a mode): the five-argument
-- one-pass aggregate, and the comments that name the modes.
CREATE FUNCTION @extschema@.window_funnel_add(internal, bigint, @extschema@.journey_stage, timestamptz,
	interval, @extschema@.journey_stage[])
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.window_funnel_add(internal, bigint, @extschema@.journey_stage, timestamptz, interval, @extschema@.journey_stage[]) IS 'window_funnel(deal, stage, at, window, steps) transition (the default mode)';
CREATE AGGREGATE @extschema@.window_funnel(deal bigint, stage @extschema@.journey_stage, at timestamptz,
	window_length interval, steps @extschema@.journey_stage[]) (
	SFUNC = @extschema@.window_funnel_add, STYPE = internal,
	COMBINEFUNC = @extschema@.onepass_combine,
	SERIALFUNC = @extschema@.onepass_serialize, DESERIALFUNC = @extschema@.onepass_deserialize,
	FINALFUNC = @extschema@.window_funnel_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.window_funnel(bigint, @extschema@.journey_stage, timestamptz, interval, @extschema@.journey_stage[], text[]) IS
	'the ordered window funnel of stage events (deal, stage, at) in any order, in one pass, as ClickHouse''s windowFunnel; modes strict_order, strict_increase, strict_deduplication, strict_once, allow_reentry (''{}'' for none)';
COMMENT ON AGGREGATE @extschema@.window_funnel(bigint, @extschema@.journey_stage, timestamptz, interval, @extschema@.journey_stage[]) IS
	'the ordered window funnel of stage events (deal, stage, at) in any order, in one pass, as ClickHouse''s windowFunnel in its default mode';
COMMENT ON FUNCTION @extschema@.window_funnel(@extschema@.timeline, interval, @extschema@.journey_stage[], text[]) IS
	'the deepest step reached in order within the window of the first step, as ClickHouse''s windowFunnel, and when each step was reached; modes strict_order, strict_increase, strict_deduplication, strict_once, allow_reentry';
