/*
 * main.c - runs every core unit-test suite; exit status 1 on any failure.
 */
#include "unit.h"

int			unit_checks = 0;
int			unit_failures = 0;

int
main(void)
{
	test_values();
	test_parse();
	test_locale();
	test_funnel();
	test_timeline();
	test_deal_log();
	test_periods();
	printf("unit: %d passed, %d failed\n", unit_checks - unit_failures, unit_failures);
	return unit_failures == 0 ? 0 : 1;
}
