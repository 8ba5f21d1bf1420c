/*
 * test_ltv.c - checks and timings of the LTV core (standalone, own main).
 *
 *   test_ltv [cdnow-dir [reference.csv]]
 *
 * Ends with the line "N passed, N failed"; exits 1 on any failure.
 */
#define _POSIX_C_SOURCE 200809L

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bj_ltv_internal.h"
#include "test_ltv.h"

int			test_checks,
			test_failures;

double
test_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

static double
rel_err(double got, double want)
{
	/* a log-likelihood of 0 comes out of mpmath as 1e-52 or so */
	return fabs(want) < 1e-30 ? fabs(got - want) : fabs(got - want) / fabs(want);
}

/* ---- gradients against central differences (Richardson, h and h/2) ---- */

typedef double (*ll_fn) (const double *theta, const double *data);

static double
ll_bgnbd(const double *th, const double *d)
{
	bj_bgnbd_params p = {exp(th[0]), exp(th[1]), exp(th[2]), exp(th[3])};
	double		ll = NAN;

	bj_bgnbd_loglik(&p, d[0], d[1], d[2], &ll, NULL);
	return ll;
}

static double
ll_gg(const double *th, const double *d)
{
	bj_gg_params p = {exp(th[0]), exp(th[1]), exp(th[2])};
	double		ll = NAN;

	bj_gg_loglik(&p, d[0], d[1], &ll, NULL);
	return ll;
}

static double
fd(ll_fn f, const double *theta, const double *data, int dim, int j, double h)
{
	double		t[4];
	double		up,
				down;

	memcpy(t, theta, sizeof(double) * dim);
	t[j] = theta[j] + h;
	up = f(t, data);
	t[j] = theta[j] - h;
	down = f(t, data);
	return (up - down) / (2.0 * h);
}

static void
test_gradients(void)
{
	bj_rng		rng = {12345};
	double		worst = 0.0;

	for (int i = 0; i < 2000; i++)
	{
		bool		bg = i % 2 == 0;
		int			dim = bg ? 4 : 3;
		double		theta[4],
					data[3],
					g[4],
					ll;
		bj_ltv_error err;

		for (int j = 0; j < dim; j++)
			theta[j] = -4.0 + 7.0 * bj_rng_uniform(&rng);
		if (bg)
		{
			bj_bgnbd_params p = {exp(theta[0]), exp(theta[1]), exp(theta[2]), exp(theta[3])};

			data[0] = floor(pow(10.0, 3.7 * bj_rng_uniform(&rng))) - 1.0;
			data[2] = 200.0 * bj_rng_uniform(&rng);
			data[1] = data[0] > 0 ? data[2] * bj_rng_uniform(&rng) : 0.0;
			err = bj_bgnbd_loglik(&p, data[0], data[1], data[2], &ll, g);
		}
		else
		{
			bj_gg_params p = {exp(theta[0]), exp(theta[1]), exp(theta[2])};

			data[0] = floor(pow(10.0, 3.7 * bj_rng_uniform(&rng)));
			data[1] = exp(-3.0 + 9.0 * bj_rng_uniform(&rng));
			err = bj_gg_loglik(&p, data[0], data[1], &ll, g);
		}
		CHECK(err == BJ_LTV_OK && isfinite(ll), "point %d", i);
		for (int j = 0; j < dim; j++)
		{
			ll_fn		f = bg ? ll_bgnbd : ll_gg;
			double		h = 1e-3,
						d1 = fd(f, theta, data, dim, j, h),
						d2 = fd(f, theta, data, dim, j, h / 2),
						num = (4.0 * d2 - d1) / 3.0,
						/* rounding of ll over h, and the truncation left */
						tol = 1e-9 * (1.0 + fabs(ll)) / h + 1e-6 * fabs(g[j]),
						e = fabs(num - g[j]) / (tol / 1e-6);

			if (e > worst)
				worst = e;
			CHECK(fabs(num - g[j]) <= tol, "%s point %d param %d: analytic %.12g numeric %.12g",
				  bg ? "bgnbd" : "gg", i, j, g[j], num);
		}
	}
	printf("gradients: 2000 random points, worst |analytic - numeric| / tol = %.3g\n",
		   worst * 1e-6);
}

