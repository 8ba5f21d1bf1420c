
-- ---------------------------------------------------------------------------
-- Concrete twins of the one-pass aggregates, for Citus (src/onepass_concrete.c,
-- docs/citus.md): the same answers, with a state type Citus can ship, so it
-- aggregates partially on the workers instead of pulling every event to the
-- coordinator.  New in 1.3.0; this file is also the body of
-- upgrade-1.3.0/70_citus_twins.sql.
-- ---------------------------------------------------------------------------

-- deal_marks: each deal's stages entered and latest event.  Its binary form
-- is a packed run of marks; its text form, what Citus ships, is that in base64.
CREATE TYPE @extschema@.deal_marks;
CREATE FUNCTION @extschema@.deal_marks_in(cstring) RETURNS @extschema@.deal_marks
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.deal_marks_out(@extschema@.deal_marks) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.deal_marks_recv(internal) RETURNS @extschema@.deal_marks
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.deal_marks_send(@extschema@.deal_marks) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE @extschema@.deal_marks (
	INPUT = @extschema@.deal_marks_in, OUTPUT = @extschema@.deal_marks_out,
	RECEIVE = @extschema@.deal_marks_recv, SEND = @extschema@.deal_marks_send,
	INTERNALLENGTH = VARIABLE, STORAGE = extended
);
COMMENT ON TYPE @extschema@.deal_marks IS 'the state of funnel_distributed: per deal, the stages entered and the latest event';
COMMENT ON FUNCTION @extschema@.deal_marks_in(cstring) IS 'deal_marks from its text form (base64 of the wire form)';
COMMENT ON FUNCTION @extschema@.deal_marks_out(@extschema@.deal_marks) IS 'deal_marks as text (base64 of the wire form)';
COMMENT ON FUNCTION @extschema@.deal_marks_recv(internal) IS 'deal_marks from its versioned wire form (a packed run of marks)';
COMMENT ON FUNCTION @extschema@.deal_marks_send(@extschema@.deal_marks) IS 'deal_marks as its versioned wire form (a packed run of marks)';

-- funnel_distributed(deal, stage, at) -> funnel: funnel(deal, stage, at) on Citus
CREATE FUNCTION @extschema@.deal_marks_add(@extschema@.deal_marks, bigint, @extschema@.journey_stage, timestamptz)
	RETURNS @extschema@.deal_marks AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION @extschema@.deal_marks_merge(@extschema@.deal_marks, @extschema@.deal_marks)
	RETURNS @extschema@.deal_marks AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION @extschema@.deal_marks_funnel(@extschema@.deal_marks)
	RETURNS @extschema@.funnel AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.deal_marks_add(@extschema@.deal_marks, bigint, @extschema@.journey_stage, timestamptz) IS 'funnel_distributed(deal, stage, at) transition';
COMMENT ON FUNCTION @extschema@.deal_marks_merge(@extschema@.deal_marks, @extschema@.deal_marks) IS 'funnel_distributed(deal, stage, at) combine: the marks of two sets of events';
COMMENT ON FUNCTION @extschema@.deal_marks_funnel(@extschema@.deal_marks) IS 'funnel_distributed(deal, stage, at) result: the funnel of the deals'' marks';
CREATE AGGREGATE @extschema@.funnel_distributed(deal bigint, stage @extschema@.journey_stage, at timestamptz) (
	SFUNC = @extschema@.deal_marks_add, STYPE = @extschema@.deal_marks,
	COMBINEFUNC = @extschema@.deal_marks_merge,
	FINALFUNC = @extschema@.deal_marks_funnel,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.funnel_distributed(bigint, @extschema@.journey_stage, timestamptz) IS
	'funnel(deal, stage, at) with a state Citus aggregates on the workers: the same funnel, for distributed tables';

-- deal_events: each deal's events, with the parameters (as_of; window,
-- steps, mode) as the form of an empty result.  Text: base64, as deal_marks.
CREATE TYPE @extschema@.deal_events;
CREATE FUNCTION @extschema@.deal_events_in(cstring) RETURNS @extschema@.deal_events
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.deal_events_out(@extschema@.deal_events) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.deal_events_recv(internal) RETURNS @extschema@.deal_events
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.deal_events_send(@extschema@.deal_events) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE @extschema@.deal_events (
	INPUT = @extschema@.deal_events_in, OUTPUT = @extschema@.deal_events_out,
	RECEIVE = @extschema@.deal_events_recv, SEND = @extschema@.deal_events_send,
	INTERNALLENGTH = VARIABLE, STORAGE = extended
);
COMMENT ON TYPE @extschema@.deal_events IS 'the state of time_in_stage_distributed and window_funnel_distributed: each deal''s events, and the parameters';
COMMENT ON FUNCTION @extschema@.deal_events_in(cstring) IS 'deal_events from its text form (base64 of the wire form)';
COMMENT ON FUNCTION @extschema@.deal_events_out(@extschema@.deal_events) IS 'deal_events as text (base64 of the wire form)';
COMMENT ON FUNCTION @extschema@.deal_events_recv(internal) IS 'deal_events from its versioned wire form (the parameters, a packed run of events)';
COMMENT ON FUNCTION @extschema@.deal_events_send(@extschema@.deal_events) IS 'deal_events as its versioned wire form (the parameters, a packed run of events)';
CREATE FUNCTION @extschema@.deal_events_merge(@extschema@.deal_events, @extschema@.deal_events)
	RETURNS @extschema@.deal_events AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.deal_events_merge(@extschema@.deal_events, @extschema@.deal_events) IS 'time_in_stage_distributed and window_funnel_distributed combine: the events of two sets, with the same parameters';

