/*
 * bj_deal_run.c - packed runs of a deal log: delta and varint coding.
 */
#include "bj_deal_run.h"

#include <string.h>

#include "bj_values.h"


static uint8_t *
put_uvarint(uint8_t *p, uint64_t v)
{
	while (v >= 0x80)
	{
		*p++ = (uint8_t) (v | 0x80);
		v >>= 7;
	}
	*p++ = (uint8_t) v;
	return p;
}

static uint64_t
zigzag(int64_t v)
{
	return ((uint64_t) v << 1) ^ (uint64_t) (v >> 63);
}

static int64_t
unzigzag(uint64_t v)
{
	return (int64_t) (v >> 1) ^ -(int64_t) (v & 1);
}

/* Differences wrap: the reader adds them back the same way. */
static uint64_t
delta(int64_t from, int64_t to)
{
	return (uint64_t) to - (uint64_t) from;
}

static int64_t
plus(int64_t from, uint64_t d)
{
	return (int64_t) ((uint64_t) from + d);
}

void
bj_run_writer_start(bj_run_writer *w, uint8_t *out, bool marks)
{
	w->start = out;
	w->p = out + BJ_PACKED_HEADER_SIZE;
	w->count = 0;
	w->deal = INT64_MIN;
	w->at = 0;
	w->marks = marks;
	out[0] = BJ_FORMAT_VERSION;
	out[1] = marks ? BJ_FORM_MARK_RUN : BJ_FORM_EVENT_RUN;
}

void
bj_run_write_mark(bj_run_writer *w, int64_t deal, const bj_mark *m)
{
	uint8_t    *p = w->p;

	p = put_uvarint(p, delta(w->deal, deal));
	p = put_uvarint(p, zigzag((int64_t) delta(w->at, m->last_at)));
	p = put_uvarint(p, m->entered);
	*p++ = m->last_stage;
	w->p = p;
	w->deal = deal;
	w->at = m->last_at;
	w->count++;
}

void
bj_run_write_event(bj_run_writer *w, int64_t deal, const bj_event *e)
{
	uint8_t    *p = w->p;

	p = put_uvarint(p, delta(w->deal, deal));
	p = put_uvarint(p, zigzag((int64_t) delta(w->at, e->at)));
	*p++ = e->stage;
	w->p = p;
	w->deal = deal;
	w->at = e->at;
	w->count++;
}

size_t
bj_run_writer_finish(bj_run_writer *w)
{
	uint64_t	c = w->count;

	for (int i = 9; i >= 2; i--)
	{
		w->start[i] = (uint8_t) c;
		c >>= 8;
	}
	return (size_t) (w->p - w->start);
}

/* ------------------------------------------------------------- reading */

/* A varint of a checked run. */
static uint64_t
get_uvarint(const uint8_t **pp)
{
	const uint8_t *p = *pp;
	uint64_t	v = 0;
	int			shift = 0;

	if (*p < 0x80)
	{
		*pp = p + 1;
		return *p;
	}
	while (*p & 0x80)
	{
		v |= (uint64_t) (*p++ & 0x7f) << shift;
		shift += 7;
	}
	v |= (uint64_t) *p++ << shift;
	*pp = p;
	return v;
}

void
bj_run_reader_start(bj_run_reader *r, const bj_packed_run *run)
{
	memset(r, 0, sizeof(*r));
	r->p = run->bytes + BJ_PACKED_HEADER_SIZE;
	r->remaining = run->count;
	r->deal = INT64_MIN;
	r->at = 0;
	r->marks = run->marks;
	bj_run_reader_next(r);
}

bool
bj_run_reader_next(bj_run_reader *r)
{
	const uint8_t *p = r->p;

	if (r->remaining == 0)
		return r->valid = false;
	r->remaining--;
	r->deal = plus(r->deal, get_uvarint(&p));
	r->at = plus(r->at, (uint64_t) unzigzag(get_uvarint(&p)));
	if (r->marks)
	{
		r->mark.last_at = r->at;
		r->mark.entered = (bj_value_set) get_uvarint(&p);
		r->mark.last_stage = *p++;
	}
	else
	{
		r->event.at = r->at;
		r->event.stage = *p++;
	}
	r->p = p;
	return r->valid = true;
}

/* ------------------------------------------------------------- checking */

/* A canonical varint inside [p, end): no overlong form, at most 64 bits. */
static bool
check_uvarint(const uint8_t **pp, const uint8_t *end, uint64_t *out)
{
	const uint8_t *p = *pp;
	uint64_t	v = 0;

	if (p < end && *p < 0x80)
	{
		*out = *p;
		*pp = p + 1;
		return true;
	}
	for (int i = 0; i < 10; i++)
	{
		uint8_t		b;

		if (p >= end)
			return false;
		b = *p++;
		if (i == 9 && b > 1)
			return false;
		v |= (uint64_t) (b & 0x7f) << (7 * i);
		if (!(b & 0x80))
		{
			if (b == 0 && i > 0)
				return false;	/* overlong: the same value has a shorter form */
			*pp = p;
			*out = v;
			return true;
		}
	}
	return false;
}

bj_decode_error
bj_packed_run_check(const uint8_t *bytes, size_t len, bool marks, uint64_t *count)
{
	const uint8_t *p = bytes + BJ_PACKED_HEADER_SIZE;
	const uint8_t *end = bytes + len;
	uint64_t	n = 0;
	uint64_t	key = 0;		/* the deal as an unsigned key: order is checked on it */
	int64_t		at = 0;

	if (len < 2)
		return BJ_DECODE_TRUNCATED;
	if (bytes[0] != BJ_FORMAT_VERSION)
		return BJ_DECODE_VERSION;
	if (bytes[1] != (marks ? BJ_FORM_MARK_RUN : BJ_FORM_EVENT_RUN))
		return BJ_DECODE_KIND;
	if (len < BJ_PACKED_HEADER_SIZE)
		return BJ_DECODE_TRUNCATED;
	for (int i = 2; i < 10; i++)
		n = n << 8 | bytes[i];
	/* each record takes at least 3 bytes: a forged count is refused before any work */
	if (n > (len - BJ_PACKED_HEADER_SIZE) / 3)
		return BJ_DECODE_TRUNCATED;
	for (uint64_t i = 0; i < n; i++)
	{
		uint64_t	d,
					z;

		if (!check_uvarint(&p, end, &d) || !check_uvarint(&p, end, &z))
			return BJ_DECODE_TRUNCATED;
		/* in deal order (no wrap past the largest deal); marks: one per deal */
		if (d > UINT64_MAX - key || (marks && i > 0 && d == 0))
			return BJ_DECODE_INCONSISTENT;
		key += d;
		at = plus(at, (uint64_t) unzigzag(z));
		if (marks)
		{
			uint64_t	entered;
			bj_mark		m;

			if (!check_uvarint(&p, end, &entered) || p >= end)
				return BJ_DECODE_TRUNCATED;
			if (entered > UINT16_MAX)
				return BJ_DECODE_INCONSISTENT;
			m.last_at = at;
			m.entered = (bj_value_set) entered;
			m.last_stage = *p++;
			if (!bj_mark_valid(&m))
				return BJ_DECODE_INCONSISTENT;
		}
		else
		{
			if (p >= end)
				return BJ_DECODE_TRUNCATED;
			if (*p++ >= BJ_STAGE_COUNT)
				return BJ_DECODE_INCONSISTENT;
		}
	}
	if (p != end)
		return BJ_DECODE_TRAILING;
	*count = n;
	return BJ_DECODE_OK;
}