/* ---- reference.csv (mpmath) ---- */

typedef struct kind_stat
{
	const char *kind;
	int			nargs;
	int			rows;
	double		worst;
} kind_stat;

static bj_ltv_error
eval_reference(const char *kind, const double *v, double *out)
{
	bj_bgnbd_params bp = {v[0], v[1], v[2], v[3]};
	bj_gg_params gp = {v[0], v[1], v[2]};

	if (strcmp(kind, "cond") == 0)
		return bj_bgnbd_conditional(&bp, v[4], v[5], v[6], v[7], out);
	if (strcmp(kind, "uncond") == 0)
		return bj_bgnbd_expected(&bp, v[4], out);
	if (strcmp(kind, "palive") == 0)
		return bj_bgnbd_p_alive(&bp, v[4], v[5], v[6], out);
	if (strcmp(kind, "ll") == 0)
		return bj_bgnbd_loglik(&bp, v[4], v[5], v[6], out, NULL);
	if (strcmp(kind, "dv") == 0)
		return bj_bgnbd_discounted_value(&bp, v[4], v[5], v[6], v[7], v[8], (int) v[9],
										 v[10], out);
	if (strcmp(kind, "gg_ll") == 0)
		return bj_gg_loglik(&gp, v[3], v[4], out, NULL);
	if (strcmp(kind, "gg_mean") == 0)
		return bj_gg_mean_spend(&gp, v[3], v[4], out);
	if (strcmp(kind, "ret") == 0)
		return bj_retention_value(v[0], v[1], v[2], out);
	return bj_retention_value_n(v[0], v[1], v[2], (int) v[3], out);
}

static void
test_reference(const char *path)
{
	kind_stat	stats[] = {
		{"cond", 8, 0, 0}, {"uncond", 5, 0, 0}, {"palive", 7, 0, 0}, {"ll", 7, 0, 0},
		{"dv", 11, 0, 0}, {"gg_ll", 5, 0, 0}, {"gg_mean", 5, 0, 0}, {"ret", 3, 0, 0},
		{"ret_n", 4, 0, 0}, {"cond, by quadrature", 8, 0, 0},
	};
	int			nkinds = sizeof(stats) / sizeof(stats[0]);
	kind_stat  *quad = &stats[nkinds - 1];
	FILE	   *f = fopen(path, "r");
	char		line[1024];

	CHECK(f != NULL, "cannot open %s", path);
	if (f == NULL)
		return;
	while (fgets(line, sizeof(line), f))
	{
		char	   *comma = strchr(line, ','),
				   *p;
		double		v[16],
					got = NAN;
		int			n = 0;
		kind_stat  *k = NULL;
		bj_ltv_error err;

		if (line[0] == '#' || comma == NULL)
			continue;
		*comma = '\0';
		for (p = comma + 1; n < 16; p++)
		{
			v[n++] = strtod(p, &p);
			if (*p != ',')
				break;
		}
		for (int i = 0; i < nkinds - 1; i++)
			if (strcmp(stats[i].kind, line) == 0)
				k = &stats[i];
		CHECK(k != NULL && n == k->nargs + 1, "bad reference line for %s", line);
		if (k == NULL || n != k->nargs + 1)
			continue;
		err = eval_reference(line, v, &got);
		k->rows++;
		CHECK(err == BJ_LTV_OK && isfinite(got), "%s row %d: error %d", line, k->rows, err);
		if (rel_err(got, v[n - 1]) > k->worst)
			k->worst = rel_err(got, v[n - 1]);
		CHECK(rel_err(got, v[n - 1]) < 1e-8, "%s row %d: got %.17g, want %.17g",
			  line, k->rows, got, v[n - 1]);
		if (k == &stats[0])
		{
			/* the same value by quadrature alone, whatever route the API took */
			bj_bgnbd_params bp = {v[0], v[1], v[2], v[3]};
			double		alive,
						pa;

			err = bj_alive_quadrature(v[0] + v[4], v[2], v[3] + v[4], v[7] / (v[1] + v[6]), &alive);
			bj_bgnbd_p_alive(&bp, v[4], v[5], v[6], &pa);
			quad->rows++;
			if (err == BJ_LTV_OK && rel_err(pa * alive, v[n - 1]) > quad->worst)
				quad->worst = rel_err(pa * alive, v[n - 1]);
			CHECK(err == BJ_LTV_OK && rel_err(pa * alive, v[n - 1]) < 1e-8,
				  "quadrature row %d: got %.17g, want %.17g", quad->rows, pa * alive, v[n - 1]);
		}
	}
	fclose(f);
	for (int i = 0; i < nkinds; i++)
		printf("reference: %-20s %4d rows, max relative error %.3g\n",
			   stats[i].kind, stats[i].rows, stats[i].worst);
}

