/*
 * fuzz_forms.c - libFuzzer target: the decoders of every aggregate state
 * form (journey, funnel, velocity, stage durations, window counts, BG/NBD
 * and Gamma-Gamma models, packed journey and event runs).  Whatever the bytes, a decoder either refuses them or
 * returns a state that passes its own validity check and encodes back to the
 * same bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bj_encode.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void *
heap_alloc(void *context, size_t size)
{
	(void) context;
	return calloc(1, size);
}

static void
heap_release(void *context, void *p)
{
	(void) context;
	free(p);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	bj_journey	j;
	bj_funnel	f;
	bj_velocity v;
	bj_stage_durations d;
	bj_bgnbd_model bm;
	bj_gg_model gm;
	bj_window_counts w;
	uint8_t		out[BJ_STAGE_DURATIONS_FORM_SIZE];
	bj_allocator heap = {heap_alloc, NULL, heap_release, NULL};
	static const size_t record_sizes[2] = {sizeof(bj_deal_mark), sizeof(bj_deal_event)};

	if (bj_journey_decode(data, size, &j) == BJ_DECODE_OK)
	{
		bj_journey_encode(&j, out);
		if (!bj_journey_valid(&j) || memcmp(out, data, BJ_JOURNEY_FORM_SIZE) != 0)
			abort();
	}
	if (bj_funnel_decode(data, size, &f) == BJ_DECODE_OK)
	{
		bj_funnel_encode(&f, out);
		if (!bj_funnel_valid(&f) || memcmp(out, data, BJ_FUNNEL_FORM_SIZE) != 0)
			abort();
	}
	if (bj_velocity_decode(data, size, &v) == BJ_DECODE_OK)
	{
		bj_velocity again;

		/* format 1 (1.2.0) is read into format 2, which encodes back to itself */
		bj_velocity_encode(&v, out);
		if (!bj_velocity_valid(&v) || (data[0] != BJ_FORMAT_VERSION && memcmp(out, data, size) != 0) ||
			bj_velocity_decode(out, BJ_VELOCITY_FORM_SIZE, &again) != BJ_DECODE_OK ||
			memcmp(&again, &v, sizeof(v)) != 0)
			abort();
	}
	if (bj_stage_durations_decode(data, size, &d) == BJ_DECODE_OK)
	{
		bj_stage_durations_encode(&d, out);
		if (!bj_stage_durations_valid(&d) || memcmp(out, data, BJ_STAGE_DURATIONS_FORM_SIZE) != 0)
			abort();
	}
	if (bj_bgnbd_model_decode(data, size, &bm) == BJ_DECODE_OK)
	{
		bj_bgnbd_model_encode(&bm, out);
		if (!bj_bgnbd_model_valid(&bm) || memcmp(out, data, BJ_BGNBD_MODEL_FORM_SIZE) != 0)
			abort();
	}
	if (bj_gg_model_decode(data, size, &gm) == BJ_DECODE_OK)
	{
		bj_gg_model_encode(&gm, out);
		if (!bj_gg_model_valid(&gm) || memcmp(out, data, BJ_GG_MODEL_FORM_SIZE) != 0)
			abort();
	}
	if (bj_window_counts_decode(data, size, &w) == BJ_DECODE_OK)
	{
		bj_window_counts_encode(&w, out);
		if (!bj_window_counts_valid(&w) || memcmp(out, data, BJ_WINDOW_COUNTS_FORM_SIZE) != 0)
			abort();
	}
	/* packed runs: checked, then read back and packed again to the same bytes */
	for (int k = 0; k < 2; k++)
	{
		bj_deal_log log;
		bj_packed_run run;
		uint8_t    *back;
		size_t		len;

		if (bj_packed_run_decode(data, size, k == 0, (size_t) 1 << 24, heap, &run) != BJ_DECODE_OK)
			continue;
		if (!bj_deal_log_init(&log, record_sizes[k], k == 0 ? bj_deal_mark_merge : NULL, SIZE_MAX, heap) ||
			!bj_deal_log_adopt(&log, run) || bj_deal_log_records(&log) != run.count)
			abort();
		back = malloc(bj_deal_log_pack_max_size(&log));
		if (!bj_deal_log_pack(&log, back, &len) || len != size || memcmp(back, data, size) != 0)
			abort();
		free(back);
		/* and in memory: in deal order, valid marks */
		if (!bj_deal_log_flatten(&log) || log.open.count != run.count)
			abort();
		for (size_t i = 1; i < log.open.count; i++)
			if (bj_record_deal(log.open.records + i * log.record_size) <
				bj_record_deal(log.open.records + (i - 1) * log.record_size))
				abort();
		for (size_t i = 0; k == 0 && i < log.open.count; i++)
			if (!bj_mark_valid(&((const bj_deal_mark *) log.open.records)[i].mark))
				abort();
		bj_deal_log_free(&log);
	}
	return 0;
}
