/*
 * bj_ltv_internal.h - helpers shared by the LTV source files, not exported.
 */
#ifndef BJ_LTV_INTERNAL_H
#define BJ_LTV_INTERNAL_H

#include <math.h>

#include "bj_interrupt.h"
#include "bj_ltv.h"

#define BJ_OPTIM_MAX_DIM 4

/* C99's math.h has no M_PI */
#define BJ_PI 3.14159265358979323846
#define BJ_PI_2 1.57079632679489661923
#define BJ_LN2 0.69314718055994530942

/* Digamma for x > 0 (recurrence up to 10, then the asymptotic series). */
extern double bj_digamma(double x);

/*
 * log B(a, b) = lgamma(a) + lgamma(b) - lgamma(a + b) for a, b > 0, without
 * the cancellation of the large lgamma terms when b (or both) is large.
 */
extern double bj_lbeta(double a, double b);

/* Finite and > 0: the test for every model parameter. */
static inline bool
bj_positive(double v)
{
	return isfinite(v) && v > 0.0;
}

/* A whole number >= lo that fits a double exactly. */
static inline bool
bj_count_ok(double x, double lo)
{
	return isfinite(x) && x >= lo && x <= 9007199254740992.0 && x == floor(x);
}

/*
 * Distinct values of a column, so a fit computes the special functions once
 * per distinct value: values[0..count) sorted, and of[i] the index of row i's
 * value.  The column is read from `first` every `stride` bytes, to serve
 * arrays of structs.
 */
typedef struct bj_value_index
{
	double	   *values;
	int		   *of;
	size_t		count;
} bj_value_index;

extern bj_ltv_error bj_value_index_build(bj_value_index *ix, const void *first,
										 size_t stride, size_t n);
extern void bj_value_index_free(bj_value_index *ix);

/*
 * Objective for the optimiser: f and its gradient at theta.  Returns false
 * when f or the gradient is not finite there.
 */
typedef bool (*bj_objective) (void *ctx, const double *theta, double *f, double *grad);

typedef struct bj_optim_result
{
	double		f;
	double		gnorm;
	int			iterations;
	int			evaluations;
} bj_optim_result;

/*
 * Minimise by BFGS with a backtracking line search (Armijo, or the
 * approximate Wolfe test near the optimum).  theta holds the start and gets
 * the best point found.  BJ_LTV_OK means max |grad| <= gtol; a variable
 * beyond +-35 (a parameter outside e^+-35) ends with BJ_LTV_NO_MAXIMUM.
 */
extern bj_ltv_error bj_optim_bfgs(int dim, bj_objective fn, void *ctx, double *theta,
								  double gtol, int max_iter, bj_optim_result *out);

/* Fill the penalty, tolerance and iteration defaults of a fit. */
extern void bj_fit_defaults(const bj_fit_options *opt, double *penalty, double *gtol,
							int *max_iter);

/*
 * The two routes to E_p[(1 - (1 + p u)^-R) / p], p ~ Beta(a, B), of
 * bj_bgnbd_predict.c, exported so the tests can compare them: the series is
 * false where it declines, the quadrature BJ_LTV_NOT_CONVERGED.
 */
extern bool bj_alive_series(double R, double a, double B, double u, double *out);
extern bj_ltv_error bj_alive_quadrature(double R, double a, double B, double u, double *out);

#endif							/* BJ_LTV_INTERNAL_H */
