/*
 * bj_deal_set.c - packed sets of deals (bj_deal_set.h).
 */
#include "bj_deal_set.h"

#include "bj_deal_log.h"
#include "bj_interrupt.h"
#include "bj_varint.h"

static uint64_t
key_of(int64_t deal)
{
	return (uint64_t) deal - (uint64_t) INT64_MIN;
}

static int64_t
deal_of(uint64_t key)
{
	return (int64_t) (key + (uint64_t) INT64_MIN);
}

size_t
bj_deal_set_encode(const int64_t *deals, size_t n, uint8_t *out)
{
	uint8_t    *p = bj_put_uvarint(out, n);
	uint64_t	key = 0;

	for (size_t i = 0; i < n; i++)
	{
		p = bj_put_uvarint(p, key_of(deals[i]) - key);
		key = key_of(deals[i]);
	}
	return (size_t) (p - out);
}

bj_decode_error
bj_deal_set_check(const uint8_t *in, size_t len, size_t *used, uint64_t *n)
{
	const uint8_t *p = in;
	const uint8_t *end = in + len;
	uint64_t	count;
	uint64_t	key = 0;

	if (!bj_check_uvarint(&p, end, &count))
		return BJ_DECODE_TRUNCATED;
	/* a forged count is refused before any work: a deal takes a byte at least */
	if (count > (uint64_t) (end - p))
		return BJ_DECODE_TRUNCATED;
	for (uint64_t i = 0; i < count; i++)
	{
		uint64_t	gap;

		if (bj_interrupted_every(i))
			return BJ_DECODE_INTERRUPTED;
		if (!bj_check_uvarint(&p, end, &gap))
			return BJ_DECODE_TRUNCATED;
		/* each deal once, in order, none past the largest */
		if ((i > 0 && gap == 0) || gap > UINT64_MAX - key)
			return BJ_DECODE_INCONSISTENT;
		key += gap;
	}
	*used = (size_t) (p - in);
	*n = count;
	return BJ_DECODE_OK;
}

uint64_t
bj_deal_set_count(const uint8_t *in)
{
	return bj_get_uvarint(&in);
}

bool
bj_deal_set_decode(const uint8_t *in, int64_t *out)
{
	const uint8_t *p = in;
	uint64_t	count = bj_get_uvarint(&p);
	uint64_t	key = 0;

	for (uint64_t i = 0; i < count; i++)
	{
		if (bj_interrupted_every(i))
			return false;
		key += bj_get_uvarint(&p);
		out[i] = deal_of(key);
	}
	return true;
}

bj_deals_check
bj_deals_distinct(int64_t *deals, int64_t *scratch, size_t n, int64_t *repeated)
{
	if (bj_interrupted())
		return BJ_DEALS_INTERRUPTED;
	bj_sort_by_deal((uint8_t *) deals, (uint8_t *) scratch, n, sizeof(int64_t));
	for (size_t i = 1; i < n; i++)
	{
		if (bj_interrupted_every(i))
			return BJ_DEALS_INTERRUPTED;
		if (deals[i] == deals[i - 1])
		{
			*repeated = deals[i];
			return BJ_DEALS_REPEATED;
		}
	}
	return BJ_DEALS_DISTINCT;
}
