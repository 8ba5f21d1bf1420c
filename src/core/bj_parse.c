/*
 * bj_parse.c - text input: an ASCII fast path, exact labels, then ICU folding.
 */
#include "bj_parse.h"

#include <string.h>

#include "bj_unicode.h"

/* Longer than every English name ("introduction" is 12 bytes). */
#define ASCII_NAME_MAX 16

/* Folded UTF-8 output; every label is far shorter. */
#define FOLDED_MAX 128

static int
is_ascii_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

int
bj_parse_value(bj_kind kind, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *) s;
	size_t		start = 0;
	size_t		end = len;
	char		lowered[ASCII_NAME_MAX];
	char		folded[FOLDED_MAX];
	int			nfolded;

	while (start < end && is_ascii_space(p[start]))
		start++;
	while (end > start && is_ascii_space(p[end - 1]))
		end--;

	/* Fast path: pure ASCII needs only lower-casing. */
	for (size_t i = start; i < end; i++)
	{
		if (p[i] >= 0x80)
			goto unicode;
		if (i - start < ASCII_NAME_MAX)
			lowered[i - start] = (p[i] >= 'A' && p[i] <= 'Z') ? (char) (p[i] + 32) : (char) p[i];
	}
	if (end - start > ASCII_NAME_MAX)
		return BJ_NO_VALUE;
	return bj_value_lookup(kind, lowered, end - start);

unicode:
	/* A label as written (the usual case) is already in folded form. */
	nfolded = bj_value_lookup(kind, s + start, end - start);
	if (nfolded != BJ_NO_VALUE)
		return nfolded;
	nfolded = bj_unicode_fold(s + start, end - start, folded, sizeof(folded));
	if (nfolded < 0)
		return BJ_NO_VALUE;
	return bj_value_lookup(kind, folded, (size_t) nfolded);
}
