// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "helpers.h"

FILE *membuf_open(struct membuf *m)
{
	m->buf = NULL;
	m->len = 0;
	m->f = open_memstream(&m->buf, &m->len);
	return m->f;
}

char *membuf_str(struct membuf *m)
{
	fclose(m->f);
	m->f = NULL;
	return m->buf;
}

char *table_value(const char *text, const char *label)
{
	size_t label_len = strlen(label);
	const char *line, *p, *end;

	for (line = text; line && *line; line = end ? end + 1 : NULL) {
		end = strchr(line, '\n');
		for (p = line; *p == ' '; p++)
			;
		if (strncmp(p, label, label_len) || (p[label_len] != ' ' &&
						     p[label_len] != '\t'))
			continue;
		for (p += label_len; *p == ' ' || *p == '\t'; p++)
			;
		if (!end)
			end = p + strlen(p);
		while (end > p && isspace((unsigned char)end[-1]))
			end--;
		return strndup(p, end - p);
	}
	return NULL;
}

static char *slurp(FILE *f)
{
	struct membuf m;
	char buf[4096];
	size_t n;

	rewind(f);
	membuf_open(&m);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		fwrite(buf, 1, n, m.f);
	return membuf_str(&m);
}

/* True once the file @path contains @text. */
static bool file_contains(const char *path, const char *text)
{
	char buf[8192];
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return false;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	return strstr(buf, text);
}

/* Send @sig to @pid once @path holds @text (or after 10 s regardless). */
static void signal_when_ready(pid_t pid, int sig, const char *path,
			      const char *text)
{
	struct timespec tick = { 0, 10 * 1000 * 1000 };
	int i;

	for (i = 0; i < 1000 && !file_contains(path, text); i++)
		nanosleep(&tick, NULL);
	kill(pid, sig);
}

int run_prog(char *const argv[], char *const envp[], struct run_result *r)
{
	return run_prog_timeout(argv, envp, 0, r);
}

/* run_prog_timeout() and run_prog_signal() in one. */
static int run_prog_full(char *const argv[], char *const envp[],
			 unsigned int secs, int sig, const char *ready_path,
			 const char *ready_text, struct run_result *r);

int run_prog_timeout(char *const argv[], char *const envp[],
		     unsigned int secs, struct run_result *r)
{
	return run_prog_full(argv, envp, secs, 0, NULL, NULL, r);
}

int run_prog_signal(char *const argv[], char *const envp[], int sig,
		    const char *ready_path, const char *ready_text,
		    struct run_result *r)
{
	return run_prog_full(argv, envp, 0, sig, ready_path, ready_text, r);
}

static int run_prog_full(char *const argv[], char *const envp[],
			 unsigned int secs, int sig, const char *ready_path,
			 const char *ready_text, struct run_result *r)
{
	FILE *out = tmpfile(), *err = tmpfile();
	pid_t pid;
	int ret = 0;

	r->out = r->err = NULL;
	if (!out || !err) {
		ret = -errno;
		goto close;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		ret = -errno;
		goto close;
	}
	if (pid == 0) {
		dup2(fileno(out), STDOUT_FILENO);
		dup2(fileno(err), STDERR_FILENO);
		/* Kept across execve(): a hang dies of SIGALRM. */
		alarm(secs);
		if (envp)
			execve(argv[0], argv, envp);
		else
			execv(argv[0], argv);
		_exit(127);
	}
	if (sig)
		signal_when_ready(pid, sig, ready_path, ready_text);
	if (wait4(pid, &r->wstatus, 0, &r->rusage) < 0) {
		ret = -errno;
		goto close;
	}
	r->out = slurp(out);
	r->err = slurp(err);
close:
	if (out)
		fclose(out);
	if (err)
		fclose(err);
	return ret;
}

void run_result_free(struct run_result *r)
{
	free(r->out);
	free(r->err);
	r->out = r->err = NULL;
}

/* Write @json to a new temporary file named in @path. */
static int write_temp(const char *json, char path[])
{
	int fd = mkstemp(path);
	FILE *f;

	if (fd < 0)
		return -errno;
	f = fdopen(fd, "w");
	fputs(json, f);
	return fclose(f) ? -errno : 0;
}

bool json_valid(const char *json)
{
	char path[] = "/tmp/minivmm-unit-XXXXXX";
	char *argv[] = { "/usr/bin/env", "python3", "-m", "json.tool", path,
			 NULL };
	struct run_result r;
	bool ok;

	if (write_temp(json, path))
		return false;
	ok = !run_prog(argv, NULL, &r) && WIFEXITED(r.wstatus) &&
	     WEXITSTATUS(r.wstatus) == 0;
	run_result_free(&r);
	unlink(path);
	return ok;
}

/* Evaluate every expression; one line of output each. */
static const char json_eval_py[] =
	"import json, sys\n"
	"d = json.load(open(sys.argv[1]))\n"
	"for e in sys.argv[2:]:\n"
	"    try:\n"
	"        print(json.dumps(eval(e)))\n"
	"    except Exception as x:\n"
	"        print('<%s: %s>' % (type(x).__name__, x))\n";

