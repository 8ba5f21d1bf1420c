/*
 * bj_encode.h - the wire and storage forms of the aggregate states.
 *
 * Plain C.  Every form starts with a format version byte and a kind byte,
 * stores integers big-endian (so any node can read any other's), and is
 * checked field by field when read: a truncated, oversized, wrong-version
 * or inconsistent input is refused, never trusted.
 */
#ifndef BJ_ENCODE_H
#define BJ_ENCODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bj_entity_table.h"
#include "bj_funnel.h"
#include "bj_journey.h"
#include "bj_velocity.h"

#define BJ_FORMAT_VERSION 1

typedef enum bj_form_kind
{
	BJ_FORM_JOURNEY = 1,
	BJ_FORM_FUNNEL = 2,
	BJ_FORM_ENTITY_TABLE = 3,
	BJ_FORM_VELOCITY = 4,
	BJ_FORM_TIMELINE = 5
} bj_form_kind;

typedef enum bj_decode_error
{
	BJ_DECODE_OK = 0,
	BJ_DECODE_TRUNCATED,		/* shorter than its header says */
	BJ_DECODE_TRAILING,			/* longer than its header says */
	BJ_DECODE_VERSION,			/* a format version this build cannot read */
	BJ_DECODE_KIND,				/* another kind of state */
	BJ_DECODE_INCONSISTENT,		/* fields that cannot belong together */
	BJ_DECODE_NO_MEMORY			/* past the state's memory bound */
} bj_decode_error;

extern const char *bj_decode_error_message(bj_decode_error e);

#define BJ_JOURNEY_FORM_SIZE (2 + 8 + 8 + 2 + 1 + 1)
extern void bj_journey_encode(const bj_journey *j, uint8_t out[BJ_JOURNEY_FORM_SIZE]);
extern bj_decode_error bj_journey_decode(const uint8_t *in, size_t len, bj_journey *j);

#define BJ_FUNNEL_FORM_SIZE (2 + 8 * (1 + 5 * BJ_STAGE_COUNT))
extern void bj_funnel_encode(const bj_funnel *f, uint8_t out[BJ_FUNNEL_FORM_SIZE]);
extern bj_decode_error bj_funnel_decode(const uint8_t *in, size_t len, bj_funnel *f);

#define BJ_VELOCITY_FORM_SIZE (2 + 8 * 7)
extern void bj_velocity_encode(const bj_velocity *v, uint8_t out[BJ_VELOCITY_FORM_SIZE]);
extern bj_decode_error bj_velocity_decode(const uint8_t *in, size_t len, bj_velocity *v);

/* Entity table: header, count, then (entity, journey) pairs. */
#define BJ_ENTITY_ENTRY_SIZE (8 + BJ_JOURNEY_FORM_SIZE - 2)
extern size_t bj_entity_table_form_size(const bj_entity_table *t);
extern void bj_entity_table_encode(const bj_entity_table *t, uint8_t *out);
/* Merge a serialised table into t (which the caller initialised). */
extern bj_decode_error bj_entity_table_decode_into(bj_entity_table *t, const uint8_t *in, size_t len);

/* Lower-case hex, for the text forms: 2 * len characters, no terminator. */
extern void bj_hex_encode(const uint8_t *in, size_t len, char *out);
/* false on an odd length or a non-hex character. */
extern bool bj_hex_decode(const char *in, size_t len, uint8_t *out);

#endif							/* BJ_ENCODE_H */
