/*
 * test_funnel.c - journeys, funnels, mark logs and their forms:
 * order independence, merging, a brute-force reference, hostile input.
 */
#include <stdlib.h>
#include <string.h>

#include "bj_encode.h"
#include "bj_deal_log.h"
#include "bj_funnel.h"
#include "unit.h"

typedef struct event
{
	int64_t		entity;
	int			stage;
	int64_t		at;
} event;

static uint64_t rng_state = 42;

static uint64_t
rng(void)
{
	rng_state = rng_state * UINT64_C(6364136223846793005) + UINT64_C(1442695040888963407);
	return rng_state >> 33;
}

#define heap unit_heap

static bool
same_journey(const bj_journey *a, const bj_journey *b)
{
	return a->first_at == b->first_at && a->last_at == b->last_at && a->entered == b->entered &&
		a->first_stage == b->first_stage && a->last_stage == b->last_stage;
}

static bool
same_funnel(const bj_funnel *a, const bj_funnel *b)
{
	return memcmp(a, b, sizeof(*a)) == 0;
}

/* Random journeys with regressions, skips, ties and closed outcomes. */
static int
make_events(event *ev, int max, int entities)
{
	int			n = 0;

	for (int e = 0; e < entities && n < max - 12; e++)
	{
		int			stage = (int) (rng() % 3);
		int64_t		at = (int64_t) (rng() % 1000);
		int			steps = 1 + (int) (rng() % 8);

		for (int k = 0; k < steps; k++)
		{
			ev[n++] = (event) {e * 7 - 50, stage, at};
			at += (int64_t) (rng() % 3);	/* 0: a tie */
			switch (rng() % 6)
			{
				case 0:
					stage = stage > 0 ? stage - 1 : stage;	/* regression */
					break;
				case 1:
					stage = (int) (7 + rng() % 2);	/* lost / no_decision */
					break;
				case 2:
					stage = stage < 5 ? stage + 2 : 6;	/* skip */
					break;
				default:
					stage = stage < 6 ? stage + 1 : 1;
			}
		}
	}
	return n;
}

static void
shuffle(event *ev, int n)
{
	for (int i = n - 1; i > 0; i--)
	{
		int			j = (int) (rng() % (uint64_t) (i + 1));
		event		t = ev[i];

		ev[i] = ev[j];
		ev[j] = t;
	}
}

static bool
same_mark(const bj_mark *a, const bj_mark *b)
{
	return a->last_at == b->last_at && a->entered == b->entered && a->last_stage == b->last_stage;
}

/* A deal's mark counted in a funnel: the funnel reads the stages entered and the last. */
static void
funnel_add_mark(bj_funnel *f, const bj_mark *m)
{
	bj_journey	j = {0};

	j.entered = m->entered;
	j.last_stage = m->last_stage;
	bj_funnel_add(f, &j);
}

/* Funnel of a flattened mark log (one record per deal). */
static void
funnel_of(const bj_deal_log *log, bj_funnel *f)
{
	bj_deal_group g;
	bj_deal_cursor cursor;
	bool		failed = false;

	bj_funnel_init(f);
	bj_deal_cursor_start(log, &cursor);
	while (bj_deal_log_next_group(log, &cursor, &g, &failed))
	{
		bj_mark		m;

		CHECK(g.nslices == 1 && g.count[0] == 1);
		bj_deal_group_mark(&g, &m);
		funnel_add_mark(f, &m);
	}
	bj_deal_cursor_end(log, &cursor);
	CHECK(!failed);
}

static bool
mark_log(bj_deal_log *log, size_t max_bytes)
{
	return bj_deal_log_init(log, sizeof(bj_deal_mark), bj_deal_mark_merge, max_bytes, heap);
}

