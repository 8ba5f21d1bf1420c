/*
 * test_ltv.h - the small harness shared by the LTV test files.
 */
#ifndef BJ_TEST_LTV_H
#define BJ_TEST_LTV_H

#include <stdint.h>
#include <stdio.h>

#include "bj_ltv.h"

extern int	test_checks;
extern int	test_failures;

#define CHECK(cond, ...) \
	do { \
		test_checks++; \
		if (!(cond)) { \
			test_failures++; \
			fprintf(stderr, "%s:%d: check failed: %s: ", __FILE__, __LINE__, #cond); \
			fprintf(stderr, __VA_ARGS__); \
			fputc('\n', stderr); \
		} \
	} while (0)

/* seconds on the monotonic clock */
extern double test_now(void);

/* splitmix64: small, fast, and its state is the caller's */
typedef struct bj_rng
{
	uint64_t	state;
} bj_rng;

/* uniform in (0, 1) */
extern double bj_rng_uniform(bj_rng *rng);
extern double bj_rng_gamma(bj_rng *rng, double shape);

/*
 * One customer of a BG/NBD population, observed in whole days: T uniform in
 * 7..546 days, times in weeks (days / 7) like the CDNOW summaries.
 */
extern void bj_simulate_bgnbd(bj_rng *rng, const bj_bgnbd_params *par, bj_rfm *out);

/* test_cdnow.c */
extern void test_cdnow(const char *dir);

/* test_sim.c */
extern void test_gg_sim(void);
extern void test_timing(void);

#endif							/* BJ_TEST_LTV_H */
