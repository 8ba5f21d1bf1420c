/*
 * test_sim.c - random numbers, simulated customers, and the fits and timings
 * on them (tests only).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "test_ltv.h"

double
bj_rng_uniform(bj_rng *rng)
{
	uint64_t	z = (rng->state += 0x9E3779B97F4A7C15ull);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	z ^= z >> 31;
	return ((z >> 11) + 0.5) * 0x1.0p-53;
}

static double
normal(bj_rng *rng)
{
	return sqrt(-2.0 * log(bj_rng_uniform(rng))) * cos(6.283185307179586 * bj_rng_uniform(rng));
}

/* Marsaglia and Tsang (2000); shape < 1 by Gamma(shape + 1) U^(1/shape). */
double
bj_rng_gamma(bj_rng *rng, double shape)
{
	double		d,
				c;

	if (shape < 1.0)
		return bj_rng_gamma(rng, shape + 1.0) * pow(bj_rng_uniform(rng), 1.0 / shape);
	d = shape - 1.0 / 3.0;
	c = 1.0 / sqrt(9.0 * d);
	for (;;)
	{
		double		x = normal(rng),
					v = 1.0 + c * x,
					u;

		if (v <= 0.0)
			continue;
		v = v * v * v;
		u = bj_rng_uniform(rng);
		if (log(u) < 0.5 * x * x + d - d * v + d * log(v))
			return d * v;
	}
}

void
bj_simulate_bgnbd(bj_rng *rng, const bj_bgnbd_params *par, bj_rfm *out)
{
	double		T_days = 7.0 + floor(540.0 * bj_rng_uniform(rng)),
				T = T_days / 7.0,
				lambda = bj_rng_gamma(rng, par->r) / par->alpha,
				ga = bj_rng_gamma(rng, par->a),
				p = ga / (ga + bj_rng_gamma(rng, par->b)),
				t = 0.0,
				t_x = 0.0,
				x = 0.0;

	/* alive at the first purchase; after each repeat purchase drops out with p */
	for (;;)
	{
		t += -log(bj_rng_uniform(rng)) / lambda;
		if (t > T)
			break;
		x += 1.0;
		t_x = t;
		if (bj_rng_uniform(rng) < p)
			break;
	}
	out->x = x;
	out->t_x = x > 0.0 ? floor(t_x * 7.0) / 7.0 : 0.0;
	out->T = T;
	out->weight = 1.0;
}

/* ---- Gamma-Gamma on simulated spends ---- */

void
test_gg_sim(void)
{
	const bj_gg_params truth = {6.0, 3.7, 15.0};
	const size_t n = 50000;
	bj_spend   *rows = malloc(sizeof(bj_spend) * n);
	bj_rng		rng = {4242};
	bj_fit_result res;
	bj_ltv_error err;

	CHECK(rows != NULL, "no memory");
	if (rows == NULL)
		return;
	for (size_t i = 0; i < n; i++)
	{
		/* nu ~ Gamma(q, v) as a rate; each spend ~ Gamma(p, nu) */
		double		nu = bj_rng_gamma(&rng, truth.q) / truth.v,
					x = 1.0 + floor(-6.0 * log(bj_rng_uniform(&rng))),
					sum = 0.0;

		for (int k = 0; k < (int) x; k++)
			sum += bj_rng_gamma(&rng, truth.p) / nu;
		rows[i] = (bj_spend) {x, sum / x, 1.0};
	}
	err = bj_gg_fit(rows, n, NULL, &res);
	printf("sim: Gamma-Gamma on %zu customers: p = %.4f q = %.4f v = %.4f "
		   "(truth 6 3.7 15, %d iterations)\n", n, res.params[0], res.params[1], res.params[2],
		   res.iterations);
	CHECK(err == BJ_LTV_OK && fabs(log(res.params[0] / truth.p)) < 0.1 &&
		  fabs(log(res.params[1] / truth.q)) < 0.1 && fabs(log(res.params[2] / truth.v)) < 0.1,
		  "Gamma-Gamma recovery: %d", err);

	/* Compressed, the rows give the same fit in any order (Citus hands them
	 * over shard by shard): fit them as drawn and reversed, each compressed. */
	{
		bj_spend   *rev = malloc(sizeof(bj_spend) * n);
		bj_fit_result a,
					b;
		size_t		ka,
					kb;

		CHECK(rev != NULL, "no memory");
		if (rev == NULL)
			goto done;
		for (size_t i = 0; i < n; i++)
			rev[i] = rows[n - 1 - i];
		ka = bj_spend_compress(rows, n);
		kb = bj_spend_compress(rev, n);
		memset(&a, 0, sizeof(a));
		memset(&b, 0, sizeof(b));
		CHECK(bj_gg_fit(rows, ka, NULL, &a) == BJ_LTV_OK && bj_gg_fit(rev, kb, NULL, &b) == BJ_LTV_OK &&
			  ka == kb && a.n == (double) n && memcmp(a.params, b.params, sizeof(a.params)) == 0 &&
			  a.loglik == b.loglik, "Gamma-Gamma fit depends on the order of the rows");
		printf("sim: Gamma-Gamma compressed to %zu rows, same fit drawn and reversed\n", ka);
		free(rev);
	}
done:
	free(rows);
}

