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

void json_escape(FILE *f, const char *s)
{
	const unsigned char *p;

	fputc('"', f);
	for (p = (const unsigned char *)s; *p; p++) {
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
			if (*p < 0x20)
				fprintf(f, "\\u%04x", *p);
			else
				fputc(*p, f);
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
