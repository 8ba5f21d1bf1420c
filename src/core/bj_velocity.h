/*
 * bj_velocity.h - pipeline velocity over a set of deals.
 *
 * Plain C.  velocity = open deals x average won deal size x win rate
 *                      / average sales cycle (days), per day;
 * sizes and cycles are those of the won deals (now at realize); a cycle runs
 * from a deal's first event to its latest.  Sums add up, so states merge.
 */
#ifndef BJ_VELOCITY_H
#define BJ_VELOCITY_H

#include <stdbool.h>
#include <stdint.h>

#include "bj_journey.h"

typedef struct bj_velocity
{
	int64_t		deals;
	int64_t		open;
	int64_t		won;
	int64_t		closed;			/* won + lost + no decision */
	int64_t		won_with_amount;
	double		won_amount;		/* sum over won deals with an amount */
	double		won_cycle_days; /* sum over won deals */
} bj_velocity;

extern void bj_velocity_init(bj_velocity *v);
/* One deal; has_amount false when its amount is unknown. */
extern void bj_velocity_add(bj_velocity *v, const bj_journey *j, bool has_amount, double amount);
extern void bj_velocity_merge(bj_velocity *into, const bj_velocity *from);
extern bool bj_velocity_valid(const bj_velocity *v);

/* The figures; false (and nothing set) when a denominator is zero. */
extern bool bj_velocity_average_won_size(const bj_velocity *v, double *out);
extern bool bj_velocity_win_rate(const bj_velocity *v, double *out);
extern bool bj_velocity_average_cycle_days(const bj_velocity *v, double *out);
extern bool bj_velocity_per_day(const bj_velocity *v, double *out);

#endif							/* BJ_VELOCITY_H */
