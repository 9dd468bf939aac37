/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A minimal streaming JSON writer: compact output, one line per document.
 * @key is the member name inside an object and must be NULL inside an
 * array or for the top-level value.
 */
#ifndef VMM_JSON_H
#define VMM_JSON_H

#include <stdbool.h>
#include <stdio.h>
#include <linux/types.h>

#define JSON_MAX_DEPTH	8

struct json_writer {
	FILE *f;
	unsigned int depth;
	/* Whether a value was already written at each depth (comma needed). */
	bool nonempty[JSON_MAX_DEPTH];
};

void json_init(struct json_writer *w, FILE *f);
void json_object_begin(struct json_writer *w, const char *key);
void json_object_end(struct json_writer *w);
void json_array_begin(struct json_writer *w, const char *key);
void json_array_end(struct json_writer *w);
void json_bool(struct json_writer *w, const char *key, bool val);
void json_u64(struct json_writer *w, const char *key, __u64 val);
void json_str(struct json_writer *w, const char *key, const char *val);
void json_null(struct json_writer *w, const char *key);
/*
 * A 64-bit register as a string "0x%016llx": JSON numbers are doubles
 * for most readers and lose bits above 2^53.
 */
void json_hex64(struct json_writer *w, const char *key, __u64 val);

/* @s as a JSON string; bytes that are not well-formed UTF-8 become U+FFFD. */
void json_escape(FILE *f, const char *s);

#endif /* VMM_JSON_H */
