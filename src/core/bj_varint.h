/*
 * bj_varint.h - unsigned LEB128 varints, as the packed forms of deal logs
 * (bj_deal_run.c) and deal sets (bj_deal_set.c) write them.
 *
 * Plain C.  Reading a form from outside uses bj_check_uvarint, which refuses
 * overlong forms (a value has one form only) and values past 64 bits;
 * bj_get_uvarint is for forms already checked.
 */
#ifndef BJ_VARINT_H
#define BJ_VARINT_H

#include <stdbool.h>
#include <stdint.h>

/* Up to 10 bytes. */
static inline uint8_t *
bj_put_uvarint(uint8_t *p, uint64_t v)
{
	while (v >= 0x80)
	{
		*p++ = (uint8_t) (v | 0x80);
		v >>= 7;
	}
	*p++ = (uint8_t) v;
	return p;
}

/* A varint of a checked form. */
static inline uint64_t
bj_get_uvarint(const uint8_t **pp)
{
	const uint8_t *p = *pp;
	uint64_t	v = 0;
	int			shift = 0;

	while (*p & 0x80)
	{
		v |= (uint64_t) (*p++ & 0x7f) << shift;
		shift += 7;
	}
	v |= (uint64_t) *p++ << shift;
	*pp = p;
	return v;
}

/* A canonical varint inside [*pp, end): no overlong form, at most 64 bits. */
static inline bool
bj_check_uvarint(const uint8_t **pp, const uint8_t *end, uint64_t *out)
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

#endif							/* BJ_VARINT_H */
