
-- ---------------------------------------------------------------------------
-- Lifetime value (docs/model.md; src/ltv_summary.c, ltv_models.c,
-- ltv_predict.c, src/core/bj_ltv*.c): the customer value summary, BG/NBD
-- and Gamma-Gamma fitted by aggregates, predictions with explicit time
-- units, LTV = historical + current + potential, and the lifecycle phase
-- from behaviour.  New in 1.1.0: also the body of its upgrade script.
-- ---------------------------------------------------------------------------

-- The customer value summary
COMMENT ON TYPE @extschema@.customer_summary IS
	'one customer''s purchases: first and last, distinct purchase periods, total and first period''s amount (exact)';
CREATE FUNCTION @extschema@.customer_summary_add(internal, numeric, timestamptz)
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION @extschema@.customer_summary_add(internal, numeric, timestamptz, text)
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION @extschema@.customer_summary_add(internal, numeric, timestamptz, text, text)
	RETURNS internal AS 'MODULE_PATHNAME', 'customer_summary_add' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION @extschema@.customer_summary_add(internal, numeric, date)
	RETURNS internal AS 'MODULE_PATHNAME', 'customer_summary_add_date' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION @extschema@.customer_summary_add(internal, numeric, date, text)
	RETURNS internal AS 'MODULE_PATHNAME', 'customer_summary_add_date' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION @extschema@.customer_summary_combine(internal, internal)
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION @extschema@.customer_summary_serialize(internal)
	RETURNS bytea AS 'MODULE_PATHNAME' LANGUAGE C STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.customer_summary_deserialize(bytea, internal)
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.customer_summary_final(internal)
	RETURNS @extschema@.customer_summary AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION @extschema@.customer_summary_merge(@extschema@.customer_summary, @extschema@.customer_summary)
	RETURNS @extschema@.customer_summary AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.customer_summary_add(internal, numeric, timestamptz) IS 'customer_summary(amount, at) transition';
COMMENT ON FUNCTION @extschema@.customer_summary_add(internal, numeric, timestamptz, text) IS 'customer_summary(amount, at, period) transition';
COMMENT ON FUNCTION @extschema@.customer_summary_add(internal, numeric, timestamptz, text, text) IS 'customer_summary(amount, at, period, zone) transition';
COMMENT ON FUNCTION @extschema@.customer_summary_add(internal, numeric, date) IS 'customer_summary(amount, on) transition';
COMMENT ON FUNCTION @extschema@.customer_summary_add(internal, numeric, date, text) IS 'customer_summary(amount, on, period) transition';
COMMENT ON FUNCTION @extschema@.customer_summary_combine(internal, internal) IS 'customer_summary combine';
COMMENT ON FUNCTION @extschema@.customer_summary_serialize(internal) IS 'customer_summary state to its wire form';
COMMENT ON FUNCTION @extschema@.customer_summary_deserialize(bytea, internal) IS 'customer_summary state from its wire form';
COMMENT ON FUNCTION @extschema@.customer_summary_final(internal) IS 'customer_summary result';
COMMENT ON FUNCTION @extschema@.customer_summary_merge(@extschema@.customer_summary, @extschema@.customer_summary) IS
	'summaries of one customer''s orders (partitions, months) rolled up';

