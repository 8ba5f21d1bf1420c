/*
 * bj_encode.c - versioned, big-endian, validated state forms.
 */
#include "bj_encode.h"

#include <string.h>

void
bj_put_u64(uint8_t *p, uint64_t v)
{
	for (int i = 7; i >= 0; i--)
	{
		p[i] = (uint8_t) v;
		v >>= 8;
	}
}

uint64_t
bj_get_u64(const uint8_t *p)
{
	uint64_t	v = 0;

	for (int i = 0; i < 8; i++)
		v = (v << 8) | p[i];
	return v;
}

static bj_decode_error
check_header(const uint8_t *in, size_t len, int version, bj_form_kind kind)
{
	if (len < 2)
		return BJ_DECODE_TRUNCATED;
	if (in[0] != version)
		return BJ_DECODE_VERSION;
	if (in[1] != kind)
		return BJ_DECODE_KIND;
	return BJ_DECODE_OK;
}

/* The header of a fixed-size form of one format version, and its exact length. */
static bj_decode_error
check_fixed_version(const uint8_t *in, size_t len, int version, bj_form_kind kind, size_t size)
{
	bj_decode_error e = check_header(in, len, version, kind);

	if (e != BJ_DECODE_OK)
		return e;
	if (len < size)
		return BJ_DECODE_TRUNCATED;
	if (len > size)
		return BJ_DECODE_TRAILING;
	return BJ_DECODE_OK;
}

static bj_decode_error
check_fixed(const uint8_t *in, size_t len, bj_form_kind kind, size_t size)
{
	return check_fixed_version(in, len, BJ_FORMAT_VERSION, kind, size);
}

const char *
bj_decode_error_message(bj_decode_error e)
{
	switch (e)
	{
		case BJ_DECODE_OK:
			return "no error";
		case BJ_DECODE_TRUNCATED:
			return "the value is truncated";
		case BJ_DECODE_TRAILING:
			return "the value has trailing bytes";
		case BJ_DECODE_VERSION:
			return "the value has an unknown format version";
		case BJ_DECODE_KIND:
			return "the value is another kind of state";
		case BJ_DECODE_INCONSISTENT:
			return "the value's fields are inconsistent";
		case BJ_DECODE_NO_MEMORY:
			return "the value exceeds the state memory bound";
		case BJ_DECODE_INTERRUPTED:
			return "reading the value was interrupted";
	}
	return "unknown error";
}

/* The journey fields without the header: 20 bytes. */
static void
journey_fields_encode(const bj_journey *j, uint8_t *p)
{
	bj_put_u64(p, (uint64_t) j->first_at);
	bj_put_u64(p + 8, (uint64_t) j->last_at);
	p[16] = (uint8_t) (j->entered >> 8);
	p[17] = (uint8_t) j->entered;
	p[18] = j->first_stage;
	p[19] = j->last_stage;
}

static bool
journey_fields_decode(const uint8_t *p, bj_journey *j)
{
	j->first_at = (int64_t) bj_get_u64(p);
	j->last_at = (int64_t) bj_get_u64(p + 8);
	j->entered = (bj_value_set) ((p[16] << 8) | p[17]);
	j->first_stage = p[18];
	j->last_stage = p[19];
	return bj_journey_valid(j);
}

void
bj_journey_encode(const bj_journey *j, uint8_t out[BJ_JOURNEY_FORM_SIZE])
{
	out[0] = BJ_FORMAT_VERSION;
	out[1] = BJ_FORM_JOURNEY;
	journey_fields_encode(j, out + 2);
}

bj_decode_error
bj_journey_decode(const uint8_t *in, size_t len, bj_journey *j)
{
	bj_decode_error e = check_fixed(in, len, BJ_FORM_JOURNEY, BJ_JOURNEY_FORM_SIZE);

	if (e != BJ_DECODE_OK)
		return e;
	return journey_fields_decode(in + 2, j) ? BJ_DECODE_OK : BJ_DECODE_INCONSISTENT;
}

void
bj_funnel_encode(const bj_funnel *f, uint8_t out[BJ_FUNNEL_FORM_SIZE])
{
	const int64_t *arrays[5] = {f->entered, f->passed, f->moved_on, f->moved_on_passed, f->current};
	uint8_t    *p = out + 10;

	out[0] = BJ_FORMAT_VERSION;
	out[1] = BJ_FORM_FUNNEL;
	bj_put_u64(out + 2, (uint64_t) f->deals);
	for (int a = 0; a < 5; a++)
		for (int s = 0; s < BJ_STAGE_COUNT; s++, p += 8)
			bj_put_u64(p, (uint64_t) arrays[a][s]);
}

