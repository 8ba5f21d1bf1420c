/*
 * bj_deal_set.h - a set of deals in its packed form: how a partial state of
 * whole deals says which deals it has summarised, so that merging two that
 * share a deal is caught instead of counting the deal twice.
 *
 * Plain C.  Form: the count as a uvarint, then each deal's key (the deal as
 * an unsigned number, INT64_MIN as 0) as the uvarint gap from the key before
 * (the first from 0): strictly increasing, so a form reads back to one set.
 * Deals a few apart (a shard's share of dense ids) take a byte each.
 */
#ifndef BJ_DEAL_SET_H
#define BJ_DEAL_SET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bj_form.h"

/* Bytes that the form of n deals takes at most. */
static inline size_t
bj_deal_set_max_size(size_t n)
{
	return 10 + 10 * n;
}

/* deals: strictly increasing.  Returns the form's length. */
extern size_t bj_deal_set_encode(const int64_t *deals, size_t n, uint8_t *out);

/*
 * Checks the form at the start of [in, in + len): *used its length, *n its
 * deals.  What follows it is not read.  BJ_DECODE_INTERRUPTED when the host
 * asks it to stop (bj_interrupt.h).
 */
extern bj_decode_error bj_deal_set_check(const uint8_t *in, size_t len, size_t *used, uint64_t *n);

/* The number of deals of a checked form. */
extern uint64_t bj_deal_set_count(const uint8_t *in);

/* The deals of a checked form, in order, into out (room for its count); false if interrupted. */
extern bool bj_deal_set_decode(const uint8_t *in, int64_t *out);

typedef enum bj_deals_check
{
	BJ_DEALS_DISTINCT,
	BJ_DEALS_REPEATED,			/* *repeated: the least deal there twice */
	BJ_DEALS_INTERRUPTED
} bj_deals_check;

/* Sorts deals (scratch: room for as many) and tells whether each is there once. */
extern bj_deals_check bj_deals_distinct(int64_t *deals, int64_t *scratch, size_t n, int64_t *repeated);

#endif							/* BJ_DEAL_SET_H */
