/*
 * bj_bgnbd_predict.c - BG/NBD predictions: expected purchases, P(alive),
 * discounted value.
 *
 * FHL 2005 eq. 9 and 10 share one quantity.  For a customer alive at T with
 * x repeat purchases, rate posterior Gamma(R, alpha + T), R = r + x, and
 * dropout posterior Beta(a, B), B = b + x, the purchases in the next t are
 *   I = E_p[(1 - (1 + p u)^-R) / p],  u = t / (alpha + T),  p ~ Beta(a, B)
 *     = C / (a - 1) * (1 - (1 - z)^R 2F1(R, B; C; z)),  C = a + B - 1,  z = u / (1 + u).
 * Read literally that divides by a - 1 a difference that vanishes at a = 1,
 * and its 2F1 converges slowly or overflows near z = 1.  Here Euler's
 * transformation (1 - z)^R 2F1(R, B; C; z) = (1 - z)^(a-1) 2F1(C - R, a - 1; C; z)
 * and (a - 1)_n = (a - 1) (a)_(n-1) turn it into
 *   I = (1 - z)^(a-1) sum_{n>=1} E_n (a)_(n-1) z^n / n!,
 *   E_n = C - Q_n,  Q_n = (C - R)_n / (C + 1)_(n-1),
 * with E_1 = R and E_(n+1) = E_n + Q_n R / (C + n): no (a - 1) left, and
 * every term positive when C >= R (a + b >= 1 + r).  Where that series would
 * be slow (z near 1), cancel (C < R, large terms of both signs) or not
 * apply (C <= 0), the Beta integral itself is taken by tanh-sinh quadrature,
 * whose integrand is positive everywhere.  Both stop with an error rather
 * than return a value they did not converge to.
 */
#include "bj_ltv_internal.h"

#include <float.h>

#define SERIES_MAX_TERMS 5000
#define QUAD_MAX_LEVEL 11		/* 32 * 2^11 intervals at most */
#define QUAD_TOL 1e-12

/* The series above; false when it should not be trusted here. */
bool
bj_alive_series(double R, double a, double B, double u, double *out)
{
	double		C = a + B - 1.0,
				z = u / (1.0 + u),
				lz1 = -log1p(u),	/* log(1 - z) */
				E = R,
				Q = C - R,
				c = z,
				sum = 0.0,
				abs_sum = 0.0;
	double		a_eff = a > 2.0 ? a : 2.0;
	int			limit;

	if (!(C > 0.0) || fabs((a - 1.0) * lz1) > 500.0 ||
		(a_eff + 40.0) * (1.0 + u) > SERIES_MAX_TERMS / 2)
		return false;
	limit = (int) (2.0 * (a_eff + 40.0) * (1.0 + u)) + 20;
	for (int n = 1; n <= limit; n++)
	{
		double		t = E * c,
					q_next = Q * (C - R + n) / (C + n),
					ratio;

		sum += t;
		/* with C < R, E = C - Q itself can cancel: count both parts */
		abs_sum += C >= R ? fabs(t) : (C + fabs(Q)) * fabs(c);
		/* E_(n+1) = E_n + Q_n R / (C + n), a sum of positive terms when C >= R */
		E = C >= R ? E + Q * R / (C + n) : C - q_next;
		Q = q_next;
		c *= z * (a + n - 1.0) / (n + 1.0);
		/*
		 * Once signs have settled, later ratios of c are at most
		 * z max(1, (a + n) / (n + 2)) and of E at most its ratio now, so the
		 * rest of the sum is at most the next term / (1 - ratio).
		 */
		if (E <= 0.0 || (C - R + n < 0.0))
			continue;
		ratio = z * (a + n > n + 2.0 ? (a + n) / (n + 2.0) : 1.0) *
			(1.0 + (Q > 0.0 ? Q * R / ((C + n + 1.0) * E) : 0.0));
		if (ratio < 1.0 && E * c / (1.0 - ratio) <= 1e-17 * fabs(sum))
		{
			if (!(abs_sum <= 1e4 * sum))
				return false;	/* more than 4 digits lost to cancellation */
			t = sum * exp((a - 1.0) * lz1);
			if (!isfinite(t))
				return false;
			*out = t;
			return true;
		}
	}
	return false;
}

