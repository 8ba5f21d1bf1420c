/*
 * bj_ltv.c - error texts, shared helpers, and the constant-retention formula.
 */
#include "bj_ltv_internal.h"

#include <stdlib.h>

const char *
bj_ltv_error_message(bj_ltv_error e)
{
	switch (e)
	{
		case BJ_LTV_OK:
			return "ok";
		case BJ_LTV_BAD_PARAM:
			return "model parameters must be finite and greater than 0";
		case BJ_LTV_BAD_DATA:
			return "invalid customer data (purchase count, spend or weight)";
		case BJ_LTV_BAD_TIME:
			return "invalid time (negative, recency after the end of observation, or period not positive)";
		case BJ_LTV_BAD_RATE:
			return "invalid retention (outside [0, 1]) or a divergent sum (retention must be below 1 + discount rate)";
		case BJ_LTV_BAD_DISCOUNT:
			return "the discount rate must be finite and greater than -1";
		case BJ_LTV_UNDEFINED:
			return "undefined for these parameters (mean spend needs q > 1)";
		case BJ_LTV_NO_DATA:
			return "no customers to fit";
		case BJ_LTV_NO_MEMORY:
			return "out of memory";
		case BJ_LTV_NOT_CONVERGED:
			return "series or quadrature did not converge";
		case BJ_LTV_NOT_FINITE:
			return "fit reached a point where the likelihood is not finite";
		case BJ_LTV_NO_PROGRESS:
			return "fit made no progress before reaching the tolerance";
		case BJ_LTV_MAX_ITER:
			return "fit reached its iteration limit";
		case BJ_LTV_INTERRUPTED:
			return "interrupted";
		case BJ_LTV_NO_MAXIMUM:
			return "the likelihood has no maximum for this data (estimates run off to 0 or infinity)";
	}
	return "unknown error";
}

double
bj_digamma(double x)
{
	double		acc = 0.0,
				inv2;

	/* psi(x) = psi(x + 1) - 1/x until the series below is exact to rounding */
	while (x < 10.0)
	{
		acc -= 1.0 / x;
		x += 1.0;
	}
	inv2 = 1.0 / (x * x);
	/* log x - 1/(2x) - sum B_2k / (2k x^2k), to x^-14 (< 1e-17 at x = 10) */
	return acc + log(x) - 0.5 / x
		- inv2 * (1.0 / 12 - inv2 * (1.0 / 120 - inv2 * (1.0 / 252 - inv2 * (1.0 / 240
			- inv2 * (1.0 / 132 - inv2 * (691.0 / 32760 - inv2 / 12.0))))));
}

/* lgamma(x) - ((x - 0.5) log x - x + log sqrt(2 pi)), x >= 10: Stirling's series */
static double
lgamma_tail(double x)
{
	double		inv2 = 1.0 / (x * x);

	/* B_2k / (2k (2k - 1) x^(2k-1)), k = 1..9: below 1e-18 at x = 10 */
	return (1.0 / 12 - inv2 * (1.0 / 360 - inv2 * (1.0 / 1260 - inv2 * (1.0 / 1680
			- inv2 * (1.0 / 1188 - inv2 * (691.0 / 360360 - inv2 * (1.0 / 156
			- inv2 * (3617.0 / 122400 - inv2 * 43867.0 / 244188)))))))) / x;
}

double
bj_lbeta(double a, double b)
{
	double		lo = a < b ? a : b,
				hi = a < b ? b : a,
				sum = lo + hi;

	if (hi < 10.0)
		return lgamma(lo) + lgamma(hi) - lgamma(sum);
	/* Stirling for the large ones: the x log x parts cancel analytically */
	if (lo < 10.0)
		return lgamma(lo) + lgamma_tail(hi) - lgamma_tail(sum) + lo
			- lo * log(sum) + (hi - 0.5) * log1p(-lo / sum);
	return -0.5 * log(hi) + 0.91893853320467274178 + lgamma_tail(lo) + lgamma_tail(hi)
		- lgamma_tail(sum) + (lo - 0.5) * log(lo / sum) + hi * log1p(-lo / sum);
}

static int
cmp_double(const void *pa, const void *pb)
{
	double		a = *(const double *) pa,
				b = *(const double *) pb;

	return (a > b) - (a < b);
}

