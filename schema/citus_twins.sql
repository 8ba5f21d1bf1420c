
-- ---------------------------------------------------------------------------
-- Concrete twins of the one-pass aggregates, for Citus (src/deal_marks.c,
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