/* The definitions of bj_funnel.h, computed the slow way from the events. */
static void
reference_funnel(const event *ev, int n, int entities, bj_funnel *f)
{
	bj_funnel_init(f);
	for (int64_t e = -50; e < entities * 7 - 50; e += 7)
	{
		int			mask = 0,
					last = -1,
					hi = -1,
					lo = 99;
		int64_t		last_at = INT64_MIN;
		bool		any = false;

		for (int i = 0; i < n; i++)
		{
			if (ev[i].entity != e)
				continue;
			any = true;
			mask |= 1 << ev[i].stage;
			if (ev[i].at > last_at || (ev[i].at == last_at && ev[i].stage > last))
			{
				last_at = ev[i].at;
				last = ev[i].stage;
			}
			if (ev[i].stage <= 6 && ev[i].stage > hi)
				hi = ev[i].stage;
			if (ev[i].stage <= 6 && ev[i].stage < lo)
				lo = ev[i].stage;
		}
		if (!any)
			continue;
		f->deals++;
		f->current[last]++;
		for (int s = 0; s < 9; s++)
		{
			bool		entered = mask & (1 << s);
			bool		passed = entered || (s <= 6 && hi >= 0 && lo <= s && s <= hi);
			bool		beyond = s < 6 && hi > s;

			f->entered[s] += entered;
			f->passed[s] += passed;
			f->moved_on[s] += entered && beyond;
			f->moved_on_passed[s] += passed && beyond;
		}
	}
}

static void
test_order_and_merge(void)
{
	enum
	{
		MAX = 4000
	};
	static event ev[MAX];

	for (int round = 0; round < 20; round++)
	{
		int			n = make_events(ev, MAX, 300);
		bj_deal_log whole,
					part[3],
					merged;
		bj_funnel	f1,
					f2,
					ref;

		CHECK(mark_log(&whole, SIZE_MAX));
		/* as generated (one deal's events together), or shuffled */
		if (round % 2 == 1)
			shuffle(ev, n);
		for (int i = 0; i < n; i++)
			CHECK(bj_deal_log_add_to_marks(&whole, ev[i].entity, ev[i].stage, ev[i].at));
		CHECK(bj_deal_log_flatten(&whole));
		funnel_of(&whole, &f1);
		reference_funnel(ev, n, 300, &ref);
		CHECK(same_funnel(&f1, &ref));
		CHECK(bj_funnel_valid(&f1));

		/* shuffled, in three parts, merged through the serialised form */
		shuffle(ev, n);
		for (int p = 0; p < 3; p++)
		{
			CHECK(mark_log(&part[p], SIZE_MAX));
			part[p].chunk_records = round % 2 ? 16 : 4096;	/* marks of one deal in several packed chunks */
		}
		for (int i = 0; i < n; i++)
			CHECK(bj_deal_log_add_to_marks(&part[(int) (rng() % 3)], ev[i].entity, ev[i].stage, ev[i].at));
		CHECK(mark_log(&merged, SIZE_MAX));
		for (int p = 0; p < 3; p++)
		{
			size_t		len;
			uint8_t    *form;
			bj_packed_run run;

			CHECK(bj_deal_log_flatten(&part[p]));
			len = bj_deal_log_pack_max_size(&part[p]);
			form = malloc(len);
			CHECK(bj_deal_log_pack(&part[p], form, &len));
			CHECK_INT(bj_packed_run_decode(form, len, true, SIZE_MAX, heap, &run), BJ_DECODE_OK);
			CHECK(bj_deal_log_adopt(&merged, run));
			free(form);
			bj_deal_log_free(&part[p]);
		}
		/* read across the packed runs as they are (the leader's way), then flattened */
		{
			bj_deal_cursor cursor;
			int64_t		deal,
						previous = INT64_MIN;
			bj_mark		m;
			bool		ordered = true;

			CHECK(bj_deal_log_sort(&merged));
			bj_funnel_init(&f2);
			bj_deal_cursor_start(&merged, &cursor);
			while (bj_deal_log_next_mark(&merged, &cursor, &deal, &m))
			{
				ordered = ordered && deal > previous;
				previous = deal;
				funnel_add_mark(&f2, &m);
			}
			bj_deal_cursor_end(&merged, &cursor);
			CHECK(ordered);
			CHECK(same_funnel(&f1, &f2));
		}
		CHECK(bj_deal_log_flatten(&merged));
		funnel_of(&merged, &f2);
		CHECK(same_funnel(&f1, &f2));
		/* the same mark for every deal, in the same order */
		CHECK_INT(merged.open.count, whole.open.count);
		for (size_t i = 0; i < whole.open.count && i < merged.open.count; i++)
		{
			const bj_deal_mark *x = (const bj_deal_mark *) whole.open.records + i;
			const bj_deal_mark *y = (const bj_deal_mark *) merged.open.records + i;

			CHECK(x->deal == y->deal && same_mark(&x->mark, &y->mark));
		}
		/* funnels of disjoint halves add up */
		{
			bj_funnel	a,
						b;

			bj_funnel_init(&a);
			bj_funnel_init(&b);
			for (size_t i = 0; i < whole.open.count; i++)
			{
				const bj_deal_mark *x = (const bj_deal_mark *) whole.open.records + i;

				funnel_add_mark(x->deal % 2 ? &a : &b, &x->mark);
			}
			bj_funnel_merge(&a, &b);
			CHECK(same_funnel(&a, &f1));
		}
		bj_deal_log_free(&whole);
		bj_deal_log_free(&merged);
	}
}

