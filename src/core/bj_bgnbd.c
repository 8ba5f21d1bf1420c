/*
 * bj_bgnbd.c - BG/NBD likelihood, its gradient, and the maximum-likelihood fit.
 *
 * Fader, Hardie and Lee (2005), "Counting Your Customers the Easy Way",
 * eq. 6, written as in the lifetimes package:
 *   LL = A1 + A2 + log(exp(A3) + [x > 0] exp(A4))
 *   A1 = lgamma(r + x) - lgamma(r) + r log alpha
 *   A2 = lgamma(a + b) + lgamma(b + x) - lgamma(b) - lgamma(a + b + x)
 *      = log B(a, b + x) - log B(a, b), taken so for large x (bj_lbeta)
 *   A3 = -(r + x) log(alpha + T)
 *   A4 = log a - log(b + x - 1) - (r + x) log(alpha + t_x)
 * The last term is A3 + softplus(A4 - A3), so nothing overflows for large x
 * or T.  w4 = sigmoid(A4 - A3) is the share of the "dropped out after the
 * last purchase" branch, and the gradient is linear in it.
 */
#include "bj_ltv_internal.h"

#include <stdlib.h>

static bj_ltv_error
check_params(const bj_bgnbd_params *par)
{
	if (!bj_positive(par->r) || !bj_positive(par->alpha) ||
		!bj_positive(par->a) || !bj_positive(par->b))
		return BJ_LTV_BAD_PARAM;
	return BJ_LTV_OK;
}

/* x a whole number >= 0, 0 <= t_x <= T (t_x is checked even when x = 0). */
static bj_ltv_error
check_customer(double x, double t_x, double T)
{
	if (!bj_count_ok(x, 0.0))
		return BJ_LTV_BAD_DATA;
	if (!isfinite(T) || !(t_x >= 0.0) || !(t_x <= T))
		return BJ_LTV_BAD_TIME;
	return BJ_LTV_OK;
}

/* softplus(d) = log(1 + e^d), and sigmoid(d) into *w. */
static inline double
softplus(double d, double *w)
{
	double		e = exp(-fabs(d));

	*w = d > 0.0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
	return (d > 0.0 ? d : 0.0) + log1p(e);
}

bj_ltv_error
bj_bgnbd_loglik(const bj_bgnbd_params *par, double x, double t_x, double T,
				double *ll, double grad[4])
{
	double		r = par->r,
				al = par->alpha,
				a = par->a,
				b = par->b;
	double		lt = log(al + T),
				w4 = 0.0,
				v,
				d_r,
				d_al,
				d_a,
				d_b;
	bj_ltv_error err;

	if ((err = check_params(par)) != BJ_LTV_OK || (err = check_customer(x, t_x, T)) != BJ_LTV_OK)
		return err;
	/* x = 0: A1 + A3 only, and the lgamma pairs cancel exactly */
	v = r * log(al) - r * lt;
	d_r = log(al) - lt;
	d_al = r / al - r / (al + T);
	d_a = 0.0;
	d_b = 0.0;
	if (x > 0.0)
	{
		/* A4 - A3, with log((alpha + T) / (alpha + t_x)) taken without cancellation */
		double		gap = log1p((T - t_x) / (al + t_x));
		double		d = log(a) - log(b + x - 1.0) + (r + x) * gap;

		v = lgamma(r + x) - lgamma(r) + r * log(al) + bj_lbeta(a, b + x) - bj_lbeta(a, b)
			- (r + x) * lt + softplus(d, &w4);
		d_r = bj_digamma(r + x) - bj_digamma(r) + log(al) - lt + w4 * gap;
		d_al = r / al - (r + x) * ((1.0 - w4) / (al + T) + w4 / (al + t_x));
		d_a = bj_digamma(a + b) - bj_digamma(a + b + x) + w4 / a;
		d_b = bj_digamma(a + b) + bj_digamma(b + x) - bj_digamma(b) - bj_digamma(a + b + x)
			- w4 / (b + x - 1.0);
	}
	if (!isfinite(v))
		return BJ_LTV_NOT_FINITE;
	*ll = v;
	if (grad != NULL)
	{
		grad[0] = r * d_r;
		grad[1] = al * d_al;
		grad[2] = a * d_a;
		grad[3] = b * d_b;
	}
	return BJ_LTV_OK;
}