bj_ltv_error
bj_value_index_build(bj_value_index *ix, const void *first, size_t stride, size_t n)
{
	const char *base = first;
	size_t		k = 0;

	ix->values = malloc(sizeof(double) * (n ? n : 1));
	ix->of = malloc(sizeof(int) * (n ? n : 1));
	ix->count = 0;
	if (ix->values == NULL || ix->of == NULL || n > (size_t) 0x7fffffff)
	{
		bj_value_index_free(ix);
		return BJ_LTV_NO_MEMORY;
	}
	for (size_t i = 0; i < n; i++)
		ix->values[i] = *(const double *) (base + i * stride);
	qsort(ix->values, n, sizeof(double), cmp_double);
	for (size_t i = 0; i < n; i++)
		if (k == 0 || ix->values[i] != ix->values[k - 1])
			ix->values[k++] = ix->values[i];
	ix->count = k;
	for (size_t i = 0; i < n; i++)
	{
		double		v = *(const double *) (base + i * stride);
		size_t		lo = 0,
					hi = k - 1;

		if (bj_interrupted_every(i))
		{
			bj_value_index_free(ix);
			return BJ_LTV_INTERRUPTED;
		}
		while (lo < hi)
		{
			size_t		mid = (lo + hi) / 2;

			if (ix->values[mid] < v)
				lo = mid + 1;
			else
				hi = mid;
		}
		ix->of[i] = (int) lo;
	}
	return BJ_LTV_OK;
}

void
bj_value_index_free(bj_value_index *ix)
{
	free(ix->values);
	free(ix->of);
	ix->values = NULL;
	ix->of = NULL;
	ix->count = 0;
}

void
bj_fit_defaults(const bj_fit_options *opt, double *penalty, double *gtol, int *max_iter)
{
	*penalty = opt ? opt->penalty : 0.0;
	*gtol = opt && opt->gtol > 0.0 ? opt->gtol : 1e-8;
	*max_iter = opt && opt->max_iter > 0 ? opt->max_iter : 500;
}

static int
cmp_rfm(const void *pa, const void *pb)
{
	const bj_rfm *a = pa,
			   *b = pb;

	if (a->x != b->x)
		return a->x < b->x ? -1 : 1;
	if (a->t_x != b->t_x)
		return a->t_x < b->t_x ? -1 : 1;
	return (a->T > b->T) - (a->T < b->T);
}

size_t
bj_rfm_compress(bj_rfm *rows, size_t n)
{
	size_t		k = 0;

	if (n == 0)
		return 0;
	qsort(rows, n, sizeof(bj_rfm), cmp_rfm);
	for (size_t i = 1; i < n; i++)
	{
		if (cmp_rfm(&rows[k], &rows[i]) == 0)
			rows[k].weight += rows[i].weight;
		else
			rows[++k] = rows[i];
	}
	return k + 1;
}

static int
cmp_spend(const void *pa, const void *pb)
{
	const bj_spend *a = pa,
			   *b = pb;

	if (a->x != b->x)
		return a->x < b->x ? -1 : 1;
	if (a->m != b->m)
		return a->m < b->m ? -1 : 1;
	return (a->weight > b->weight) - (a->weight < b->weight);
}

size_t
bj_spend_compress(bj_spend *rows, size_t n)
{
	size_t		k = 0;

	if (n == 0)
		return 0;
	qsort(rows, n, sizeof(bj_spend), cmp_spend);
	for (size_t i = 1; i < n; i++)
	{
		if (rows[k].x == rows[i].x && rows[k].m == rows[i].m)
			rows[k].weight += rows[i].weight;
		else
			rows[++k] = rows[i];
	}
	return k + 1;
}

static bj_ltv_error
check_rates(double m, double r, double d)
{
	if (!isfinite(m))
		return BJ_LTV_BAD_DATA;
	if (!isfinite(d) || !(d > -1.0))
		return BJ_LTV_BAD_DISCOUNT;
	if (!(r >= 0.0 && r <= 1.0))
		return BJ_LTV_BAD_RATE;
	return BJ_LTV_OK;
}

bj_ltv_error
bj_retention_value(double m, double r, double d, double *out)
{
	bj_ltv_error err = check_rates(m, r, d);

	if (err != BJ_LTV_OK)
		return err;
	/* a negative discount can make the kept share per period reach 1 */
	if (!(r < 1.0 + d))
		return BJ_LTV_BAD_RATE;
	/* d + (1 - r), not 1 + d - r: at retention 1 it is d exactly (margin / d) */
	*out = m * r / (d + (1.0 - r));
	return BJ_LTV_OK;
}

bj_ltv_error
bj_retention_value_n(double m, double r, double d, int n, double *out)
{
	bj_ltv_error err = check_rates(m, r, d);
	double		rho,
				v;

	if (err != BJ_LTV_OK)
		return err;
	if (n < 0)
		return BJ_LTV_BAD_TIME;
	rho = r / (1.0 + d);
	if (n == 0 || rho == 0.0)
		v = 0.0;
	else if (rho == 1.0)
		v = m * n;
	else						/* m rho (1 - rho^n) / (1 - rho), without cancellation */
		v = -m * rho * expm1(n * log(rho)) / (1.0 - rho);
	if (!isfinite(v))
		return BJ_LTV_BAD_RATE;
	*out = v;
	return BJ_LTV_OK;
}
