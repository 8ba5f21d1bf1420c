/*
 * bj_optim.c - BFGS on a few variables, shared by the LTV fits.
 *
 * The fits have 3 or 4 variables (log-parameters), so the inverse Hessian is
 * a small dense matrix on the stack.
 */
#include "bj_ltv_internal.h"

#include <float.h>
#include <string.h>

#define MAX_STEP 5.0			/* largest move of one log-parameter per step */
#define ARMIJO 1e-4
#define MAX_BACKTRACK 60
#define MAX_LOG_PARAM 35.0		/* |log-parameter| beyond: no maximum in sight */
/*
 * Rounding floor: with many customers the mean gradient cannot always be
 * summed below gtol.  A point whose gradient is within STALL_GTOL_FACTOR of
 * gtol and where STALL_ITERATIONS steps in a row have changed f by no more
 * than rounding is a maximum to machine precision.
 */
#define STALL_GTOL_FACTOR 1000.0
#define STALL_ITERATIONS 5

static double
max_abs(int dim, const double *v)
{
	double		m = 0.0;

	for (int i = 0; i < dim; i++)
		if (fabs(v[i]) > m)
			m = fabs(v[i]);
	return m;
}

static double
dot(int dim, const double *u, const double *v)
{
	double		s = 0.0;

	for (int i = 0; i < dim; i++)
		s += u[i] * v[i];
	return s;
}

static void
set_identity(int dim, double h[BJ_OPTIM_MAX_DIM][BJ_OPTIM_MAX_DIM], double scale)
{
	for (int i = 0; i < dim; i++)
		for (int j = 0; j < dim; j++)
			h[i][j] = i == j ? scale : 0.0;
}

/*
 * Backtrack along d from theta.  Accept on the Armijo test, or, where f is
 * too flat for its rounding to show a decrease, on the approximate Wolfe
 * test of Hager and Zhang (f not worse beyond rounding, slope reduced to
 * within [0.9, -0.8] of the start's), which reads the more accurate gradient.
 */
static bool
line_search(int dim, bj_objective fn, void *ctx, const double *theta, double f,
			const double *g, const double *d, double *theta_new, double *f_new,
			double *g_new, int *evaluations)
{
	double		slope = dot(dim, g, d);
	double		step = 1.0;
	double		longest = max_abs(dim, d);

	if (!(slope < 0.0))
		return false;
	if (longest > MAX_STEP)
		step = MAX_STEP / longest;
	for (int k = 0; k < MAX_BACKTRACK; k++)
	{
		double		fs;

		for (int i = 0; i < dim; i++)
			theta_new[i] = theta[i] + step * d[i];
		(*evaluations)++;
		if (fn(ctx, theta_new, &fs, g_new))
		{
			double		slope_new = dot(dim, g_new, d);

			*f_new = fs;
			if (fs <= f + ARMIJO * step * slope)
				return true;
			if (fs <= f + 4.0 * DBL_EPSILON * fabs(f) &&
				slope_new >= 0.9 * slope && slope_new <= -0.8 * slope)
				return true;
			/* minimiser of the quadratic through f, slope and fs, kept in [0.1, 0.5] */
			{
				double		q = -slope * step * step / (2.0 * (fs - f - slope * step));

				if (!(q >= 0.1 * step))
					q = 0.1 * step;
				if (q > 0.5 * step)
					q = 0.5 * step;
				step = q;
			}
		}
		else
			step *= 0.25;		/* not finite there: well away from it */
	}
	return false;
}

bj_ltv_error
bj_optim_bfgs(int dim, bj_objective fn, void *ctx, double *theta, double gtol,
			  int max_iter, bj_optim_result *out)
{
	double		h[BJ_OPTIM_MAX_DIM][BJ_OPTIM_MAX_DIM];
	double		g[BJ_OPTIM_MAX_DIM],
				g_new[BJ_OPTIM_MAX_DIM],
				d[BJ_OPTIM_MAX_DIM],
				theta_new[BJ_OPTIM_MAX_DIM],
				s[BJ_OPTIM_MAX_DIM],
				y[BJ_OPTIM_MAX_DIM],
				hy[BJ_OPTIM_MAX_DIM];
	double		f,
				f_new = 0.0;
	bool		fresh = true;	/* h is the identity: a failed search is final */
	bj_ltv_error err = BJ_LTV_MAX_ITER;
	int			iter = 0;
	int			stalled = 0;	/* steps in a row that changed f only by rounding */

	memset(out, 0, sizeof(*out));
	out->evaluations = 1;
	if (!fn(ctx, theta, &f, g))
		return BJ_LTV_NOT_FINITE;
	set_identity(dim, h, 1.0);
	for (;;)
	{
		double		sy;

		if (max_abs(dim, g) <= gtol ||
			(stalled >= STALL_ITERATIONS && max_abs(dim, g) <= STALL_GTOL_FACTOR * gtol))
		{
			err = BJ_LTV_OK;
			break;
		}
		if (iter >= max_iter)
			break;
		if (bj_interrupted())
		{
			err = BJ_LTV_INTERRUPTED;
			break;
		}
		iter++;
		for (int i = 0; i < dim; i++)
			d[i] = -dot(dim, h[i], g);
		if (!line_search(dim, fn, ctx, theta, f, g, d, theta_new, &f_new, g_new,
						 &out->evaluations))
		{
			if (fresh)
			{
				err = BJ_LTV_NO_PROGRESS;
				break;
			}
			/* the curvature estimate may be stale: restart from steepest descent */
			set_identity(dim, h, 1.0);
			fresh = true;
			continue;
		}
		for (int i = 0; i < dim; i++)
		{
			s[i] = theta_new[i] - theta[i];
			y[i] = g_new[i] - g[i];
		}
		sy = dot(dim, s, y);
		/* skip the update when curvature is not positive: h stays positive definite */
		if (sy > 1e-12 * sqrt(dot(dim, s, s) * dot(dim, y, y)))
		{
			double		yhy;

			if (fresh)
				set_identity(dim, h, sy / dot(dim, y, y));	/* Nocedal-Wright 6.20 */
			for (int i = 0; i < dim; i++)
				hy[i] = dot(dim, h[i], y);
			yhy = dot(dim, y, hy);
			for (int i = 0; i < dim; i++)
				for (int j = 0; j < dim; j++)
					h[i][j] += ((sy + yhy) * s[i] * s[j] / sy - hy[i] * s[j] - s[i] * hy[j]) / sy;
			fresh = false;
		}
		memcpy(theta, theta_new, sizeof(double) * dim);
		memcpy(g, g_new, sizeof(double) * dim);
		stalled = f - f_new <= 8.0 * DBL_EPSILON * fabs(f) ? stalled + 1 : 0;
		f = f_new;
		if (max_abs(dim, theta) > MAX_LOG_PARAM)
		{
			err = BJ_LTV_NO_MAXIMUM;
			break;
		}
	}
	out->f = f;
	out->gnorm = max_abs(dim, g);
	out->iterations = iter;
	return err;
}