/*
 * The fit's objective over many rows.  Special functions depend on x only,
 * logarithms on T or t_x only: both are computed once per distinct value,
 * which leaves an exp and a log1p per row.
 */
typedef struct fit_ctx
{
	const bj_rfm *rows;
	size_t		n;
	double		wsum;
	double		penalty;
	bj_value_index ix_x,
				ix_T,
				ix_t;
	double	   *per_x;			/* 6 per distinct x, see below */
	double	   *per_T;			/* log(alpha + T), alpha / (alpha + T) */
	double	   *per_t;			/* the same for t_x */
	double		loglik;			/* unpenalised, at the last evaluation */
} fit_ctx;

enum
{
	PX_LL, PX_DR, PX_DA, PX_DB, PX_LAB, PX_INV, PX_N
};

static bool
objective(void *vctx, const double *theta, double *f, double *grad)
{
	fit_ctx    *c = vctx;
	double		r = exp(theta[0]),
				al = exp(theta[1]),
				a = exp(theta[2]),
				b = exp(theta[3]);
	double		lal = theta[1],
				psi_r = bj_digamma(r),
				psi_b = bj_digamma(b),
				psi_ab = bj_digamma(a + b),
				lg_r = lgamma(r),
				lbeta_ab = bj_lbeta(a, b);
	double		ll = 0.0,
				g_r = 0.0,
				g_al = 0.0,
				g_a = 0.0,
				g_b = 0.0;

	for (size_t k = 0; k < c->ix_x.count; k++)
	{
		double		x = c->ix_x.values[k],
				   *px = c->per_x + PX_N * k;

		if (x == 0.0)
		{
			px[PX_LL] = px[PX_DR] = px[PX_DA] = px[PX_DB] = px[PX_LAB] = px[PX_INV] = 0.0;
			continue;
		}
		if (bj_interrupted_every(k))
			return false;
		px[PX_LL] = lgamma(r + x) - lg_r + bj_lbeta(a, b + x) - lbeta_ab;
		px[PX_DR] = bj_digamma(r + x) - psi_r;
		px[PX_DA] = psi_ab - bj_digamma(a + b + x);
		px[PX_DB] = px[PX_DA] + bj_digamma(b + x) - psi_b;
		px[PX_LAB] = log(a) - log(b + x - 1.0);
		px[PX_INV] = 1.0 / (b + x - 1.0);
	}
	for (size_t k = 0; k < c->ix_T.count; k++)
	{
		if (bj_interrupted_every(k))
			return false;
		c->per_T[2 * k] = log(al + c->ix_T.values[k]);
		c->per_T[2 * k + 1] = al / (al + c->ix_T.values[k]);
	}
	for (size_t k = 0; k < c->ix_t.count; k++)
	{
		if (bj_interrupted_every(k))
			return false;
		c->per_t[2 * k] = log(al + c->ix_t.values[k]);
		c->per_t[2 * k + 1] = al / (al + c->ix_t.values[k]);
	}
	for (size_t i = 0; i < c->n; i++)
	{
		double		w = c->rows[i].weight,
					x = c->rows[i].x;
		const double *px = c->per_x + PX_N * c->ix_x.of[i],
				   *pT = c->per_T + 2 * c->ix_T.of[i],
				   *pt = c->per_t + 2 * c->ix_t.of[i];
		double		gap = pT[0] - pt[0],
					w4 = 0.0,
					sp = 0.0;

		if (bj_interrupted_every(i))
			return false;

		if (x > 0.0)
			sp = softplus(px[PX_LAB] + (r + x) * gap, &w4);
		ll += w * (px[PX_LL] + r * lal - (r + x) * pT[0] + sp);
		g_r += w * (px[PX_DR] + lal - pT[0] + w4 * gap);
		g_al += w * (r - (r + x) * (pT[1] + w4 * (pt[1] - pT[1])));
		g_a += w * (px[PX_DA] + w4 / a);
		g_b += w * (px[PX_DB] - w4 * px[PX_INV]);
	}
	c->loglik = ll;
	*f = -ll / c->wsum;
	grad[0] = -r * g_r / c->wsum;
	grad[1] = -g_al / c->wsum;
	grad[2] = -a * g_a / c->wsum;
	grad[3] = -b * g_b / c->wsum;
	for (int j = 0; j < 4; j++)
	{
		*f += c->penalty * theta[j] * theta[j];
		grad[j] += 2.0 * c->penalty * theta[j];
	}
	return isfinite(*f) && isfinite(grad[0]) && isfinite(grad[1]) &&
		isfinite(grad[2]) && isfinite(grad[3]);
}

