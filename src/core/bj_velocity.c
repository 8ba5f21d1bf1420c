/*
 * bj_velocity.c - pipeline velocity: counts and exact sums, merged by addition.
 */
#include "bj_velocity.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bj_encode.h"
#include "bj_funnel.h"

#define MICROSECONDS_PER_DAY 86400000000.0

/* The cycle total's room in the image: 96 bits. */
#define CYCLE_BOUND (((bj_int128) 1 << 96) - 1)

/* ---------------------------------------------------------------- decimals */

/* m * 10^n, false past 128 bits */
static bool
scale_up(bj_int128 m, int n, bj_int128 *out)
{
	for (; n > 0; n--)
		if (__builtin_mul_overflow(m, 10, &m))
			return false;
	*out = m;
	return true;
}

/* Drop trailing zero decimals, so one value has one form. */
static void
normalise(bj_int128 *m, int32_t *scale)
{
	while (*scale > 0 && *m % 10 == 0)
	{
		*m /= 10;
		(*scale)--;
	}
}

bool
bj_decimal_parse(const char *text, bj_decimal *out)
{
	const char *p = text;
	bool		negative = false;
	bool		digits = false;
	bj_int128	m = 0;
	long		scale = 0;

	if (*p == '-' || *p == '+')
		negative = *p++ == '-';
	for (bool fraction = false;; p++)
	{
		if (*p == '.' && !fraction)
			fraction = true;
		else if (*p >= '0' && *p <= '9')
		{
			if (__builtin_mul_overflow(m, 10, &m) || __builtin_add_overflow(m, *p - '0', &m))
				return false;
			scale += fraction;
			digits = true;
			if (scale > 4 * BJ_DECIMAL_MAX_SCALE)
				return false;
		}
		else
			break;
	}
	if (!digits)
		return false;
	if (*p == 'e' || *p == 'E')
	{
		char	   *end;
		long		e = strtol(p + 1, &end, 10);

		if (end == p + 1 || e > 1000 || e < -1000)
			return false;
		scale -= e;
		p = end;
	}
	if (*p != '\0')
		return false;
	if (scale < 0)
	{
		if (!scale_up(m, (int) -scale, &m))
			return false;
		scale = 0;
	}
	{
		int32_t		s = (int32_t) scale;

		normalise(&m, &s);
		if (s > BJ_DECIMAL_MAX_SCALE)
			return false;
		bj_sum128_set(&out->mantissa, negative ? -m : m);
		out->scale = s;
	}
	return true;
}

bool
bj_decimal_add(bj_decimal *into, const bj_decimal *from)
{
	int32_t		scale = into->scale > from->scale ? into->scale : from->scale;
	bj_int128	a,
				b,
				sum;

	if (!scale_up(bj_sum128_get(&into->mantissa), scale - into->scale, &a) ||
		!scale_up(bj_sum128_get(&from->mantissa), scale - from->scale, &b) ||
		__builtin_add_overflow(a, b, &sum))
		return false;
	/* the scale stays the largest seen (not re-normalised): max is order-free */
	bj_sum128_set(&into->mantissa, sum);
	into->scale = scale;
	return true;
}

static bool
decimal_valid(const bj_decimal *d)
{
	return d->scale >= 0 && d->scale <= BJ_DECIMAL_MAX_SCALE;
}

/* ---------------------------------------------------------------- velocity */

void
bj_velocity_init(bj_velocity *v)
{
	memset(v, 0, sizeof(*v));
}

bool
bj_velocity_add(bj_velocity *v, const bj_journey *j, const bj_decimal *amount)
{
	bj_velocity one;

	bj_velocity_init(&one);
	one.deals = 1;
	one.open = bj_stage_is_open(j->last_stage);
	if (bj_stage_is_won(j->last_stage))
	{
		one.won = 1;
		/* a valid journey's times are finite and ordered: the span fits 65 bits */
		bj_sum128_set(&one.won_cycle_usecs, (bj_int128) j->last_at - j->first_at);
		if (amount != NULL)
		{
			one.won_with_amount = 1;
			one.won_amount = *amount;
		}
	}
	return bj_velocity_merge(v, &one);
}

bool
bj_velocity_merge(bj_velocity *into, const bj_velocity *from)
{
	bj_velocity sum = *into;

	/* valid counts are at most 2^48 and cycles 2^96: these cannot overflow */
	sum.deals += from->deals;
	sum.open += from->open;
	sum.won += from->won;
	sum.won_with_amount += from->won_with_amount;
	bj_sum128_merge(&sum.won_cycle_usecs, &from->won_cycle_usecs);
	if (!bj_decimal_add(&sum.won_amount, &from->won_amount) || !bj_velocity_valid(&sum))
		return false;
	*into = sum;
	return true;
}

/* Counts are packed into 6 bytes of the 56-byte image: below 2^48. */
#define COUNT_BOUND ((INT64_C(1) << 48) - 1)

static bool
count_ok(int64_t c)
{
	return c >= 0 && c <= COUNT_BOUND;
}

bool
bj_velocity_valid(const bj_velocity *v)
{
	bj_int128	cycle = bj_sum128_get(&v->won_cycle_usecs);

	return count_ok(v->deals) && count_ok(v->open) && v->open <= v->deals &&
		count_ok(v->won) && v->won <= v->deals - v->open &&
		count_ok(v->won_with_amount) && v->won_with_amount <= v->won &&
		/* each won deal's cycle is at most INT64_MAX microseconds */
		cycle >= 0 && cycle <= CYCLE_BOUND && cycle <= (bj_int128) v->won * INT64_MAX &&
		decimal_valid(&v->won_amount) &&
		(v->won_with_amount > 0 || bj_sum128_get(&v->won_amount.mantissa) == 0);
}

