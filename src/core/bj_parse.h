/*
 * bj_parse.h - text input of journey_stage and lifecycle_phase.
 */
#ifndef BJ_PARSE_H
#define BJ_PARSE_H

#include <stddef.h>

#include "bj_values.h"

/*
 * Parse UTF-8 text: the English name in any letter case, or a Simplified or
 * Traditional Chinese label, including full-width and other compatibility
 * forms; surrounding white space is ignored.  Pure ASCII and labels written
 * exactly take fast paths without ICU.  Returns the code, or BJ_NO_VALUE.  Never reads outside
 * s[0..len).
 */
extern int	bj_parse_value(bj_kind kind, const char *s, size_t len);

#endif							/* BJ_PARSE_H */
