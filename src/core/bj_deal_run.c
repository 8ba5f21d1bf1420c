/*
 * bj_deal_run.c - packed runs of a deal log: tagged records of deltas.
 */
#include "bj_deal_run.h"

#include <string.h>

#include "bj_values.h"
#include "bj_varint.h"

/* The tag byte: stage, length of the time delta, and the deal flag. */
#define TAG_STAGE_MASK 0x0f
#define TAG_LENGTH_SHIFT 4
#define TAG_DEAL_FLAG 0x80

/* Records of the two kinds take at least this many bytes (tag, entered, time). */
#define MIN_MARK_RECORD 3
#define MIN_EVENT_RECORD 2

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define LITTLE_ENDIAN_WORDS 1
#endif

/* Bytes that hold v: 1 to 8. */
static int
byte_length(uint64_t v)
{
	return v == 0 ? 1 : (64 - __builtin_clzll(v) + 7) / 8;
}

/*
 * v's len low bytes, little-endian.  The writer always has
 * BJ_PACKED_MAX_RECORD bytes of room, so on a little-endian machine one
 * 8-byte store does it.
 */
static uint8_t *
put_le(uint8_t *p, uint64_t v, int len)
{
#ifdef LITTLE_ENDIAN_WORDS
	memcpy(p, &v, sizeof(v));
#else
	for (int i = 0; i < len; i++)
		p[i] = (uint8_t) (v >> (8 * i));
#endif
	return p + len;
}

