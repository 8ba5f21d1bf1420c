/*
 * test_parse.c - text input: every spelling of every value, and garbage.
 */
#include <stdlib.h>
#include <string.h>

#include "bj_parse.h"
#include "bj_unicode.h"
#include "unit.h"

static int
parse(bj_kind kind, const char *s)
{
	return bj_parse_value(kind, s, strlen(s));
}

static void
test_spellings(void)
{
	char		buf[128];

	for (int k = 0; k < BJ_KIND_COUNT; k++)
		for (int c = 0; c < bj_value_count((bj_kind) k); c++)
		{
			const char *name = bj_value_name((bj_kind) k, c);
			size_t		n = strlen(name);

			CHECK_INT(parse((bj_kind) k, name), c);
			/* upper case, padded with ASCII white space */
			buf[0] = ' ';
			buf[1] = '\t';
			for (size_t i = 0; i < n; i++)
				buf[2 + i] = (name[i] >= 'a' && name[i] <= 'z') ? (char) (name[i] - 32) : name[i];
			strcpy(buf + 2 + n, "\n ");
			CHECK_INT(parse((bj_kind) k, buf), c);
			/* full-width forms (U+FF01..U+FF5E map ASCII 0x21..0x7E) */
			{
				size_t		o = 0;

				for (size_t i = 0; i < n; i++)
				{
					unsigned	cp = 0xFF00 + (unsigned) name[i] - 0x20;

					buf[o++] = (char) (0xE0 | (cp >> 12));
					buf[o++] = (char) (0x80 | ((cp >> 6) & 0x3F));
					buf[o++] = (char) (0x80 | (cp & 0x3F));
				}
				buf[o] = '\0';
				CHECK_INT(parse((bj_kind) k, buf), c);
			}
			for (int l = 1; l < BJ_LANG_COUNT; l++)
			{
				/* Chinese labels, padded with an ideographic space U+3000 */
				snprintf(buf, sizeof(buf), "\xE3\x80\x80%s ", bj_value_label((bj_kind) k, c, (bj_label_lang) l));
				CHECK_INT(parse((bj_kind) k, buf), c);
			}
		}

	CHECK_INT(parse(BJ_KIND_STAGE, "No_Decision"), BJ_STAGE_NO_DECISION);
	/* U+017F LATIN SMALL LETTER LONG S case-folds to s */
	CHECK_INT(parse(BJ_KIND_STAGE, "\xC5\xBF" "elect"), BJ_STAGE_SELECT);
	/* a zero-width space is a default ignorable: removed by NFKC_Casefold */
	CHECK_INT(parse(BJ_KIND_STAGE, "exp\xE2\x80\x8Blore"), BJ_STAGE_EXPLORE);
	/* a compatibility ligature: U+FB01 LATIN SMALL LIGATURE FI is "fi" after NFKC */
	CHECK_INT(parse(BJ_KIND_STAGE, "de\xEF\xAC\x81ne"), BJ_STAGE_DEFINE);
}

static void
test_rejections(void)
{
	static const char *bad[] = {
		"", " ", "\t\n", "explor", "explores", "ex plore", "no decision", "no-decision",
		"0", "1", "unaware\x01", "探", "探索探索", "引入期", "成长期", "\xFF\xFE", "\xE6\x8E",
		"\xC0\xAF", "exp\xC0lore", "lost\xE3\x80", "é", "realise",
	};
	char	   *big;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK_INT(parse(BJ_KIND_STAGE, bad[i]), BJ_NO_VALUE);
	/* phase labels are not stages, and the other way round */
	CHECK_INT(parse(BJ_KIND_STAGE, "growth"), BJ_NO_VALUE);
	CHECK_INT(parse(BJ_KIND_PHASE, "探索"), BJ_NO_VALUE);
	/* embedded NUL: the length, not the terminator, bounds the input */
	CHECK_INT(bj_parse_value(BJ_KIND_STAGE, "lost\0x", 6), BJ_NO_VALUE);
	CHECK_INT(bj_parse_value(BJ_KIND_STAGE, "lostXYZ", 4), BJ_STAGE_LOST);

	/* long inputs: ASCII, non-ASCII, and white space around a valid name */
	big = malloc(1 << 20);
	memset(big, 'a', 1 << 20);
	CHECK_INT(bj_parse_value(BJ_KIND_STAGE, big, 1 << 20), BJ_NO_VALUE);
	memcpy(big, "\xE6\x8E\xA2", 3);
	CHECK_INT(bj_parse_value(BJ_KIND_STAGE, big, 1 << 20), BJ_NO_VALUE);
	memset(big, ' ', 1 << 20);
	memcpy(big + 1000, "Lost", 4);
	CHECK_INT(bj_parse_value(BJ_KIND_STAGE, big, 1 << 20), BJ_STAGE_LOST);
	/* Unicode padding of any length: ideographic spaces, NBSP, a BOM */
	{
		size_t		n = 0;

		for (int i = 0; i < 5000; i++, n += 3)
			memcpy(big + n, "\xE3\x80\x80", 3);
		memcpy(big + n, "\xC2\xA0\xEF\xBB\xBF\xE6\x8E\xA2\xE7\xB4\xA2\xC2\xA0 \xE2\x80\x83", 17);
		n += 17;
		CHECK_INT(bj_parse_value(BJ_KIND_STAGE, big, n), BJ_STAGE_EXPLORE);
		/* a truncated space sequence at either end is not a space */
		CHECK_INT(bj_parse_value(BJ_KIND_STAGE, "\xE3\x80" "lost", 6), BJ_NO_VALUE);
		CHECK_INT(bj_parse_value(BJ_KIND_STAGE, "lost\xE3\x80", 6), BJ_NO_VALUE);
		CHECK_INT(bj_parse_value(BJ_KIND_STAGE, "\xE3\x80\x80", 3), BJ_NO_VALUE);
	}
	free(big);

	/* every single byte and every byte pair: no crash, no match */
	for (int a = 0; a < 256; a++)
	{
		char		s[2] = {(char) a, 0};

		CHECK_INT(bj_parse_value(BJ_KIND_STAGE, s, 1), BJ_NO_VALUE);
		for (int b = 0; b < 256; b++)
		{
			s[1] = (char) b;
			CHECK_INT(bj_parse_value(BJ_KIND_PHASE, s, 2), BJ_NO_VALUE);
		}
	}
}

static void
test_fold(void)
{
	char		out[64];
	int			n;

	n = bj_unicode_fold("\xEF\xBC\xA5Xplore", 9, out, sizeof(out));
	CHECK_INT(n, 7);
	CHECK(n == 7 && memcmp(out, "explore", 7) == 0);
	/* output that does not fit is a failure, not a truncation */
	CHECK_INT(bj_unicode_fold("explore", 7, out, 3), -1);
	CHECK_INT(bj_unicode_fold("\xFF", 1, out, sizeof(out)), -1);
}

void
test_parse(void)
{
	test_spellings();
	test_rejections();
	test_fold();
}