/*
 * tanh-sinh quadrature of I over p = 1 / (1 + exp(-pi sinh s)) on a range of s
 * whose two tails are each below e^-41 h(1) <= e^-41 I, where h(p) is the
 * decreasing integrand factor (1 - (1 + p u)^-R) / p.  Logs throughout, so
 * p near 0 or 1 neither underflows nor loses digits.
 */
static double
quad_node(double s, double R, double a, double B, double lbeta, double log_u)
{
	double		v = BJ_PI_2 * sinh(s),
				e = exp(-2.0 * fabs(v)),
				lp = v >= 0.0 ? -log1p(e) : 2.0 * v - log1p(e),
				lq = v >= 0.0 ? -2.0 * v - log1p(e) : -log1p(e),
				lpu = lp + log_u,
				lh;

	/* log h(p); p^a, not p^(a-1) p, lest two huge log p terms cancel */
	if (lpu + log1p(R) < -30.0)
		lh = log(R) + log_u;	/* h = R u (1 - O((R + 1) p u)) */
	else
		lh = log(-expm1(-R * log1p(exp(lpu)))) - lp;
	return BJ_PI * cosh(s) * exp(a * lp + B * lq - lbeta + lh);
}

bj_ltv_error
bj_alive_quadrature(double R, double a, double B, double u, double *out)
{
	double		lbeta = bj_lbeta(a, B),
				log_u = log(u),
				lh1 = log(-expm1(-R * log1p(u))),
				lp0,
				lq1,
				s_lo,
				s_hi,
				h,
				sum = 0.0,
				prev = 0.0,
				tol;
	int			n = 32;

	/* R u p0^a / (a B(a, B)) 2^(1-B) <= e^-41 h(1), and the like near p = 1 */
	lp0 = (-41.0 - BJ_LN2 + lh1 - log(R) - log_u + log(a) + lbeta) / a;
	lq1 = (-41.0 - BJ_LN2 * (a < 1.0 ? 2.0 - a : 1.0) + log(B) + lbeta) / B;
	if (lp0 > -BJ_LN2)
		lp0 = -BJ_LN2;
	if (lq1 > -BJ_LN2)
		lq1 = -BJ_LN2;
	/* s where p = p0 and 1 - p = q1: v = logit / 2, s = asinh(v / (pi/2)) */
	s_lo = asinh(0.5 * (lp0 - log1p(-exp(lp0))) / BJ_PI_2);
	s_hi = asinh(0.5 * (log1p(-exp(lq1)) - lq1) / BJ_PI_2);
	/*
	 * Each node's exponent carries a rounding error of about eps |log B(a, B)|
	 * (its large terms cancel to O(1)), so the levels can only agree that far.
	 */
	tol = QUAD_TOL + 64.0 * DBL_EPSILON * fabs(lbeta);
	h = (s_hi - s_lo) / n;
	for (int j = 0; j <= n; j++)
		sum += quad_node(s_lo + j * h, R, a, B, lbeta, log_u);
	for (int level = 1; level <= QUAD_MAX_LEVEL; level++)
	{
		double		cur;

		prev = sum * h;
		h *= 0.5;
		for (int j = 1; j < 2 * n; j += 2)
			sum += quad_node(s_lo + j * h, R, a, B, lbeta, log_u);
		n *= 2;
		cur = sum * h;
		if (!isfinite(cur))
			return BJ_LTV_NOT_CONVERGED;
		if (level >= 3 && cur > 0.0 && fabs(cur - prev) <= tol * cur)
		{
			*out = cur;
			return BJ_LTV_OK;
		}
	}
	return BJ_LTV_NOT_CONVERGED;
}