/* len (1 to 8) little-endian bytes; end bounds what may be read. */
static uint64_t
get_le(const uint8_t *p, int len, const uint8_t *end)
{
	uint64_t	v = 0;

#ifdef LITTLE_ENDIAN_WORDS
	if (end - p >= 8)
	{
		memcpy(&v, p, sizeof(v));
		return len == 8 ? v : v & ((UINT64_C(1) << (8 * len)) - 1);
	}
#else
	(void) end;
#endif
	for (int i = 0; i < len; i++)
		v |= (uint64_t) p[i] << (8 * i);
	return v;
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

/*
 * The deal step the tag's flag stands for: the next deal for marks (one
 * record per deal), the same deal for events.
 */
static uint64_t
flagged_deal_step(bool marks)
{
	return marks ? 1 : 0;
}

/* The tag byte of a record. */
static uint8_t
tag(int stage, int time_length, bool deal_flag)
{
	return (uint8_t) (stage | (time_length - 1) << TAG_LENGTH_SHIFT | (deal_flag ? TAG_DEAL_FLAG : 0));
}

/*
 * A mark's stages entered in one byte: its last stage is always among them
 * (bj_mark_valid), so only the other eight stages are written, the bits
 * above the last stage moved down by one.  Every byte reads back as a valid
 * set, and the record is a byte shorter (a funnel twin ships about 12 bytes
 * a deal instead of 13).
 */
static uint8_t
entered_byte(bj_value_set entered, int last_stage)
{
	unsigned	below = (1u << last_stage) - 1;

	return (uint8_t) ((entered & below) | ((entered >> 1) & ~below));
}

static bj_value_set
entered_of_byte(uint8_t b, int last_stage)
{
	unsigned	below = (1u << last_stage) - 1;

	return (bj_value_set) ((b & below) | (1u << last_stage) | (((unsigned) b & ~below) << 1));
}

/* One record of either kind; entered is written for marks only. */
static void
write_record(bj_run_writer *w, int64_t deal, int stage, int64_t at, bj_value_set entered)
{
	uint8_t    *p = w->p;
	uint64_t	d = delta(w->deal, deal);
	bool		flagged = d == flagged_deal_step(w->marks);
	uint64_t	z = zigzag((int64_t) delta(w->at, at));
	int			len = byte_length(z);

	*p++ = tag(stage, len, flagged);
	if (w->marks)
		*p++ = entered_byte(entered, stage);
	if (!flagged)
		p = bj_put_uvarint(p, d);
	w->p = put_le(p, z, len);
	w->deal = deal;
	w->at = at;
	w->count++;
}

void
bj_run_write_mark(bj_run_writer *w, int64_t deal, const bj_mark *m)
{
	write_record(w, deal, m->last_stage, m->last_at, m->entered);
}

void
bj_run_write_event(bj_run_writer *w, int64_t deal, const bj_event *e)
{
	write_record(w, deal, e->stage, e->at, 0);
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

uint64_t
bj_packed_run_count(const uint8_t *bytes)
{
	uint64_t	n = 0;

	for (int i = 2; i < BJ_PACKED_HEADER_SIZE; i++)
		n = n << 8 | bytes[i];
	return n;
}

/* ------------------------------------------------------------- reading */

static int
tag_time_length(uint8_t t)
{
	return ((t >> TAG_LENGTH_SHIFT) & 7) + 1;
}

void
bj_run_reader_start(bj_run_reader *r, const bj_packed_run *run)
{
	memset(r, 0, sizeof(*r));
	r->p = run->bytes + BJ_PACKED_HEADER_SIZE;
	r->end = run->bytes + run->len;
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
	uint8_t		t;
	int			len;

	if (r->remaining == 0)
		return r->valid = false;
	r->remaining--;
	t = *p++;
	len = tag_time_length(t);
	if (r->marks)
	{
		r->mark.last_stage = t & TAG_STAGE_MASK;
		r->mark.entered = entered_of_byte(*p++, r->mark.last_stage);
	}
	else
		r->event.stage = t & TAG_STAGE_MASK;
	r->deal = plus(r->deal, (t & TAG_DEAL_FLAG) ? flagged_deal_step(r->marks) : bj_get_uvarint(&p));
	r->at = plus(r->at, (uint64_t) unzigzag(get_le(p, len, r->end)));
	r->mark.last_at = r->at;
	r->event.at = r->at;
	r->p = p + len;
	return r->valid = true;
}

/* ------------------------------------------------------------- checking */

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
	n = bj_packed_run_count(bytes);
	/* a forged count is refused before any work */
	if (n > (len - BJ_PACKED_HEADER_SIZE) / (marks ? MIN_MARK_RECORD : MIN_EVENT_RECORD))
		return BJ_DECODE_TRUNCATED;
	for (uint64_t i = 0; i < n; i++)
	{
		uint8_t		t;
		int			tlen;
		uint64_t	d;
		uint64_t	z;
		bool		flag;

		if (p >= end)
			return BJ_DECODE_TRUNCATED;
		t = *p++;
		tlen = tag_time_length(t);
		flag = (t & TAG_DEAL_FLAG) != 0;
		if ((t & TAG_STAGE_MASK) >= BJ_STAGE_COUNT)
			return BJ_DECODE_INCONSISTENT;
		if (marks)
		{
			bj_mark		m;

			if (p >= end)
				return BJ_DECODE_TRUNCATED;
			m.last_stage = t & TAG_STAGE_MASK;
			m.entered = entered_of_byte(*p++, m.last_stage);
			if (!bj_mark_valid(&m))
				return BJ_DECODE_INCONSISTENT;
		}
		if (flag)
			d = flagged_deal_step(marks);
		else
		{
			if (!bj_check_uvarint(&p, end, &d))
				return BJ_DECODE_TRUNCATED;
			/* the flag's value has one form only */
			if (d == flagged_deal_step(marks))
				return BJ_DECODE_INCONSISTENT;
		}
		/* in deal order (no wrap past the largest deal); marks: one per deal */
		if (d > UINT64_MAX - key || (marks && i > 0 && d == 0))
			return BJ_DECODE_INCONSISTENT;
		key += d;
		if (end - p < tlen)
			return BJ_DECODE_TRUNCATED;
		z = get_le(p, tlen, end);
		p += tlen;
		/* the shortest length only */
		if (tlen > 1 && (z >> (8 * (tlen - 1))) == 0)
			return BJ_DECODE_INCONSISTENT;
		at = plus(at, (uint64_t) unzigzag(z));
	}
	if (p != end)
		return BJ_DECODE_TRAILING;
	*count = n;
	return BJ_DECODE_OK;
}
