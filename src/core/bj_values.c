/*
 * bj_values.c - value and label tables of journey_stage and lifecycle_phase.
 */
#include "bj_values.h"

#include <string.h>

typedef struct bj_value_info
{
	const char *label[BJ_LANG_COUNT];	/* en (= canonical name), zh-Hans, zh-Hant */
} bj_value_info;

/* MODEL.md section 1, in ordinal order. */
static const bj_value_info stage_values[BJ_STAGE_COUNT] = {
	{{"unaware", "不关心", "不關心"}},
	{{"explore", "探索", "探索"}},
	{{"define", "定义", "定義"}},
	{{"select", "选择", "選擇"}},
	{{"decide", "决策", "決策"}},
	{{"approve", "批准", "批准"}},
	{{"realize", "实现", "實現"}},
	{{"lost", "丢单", "丟單"}},
	{{"no_decision", "放弃", "放棄"}},
};

/* MODEL.md section 3, in ordinal order. */
static const bj_value_info phase_values[BJ_PHASE_COUNT] = {
	{{"introduction", "引入期", "引入期"}},
	{{"growth", "成长期", "成長期"}},
	{{"maturity", "成熟期", "成熟期"}},
	{{"dormancy", "休眠期", "休眠期"}},
	{{"churned", "流失期", "流失期"}},
};

typedef struct bj_kind_info
{
	const char *type_name;
	const bj_value_info *values;
	int			count;
} bj_kind_info;

static const bj_kind_info kinds[BJ_KIND_COUNT] = {
	{"journey_stage", stage_values, BJ_STAGE_COUNT},
	{"lifecycle_phase", phase_values, BJ_PHASE_COUNT},
};

const char *
bj_kind_type_name(bj_kind kind)
{
	return kinds[kind].type_name;
}

int
bj_value_count(bj_kind kind)
{
	return kinds[kind].count;
}

bool
bj_value_valid(bj_kind kind, int code)
{
	return code >= 0 && code < kinds[kind].count;
}

const char *
bj_value_name(bj_kind kind, int code)
{
	return bj_value_label(kind, code, BJ_LANG_EN);
}

const char *
bj_value_label(bj_kind kind, int code, bj_label_lang lang)
{
	if (!bj_value_valid(kind, code) || lang < 0 || lang >= BJ_LANG_COUNT)
		return NULL;
	return kinds[kind].values[code].label[lang];
}

void
bj_value_list(bj_kind kind, char *buf, size_t cap)
{
	size_t		used = 0;

	if (cap == 0)
		return;
	buf[0] = '\0';
	for (int code = 0; code < kinds[kind].count; code++)
	{
		const char *name = kinds[kind].values[code].label[BJ_LANG_EN];
		size_t		need = strlen(name) + (code > 0 ? 2 : 0);

		if (used + need + 1 > cap)
			break;
		if (code > 0)
		{
			memcpy(buf + used, ", ", 2);
			used += 2;
		}
		memcpy(buf + used, name, strlen(name));
		used += strlen(name);
		buf[used] = '\0';
	}
}

int
bj_value_lookup(bj_kind kind, const char *s, size_t len)
{
	const bj_kind_info *k = &kinds[kind];

	for (int code = 0; code < k->count; code++)
		for (int lang = 0; lang < BJ_LANG_COUNT; lang++)
		{
			const char *label = k->values[code].label[lang];

			if (strlen(label) == len && memcmp(label, s, len) == 0)
				return code;
		}
	return BJ_NO_VALUE;
}

bool
bj_stage_is_open(int code)
{
	return code >= BJ_STAGE_UNAWARE && code <= BJ_STAGE_APPROVE;
}

bool
bj_stage_is_closed(int code)
{
	return code >= BJ_STAGE_REALIZE && code < BJ_STAGE_COUNT;
}

bool
bj_stage_is_won(int code)
{
	return code == BJ_STAGE_REALIZE;
}

bool
bj_phase_is_active(int code)
{
	return code >= BJ_PHASE_INTRODUCTION && code <= BJ_PHASE_MATURITY;
}

/* Last value on the type's main path: realize for stages, churned for phases. */
static int
main_path_end(bj_kind kind)
{
	return kind == BJ_KIND_STAGE ? BJ_STAGE_REALIZE : BJ_PHASE_CHURNED;
}

int
bj_value_next(bj_kind kind, int code)
{
	if (code < 0 || code >= main_path_end(kind))
		return BJ_NO_VALUE;
	return code + 1;
}

int
bj_value_previous(bj_kind kind, int code)
{
	if (code <= 0 || code > main_path_end(kind))
		return BJ_NO_VALUE;
	return code - 1;
}
