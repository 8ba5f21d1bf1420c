/*
 * test_deal_log.c - the deal log's radix sort, event logs merged from shuffled
 * parts, and the summaries read from them (stage durations, window counts),
 * against a brute-force reference; their forms under corruption.
 */
#include <stdlib.h>
#include <string.h>

#include "bj_encode.h"
#include "bj_deal_log.h"
#include "bj_deal_set.h"
#include "bj_summaries.h"
#include "unit.h"

static uint64_t rng_state = 7;

static uint64_t
rng(void)
{
	rng_state = rng_state * UINT64_C(6364136223846793005) + UINT64_C(1442695040888963407);
	return rng_state >> 33;
}

#define heap unit_heap

/*
 * Deals of several shapes: dense, spread over all 64 bits, negative, and
 * differing in up to 21, 33 and 34 bits (the sort's digit widths change there).
 */
static int64_t
some_deal(int shape, int range)
{
	switch (shape)
	{
		case 0:
			return (int64_t) (rng() % (uint64_t) range);
		case 1:
			return (int64_t) ((rng() << 33) ^ (rng() << 2) ^ rng()) * (rng() % 2 ? 1 : -1);
		case 3:
			return (int64_t) (rng() & ((UINT64_C(1) << 21) - 1));
		case 4:
			return (int64_t) (((rng() << 3) ^ rng()) & ((UINT64_C(1) << 33) - 1));
		case 5:
			return (int64_t) (((rng() << 4) ^ rng()) & ((UINT64_C(1) << 34) - 1)) + INT64_C(1000000000000);
		default:
			return -(int64_t) (rng() % (uint64_t) range) - INT64_C(5000000000);
	}
}

static void
test_sort(void)
{
	enum
	{
		N = 5000
	};
	static bj_deal_event records[N],
				scratch[N];

	for (int shape = 0; shape < 6; shape++)
		for (int n = 0; n <= N; n += n < 10 ? 1 : 997)
		{
			bool		ok = true;

			for (int i = 0; i < n; i++)
			{
				records[i].deal = some_deal(shape, 300);
				records[i].event.at = i;	/* the input position: the sort must keep it */
				records[i].event.stage = 0;
			}
			bj_sort_by_deal((uint8_t *) records, (uint8_t *) scratch, (size_t) n, sizeof(bj_deal_event));
			for (int i = 1; i < n; i++)
				ok = ok && (records[i - 1].deal < records[i].deal ||
							(records[i - 1].deal == records[i].deal && records[i - 1].event.at < records[i].event.at));
			CHECK(ok);
		}
}

typedef struct raw_event
{
	int64_t		deal;
	bj_event	event;
} raw_event;

/* Random journeys with regressions, re-entries, ties and duplicates. */
static int
make_events(raw_event *ev, int max, int deals)
{
	int			n = 0;

	for (int d = 0; d < deals && n < max - 10; d++)
	{
		int			stage = (int) (rng() % 3);
		int64_t		at = (int64_t) (rng() % 1000) - 300;
		int			steps = 1 + (int) (rng() % 9);

		for (int k = 0; k < steps; k++)
		{
			ev[n++] = (raw_event) {d * 13 - 1000, {at, (uint8_t) stage}};
			at += (int64_t) (rng() % 40);	/* 0: a tie */
			stage = rng() % 4 == 0 ? (int) (rng() % 9) : (stage < 6 ? stage + 1 : 6);
		}
	}
	return n;
}

static void
shuffle(raw_event *ev, int n)
{
	for (int i = n - 1; i > 0; i--)
	{
		int			j = (int) (rng() % (uint64_t) (i + 1));
		raw_event	t = ev[i];

		ev[i] = ev[j];
		ev[j] = t;
	}
}

