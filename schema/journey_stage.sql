
-- journey_stage: what only stages have (docs/model.md).
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
