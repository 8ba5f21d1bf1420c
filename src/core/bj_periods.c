/*
 * bj_periods.c - purchase periods and sets of them.
 */
#include "bj_periods.h"

#include <stdlib.h>

/* floor(a / b) for b > 0 */
static int64_t
floor_div(int64_t a, int64_t b)
{
	int64_t		q = a / b;

	return (a % b != 0 && a < 0) ? q - 1 : q;
}

/* Civil date of a day number (days since 2000-01-01): Howard Hinnant's algorithm. */
static void
civil_from_days(int64_t days, int64_t *year, int *month)
{
	int64_t		z = days + 10957 + 719468;	/* days since 0000-03-01 */
	int64_t		era = floor_div(z, 146097);
	int64_t		doe = z - era * 146097;
	int64_t		yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t		doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t		mp = (5 * doy + 2) / 153;
	int			m = (int) (mp < 10 ? mp + 3 : mp - 9);

	*year = yoe + era * 400 + (m <= 2);
	*month = m;
}

static int64_t
days_from_civil(int64_t year, int month)
{
	int64_t		y = year - (month <= 2);
	int64_t		era = floor_div(y, 400);
	int64_t		yoe = y - era * 400;
	int64_t		mp = month > 2 ? month - 3 : month + 9;
	int64_t		doy = (153 * mp + 2) / 5;
	int64_t		doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468 - 10957;
}

int32_t
bj_period_of(bj_period_unit unit, int64_t at)
{
	int64_t		day = floor_div(at, BJ_USECS_PER_DAY);
	int64_t		year;
	int			month;

	switch (unit)
	{
		case BJ_PERIOD_WEEK:
			/* 2000-01-01 was a Saturday: weeks start on the Monday before it */
			return (int32_t) floor_div(day + 5, 7);
		case BJ_PERIOD_MONTH:
			civil_from_days(day, &year, &month);
			return (int32_t) ((year - 2000) * 12 + month - 1);
		default:
			return (int32_t) day;
	}
}

int64_t
bj_period_first_day(bj_period_unit unit, int32_t period)
{
	switch (unit)
	{
		case BJ_PERIOD_WEEK:
			return (int64_t) period * 7 - 5;
		case BJ_PERIOD_MONTH:
			return days_from_civil(2000 + floor_div(period, 12), (int) (period - floor_div(period, 12) * 12) + 1);
		default:
			return period;
	}
}

static int
cmp_int32(const void *a, const void *b)
{
	int32_t		x = *(const int32_t *) a;
	int32_t		y = *(const int32_t *) b;

	return (x > y) - (x < y);
}

void
bj_period_set_normalize(bj_period_set *s)
{
	size_t		out = 0;

	if (s->sorted)
		return;
	qsort(s->items, s->count, sizeof(int32_t), cmp_int32);
	for (size_t i = 0; i < s->count; i++)
		if (out == 0 || s->items[out - 1] != s->items[i])
			s->items[out++] = s->items[i];
	s->count = out;
	s->sorted = true;
}

bool
bj_periods_valid(const int32_t *items, size_t n)
{
	for (size_t i = 1; i < n; i++)
		if (items[i] <= items[i - 1])
			return false;
	return true;
}
