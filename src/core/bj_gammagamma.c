/*
 * bj_gammagamma.c - Gamma-Gamma spend model (Colombo and Jiang 1999; Fader,
 * Hardie and Lee 2005, "RFM and CLV: Using Iso-Value Curves").
 *
 * A customer's spends are Gamma(p, nu), nu ~ Gamma(q, v) across customers.
 * The mean m of x spends has the density
 *   Gamma(p x + q) / (Gamma(p x) Gamma(q)) v^q m^(p x - 1) x^(p x) / (v + m x)^(p x + q)
 * whose log is written below with l1 = log1p(v / (x m)) and
 * l2 = log1p(x m / v) = l1 + log(x m) - log v, so neither x m >> v nor
 * x m << v loses digits:
 *   LL = lgamma(p x + q) - lgamma(p x) - lgamma(q) - log m - p x l1 - q l2
 * where the lgamma terms are -log B(p x, q) (bj_lbeta: no cancellation when
 * p x is large).
 */
#include "bj_ltv_internal.h"

#include <stdlib.h>

static bj_ltv_error
check_params(const bj_gg_params *par)
{
	if (!bj_positive(par->p) || !bj_positive(par->q) || !bj_positive(par->v))
		return BJ_LTV_BAD_PARAM;
	return BJ_LTV_OK;
}

bj_ltv_error
bj_gg_loglik(const bj_gg_params *par, double x, double m, double *ll, double grad[3])
{
	double		p = par->p,
				q = par->q,
				v = par->v;
	double		l1,
				l2,
				px,
				val;

	if (check_params(par) != BJ_LTV_OK)
		return BJ_LTV_BAD_PARAM;
	if (!bj_count_ok(x, 1.0) || !bj_positive(m))
		return BJ_LTV_BAD_DATA;
	px = p * x;
	l1 = log1p(v / (x * m));
	l2 = l1 + log(x) + log(m) - log(v);
	val = -bj_lbeta(px, q) - log(m) - px * l1 - q * l2;
	if (!isfinite(val))
		return BJ_LTV_NOT_FINITE;
	*ll = val;
	if (grad != NULL)
	{
		double		psi = bj_digamma(px + q);

		grad[0] = px * (psi - bj_digamma(px) - l1);
		grad[1] = q * (psi - bj_digamma(q) - l2);
		grad[2] = q - (px + q) / (1.0 + x * m / v);
	}
	return BJ_LTV_OK;
}

/* As in bj_bgnbd.c: special functions once per distinct x. */
typedef struct fit_ctx
{
	const bj_spend *rows;
	size_t		n;
	double		wsum;
	double		penalty;
	bj_value_index ix_x;
	double	   *per_x;			/* -log B(px, q), psi(px+q), psi(px) */
	double	   *log_xm;			/* per row, log(x m), fixed during the fit */
	double		sum_log_m;		/* sum of w log m, fixed too */
	double		loglik;
} fit_ctx;

static bool
objective(void *vctx, const double *theta, double *f, double *grad)
{
	fit_ctx    *c = vctx;
	double		p = exp(theta[0]),
				q = exp(theta[1]),
				lv = theta[2];		/* log v */
	double		psi_q = bj_digamma(q);
	double		ll = 0.0,
				g_p = 0.0,
				g_q = 0.0,
				g_v = 0.0;

	for (size_t k = 0; k < c->ix_x.count; k++)
	{
		double		px = p * c->ix_x.values[k];

		if (bj_interrupted_every(k))
			return false;

		c->per_x[3 * k] = -bj_lbeta(px, q);
		c->per_x[3 * k + 1] = bj_digamma(px + q);
		c->per_x[3 * k + 2] = bj_digamma(px);
	}
	for (size_t i = 0; i < c->n; i++)
	{
		const double *cx = c->per_x + 3 * c->ix_x.of[i];
		double		w = c->rows[i].weight,
					px = p * c->rows[i].x,
					e = exp(lv - c->log_xm[i]), /* v / (x m) */
					l1 = log1p(e),
					l2 = l1 + c->log_xm[i] - lv;

		if (bj_interrupted_every(i))
			return false;

		ll += w * (cx[0] - px * l1 - q * l2);
		g_p += w * px * (cx[1] - cx[2] - l1);
		g_q += w * (cx[1] - psi_q - l2);
		g_v += w * (q - (px + q) * e / (1.0 + e));
	}
	ll -= c->sum_log_m;
	c->loglik = ll;
	*f = -ll / c->wsum;
	grad[0] = -g_p / c->wsum;
	grad[1] = -q * g_q / c->wsum;
	grad[2] = -g_v / c->wsum;
	for (int j = 0; j < 3; j++)
	{
		*f += c->penalty * theta[j] * theta[j];
		grad[j] += 2.0 * c->penalty * theta[j];
	}
	return isfinite(*f) && isfinite(grad[0]) && isfinite(grad[1]) && isfinite(grad[2]);
}