static void
free_ctx(fit_ctx *c)
{
	bj_value_index_free(&c->ix_x);
	bj_value_index_free(&c->ix_T);
	bj_value_index_free(&c->ix_t);
	free(c->per_x);
	free(c->per_T);
	free(c->per_t);
}

/*
 * Start, unless given: r = a = b = 1 and alpha = sum(w T) / sum(w x), so the
 * mean purchase rate r / alpha matches the data's, in whatever time unit.
 */
bj_ltv_error
bj_bgnbd_fit(const bj_rfm *rows, size_t n, const bj_fit_options *opt, bj_fit_result *res)
{
	fit_ctx		c = {0};
	double		theta[4],
				gtol,
				sum_x = 0.0,
				sum_T = 0.0;
	int			max_iter;
	bj_optim_result o;
	bj_ltv_error err;

	bj_fit_defaults(opt, &c.penalty, &gtol, &max_iter);
	if (!(c.penalty >= 0.0) || !isfinite(c.penalty))
		return BJ_LTV_BAD_PARAM;
	for (size_t i = 0; i < n; i++)
	{
		if ((err = check_customer(rows[i].x, rows[i].t_x, rows[i].T)) != BJ_LTV_OK)
			return err;
		if (!(rows[i].weight >= 0.0) || !isfinite(rows[i].weight))
			return BJ_LTV_BAD_DATA;
		c.wsum += rows[i].weight;
		sum_x += rows[i].weight * rows[i].x;
		sum_T += rows[i].weight * rows[i].T;
	}
	if (!(c.wsum > 0.0))
		return BJ_LTV_NO_DATA;
	/* without repeat purchases the likelihood grows as r / alpha goes to 0 */
	if (!(sum_x > 0.0))
		return BJ_LTV_NO_MAXIMUM;
	if (opt != NULL && opt->start != NULL)
	{
		bj_bgnbd_params s = {opt->start[0], opt->start[1], opt->start[2], opt->start[3]};

		if (check_params(&s) != BJ_LTV_OK)
			return BJ_LTV_BAD_PARAM;
		for (int j = 0; j < 4; j++)
			theta[j] = log(opt->start[j]);
	}
	else
	{
		theta[0] = theta[2] = theta[3] = 0.0;
		theta[1] = sum_T > 0.0 ? log(sum_T / sum_x) : 0.0;
	}
	c.rows = rows;
	c.n = n;
	if ((err = bj_value_index_build(&c.ix_x, &rows[0].x, sizeof(bj_rfm), n)) != BJ_LTV_OK ||
		(err = bj_value_index_build(&c.ix_T, &rows[0].T, sizeof(bj_rfm), n)) != BJ_LTV_OK ||
		(err = bj_value_index_build(&c.ix_t, &rows[0].t_x, sizeof(bj_rfm), n)) != BJ_LTV_OK)
	{
		free_ctx(&c);
		return err;
	}
	c.per_x = malloc(sizeof(double) * PX_N * c.ix_x.count);
	c.per_T = malloc(sizeof(double) * 2 * c.ix_T.count);
	c.per_t = malloc(sizeof(double) * 2 * c.ix_t.count);
	if (c.per_x == NULL || c.per_T == NULL || c.per_t == NULL)
	{
		free_ctx(&c);
		return BJ_LTV_NO_MEMORY;
	}
	err = bj_optim_bfgs(4, objective, &c, theta, gtol, max_iter, &o);
	/* the last evaluation may be a rejected trial: evaluate the result again */
	{
		double		f,
					g[4];

		if (!objective(&c, theta, &f, g) && err == BJ_LTV_OK)
			err = BJ_LTV_NOT_FINITE;
	}
	for (int j = 0; j < 4; j++)
		res->params[j] = exp(theta[j]);
	res->loglik = c.loglik;
	res->n = c.wsum;
	res->gnorm = o.gnorm;
	res->iterations = o.iterations;
	res->evaluations = o.evaluations;
	res->converged = err == BJ_LTV_OK;
	free_ctx(&c);
	return err;
}
