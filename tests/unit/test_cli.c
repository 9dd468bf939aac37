// SPDX-License-Identifier: GPL-2.0
/* Global option parsing, the command table, `info` options, help text. */
#include <stdlib.h>
#include <string.h>
#include <criterion/criterion.h>
#include <criterion/redirect.h>

#include "uapi/minivmm.h"
#include "cli.h"
#include "commands.h"
#include "exit_status.h"
#include "helpers.h"
#include "info.h"
#include "version.h"

static struct cli_opts opts;
static struct membuf err_buf;
/* opts.argv points into it, so it must outlive each parse. */
static char *argv_buf[16];

/* Parse "minivmm @args..." with @env as $MINIVMM_DEVICE into opts. */
static int parse(const char *env, char *const args[])
{
	int n = 0;

	argv_buf[n++] = "minivmm";
	while (*args && n < 15)
		argv_buf[n++] = *args++;
	argv_buf[n] = NULL;
	membuf_open(&err_buf);
	return cli_parse(n, argv_buf, env, &opts, err_buf.f);
}
#define PARSE(env, ...)	parse(env, (char *[]){ __VA_ARGS__, NULL })

static char *parse_err(void)
{
	return membuf_str(&err_buf);
}

Test(cli, help)
{
	cr_assert_eq(PARSE(NULL, "--help"), 0);
	cr_assert_eq(opts.action, CLI_HELP);
	free(parse_err());
	cr_assert_eq(PARSE(NULL, "-h", "info"), 0);
	cr_assert_eq(opts.action, CLI_HELP);
	free(parse_err());
}

Test(cli, version)
{
	cr_assert_eq(PARSE(NULL, "--version"), 0);
	cr_assert_eq(opts.action, CLI_VERSION);
	free(parse_err());
	cr_assert_eq(PARSE(NULL, "-V"), 0);
	cr_assert_eq(opts.action, CLI_VERSION);
	free(parse_err());
}

Test(cli, unknown_long_option)
{
	char *e;

	cr_assert_eq(PARSE(NULL, "--bogus", "info"), VMM_EXIT_USAGE);
	e = parse_err();
	cr_assert_str_eq(e, "minivmm: unknown option '--bogus'; see 'minivmm --help'\n");
	free(e);
}

Test(cli, unknown_short_option)
{
	char *e;

	cr_assert_eq(PARSE(NULL, "-x", "info"), VMM_EXIT_USAGE);
	e = parse_err();
	cr_assert_str_eq(e, "minivmm: unknown option '-x'; see 'minivmm --help'\n");
	free(e);
}

Test(cli, option_needs_argument)
{
	char *e;

	cr_assert_eq(PARSE(NULL, "--device"), VMM_EXIT_USAGE);
	e = parse_err();
	cr_assert_str_eq(e, "minivmm: option '--device' needs an argument; see 'minivmm --help'\n");
	free(e);
	cr_assert_eq(PARSE(NULL, "-d"), VMM_EXIT_USAGE);
	e = parse_err();
	cr_assert_str_eq(e, "minivmm: option '-d' needs an argument; see 'minivmm --help'\n");
	free(e);
}

Test(cli, option_takes_no_argument)
{
	char *e;

	cr_assert_eq(PARSE(NULL, "--version=2"), VMM_EXIT_USAGE);
	e = parse_err();
	cr_assert_str_eq(e, "minivmm: option '--version' takes no argument; see 'minivmm --help'\n");
	free(e);
}

Test(cli, no_command)
{
	char *e;

	cr_assert_eq(PARSE(NULL, "-d", "/x"), VMM_EXIT_USAGE);
	e = parse_err();
	cr_assert_not_null(strstr(e, "no command"), "%s", e);
	free(e);
}

Test(cli, command_and_its_options_left_alone)
{
	cr_assert_eq(PARSE(NULL, "info", "--json", "--probe"), 0);
	free(parse_err());
	cr_assert_eq(opts.action, CLI_RUN_COMMAND);
	cr_assert_eq(opts.argc, 3);
	cr_assert_str_eq(opts.argv[0], "info");
	cr_assert_str_eq(opts.argv[1], "--json");
	cr_assert_str_eq(opts.argv[2], "--probe");
}

Test(cli, default_device)
{
	cr_assert_eq(PARSE(NULL, "info"), 0);
	free(parse_err());
	cr_assert_str_eq(opts.device, "/dev/minivmm");
	/* An empty $MINIVMM_DEVICE counts as unset. */
	cr_assert_eq(PARSE("", "info"), 0);
	free(parse_err());
	cr_assert_str_eq(opts.device, "/dev/minivmm");
}

Test(cli, device_option_forms)
{
	cr_assert_eq(PARSE(NULL, "--device", "/a", "info"), 0);
	cr_assert_str_eq(opts.device, "/a");
	free(parse_err());
	cr_assert_eq(PARSE(NULL, "--device=/b", "info"), 0);
	cr_assert_str_eq(opts.device, "/b");
	free(parse_err());
	cr_assert_eq(PARSE(NULL, "-d", "/c", "info"), 0);
	cr_assert_str_eq(opts.device, "/c");
	free(parse_err());
	cr_assert_eq(PARSE(NULL, "-d/d", "info"), 0);
	cr_assert_str_eq(opts.device, "/d");
	free(parse_err());
	cr_assert_str_eq(opts.argv[0], "info");
}

