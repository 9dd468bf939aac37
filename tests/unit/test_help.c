// SPDX-License-Identifier: GPL-2.0
/* `minivmm help [COMMAND]`: the same text as the --help it stands for. */
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <criterion/criterion.h>

#include "cli.h"
#include "commands.h"
#include "exit_status.h"
#include "helpers.h"

static struct membuf out_buf, err_buf;
static char *out, *err;

/* Run "help @args..." in process; out and err hold what it printed. */
static int help(char *const args[])
{
	char *argv[8];
	int n = 0, ret;

	argv[n++] = "help";
	while (*args && n < 7)
		argv[n++] = *args++;
	argv[n] = NULL;
	membuf_open(&out_buf);
	membuf_open(&err_buf);
	ret = help_run(n, argv, out_buf.f, err_buf.f);
	out = membuf_str(&out_buf);
	err = membuf_str(&err_buf);
	return ret;
}
/* HELP() or HELP("a", "b",): every argument is followed by a comma. */
#define HELP(...)	help((char *[]){ __VA_ARGS__ NULL })

static void fini(void)
{
	free(out);
	free(err);
	out = err = NULL;
}

TestSuite(help, .fini = fini);

static char *usage_of(void (*print)(FILE *))
{
	struct membuf m;

	print(membuf_open(&m));
	return membuf_str(&m);
}

Test(help, no_command_is_global_help)
{
	char *want = usage_of(cli_print_usage);

	cr_assert_eq(HELP(), VMM_EXIT_OK);
	cr_assert_str_eq(out, want);
	cr_assert_str_empty(err);
	free(want);
}

Test(help, each_command_is_its_help)
{
	const struct vmm_cmd *cmd;

	for (cmd = vmm_cmds; cmd->name; cmd++) {
		char *want = usage_of(cmd->usage);

		cr_assert_eq(HELP((char *)cmd->name,), VMM_EXIT_OK, "%s", cmd->name);
		cr_assert_str_eq(out, want, "help %s", cmd->name);
		cr_assert_str_empty(err);
		cr_assert(starts_with(out, "Usage: minivmm"), "%s", out);
		free(want);
		fini();
	}
}

Test(help, listed_in_global_help)
{
	char *u = usage_of(cli_print_usage), *h = table_value(u, "help");

	cr_assert_not_null(h, "%s", u);
	free(h);
	free(u);
}

Test(help, own_help)
{
	cr_assert_eq(HELP("--help",), VMM_EXIT_OK);
	cr_assert(starts_with(out, "Usage: minivmm help [COMMAND]\n"), "%s", out);
	fini();
	cr_assert_eq(HELP("help",), VMM_EXIT_OK);
	cr_assert(starts_with(out, "Usage: minivmm help [COMMAND]\n"), "%s", out);
}

Test(help, unknown_command)
{
	cr_assert_eq(HELP("frobnicate",), VMM_EXIT_USAGE);
	cr_assert_str_empty(out);
	cr_assert_str_eq(err, "minivmm: help: unknown command 'frobnicate'; see 'minivmm --help'\n");
	fini();
	cr_assert_eq(HELP("ru",), VMM_EXIT_USAGE, "no prefix matching");
}

Test(help, extra_argument)
{
	cr_assert_eq(HELP("run", "info",), VMM_EXIT_USAGE);
	cr_assert_str_empty(out);
	cr_assert_str_eq(err, "minivmm: help: unexpected argument 'info'; see 'minivmm help --help'\n");
}

Test(help, unknown_option)
{
	cr_assert_eq(HELP("--bogus",), VMM_EXIT_USAGE);
	cr_assert_str_eq(err, "minivmm: unknown option '--bogus'; see 'minivmm help --help'\n");
}

/* The binary: `minivmm help run` prints exactly `minivmm run --help`. */
Test(help, binary_matches_dash_dash_help)
{
	char *help_argv[] = { (char *)minivmm_bin(), "help", "run", NULL };
	char *dash_argv[] = { (char *)minivmm_bin(), "run", "--help", NULL };
	char *bad_argv[] = { (char *)minivmm_bin(), "help", "nope", NULL };
	struct run_result a, b;

	cr_assert_eq(run_prog(help_argv, NULL, &a), 0);
	cr_assert_eq(run_prog(dash_argv, NULL, &b), 0);
	cr_assert(WIFEXITED(a.wstatus) && WEXITSTATUS(a.wstatus) == 0);
	cr_assert_str_eq(a.out, b.out);
	cr_assert_str_empty(a.err);
	run_result_free(&a);
	run_result_free(&b);

	cr_assert_eq(run_prog(bad_argv, NULL, &a), 0);
	cr_assert(WIFEXITED(a.wstatus));
	cr_assert_eq(WEXITSTATUS(a.wstatus), VMM_EXIT_USAGE);
	cr_assert_str_empty(a.out);
	cr_assert_not_null(strstr(a.err, "unknown command 'nope'"), "%s", a.err);
	run_result_free(&a);
}