/* The summaries the slow way: each deal's events picked out of the whole list. */
static void
reference(const raw_event *ev, int n, int deals, bj_stage_durations *d, bj_window_counts *w)
{
	static bj_event mine[4000];

	for (int k = 0; k < deals; k++)
	{
		size_t		m = 0;

		for (int i = 0; i < n; i++)
			if (ev[i].deal == k * 13 - 1000)
				mine[m++] = ev[i].event;
		m = bj_events_normalize(mine, m);
		bj_stage_durations_add(d, mine, m);
		bj_window_counts_add(w, mine, m);
	}
}

/* The summaries from an event log, read as the one-pass finals read it. */
static void
from_log(const bj_deal_log *log, bj_stage_durations *d, bj_window_counts *w)
{
	bj_deal_cursor cursor;
	bj_event   *mine;
	int64_t		deal;
	int64_t		last = 0;
	size_t		n;
	bool		failed = false;

	bj_deal_cursor_start(log, &cursor);
	while ((mine = bj_deal_log_next_events(log, &cursor, &deal, &n, &failed)) != NULL)
	{
		CHECK(n > 0 && (last == 0 || deal > last));
		last = deal;
		n = bj_events_normalize(mine, n);
		bj_stage_durations_add(d, mine, n);
		bj_window_counts_add(w, mine, n);
	}
	bj_deal_cursor_end(log, &cursor);
	CHECK(!failed);
}

