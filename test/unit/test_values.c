/*
 * test_values.c - value tables and stage/phase semantics against docs/model.md.
 */
#include <string.h>

#include "bj_values.h"
#include "unit.h"

static void
test_tables(void)
{
	static const char *stages[] = {"unaware", "explore", "define", "select", "decide",
	"approve", "realize", "lost", "no_decision"};
	static const char *phases[] = {"introduction", "growth", "maturity", "dormancy", "churned"};
	char		list[256];

	CHECK_INT(bj_value_count(BJ_KIND_STAGE), 9);
	CHECK_INT(bj_value_count(BJ_KIND_PHASE), 5);
	for (int i = 0; i < 9; i++)
		CHECK(strcmp(bj_value_name(BJ_KIND_STAGE, i), stages[i]) == 0);
	for (int i = 0; i < 5; i++)
		CHECK(strcmp(bj_value_name(BJ_KIND_PHASE, i), phases[i]) == 0);
	CHECK(bj_value_name(BJ_KIND_STAGE, 9) == NULL);
	CHECK(bj_value_name(BJ_KIND_STAGE, -1) == NULL);
	CHECK(bj_value_name(BJ_KIND_PHASE, 5) == NULL);
	CHECK(bj_value_label(BJ_KIND_STAGE, 0, BJ_LANG_COUNT) == NULL);

	CHECK(strcmp(bj_value_label(BJ_KIND_STAGE, BJ_STAGE_DEFINE, BJ_LANG_ZH_HANS), "定义") == 0);
	CHECK(strcmp(bj_value_label(BJ_KIND_STAGE, BJ_STAGE_DEFINE, BJ_LANG_ZH_HANT), "定義") == 0);
	CHECK(strcmp(bj_value_label(BJ_KIND_STAGE, BJ_STAGE_LOST, BJ_LANG_ZH_HANT), "丟單") == 0);
	CHECK(strcmp(bj_value_label(BJ_KIND_PHASE, BJ_PHASE_GROWTH, BJ_LANG_ZH_HANT), "成長期") == 0);

	bj_value_list(BJ_KIND_PHASE, list, sizeof(list));
	CHECK(strcmp(list, "introduction, growth, maturity, dormancy, churned") == 0);
	/* A short buffer truncates at a whole name and stays terminated. */
	bj_value_list(BJ_KIND_PHASE, list, 20);
	CHECK(strcmp(list, "introduction") == 0);
	bj_value_list(BJ_KIND_PHASE, list, 1);
	CHECK(list[0] == '\0');

	/* Labels are unique within a type: a lookup never has two answers. */
	for (int k = 0; k < BJ_KIND_COUNT; k++)
		for (int c = 0; c < bj_value_count((bj_kind) k); c++)
			for (int l = 0; l < BJ_LANG_COUNT; l++)
			{
				const char *label = bj_value_label((bj_kind) k, c, (bj_label_lang) l);

				CHECK_INT(bj_value_lookup((bj_kind) k, label, strlen(label)), c);
			}
}

static void
test_semantics(void)
{
	for (int c = 0; c < BJ_STAGE_COUNT; c++)
	{
		CHECK(bj_stage_is_open(c) != bj_stage_is_closed(c));
		CHECK(bj_stage_is_won(c) == (c == BJ_STAGE_REALIZE));
	}
	CHECK(bj_stage_is_open(BJ_STAGE_APPROVE));
	CHECK(bj_stage_is_closed(BJ_STAGE_NO_DECISION));
	CHECK(!bj_stage_is_open(BJ_STAGE_COUNT) && !bj_stage_is_closed(BJ_STAGE_COUNT));

	CHECK_INT(bj_value_next(BJ_KIND_STAGE, BJ_STAGE_UNAWARE), BJ_STAGE_EXPLORE);
	CHECK_INT(bj_value_next(BJ_KIND_STAGE, BJ_STAGE_APPROVE), BJ_STAGE_REALIZE);
	CHECK_INT(bj_value_next(BJ_KIND_STAGE, BJ_STAGE_REALIZE), BJ_NO_VALUE);
	CHECK_INT(bj_value_next(BJ_KIND_STAGE, BJ_STAGE_LOST), BJ_NO_VALUE);
	CHECK_INT(bj_value_previous(BJ_KIND_STAGE, BJ_STAGE_UNAWARE), BJ_NO_VALUE);
	CHECK_INT(bj_value_previous(BJ_KIND_STAGE, BJ_STAGE_REALIZE), BJ_STAGE_APPROVE);
	CHECK_INT(bj_value_previous(BJ_KIND_STAGE, BJ_STAGE_NO_DECISION), BJ_NO_VALUE);

	CHECK(bj_phase_is_active(BJ_PHASE_MATURITY) && !bj_phase_is_active(BJ_PHASE_DORMANCY));
	CHECK_INT(bj_value_next(BJ_KIND_PHASE, BJ_PHASE_DORMANCY), BJ_PHASE_CHURNED);
	CHECK_INT(bj_value_next(BJ_KIND_PHASE, BJ_PHASE_CHURNED), BJ_NO_VALUE);
	CHECK_INT(bj_value_previous(BJ_KIND_PHASE, BJ_PHASE_INTRODUCTION), BJ_NO_VALUE);
	CHECK_INT(bj_value_previous(BJ_KIND_PHASE, BJ_PHASE_CHURNED), BJ_PHASE_DORMANCY);
}

void
test_values(void)
{
	test_tables();
	test_semantics();
}
