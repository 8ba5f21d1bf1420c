/*
 * bj_ltv_models.c - checks of stored models.
 */
#include "bj_ltv_models.h"

#include <math.h>

static bool
positive(double v)
{
	return isfinite(v) && v > 0;
}

bool
bj_time_unit_valid(const bj_time_unit *u)
{
	return u->pad == 0 && ((u->usecs > 0 && u->months == 0) || (u->usecs == 0 && u->months > 0));
}

bool
bj_bgnbd_model_valid(const bj_bgnbd_model *m)
{
	return positive(m->par.r) && positive(m->par.alpha) && positive(m->par.a) && positive(m->par.b) &&
		isfinite(m->loglik) && isfinite(m->customers) && m->customers >= 0 && isfinite(m->gnorm) &&
		m->gnorm >= 0 && bj_time_unit_valid(&m->unit) && m->iterations >= 0 &&
		(m->converged == 0 || m->converged == 1);
}

bool
bj_gg_model_valid(const bj_gg_model *m)
{
	return positive(m->par.p) && positive(m->par.q) && positive(m->par.v) &&
		isfinite(m->loglik) && isfinite(m->customers) && m->customers >= 0 && isfinite(m->gnorm) &&
		m->gnorm >= 0 && m->iterations >= 0 && (m->converged == 0 || m->converged == 1);
}