/* ---- timings on simulated customers ---- */

void
test_timing(void)
{
	const size_t n = 1000000;
	const bj_bgnbd_params truth = {0.25, 4.0, 0.8, 2.5};
	bj_rfm	   *rows = malloc(sizeof(bj_rfm) * n),
			   *work = malloc(sizeof(bj_rfm) * n);
	bj_rng		rng = {2024};
	bj_fit_result res;
	bj_ltv_error err;
	double		t0,
				t1,
				sum = 0.0;
	size_t		k;
	int			errors = 0;

	CHECK(rows != NULL && work != NULL, "no memory");
	if (rows == NULL || work == NULL)
		goto done;
	t0 = test_now();
	for (size_t i = 0; i < n; i++)
		bj_simulate_bgnbd(&rng, &truth, &rows[i]);
	printf("timing: simulating %zu customers: %.3f s\n", n, test_now() - t0);
	memcpy(work, rows, sizeof(bj_rfm) * n);
	t0 = test_now();
	k = bj_rfm_compress(work, n);
	t1 = test_now();
	err = bj_bgnbd_fit(work, k, NULL, &res);
	printf("timing: BG/NBD on %zu simulated customers: compress to %zu rows %.3f s, "
		   "fit %.3f s (%d iterations, %d evaluations), total %.3f s\n",
		   n, k, t1 - t0, test_now() - t1, res.iterations, res.evaluations, test_now() - t0);
	printf("sim: recovered r = %.4f alpha = %.4f a = %.4f b = %.4f (truth 0.25 4 0.8 2.5)\n",
		   res.params[0], res.params[1], res.params[2], res.params[3]);
	CHECK(err == BJ_LTV_OK && res.n == (double) n, "fit %d", err);
	CHECK(fabs(log(res.params[0] / truth.r)) < 0.05 && fabs(log(res.params[1] / truth.alpha)) < 0.05 &&
		  fabs(log(res.params[2] / truth.a)) < 0.1 && fabs(log(res.params[3] / truth.b)) < 0.1,
		  "recovered parameters too far from the truth");
	t0 = test_now();
	for (size_t i = 0; i < n; i++)
	{
		double		e,
					pa;

		if (bj_bgnbd_conditional(&truth, rows[i].x, rows[i].t_x, rows[i].T, 39.0, &e) ||
			bj_bgnbd_p_alive(&truth, rows[i].x, rows[i].t_x, rows[i].T, &pa))
			errors++;
		else
			sum += e + pa;
	}
	printf("timing: conditional expected purchases (t = 39) + P(alive) for %zu customers: "
		   "%.3f s (checksum %.6g)\n", n, test_now() - t0, sum);
	CHECK(errors == 0 && isfinite(sum), "%d prediction errors", errors);
done:
	free(rows);
	free(work);
}