/* ---- robustness: random valid inputs give finite, sane values ---- */

static void
test_sweep(void)
{
	bj_rng		rng = {777};
	int			bad = 0,
				by_series = 0;
	double		worst = 0.0;

	for (int i = 0; i < 20000; i++)
	{
		/* parameters from e^-12 to e^12 */
		bj_bgnbd_params p = {
			exp(-12.0 + 24.0 * bj_rng_uniform(&rng)), exp(-12.0 + 24.0 * bj_rng_uniform(&rng)),
			exp(-12.0 + 24.0 * bj_rng_uniform(&rng)), exp(-12.0 + 24.0 * bj_rng_uniform(&rng))};
		double		T = i % 5 == 0 ? 0.0 : 1000.0 * bj_rng_uniform(&rng),
					x = T > 0.0 ? floor(pow(10.0, 4.0 * bj_rng_uniform(&rng))) - 1.0 : 0.0,
					t_x = x > 0.0 ? T * bj_rng_uniform(&rng) : 0.0,
					t = 10000.0 * pow(bj_rng_uniform(&rng), 3.0),
					e1 = NAN,
					e2 = NAN,
					e0 = NAN,
					pa = NAN,
					s,
					q;
		bj_ltv_error err1 = bj_bgnbd_conditional(&p, x, t_x, T, t, &e1),
					err2 = bj_bgnbd_conditional(&p, x, t_x, T, 2.0 * t + 1.0, &e2),
					err0 = bj_bgnbd_expected(&p, t, &e0),
					errp = bj_bgnbd_p_alive(&p, x, t_x, T, &pa);

		if (err1 || err2 || err0 || errp || !isfinite(e1) || !isfinite(e2) || !isfinite(e0) ||
			!(e1 >= 0.0) || !(e2 >= e1 * (1.0 - 1e-8)) || !(pa >= 0.0 && pa <= 1.0))
		{
			if (bad++ < 10)
				fprintf(stderr, "sweep: r=%g alpha=%g a=%g b=%g x=%g t_x=%g T=%g t=%g: "
						"errors %d %d %d %d values %g %g %g %g\n", p.r, p.alpha, p.a, p.b,
						x, t_x, T, t, err1, err2, err0, errp, e1, e2, e0, pa);
		}
		/* where the series is taken, the quadrature must agree with it */
		if (bj_alive_series(p.r + x, p.a, p.b + x, t / (p.alpha + T), &s))
		{
			by_series++;
			if (bj_alive_quadrature(p.r + x, p.a, p.b + x, t / (p.alpha + T), &q) != BJ_LTV_OK)
				q = NAN;
			if (!(rel_err(q, s) <= worst))
				worst = isnan(q) ? INFINITY : rel_err(q, s);
		}
	}
	CHECK(bad == 0, "%d of 20000 random valid inputs gave an error or a bad value", bad);
	CHECK(worst < 1e-9, "series and quadrature differ by %g", worst);
	printf("sweep: 20000 random valid inputs, %d bad; series taken %d times, "
		   "max |quadrature / series - 1| = %.3g\n", bad, by_series, worst);
}