static void
test_event_logs(void)
{
	enum
	{
		MAX = 4000
	};
	static raw_event ev[MAX];
	static const uint8_t steps[4] = {1, 2, 3, 4};

	for (int round = 0; round < 20; round++)
	{
		int			n = make_events(ev, MAX, 400);
		int64_t		as_of = round % 2 ? 400 : INT64_C(1) << 40;
		bj_stage_durations d_ref,
					d_log,
					back_d;
		bj_window_counts w_ref,
					w_log,
					back_w;
		bj_deal_log parts[3],
					merged;
		uint8_t		form[BJ_STAGE_DURATIONS_FORM_SIZE];

		bj_stage_durations_init(&d_ref, as_of);
		bj_stage_durations_init(&d_log, as_of);
		CHECK(bj_window_counts_init(&w_ref, 60, steps, 4, round % 8));
		CHECK(bj_window_counts_init(&w_log, 60, steps, 4, round % 8));
		reference(ev, n, 400, &d_ref, &w_ref);
		CHECK(bj_stage_durations_valid(&d_ref));
		CHECK(bj_window_counts_valid(&w_ref));

		/*
		 * One log fed in deal order (packed as it comes), or in deal order for
		 * a while and then not (unpacked on the first record out of order).
		 */
		for (int variant = 0; variant < 2; variant++)
		{
			bj_deal_log one;
			int			cut = variant == 0 ? n : n / 2;

			if (variant == 1)
				shuffle(ev + cut, n - cut);
			CHECK(bj_deal_log_init(&one, sizeof(bj_deal_event), NULL, SIZE_MAX, heap));
			one.chunk_records = variant == 1 ? 64 : one.chunk_records;	/* sorted and packed in chunks */
			for (int i = 0; i < n; i++)
				CHECK(bj_deal_log_add_event(&one, ev[i].deal, ev[i].event.stage, ev[i].event.at));
			CHECK(variant == 1 || one.packing);
			CHECK(bj_deal_log_sort(&one));
			CHECK_INT(bj_deal_log_records(&one), n);
			from_log(&one, &d_log, &w_log);
			CHECK(memcmp(&d_ref, &d_log, sizeof(d_ref)) == 0);
			CHECK(memcmp(&w_ref, &w_log, sizeof(w_ref)) == 0);
			bj_stage_durations_init(&d_log, as_of);
			CHECK(bj_window_counts_init(&w_log, 60, steps, 4, round % 8));
			bj_deal_log_free(&one);
		}

		/* shuffled into three logs, passed through their forms, merged */
		shuffle(ev, n);
		CHECK(bj_deal_log_init(&merged, sizeof(bj_deal_event), NULL, SIZE_MAX, heap));
		for (int p = 0; p < 3; p++)
		{
			CHECK(bj_deal_log_init(&parts[p], sizeof(bj_deal_event), NULL, SIZE_MAX, heap));
			/* small chunks: more than BJ_DEAL_LOG_MAX_RUNS packed runs, merged on the way */
			parts[p].chunk_records = round % 2 ? 32 : 4096;
		}
		for (int i = 0; i < n; i++)
			CHECK(bj_deal_log_add_event(&parts[rng() % 3], ev[i].deal, ev[i].event.stage, ev[i].event.at));
		for (int p = 0; p < 3 && round % 2; p++)
			CHECK(parts[p].nsealed >= 1 && bj_deal_log_records(&parts[p]) > 8 * 32);	/* chunks were packed and merged */
		for (int p = 0; p < 3; p++)
		{
			bj_packed_run run;
			size_t		len;
			uint8_t    *bytes;

			CHECK(bj_deal_log_sort(&parts[p]));
			len = bj_deal_log_pack_max_size(&parts[p]);
			bytes = malloc(len);
			CHECK(bj_deal_log_pack(&parts[p], bytes, &len));
			CHECK_INT(bj_packed_run_decode(bytes, len, false, SIZE_MAX, heap, &run), BJ_DECODE_OK);
			CHECK(bj_deal_log_adopt(&merged, run));
			free(bytes);
			bj_deal_log_free(&parts[p]);
		}
		/* read across the runs as they are, then once more after merging them */
		CHECK(bj_deal_log_sort(&merged));
		from_log(&merged, &d_log, &w_log);
		CHECK(memcmp(&d_ref, &d_log, sizeof(d_ref)) == 0);
		CHECK(memcmp(&w_ref, &w_log, sizeof(w_ref)) == 0);
		CHECK(bj_deal_log_flatten(&merged));
		CHECK_INT(merged.open.count, n);
		bj_stage_durations_init(&d_log, as_of);
		CHECK(bj_window_counts_init(&w_log, 60, steps, 4, round % 8));
		from_log(&merged, &d_log, &w_log);
		CHECK(memcmp(&d_ref, &d_log, sizeof(d_ref)) == 0);
		CHECK(memcmp(&w_ref, &w_log, sizeof(w_ref)) == 0);

		/* forms round-trip; single-bit corruption is refused or still valid */
		bj_stage_durations_encode(&d_log, form);
		CHECK_INT(bj_stage_durations_decode(form, BJ_STAGE_DURATIONS_FORM_SIZE, &back_d), BJ_DECODE_OK);
		CHECK(memcmp(&d_log, &back_d, sizeof(back_d)) == 0);
		for (size_t i = 0; round == 0 && i < BJ_STAGE_DURATIONS_FORM_SIZE; i++)
		{
			form[i] ^= 4;
			if (bj_stage_durations_decode(form, BJ_STAGE_DURATIONS_FORM_SIZE, &back_d) == BJ_DECODE_OK)
				CHECK(bj_stage_durations_valid(&back_d));
			form[i] ^= 4;
		}
		bj_window_counts_encode(&w_log, form);
		CHECK_INT(bj_window_counts_decode(form, BJ_WINDOW_COUNTS_FORM_SIZE, &back_w), BJ_DECODE_OK);
		CHECK(memcmp(&w_log, &back_w, sizeof(back_w)) == 0);
		CHECK_INT(bj_window_counts_decode(form, BJ_WINDOW_COUNTS_FORM_SIZE - 1, &back_w), BJ_DECODE_TRUNCATED);
		form[10] = 17;			/* more steps than there can be */
		CHECK_INT(bj_window_counts_decode(form, BJ_WINDOW_COUNTS_FORM_SIZE, &back_w), BJ_DECODE_INCONSISTENT);

		/* summaries of disjoint halves add up; other parameters do not merge */
		{
			bj_stage_durations a,
						b,
						other;
			bj_window_counts wa,
						wb;
			bj_deal_group g;
			bj_deal_cursor cursor;
			bool		failed = false;
			static bj_event mine[4000];

			bj_stage_durations_init(&a, as_of);
			bj_stage_durations_init(&b, as_of);
			bj_stage_durations_init(&other, as_of + 1);
			CHECK(bj_window_counts_init(&wa, 60, steps, 4, round % 8));
			CHECK(bj_window_counts_init(&wb, 60, steps, 4, round % 8));
			bj_deal_cursor_start(&merged, &cursor);
			while (bj_deal_log_next_group(&merged, &cursor, &g, &failed))
			{
				size_t		m = bj_deal_group_size(&g);

				bj_deal_group_events(&g, mine);
				m = bj_events_normalize(mine, m);
				bj_stage_durations_add(g.deal % 2 ? &a : &b, mine, m);
				bj_window_counts_add(g.deal % 2 ? &wa : &wb, mine, m);
			}
			bj_deal_cursor_end(&merged, &cursor);
			CHECK(!failed);
			CHECK(bj_stage_durations_merge(&a, &b));
			CHECK(memcmp(&a, &d_ref, sizeof(a)) == 0);
			CHECK(!bj_stage_durations_merge(&a, &other));
			CHECK(bj_window_counts_merge(&wa, &wb));
			CHECK(memcmp(&wa, &w_ref, sizeof(wa)) == 0);
			wb.window++;
			CHECK(!bj_window_counts_merge(&wa, &wb));
		}
		bj_deal_log_free(&merged);
	}
}