static void
test_forms(void)
{
	bj_journey	j,
				back;
	uint8_t		form[BJ_FUNNEL_FORM_SIZE + 8];
	bj_funnel	f,
				g;
	char		hex[2 * BJ_JOURNEY_FORM_SIZE];
	uint8_t		raw[BJ_JOURNEY_FORM_SIZE];

	bj_journey_init(&j, BJ_STAGE_EXPLORE, -5);
	bj_journey_add(&j, BJ_STAGE_LOST, 1000000000000LL);
	bj_journey_encode(&j, form);
	CHECK_INT(bj_journey_decode(form, BJ_JOURNEY_FORM_SIZE, &back), BJ_DECODE_OK);
	CHECK(same_journey(&j, &back));
	bj_hex_encode(form, BJ_JOURNEY_FORM_SIZE, hex);
	CHECK(bj_hex_decode(hex, sizeof(hex), raw));
	CHECK(memcmp(raw, form, BJ_JOURNEY_FORM_SIZE) == 0);
	CHECK(!bj_hex_decode(hex, sizeof(hex) - 1, raw));
	hex[3] = 'g';
	CHECK(!bj_hex_decode(hex, sizeof(hex), raw));

	CHECK_INT(bj_journey_decode(form, BJ_JOURNEY_FORM_SIZE - 1, &back), BJ_DECODE_TRUNCATED);
	CHECK_INT(bj_journey_decode(form, BJ_JOURNEY_FORM_SIZE + 1, &back), BJ_DECODE_TRAILING);
	CHECK_INT(bj_journey_decode(form, 1, &back), BJ_DECODE_TRUNCATED);
	form[0] = 2;
	CHECK_INT(bj_journey_decode(form, BJ_JOURNEY_FORM_SIZE, &back), BJ_DECODE_VERSION);
	form[0] = 1;
	form[1] = BJ_FORM_FUNNEL;
	CHECK_INT(bj_journey_decode(form, BJ_JOURNEY_FORM_SIZE, &back), BJ_DECODE_KIND);
	form[1] = BJ_FORM_JOURNEY;
	form[21] = 12;				/* last stage 12 does not exist */
	CHECK_INT(bj_journey_decode(form, BJ_JOURNEY_FORM_SIZE, &back), BJ_DECODE_INCONSISTENT);

	bj_funnel_init(&f);
	bj_funnel_add(&f, &j);
	bj_funnel_encode(&f, form);
	CHECK_INT(bj_funnel_decode(form, BJ_FUNNEL_FORM_SIZE, &g), BJ_DECODE_OK);
	CHECK(same_funnel(&f, &g));
	form[9] = 5;				/* deals = 5 but current adds up to 1 */
	CHECK_INT(bj_funnel_decode(form, BJ_FUNNEL_FORM_SIZE, &g), BJ_DECODE_INCONSISTENT);

	/*
	 * every single-bit corruption of a packed mark run: an error, or a valid
	 * run in its one canonical form (packed again, the same bytes)
	 */
	{
		bj_deal_log t;
		bj_packed_run run;
		size_t		len;
		uint8_t    *tf;

		CHECK(mark_log(&t, SIZE_MAX));
		for (int e = 0; e < 5; e++)
			CHECK(bj_deal_log_add_to_marks(&t, e, e, e * 10));
		len = bj_deal_log_pack_max_size(&t);
		tf = malloc(len);
		CHECK(bj_deal_log_pack(&t, tf, &len));
		for (size_t i = 0; i < len; i++)
			for (int bit = 0; bit < 8; bit++)
			{
				tf[i] ^= (uint8_t) (1 << bit);
				if (bj_packed_run_decode(tf, len, true, SIZE_MAX, heap, &run) == BJ_DECODE_OK)
				{
					bj_deal_log u;

					CHECK(mark_log(&u, SIZE_MAX));
					CHECK(bj_deal_log_adopt(&u, run));
					CHECK(bj_deal_log_flatten(&u));
					for (size_t r = 0; r < u.open.count; r++)
					{
						const bj_deal_mark *x = (const bj_deal_mark *) u.open.records + r;

						CHECK(bj_mark_valid(&x->mark));
						CHECK(r == 0 || x[-1].deal < x->deal);
					}
					{
						size_t		again_len = bj_deal_log_pack_max_size(&u);
						uint8_t    *again = malloc(again_len);

						CHECK(again != NULL && bj_deal_log_pack(&u, again, &again_len));
						CHECK(again_len == len && memcmp(again, tf, len) == 0);
						free(again);
					}
					bj_deal_log_free(&u);
				}
				tf[i] ^= (uint8_t) (1 << bit);
			}
		/* a forged huge count is refused, not allocated */
		memset(tf + 2, 0xff, 8);
		CHECK_INT(bj_packed_run_decode(tf, len, true, SIZE_MAX, heap, &run), BJ_DECODE_TRUNCATED);
		/* an event run is not a mark run */
		CHECK_INT(bj_packed_run_decode(tf, len, false, SIZE_MAX, heap, &run), BJ_DECODE_KIND);
		free(tf);
		bj_deal_log_free(&t);
	}
}

