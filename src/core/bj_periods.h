/*
 * bj_periods.h - a customer's purchase periods: which day, ISO week or
 * month a purchase falls in, and the set of distinct periods a customer
 * bought in (the customer-base literature merges purchases of one period).
 *
 * Plain C.  Times are int64 microseconds since 2000-01-01 00:00 UTC
 * (PostgreSQL's timestamptz, and a date at midnight UTC); periods are
 * numbered from that day: days, Monday-based weeks, months.
 */
#ifndef BJ_PERIODS_H
#define BJ_PERIODS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum bj_period_unit
{
	BJ_PERIOD_DAY = 1,
	BJ_PERIOD_WEEK = 2,
	BJ_PERIOD_MONTH = 3
} bj_period_unit;

#define BJ_USECS_PER_DAY INT64_C(86400000000)

/* The period of a time (floor, also before 2000). */
extern int32_t bj_period_of(bj_period_unit unit, int64_t at);

/* The first day (days since 2000-01-01) of a period. */
extern int64_t bj_period_first_day(bj_period_unit unit, int32_t period);

/*
 * A set of periods, appended to in any order and made sorted and distinct
 * when read (or when it fills): memory follows the distinct periods.
 */
typedef struct bj_period_set
{
	int32_t    *items;
	size_t		count;
	size_t		capacity;
	bool		sorted;			/* items[0..count) sorted and distinct */
} bj_period_set;

/* Sort and drop duplicates. */
extern void bj_period_set_normalize(bj_period_set *s);

/* A checked list read from outside: strictly increasing. */
extern bool bj_periods_valid(const int32_t *items, size_t n);

#endif							/* BJ_PERIODS_H */
