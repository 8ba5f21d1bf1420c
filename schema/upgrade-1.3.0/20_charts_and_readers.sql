-- Issue 20: charts and readers for an analyst reading Chinese.
--
-- The charts: funnel_svg and time_in_stage_svg take a locale (label's rules,
-- through label_language); time_in_stage_svg shows the open stages unless
-- closed_stages; svg_bar_chart sizes the picture by its text (svg_text_width),
-- puts headings over groups of bars and names fonts with CJK glyphs.  New
-- arguments with defaults would make the old calls ambiguous: the old
-- signatures go.
DROP FUNCTION @extschema@.funnel_svg(@extschema@.funnel, text, boolean);
DROP FUNCTION @extschema@.time_in_stage_svg(@extschema@.stage_durations, text);
DROP FUNCTION @extschema@.svg_bar_chart(text, text[], double precision[], text[], text[]);
-- @include charts-1.3.0

-- bgnbd_report and gammagamma_report: customers is a count (bigint).  A
-- function's result columns cannot be altered: the functions are made anew.
DROP FUNCTION @extschema@.bgnbd_report(@extschema@.bgnbd_model);
DROP FUNCTION @extschema@.gammagamma_report(@extschema@.gammagamma_model);
-- @include model-reports
COMMENT ON FUNCTION @extschema@.bgnbd_report(@extschema@.bgnbd_model) IS
	'a BG/NBD model''s parameters and how its fit went (customers: the sum of the weights, NULL when they are fractional)';
COMMENT ON FUNCTION @extschema@.gammagamma_report(@extschema@.gammagamma_model) IS
	'a Gamma-Gamma model''s parameters and how its fit went (customers: the sum of the weights, NULL when they are fractional)';

-- discounted_value with its times as numbers in an explicit unit, as
-- expected_purchases and probability_alive have.
CREATE FUNCTION @extschema@.discounted_value(m @extschema@.bgnbd_model, frequency double precision, recency double precision,
	age double precision, spend double precision, period double precision, periods integer, discount_rate double precision,
	time_unit interval) RETURNS double precision
	AS 'MODULE_PATHNAME', 'bgnbd_discounted_value_numbers' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.discounted_value(@extschema@.bgnbd_model, double precision, double precision, double precision, double precision, double precision, integer, double precision, interval) IS
	'discounted_value with recency, age and the period numbers in time_unit (converted into the model''s unit)';

-- The ranges enforced, the refund rule and retention 1, written down.
COMMENT ON FUNCTION @extschema@.expected_purchases(@extschema@.bgnbd_model, interval) IS
	'expected repeat purchases of a new customer within the horizon after the first purchase, which is not counted (FHL 2005 eq. 9)';
COMMENT ON FUNCTION @extschema@.expected_spend(@extschema@.gammagamma_model, @extschema@.customer_summary) IS
	'expected spend per purchase given the customer''s summary; repeat periods that net to a refund count as spending 0';
COMMENT ON FUNCTION @extschema@.discounted_value(@extschema@.bgnbd_model, double precision, interval, interval, double precision, interval, integer, double precision) IS
	'value of the purchases expected in each of the next periods (1 to 100000, each a positive length) at a spend, discounted per period at a rate that is finite and above -1';
COMMENT ON FUNCTION @extschema@.retention_value(double precision, double precision, double precision) IS
	'constant retention in [0, 1]: margin * retention / (1 + discount_rate - retention), defined while retention < 1 + discount_rate (retention 1: margin / discount_rate)';
COMMENT ON FUNCTION @extschema@.retention_value(double precision, double precision, double precision, integer) IS
	'constant retention in [0, 1] over 1 to 100000 periods: sum of margin * (retention / (1 + discount_rate))^k (retention 1, rate 0: margin * periods)';
COMMENT ON FUNCTION @extschema@.ltv(@extschema@.customer_summary, timestamptz, @extschema@.bgnbd_model, @extschema@.gammagamma_model, interval, integer, double precision, numeric) IS
	'historical value, the discounted value of the purchases BG/NBD and Gamma-Gamma expect in the next periods (a customer whose repeat periods net to a refund spends 0 in them), the potential value given, and their total';
COMMENT ON FUNCTION @extschema@.lifecycle_phase_of(@extschema@.customer_summary, timestamptz, double precision, integer, interval, interval, double precision, double precision) IS
	'the lifecycle phase behaviour suggests: churned or dormant by probability alive (or, when it is NULL, time since the last purchase; NaN is above every threshold), else introduction (no repeat), growth, maturity (mature_frequency repeats)';