CREATE AGGREGATE @extschema@.customer_summary(amount numeric, at timestamptz) (
	SFUNC = @extschema@.customer_summary_add, STYPE = internal,
	COMBINEFUNC = @extschema@.customer_summary_combine,
	SERIALFUNC = @extschema@.customer_summary_serialize, DESERIALFUNC = @extschema@.customer_summary_deserialize,
	FINALFUNC = @extschema@.customer_summary_final, PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.customer_summary(amount numeric, at timestamptz, period text) (
	SFUNC = @extschema@.customer_summary_add, STYPE = internal,
	COMBINEFUNC = @extschema@.customer_summary_combine,
	SERIALFUNC = @extschema@.customer_summary_serialize, DESERIALFUNC = @extschema@.customer_summary_deserialize,
	FINALFUNC = @extschema@.customer_summary_final, PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.customer_summary(amount numeric, at timestamptz, period text, zone text) (
	SFUNC = @extschema@.customer_summary_add, STYPE = internal,
	COMBINEFUNC = @extschema@.customer_summary_combine,
	SERIALFUNC = @extschema@.customer_summary_serialize, DESERIALFUNC = @extschema@.customer_summary_deserialize,
	FINALFUNC = @extschema@.customer_summary_final, PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.customer_summary(amount numeric, "on" date) (
	SFUNC = @extschema@.customer_summary_add, STYPE = internal,
	COMBINEFUNC = @extschema@.customer_summary_combine,
	SERIALFUNC = @extschema@.customer_summary_serialize, DESERIALFUNC = @extschema@.customer_summary_deserialize,
	FINALFUNC = @extschema@.customer_summary_final, PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.customer_summary(amount numeric, "on" date, period text) (
	SFUNC = @extschema@.customer_summary_add, STYPE = internal,
	COMBINEFUNC = @extschema@.customer_summary_combine,
	SERIALFUNC = @extschema@.customer_summary_serialize, DESERIALFUNC = @extschema@.customer_summary_deserialize,
	FINALFUNC = @extschema@.customer_summary_final, PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.customer_summary(@extschema@.customer_summary) (
	SFUNC = @extschema@.customer_summary_merge, STYPE = @extschema@.customer_summary,
	COMBINEFUNC = @extschema@.customer_summary_merge, PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.customer_summary(numeric, timestamptz) IS 'one customer''s orders summarised, purchases of one UTC day merged (use with GROUP BY customer)';
COMMENT ON AGGREGATE @extschema@.customer_summary(numeric, timestamptz, text) IS 'one customer''s orders summarised, purchases of one period (day, week, month; UTC) merged';
COMMENT ON AGGREGATE @extschema@.customer_summary(numeric, timestamptz, text, text) IS 'one customer''s orders summarised by their civil day in the named time zone, purchases of one period (day, week, month) merged: a summary of dates, the same in every session zone';
COMMENT ON AGGREGATE @extschema@.customer_summary(numeric, date) IS 'one customer''s orders by date summarised, purchases of one day merged';
COMMENT ON AGGREGATE @extschema@.customer_summary(numeric, date, text) IS 'one customer''s orders by date summarised, purchases of one period (day, week, month) merged';
COMMENT ON AGGREGATE @extschema@.customer_summary(@extschema@.customer_summary) IS 'summaries of one customer rolled up';

CREATE FUNCTION @extschema@.first_purchase(s @extschema@.customer_summary) RETURNS timestamptz
	AS 'MODULE_PATHNAME', 'customer_summary_first_purchase' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.last_purchase(s @extschema@.customer_summary) RETURNS timestamptz
	AS 'MODULE_PATHNAME', 'customer_summary_last_purchase' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.purchase_periods(s @extschema@.customer_summary) RETURNS integer
	AS 'MODULE_PATHNAME', 'customer_summary_periods' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.purchase_period(s @extschema@.customer_summary) RETURNS text
	AS 'MODULE_PATHNAME', 'customer_summary_period' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.frequency(s @extschema@.customer_summary) RETURNS integer
	AS 'MODULE_PATHNAME', 'customer_summary_frequency' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.historical_value(s @extschema@.customer_summary) RETURNS numeric
	AS 'MODULE_PATHNAME', 'customer_summary_historical_value' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.mean_repeat_spend(s @extschema@.customer_summary) RETURNS numeric
	AS 'MODULE_PATHNAME', 'customer_summary_mean_repeat_spend' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.recency(s @extschema@.customer_summary, time_unit interval) RETURNS double precision
	AS 'MODULE_PATHNAME', 'customer_summary_recency' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.customer_age(s @extschema@.customer_summary, as_of timestamptz, time_unit interval)
	RETURNS double precision AS 'MODULE_PATHNAME', 'customer_summary_age' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.first_purchase(@extschema@.customer_summary) IS 'the time of the first purchase';
COMMENT ON FUNCTION @extschema@.last_purchase(@extschema@.customer_summary) IS 'the time of the last purchase';
COMMENT ON FUNCTION @extschema@.purchase_periods(@extschema@.customer_summary) IS 'the number of distinct periods with a purchase';
COMMENT ON FUNCTION @extschema@.purchase_period(@extschema@.customer_summary) IS 'the period purchases were merged by: day, week or month';
COMMENT ON FUNCTION @extschema@.frequency(@extschema@.customer_summary) IS 'repeat purchase periods: distinct periods - 1 (x, frequency)';
COMMENT ON FUNCTION @extschema@.historical_value(@extschema@.customer_summary) IS 'the sum of all purchases (exact)';
COMMENT ON FUNCTION @extschema@.mean_repeat_spend(@extschema@.customer_summary) IS 'mean spend of the repeat periods, the first period left out; 0 without repeat purchases';
COMMENT ON FUNCTION @extschema@.recency(@extschema@.customer_summary, interval) IS 'time from the first to the last purchase period (t_x) in a unit';
COMMENT ON FUNCTION @extschema@.customer_age(@extschema@.customer_summary, timestamptz, interval) IS 'time from the first purchase period to the period of as_of (T) in a unit';

-- Models
COMMENT ON TYPE @extschema@.bgnbd_model IS 'a BG/NBD model: r, alpha, a, b, the time unit of the fit, log-likelihood, customers, convergence';
COMMENT ON TYPE @extschema@.gammagamma_model IS 'a Gamma-Gamma spend model: p, q, v, log-likelihood, customers, convergence';
CREATE FUNCTION @extschema@.bgnbd_fit_add(internal, double precision, double precision, double precision, interval)
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION @extschema@.bgnbd_fit_add(internal, double precision, double precision, double precision, interval, double precision)
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION @extschema@.bgnbd_fit_add(internal, double precision, double precision, double precision, interval, double precision, double precision)
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION @extschema@.gammagamma_fit_add(internal, double precision, double precision)
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION @extschema@.gammagamma_fit_add(internal, double precision, double precision, double precision)
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION @extschema@.gammagamma_fit_add(internal, double precision, double precision, double precision, double precision)
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION @extschema@.ltv_fit_combine(internal, internal)
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION @extschema@.ltv_fit_serialize(internal)
	RETURNS bytea AS 'MODULE_PATHNAME' LANGUAGE C STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.ltv_fit_deserialize(bytea, internal)
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.bgnbd_fit_final(internal)
	RETURNS @extschema@.bgnbd_model AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION @extschema@.gammagamma_fit_final(internal)
	RETURNS @extschema@.gammagamma_model AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.bgnbd_fit_add(internal, double precision, double precision, double precision, interval) IS 'bgnbd_fit transition';
COMMENT ON FUNCTION @extschema@.bgnbd_fit_add(internal, double precision, double precision, double precision, interval, double precision) IS 'bgnbd_fit transition (weighted)';
COMMENT ON FUNCTION @extschema@.bgnbd_fit_add(internal, double precision, double precision, double precision, interval, double precision, double precision) IS 'bgnbd_fit transition (weighted, penalised)';
COMMENT ON FUNCTION @extschema@.gammagamma_fit_add(internal, double precision, double precision) IS 'gammagamma_fit transition';
COMMENT ON FUNCTION @extschema@.gammagamma_fit_add(internal, double precision, double precision, double precision) IS 'gammagamma_fit transition (weighted)';
COMMENT ON FUNCTION @extschema@.gammagamma_fit_add(internal, double precision, double precision, double precision, double precision) IS 'gammagamma_fit transition (weighted, penalised)';
COMMENT ON FUNCTION @extschema@.ltv_fit_combine(internal, internal) IS 'model fits: combine';
COMMENT ON FUNCTION @extschema@.ltv_fit_serialize(internal) IS 'model fits: state to its wire form';
COMMENT ON FUNCTION @extschema@.ltv_fit_deserialize(bytea, internal) IS 'model fits: state from its wire form';
COMMENT ON FUNCTION @extschema@.bgnbd_fit_final(internal) IS 'bgnbd_fit result';
COMMENT ON FUNCTION @extschema@.gammagamma_fit_final(internal) IS 'gammagamma_fit result';

CREATE AGGREGATE @extschema@.bgnbd_fit(frequency double precision, recency double precision, age double precision, time_unit interval) (
	SFUNC = @extschema@.bgnbd_fit_add, STYPE = internal, COMBINEFUNC = @extschema@.ltv_fit_combine,
	SERIALFUNC = @extschema@.ltv_fit_serialize, DESERIALFUNC = @extschema@.ltv_fit_deserialize,
	FINALFUNC = @extschema@.bgnbd_fit_final, PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.bgnbd_fit(frequency double precision, recency double precision, age double precision, time_unit interval,
	weight double precision) (
	SFUNC = @extschema@.bgnbd_fit_add, STYPE = internal, COMBINEFUNC = @extschema@.ltv_fit_combine,
	SERIALFUNC = @extschema@.ltv_fit_serialize, DESERIALFUNC = @extschema@.ltv_fit_deserialize,
	FINALFUNC = @extschema@.bgnbd_fit_final, PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.bgnbd_fit(frequency double precision, recency double precision, age double precision, time_unit interval,
	weight double precision, penalty double precision) (
	SFUNC = @extschema@.bgnbd_fit_add, STYPE = internal, COMBINEFUNC = @extschema@.ltv_fit_combine,
	SERIALFUNC = @extschema@.ltv_fit_serialize, DESERIALFUNC = @extschema@.ltv_fit_deserialize,
	FINALFUNC = @extschema@.bgnbd_fit_final, PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.gammagamma_fit(frequency double precision, mean_spend double precision) (
	SFUNC = @extschema@.gammagamma_fit_add, STYPE = internal, COMBINEFUNC = @extschema@.ltv_fit_combine,
	SERIALFUNC = @extschema@.ltv_fit_serialize, DESERIALFUNC = @extschema@.ltv_fit_deserialize,
	FINALFUNC = @extschema@.gammagamma_fit_final, PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.gammagamma_fit(frequency double precision, mean_spend double precision, weight double precision) (
	SFUNC = @extschema@.gammagamma_fit_add, STYPE = internal, COMBINEFUNC = @extschema@.ltv_fit_combine,
	SERIALFUNC = @extschema@.ltv_fit_serialize, DESERIALFUNC = @extschema@.ltv_fit_deserialize,
	FINALFUNC = @extschema@.gammagamma_fit_final, PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.gammagamma_fit(frequency double precision, mean_spend double precision, weight double precision,
	penalty double precision) (
	SFUNC = @extschema@.gammagamma_fit_add, STYPE = internal, COMBINEFUNC = @extschema@.ltv_fit_combine,
	SERIALFUNC = @extschema@.ltv_fit_serialize, DESERIALFUNC = @extschema@.ltv_fit_deserialize,
	FINALFUNC = @extschema@.gammagamma_fit_final, PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.bgnbd_fit(double precision, double precision, double precision, interval) IS
	'BG/NBD by maximum likelihood over customers (frequency, recency, age in time_unit)';
COMMENT ON AGGREGATE @extschema@.bgnbd_fit(double precision, double precision, double precision, interval, double precision) IS
	'BG/NBD by maximum likelihood, each row weighted';
COMMENT ON AGGREGATE @extschema@.bgnbd_fit(double precision, double precision, double precision, interval, double precision, double precision) IS
	'BG/NBD by maximum likelihood, weighted, with an L2 penalty on the log-parameters';
COMMENT ON AGGREGATE @extschema@.gammagamma_fit(double precision, double precision) IS
	'Gamma-Gamma spend model by maximum likelihood over repeat customers (frequency, mean repeat spend)';
COMMENT ON AGGREGATE @extschema@.gammagamma_fit(double precision, double precision, double precision) IS
	'Gamma-Gamma by maximum likelihood, each row weighted';
COMMENT ON AGGREGATE @extschema@.gammagamma_fit(double precision, double precision, double precision, double precision) IS
	'Gamma-Gamma by maximum likelihood, weighted, with an L2 penalty on the log-parameters';

CREATE FUNCTION @extschema@.bgnbd_model(r double precision, alpha double precision, a double precision, b double precision,
	time_unit interval) RETURNS @extschema@.bgnbd_model
	AS 'MODULE_PATHNAME', 'bgnbd_model_make' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.gammagamma_model(p double precision, q double precision, v double precision)
	RETURNS @extschema@.gammagamma_model
	AS 'MODULE_PATHNAME', 'gammagamma_model_make' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
-- @begin model-reports  (also the update to 1.3.0: scripts/include_regions.awk)
CREATE FUNCTION @extschema@.bgnbd_report(m @extschema@.bgnbd_model,
	OUT r double precision, OUT alpha double precision, OUT a double precision, OUT b double precision,
	OUT time_unit interval, OUT log_likelihood double precision, OUT customers bigint,
	OUT converged boolean, OUT iterations integer, OUT gradient double precision)
	RETURNS record AS 'MODULE_PATHNAME', 'bgnbd_model_report' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.gammagamma_report(m @extschema@.gammagamma_model,
	OUT p double precision, OUT q double precision, OUT v double precision,
	OUT log_likelihood double precision, OUT customers bigint, OUT converged boolean, OUT iterations integer,
	OUT gradient double precision)
	RETURNS record AS 'MODULE_PATHNAME', 'gammagamma_model_report' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
-- @end model-reports
COMMENT ON FUNCTION @extschema@.bgnbd_model(double precision, double precision, double precision, double precision, interval) IS
	'a BG/NBD model from known parameters and the time unit they are in';
COMMENT ON FUNCTION @extschema@.gammagamma_model(double precision, double precision, double precision) IS
	'a Gamma-Gamma model from known parameters';
COMMENT ON FUNCTION @extschema@.bgnbd_report(@extschema@.bgnbd_model) IS
	'a BG/NBD model''s parameters and how its fit went (customers: the sum of the weights, NULL when they are fractional)';
COMMENT ON FUNCTION @extschema@.gammagamma_report(@extschema@.gammagamma_model) IS
	'a Gamma-Gamma model''s parameters and how its fit went (customers: the sum of the weights, NULL when they are fractional)';

-- Predictions: every time an interval, converted into the model's unit
CREATE FUNCTION @extschema@.expected_purchases(m @extschema@.bgnbd_model, horizon interval) RETURNS double precision
	AS 'MODULE_PATHNAME', 'bgnbd_expected_new' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.expected_purchases(m @extschema@.bgnbd_model, frequency double precision, recency interval,
	age interval, horizon interval) RETURNS double precision
	AS 'MODULE_PATHNAME', 'bgnbd_expected_given' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.expected_purchases(m @extschema@.bgnbd_model, s @extschema@.customer_summary, as_of timestamptz,
	horizon interval) RETURNS double precision
	AS 'MODULE_PATHNAME', 'bgnbd_expected_summary' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.expected_purchases(m @extschema@.bgnbd_model, frequency double precision, recency double precision,
	age double precision, horizon double precision, time_unit interval) RETURNS double precision
	AS 'MODULE_PATHNAME', 'bgnbd_expected_numbers' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.probability_alive(m @extschema@.bgnbd_model, frequency double precision, recency double precision,
	age double precision, time_unit interval) RETURNS double precision
	AS 'MODULE_PATHNAME', 'bgnbd_p_alive_numbers' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.probability_alive(m @extschema@.bgnbd_model, frequency double precision, recency interval, age interval)
	RETURNS double precision AS 'MODULE_PATHNAME', 'bgnbd_p_alive_given' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.probability_alive(m @extschema@.bgnbd_model, s @extschema@.customer_summary, as_of timestamptz)
	RETURNS double precision AS 'MODULE_PATHNAME', 'bgnbd_p_alive_summary' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.expected_spend(g @extschema@.gammagamma_model, frequency double precision, mean_spend double precision)
	RETURNS double precision AS 'MODULE_PATHNAME', 'gg_expected_spend' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.expected_spend(g @extschema@.gammagamma_model, s @extschema@.customer_summary)
	RETURNS double precision AS 'MODULE_PATHNAME', 'gg_expected_spend_summary' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.discounted_value(m @extschema@.bgnbd_model, frequency double precision, recency interval, age interval,
	spend double precision, period interval, periods integer, discount_rate double precision) RETURNS double precision
	AS 'MODULE_PATHNAME', 'bgnbd_discounted_value' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.discounted_value(m @extschema@.bgnbd_model, frequency double precision, recency double precision,
	age double precision, spend double precision, period double precision, periods integer, discount_rate double precision,
	time_unit interval) RETURNS double precision
	AS 'MODULE_PATHNAME', 'bgnbd_discounted_value_numbers' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.retention_value(margin double precision, retention double precision, discount_rate double precision)
	RETURNS double precision AS 'MODULE_PATHNAME', 'ltv_retention_value' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.retention_value(margin double precision, retention double precision, discount_rate double precision,
	periods integer) RETURNS double precision AS 'MODULE_PATHNAME', 'ltv_retention_value' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.expected_purchases(@extschema@.bgnbd_model, interval) IS
	'expected repeat purchases of a new customer within the horizon after the first purchase, which is not counted (FHL 2005 eq. 9)';
COMMENT ON FUNCTION @extschema@.expected_purchases(@extschema@.bgnbd_model, double precision, interval, interval, interval) IS
	'expected purchases within the horizon given frequency, recency and age (FHL 2005 eq. 10)';
COMMENT ON FUNCTION @extschema@.expected_purchases(@extschema@.bgnbd_model, @extschema@.customer_summary, timestamptz, interval) IS
	'expected purchases within the horizon after as_of, given the customer''s summary';
COMMENT ON FUNCTION @extschema@.expected_purchases(@extschema@.bgnbd_model, double precision, double precision, double precision, double precision, interval) IS
	'expected purchases within the horizon given frequency, recency and age, all times numbers in time_unit (converted into the model''s unit)';
COMMENT ON FUNCTION @extschema@.probability_alive(@extschema@.bgnbd_model, double precision, double precision, double precision, interval) IS
	'probability the customer is still active, times numbers in time_unit';
COMMENT ON FUNCTION @extschema@.probability_alive(@extschema@.bgnbd_model, double precision, interval, interval) IS
	'probability the customer is still active (FHL 2005 eq. 13)';
COMMENT ON FUNCTION @extschema@.probability_alive(@extschema@.bgnbd_model, @extschema@.customer_summary, timestamptz) IS
	'probability the customer is still active as of a time';
COMMENT ON FUNCTION @extschema@.expected_spend(@extschema@.gammagamma_model, double precision, double precision) IS
	'expected spend per purchase given frequency and mean repeat spend (the prior mean when frequency = 0)';
COMMENT ON FUNCTION @extschema@.expected_spend(@extschema@.gammagamma_model, @extschema@.customer_summary) IS
	'expected spend per purchase given the customer''s summary; repeat periods that net to a refund count as spending 0';
COMMENT ON FUNCTION @extschema@.discounted_value(@extschema@.bgnbd_model, double precision, interval, interval, double precision, interval, integer, double precision) IS
	'value of the purchases expected in each of the next periods (1 to 100000, each a positive length) at a spend, discounted per period at a rate that is finite and above -1';
COMMENT ON FUNCTION @extschema@.discounted_value(@extschema@.bgnbd_model, double precision, double precision, double precision, double precision, double precision, integer, double precision, interval) IS
	'discounted_value with recency, age and the period numbers in time_unit (converted into the model''s unit)';
COMMENT ON FUNCTION @extschema@.retention_value(double precision, double precision, double precision) IS
	'constant retention in [0, 1]: margin * retention / (1 + discount_rate - retention), defined while retention < 1 + discount_rate (retention 1: margin / discount_rate)';
COMMENT ON FUNCTION @extschema@.retention_value(double precision, double precision, double precision, integer) IS
	'constant retention in [0, 1] over 1 to 100000 periods: sum of margin * (retention / (1 + discount_rate))^k (retention 1, rate 0: margin * periods)';

-- Lifetime value = historical + current + potential, each apart
CREATE FUNCTION @extschema@.ltv(s @extschema@.customer_summary, as_of timestamptz, m @extschema@.bgnbd_model,
	g @extschema@.gammagamma_model, period interval, periods integer, discount_rate double precision,
	potential numeric DEFAULT 0,
	OUT historical numeric, OUT current numeric, OUT potential numeric, OUT total numeric)
	RETURNS record AS 'MODULE_PATHNAME', 'ltv_models' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.ltv(s @extschema@.customer_summary, margin numeric, retention double precision,
	discount_rate double precision, periods integer DEFAULT NULL, potential numeric DEFAULT 0,
	OUT historical numeric, OUT current numeric, OUT potential numeric, OUT total numeric)
	RETURNS record AS 'MODULE_PATHNAME', 'ltv_retention' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.ltv(@extschema@.customer_summary, timestamptz, @extschema@.bgnbd_model, @extschema@.gammagamma_model, interval, integer, double precision, numeric) IS
	'historical value, the discounted value of the purchases BG/NBD and Gamma-Gamma expect in the next periods (a customer whose repeat periods net to a refund spends 0 in them), the potential value given, and their total';
COMMENT ON FUNCTION @extschema@.ltv(@extschema@.customer_summary, numeric, double precision, double precision, integer, numeric) IS
	'historical value, the constant-retention value of a margin per period (infinite horizon when periods is NULL), the potential value given, and their total';

-- The lifecycle phase from behaviour (docs/model.md)
-- @begin lifecycle-phase-of  (also the update to 1.3.0: scripts/include_regions.awk)
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
-- @end lifecycle-phase-of
COMMENT ON FUNCTION @extschema@.lifecycle_phase_of(@extschema@.customer_summary, timestamptz, double precision, integer, interval, interval, double precision, double precision) IS
	'the lifecycle phase behaviour suggests: churned or dormant by probability alive (or, when it is NULL, time since the last purchase; NaN is above every threshold), else introduction (no repeat), growth, maturity (mature_frequency repeats)';