static void
test_sums(void)
{
	bj_sum128	s = {0, 0};

	/* past 64 bits and back */
	for (int i = 0; i < 4; i++)
		bj_sum128_add(&s, INT64_MAX);
	CHECK_INT(s.hi, 1);
	CHECK_INT(bj_sum128_mean(&s, 4), INT64_MAX);
	s = (bj_sum128) {0, 0};
	bj_sum128_add(&s, 5);
	bj_sum128_add(&s, -2);
	CHECK_INT(bj_sum128_mean(&s, 2), 2);	/* 1.5 rounds away from zero */
	bj_sum128_add(&s, -6);
	CHECK_INT(bj_sum128_mean(&s, 2), -2);	/* -1.5 likewise */
}

/*
 * Every single-bit corruption of a packed event run (same-deal events, deal
 * steps of 1 and more, times near and far): refused, or a valid run in its
 * one canonical form (packed again, the same bytes).
 */
static void
test_event_run_corruption(void)
{
	static const struct
	{
		int64_t		deal;
		int			stage;
		int64_t		at;
	}			ev[] = {{-5, 1, 0}, {-5, 2, 300}, {1, 1, -7}, {2, 3, INT64_C(1) << 45}, {2, 8, (INT64_C(1) << 45) + 1}, {900, 0, 12}};
	bj_deal_log t;
	bj_packed_run run;
	size_t		len;
	uint8_t    *form;

	CHECK(bj_deal_log_init(&t, sizeof(bj_deal_event), NULL, SIZE_MAX, heap));
	for (size_t i = 0; i < sizeof(ev) / sizeof(ev[0]); i++)
		CHECK(bj_deal_log_add_event(&t, ev[i].deal, ev[i].stage, ev[i].at));
	CHECK(bj_deal_log_sort(&t));
	len = bj_deal_log_pack_max_size(&t);
	form = malloc(len);
	CHECK(form != NULL && bj_deal_log_pack(&t, form, &len));
	for (size_t i = 0; i < len; i++)
		for (int bit = 0; bit < 8; bit++)
		{
			form[i] ^= (uint8_t) (1 << bit);
			if (bj_packed_run_decode(form, len, false, SIZE_MAX, heap, &run) == BJ_DECODE_OK)
			{
				bj_deal_log u;
				size_t		again_len;
				uint8_t    *again;

				CHECK(bj_deal_log_init(&u, sizeof(bj_deal_event), NULL, SIZE_MAX, heap));
				CHECK(bj_deal_log_adopt(&u, run));
				CHECK(bj_deal_log_flatten(&u));
				again_len = bj_deal_log_pack_max_size(&u);
				again = malloc(again_len);
				CHECK(again != NULL && bj_deal_log_pack(&u, again, &again_len));
				CHECK(again_len == len && memcmp(again, form, len) == 0);
				free(again);
				bj_deal_log_free(&u);
			}
			form[i] ^= (uint8_t) (1 << bit);
		}
	CHECK_INT(bj_packed_run_decode(form, len - 1, false, SIZE_MAX, heap, &run), BJ_DECODE_TRUNCATED);
	free(form);
	bj_deal_log_free(&t);
}

