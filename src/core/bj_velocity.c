/*
 * bj_velocity.c - pipeline velocity: counts and sums, merged by addition.
 */
#include "bj_velocity.h"

#include "bj_funnel.h"

#include <math.h>
#include <string.h>

#define MICROSECONDS_PER_DAY 86400000000.0

void
bj_velocity_init(bj_velocity *v)
{
	memset(v, 0, sizeof(*v));
}

void
bj_velocity_add(bj_velocity *v, const bj_journey *j, bool has_amount, double amount)
{
	v->deals++;
	if (bj_stage_is_open(j->last_stage))
		v->open++;
	else
		v->closed++;
	if (!bj_stage_is_won(j->last_stage))
		return;
	v->won++;
	/* in double: the times of a journey read from outside may be far apart */
	v->won_cycle_days += ((double) j->last_at - (double) j->first_at) / MICROSECONDS_PER_DAY;
	if (has_amount)
	{
		v->won_with_amount++;
		v->won_amount += amount;
	}
}

void
bj_velocity_merge(bj_velocity *into, const bj_velocity *from)
{
	into->deals += from->deals;
	into->open += from->open;
	into->won += from->won;
	into->closed += from->closed;
	into->won_with_amount += from->won_with_amount;
	into->won_amount += from->won_amount;
	into->won_cycle_days += from->won_cycle_days;
}

bool
bj_velocity_valid(const bj_velocity *v)
{
	return v->deals >= 0 && v->deals <= BJ_MAX_COUNT && v->open >= 0 && v->open <= v->deals &&
		v->won >= 0 && v->closed >= v->won && v->closed == v->deals - v->open &&
		v->won_with_amount >= 0 && v->won_with_amount <= v->won &&
		isfinite(v->won_amount) && isfinite(v->won_cycle_days) && v->won_cycle_days >= 0;
}

bool
bj_velocity_average_won_size(const bj_velocity *v, double *out)
{
	if (v->won_with_amount == 0)
		return false;
	*out = v->won_amount / (double) v->won_with_amount;
	return true;
}

bool
bj_velocity_win_rate(const bj_velocity *v, double *out)
{
	if (v->closed == 0)
		return false;
	*out = (double) v->won / (double) v->closed;
	return true;
}

bool
bj_velocity_average_cycle_days(const bj_velocity *v, double *out)
{
	if (v->won == 0)
		return false;
	*out = v->won_cycle_days / (double) v->won;
	return true;
}

bool
bj_velocity_per_day(const bj_velocity *v, double *out)
{
	double		size,
				rate,
				cycle;

	/* a cycle of zero days (won at the first event) has no rate per day */
	if (!bj_velocity_average_won_size(v, &size) || !bj_velocity_win_rate(v, &rate) ||
		!bj_velocity_average_cycle_days(v, &cycle) || cycle <= 0)
		return false;
	*out = (double) v->open * size * rate / cycle;
	return true;
}
