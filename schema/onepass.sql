
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
CREATE FUNCTION @extschema@.window_funnel_add(internal, bigint, @extschema@.journey_stage, timestamptz,
	interval, @extschema@.journey_stage[])
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.window_funnel_add(internal, bigint, @extschema@.journey_stage, timestamptz, interval, @extschema@.journey_stage[]) IS 'window_funnel(deal, stage, at, window, steps) transition (the default mode)';
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
CREATE AGGREGATE @extschema@.window_funnel(deal bigint, stage @extschema@.journey_stage, at timestamptz,
	window_length interval, steps @extschema@.journey_stage[]) (
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
	'the ordered window funnel of stage events (deal, stage, at) in any order, in one pass, as ClickHouse''s windowFunnel; modes strict_order, strict_increase, strict_deduplication, strict_once, allow_reentry (''{}'' for none)';
COMMENT ON AGGREGATE @extschema@.window_funnel(bigint, @extschema@.journey_stage, timestamptz, interval, @extschema@.journey_stage[]) IS
	'the ordered window funnel of stage events (deal, stage, at) in any order, in one pass, as ClickHouse''s windowFunnel in its default mode';
COMMENT ON AGGREGATE @extschema@.window_funnel(@extschema@.window_counts) IS
	'window funnels of disjoint sets of deals (same window, steps and mode) added up';
CREATE FUNCTION @extschema@.window_funnel_report(w @extschema@.window_counts,
	OUT step integer, OUT stage @extschema@.journey_stage, OUT deals bigint,
	OUT conversion double precision, OUT cumulative double precision, OUT avg_from_previous interval)
	RETURNS SETOF record AS 'MODULE_PATHNAME', 'window_counts_report' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.window_funnel_report(@extschema@.window_counts) IS
	'per step: deals whose chain got that far, conversion from the step before and from the first, mean time from the step before';