int64_t
bj_velocity_closed(const bj_velocity *v)
{
	return v->deals - v->open;
}

bool
bj_velocity_average_won_size(const bj_velocity *v, double *out)
{
	if (v->won_with_amount == 0)
		return false;
	/* in long double, one rounding to double at the end: 600.6 / 3 is 200.2 */
	*out = (double) ((long double) bj_sum128_get(&v->won_amount.mantissa) / (long double) v->won_with_amount /
					 powl(10, v->won_amount.scale));
	return true;
}

bool
bj_velocity_win_rate(const bj_velocity *v, double *out)
{
	if (bj_velocity_closed(v) == 0)
		return false;
	*out = (double) v->won / (double) bj_velocity_closed(v);
	return true;
}

bool
bj_velocity_average_cycle_days(const bj_velocity *v, double *out)
{
	if (v->won == 0)
		return false;
	*out = (double) bj_sum128_get(&v->won_cycle_usecs) / (double) v->won / MICROSECONDS_PER_DAY;
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

/* ------------------------------------------------------------- the image */

/*
 * 1.3.0 image, big-endian: the tag 0x82 at bytes 0 and 7 (a 1.2.0 image
 * starts with its deal count, a native int64 in [0, 2^48]: its first or its
 * last byte is 0, whatever the byte order), then deals in bytes 1-6, open,
 * won and won_with_amount in 6 bytes each from byte 8, the cycle total in 12
 * bytes from 26, the amount's mantissa in 16 bytes from 38, its scale at 54,
 * and 0 at 55.
 */
#define IMAGE_TAG 0x82

static void
put_be(uint8_t *p, bj_int128 v, int bytes)
{
	for (int i = bytes - 1; i >= 0; i--, v >>= 8)
		p[i] = (uint8_t) v;
}

static bj_int128
get_be(const uint8_t *p, int bytes, bool is_signed)
{
	bj_int128	v = (is_signed && (p[0] & 0x80)) ? -1 : 0;

	for (int i = 0; i < bytes; i++)
		v = (bj_int128) ((unsigned __int128) v << 8) | p[i];
	return v;
}

void
bj_velocity_pack(const bj_velocity *v, uint8_t image[BJ_VELOCITY_IMAGE_SIZE])
{
	memset(image, 0, BJ_VELOCITY_IMAGE_SIZE);
	image[0] = image[7] = IMAGE_TAG;
	put_be(image + 1, v->deals, 6);
	put_be(image + 8, v->open, 6);
	put_be(image + 14, v->won, 6);
	put_be(image + 20, v->won_with_amount, 6);
	put_be(image + 26, bj_sum128_get(&v->won_cycle_usecs), 12);
	put_be(image + 38, bj_sum128_get(&v->won_amount.mantissa), 16);
	image[54] = (uint8_t) v->won_amount.scale;
}

/* The 1.0.0 to 1.2.0 image: the C struct of those versions. */
typedef struct old_velocity
{
	int64_t		deals;
	int64_t		open;
	int64_t		won;
	int64_t		closed;
	int64_t		won_with_amount;
	double		won_amount;
	double		won_cycle_days;
} old_velocity;

bool
bj_velocity_from_doubles(bj_velocity *v, double won_amount, double won_cycle_days)
{
	char		text[64];
	double		usecs = won_cycle_days * MICROSECONDS_PER_DAY;

	if (!isfinite(won_amount) || !isfinite(usecs) || usecs < 0 || usecs >= 0x1p96)
		return false;
	/* the shortest decimal that reads back as the same double */
	for (int digits = 1; digits <= 17; digits++)
	{
		snprintf(text, sizeof(text), "%.*g", digits, won_amount);
		if (strtod(text, NULL) == won_amount)
			break;
	}
	if (!bj_decimal_parse(text, &v->won_amount))
		return false;
	bj_sum128_set(&v->won_cycle_usecs, (bj_int128) llroundl((long double) usecs));
	return true;
}

bool
bj_velocity_image_is_packed(const uint8_t image[BJ_VELOCITY_IMAGE_SIZE])
{
	return image[0] == IMAGE_TAG && image[7] == IMAGE_TAG;
}

bool
bj_velocity_unpack(const uint8_t image[BJ_VELOCITY_IMAGE_SIZE], bj_velocity *v)
{
	bj_velocity_init(v);
	if (bj_velocity_image_is_packed(image))
	{
		if (image[55] != 0)
			return false;
		v->deals = (int64_t) get_be(image + 1, 6, false);
		v->open = (int64_t) get_be(image + 8, 6, false);
		v->won = (int64_t) get_be(image + 14, 6, false);
		v->won_with_amount = (int64_t) get_be(image + 20, 6, false);
		bj_sum128_set(&v->won_cycle_usecs, get_be(image + 26, 12, false));
		bj_sum128_set(&v->won_amount.mantissa, get_be(image + 38, 16, true));
		v->won_amount.scale = image[54];
	}
	else
	{
		old_velocity old;

		memcpy(&old, image, sizeof(old));
		if ((uint64_t) old.closed != (uint64_t) old.deals - (uint64_t) old.open)
			return false;
		v->deals = old.deals;
		v->open = old.open;
		v->won = old.won;
		v->won_with_amount = old.won_with_amount;
		if (!bj_velocity_from_doubles(v, old.won_amount, old.won_cycle_days))
			return false;
	}
	return bj_velocity_valid(v);
}
