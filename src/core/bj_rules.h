/*
 * bj_rules.h - a compiled process: which values a new row may start at,
 * which moves between values are allowed, and per-value win probabilities.
 *
 * Plain C.  Values are ordinals of one kind (bj_values.h); sets of values are
 * bitmasks, so a check is one AND.
 */
#ifndef BJ_RULES_H
#define BJ_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bj_values.h"

#define BJ_MAX_VALUES 16

typedef uint16_t bj_value_set;

typedef struct bj_rules
{
	bj_kind		kind;
	bj_value_set initial;		/* values a new row may start at */
	bj_value_set allowed[BJ_MAX_VALUES];	/* allowed[from]: values reachable in one move */
	double		probability[BJ_MAX_VALUES]; /* win probability, when has_probability */
	bj_value_set has_probability;
} bj_rules;

/* Outcome of adding a rule while compiling a process. */
typedef enum bj_rule_error
{
	BJ_RULE_OK = 0,
	BJ_RULE_BAD_VALUE,			/* not a value of the process's kind */
	BJ_RULE_SELF_MOVE,			/* a move from a value to itself */
	BJ_RULE_BAD_PROBABILITY,	/* outside [0, 1] or not a number */
	BJ_RULE_NO_INITIAL			/* a process needs at least one initial value */
} bj_rule_error;

extern void bj_rules_init(bj_rules *rules, bj_kind kind);
extern bj_rule_error bj_rules_add_initial(bj_rules *rules, int value);
extern bj_rule_error bj_rules_add_move(bj_rules *rules, int from, int to);
extern bj_rule_error bj_rules_set_probability(bj_rules *rules, int value, double probability);
extern bj_rule_error bj_rules_check(const bj_rules *rules);

/*
 * May a row hold `to` after holding `from`?  from = BJ_NO_VALUE means a new
 * row (or a value set for the first time).  Staying put is always allowed.
 */
extern bool bj_rules_allows(const bj_rules *rules, int from, int to);

/* The values allowed after `from` (or initially), as a set. */
extern bj_value_set bj_rules_next_values(const bj_rules *rules, int from);

/* "unaware, explore" for a set of values; "(none)" when empty. */
extern void bj_value_set_format(bj_kind kind, bj_value_set set, char *buf, size_t cap);

/* The built-in processes of docs/model.md: complex, transactional, lifecycle. */
extern void bj_rules_builtin_complex(bj_rules *rules);
extern void bj_rules_builtin_transactional(bj_rules *rules);
extern void bj_rules_builtin_lifecycle(bj_rules *rules);

#endif							/* BJ_RULES_H */
