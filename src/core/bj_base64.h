/*
 * bj_base64.h - base64 (RFC 4648, padded) for the text form of a state whose
 * size follows the number of deals: Citus ships a partial state as its text
 * form, and base64 is two thirds of hex.
 *
 * Plain C.  Decoding is strict (no whitespace, canonical padding and final
 * bits), so a text form reads back to one value and writes out the same.
 */
#ifndef BJ_BASE64_H
#define BJ_BASE64_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Characters that len bytes take (no terminator). */
static inline size_t
bj_base64_encoded_size(size_t len)
{
	return (len + 2) / 3 * 4;
}

extern void bj_base64_encode(const uint8_t *in, size_t len, char *out);

/*
 * Bytes written to out (room for text_len / 4 * 3), or false when the text
 * is not canonical base64.
 */
extern bool bj_base64_decode(const char *text, size_t text_len, uint8_t *out, size_t *len);

#endif							/* BJ_BASE64_H */
