/*
 * test_cdnow.c - the published CDNOW estimates (FHL 2005; the lifetimes docs).
 */
#include <math.h>
#include <stdlib.h>

#include "test_ltv.h"

static size_t
read_csv(const char *path, double (*cols)[5], size_t max, int ncols)
{
	FILE	   *f = fopen(path, "r");
	char		line[256];
	size_t		n = 0;

	if (f == NULL)
		return 0;
	while (n < max && fgets(line, sizeof(line), f))
	{
		char	   *p = line;

		if (line[0] < '0' || line[0] > '9')
			continue;			/* header */
		for (int j = 0; j < ncols; j++, p++)
			cols[n][j] = strtod(p, &p);
		n++;
	}
	fclose(f);
	return n;
}

void
test_cdnow(const char *dir)
{
	static double cols[3000][5];
	char		path[512];
	bj_rfm		rows[3000];
	bj_spend	spend[3000];
	size_t		n,
				m = 0,
				k;
	bj_fit_result res;
	bj_ltv_error err;
	double		t0,
				sum_ll = 0.0,
				g_sum[4] = {0};

	snprintf(path, sizeof(path), "%s/cdnow_customers_summary.csv", dir);
	n = read_csv(path, cols, 3000, 4);
	CHECK(n == 2357, "read %zu customers from %s", n, path);
	for (size_t i = 0; i < n; i++)
		rows[i] = (bj_rfm) {cols[i][1], cols[i][2], cols[i][3], 1.0};
	t0 = test_now();
	k = bj_rfm_compress(rows, n);
	err = bj_bgnbd_fit(rows, k, NULL, &res);
	printf("timing: CDNOW BG/NBD fit, %zu customers as %zu rows: %.4f s\n", n, k, test_now() - t0);
	printf("cdnow: BG/NBD r = %.6f alpha = %.6f a = %.6f b = %.6f LL = %.4f "
		   "(%d iterations, %d evaluations, max |grad| %.2g, %s)\n",
		   res.params[0], res.params[1], res.params[2], res.params[3], res.loglik,
		   res.iterations, res.evaluations, res.gnorm, bj_ltv_error_message(err));
	printf("cdnow: published      r = 0.243    alpha = 4.414    a = 0.793    b = 2.426    LL = -9582.4\n");
	CHECK(err == BJ_LTV_OK && res.converged && res.n == 2357.0, "fit: %d", err);
	CHECK(fabs(res.params[0] - 0.243) < 5e-4 && fabs(res.params[1] - 4.414) < 5e-3 &&
		  fabs(res.params[2] - 0.793) < 5e-4 && fabs(res.params[3] - 2.426) < 5e-3 &&
		  fabs(res.loglik + 9582.4) < 0.05, "BG/NBD estimates differ from the published ones");
	/* the fit's own LL and (zero) gradient, summed customer by customer */
	for (size_t i = 0; i < k; i++)
	{
		bj_bgnbd_params p = {res.params[0], res.params[1], res.params[2], res.params[3]};
		double		ll,
					g[4];

		bj_bgnbd_loglik(&p, rows[i].x, rows[i].t_x, rows[i].T, &ll, g);
		sum_ll += rows[i].weight * ll;
		for (int j = 0; j < 4; j++)
			g_sum[j] += rows[i].weight * g[j] / res.n;
	}
	CHECK(fabs(sum_ll - res.loglik) < 1e-9 * fabs(sum_ll), "LL %.15g vs %.15g", sum_ll, res.loglik);
	CHECK(fabs(g_sum[0]) + fabs(g_sum[1]) + fabs(g_sum[2]) + fabs(g_sum[3]) < 1e-7,
		  "per-customer gradient at the optimum %g %g %g %g", g_sum[0], g_sum[1], g_sum[2], g_sum[3]);
	/* too few iterations: an error, and the last point, finite */
	{
		bj_fit_options o = {0, 0, 3, NULL};
		bj_fit_result few;

		err = bj_bgnbd_fit(rows, k, &o, &few);
		CHECK(err == BJ_LTV_MAX_ITER && !few.converged && few.iterations == 3 &&
			  isfinite(few.params[0] + few.params[1] + few.params[2] + few.params[3] + few.loglik),
			  "3 iterations: %d", err);
	}
	/* from another start, the same optimum */
	{
		double		start[4] = {2.0, 0.5, 3.0, 0.3};
		bj_fit_options o = {0, 0, 0, start};
		bj_fit_result other;

		err = bj_bgnbd_fit(rows, k, &o, &other);
		CHECK(err == BJ_LTV_OK && fabs(other.params[0] / res.params[0] - 1) < 1e-5 &&
			  fabs(other.params[3] / res.params[3] - 1) < 1e-5, "other start: %d", err);
	}
	/* a penalty pulls log-parameters towards 0 and costs likelihood */
	{
		bj_fit_options o = {0.1, 0, 0, NULL};
		bj_fit_result pen;

		err = bj_bgnbd_fit(rows, k, &o, &pen);
		CHECK(err == BJ_LTV_OK && pen.loglik < res.loglik &&
			  fabs(log(pen.params[0])) < fabs(log(res.params[0])), "penalised fit");
	}

	snprintf(path, sizeof(path), "%s/cdnow_customers_summary_with_transactions.csv", dir);
	n = read_csv(path, cols, 3000, 5);
	CHECK(n == 2357, "read %zu customers from %s", n, path);
	for (size_t i = 0; i < n; i++)
		if (cols[i][1] > 0)
			spend[m++] = (bj_spend) {cols[i][1], cols[i][4], 1.0};
	t0 = test_now();
	err = bj_gg_fit(spend, m, NULL, &res);
	printf("timing: CDNOW Gamma-Gamma fit, %zu customers: %.4f s\n", m, test_now() - t0);
	printf("cdnow: Gamma-Gamma p = %.6f q = %.6f v = %.6f LL = %.4f (%d iterations, %s)\n",
		   res.params[0], res.params[1], res.params[2], res.loglik, res.iterations,
		   bj_ltv_error_message(err));
	printf("cdnow: published   p = 6.25     q = 3.74     v = 15.44\n");
	CHECK(err == BJ_LTV_OK && res.converged && m == 946, "gg fit %d, %zu rows", err, m);
	CHECK(fabs(res.params[0] - 6.25) < 0.01 && fabs(res.params[1] - 3.74) < 0.01 &&
		  fabs(res.params[2] - 15.44) < 0.02, "Gamma-Gamma estimates differ from the published ones");
	/* lifetimes' start, all 1: the same optimum */
	{
		double		start[3] = {1.0, 1.0, 1.0};
		bj_fit_options o = {0, 0, 0, start};
		bj_fit_result other;

		err = bj_gg_fit(spend, m, &o, &other);
		CHECK(err == BJ_LTV_OK && fabs(other.params[0] / res.params[0] - 1) < 1e-5 &&
			  fabs(other.params[2] / res.params[2] - 1) < 1e-5, "gg other start: %d", err);
	}
}
