// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <linux/serial_reg.h>
#include <poll.h>
#include <stdlib.h>
#include <termios.h>
#include <unistd.h>

#include "console.h"
#include "die.h"
#include "exit_status.h"
#include "serial.h"
#include "vcpu.h"

static int console_fd = -1;
static bool console_raw;	/* the terminal is in raw mode: restore it */
static bool console_escape;	/* Ctrl-A seen, waiting for the command */
static struct termios console_saved;

void console__restore(void)
{
	if (console_raw) {
		tcsetattr(console_fd, TCSAFLUSH, &console_saved);
		console_raw = false;
	}
}

int console__init(int fd, bool raw)
{
	struct termios t;

	console_fd = fd;
	console_escape = false;
	if (!raw || !isatty(fd))
		return 0;
	if (tcgetattr(fd, &console_saved))
		return -errno;
	t = console_saved;
	cfmakeraw(&t);
	/* Output stays cooked: the guest's "\n" is the terminal's newline. */
	t.c_oflag |= OPOST;
	if (tcsetattr(fd, TCSAFLUSH, &t))
		return -errno;
	console_raw = true;
	/* exit() from anywhere (die(), a device) restores it too. */
	atexit(console__restore);
	return 0;
}

int console__poll_fd(void)
{
	struct serial *s = serial__com1();

	if (console_fd < 0 || !s || !serial__rx_room(s))
		return -1;
	return console_fd;
}

bool console__can_wake(void)
{
	struct serial *s = serial__com1();

	return console_fd >= 0 && s && (s->ier & UART_IER_RDI);
}

/* Ctrl-A handling on a raw terminal: false if @c is consumed. */
static bool console_filter(struct vcpu *v, unsigned char c)
{
	if (!console_raw)
		return true;
	if (!console_escape) {
		if (c != CONSOLE_ESCAPE)
			return true;
		console_escape = true;
		return false;
	}
	console_escape = false;
	if (c == 'x' || c == 'X') {
		console__restore();
		fprintf(v->err, "\r\n" VMM_PROG ": Ctrl-A x: guest stopped\n");
		vcpu_stop(v, VMM_EXIT_OK);
		return false;
	}
	return c == CONSOLE_ESCAPE;	/* Ctrl-A Ctrl-A sends one */
}

void console__read(struct vcpu *v)
{
	struct serial *s = serial__com1();
	struct pollfd pfd = { .events = POLLIN };
	unsigned char buf[SERIAL_RX_SIZE];
	ssize_t n, i;

	pfd.fd = console__poll_fd();
	if (pfd.fd < 0 || poll(&pfd, 1, 0) <= 0)
		return;
	n = read(pfd.fd, buf, serial__rx_room(s));
	if (n <= 0) {
		if (n == 0 || (errno != EINTR && errno != EAGAIN))
			console_fd = -1;	/* end of input */
		return;
	}
	for (i = 0; i < n && !v->stop; i++)
		if (console_filter(v, buf[i]))
			serial__receive(s, &buf[i], 1);
}