bj_decode_error
bj_funnel_decode(const uint8_t *in, size_t len, bj_funnel *f)
{
	int64_t    *arrays[5] = {f->entered, f->passed, f->moved_on, f->moved_on_passed, f->current};
	const uint8_t *p = in + 10;
	bj_decode_error e = check_fixed(in, len, BJ_FORM_FUNNEL, BJ_FUNNEL_FORM_SIZE);

	if (e != BJ_DECODE_OK)
		return e;
	f->deals = (int64_t) bj_get_u64(in + 2);
	for (int a = 0; a < 5; a++)
		for (int s = 0; s < BJ_STAGE_COUNT; s++, p += 8)
			arrays[a][s] = (int64_t) bj_get_u64(p);
	return bj_funnel_valid(f) ? BJ_DECODE_OK : BJ_DECODE_INCONSISTENT;
}

/* doubles travel as their IEEE 754 bits, big-endian like the integers */
static uint64_t
double_bits(double d)
{
	uint64_t	bits;

	memcpy(&bits, &d, sizeof(bits));
	return bits;
}

static double
bits_double(uint64_t bits)
{
	double		d;

	memcpy(&d, &bits, sizeof(d));
	return d;
}

/*
 * velocity: format 2 (1.3.0) is the header and the packed image; format 1
 * (1.0.0 to 1.2.0) held five int64 counts and two double sums, read into
 * exact sums as the image of those versions is.
 */
#define VELOCITY_FORMAT 2

void
bj_velocity_encode(const bj_velocity *v, uint8_t out[BJ_VELOCITY_FORM_SIZE])
{
	out[0] = VELOCITY_FORMAT;
	out[1] = BJ_FORM_VELOCITY;
	bj_velocity_pack(v, out + 2);
}

bj_decode_error
bj_velocity_decode(const uint8_t *in, size_t len, bj_velocity *v)
{
	bj_decode_error e;

	if (len >= 1 && in[0] == VELOCITY_FORMAT)
	{
		e = check_fixed_version(in, len, VELOCITY_FORMAT, BJ_FORM_VELOCITY, BJ_VELOCITY_FORM_SIZE);
		if (e != BJ_DECODE_OK)
			return e;
		/* a format-1 layout inside a format-2 header is not a velocity */
		if (!bj_velocity_image_is_packed(in + 2))
			return BJ_DECODE_INCONSISTENT;
		return bj_velocity_unpack(in + 2, v) ? BJ_DECODE_OK : BJ_DECODE_INCONSISTENT;
	}
	e = check_fixed(in, len, BJ_FORM_VELOCITY, BJ_VELOCITY_FORM_SIZE);
	if (e != BJ_DECODE_OK)
		return e;
	bj_velocity_init(v);
	v->deals = (int64_t) bj_get_u64(in + 2);
	v->open = (int64_t) bj_get_u64(in + 10);
	v->won = (int64_t) bj_get_u64(in + 18);
	v->won_with_amount = (int64_t) bj_get_u64(in + 34);
	if (bj_get_u64(in + 26) != (uint64_t) v->deals - (uint64_t) v->open ||
		!bj_velocity_from_doubles(v, bits_double(bj_get_u64(in + 42)), bits_double(bj_get_u64(in + 50))))
		return BJ_DECODE_INCONSISTENT;
	return bj_velocity_valid(v) ? BJ_DECODE_OK : BJ_DECODE_INCONSISTENT;
}

/* ---------------------------------------------------------------- models */

void
bj_put_u32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t) (v >> 24);
	p[1] = (uint8_t) (v >> 16);
	p[2] = (uint8_t) (v >> 8);
	p[3] = (uint8_t) v;
}

uint32_t
bj_get_u32(const uint8_t *p)
{
	return (uint32_t) p[0] << 24 | (uint32_t) p[1] << 16 | (uint32_t) p[2] << 8 | p[3];
}

static void
put_doubles(uint8_t *p, const double *v, int n)
{
	for (int i = 0; i < n; i++)
		bj_put_u64(p + 8 * i, double_bits(v[i]));
}

static void
get_doubles(const uint8_t *p, double *v, int n)
{
	for (int i = 0; i < n; i++)
		v[i] = bits_double(bj_get_u64(p + 8 * i));
}

