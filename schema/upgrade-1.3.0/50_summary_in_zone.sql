
-- customer_summary(amount, at, period, zone): times cut into civil days in a
-- named time zone (issue 15), a summary of dates.
CREATE FUNCTION @extschema@.customer_summary_add(internal, numeric, timestamptz, text, text)
	RETURNS internal AS 'MODULE_PATHNAME', 'customer_summary_add' LANGUAGE C PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.customer_summary_add(internal, numeric, timestamptz, text, text) IS 'customer_summary(amount, at, period, zone) transition';
CREATE AGGREGATE @extschema@.customer_summary(amount numeric, at timestamptz, period text, zone text) (
	SFUNC = @extschema@.customer_summary_add, STYPE = internal,
	COMBINEFUNC = @extschema@.customer_summary_combine,
	SERIALFUNC = @extschema@.customer_summary_serialize, DESERIALFUNC = @extschema@.customer_summary_deserialize,
	FINALFUNC = @extschema@.customer_summary_final, PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.customer_summary(numeric, timestamptz, text, text) IS 'one customer''s orders summarised by their civil day in the named time zone, purchases of one period (day, week, month) merged: a summary of dates, the same in every session zone';
