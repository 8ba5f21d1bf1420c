
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
	'the deepest step reached in order within the window of the first step, as ClickHouse''s windowFunnel, and when each step was reached; modes strict_order, strict_increase, strict_deduplication, strict_once, allow_reentry';