/* ---- invalid inputs ---- */

static void
test_errors(void)
{
	bj_bgnbd_params ok = {0.25, 4.0, 0.8, 2.5},
				neg = {0.25, -4.0, 0.8, 2.5},
				nan_p = {0.25, 4.0, NAN, 2.5};
	bj_gg_params gok = {6.0, 3.7, 15.0},
				gq1 = {6.0, 1.0, 15.0},
				gbad = {0.0, 3.7, 15.0};
	bj_rfm		rows[2] = {{1, 2, 3, 1}, {0, 0, 5, 1}},
				zero_w[1] = {{1, 2, 3, 0}},
				neg_w[1] = {{1, 2, 3, -1}};
	bj_spend	srows[1] = {{0, 5, 1}};
	bj_fit_result res;
	bj_fit_options bad_pen = {-1.0, 0, 0, NULL};
	double		out = 42.0,
				g[4];

	CHECK(bj_bgnbd_conditional(&neg, 1, 2, 3, 4, &out) == BJ_LTV_BAD_PARAM, "alpha < 0");
	CHECK(bj_bgnbd_conditional(&nan_p, 1, 2, 3, 4, &out) == BJ_LTV_BAD_PARAM, "a NaN");
	CHECK(bj_bgnbd_conditional(&ok, -1, 0, 3, 4, &out) == BJ_LTV_BAD_DATA, "x < 0");
	CHECK(bj_bgnbd_conditional(&ok, 1.5, 1, 3, 4, &out) == BJ_LTV_BAD_DATA, "x not whole");
	CHECK(bj_bgnbd_conditional(&ok, 1, 4, 3, 4, &out) == BJ_LTV_BAD_TIME, "t_x > T");
	CHECK(bj_bgnbd_conditional(&ok, 1, -1, 3, 4, &out) == BJ_LTV_BAD_TIME, "t_x < 0");
	CHECK(bj_bgnbd_conditional(&ok, 1, 2, 3, -4, &out) == BJ_LTV_BAD_TIME, "t < 0");
	CHECK(bj_bgnbd_conditional(&ok, 1, 2, INFINITY, 4, &out) == BJ_LTV_BAD_TIME, "T inf");
	CHECK(bj_bgnbd_expected(&ok, NAN, &out) == BJ_LTV_BAD_TIME, "t NaN");
	CHECK(bj_bgnbd_p_alive(&neg, 1, 2, 3, &out) == BJ_LTV_BAD_PARAM, "p_alive params");
	CHECK(bj_bgnbd_p_alive(&ok, 1, 2, 1, &out) == BJ_LTV_BAD_TIME, "p_alive t_x > T");
	CHECK(bj_bgnbd_loglik(&ok, 1, 2, 1, &out, g) == BJ_LTV_BAD_TIME, "loglik t_x > T");
	CHECK(bj_bgnbd_loglik(&neg, 1, 2, 3, &out, g) == BJ_LTV_BAD_PARAM, "loglik params");
	CHECK(bj_gg_loglik(&gok, 0, 5, &out, g) == BJ_LTV_BAD_DATA, "gg x = 0");
	CHECK(bj_gg_loglik(&gok, 1, 0, &out, g) == BJ_LTV_BAD_DATA, "gg m = 0");
	CHECK(bj_gg_loglik(&gbad, 1, 5, &out, g) == BJ_LTV_BAD_PARAM, "gg p = 0");
	CHECK(bj_gg_mean_spend(&gq1, 1, 5, &out) == BJ_LTV_UNDEFINED, "q = 1");
	CHECK(bj_gg_mean_spend(&gok, -1, 5, &out) == BJ_LTV_BAD_DATA, "mean x < 0");
	CHECK(bj_bgnbd_discounted_value(&ok, 1, 2, 3, 10, 0, 5, 0.1, &out) == BJ_LTV_BAD_TIME,
		  "period 0");
	CHECK(bj_bgnbd_discounted_value(&ok, 1, 2, 3, 10, 1, -1, 0.1, &out) == BJ_LTV_BAD_TIME,
		  "horizon < 0");
	CHECK(bj_bgnbd_discounted_value(&ok, 1, 2, 3, 10, 1, 5, -1, &out) == BJ_LTV_BAD_DISCOUNT,
		  "d = -1");
	CHECK(bj_bgnbd_discounted_value(&ok, 1, 2, 3, 10, 1, 5, NAN, &out) == BJ_LTV_BAD_DISCOUNT,
		  "d NaN");
	CHECK(bj_bgnbd_discounted_value(&ok, 1, 2, 3, NAN, 1, 5, 0.1, &out) == BJ_LTV_BAD_DATA,
		  "spend NaN");
	CHECK(bj_retention_value(10, 1.0, 0.0, &out) == BJ_LTV_BAD_RATE, "r = 1, d = 0 diverges");
	CHECK(bj_retention_value(10, 1.1, 0.5, &out) == BJ_LTV_BAD_RATE, "r > 1");
	CHECK(bj_retention_value(10, -0.1, 0.1, &out) == BJ_LTV_BAD_RATE, "r < 0");
	CHECK(bj_retention_value(10, 0.5, -1.0, &out) == BJ_LTV_BAD_DISCOUNT, "d = -1");
	CHECK(bj_retention_value(10, 0.5, NAN, &out) == BJ_LTV_BAD_DISCOUNT, "d NaN");
	CHECK(bj_retention_value(10, 0.9, -0.2, &out) == BJ_LTV_BAD_RATE, "diverges");
	CHECK(bj_retention_value_n(10, 0.5, 0.1, -1, &out) == BJ_LTV_BAD_TIME, "n < 0");
	CHECK(bj_retention_value(NAN, 0.5, 0.1, &out) == BJ_LTV_BAD_DATA, "m NaN");
	CHECK(out == 42.0, "an output was written on an error");
	CHECK(bj_bgnbd_fit(rows, 0, NULL, &res) == BJ_LTV_NO_DATA, "no rows");
	CHECK(bj_bgnbd_fit(zero_w, 1, NULL, &res) == BJ_LTV_NO_DATA, "zero weight");
	CHECK(bj_bgnbd_fit(neg_w, 1, NULL, &res) == BJ_LTV_BAD_DATA, "negative weight");
	CHECK(bj_bgnbd_fit(rows, 2, &bad_pen, &res) == BJ_LTV_BAD_PARAM, "negative penalty");
	CHECK(bj_gg_fit(srows, 1, NULL, &res) == BJ_LTV_BAD_DATA, "gg fit x = 0");
	/* all x = 0: the likelihood grows towards r / alpha -> 0, there is no maximum */
	{
		bj_rfm		none[2] = {{0, 0, 10, 5}, {0, 0, 20, 5}};
		bj_ltv_error err = bj_bgnbd_fit(none, 2, NULL, &res);

		CHECK(err == BJ_LTV_NO_MAXIMUM, "fit without purchases: error %d", err);
	}
}

int
main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "test/data/cdnow";
	const char *ref = argc > 2 ? argv[2] : "reference.csv";

	test_gradients();
	test_reference(ref);
	test_sweep();
	test_errors();
	test_cdnow(dir);
	test_gg_sim();
	test_timing();
	printf("%d passed, %d failed\n", test_checks - test_failures, test_failures);
	return test_failures ? 1 : 0;
}
