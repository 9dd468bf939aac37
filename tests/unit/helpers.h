/* SPDX-License-Identifier: GPL-2.0 */
/* Fixtures and helpers shared by the minivmm unit tests. */
#ifndef UNIT_HELPERS_H
#define UNIT_HELPERS_H

#include <elf.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include "uapi/minivmm.h"
#include "bochs_caps.h"

static inline bool starts_with(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

/* An in-memory FILE *; membuf_str() closes it and returns the text. */
struct membuf {
	FILE *f;
	char *buf;
	size_t len;
};
FILE *membuf_open(struct membuf *m);
char *membuf_str(struct membuf *m);

/*
 * The value column of the first line of a table whose label, after any
 * indentation, is exactly @label (followed by blanks), trimmed; NULL if
 * there is none. Caller frees.
 */
char *table_value(const char *text, const char *label);

/*
 * Create a mode-0000 temporary file from the template @path (ending in
 * XXXXXX): openable by root only through CAP_DAC_OVERRIDE, which is how
 * the tests see whether capabilities were really dropped.
 */
void unreadable_tmpfile(char *path);

/* A child process run to completion, with its stdout and stderr. */
struct run_result {
	int wstatus;
	struct rusage rusage;	/* of the child: ru_maxrss in KiB */
	char *out;
	char *err;
};
/* @envp NULL: inherit the environment. Returns 0 or -errno. */
int run_prog(char *const argv[], char *const envp[], struct run_result *r);
/*
 * The same, sending the child @sig once the file @ready_path contains
 * @ready_text (polled; after 10 s it is sent regardless).
 */
int run_prog_signal(char *const argv[], char *const envp[], int sig,
		    const char *ready_path, const char *ready_text,
		    struct run_result *r);
/* The same, but SIGALRM kills the child after @secs seconds (0: never). */
int run_prog_timeout(char *const argv[], char *const envp[],
		     unsigned int secs, struct run_result *r);
void run_result_free(struct run_result *r);

/* True if python3 -m json.tool accepts @json. */
bool json_valid(const char *json);
/*
 * Evaluate Python expressions @exprs on d = json.load(@json) in one
 * python3 run (its start-up is slow) and return json.dumps() of each
 * result (e.g. "true", "43", "\"0x2b\""), or "<Error: why>" for one
 * that raised; NULL if @json does not parse. Free with json_eval_free().
 */
char **json_eval(const char *json, const char *const exprs[], unsigned int n);
void json_eval_free(char **vals, unsigned int n);
/* json_eval() of one expression. Caller frees. */
char *json_query(const char *json, const char *expr);

/* Assert that each expression of @json evaluates to its json.dumps() text. */
struct json_check {
	const char *expr;
	const char *want;
};
void assert_json(const char *json, const struct json_check *checks,
		 unsigned int n);
#define ASSERT_JSON(json, ...) do {					\
	const struct json_check checks_[] = { __VA_ARGS__ };		\
	assert_json(json, checks_, sizeof(checks_) / sizeof(checks_[0])); \
} while (0)

/* The ./minivmm binary under test: $MINIVMM_BIN, else the one unit.mk built. */
const char *minivmm_bin(void);

/* A hex field of /proc/self/status such as "CapEff"; -1 if missing. */
long long proc_status_hex(const char *field);

/*
 * A little ELF64 executable: a code segment of 16 bytes (0x90, 0x91, ...)
 * at 0x100000, entry 0x100004, and a data segment at 0x101000 with
 * "DATA1234" in the file and 0x1000 bytes in memory; then a PT_NOTE.
 */
struct test_elf {
	Elf64_Ehdr eh;
	Elf64_Phdr ph[3];
	__u8 code[16];
	__u8 data[8];
};
void make_test_elf(struct test_elf *e);

/*
 * mkstemp() for a template whose XXXXXX may be followed by a suffix,
 * as in "/tmp/guest-XXXXXX.bin" (minivmm runs only *.bin as flat).
 */
int mkstemp_suffix(char *path);
/* Write @len bytes to a new temporary file from template @path (as above). */
void write_tmpfile(char *path, const void *data, size_t len);

#endif /* UNIT_HELPERS_H */
