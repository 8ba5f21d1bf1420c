/*
 * bj_values.h - the values of the two enum-like types and their labels.
 *
 * Plain C, no PostgreSQL headers: the tables here are the single source of
 * truth for names, ordinals, Chinese labels and the open/closed/won semantics
 * of docs/model.md.
 */
#ifndef BJ_VALUES_H
#define BJ_VALUES_H

#include <stdbool.h>
#include <stddef.h>

typedef enum bj_kind
{
	BJ_KIND_STAGE = 0,			/* journey_stage */
	BJ_KIND_PHASE = 1			/* lifecycle_phase */
} bj_kind;

#define BJ_KIND_COUNT 2

/* Journey stages; the code is the ordinal and the on-disk byte. */
enum
{
	BJ_STAGE_UNAWARE = 0,
	BJ_STAGE_EXPLORE,
	BJ_STAGE_DEFINE,
	BJ_STAGE_SELECT,
	BJ_STAGE_DECIDE,
	BJ_STAGE_APPROVE,
	BJ_STAGE_REALIZE,
	BJ_STAGE_LOST,
	BJ_STAGE_NO_DECISION,
	BJ_STAGE_COUNT
};

/* Lifecycle phases. */
enum
{
	BJ_PHASE_INTRODUCTION = 0,
	BJ_PHASE_GROWTH,
	BJ_PHASE_MATURITY,
	BJ_PHASE_DORMANCY,
	BJ_PHASE_CHURNED,
	BJ_PHASE_COUNT
};

/* Which label to show. */
typedef enum bj_label_lang
{
	BJ_LANG_EN = 0,
	BJ_LANG_ZH_HANS,
	BJ_LANG_ZH_HANT,
	BJ_LANG_COUNT
} bj_label_lang;

/* No value: returned by lookups and by next/previous at the ends. */
#define BJ_NO_VALUE (-1)

extern const char *bj_kind_type_name(bj_kind kind);
extern int	bj_value_count(bj_kind kind);
extern bool bj_value_valid(bj_kind kind, int code);

/* Canonical English name (the text output), or NULL for an invalid code. */
extern const char *bj_value_name(bj_kind kind, int code);

/* Label in a language (UTF-8), or NULL for an invalid code. */
extern const char *bj_value_label(bj_kind kind, int code, bj_label_lang lang);

/* "unaware, explore, ..." for error details; NUL-terminated, truncated to cap. */
extern void bj_value_list(bj_kind kind, char *buf, size_t cap);

/*
 * Exact lookup of an already-normalised UTF-8 string (lower-case English
 * name, or a Chinese label).  Returns the code or BJ_NO_VALUE.
 */
extern int	bj_value_lookup(bj_kind kind, const char *s, size_t len);

/* The same, for English names only and for Chinese labels only. */
extern int	bj_name_lookup(bj_kind kind, const char *s, size_t len);
extern int	bj_chinese_label_lookup(bj_kind kind, const char *s, size_t len);

/* Journey-stage semantics (docs/model.md). */
extern bool bj_stage_is_open(int code);
extern bool bj_stage_is_closed(int code);
extern bool bj_stage_is_won(int code);

/* Lifecycle semantics (docs/model.md): introduction..maturity are active. */
extern bool bj_phase_is_active(int code);

/*
 * Next and previous value along the type's main path, or BJ_NO_VALUE:
 * stages unaware..realize in order (lost and no_decision have neither);
 * phases introduction..churned by ordinal.
 */
extern int	bj_value_next(bj_kind kind, int code);
extern int	bj_value_previous(bj_kind kind, int code);

#endif							/* BJ_VALUES_H */
