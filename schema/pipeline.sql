
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