void
bj_bgnbd_model_encode(const bj_bgnbd_model *m, uint8_t out[BJ_BGNBD_MODEL_FORM_SIZE])
{
	double		v[7] = {m->par.r, m->par.alpha, m->par.a, m->par.b, m->loglik, m->customers, m->gnorm};

	out[0] = BJ_FORMAT_VERSION;
	out[1] = BJ_FORM_BGNBD_MODEL;
	put_doubles(out + 2, v, 7);
	bj_put_u64(out + 58, (uint64_t) m->unit.usecs);
	bj_put_u32(out + 66, (uint32_t) m->unit.months);
	bj_put_u32(out + 70, (uint32_t) m->iterations);
	bj_put_u32(out + 74, (uint32_t) m->converged);
}

bj_decode_error
bj_bgnbd_model_decode(const uint8_t *in, size_t len, bj_bgnbd_model *m)
{
	bj_decode_error e = check_fixed(in, len, BJ_FORM_BGNBD_MODEL, BJ_BGNBD_MODEL_FORM_SIZE);
	double		v[7];

	if (e != BJ_DECODE_OK)
		return e;
	memset(m, 0, sizeof(*m));
	get_doubles(in + 2, v, 7);
	m->par = (bj_bgnbd_params) {v[0], v[1], v[2], v[3]};
	m->loglik = v[4];
	m->customers = v[5];
	m->gnorm = v[6];
	m->unit.usecs = (int64_t) bj_get_u64(in + 58);
	m->unit.months = (int32_t) bj_get_u32(in + 66);
	m->iterations = (int32_t) bj_get_u32(in + 70);
	m->converged = (int32_t) bj_get_u32(in + 74);
	return bj_bgnbd_model_valid(m) ? BJ_DECODE_OK : BJ_DECODE_INCONSISTENT;
}

void
bj_gg_model_encode(const bj_gg_model *m, uint8_t out[BJ_GG_MODEL_FORM_SIZE])
{
	double		v[6] = {m->par.p, m->par.q, m->par.v, m->loglik, m->customers, m->gnorm};

	out[0] = BJ_FORMAT_VERSION;
	out[1] = BJ_FORM_GG_MODEL;
	put_doubles(out + 2, v, 6);
	bj_put_u32(out + 50, (uint32_t) m->iterations);
	bj_put_u32(out + 54, (uint32_t) m->converged);
}

bj_decode_error
bj_gg_model_decode(const uint8_t *in, size_t len, bj_gg_model *m)
{
	bj_decode_error e = check_fixed(in, len, BJ_FORM_GG_MODEL, BJ_GG_MODEL_FORM_SIZE);
	double		v[6];

	if (e != BJ_DECODE_OK)
		return e;
	memset(m, 0, sizeof(*m));
	get_doubles(in + 2, v, 6);
	m->par = (bj_gg_params) {v[0], v[1], v[2]};
	m->loglik = v[3];
	m->customers = v[4];
	m->gnorm = v[5];
	m->iterations = (int32_t) bj_get_u32(in + 50);
	m->converged = (int32_t) bj_get_u32(in + 54);
	return bj_gg_model_valid(m) ? BJ_DECODE_OK : BJ_DECODE_INCONSISTENT;
}

/* ------------------------------------------------------------ deal runs */

bj_decode_error
bj_packed_run_decode(const uint8_t *in, size_t len, bool marks, size_t max_bytes,
					 bj_allocator allocator, bj_packed_run *run)
{
	bj_decode_error e = bj_packed_run_check(in, len, marks, &run->count);

	run->bytes = NULL;
	if (e != BJ_DECODE_OK)
		return e;
	if (len > max_bytes)
		return BJ_DECODE_NO_MEMORY;
	run->bytes = allocator.alloc(allocator.context, len);
	if (run->bytes == NULL)
		return BJ_DECODE_NO_MEMORY;
	memcpy(run->bytes, in, len);
	run->len = len;
	run->marks = marks;
	run->borrowed = false;
	return BJ_DECODE_OK;
}

/* ------------------------------------------- stage durations, window counts */

static void
put_sum(uint8_t *p, const bj_sum128 *s)
{
	bj_put_u64(p, (uint64_t) s->hi);
	bj_put_u64(p + 8, s->lo);
}

static void
get_sum(const uint8_t *p, bj_sum128 *s)
{
	s->hi = (int64_t) bj_get_u64(p);
	s->lo = bj_get_u64(p + 8);
}

