/*
 * unit.h - a minimal test harness for the plain-C core (no server needed).
 */
#ifndef BJ_UNIT_H
#define BJ_UNIT_H

#include <stdio.h>

extern int	unit_checks;
extern int	unit_failures;

#define CHECK(cond) \
	do { \
		unit_checks++; \
		if (!(cond)) { \
			unit_failures++; \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
		} \
	} while (0)

#define CHECK_INT(actual, expected) \
	do { \
		long long a_ = (long long) (actual), e_ = (long long) (expected); \
		unit_checks++; \
		if (a_ != e_) { \
			unit_failures++; \
			fprintf(stderr, "%s:%d: %s = %lld, expected %lld\n", __FILE__, __LINE__, #actual, a_, e_); \
		} \
	} while (0)

/* The C library's heap as a core allocator (unit_heap.c). */
struct bj_allocator;
extern const struct bj_allocator unit_heap;

/* Each test file exports one suite. */
void		test_values(void);
void		test_parse(void);
void		test_locale(void);
void		test_funnel(void);
void		test_timeline(void);
void		test_deal_log(void);
void		test_periods(void);

#endif
