/*
 * bj_base64.c - strict base64 (bj_base64.h).
 */
#include "bj_base64.h"

static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void
bj_base64_encode(const uint8_t *in, size_t len, char *out)
{
	size_t		i = 0;

	for (; i + 3 <= len; i += 3, out += 4)
	{
		uint32_t	v = (uint32_t) in[i] << 16 | (uint32_t) in[i + 1] << 8 | in[i + 2];

		out[0] = alphabet[v >> 18];
		out[1] = alphabet[(v >> 12) & 63];
		out[2] = alphabet[(v >> 6) & 63];
		out[3] = alphabet[v & 63];
	}
	if (i < len)
	{
		uint32_t	v = (uint32_t) in[i] << 16 | (i + 1 < len ? (uint32_t) in[i + 1] << 8 : 0);

		out[0] = alphabet[v >> 18];
		out[1] = alphabet[(v >> 12) & 63];
		out[2] = i + 1 < len ? alphabet[(v >> 6) & 63] : '=';
		out[3] = '=';
	}
}

/* The 6-bit value of a base64 character, or -1. */
static int
digit(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	return c == '+' ? 62 : c == '/' ? 63 : -1;
}

bool
bj_base64_decode(const char *text, size_t text_len, uint8_t *out, size_t *len)
{
	size_t		n = 0;

	if (text_len % 4 != 0)
		return false;
	for (size_t i = 0; i < text_len; i += 4)
	{
		bool		last = i + 4 == text_len;
		int			pad = last ? (text[i + 3] == '=') + (text[i + 3] == '=' && text[i + 2] == '=') : 0;
		uint32_t	v = 0;

		for (int k = 0; k < 4 - pad; k++)
		{
			int			d = digit(text[i + k]);

			if (d < 0)
				return false;
			v |= (uint32_t) d << (18 - 6 * k);
		}
		/* the bits a padded group leaves over must be zero (one text per value) */
		if ((pad == 1 && (v & 0xff) != 0) || (pad == 2 && (v & 0xffff) != 0))
			return false;
		out[n++] = (uint8_t) (v >> 16);
		if (pad < 2)
			out[n++] = (uint8_t) (v >> 8);
		if (pad < 1)
			out[n++] = (uint8_t) v;
	}
	*len = n;
	return true;
}
