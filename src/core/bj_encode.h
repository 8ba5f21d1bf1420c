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

#include "bj_deal_log.h"
#include "bj_form.h"
#include "bj_funnel.h"
#include "bj_journey.h"
#include "bj_ltv_models.h"
#include "bj_summaries.h"
#include "bj_velocity.h"





#define BJ_JOURNEY_FORM_SIZE (2 + 8 + 8 + 2 + 1 + 1)
extern void bj_journey_encode(const bj_journey *j, uint8_t out[BJ_JOURNEY_FORM_SIZE]);
extern bj_decode_error bj_journey_decode(const uint8_t *in, size_t len, bj_journey *j);

#define BJ_FUNNEL_FORM_SIZE (2 + 8 * (1 + 5 * BJ_STAGE_COUNT))
extern void bj_funnel_encode(const bj_funnel *f, uint8_t out[BJ_FUNNEL_FORM_SIZE]);
extern bj_decode_error bj_funnel_decode(const uint8_t *in, size_t len, bj_funnel *f);

#define BJ_VELOCITY_FORM_SIZE (2 + BJ_VELOCITY_IMAGE_SIZE)
extern void bj_velocity_encode(const bj_velocity *v, uint8_t out[BJ_VELOCITY_FORM_SIZE]);
extern bj_decode_error bj_velocity_decode(const uint8_t *in, size_t len, bj_velocity *v);

#define BJ_STAGE_DURATIONS_FORM_SIZE (2 + 8 + 8 + BJ_STAGE_COUNT * 56)
extern void bj_stage_durations_encode(const bj_stage_durations *d, uint8_t out[BJ_STAGE_DURATIONS_FORM_SIZE]);
extern bj_decode_error bj_stage_durations_decode(const uint8_t *in, size_t len, bj_stage_durations *d);

#define BJ_WINDOW_COUNTS_FORM_SIZE (2 + 8 + 2 + BJ_MAX_STEPS + 8 + BJ_MAX_STEPS * 24)
extern void bj_window_counts_encode(const bj_window_counts *w, uint8_t out[BJ_WINDOW_COUNTS_FORM_SIZE]);
extern bj_decode_error bj_window_counts_decode(const uint8_t *in, size_t len, bj_window_counts *w);

#define BJ_BGNBD_MODEL_FORM_SIZE (2 + 8 * 7 + 8 + 4 + 4 + 4)
extern void bj_bgnbd_model_encode(const bj_bgnbd_model *m, uint8_t out[BJ_BGNBD_MODEL_FORM_SIZE]);
extern bj_decode_error bj_bgnbd_model_decode(const uint8_t *in, size_t len, bj_bgnbd_model *m);

#define BJ_GG_MODEL_FORM_SIZE (2 + 8 * 6 + 4 + 4)
extern void bj_gg_model_encode(const bj_gg_model *m, uint8_t out[BJ_GG_MODEL_FORM_SIZE]);
extern bj_decode_error bj_gg_model_decode(const uint8_t *in, size_t len, bj_gg_model *m);

/*
 * A packed run of a deal log (bj_deal_run.h) read from outside: checked,
 * then copied into memory from the allocator for bj_deal_log_adopt.
 */
extern bj_decode_error bj_packed_run_decode(const uint8_t *in, size_t len, bool marks, size_t max_bytes,
											bj_allocator allocator, bj_packed_run *run);

/* Big-endian integers, as every form stores them. */
extern void bj_put_u64(uint8_t *p, uint64_t v);
extern uint64_t bj_get_u64(const uint8_t *p);
extern void bj_put_u32(uint8_t *p, uint32_t v);
extern uint32_t bj_get_u32(const uint8_t *p);

/* Lower-case hex, for the text forms: 2 * len characters, no terminator. */
extern void bj_hex_encode(const uint8_t *in, size_t len, char *out);
/* false on an odd length or a non-hex character. */
extern bool bj_hex_decode(const char *in, size_t len, uint8_t *out);

#endif							/* BJ_ENCODE_H */
