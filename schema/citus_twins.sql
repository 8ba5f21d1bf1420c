
-- ---------------------------------------------------------------------------
-- Concrete twins of the one-pass aggregates, for Citus (src/onepass_concrete.c,
-- docs/citus.md): the same answers, with a state type Citus can ship, so it
-- aggregates partially on the workers instead of pulling every event to the
-- coordinator.  New in 1.3.0: upgrade-1.3.0/70_citus_twins.sql includes it
-- all (scripts/include_regions.awk).
-- ---------------------------------------------------------------------------
-- @begin citus-twins

-- SSPACE: a twin's state is a deal log in a memory context of its own, some
-- 2 kB even for one deal; saying so keeps the planner from hashing many small
-- groups (PostgreSQL walks every state's context for each new hashed group).

-- deal_mark_run: each deal's stages entered and latest event.  Its binary form
-- is a packed run of marks (after the funnel of the deals summarised and their
-- set, if funnel_colocated summarised any); its text form, what Citus ships,
-- is that in base64.
CREATE TYPE @extschema@.deal_mark_run;
CREATE FUNCTION @extschema@.deal_mark_run_in(cstring) RETURNS @extschema@.deal_mark_run
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.deal_mark_run_out(@extschema@.deal_mark_run) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.deal_mark_run_recv(internal) RETURNS @extschema@.deal_mark_run
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.deal_mark_run_send(@extschema@.deal_mark_run) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE @extschema@.deal_mark_run (
	INPUT = @extschema@.deal_mark_run_in, OUTPUT = @extschema@.deal_mark_run_out,
	RECEIVE = @extschema@.deal_mark_run_recv, SEND = @extschema@.deal_mark_run_send,
	INTERNALLENGTH = VARIABLE, STORAGE = extended
);
COMMENT ON TYPE @extschema@.deal_mark_run IS 'the state of funnel_distributed: per deal, the stages entered and the latest event';
COMMENT ON FUNCTION @extschema@.deal_mark_run_in(cstring) IS 'deal_mark_run from its text form (base64 of the wire form)';
COMMENT ON FUNCTION @extschema@.deal_mark_run_out(@extschema@.deal_mark_run) IS 'deal_mark_run as text (base64 of the wire form)';
COMMENT ON FUNCTION @extschema@.deal_mark_run_recv(internal) IS 'deal_mark_run from its versioned wire form (the funnel and set of any deals summarised, a packed run of marks)';
COMMENT ON FUNCTION @extschema@.deal_mark_run_send(@extschema@.deal_mark_run) IS 'deal_mark_run as its versioned wire form (the funnel and set of any deals summarised, a packed run of marks)';

-- funnel_distributed(deal, stage, at) -> funnel: funnel(deal, stage, at) on Citus
CREATE FUNCTION @extschema@.deal_mark_run_add(@extschema@.deal_mark_run, bigint, @extschema@.journey_stage, timestamptz)
	RETURNS @extschema@.deal_mark_run AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION @extschema@.deal_mark_run_merge(@extschema@.deal_mark_run, @extschema@.deal_mark_run)
	RETURNS @extschema@.deal_mark_run AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION @extschema@.deal_mark_run_funnel(@extschema@.deal_mark_run)
	RETURNS @extschema@.funnel AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.deal_mark_run_add(@extschema@.deal_mark_run, bigint, @extschema@.journey_stage, timestamptz) IS 'funnel_distributed(deal, stage, at) transition';
COMMENT ON FUNCTION @extschema@.deal_mark_run_merge(@extschema@.deal_mark_run, @extschema@.deal_mark_run) IS 'funnel_distributed(deal, stage, at) combine: the marks of two sets of events';
COMMENT ON FUNCTION @extschema@.deal_mark_run_funnel(@extschema@.deal_mark_run) IS 'funnel_distributed(deal, stage, at) result: the funnel of the deals'' marks';
CREATE AGGREGATE @extschema@.funnel_distributed(deal bigint, stage @extschema@.journey_stage, at timestamptz) (
	SFUNC = @extschema@.deal_mark_run_add, STYPE = @extschema@.deal_mark_run, SSPACE = 2048,
	COMBINEFUNC = @extschema@.deal_mark_run_merge,
	FINALFUNC = @extschema@.deal_mark_run_funnel,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.funnel_distributed(bigint, @extschema@.journey_stage, timestamptz) IS
	'funnel(deal, stage, at) with a state Citus aggregates on the workers: the same funnel, for distributed tables';

-- deal_event_run: the parameters (as_of; window, steps, mode) and the counts of
-- the deals summarised (the _colocated aggregates) as the form of a result,
-- the set of those deals, and each other deal's events.  Text: base64, as
-- deal_mark_run.
CREATE TYPE @extschema@.deal_event_run;
CREATE FUNCTION @extschema@.deal_event_run_in(cstring) RETURNS @extschema@.deal_event_run
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.deal_event_run_out(@extschema@.deal_event_run) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.deal_event_run_recv(internal) RETURNS @extschema@.deal_event_run
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.deal_event_run_send(@extschema@.deal_event_run) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE @extschema@.deal_event_run (
	INPUT = @extschema@.deal_event_run_in, OUTPUT = @extschema@.deal_event_run_out,
	RECEIVE = @extschema@.deal_event_run_recv, SEND = @extschema@.deal_event_run_send,
	INTERNALLENGTH = VARIABLE, STORAGE = extended
);
COMMENT ON TYPE @extschema@.deal_event_run IS 'the state of time_in_stage_distributed and window_funnel_distributed (and their _colocated forms): each deal''s events, or the result of whole deals and their set, and the parameters';
COMMENT ON FUNCTION @extschema@.deal_event_run_in(cstring) IS 'deal_event_run from its text form (base64 of the wire form)';
COMMENT ON FUNCTION @extschema@.deal_event_run_out(@extschema@.deal_event_run) IS 'deal_event_run as text (base64 of the wire form)';
COMMENT ON FUNCTION @extschema@.deal_event_run_recv(internal) IS 'deal_event_run from its versioned wire form (the parameters and counts, the set of deals summarised, a packed run of events)';
COMMENT ON FUNCTION @extschema@.deal_event_run_send(@extschema@.deal_event_run) IS 'deal_event_run as its versioned wire form (the parameters and counts, the set of deals summarised, a packed run of events)';
CREATE FUNCTION @extschema@.deal_event_run_merge(@extschema@.deal_event_run, @extschema@.deal_event_run)
	RETURNS @extschema@.deal_event_run AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.deal_event_run_merge(@extschema@.deal_event_run, @extschema@.deal_event_run) IS 'time_in_stage_distributed and window_funnel_distributed combine: the events of two sets, with the same parameters';

-- time_in_stage_distributed(deal, stage, at, as_of) -> stage_durations
CREATE FUNCTION @extschema@.deal_event_run_add_durations(@extschema@.deal_event_run, bigint, @extschema@.journey_stage, timestamptz, timestamptz)
	RETURNS @extschema@.deal_event_run AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION @extschema@.deal_event_run_durations(@extschema@.deal_event_run)
	RETURNS @extschema@.stage_durations AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.deal_event_run_add_durations(@extschema@.deal_event_run, bigint, @extschema@.journey_stage, timestamptz, timestamptz) IS 'time_in_stage_distributed(deal, stage, at, as_of) transition';
COMMENT ON FUNCTION @extschema@.deal_event_run_durations(@extschema@.deal_event_run) IS 'time_in_stage_distributed(deal, stage, at, as_of) result';
CREATE AGGREGATE @extschema@.time_in_stage_distributed(deal bigint, stage @extschema@.journey_stage, at timestamptz, as_of timestamptz) (
	SFUNC = @extschema@.deal_event_run_add_durations, STYPE = @extschema@.deal_event_run, SSPACE = 2048,
	COMBINEFUNC = @extschema@.deal_event_run_merge,
	FINALFUNC = @extschema@.deal_event_run_durations,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.time_in_stage_distributed(bigint, @extschema@.journey_stage, timestamptz, timestamptz) IS
	'time_in_stage(deal, stage, at, as_of) with a state Citus aggregates on the workers: the same result, for distributed tables';

-- window_funnel_distributed(deal, stage, at, window, steps[, mode]) -> window_counts
CREATE FUNCTION @extschema@.deal_event_run_add_window(@extschema@.deal_event_run, bigint, @extschema@.journey_stage, timestamptz,
	interval, @extschema@.journey_stage[], text[])
	RETURNS @extschema@.deal_event_run AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION @extschema@.deal_event_run_add_window(@extschema@.deal_event_run, bigint, @extschema@.journey_stage, timestamptz,
	interval, @extschema@.journey_stage[])
	RETURNS @extschema@.deal_event_run AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION @extschema@.deal_event_run_window(@extschema@.deal_event_run)
	RETURNS @extschema@.window_counts AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.deal_event_run_add_window(@extschema@.deal_event_run, bigint, @extschema@.journey_stage, timestamptz, interval, @extschema@.journey_stage[], text[]) IS 'window_funnel_distributed(deal, stage, at, window, steps, mode) transition';
COMMENT ON FUNCTION @extschema@.deal_event_run_add_window(@extschema@.deal_event_run, bigint, @extschema@.journey_stage, timestamptz, interval, @extschema@.journey_stage[]) IS 'window_funnel_distributed(deal, stage, at, window, steps) transition (the default mode)';
COMMENT ON FUNCTION @extschema@.deal_event_run_window(@extschema@.deal_event_run) IS 'window_funnel_distributed(deal, stage, at, window, steps, mode) result';
CREATE AGGREGATE @extschema@.window_funnel_distributed(deal bigint, stage @extschema@.journey_stage, at timestamptz,
	window_length interval, steps @extschema@.journey_stage[], mode text[]) (
	SFUNC = @extschema@.deal_event_run_add_window, STYPE = @extschema@.deal_event_run, SSPACE = 2048,
	COMBINEFUNC = @extschema@.deal_event_run_merge,
	FINALFUNC = @extschema@.deal_event_run_window,
	PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.window_funnel_distributed(deal bigint, stage @extschema@.journey_stage, at timestamptz,
	window_length interval, steps @extschema@.journey_stage[]) (
	SFUNC = @extschema@.deal_event_run_add_window, STYPE = @extschema@.deal_event_run, SSPACE = 2048,
	COMBINEFUNC = @extschema@.deal_event_run_merge,
	FINALFUNC = @extschema@.deal_event_run_window,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.window_funnel_distributed(bigint, @extschema@.journey_stage, timestamptz, interval, @extschema@.journey_stage[], text[]) IS
	'window_funnel(deal, stage, at, window, steps, mode) with a state Citus aggregates on the workers: the same result, for distributed tables';
COMMENT ON AGGREGATE @extschema@.window_funnel_distributed(bigint, @extschema@.journey_stage, timestamptz, interval, @extschema@.journey_stage[]) IS
	'window_funnel(deal, stage, at, window, steps) with a state Citus aggregates on the workers: the same result, for distributed tables';
-- funnel_colocated, time_in_stage_colocated and window_funnel_colocated: the
-- same rows, states and results, for tables where all of a deal's events are
-- on one shard (distributed by the deal, or by a column that keeps its events
-- together).  Each shard's state leaves the workers summarised: its deals'
-- result and the set of those deals, a byte or so a deal instead of the events
-- or marks.  Merging refuses a deal found in two states (22023), never
-- counting it twice.  In PostgreSQL's own partial aggregation (parallel
-- workers, partitionwise), whose parts split deals, the states keep marks or
-- events instead (src/onepass_concrete.c), so the answer is exact there too.
CREATE FUNCTION @extschema@.deal_mark_run_add_whole(@extschema@.deal_mark_run, bigint, @extschema@.journey_stage, timestamptz)
	RETURNS @extschema@.deal_mark_run AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.deal_mark_run_add_whole(@extschema@.deal_mark_run, bigint, @extschema@.journey_stage, timestamptz) IS 'funnel_colocated(deal, stage, at) transition';
CREATE AGGREGATE @extschema@.funnel_colocated(deal bigint, stage @extschema@.journey_stage, at timestamptz) (
	SFUNC = @extschema@.deal_mark_run_add_whole, STYPE = @extschema@.deal_mark_run, SSPACE = 2048,
	COMBINEFUNC = @extschema@.deal_mark_run_merge,
	FINALFUNC = @extschema@.deal_mark_run_funnel,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.funnel_colocated(bigint, @extschema@.journey_stage, timestamptz) IS
	'funnel(deal, stage, at) for distributed tables whose deals are each on one shard: each shard ships its funnel and the set of its deals';
CREATE FUNCTION @extschema@.deal_event_run_add_durations_whole(@extschema@.deal_event_run, bigint, @extschema@.journey_stage, timestamptz, timestamptz)
	RETURNS @extschema@.deal_event_run AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.deal_event_run_add_durations_whole(@extschema@.deal_event_run, bigint, @extschema@.journey_stage, timestamptz, timestamptz) IS 'time_in_stage_colocated(deal, stage, at, as_of) transition';
CREATE AGGREGATE @extschema@.time_in_stage_colocated(deal bigint, stage @extschema@.journey_stage, at timestamptz, as_of timestamptz) (
	SFUNC = @extschema@.deal_event_run_add_durations_whole, STYPE = @extschema@.deal_event_run, SSPACE = 2048,
	COMBINEFUNC = @extschema@.deal_event_run_merge,
	FINALFUNC = @extschema@.deal_event_run_durations,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.time_in_stage_colocated(bigint, @extschema@.journey_stage, timestamptz, timestamptz) IS
	'time_in_stage(deal, stage, at, as_of) for distributed tables whose deals are each on one shard: each shard ships its summary and the set of its deals';
CREATE FUNCTION @extschema@.deal_event_run_add_window_whole(@extschema@.deal_event_run, bigint, @extschema@.journey_stage, timestamptz,
	interval, @extschema@.journey_stage[], text[])
	RETURNS @extschema@.deal_event_run AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION @extschema@.deal_event_run_add_window_whole(@extschema@.deal_event_run, bigint, @extschema@.journey_stage, timestamptz,
	interval, @extschema@.journey_stage[])
	RETURNS @extschema@.deal_event_run AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.deal_event_run_add_window_whole(@extschema@.deal_event_run, bigint, @extschema@.journey_stage, timestamptz, interval, @extschema@.journey_stage[], text[]) IS 'window_funnel_colocated(deal, stage, at, window, steps, mode) transition';
COMMENT ON FUNCTION @extschema@.deal_event_run_add_window_whole(@extschema@.deal_event_run, bigint, @extschema@.journey_stage, timestamptz, interval, @extschema@.journey_stage[]) IS 'window_funnel_colocated(deal, stage, at, window, steps) transition (the default mode)';
CREATE AGGREGATE @extschema@.window_funnel_colocated(deal bigint, stage @extschema@.journey_stage, at timestamptz,
	window_length interval, steps @extschema@.journey_stage[], mode text[]) (
	SFUNC = @extschema@.deal_event_run_add_window_whole, STYPE = @extschema@.deal_event_run, SSPACE = 2048,
	COMBINEFUNC = @extschema@.deal_event_run_merge,
	FINALFUNC = @extschema@.deal_event_run_window,
	PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.window_funnel_colocated(deal bigint, stage @extschema@.journey_stage, at timestamptz,
	window_length interval, steps @extschema@.journey_stage[]) (
	SFUNC = @extschema@.deal_event_run_add_window_whole, STYPE = @extschema@.deal_event_run, SSPACE = 2048,
	COMBINEFUNC = @extschema@.deal_event_run_merge,
	FINALFUNC = @extschema@.deal_event_run_window,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.window_funnel_colocated(bigint, @extschema@.journey_stage, timestamptz, interval, @extschema@.journey_stage[], text[]) IS
	'window_funnel(deal, stage, at, window, steps, mode) for distributed tables whose deals are each on one shard: each shard ships its summary and the set of its deals';
COMMENT ON AGGREGATE @extschema@.window_funnel_colocated(bigint, @extschema@.journey_stage, timestamptz, interval, @extschema@.journey_stage[]) IS
	'window_funnel(deal, stage, at, window, steps) for distributed tables whose deals are each on one shard: each shard ships its summary and the set of its deals';
-- @end citus-twins