/*
 * A mark's stages entered take one byte beside its last stage: each of the
 * 9 x 256 records of one mark (deal INT64_MIN + 1, time 0: three bytes) is
 * valid, reads back with its last stage among the stages entered and the
 * other eight as written, and packs again to the same bytes; 256 sets per
 * stage means no two bytes read as the same set.
 */
static void
test_mark_entered_byte(void)
{
	for (int stage = 0; stage < BJ_STAGE_COUNT; stage++)
	{
		bool		seen[1 << BJ_STAGE_COUNT] = {false};

		for (int b = 0; b < 256; b++)
		{
			uint8_t		form[BJ_PACKED_HEADER_SIZE + 3] = {BJ_FORMAT_VERSION, BJ_FORM_MARK_RUN, 0, 0, 0, 0, 0, 0, 0, 1,
			(uint8_t) (stage | 0x80), (uint8_t) b, 0};
			bj_packed_run run;
			bj_deal_log u;
			bj_deal_cursor cursor;
			int64_t		deal;
			bj_mark		m;
			uint8_t		again[sizeof(form) + BJ_PACKED_MAX_RECORD];
			size_t		again_len = sizeof(again);

			CHECK_INT(bj_packed_run_decode(form, sizeof(form), true, SIZE_MAX, heap, &run), BJ_DECODE_OK);
			CHECK(bj_deal_log_init(&u, sizeof(bj_deal_mark), bj_deal_mark_merge, SIZE_MAX, heap));
			CHECK(bj_deal_log_adopt(&u, run));
			bj_deal_cursor_start(&u, &cursor);
			CHECK(bj_deal_log_next_mark(&u, &cursor, &deal, &m));
			CHECK(deal == INT64_MIN + 1 && m.last_at == 0 && m.last_stage == stage);
			CHECK(bj_mark_valid(&m));
			CHECK(!seen[m.entered]);
			seen[m.entered] = true;
			CHECK(!bj_deal_log_next_mark(&u, &cursor, &deal, &m));
			bj_deal_cursor_end(&u, &cursor);
			CHECK(bj_deal_log_pack_max_size(&u) <= sizeof(again));
			CHECK(bj_deal_log_pack(&u, again, &again_len));
			CHECK(again_len == sizeof(form) && memcmp(again, form, sizeof(form)) == 0);
			bj_deal_log_free(&u);
		}
	}
}

/*
 * Deal sets: random sets of every shape of deal read back as written; each
 * flipped bit of a form is refused or reads as another set in its one
 * canonical form; a cut form is refused; and the distinct check finds the
 * least repeated deal, as a brute-force search does.
 */
