/*
 * fuzz_merges.c - libFuzzer target, differential: pipeline velocity and the
 * purchase periods of a customer summary, built from random values split
 * into random partial states, each through its wire form (velocity also
 * through its 56-byte image), merged in a random order, against a naive
 * reference computed here separately (plain sums, a sorted list).  Every
 * split and order must give the same state, to the bit, as one serial
 * pass; where the reference overflows its bound the merge must refuse too.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>

#include "bj_encode.h"
#include "bj_periods.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_VALUES 64
#define MAX_PARTS 8

typedef struct reader
{
	const uint8_t *p;
	size_t		left;
} reader;

static uint64_t
take(reader *r, int bytes)
{
	uint64_t	v = 0;

	for (int i = 0; i < bytes; i++)
		if (r->left > 0)
		{
			v = v << 8 | *r->p++;
			r->left--;
		}
	return v;
}

typedef struct deal
{
	bj_journey	j;
	bool		has_amount;
	char		amount[48];
	__int128	amount_e4;		/* the amount times 10^4 (reference) */
} deal;

static void
same_or_abort(const bj_velocity *a, const bj_velocity *b)
{
	if (memcmp(a, b, sizeof(*a)) != 0)
		abort();
}

static void
velocities(reader *r)
{
	static const int stages[] = {BJ_STAGE_EXPLORE, BJ_STAGE_DEFINE, BJ_STAGE_REALIZE, BJ_STAGE_LOST,
	BJ_STAGE_NO_DECISION};
	deal		deals[MAX_VALUES];
	int			n = (int) (take(r, 1) % MAX_VALUES);
	int			parts = 1 + (int) (take(r, 1) % MAX_PARTS);
	int			part_of[MAX_VALUES];
	int			order[MAX_PARTS];
	bj_velocity serial,
				merged,
				part[MAX_PARTS];
	bool		serial_ok = true,
				merged_ok = true;
	int64_t		ref_deals = 0,
				ref_open = 0,
				ref_won = 0,
				ref_with_amount = 0;
	__int128	ref_cycle = 0,
				ref_amount = 0;
	static const __int128 amount_bound = (__int128) 1e37;	/* below int128 at any scale <= 4 */

	for (int i = 0; i < n; i++)
	{
		deal	   *d = &deals[i];
		int64_t		first = (int64_t) take(r, 8);
		uint64_t	span = take(r, (int) (take(r, 1) % 9));
		int64_t		mantissa = (int64_t) take(r, (int) (take(r, 1) % 9));
		int			scale = (int) (take(r, 1) % 5);
		char		digits[32];

		if (first == INT64_MIN || first == INT64_MAX)
			first = 0;
		if ((uint64_t) first + span < (uint64_t) first || span > (uint64_t) (INT64_MAX - 1 - (first > 0 ? first : 0)))
			span = 0;
		bj_journey_init(&d->j, BJ_STAGE_EXPLORE, first);
		bj_journey_add(&d->j, stages[take(r, 1) % 5], first + (int64_t) span);
		d->has_amount = take(r, 1) % 4 != 0;
		/* mantissa / 10^scale written as text, as numeric_out would */
		snprintf(digits, sizeof(digits), "%020llu", (unsigned long long) (mantissa < 0 ? -(uint64_t) mantissa : (uint64_t) mantissa));
		snprintf(d->amount, sizeof(d->amount), "%s%.*s%s%s", mantissa < 0 ? "-" : "", 20 - scale, digits,
				 scale > 0 ? "." : "", digits + 20 - scale);
		d->amount_e4 = (__int128) mantissa;
		for (int k = scale; k < 4; k++)
			d->amount_e4 *= 10;
		part_of[i] = (int) (take(r, 1) % parts);
		ref_deals++;
		if (bj_stage_is_open(d->j.last_stage))
			ref_open++;
		if (bj_stage_is_won(d->j.last_stage))
		{
			ref_won++;
			ref_cycle += (__int128) d->j.last_at - d->j.first_at;
			if (d->has_amount)
			{
				ref_with_amount++;
				ref_amount += d->amount_e4;
			}
		}
	}
	for (int k = 0; k < parts; k++)
	{
		bj_velocity_init(&part[k]);
		order[k] = k;
	}
	for (int k = parts - 1; k > 0; k--)
	{
		int			o = (int) (take(r, 1) % (k + 1));
		int			t = order[k];

		order[k] = order[o];
		order[o] = t;
	}

	/* one serial pass, and the parts */
	bj_velocity_init(&serial);
	for (int i = 0; i < n; i++)
	{
		bj_decimal	amount;

		if (!bj_decimal_parse(deals[i].amount, &amount))
			abort();
		serial_ok = serial_ok && bj_velocity_add(&serial, &deals[i].j, deals[i].has_amount ? &amount : NULL);
		merged_ok = merged_ok && bj_velocity_add(&part[part_of[i]], &deals[i].j, deals[i].has_amount ? &amount : NULL);
	}
	/* each part through its wire form and its image, then merged in a random order */
	bj_velocity_init(&merged);
	for (int k = 0; k < parts && merged_ok; k++)
	{
		uint8_t		form[BJ_VELOCITY_FORM_SIZE];
		uint8_t		image[BJ_VELOCITY_IMAGE_SIZE];
		bj_velocity back;

		bj_velocity_encode(&part[order[k]], form);
		if (bj_velocity_decode(form, sizeof(form), &back) != BJ_DECODE_OK)
			abort();
		bj_velocity_pack(&back, image);
		if (!bj_velocity_unpack(image, &back))
			abort();
		merged_ok = bj_velocity_merge(&merged, &back);
	}
	/* the reference: refused only past a bound, else the same numbers */
	if (ref_amount > amount_bound || ref_amount < -amount_bound || ref_cycle >= ((__int128) 1 << 96))
		return;					/* near the bounds a partial sum may refuse first: both are allowed */
	if (!serial_ok || !merged_ok)
		abort();
	same_or_abort(&serial, &merged);
	if (serial.deals != ref_deals || serial.open != ref_open || serial.won != ref_won ||
		serial.won_with_amount != ref_with_amount || bj_sum128_get(&serial.won_cycle_usecs) != ref_cycle)
		abort();
	{
		__int128	m = bj_sum128_get(&serial.won_amount.mantissa);

		/* the same value at scale 4 */
		for (int k = serial.won_amount.scale; k < 4; k++)
			m *= 10;
		for (int k = 4; k < serial.won_amount.scale; k++)
			abort();			/* amounts here have at most 4 decimals */
		if (m != ref_amount)
			abort();
	}
}