char **json_eval(const char *json, const char *const exprs[], unsigned int n)
{
	char path[] = "/tmp/minivmm-unit-XXXXXX";
	char **argv = calloc(n + 6, sizeof(*argv)), **vals = NULL;
	struct run_result r;
	unsigned int i;
	char *line, *save;

	if (!argv || write_temp(json, path))
		goto out;
	argv[0] = "/usr/bin/env";
	argv[1] = "python3";
	argv[2] = "-c";
	argv[3] = (char *)json_eval_py;
	argv[4] = path;
	for (i = 0; i < n; i++)
		argv[5 + i] = (char *)exprs[i];
	if (!run_prog(argv, NULL, &r)) {
		if (WIFEXITED(r.wstatus) && WEXITSTATUS(r.wstatus) == 0) {
			vals = calloc(n, sizeof(*vals));
			line = strtok_r(r.out, "\n", &save);
			for (i = 0; vals && i < n && line; i++) {
				vals[i] = strdup(line);
				line = strtok_r(NULL, "\n", &save);
			}
		}
		run_result_free(&r);
	}
	unlink(path);
out:
	free(argv);
	return vals;
}

void json_eval_free(char **vals, unsigned int n)
{
	unsigned int i;

	for (i = 0; vals && i < n; i++)
		free(vals[i]);
	free(vals);
}

char *json_query(const char *json, const char *expr)
{
	char **vals = json_eval(json, &expr, 1), *val = NULL;

	if (vals) {
		val = vals[0];
		free(vals);
	}
	return val;
}

void assert_json(const char *json, const struct json_check *checks,
		 unsigned int n)
{
	const char **exprs = calloc(n, sizeof(*exprs));
	unsigned int i;
	char **vals;

	cr_assert_not_null(exprs);
	for (i = 0; i < n; i++)
		exprs[i] = checks[i].expr;
	vals = json_eval(json, exprs, n);
	free(exprs);
	cr_assert_not_null(vals, "not JSON: %s", json);
	for (i = 0; i < n; i++) {
		cr_assert_not_null(vals[i], "no result for %s", checks[i].expr);
		cr_expect_str_eq(vals[i], checks[i].want, "%s", checks[i].expr);
	}
	json_eval_free(vals, n);
}

const char *minivmm_bin(void)
{
	const char *bin = getenv("MINIVMM_BIN");

	return bin && *bin ? bin : MINIVMM_BIN_DEFAULT;
}

long long proc_status_hex(const char *field)
{
	FILE *f = fopen("/proc/self/status", "r");
	size_t len = strlen(field);
	long long val = -1;
	char line[256];

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, field, len) && line[len] == ':') {
			val = strtoll(line + len + 1, NULL, 16);
			break;
		}
	fclose(f);
	return val;
}

void unreadable_tmpfile(char *path)
{
	int fd = mkstemp(path);

	cr_assert_geq(fd, 0, "mkstemp(%s)", path);
	fchmod(fd, 0);
	close(fd);
}

void make_test_elf(struct test_elf *e)
{
	unsigned int i;

	memset(e, 0, sizeof(*e));
	memcpy(e->eh.e_ident, ELFMAG, SELFMAG);
	e->eh.e_ident[EI_CLASS] = ELFCLASS64;
	e->eh.e_ident[EI_DATA] = ELFDATA2LSB;
	e->eh.e_ident[EI_VERSION] = EV_CURRENT;
	e->eh.e_type = ET_EXEC;
	e->eh.e_machine = EM_X86_64;
	e->eh.e_version = EV_CURRENT;
	e->eh.e_entry = 0x100004;
	e->eh.e_phoff = offsetof(struct test_elf, ph);
	e->eh.e_ehsize = sizeof(Elf64_Ehdr);
	e->eh.e_phentsize = sizeof(Elf64_Phdr);
	e->eh.e_phnum = 3;
	e->ph[0] = (Elf64_Phdr) {
		.p_type = PT_LOAD, .p_flags = PF_R | PF_X,
		.p_offset = offsetof(struct test_elf, code),
		.p_vaddr = 0x100000, .p_paddr = 0x100000,
		.p_filesz = 16, .p_memsz = 16, .p_align = 16,
	};
	e->ph[1] = (Elf64_Phdr) {
		.p_type = PT_LOAD, .p_flags = PF_R | PF_W,
		.p_offset = offsetof(struct test_elf, data),
		.p_vaddr = 0x101000, .p_paddr = 0x101000,
		.p_filesz = 8, .p_memsz = 0x1000, .p_align = 8,
	};
	/* Not PT_LOAD: ignored, even though its addresses are nonsense. */
	e->ph[2] = (Elf64_Phdr) {
		.p_type = PT_NOTE, .p_vaddr = 0x10, .p_paddr = 0x10,
		.p_memsz = 0x100000000ull,
	};
	for (i = 0; i < 16; i++)
		e->code[i] = 0x90 + i;
	memcpy(e->data, "DATA1234", 8);
}

/* mkstemps() of @path, whose XXXXXX may be followed by a suffix (".bin"). */
int mkstemp_suffix(char *path)
{
	const char *x = strstr(path, "XXXXXX"), *next;

	cr_assert_not_null(x, "no XXXXXX in %s", path);
	while ((next = strstr(x + 1, "XXXXXX")))
		x = next;
	return mkstemps(path, strlen(x + 6));
}

void write_tmpfile(char *path, const void *data, size_t len)
{
	int fd = mkstemp_suffix(path);

	cr_assert_geq(fd, 0, "mkstemp(%s)", path);
	cr_assert_eq(write(fd, data, len), (ssize_t)len);
	close(fd);
}