Test(cli, device_from_environment)
{
	cr_assert_eq(PARSE("/from/env", "info"), 0);
	free(parse_err());
	cr_assert_str_eq(opts.device, "/from/env");
	/* The option wins over the environment. */
	cr_assert_eq(PARSE("/from/env", "-d", "/from/opt", "info"), 0);
	free(parse_err());
	cr_assert_str_eq(opts.device, "/from/opt");
}

Test(cli, command_table)
{
	const struct vmm_cmd *cmd = vmm_cmd_find("info");

	cr_assert_not_null(cmd);
	cr_assert_str_eq(cmd->name, "info");
	cr_assert_not_null(cmd->run);
	cr_assert_not_null(cmd->help);
	cr_assert_null(vmm_cmd_find("nope"));
	cr_assert_null(vmm_cmd_find(""));
	cr_assert_null(vmm_cmd_find("inf"), "no prefix matching");
}

Test(cli, unknown_command, .init = cr_redirect_stderr)
{
	cr_assert_eq(PARSE(NULL, "frobnicate"), 0);
	free(parse_err());
	cr_assert_eq(cli_run(&opts), VMM_EXIT_USAGE);
	fflush(stderr);
	cr_assert_stderr_eq_str("minivmm: unknown command 'frobnicate'; see 'minivmm --help'\n");
}

Test(cli, usage_lists_commands_and_exit_statuses)
{
	const struct vmm_exit_status_desc *e;
	const struct vmm_cmd *cmd;
	struct membuf m;
	char line[256], *u;

	cli_print_usage(membuf_open(&m));
	u = membuf_str(&m);
	cr_assert_not_null(strstr(u, "--device PATH"));
	cr_assert_not_null(strstr(u, "MINIVMM_DEVICE"));
	for (cmd = vmm_cmds; cmd->name; cmd++) {
		char *help = table_value(u, cmd->name);

		cr_assert_not_null(help, "command %s missing", cmd->name);
		cr_assert_str_eq(help, cmd->help);
		free(help);
	}
	cr_assert_not_null(strstr(u, "Exit status:\n"));
	for (e = vmm_exit_statuses; e->name; e++) {
		snprintf(line, sizeof(line), "\n  %3d  %s\n", e->status, e->desc);
		cr_assert_not_null(strstr(u, line), "status %s missing", e->name);
	}
	free(u);
}

Test(cli, version_text)
{
	struct membuf m;
	char want[64], *v;

	cli_print_version(membuf_open(&m));
	v = membuf_str(&m);
	snprintf(want, sizeof(want), "minivmm %s (UAPI version %d)\n",
		 MINIVMM_CLI_VERSION, MINIVMM_API_VERSION);
	cr_assert_str_eq(v, want);
	free(v);
}

/* `info` arguments */

static struct info_opts iopts;

static int info_parse(char *const args[])
{
	int n = 0;

	argv_buf[n++] = "info";
	while (*args && n < 15)
		argv_buf[n++] = *args++;
	argv_buf[n] = NULL;
	membuf_open(&err_buf);
	return info_parse_args(n, argv_buf, &iopts, err_buf.f);
}
#define INFO_PARSE(...)	info_parse((char *[]){ __VA_ARGS__, NULL })

Test(info_args, none)
{
	char *argv[] = { "info", NULL };

	membuf_open(&err_buf);
	cr_assert_eq(info_parse_args(1, argv, &iopts, err_buf.f), 0);
	free(parse_err());
	cr_assert_not(iopts.json);
	cr_assert_not(iopts.probe);
	cr_assert_not(iopts.help);
}

Test(info_args, json_and_probe)
{
	cr_assert_eq(INFO_PARSE("--json"), 0);
	free(parse_err());
	cr_assert(iopts.json);
	cr_assert_not(iopts.probe);
	cr_assert_eq(INFO_PARSE("--probe", "--json"), 0);
	free(parse_err());
	cr_assert(iopts.json);
	cr_assert(iopts.probe);
	cr_assert_eq(INFO_PARSE("-jp"), 0);
	free(parse_err());
	cr_assert(iopts.json);
	cr_assert(iopts.probe);
}

Test(info_args, help)
{
	cr_assert_eq(INFO_PARSE("--help"), 0);
	free(parse_err());
	cr_assert(iopts.help);
}

Test(info_args, unknown_option)
{
	char *e;

	cr_assert_eq(INFO_PARSE("--json", "--yaml"), VMM_EXIT_USAGE);
	e = parse_err();
	cr_assert_str_eq(e, "minivmm: unknown option '--yaml'; see 'minivmm info --help'\n");
	free(e);
	cr_assert_eq(INFO_PARSE("-jx"), VMM_EXIT_USAGE);
	e = parse_err();
	cr_assert_str_eq(e, "minivmm: unknown option '-x'; see 'minivmm info --help'\n");
	free(e);
}

Test(info_args, extra_argument)
{
	char *e;

	cr_assert_eq(INFO_PARSE("--json", "extra"), VMM_EXIT_USAGE);
	e = parse_err();
	cr_assert_str_eq(e, "minivmm: info: unexpected argument 'extra'; see 'minivmm info --help'\n");
	free(e);
}

Test(info_args, reparse_resets_state)
{
	cr_assert_eq(INFO_PARSE("--json"), 0);
	free(parse_err());
	cr_assert_eq(INFO_PARSE("--probe"), 0);
	free(parse_err());
	cr_assert_not(iopts.json, "options of an earlier parse leaked");
	cr_assert(iopts.probe);
}