void
bj_stage_durations_encode(const bj_stage_durations *d, uint8_t out[BJ_STAGE_DURATIONS_FORM_SIZE])
{
	uint8_t    *p = out + 18;

	out[0] = BJ_FORMAT_VERSION;
	out[1] = BJ_FORM_STAGE_DURATIONS;
	bj_put_u64(out + 2, (uint64_t) d->as_of);
	bj_put_u64(out + 10, (uint64_t) d->deals);
	for (int s = 0; s < BJ_STAGE_COUNT; s++, p += 56)
	{
		bj_put_u64(p, (uint64_t) d->visits[s]);
		bj_put_u64(p + 8, (uint64_t) d->left[s]);
		put_sum(p + 16, &d->left_time[s]);
		bj_put_u64(p + 32, (uint64_t) d->open[s]);
		put_sum(p + 40, &d->open_time[s]);
	}
}

bj_decode_error
bj_stage_durations_decode(const uint8_t *in, size_t len, bj_stage_durations *d)
{
	bj_decode_error e = check_fixed(in, len, BJ_FORM_STAGE_DURATIONS, BJ_STAGE_DURATIONS_FORM_SIZE);
	const uint8_t *p = in + 18;

	if (e != BJ_DECODE_OK)
		return e;
	d->as_of = (int64_t) bj_get_u64(in + 2);
	d->deals = (int64_t) bj_get_u64(in + 10);
	for (int s = 0; s < BJ_STAGE_COUNT; s++, p += 56)
	{
		d->visits[s] = (int64_t) bj_get_u64(p);
		d->left[s] = (int64_t) bj_get_u64(p + 8);
		get_sum(p + 16, &d->left_time[s]);
		d->open[s] = (int64_t) bj_get_u64(p + 32);
		get_sum(p + 40, &d->open_time[s]);
	}
	return bj_stage_durations_valid(d) ? BJ_DECODE_OK : BJ_DECODE_INCONSISTENT;
}

void
bj_window_counts_encode(const bj_window_counts *w, uint8_t out[BJ_WINDOW_COUNTS_FORM_SIZE])
{
	uint8_t    *p = out + 28;

	out[0] = BJ_FORMAT_VERSION;
	out[1] = BJ_FORM_WINDOW_COUNTS;
	bj_put_u64(out + 2, (uint64_t) w->window);
	out[10] = (uint8_t) w->nsteps;
	out[11] = (uint8_t) w->flags;
	memcpy(out + 12, w->steps, BJ_MAX_STEPS);
	bj_put_u64(p, (uint64_t) w->deals);
	p += 8;
	for (int k = 0; k < BJ_MAX_STEPS; k++, p += 24)
	{
		bj_put_u64(p, (uint64_t) w->reached[k]);
		put_sum(p + 8, &w->step_time[k]);
	}
}

bj_decode_error
bj_window_counts_decode(const uint8_t *in, size_t len, bj_window_counts *w)
{
	bj_decode_error e = check_fixed(in, len, BJ_FORM_WINDOW_COUNTS, BJ_WINDOW_COUNTS_FORM_SIZE);
	const uint8_t *p = in + 36;

	if (e != BJ_DECODE_OK)
		return e;
	memset(w, 0, sizeof(*w));
	w->window = (int64_t) bj_get_u64(in + 2);
	w->nsteps = in[10];
	w->flags = in[11];
	memcpy(w->steps, in + 12, BJ_MAX_STEPS);
	w->deals = (int64_t) bj_get_u64(in + 28);
	for (int k = 0; k < BJ_MAX_STEPS; k++, p += 24)
	{
		w->reached[k] = (int64_t) bj_get_u64(p);
		get_sum(p + 8, &w->step_time[k]);
	}
	return bj_window_counts_valid(w) ? BJ_DECODE_OK : BJ_DECODE_INCONSISTENT;
}

void
bj_hex_encode(const uint8_t *in, size_t len, char *out)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < len; i++)
	{
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 15];
	}
}

static int
hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

bool
bj_hex_decode(const char *in, size_t len, uint8_t *out)
{
	if (len % 2 != 0)
		return false;
	for (size_t i = 0; i < len / 2; i++)
	{
		int			hi = hex_value(in[2 * i]);
		int			lo = hex_value(in[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return false;
		out[i] = (uint8_t) (hi << 4 | lo);
	}
	return true;
}