-- time_in_stage_distributed(deal, stage, at, as_of) -> stage_durations
CREATE FUNCTION @extschema@.deal_events_add_durations(@extschema@.deal_events, bigint, @extschema@.journey_stage, timestamptz, timestamptz)
	RETURNS @extschema@.deal_events AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION @extschema@.deal_events_durations(@extschema@.deal_events)
	RETURNS @extschema@.stage_durations AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.deal_events_add_durations(@extschema@.deal_events, bigint, @extschema@.journey_stage, timestamptz, timestamptz) IS 'time_in_stage_distributed(deal, stage, at, as_of) transition';
COMMENT ON FUNCTION @extschema@.deal_events_durations(@extschema@.deal_events) IS 'time_in_stage_distributed(deal, stage, at, as_of) result';
CREATE AGGREGATE @extschema@.time_in_stage_distributed(deal bigint, stage @extschema@.journey_stage, at timestamptz, as_of timestamptz) (
	SFUNC = @extschema@.deal_events_add_durations, STYPE = @extschema@.deal_events,
	COMBINEFUNC = @extschema@.deal_events_merge,
	FINALFUNC = @extschema@.deal_events_durations,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.time_in_stage_distributed(bigint, @extschema@.journey_stage, timestamptz, timestamptz) IS
	'time_in_stage(deal, stage, at, as_of) with a state Citus aggregates on the workers: the same result, for distributed tables';

-- window_funnel_distributed(deal, stage, at, window, steps[, mode]) -> window_counts
CREATE FUNCTION @extschema@.deal_events_add_window(@extschema@.deal_events, bigint, @extschema@.journey_stage, timestamptz,
	interval, @extschema@.journey_stage[], text[])
	RETURNS @extschema@.deal_events AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION @extschema@.deal_events_add_window(@extschema@.deal_events, bigint, @extschema@.journey_stage, timestamptz,
	interval, @extschema@.journey_stage[])
	RETURNS @extschema@.deal_events AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION @extschema@.deal_events_window(@extschema@.deal_events)
	RETURNS @extschema@.window_counts AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.deal_events_add_window(@extschema@.deal_events, bigint, @extschema@.journey_stage, timestamptz, interval, @extschema@.journey_stage[], text[]) IS 'window_funnel_distributed(deal, stage, at, window, steps, mode) transition';
COMMENT ON FUNCTION @extschema@.deal_events_add_window(@extschema@.deal_events, bigint, @extschema@.journey_stage, timestamptz, interval, @extschema@.journey_stage[]) IS 'window_funnel_distributed(deal, stage, at, window, steps) transition (the default mode)';
COMMENT ON FUNCTION @extschema@.deal_events_window(@extschema@.deal_events) IS 'window_funnel_distributed(deal, stage, at, window, steps, mode) result';
CREATE AGGREGATE @extschema@.window_funnel_distributed(deal bigint, stage @extschema@.journey_stage, at timestamptz,
	window_length interval, steps @extschema@.journey_stage[], mode text[]) (
	SFUNC = @extschema@.deal_events_add_window, STYPE = @extschema@.deal_events,
	COMBINEFUNC = @extschema@.deal_events_merge,
	FINALFUNC = @extschema@.deal_events_window,
	PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.window_funnel_distributed(deal bigint, stage @extschema@.journey_stage, at timestamptz,
	window_length interval, steps @extschema@.journey_stage[]) (
	SFUNC = @extschema@.deal_events_add_window, STYPE = @extschema@.deal_events,
	COMBINEFUNC = @extschema@.deal_events_merge,
	FINALFUNC = @extschema@.deal_events_window,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.window_funnel_distributed(bigint, @extschema@.journey_stage, timestamptz, interval, @extschema@.journey_stage[], text[]) IS
	'window_funnel(deal, stage, at, window, steps, mode) with a state Citus aggregates on the workers: the same result, for distributed tables';
COMMENT ON AGGREGATE @extschema@.window_funnel_distributed(bigint, @extschema@.journey_stage, timestamptz, interval, @extschema@.journey_stage[]) IS
	'window_funnel(deal, stage, at, window, steps) with a state Citus aggregates on the workers: the same result, for distributed tables';