/* I for R, a, B > 0 and u >= 0. */
static bj_ltv_error
alive_purchases(double R, double a, double B, double u, double *out)
{
	/* I = R u (1 - (R + 1) u E[p] / 2 + ...), E[p] < 1: exact to rounding here */
	if ((R + 1.0) * u < 1e-17)
	{
		*out = R * u;
		return BJ_LTV_OK;
	}
	if (!isfinite(u))
		return BJ_LTV_NOT_CONVERGED;	/* t / (alpha + T) beyond a double */
	if (bj_alive_series(R, a, B, u, out))
		return BJ_LTV_OK;
	return bj_alive_quadrature(R, a, B, u, out);
}

static bj_ltv_error
check(const bj_bgnbd_params *par, double x, double t_x, double T, double t)
{
	if (!bj_positive(par->r) || !bj_positive(par->alpha) ||
		!bj_positive(par->a) || !bj_positive(par->b))
		return BJ_LTV_BAD_PARAM;
	if (!bj_count_ok(x, 0.0))
		return BJ_LTV_BAD_DATA;
	if (!isfinite(T) || !(t_x >= 0.0) || !(t_x <= T) || !isfinite(t) || !(t >= 0.0))
		return BJ_LTV_BAD_TIME;
	return BJ_LTV_OK;
}

bj_ltv_error
bj_bgnbd_expected(const bj_bgnbd_params *par, double t, double *out)
{
	bj_ltv_error err = check(par, 0.0, 0.0, 0.0, t);

	if (err != BJ_LTV_OK)
		return err;
	return alive_purchases(par->r, par->a, par->b, t / par->alpha, out);
}

/* 1 / (1 + [x > 0] a / (b + x - 1) ((alpha + T) / (alpha + t_x))^(r + x)) */
static double
p_alive(const bj_bgnbd_params *par, double x, double t_x, double T)
{
	if (x == 0.0)
		return 1.0;
	return 1.0 / (1.0 + exp(log(par->a) - log(par->b + x - 1.0) +
							(par->r + x) * log1p((T - t_x) / (par->alpha + t_x))));
}

bj_ltv_error
bj_bgnbd_p_alive(const bj_bgnbd_params *par, double x, double t_x, double T, double *out)
{
	bj_ltv_error err = check(par, x, t_x, T, 0.0);

	if (err != BJ_LTV_OK)
		return err;
	*out = p_alive(par, x, t_x, T);
	return BJ_LTV_OK;
}

bj_ltv_error
bj_bgnbd_conditional(const bj_bgnbd_params *par, double x, double t_x, double T,
					 double t, double *out)
{
	bj_ltv_error err = check(par, x, t_x, T, t);
	double		alive;

	if (err != BJ_LTV_OK)
		return err;
	if ((err = alive_purchases(par->r + x, par->a, par->b + x, t / (par->alpha + T),
							   &alive)) != BJ_LTV_OK)
		return err;
	*out = p_alive(par, x, t_x, T) * alive;
	return BJ_LTV_OK;
}

bj_ltv_error
bj_bgnbd_discounted_value(const bj_bgnbd_params *par, double x, double t_x, double T,
						  double spend, double period, int horizon, double d,
						  double *out)
{
	bj_ltv_error err = check(par, x, t_x, T, 0.0);
	double		before = 0.0,
				factor = 1.0,
				total = 0.0;

	if (err != BJ_LTV_OK)
		return err;
	if (!isfinite(spend))
		return BJ_LTV_BAD_DATA;
	if (!bj_positive(period) || horizon < 0)
		return BJ_LTV_BAD_TIME;
	if (!isfinite(d) || !(d > -1.0))
		return BJ_LTV_BAD_DISCOUNT;
	for (int k = 1; k <= horizon; k++)
	{
		double		upto;

		if (bj_interrupted())
			return BJ_LTV_INTERRUPTED;
		if ((err = bj_bgnbd_conditional(par, x, t_x, T, k * period, &upto)) != BJ_LTV_OK)
			return err;
		factor /= 1.0 + d;
		total += spend * (upto - before) * factor;
		before = upto;
	}
	if (!isfinite(total))
		return BJ_LTV_NOT_FINITE;
	*out = total;
	return BJ_LTV_OK;
}