/*
 * Start, unless given: p = 1, q = 2 and v = the weighted mean of m, so the
 * prior mean spend p v / (q - 1) matches the data's, in whatever currency.
 */
bj_ltv_error
bj_gg_fit(const bj_spend *rows, size_t n, const bj_fit_options *opt, bj_fit_result *res)
{
	fit_ctx		c = {0};
	double		theta[3],
				gtol,
				sum_m = 0.0,
				f,
				g[3];
	int			max_iter;
	bj_optim_result o;
	bj_ltv_error err;

	bj_fit_defaults(opt, &c.penalty, &gtol, &max_iter);
	if (!(c.penalty >= 0.0) || !isfinite(c.penalty))
		return BJ_LTV_BAD_PARAM;
	for (size_t i = 0; i < n; i++)
	{
		if (!bj_count_ok(rows[i].x, 1.0) || !bj_positive(rows[i].m) ||
			!(rows[i].weight >= 0.0) || !isfinite(rows[i].weight))
			return BJ_LTV_BAD_DATA;
		c.wsum += rows[i].weight;
		sum_m += rows[i].weight * rows[i].m;
	}
	if (!(c.wsum > 0.0))
		return BJ_LTV_NO_DATA;
	if (opt != NULL && opt->start != NULL)
	{
		bj_gg_params s = {opt->start[0], opt->start[1], opt->start[2]};

		if (check_params(&s) != BJ_LTV_OK)
			return BJ_LTV_BAD_PARAM;
		for (int j = 0; j < 3; j++)
			theta[j] = log(opt->start[j]);
	}
	else
	{
		theta[0] = 0.0;
		theta[1] = log(2.0);
		theta[2] = log(sum_m / c.wsum);
	}
	c.rows = rows;
	c.n = n;
	if ((err = bj_value_index_build(&c.ix_x, &rows[0].x, sizeof(bj_spend), n)) != BJ_LTV_OK)
		return err;
	c.per_x = malloc(sizeof(double) * 3 * c.ix_x.count);
	c.log_xm = malloc(sizeof(double) * n);
	if (c.per_x == NULL || c.log_xm == NULL)
	{
		err = BJ_LTV_NO_MEMORY;
		goto done;
	}
	for (size_t i = 0; i < n; i++)
	{
		c.log_xm[i] = log(rows[i].x) + log(rows[i].m);
		c.sum_log_m += rows[i].weight * log(rows[i].m);
	}
	err = bj_optim_bfgs(3, objective, &c, theta, gtol, max_iter, &o);
	if (!objective(&c, theta, &f, g) && err == BJ_LTV_OK)
		err = BJ_LTV_NOT_FINITE;
	for (int j = 0; j < 3; j++)
		res->params[j] = exp(theta[j]);
	res->params[3] = 0.0;
	res->loglik = c.loglik;
	res->n = c.wsum;
	res->gnorm = o.gnorm;
	res->iterations = o.iterations;
	res->evaluations = o.evaluations;
	res->converged = err == BJ_LTV_OK;
done:
	bj_value_index_free(&c.ix_x);
	free(c.per_x);
	free(c.log_xm);
	return err;
}

bj_ltv_error
bj_gg_mean_spend(const bj_gg_params *par, double x, double m, double *out)
{
	double		v;

	if (check_params(par) != BJ_LTV_OK)
		return BJ_LTV_BAD_PARAM;
	if (!bj_count_ok(x, 0.0) || !isfinite(m) || !(m >= 0.0))
		return BJ_LTV_BAD_DATA;
	if (!(par->q > 1.0))
		return BJ_LTV_UNDEFINED;
	/* a weighted mean of the prior mean p v / (q - 1) and the customer's m */
	v = (par->v + m * x) * par->p / (par->p * x + par->q - 1.0);
	if (!isfinite(v))
		return BJ_LTV_NOT_FINITE;
	*out = v;
	return BJ_LTV_OK;
}