static void
test_deal_sets(void)
{
	for (int round = 0; round < 300; round++)
	{
		size_t		n = round < 10 ? (size_t) round : (size_t) (rng() % 200);
		int			shape = round % 6;
		int64_t    *deals = malloc((n + 1) * sizeof(int64_t));
		int64_t    *scratch = malloc((n + 1) * sizeof(int64_t));
		int64_t    *back = malloc((n + 1) * sizeof(int64_t));
		uint8_t    *form = malloc(bj_deal_set_max_size(n) + 4);
		size_t		len;
		size_t		used;
		uint64_t	count;
		int64_t		repeated = 0;
		int64_t		expected_repeat = 0;
		bool		any_repeat = false;

		CHECK(deals && scratch && back && form);
		for (size_t i = 0; i < n; i++)
			deals[i] = i > 0 && rng() % 5 == 0 ? deals[rng() % i] : some_deal(shape, 50);
		if (round % 7 == 0 && n > 0)
			deals[0] = INT64_MIN;
		if (round % 11 == 0 && n > 1)
			deals[n - 1] = INT64_MAX;
		for (size_t i = 0; i < n; i++)
			for (size_t k = i + 1; k < n; k++)
				if (deals[i] == deals[k] && (!any_repeat || deals[i] < expected_repeat))
				{
					expected_repeat = deals[i];
					any_repeat = true;
				}
		CHECK(bj_deals_distinct(deals, scratch, n, &repeated) == (any_repeat ? BJ_DEALS_REPEATED : BJ_DEALS_DISTINCT));
		if (any_repeat)
			CHECK(repeated == expected_repeat);
		for (size_t i = 1; i < n; i++)
			CHECK(deals[i - 1] <= deals[i]);
		/* the distinct deals, as a set */
		{
			size_t		m = 0;

			for (size_t i = 0; i < n; i++)
				if (m == 0 || deals[m - 1] != deals[i])
					deals[m++] = deals[i];
			n = m;
		}
		len = bj_deal_set_encode(deals, n, form);
		CHECK(len <= bj_deal_set_max_size(n));
		form[len] = 0xff;		/* what follows is not read */
		CHECK_INT(bj_deal_set_check(form, len + 1, &used, &count), BJ_DECODE_OK);
		CHECK(used == len && count == n);
		CHECK(bj_deal_set_decode(form, back));
		CHECK(n == 0 || memcmp(back, deals, n * sizeof(int64_t)) == 0);
		if (len > 1)
			CHECK(bj_deal_set_check(form, len - 1, &used, &count) != BJ_DECODE_OK);
		for (size_t i = 0; i < len && round < 60; i++)
			for (int bit = 0; bit < 8; bit++)
			{
				form[i] ^= (uint8_t) (1 << bit);
				if (bj_deal_set_check(form, len, &used, &count) == BJ_DECODE_OK)
				{
					int64_t    *other = malloc((count + 1) * sizeof(int64_t));
					uint8_t    *again = malloc(bj_deal_set_max_size(count));

					CHECK(other && again);
					CHECK(bj_deal_set_decode(form, other));
					for (uint64_t k = 1; k < count; k++)
						CHECK(other[k - 1] < other[k]);
					CHECK(bj_deal_set_encode(other, count, again) == used && memcmp(again, form, used) == 0);
					free(other);
					free(again);
				}
				form[i] ^= (uint8_t) (1 << bit);
			}
		free(deals);
		free(scratch);
		free(back);
		free(form);
	}
}

/*
 * Borrowed runs (their bytes owned by the caller: shared memory in the
 * server) are read like any run but never released by the log, not when
 * too many runs are merged, nor when flattened or freed.  The test frees
 * the bytes itself afterwards: AddressSanitizer reports a double free if the
 * log did too.
 */
