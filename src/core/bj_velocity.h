/*
 * bj_velocity.h - pipeline velocity over a set of deals.
 *
 * Plain C.  velocity = open deals x average won deal size x win rate
 *                      / average sales cycle (days), per day;
 * sizes and cycles are those of the won deals (now at realize); a cycle runs
 * from a deal's first event to its latest.
 *
 * Every sum is exact (integer microseconds; amounts as a 128-bit decimal
 * mantissa at the largest scale seen), so adding and merging in any order,
 * serially, in parallel or on Citus shards gives the same bits; a sum that
 * would pass its bound is refused (false), never wrapped or rounded.
 */
#ifndef BJ_VELOCITY_H
#define BJ_VELOCITY_H

#include <stdbool.h>
#include <stdint.h>

#include "bj_journey.h"
#include "bj_summaries.h"

/* An exact decimal: mantissa / 10^scale. */
typedef struct bj_decimal
{
	bj_sum128	mantissa;
	int32_t		scale;			/* 0 .. BJ_DECIMAL_MAX_SCALE, trailing zeros dropped */
} bj_decimal;

#define BJ_DECIMAL_MAX_SCALE 38

/*
 * A decimal from its text ("-12.50", "1.5e+20"): false when it has more
 * than BJ_DECIMAL_MAX_SCALE decimals or does not fit 128 bits.
 */
extern bool bj_decimal_parse(const char *text, bj_decimal *out);
/* into += from, exact; false (into unchanged) past 128 bits */
extern bool bj_decimal_add(bj_decimal *into, const bj_decimal *from);

typedef struct bj_velocity
{
	int64_t		deals;
	int64_t		open;
	int64_t		won;
	int64_t		won_with_amount;
	bj_sum128	won_cycle_usecs;	/* sum over won deals */
	bj_decimal	won_amount;		/* sum over won deals with an amount */
} bj_velocity;

extern void bj_velocity_init(bj_velocity *v);
/* One deal; amount NULL when unknown.  false (v unchanged) past a bound. */
extern bool bj_velocity_add(bj_velocity *v, const bj_journey *j, const bj_decimal *amount);
/* false (into unchanged) past a bound */
extern bool bj_velocity_merge(bj_velocity *into, const bj_velocity *from);
extern bool bj_velocity_valid(const bj_velocity *v);

/* Closed deals: won, lost or no decision. */
extern int64_t bj_velocity_closed(const bj_velocity *v);

/* The figures; false (and nothing set) when a denominator is zero. */
extern bool bj_velocity_average_won_size(const bj_velocity *v, double *out);
extern bool bj_velocity_win_rate(const bj_velocity *v, double *out);
extern bool bj_velocity_average_cycle_days(const bj_velocity *v, double *out);
extern bool bj_velocity_per_day(const bj_velocity *v, double *out);

/*
 * The SQL type velocity is fixed-size (56 bytes, since 1.0.0): its memory
 * image is packed into that.  A 1.2.0 image (native int64 counts and double
 * sums) is still read: its sums are taken at their shortest decimal that
 * reads back as the same double (amount) and to the nearest microsecond
 * (cycle).  false for an image neither form allows.
 */
#define BJ_VELOCITY_IMAGE_SIZE 56
extern void bj_velocity_pack(const bj_velocity *v, uint8_t image[BJ_VELOCITY_IMAGE_SIZE]);
extern bool bj_velocity_unpack(const uint8_t image[BJ_VELOCITY_IMAGE_SIZE], bj_velocity *v);
/* A 1.3.0 image (not a 1.2.0 one). */
extern bool bj_velocity_image_is_packed(const uint8_t image[BJ_VELOCITY_IMAGE_SIZE]);

/* The 1.0.0 to 1.2.0 sums, as doubles, into exact ones (false if impossible). */
extern bool bj_velocity_from_doubles(bj_velocity *v, double won_amount, double won_cycle_days);

#endif							/* BJ_VELOCITY_H */
