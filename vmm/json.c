// SPDX-License-Identifier: GPL-2.0
#include <assert.h>
#include <inttypes.h>

#include "json.h"

void json_init(struct json_writer *w, FILE *f)
{
	w->f = f;
	w->depth = 0;
	w->nonempty[0] = false;
}

/*
 * Length of the well-formed UTF-8 sequence at @p (1..4), or 0 if it is
 * not one (RFC 3629: no overlong forms, no surrogates, up to U+10FFFF).
 */
static unsigned int utf8_seq_len(const unsigned char *p)
{
	unsigned int len, i;
	unsigned char lo = 0x80, hi = 0xbf;	/* bounds of the 2nd byte */

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		len = 2;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		len = 3;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		len = 4;
	else
		return 0;	/* a continuation byte, 0xc0/0xc1 or > 0xf4 */
	if (p[0] == 0xe0)
		lo = 0xa0;	/* overlong */
	else if (p[0] == 0xed)
		hi = 0x9f;	/* surrogates */
	else if (p[0] == 0xf0)
		lo = 0x90;	/* overlong */
	else if (p[0] == 0xf4)
		hi = 0x8f;	/* past U+10FFFF */
	if (p[1] < lo || p[1] > hi)
		return 0;
	for (i = 2; i < len; i++)	/* the NUL terminator stops this too */
		if (p[i] < 0x80 || p[i] > 0xbf)
			return 0;
	return len;
}

void json_escape(FILE *f, const char *s)
{
	const unsigned char *p;
	unsigned int len;

	fputc('"', f);
	for (p = (const unsigned char *)s; *p; p += len) {
		len = 1;
		switch (*p) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		default:
			/* Other control characters have no short escape. */
			if (*p < 0x20) {
				fprintf(f, "\\u%04x", *p);
				break;
			}
			/*
			 * JSON text is UTF-8: a byte that is not part of a
			 * well-formed sequence (a path in Latin-1, say)
			 * becomes U+FFFD, one per byte.
			 */
			len = utf8_seq_len(p);
			if (!len) {
				fputs("\\ufffd", f);
				len = 1;
			} else {
				fwrite(p, 1, len, f);
			}
		}
	}
	fputc('"', f);
}

/* The separator and "key": before a value at the current depth. */
static void json_member(struct json_writer *w, const char *key)
{
	if (w->nonempty[w->depth])
		fputc(',', w->f);
	w->nonempty[w->depth] = true;
	if (key) {
		json_escape(w->f, key);
		fputc(':', w->f);
	}
}

static void json_open(struct json_writer *w, const char *key, char c)
{
	json_member(w, key);
	fputc(c, w->f);
	assert(w->depth + 1 < JSON_MAX_DEPTH);
	w->nonempty[++w->depth] = false;
}

static void json_close(struct json_writer *w, char c)
{
	assert(w->depth > 0);
	fputc(c, w->f);
	if (--w->depth == 0)
		fputc('\n', w->f);
}

void json_object_begin(struct json_writer *w, const char *key)
{
	json_open(w, key, '{');
}

void json_object_end(struct json_writer *w)
{
	json_close(w, '}');
}

void json_array_begin(struct json_writer *w, const char *key)
{
	json_open(w, key, '[');
}

void json_array_end(struct json_writer *w)
{
	json_close(w, ']');
}

void json_bool(struct json_writer *w, const char *key, bool val)
{
	json_member(w, key);
	fputs(val ? "true" : "false", w->f);
}

void json_u64(struct json_writer *w, const char *key, __u64 val)
{
	json_member(w, key);
	fprintf(w->f, "%" PRIu64, (uint64_t)val);
}

void json_str(struct json_writer *w, const char *key, const char *val)
{
	json_member(w, key);
	json_escape(w->f, val);
}

void json_null(struct json_writer *w, const char *key)
{
	json_member(w, key);
	fputs("null", w->f);
}

void json_hex64(struct json_writer *w, const char *key, __u64 val)
{
	json_member(w, key);
	fprintf(w->f, "\"0x%016" PRIx64 "\"", (uint64_t)val);
}
