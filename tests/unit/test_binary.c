// SPDX-License-Identifier: GPL-2.0
/* The built ./minivmm, run as a user would, on this machine (no device). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>
#include <criterion/criterion.h>

#include "cli.h"
#include "exit_status.h"
#include "helpers.h"
#include "privs.h"

static struct run_result res;

/* Run ./minivmm with @args in environment @envp (NULL: inherit). */
#define RUN(envp, ...) ({						\
	char *argv_[] = { (char *)minivmm_bin(), ##__VA_ARGS__, NULL };	\
	cr_assert_eq(run_prog(argv_, envp, &res), 0);			\
	cr_assert(WIFEXITED(res.wstatus), "%s died: %#x", argv_[0],	\
		  res.wstatus);						\
	WEXITSTATUS(res.wstatus);					\
})

static char *no_env[] = { NULL };

static void check_bin(void)
{
	cr_assert(access(minivmm_bin(), X_OK) == 0,
		  "%s not built (make minivmm) or MINIVMM_BIN wrong",
		  minivmm_bin());
}

static void done(void)
{
	run_result_free(&res);
}

TestSuite(binary, .init = check_bin, .fini = done);

Test(binary, missing_device)
{
	/* Only the default node's absence says "module not loaded". */
	cr_assert_eq(RUN(no_env, "--device", "/nonexistent", "info"),
		     VMM_EXIT_NO_DEVICE);
	cr_assert_str_eq(res.err, "minivmm: /nonexistent: no such file\n");
	cr_assert_str_empty(res.out);
}

Test(binary, missing_device_json)
{
	cr_assert_eq(RUN(no_env, "-d", "/nonexistent", "info", "--json"),
		     VMM_EXIT_NO_DEVICE);
	cr_assert_str_empty(res.out, "no half JSON on errors");
}

Test(binary, device_from_environment)
{
	char *env[] = { "MINIVMM_DEVICE=/nonexistent-env", NULL };

	cr_assert_eq(RUN(env, "info"), VMM_EXIT_NO_DEVICE);
	cr_assert_str_eq(res.err, "minivmm: /nonexistent-env: no such file\n");
}

Test(binary, default_device)
{
	if (access("/dev/minivmm", F_OK) == 0)
		cr_skip_test("/dev/minivmm exists here");
	cr_assert_eq(RUN(no_env, "info"), VMM_EXIT_NO_DEVICE);
	cr_assert_str_eq(res.err, "minivmm: /dev/minivmm not found: module not loaded: run 'sudo insmod kmod/minivmm.ko'\n");
}

Test(binary, not_our_device)
{
	char want[128];

	/* Opens, drops privileges, then the first ioctl is not known. */
	snprintf(want, sizeof(want),
		 "minivmm: /dev/null is not a minivmm device (MINIVMM_GET_API_VERSION: %s)\n",
		 strerror(ENOTTY));
	cr_assert_eq(RUN(no_env, "-d", "/dev/null", "info"),
		     VMM_EXIT_NOT_MINIVMM);
	cr_assert_str_eq(res.err, want);
	cr_assert_str_empty(res.out);
	cr_assert_eq(RUN(no_env, "-d", "/dev/null", "run",
			 "--mem", "1M", "/dev/null"),
		     VMM_EXIT_BAD_IMAGE, "the image is read first: %s", res.err);
}

Test(binary, run_not_our_device)
{
	char img[] = "/tmp/minivmm-unit-XXXXXX.bin";
	int fd = mkstemps(img, 4);

	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, "\xf4", 1), 1);	/* hlt */
	close(fd);
	cr_assert_eq(RUN(no_env, "-d", "/dev/null", "run", img),
		     VMM_EXIT_NOT_MINIVMM);
	unlink(img);
	cr_assert(starts_with(res.err, "minivmm: /dev/null is not a minivmm device"),
		  "%s", res.err);
}

Test(binary, directory)
{
	cr_assert_eq(RUN(no_env, "-d", "/", "info"), VMM_EXIT_ERROR);
	cr_assert(starts_with(res.err, "minivmm: cannot open /: "), "%s",
		  res.err);
}

