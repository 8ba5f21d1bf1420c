/*
 * test_periods.c - purchase periods: known dates, every day of 600 years
 * against its period's first day, and period sets.
 */
#include <stdlib.h>

#include "bj_periods.h"
#include "unit.h"

#define DAY BJ_USECS_PER_DAY

void
test_periods(void)
{
	/* 1997-01-01 is day -1095 (a Wednesday), in the week of Monday 1996-12-30 */
	CHECK_INT(bj_period_of(BJ_PERIOD_DAY, -1095 * DAY), -1095);
	CHECK_INT(bj_period_first_day(BJ_PERIOD_WEEK, bj_period_of(BJ_PERIOD_WEEK, -1095 * DAY)), -1097);
	CHECK_INT(bj_period_of(BJ_PERIOD_MONTH, -1095 * DAY), -36);
	/* a moment before midnight is the day before; 2000-01-01 (Saturday) is in the week of 1999-12-27 */
	CHECK_INT(bj_period_of(BJ_PERIOD_DAY, -1), -1);
	CHECK_INT(bj_period_first_day(BJ_PERIOD_WEEK, bj_period_of(BJ_PERIOD_WEEK, 0)), -5);
	/* 2024-02-29 (day 8825) is in February 2024 */
	CHECK_INT(bj_period_of(BJ_PERIOD_MONTH, 8825 * DAY + DAY - 1), 24 * 12 + 1);
	CHECK_INT(bj_period_first_day(BJ_PERIOD_MONTH, 24 * 12 + 2), 8826);

	/* every day from 1700 to 2300: inside its period, which starts on a Monday or the 1st */
	{
		bool		ok = true;

		for (int64_t d = -109573; d < 109573; d++)
			for (int u = BJ_PERIOD_DAY; u <= BJ_PERIOD_MONTH && ok; u++)
			{
				int32_t		p = bj_period_of((bj_period_unit) u, d * DAY + (((d % 7) + 7) % 7) * 3600000000LL);
				int64_t		first = bj_period_first_day((bj_period_unit) u, p);
				int64_t		next = bj_period_first_day((bj_period_unit) u, p + 1);

				ok = first <= d && d < next && (u != BJ_PERIOD_WEEK || ((first % 7) + 7) % 7 == 2) &&
					(u != BJ_PERIOD_MONTH || bj_period_of(BJ_PERIOD_MONTH, (first - 1) * DAY) == p - 1);
			}
		CHECK(ok);
	}

	/* sets: duplicates and order do not matter */
	{
		int32_t		items[8] = {5, 3, 5, -2, 3, 9, 9, -2};
		bj_period_set s = {items, 8, 8, false};

		bj_period_set_normalize(&s);
		CHECK_INT(s.count, 4);
		CHECK(items[0] == -2 && items[1] == 3 && items[2] == 5 && items[3] == 9);
		CHECK(bj_periods_valid(items, 4));
		CHECK(!bj_periods_valid((int32_t[]) {1, 1}, 2));
	}
}