static void
test_velocity(void)
{
	bj_velocity v,
				w;
	bj_journey	won,
				open;
	bj_decimal	thousand,
				five,
				big;
	uint8_t		form[BJ_VELOCITY_FORM_SIZE];
	uint8_t		image[BJ_VELOCITY_IMAGE_SIZE];
	double		x;
	/* a 1.2.0 image: the C struct of that version (five int64, two doubles) */
	struct
	{
		int64_t		counts[5];
		double		sums[2];
	}			old = {{2, 1, 1, 1, 1}, {1000.1, 10}};

	bj_velocity_init(&v);
	CHECK(!bj_velocity_per_day(&v, &x));
	bj_journey_init(&won, BJ_STAGE_EXPLORE, 0);
	bj_journey_add(&won, BJ_STAGE_REALIZE, INT64_C(86400000000) * 10);
	bj_journey_init(&open, BJ_STAGE_DEFINE, 0);
	CHECK(bj_decimal_parse("1000.000", &thousand) && thousand.scale == 0);
	CHECK(bj_decimal_parse("5", &five));
	CHECK(bj_velocity_add(&v, &won, &thousand));
	CHECK(bj_velocity_add(&v, &open, &five));
	CHECK(bj_velocity_per_day(&v, &x) && x == 1.0 * 1000 * 1.0 / 10);
	bj_velocity_encode(&v, form);
	CHECK_INT(bj_velocity_decode(form, sizeof(form), &w), BJ_DECODE_OK);
	CHECK(memcmp(&v, &w, sizeof(v)) == 0);
	CHECK_INT(bj_velocity_decode(form, sizeof(form) - 1, &w), BJ_DECODE_TRUNCATED);
	/* a cycle total longer than its won deals can have is refused */
	form[2 + 26] = 0x01;
	CHECK_INT(bj_velocity_decode(form, sizeof(form), &w), BJ_DECODE_INCONSISTENT);
	/* the image round-trips; a 1.2.0 image reads with exact sums */
	bj_velocity_pack(&v, image);
	CHECK(bj_velocity_unpack(image, &w) && memcmp(&v, &w, sizeof(v)) == 0);
	memcpy(image, &old, sizeof(image));
	CHECK(bj_velocity_unpack(image, &w) && w.deals == 2 && w.won == 1 &&
		  bj_sum128_get(&w.won_amount.mantissa) == 10001 && w.won_amount.scale == 1 &&
		  bj_sum128_get(&w.won_cycle_usecs) == INT64_C(864000000000));
	old.sums[0] = 1.0 / 0.0;
	memcpy(image, &old, sizeof(image));
	CHECK(!bj_velocity_unpack(image, &w));
	/* sums past 128 bits are refused, not wrapped */
	CHECK(bj_decimal_parse("1e38", &big));
	bj_velocity_init(&v);
	CHECK(bj_velocity_add(&v, &won, &big));
	CHECK(!bj_velocity_add(&v, &won, &big));
	CHECK(v.won == 1);
	CHECK(!bj_decimal_parse("1e308", &big));
	CHECK(!bj_decimal_parse("0.1e-38", &big));
	/*
	 * Counts fill 6 bytes of the image: 2^48 - 1 packs and reads back, a
	 * merge that would reach 2^48 is refused, and so is a 1.2.0 image that
	 * holds 2^48 (it was read, then packed as 0: fuzz_forms found it).
	 */
	bj_velocity_init(&v);
	v.deals = v.won = (INT64_C(1) << 48) - 1;
	CHECK(bj_velocity_valid(&v));
	bj_velocity_pack(&v, image);
	CHECK(bj_velocity_unpack(image, &w) && w.deals == v.deals && w.won == v.won);
	bj_velocity_init(&w);
	w.deals = 1;
	CHECK(!bj_velocity_merge(&v, &w));
	CHECK(v.deals == (INT64_C(1) << 48) - 1);
	memset(&old, 0, sizeof(old));
	old.counts[0] = old.counts[2] = old.counts[3] = INT64_C(1) << 48;
	memcpy(image, &old, sizeof(image));
	CHECK(!bj_velocity_unpack(image, &w));
}

