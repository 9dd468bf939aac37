// SPDX-License-Identifier: GPL-2.0
/*
 * pty_drive SECONDS CMD [ARG...]: run CMD (a `minivmm run --kernel ...`
 * whose guest ends in a shell) on a pseudo-terminal and use it as a
 * person would: wait for the guest's "LINUXGUEST: shell" line, check the
 * terminal is in raw mode, type a command and read its answer, then
 * Ctrl-A x. Checks that minivmm exits 0 saying why and that the terminal
 * is back in the mode it had. One line per check, "PTY: PASS <name>" or
 * "PTY: FAIL <name>: <why>"; the guest's output goes to stdout behind
 * "PTY| ". Exit status: the number of failures.
 */
#include <errno.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

static int failed;
static char out[1 << 20];
static size_t out_len;

static void result(const char *name, int ok, const char *why)
{
	if (ok) {
		printf("\nPTY: PASS %s\n", name);
	} else {
		printf("\nPTY: FAIL %s: %s\n", name, why);
		failed++;
	}
	fflush(stdout);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Read from @fd into out[] until @want appears after @from or @deadline. */
static int wait_for(int fd, const char *want, size_t from, double deadline)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	ssize_t n;

	while (now() < deadline) {
		out[out_len] = '\0';
		if (strstr(out + from, want))
			return 1;
		if (poll(&p, 1, 200) <= 0)
			continue;
		n = read(fd, out + out_len, sizeof(out) - 1 - out_len);
		if (n <= 0)
			return 0;	/* EIO: the child closed the terminal */
		fwrite(out + out_len, 1, n, stdout);
		out_len += n;
	}
	out[out_len] = '\0';
	return strstr(out + from, want) != NULL;
}

/* utime + stime of @pid in clock ticks, from /proc/PID/stat; -1 if unknown. */
static long long cpu_ticks(pid_t pid)
{
	char path[64], buf[1024], *p;
	unsigned long long ut, st;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (!fgets(buf, sizeof(buf), f)) {
		fclose(f);
		return -1;
	}
	fclose(f);
	p = strrchr(buf, ')');	/* the command name may hold spaces */
	if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu",
			 &ut, &st) != 2)
		return -1;
	return ut + st;
}

static void type(int fd, const char *s)
{
	/* A byte at a time, as typed: the UART's FIFO is small. */
	for (; *s; s++) {
		if (write(fd, s, 1) != 1)
			return;
		usleep(20000);
	}
}

int main(int argc, char **argv)
{
	struct termios before, during, after;
	double deadline;
	int master, status = -1;
	size_t mark;
	pid_t pid, w;

	if (argc < 3) {
		fprintf(stderr, "usage: %s SECONDS CMD [ARG...]\n", argv[0]);
		return 2;
	}
	deadline = now() + atof(argv[1]);
	pid = forkpty(&master, NULL, NULL, NULL);
	if (pid < 0) {
		perror("forkpty");
		return 2;
	}
	if (pid == 0) {
		execvp(argv[2], argv + 2);
		_exit(127);
	}
	/* The pty's line discipline as minivmm found it (cooked, echo). */
	tcgetattr(master, &before);

	result("shell-reached", wait_for(master, "LINUXGUEST: shell", 0, deadline),
	       "no 'LINUXGUEST: shell' line");
	tcgetattr(master, &during);
	result("raw-mode-while-running", !(during.c_lflag & (ICANON | ECHO | ISIG)),
	       "ICANON, ECHO or ISIG still set on the terminal");
	/* The prompt, then a command whose answer is not its echo. */
	wait_for(master, "# ", out_len > 200 ? out_len - 200 : 0, now() + 30);
	/*
	 * An idle guest (its shell waits for input, its timer ticks) costs
	 * the host little: minivmm sleeps in ppoll() between ticks. Its CPU
	 * time (the guest's included) over 10 s of wall time.
	 */
	{
		long long c0 = cpu_ticks(pid), c1;
		double w0 = now(), pct;

		sleep(10);
		c1 = cpu_ticks(pid);
		pct = 100.0 * (c1 - c0) / sysconf(_SC_CLK_TCK) / (now() - w0);
		printf("\nPTY: INFO idle guest: minivmm used %.1f%% of a CPU over %.1f s\n",
		       pct, now() - w0);
		result("idle-sleeps", c0 >= 0 && c1 >= 0 && pct < 50,
		       "an idle guest kept minivmm busy (see the INFO line)");
	}
	mark = out_len;
	type(master, "echo minivmm-$((40+2))\r");
	result("command-answered", wait_for(master, "minivmm-42", mark, now() + 120),
	       "no 'minivmm-42' after typing the command");
	mark = out_len;
	type(master, "\001x");
	wait_for(master, "Ctrl-A x", mark, now() + 60);
	while (now() < deadline) {
		w = waitpid(pid, &status, WNOHANG);
		if (w == pid)
			break;
		wait_for(master, "\n\n\n", out_len, now() + 0.5);
	}
	if (status == -1) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		result("ctrl-a-x-quits", 0, "minivmm still running after Ctrl-A x");
	} else {
		result("ctrl-a-x-quits", WIFEXITED(status) && WEXITSTATUS(status) == 0 &&
		       strstr(out + mark, "Ctrl-A x: guest stopped"),
		       "not exit status 0 with 'Ctrl-A x: guest stopped'");
	}
	tcgetattr(master, &after);
	result("terminal-restored", after.c_lflag == before.c_lflag &&
	       after.c_iflag == before.c_iflag && after.c_oflag == before.c_oflag,
	       "the terminal's modes differ from before the run");
	printf("\nPTY: %d failed\n", failed);
	return failed;
}
