/*
 * bj_rules.c - compiling and evaluating a process's transition rules.
 */
#include "bj_rules.h"

#include <string.h>

#define BIT(v) ((bj_value_set) (1u << (v)))

void
bj_rules_init(bj_rules *rules, bj_kind kind)
{
	memset(rules, 0, sizeof(*rules));
	rules->kind = kind;
}

bj_rule_error
bj_rules_add_initial(bj_rules *rules, int value)
{
	if (!bj_value_valid(rules->kind, value))
		return BJ_RULE_BAD_VALUE;
	rules->initial |= BIT(value);
	return BJ_RULE_OK;
}

bj_rule_error
bj_rules_add_move(bj_rules *rules, int from, int to)
{
	if (!bj_value_valid(rules->kind, from) || !bj_value_valid(rules->kind, to))
		return BJ_RULE_BAD_VALUE;
	if (from == to)
		return BJ_RULE_SELF_MOVE;
	rules->allowed[from] |= BIT(to);
	return BJ_RULE_OK;
}

bj_rule_error
bj_rules_set_probability(bj_rules *rules, int value, double probability)
{
	if (!bj_value_valid(rules->kind, value))
		return BJ_RULE_BAD_VALUE;
	/* written so that NaN fails too */
	if (!(probability >= 0.0 && probability <= 1.0))
		return BJ_RULE_BAD_PROBABILITY;
	rules->probability[value] = probability;
	rules->has_probability |= BIT(value);
	return BJ_RULE_OK;
}

bj_rule_error
bj_rules_check(const bj_rules *rules)
{
	return rules->initial == 0 ? BJ_RULE_NO_INITIAL : BJ_RULE_OK;
}

bool
bj_rules_allows(const bj_rules *rules, int from, int to)
{
	if (!bj_value_valid(rules->kind, to))
		return false;
	if (from == to)
		return true;
	return (bj_rules_next_values(rules, from) & BIT(to)) != 0;
}

bj_value_set
bj_rules_next_values(const bj_rules *rules, int from)
{
	if (from == BJ_NO_VALUE)
		return rules->initial;
	if (!bj_value_valid(rules->kind, from))
		return 0;
	return rules->allowed[from];
}

void
bj_value_set_format(bj_kind kind, bj_value_set set, char *buf, size_t cap)
{
	size_t		used = 0;

	if (cap == 0)
		return;
	buf[0] = '\0';
	if (set == 0)
	{
		strncpy(buf, "(none)", cap - 1);
		buf[cap - 1] = '\0';
		return;
	}
	for (int v = 0; v < bj_value_count(kind); v++)
	{
		const char *name = bj_value_name(kind, v);
		size_t		len = strlen(name);
		size_t		sep = used > 0 ? 2 : 0;

		if (!(set & BIT(v)))
			continue;
		if (used + sep + len + 1 > cap)
			break;
		memcpy(buf + used, ", ", sep);
		memcpy(buf + used + sep, name, len);
		used += sep + len;
		buf[used] = '\0';
	}
}

/*
 * complex (docs/model.md): start at unaware or explore; forward one
 * stage at a time (approve -> realize wins); back to any earlier open stage;
 * from any open stage to lost or no_decision; a closed deal re-opens only to
 * explore.
 */
static void
journey_rules(bj_rules *rules, bool transactional)
{
	bj_rules_init(rules, BJ_KIND_STAGE);
	for (int s = BJ_STAGE_UNAWARE; s <= BJ_STAGE_APPROVE; s++)
	{
		if (transactional || s <= BJ_STAGE_EXPLORE)
			bj_rules_add_initial(rules, s);
		/* forward: one step, or any number of steps when transactional */
		for (int t = s + 1; t <= BJ_STAGE_REALIZE; t++)
			if (transactional || t == s + 1)
				bj_rules_add_move(rules, s, t);
		/* back to any earlier open stage */
		for (int t = BJ_STAGE_UNAWARE; t < s; t++)
			bj_rules_add_move(rules, s, t);
		bj_rules_add_move(rules, s, BJ_STAGE_LOST);
		bj_rules_add_move(rules, s, BJ_STAGE_NO_DECISION);
	}
	for (int s = BJ_STAGE_REALIZE; s <= BJ_STAGE_NO_DECISION; s++)
		bj_rules_add_move(rules, s, BJ_STAGE_EXPLORE);
}

void
bj_rules_builtin_complex(bj_rules *rules)
{
	journey_rules(rules, false);
}

/* transactional: like complex, but start at any open stage and skip forward. */
void
bj_rules_builtin_transactional(bj_rules *rules)
{
	journey_rules(rules, true);
}

/*
 * lifecycle (docs/model.md): start at introduction; forward one phase
 * through introduction -> growth -> maturity; any active phase may fall to
 * dormancy; dormancy re-activates to growth or maturity, or ends in churned;
 * any phase may go straight to churned; a churned customer won back starts
 * again at introduction.
 */
void
bj_rules_builtin_lifecycle(bj_rules *rules)
{
	bj_rules_init(rules, BJ_KIND_PHASE);
	bj_rules_add_initial(rules, BJ_PHASE_INTRODUCTION);
	bj_rules_add_move(rules, BJ_PHASE_INTRODUCTION, BJ_PHASE_GROWTH);
	bj_rules_add_move(rules, BJ_PHASE_GROWTH, BJ_PHASE_MATURITY);
	for (int p = BJ_PHASE_INTRODUCTION; p <= BJ_PHASE_MATURITY; p++)
		bj_rules_add_move(rules, p, BJ_PHASE_DORMANCY);
	bj_rules_add_move(rules, BJ_PHASE_DORMANCY, BJ_PHASE_GROWTH);
	bj_rules_add_move(rules, BJ_PHASE_DORMANCY, BJ_PHASE_MATURITY);
	for (int p = BJ_PHASE_INTRODUCTION; p <= BJ_PHASE_DORMANCY; p++)
		bj_rules_add_move(rules, p, BJ_PHASE_CHURNED);
	bj_rules_add_move(rules, BJ_PHASE_CHURNED, BJ_PHASE_INTRODUCTION);
}
