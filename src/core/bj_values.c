/*
 * bj_values.c - value and label tables of journey_stage and lifecycle_phase.
 */
#include "bj_values.h"

#include <string.h>

/* A label and its length in bytes, known at compile time (lookups are hot). */
typedef struct bj_label
{
	const char *text;
	size_t		len;
} bj_label;

#define L(s) {s, sizeof(s) - 1}

typedef struct bj_value_info
{
	bj_label	label[BJ_LANG_COUNT];	/* en (= canonical name), zh-Hans, zh-Hant */
} bj_value_info;

/* docs/model.md, in ordinal order. */
static const bj_value_info stage_values[BJ_STAGE_COUNT] = {
	{{L("unaware"), L("不关心"), L("不關心")}},
	{{L("explore"), L("探索"), L("探索")}},
	{{L("define"), L("定义"), L("定義")}},
	{{L("select"), L("选择"), L("選擇")}},
	{{L("decide"), L("决策"), L("決策")}},
	{{L("approve"), L("批准"), L("批准")}},
	{{L("realize"), L("实现"), L("實現")}},
	{{L("lost"), L("丢单"), L("丟單")}},
	{{L("no_decision"), L("放弃"), L("放棄")}},
};

/* docs/model.md, in ordinal order. */
static const bj_value_info phase_values[BJ_PHASE_COUNT] = {
	{{L("introduction"), L("引入期"), L("引入期")}},
	{{L("growth"), L("成长期"), L("成長期")}},
	{{L("maturity"), L("成熟期"), L("成熟期")}},
	{{L("dormancy"), L("休眠期"), L("休眠期")}},
	{{L("churned"), L("流失期"), L("流失期")}},
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
	return kinds[kind].values[code].label[lang].text;
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
		const char *name = kinds[kind].values[code].label[BJ_LANG_EN].text;
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

/* The code whose label in one of langs[from..to) is exactly s, or BJ_NO_VALUE. */
static int
lookup_in(bj_kind kind, const char *s, size_t len, int from_lang, int to_lang)
{
	const bj_kind_info *k = &kinds[kind];

	if (len == 0)
		return BJ_NO_VALUE;
	for (int code = 0; code < k->count; code++)
		for (int lang = from_lang; lang < to_lang; lang++)
		{
			const bj_label *l = &k->values[code].label[lang];

			/* length and first byte rule out almost every label cheaply */
			if (l->len == len && l->text[0] == s[0] && memcmp(l->text, s, len) == 0)
				return code;
		}
	return BJ_NO_VALUE;
}

int
bj_value_lookup(bj_kind kind, const char *s, size_t len)
{
	return lookup_in(kind, s, len, 0, BJ_LANG_COUNT);
}

int
bj_name_lookup(bj_kind kind, const char *s, size_t len)
{
	return lookup_in(kind, s, len, BJ_LANG_EN, BJ_LANG_EN + 1);
}

int
bj_chinese_label_lookup(bj_kind kind, const char *s, size_t len)
{
	return lookup_in(kind, s, len, BJ_LANG_ZH_HANS, BJ_LANG_COUNT);
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
