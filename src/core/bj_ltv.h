/*
 * bj_ltv.h - lifetime-value models: BG/NBD purchases, Gamma-Gamma spend,
 * and the simple retention formula (docs/model.md, current value).
 *
 * Plain C99 and libm.  Times are in whatever unit the caller uses, as long
 * as it uses one unit throughout: t_x, T, horizons and period lengths, and
 * the fitted alpha (a rate scale, so it changes with the unit).  Everything
 * reports failure through a bj_ltv_error; an output is written only on
 * BJ_LTV_OK.  No state is kept between calls.
 */
#ifndef BJ_LTV_H
#define BJ_LTV_H

#include <stdbool.h>
#include <stddef.h>

typedef enum bj_ltv_error
{
	BJ_LTV_OK = 0,
	BJ_LTV_BAD_PARAM,			/* a model parameter not finite and > 0 */
	BJ_LTV_BAD_DATA,			/* x not a whole number >= 0 (>= 1 for spend),
								 * spend <= 0, weight < 0, not finite */
	BJ_LTV_BAD_TIME,			/* t_x < 0, t_x > T, t < 0, period <= 0 */
	BJ_LTV_BAD_RATE,			/* retention outside [0, 1], or a sum that
								 * diverges */
	BJ_LTV_BAD_DISCOUNT,		/* a discount rate not finite or <= -1 */
	BJ_LTV_UNDEFINED,			/* the quantity does not exist (q <= 1) */
	BJ_LTV_NO_DATA,				/* no rows, or all weights 0 */
	BJ_LTV_NO_MEMORY,
	BJ_LTV_NOT_CONVERGED,		/* series or quadrature did not settle */
	BJ_LTV_NOT_FINITE,			/* a fit met NaN or Inf it could not avoid */
	BJ_LTV_NO_PROGRESS,			/* a fit's line search found no better point */
	BJ_LTV_MAX_ITER,			/* a fit ran out of iterations */
	BJ_LTV_NO_MAXIMUM,			/* estimates run off to 0 or infinity (e.g. no
								 * repeat purchases at all) */
	BJ_LTV_INTERRUPTED			/* the host asked to stop (bj_interrupt.h) */
} bj_ltv_error;

extern const char *bj_ltv_error_message(bj_ltv_error e);

/* BG/NBD: purchase rate ~ Gamma(r, alpha), dropout probability ~ Beta(a, b). */
typedef struct bj_bgnbd_params
{
	double		r;
	double		alpha;
	double		a;
	double		b;
} bj_bgnbd_params;

/* Gamma-Gamma: spend per purchase ~ Gamma(p, nu), nu ~ Gamma(q, v). */
typedef struct bj_gg_params
{
	double		p;
	double		q;
	double		v;
} bj_gg_params;

/*
 * One customer, or `weight` customers sharing the same history: x repeat
 * purchases, the last at t_x, observed for T since the first purchase.
 * When x = 0, t_x is not used.
 */
typedef struct bj_rfm
{
	double		x;
	double		t_x;
	double		T;
	double		weight;
} bj_rfm;

/* x >= 1 repeat purchases with mean spend m > 0, `weight` customers. */
typedef struct bj_spend
{
	double		x;
	double		m;
	double		weight;
} bj_spend;

/*
 * Sort rows by (x, t_x, T) and merge equal ones, adding weights; returns the
 * new count (rows[0..count) are kept).  Order of the result is the sort order.
 */
extern size_t bj_rfm_compress(bj_rfm *rows, size_t n);

/*
 * The same for spend rows, by (x, m): a fit then sums in one order whatever
 * order the rows came in (from parallel workers or Citus shards).
 */
extern size_t bj_spend_compress(bj_spend *rows, size_t n);

/*
 * Log-likelihood of one customer (FHL 2005 eq. 6) and, when grad is not
 * NULL, its gradient in (log r, log alpha, log a, log b).
 */
extern bj_ltv_error bj_bgnbd_loglik(const bj_bgnbd_params *par, double x, double t_x,
									double T, double *ll, double grad[4]);

/* Log-likelihood of one customer's mean spend; grad in (log p, log q, log v). */
extern bj_ltv_error bj_gg_loglik(const bj_gg_params *par, double x, double m,
								 double *ll, double grad[3]);

typedef struct bj_fit_options
{
	double		penalty;		/* L2 on the log-parameters, per customer; 0 = none */
	double		gtol;			/* converged when max |gradient| of the mean
								 * penalised negative LL is below; 0 = 1e-8 */
	int			max_iter;		/* 0 = 500 */
	const double *start;		/* natural-scale start (4 or 3 values), or NULL */
} bj_fit_options;

typedef struct bj_fit_result
{
	double		params[4];		/* r, alpha, a, b  or  p, q, v (and 0) */
	double		loglik;			/* sum of weighted LL, without the penalty */
	double		n;				/* sum of weights */
	double		gnorm;			/* max |gradient| at the end */
	int			iterations;
	int			evaluations;
	bool		converged;
} bj_fit_result;

/*
 * Maximum likelihood by BFGS in log-parameter space.  opt may be NULL.
 * On BJ_LTV_NOT_FINITE, NO_PROGRESS, MAX_ITER or NO_MAXIMUM met while
 * iterating, the result still holds the last point reached, with
 * converged = false.  Errors found before iterating (bad input, no data, no
 * repeat purchases at all: NO_MAXIMUM) leave it unwritten.
 */
extern bj_ltv_error bj_bgnbd_fit(const bj_rfm *rows, size_t n, const bj_fit_options *opt,
								 bj_fit_result *res);
extern bj_ltv_error bj_gg_fit(const bj_spend *rows, size_t n, const bj_fit_options *opt,
							  bj_fit_result *res);

/* Expected repeat purchases in (0, t] of a new customer (FHL 2005 eq. 9). */
extern bj_ltv_error bj_bgnbd_expected(const bj_bgnbd_params *par, double t, double *out);

/* Expected purchases in (T, T + t] given (x, t_x, T) (FHL 2005 eq. 10). */
extern bj_ltv_error bj_bgnbd_conditional(const bj_bgnbd_params *par, double x, double t_x,
										 double T, double t, double *out);

/* P(alive at T | x, t_x, T) (FHL 2005 eq. 13); 1 when x = 0. */
extern bj_ltv_error bj_bgnbd_p_alive(const bj_bgnbd_params *par, double x, double t_x,
									 double T, double *out);

/* E(M | x, m) = (v + m x) p / (p x + q - 1); needs q > 1.  x = 0: the prior mean. */
extern bj_ltv_error bj_gg_mean_spend(const bj_gg_params *par, double x, double m, double *out);

/*
 * Discounted value of the purchases in (T, T + H * period]:
 * sum over k = 1..H of spend * (E[Y(k period)] - E[Y((k-1) period)]) / (1 + d)^k.
 */
extern bj_ltv_error bj_bgnbd_discounted_value(const bj_bgnbd_params *par, double x,
											  double t_x, double T, double spend,
											  double period, int horizon, double d,
											  double *out);

/*
 * Constant retention r in [0, 1], discount d > -1, margin m per period:
 * infinite horizon m r / (1 + d - r), which needs r < 1 + d (r = 1: m / d,
 * d > 0); finite, sum over k = 1..n of m (r/(1+d))^k (r = 1, d = 0: m n).
 */
extern bj_ltv_error bj_retention_value(double m, double r, double d, double *out);
extern bj_ltv_error bj_retention_value_n(double m, double r, double d, int n, double *out);

#endif							/* BJ_LTV_H */