static int
cmp_int32(const void *a, const void *b)
{
	int32_t		x = *(const int32_t *) a;
	int32_t		y = *(const int32_t *) b;

	return (x > y) - (x < y);
}

/* The periods of a customer summary: parts normalised, appended, normalised. */
static void
periods(reader *r)
{
	int32_t		values[MAX_VALUES],
				ref[MAX_VALUES],
				items[MAX_VALUES * 2];
	int			n = (int) (take(r, 1) % MAX_VALUES);
	int			parts = 1 + (int) (take(r, 1) % MAX_PARTS);
	size_t		nref = 0;
	bj_period_set all = {items, 0, MAX_VALUES * 2, true};

	for (int i = 0; i < n; i++)
		values[i] = (int32_t) (take(r, 1) % 2 ? take(r, 1) : take(r, 4));
	/* reference: sorted, distinct */
	memcpy(ref, values, sizeof(int32_t) * n);
	qsort(ref, n, sizeof(int32_t), cmp_int32);
	for (int i = 0; i < n; i++)
		if (nref == 0 || ref[nref - 1] != ref[i])
			ref[nref++] = ref[i];
	for (int k = parts - 1; k >= 0; k--)
	{
		int32_t		mine[MAX_VALUES];
		bj_period_set part = {mine, 0, MAX_VALUES, false};

		for (int i = 0; i < n; i++)
			if (i % parts == k)
				part.items[part.count++] = values[i];
		bj_period_set_normalize(&part);
		if (!bj_periods_valid(part.items, part.count))
			abort();
		/* as the summary appends a period: a repeat of the last is skipped */
		for (size_t i = 0; i < part.count; i++)
		{
			if (all.count > 0 && part.items[i] == all.items[all.count - 1])
				continue;
			if (all.count > 0 && part.items[i] < all.items[all.count - 1])
				all.sorted = false;
			all.items[all.count++] = part.items[i];
		}
		bj_period_set_normalize(&all);
	}
	if (all.count != nref || (nref > 0 && memcmp(all.items, ref, nref * sizeof(int32_t)) != 0))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	reader		r = {data, size};

	if (size > 0 && data[0] % 4 == 0)
	{
		r.p++;
		r.left--;
		periods(&r);
	}
	else
		velocities(&r);
	return 0;
}
