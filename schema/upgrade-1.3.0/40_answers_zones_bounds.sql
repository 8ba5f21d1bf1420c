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
CREATE OR REPLACE FUNCTION @extschema@.lifecycle_phase_of(s @extschema@.customer_summary, as_of timestamptz,
	p_alive double precision DEFAULT NULL, mature_frequency integer DEFAULT 3,
	dormant_after interval DEFAULT '90 days', churned_after interval DEFAULT '365 days',
	dormant_below double precision DEFAULT 0.5, churned_below double precision DEFAULT 0.1)
	RETURNS @extschema@.lifecycle_phase LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
	SELECT CASE
		WHEN s IS NULL OR as_of IS NULL THEN NULL
		-- as every as_of reader: 22023 for an as_of before the last purchase period
		WHEN @extschema@.customer_age(s, as_of, CASE @extschema@.purchase_period(s) WHEN 'month'
				THEN interval '1 month' ELSE interval '1 day' END) < 0 THEN NULL
		WHEN p_alive < churned_below
		  OR (p_alive IS NULL AND as_of > @extschema@.last_purchase(s) + churned_after)
			THEN 'churned'::@extschema@.lifecycle_phase
		WHEN p_alive < dormant_below
		  OR (p_alive IS NULL AND as_of > @extschema@.last_purchase(s) + dormant_after)
			THEN 'dormancy'::@extschema@.lifecycle_phase
		WHEN @extschema@.frequency(s) = 0 THEN 'introduction'::@extschema@.lifecycle_phase
		WHEN @extschema@.frequency(s) < mature_frequency THEN 'growth'::@extschema@.lifecycle_phase
		ELSE 'maturity'::@extschema@.lifecycle_phase
	END;
END;
