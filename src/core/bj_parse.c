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

/*
 * Length of the Unicode space character (UTF-8) at p, or 0: no-break,
 * Ogham, en/em and other typographic spaces, line and paragraph separators,
 * the ideographic space, and the byte-order mark.  Trimmed before ICU, so
 * padding of any length never counts against the size limit of folding.
 */
static size_t
unicode_space_at(const unsigned char *p, size_t n)
{
	if (n >= 2 && p[0] == 0xC2 && p[1] == 0xA0)
		return 2;				/* U+00A0 */
	if (n < 3)
		return 0;
	if ((p[0] == 0xE1 && p[1] == 0x9A && p[2] == 0x80) ||	/* U+1680 */
		(p[0] == 0xE2 && p[1] == 0x80 && (p[2] <= 0x8A || p[2] == 0xA8 || p[2] == 0xA9 || p[2] == 0xAF)) ||
		(p[0] == 0xE2 && p[1] == 0x81 && p[2] == 0x9F) ||	/* U+205F */
		(p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x80) ||	/* U+3000 */
		(p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF))	/* U+FEFF */
		return 3;
	return 0;
}

/* The same, for the character that ends at p + n. */
static size_t
unicode_space_before(const unsigned char *p, size_t n)
{
	if (n >= 2 && unicode_space_at(p + n - 2, 2) == 2)
		return 2;
	if (n >= 3 && unicode_space_at(p + n - 3, 3) == 3)
		return 3;
	return 0;
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
	return bj_name_lookup(kind, lowered, end - start);

unicode:
	for (;;)
	{
		size_t		k;

		if (start < end && is_ascii_space(p[start]))
			start++;
		else if ((k = unicode_space_at(p + start, end - start)) > 0)
			start += k;
		else
			break;
	}
	for (;;)
	{
		size_t		k;

		if (end > start && is_ascii_space(p[end - 1]))
			end--;
		else if ((k = unicode_space_before(p + start, end - start)) > 0)
			end -= k;
		else
			break;
	}
	/* A label as written (the usual case) is already in folded form. */
	nfolded = bj_chinese_label_lookup(kind, s + start, end - start);
	if (nfolded != BJ_NO_VALUE)
		return nfolded;
	nfolded = bj_unicode_fold(s + start, end - start, folded, sizeof(folded));
	if (nfolded < 0)
		return BJ_NO_VALUE;
	return bj_value_lookup(kind, folded, (size_t) nfolded);
}