Test(binary, no_driver)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	char dir[] = "/tmp/minivmm-unit-XXXXXX";
	int sock;

	/* open(2) of a socket fails with ENXIO, like a node without driver. */
	cr_assert_not_null(mkdtemp(dir));
	snprintf(addr.sun_path, sizeof(addr.sun_path), "%s/sock", dir);
	sock = socket(AF_UNIX, SOCK_STREAM, 0);
	cr_assert_geq(sock, 0);
	cr_assert_eq(bind(sock, (struct sockaddr *)&addr, sizeof(addr)), 0);

	cr_assert_eq(RUN(no_env, "-d", addr.sun_path, "info"),
		     VMM_EXIT_NO_DRIVER);
	cr_assert_not_null(strstr(res.err, "exists but no driver"), "%s",
			   res.err);
	close(sock);
	unlink(addr.sun_path);
	rmdir(dir);
}

Test(binary, permission_denied)
{
	char path[] = "/tmp/minivmm-unit-XXXXXX";
	int wstatus;
	pid_t pid;

	unreadable_tmpfile(path);

	/*
	 * Root would open anything: run minivmm from a child without
	 * capabilities (no_new_privs keeps exec from giving them back).
	 */
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		char *argv[] = { (char *)minivmm_bin(), "-d", path, "info", NULL };
		struct run_result r;

		privs_drop_all();
		if (run_prog(argv, no_env, &r) || !WIFEXITED(r.wstatus))
			_exit(100);
		if (!strstr(r.err, ": permission denied: "))
			_exit(101);
		_exit(WEXITSTATUS(r.wstatus));
	}
	cr_assert_eq(waitpid(pid, &wstatus, 0), pid);
	unlink(path);
	cr_assert(WIFEXITED(wstatus));
	cr_assert_eq(WEXITSTATUS(wstatus), VMM_EXIT_NO_PERMISSION);
}

Test(binary, help)
{
	cr_assert_eq(RUN(no_env, "--help"), VMM_EXIT_OK);
	cr_assert(starts_with(res.out, "Usage: minivmm "), "%s", res.out);
	cr_assert_not_null(strstr(res.out, "\nExit status:\n"));
	cr_assert_str_empty(res.err);
}

Test(binary, version)
{
	struct membuf m;
	char *want;

	cli_print_version(membuf_open(&m));
	want = membuf_str(&m);
	cr_assert_eq(RUN(no_env, "--version"), VMM_EXIT_OK);
	cr_assert_str_eq(res.out, want);
	free(want);
}

Test(binary, usage_errors)
{
	cr_assert_eq(RUN(no_env, "--bogus"), VMM_EXIT_USAGE);
	cr_assert_not_null(strstr(res.err, "unknown option '--bogus'"));
	run_result_free(&res);
	cr_assert_eq(RUN(no_env, "bogus"), VMM_EXIT_USAGE);
	cr_assert_not_null(strstr(res.err, "unknown command 'bogus'"));
	run_result_free(&res);
	cr_assert_eq(RUN(no_env, "info", "--bogus"), VMM_EXIT_USAGE);
	run_result_free(&res);
	cr_assert_eq(RUN(no_env), VMM_EXIT_USAGE);
}

Test(binary, info_help_needs_no_device)
{
	cr_assert_eq(RUN(no_env, "-d", "/nonexistent", "info", "--help"),
		     VMM_EXIT_OK);
	cr_assert(starts_with(res.out, "Usage: minivmm [-d DEVICE] info"),
		  "%s", res.out);
}

Test(binary, write_error_is_reported)
{
	int wstatus, devfull = open("/dev/full", O_WRONLY);
	pid_t pid;

	if (devfull < 0)
		cr_skip_test("no /dev/full");
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		dup2(devfull, STDOUT_FILENO);
		dup2(open("/dev/null", O_WRONLY), STDERR_FILENO);
		execl(minivmm_bin(), "minivmm", "--help", (char *)NULL);
		_exit(127);
	}
	cr_assert_eq(waitpid(pid, &wstatus, 0), pid);
	cr_assert(WIFEXITED(wstatus));
	cr_assert_eq(WEXITSTATUS(wstatus), VMM_EXIT_ERROR);
}