static void
test_memory_bound(void)
{
	bj_deal_log t;
	bool		ok = true;
	int64_t		e;

	CHECK(mark_log(&t, 4096 * sizeof(bj_deal_mark)));
	/* in random order: the log collapses before it grows, then stops at the bound */
	for (e = 0; e < 100000 && ok; e++)
		ok = bj_deal_log_add_to_marks(&t, (e * 7919) % 100003, 1, 0);
	CHECK(!ok);
	CHECK(t.bytes <= 4096 * sizeof(bj_deal_mark));
	/* few deals with many events fit: they collapse */
	bj_deal_log_free(&t);
	CHECK(mark_log(&t, 4096 * sizeof(bj_deal_mark)));
	for (e = 0; e < 100000; e++)
		CHECK(bj_deal_log_add_to_marks(&t, (e * 7919) % 1000, (int) (e % 9), e));
	CHECK(bj_deal_log_flatten(&t));
	CHECK_INT(t.open.count, 1000);
	bj_deal_log_free(&t);
}

/*
 * A funnel read from outside must be one that deals can give: each broken
 * rule of a real funnel, planted in one, makes it invalid.
 */
static void
test_forged_counts(void)
{
	bj_funnel	real;
	bj_journey	j;

	bj_funnel_init(&real);
	memset(&j, 0, sizeof(j));
	j.entered = (1u << BJ_STAGE_EXPLORE) | (1u << BJ_STAGE_REALIZE) | (1u << BJ_STAGE_LOST);
	j.last_stage = BJ_STAGE_LOST;
	bj_funnel_add_many(&real, &j, 3);
	j.entered = 1u << BJ_STAGE_DEFINE;
	j.last_stage = BJ_STAGE_DEFINE;
	bj_funnel_add_many(&real, &j, 2);
	CHECK(bj_funnel_valid(&real));
	for (int rule = 0; rule < 4; rule++)
	{
		bj_funnel	f = real;

		switch (rule)
		{
			case 0:				/* latest at a stage never entered */
				f.current[BJ_STAGE_DEFINE]--;
				f.current[BJ_STAGE_SELECT]++;
				break;
			case 1:				/* moved on from realize */
				f.moved_on[BJ_STAGE_REALIZE] = 1;
				f.moved_on_passed[BJ_STAGE_REALIZE] = 1;
				break;
			case 2:				/* moved on from lost (passed only) */
				f.moved_on_passed[BJ_STAGE_LOST] = 1;
				break;
			default:			/* lost skipped on the way */
				f.passed[BJ_STAGE_LOST]++;
				break;
		}
		CHECK(!bj_funnel_valid(&f));
	}
}

void
test_funnel(void)
{
	test_forged_counts();
	test_order_and_merge();
	test_forms();
	test_velocity();
	test_memory_bound();
}
