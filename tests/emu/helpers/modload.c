// SPDX-License-Identifier: GPL-2.0
/*
 * modload PATH [PARAMS]: load a module with exactly one finit_module()
 * call and exit with its errno (0 on success).
 *
 * busybox insmod retries a failed finit_module() with init_module(), so
 * a refused load runs the module's init twice and logs its refusal twice;
 * tests that count log lines per load attempt need a single attempt, as
 * kmod's insmod makes.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int fd, err = 0;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: modload PATH [PARAMS]\n");
		return 2;
	}
	fd = open(argv[1], O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "modload: %s: %s\n", argv[1], strerror(errno));
		return 2;
	}
	if (syscall(SYS_finit_module, fd, argc == 3 ? argv[2] : "", 0)) {
		err = errno;
		fprintf(stderr, "modload: %s: %s\n", argv[1], strerror(err));
	}
	close(fd);
	return err;
}