static void
test_borrowed_runs(void)
{
	enum
	{
		PARTS = BJ_DEAL_LOG_MAX_RUNS + 4, EVENTS = 10
	};
	uint8_t    *owned[PARTS];
	bj_deal_log merged;
	bj_deal_cursor cursor;
	bj_deal_group g;
	bool		failed = false;
	size_t		seen = 0;
	int64_t		last = INT64_MIN;

	CHECK(bj_deal_log_init(&merged, sizeof(bj_deal_event), NULL, SIZE_MAX, heap));
	for (int p = 0; p < PARTS; p++)
	{
		bj_deal_log part;
		bj_packed_run run;

		CHECK(bj_deal_log_init(&part, sizeof(bj_deal_event), NULL, SIZE_MAX, heap));
		for (int e = 0; e < EVENTS; e++)
			CHECK(bj_deal_log_add_event(&part, (int64_t) e * PARTS + p, e % 7, e * 100));
		CHECK(bj_deal_log_sort(&part));
		owned[p] = malloc(bj_deal_log_pack_max_size(&part));
		CHECK(bj_deal_log_pack(&part, owned[p], &run.len));
		CHECK_INT(bj_packed_run_check(owned[p], run.len, false, &run.count), BJ_DECODE_OK);
		run.bytes = owned[p];
		run.marks = false;
		run.borrowed = true;
		CHECK(bj_deal_log_adopt(&merged, run));
		bj_deal_log_free(&part);
	}
	CHECK(merged.nsealed < PARTS);	/* runs were merged on the way */
	CHECK(bj_deal_log_sort(&merged));
	bj_deal_cursor_start(&merged, &cursor);
	while (bj_deal_log_next_group(&merged, &cursor, &g, &failed))
	{
		CHECK(g.deal > last);
		last = g.deal;
		seen += bj_deal_group_size(&g);
	}
	bj_deal_cursor_end(&merged, &cursor);
	CHECK(!failed);
	CHECK_INT(seen, PARTS * EVENTS);
	CHECK(bj_deal_log_flatten(&merged));
	CHECK_INT(bj_deal_log_records(&merged), PARTS * EVENTS);
	bj_deal_log_free(&merged);
	for (int p = 0; p < PARTS; p++)
		free(owned[p]);
}

/* Deals read back from a mark log by bj_deal_log_next_mark, each once. */
static int
distinct_marks_read(bj_deal_log *log)
{
	bj_deal_cursor cursor;
	int64_t		deal;
	int64_t		last = INT64_MIN;
	bj_mark		m;
	int			n = 0;

	CHECK(bj_deal_log_sort(log));
	bj_deal_cursor_start(log, &cursor);
	while (bj_deal_log_next_mark(log, &cursor, &deal, &m))
	{
		CHECK(n == 0 || deal > last);
		last = deal;
		n++;
	}
	bj_deal_cursor_end(log, &cursor);
	return n;
}

/*
 * Issue 15, defect 1: a full open run of marks is sorted and collapsed; the
 * record pushed next may be of the deal that is now last, and the run was
 * still called sorted, so that deal was read twice (funnel(deal, stage, at)
 * over 17 rows of two alternating deals counted 3 deals).
 */
static void
test_marks_collapsed_once(void)
{
	for (size_t initial = 1; initial <= 20; initial++)
		for (size_t chunk = 1; chunk <= 24; chunk++)
			for (int deals = 1; deals <= 3; deals++)
				for (int rows = 1; rows <= 40; rows++)
				{
					bj_deal_log log;

					CHECK(bj_deal_log_init_sized(&log, sizeof(bj_deal_mark), bj_deal_mark_merge, SIZE_MAX,
												 heap, initial, chunk));
					for (int k = 1; k <= rows; k++)
						CHECK(bj_deal_log_add_to_marks(&log, k % deals + 1, BJ_STAGE_EXPLORE, k));
					CHECK_INT(distinct_marks_read(&log), rows < deals ? rows : deals);
					bj_deal_log_free(&log);
				}
}

void
test_deal_log(void)
{
	test_marks_collapsed_once();
	test_sort();
	test_event_logs();
	test_event_run_corruption();
	test_mark_entered_byte();
	test_deal_sets();
	test_sums();
	test_borrowed_runs();
}
