-- Issue 15: a summary of dates reads as_of as a civil date in the session's
-- time zone, and first_purchase/last_purchase give its days at 00:00 there
-- (as a date casts to timestamptz): these depend on TimeZone, so STABLE.
ALTER FUNCTION @extschema@.first_purchase(@extschema@.customer_summary) STABLE;
ALTER FUNCTION @extschema@.last_purchase(@extschema@.customer_summary) STABLE;
ALTER FUNCTION @extschema@.customer_age(@extschema@.customer_summary, timestamptz, interval) STABLE;
ALTER FUNCTION @extschema@.expected_purchases(@extschema@.bgnbd_model, @extschema@.customer_summary, timestamptz, interval) STABLE;
ALTER FUNCTION @extschema@.probability_alive(@extschema@.bgnbd_model, @extschema@.customer_summary, timestamptz) STABLE;
ALTER FUNCTION @extschema@.ltv(@extschema@.customer_summary, timestamptz, @extschema@.bgnbd_model, @extschema@.gammagamma_model, interval, integer, double precision, numeric) STABLE;
-- lifecycle_phase_of refuses an as_of before the last purchase period (22023),
-- as every other as_of reader does, and measures "dormant after" as
-- last_purchase + interval (calendar days in the session's zone: a summary
-- of dates gives the same phase in every zone).
-- @include lifecycle-phase-of
