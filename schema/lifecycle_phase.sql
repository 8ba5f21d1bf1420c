
-- lifecycle_phase: what only phases have (docs/model.md).
COMMENT ON TYPE @extschema@.lifecycle_phase IS
	'customer lifecycle phase: introduction < growth < maturity < dormancy < churned';

CREATE FUNCTION @extschema@.is_active(@extschema@.lifecycle_phase) RETURNS boolean
	AS 'MODULE_PATHNAME', 'lifecycle_phase_is_active' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION @extschema@.is_active(@extschema@.lifecycle_phase) IS 'true for introduction, growth and maturity';
