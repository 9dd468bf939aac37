// SPDX-License-Identifier: GPL-2.0
/* Port and MMIO routing, the 16550 UART model, the debug-exit port. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/serial_reg.h>
#include <criterion/criterion.h>

#include "debug_exit.h"
#include "helpers.h"
#include "mmio.h"
#include "pio.h"
#include "serial.h"
#include "vcpu.h"

static struct vcpu v;
static struct membuf errb;

static void setup(void)
{
	vcpu_init(&v, -1, NULL, 0);
	v.err = membuf_open(&errb);
	pio__reset();
	mmio__reset();
}

static void teardown(void)
{
	if (errb.f)
		free(membuf_str(&errb));
}

TestSuite(pio, .init = setup, .fini = teardown);
TestSuite(mmio, .init = setup, .fini = teardown);
TestSuite(serial, .init = setup, .fini = teardown);
TestSuite(debug_exit, .init = setup, .fini = teardown);

/* A device that records its accesses. */
struct rec {
	unsigned int calls;
	__u16 port;
	__u32 size;
	bool is_write;
	__u8 data[4];
	__u8 in_value;
};

static void rec_io(struct vcpu *vc, __u16 port, __u8 *data, __u32 size,
		   bool is_write, void *opaque)
{
	struct rec *r = opaque;

	cr_assert_eq(vc, &v);
	r->calls++;
	r->port = port;
	r->size = size;
	r->is_write = is_write;
	if (is_write)
		memcpy(r->data, data, size);
	else
		memset(data, r->in_value, size);
}

Test(pio, register_and_refuse_overlap)
{
	struct rec a = { 0 }, b = { 0 };

	cr_assert_eq(pio__register(0x100, 8, rec_io, &a), 0);
	cr_assert_eq(pio__register(0x100, 8, rec_io, &b), -EEXIST);
	cr_assert_eq(pio__register(0x107, 1, rec_io, &b), -EEXIST);
	cr_assert_eq(pio__register(0xf0, 0x11, rec_io, &b), -EEXIST);
	cr_assert_eq(pio__register(0xf0, 0x100, rec_io, &b), -EEXIST, "covers it");
	cr_assert_eq(pio__register(0xf8, 8, rec_io, &b), 0, "adjacent below");
	cr_assert_eq(pio__register(0x108, 8, rec_io, &b), 0, "adjacent above");
	cr_assert_eq(pio__register(0x200, 0, rec_io, &b), -EINVAL);
	cr_assert_eq(pio__register(0xffff, 2, rec_io, &b), -EINVAL);
	cr_assert_eq(pio__register(0xffff, 1, rec_io, &b), 0);
	cr_assert_eq(pio__unregister(0x100), 0);
	cr_assert_eq(pio__unregister(0x100), -ENOENT);
	cr_assert_eq(pio__register(0x100, 8, rec_io, &b), 0, "free again");
}

Test(pio, dispatch_by_port_and_size)
{
	struct rec a = { .in_value = 0xa1 }, b = { .in_value = 0xb2 };
	__u8 data[4] = { 0x11, 0x22, 0x33, 0x44 };

	cr_assert_eq(pio__register(0x60, 4, rec_io, &a), 0);
	cr_assert_eq(pio__register(0x70, 2, rec_io, &b), 0);

	pio__io(&v, 0x62, data, 2, 1, true);
	cr_assert_eq(a.calls, 1);
	cr_assert_eq(b.calls, 0);
	cr_assert_eq(a.port, 0x62, "the port itself, not the base");
	cr_assert_eq(a.size, 2);
	cr_assert(a.is_write);
	cr_assert_arr_eq(a.data, data, 2);

	pio__io(&v, 0x71, data, 4, 1, false);
	cr_assert_eq(b.calls, 1);
	cr_assert_eq(b.port, 0x71);
	cr_assert_eq(b.size, 4);
	cr_assert_not(b.is_write);
	cr_assert_arr_eq(data, "\xb2\xb2\xb2\xb2", 4);
}

Test(pio, rep_count)
{
	struct rec a = { .in_value = 0x5c };
	__u8 data[6] = { 0 };

	cr_assert_eq(pio__register(0x1f0, 8, rec_io, &a), 0);
	pio__io(&v, 0x1f0, data, 2, 3, false);
	cr_assert_eq(a.calls, 3);
	cr_assert_arr_eq(data, "\x5c\x5c\x5c\x5c\x5c\x5c", 6);
}

Test(pio, unhandled_reported_once)
{
	__u8 data[4] = { 1, 2, 3, 4 };
	char *e;

	pio__io(&v, 0x80, data, 1, 1, true);
	pio__io(&v, 0x80, data, 1, 1, true);
	pio__io(&v, 0x80, data, 2, 1, false);
	cr_assert_arr_eq(data, "\xff\xff\x03\x04", 4, "IN reads all-ones");
	pio__io(&v, 0x61, data, 4, 1, false);
	cr_assert_arr_eq(data, "\xff\xff\xff\xff", 4);
	pio__io(&v, 0x61, data, 1, 2, true);
	cr_assert_eq(pio__unhandled_accesses(), 6);
	cr_assert_eq(pio__unhandled_ports(), 2);
	e = membuf_str(&errb);
	cr_assert_str_eq(e,
		"minivmm: unhandled port 0x0080: OUT of 1 byte ignored (reported once per port)\n"
		"minivmm: unhandled port 0x0061: IN of 4 bytes reads all-ones (reported once per port)\n");
	free(e);
}

Test(pio, stop_ends_rep)
{
	__u8 data[3] = { 9, 8, 7 };

	cr_assert_eq(debug_exit__setup(), 0);
	pio__io(&v, DEBUG_EXIT_PORT, data, 1, 3, true);
	cr_assert(v.stop);
	cr_assert_eq(v.stop_status, 9, "the first OUT wins");
}

static void mmio_rec(struct vcpu *vc, __u64 addr, __u8 *data, __u32 len,
		     bool is_write, void *opaque)
{
	struct rec *r = opaque;

	(void)vc;
	r->calls++;
	r->port = addr & 0xffff;
	r->size = len;
	r->is_write = is_write;
	if (!is_write)
		memset(data, r->in_value, len);
}

Test(mmio, register_and_dispatch)
{
	struct rec a = { .in_value = 0x42 };
	__u8 data[8] = { 0 };

	cr_assert_eq(mmio__register(0xfed00000, 0x1000, mmio_rec, &a), 0);
	cr_assert_eq(mmio__register(0xfed00800, 0x10, mmio_rec, &a), -EEXIST);
	cr_assert_eq(mmio__register(~0ull - 1, 4, mmio_rec, &a), -EINVAL);
	mmio__access(&v, 0xfed000f0, data, 8, false);
	cr_assert_eq(a.calls, 1);
	cr_assert_eq(a.port, 0x00f0);
	cr_assert_eq(a.size, 8);
	cr_assert_arr_eq(data, "\x42\x42\x42\x42\x42\x42\x42\x42", 8);
	cr_assert_eq(mmio__unhandled_accesses(), 0);
}

Test(mmio, unhandled_reported_once)
{
	__u8 data[8] = { 0 };
	char *e;

	mmio__access(&v, 0xd0000000, data, 4, false);
	cr_assert_arr_eq(data, "\xff\xff\xff\xff\x00", 5);
	mmio__access(&v, 0xd0000000, data, 4, true);
	mmio__access(&v, 0xd0000000, data, 4, false);
	mmio__access(&v, 0xd0000004, data, 1, true);
	cr_assert_eq(mmio__unhandled_accesses(), 4);
	e = membuf_str(&errb);
	cr_assert_str_eq(e,
		"minivmm: unhandled MMIO at 0xd0000000: read of 4 bytes reads all-ones (reported once per address)\n"
		"minivmm: unhandled MMIO at 0xd0000004: write of 1 byte ignored (reported once per address)\n");
	free(e);
}

Test(mmio, report_limit)
{
	__u8 data[8];
	unsigned int i, lines = 0;
	char *e, *p;

	for (i = 0; i < MMIO_REPORT_MAX + 10; i++)
		mmio__access(&v, 0xe0000000 + i * 4, data, 4, false);
	e = membuf_str(&errb);
	for (p = e; (p = strchr(p, '\n')); p++)
		lines++;
	cr_assert_eq(lines, MMIO_REPORT_MAX + 1, "%s", e);
	cr_assert_not_null(strstr(e, "no longer reporting"));
	free(e);
}

static struct serial uart;
static struct membuf outb;

static void uart_out(const char *s)
{
	while (*s)
		serial__write(&uart, UART_TX, *s++);
}

Test(serial, lsr_and_thr)
{
	char *out;

	serial__init(&uart, SERIAL_COM1_BASE, membuf_open(&outb));
	cr_assert_eq(serial__read(&uart, UART_LSR), 0x60, "THRE|TEMT, no data");
	uart_out("Hi\n");
	cr_assert_eq(serial__read(&uart, UART_LSR), 0x60);
	cr_assert_eq(uart.tx_bytes, 3);
	out = membuf_str(&outb);
	cr_assert_str_eq(out, "Hi\n");
	free(out);
}

Test(serial, registers)
{
	serial__init(&uart, SERIAL_COM1_BASE, membuf_open(&outb));
	cr_assert_eq(serial__read(&uart, UART_RX), 0, "nothing received");
	cr_assert_eq(serial__read(&uart, UART_IIR), UART_IIR_NO_INT);
	serial__write(&uart, UART_SCR, 0xa5);
	cr_assert_eq(serial__read(&uart, UART_SCR), 0xa5);
	serial__write(&uart, UART_IER, 0xff);
	cr_assert_eq(serial__read(&uart, UART_IER), 0x0f);
	serial__write(&uart, UART_FCR, UART_FCR_ENABLE_FIFO);
	cr_assert_eq(serial__read(&uart, UART_IIR), 0xc2, "THRI enabled with THR empty");
	cr_assert_eq(serial__read(&uart, UART_IIR), 0xc1, "reading IIR acknowledged it");
	serial__write(&uart, UART_LSR, 0);
	cr_assert_eq(serial__read(&uart, UART_LSR), 0x60, "LSR read-only");
	cr_assert_eq(serial__read(&uart, UART_MSR) & 0xb0, 0xb0, "DCD|DSR|CTS");

	/* Divisor latch: 115200 baud, then back; THR writes are not output. */
	serial__write(&uart, UART_LCR, UART_LCR_DLAB | UART_LCR_WLEN8);
	serial__write(&uart, UART_DLL, 1);
	serial__write(&uart, UART_DLM, 0);
	cr_assert_eq(serial__read(&uart, UART_DLL), 1);
	cr_assert_eq(serial__read(&uart, UART_DLM), 0);
	serial__write(&uart, UART_LCR, UART_LCR_WLEN8);
	cr_assert_eq(serial__read(&uart, UART_LCR), UART_LCR_WLEN8);
	cr_assert_eq(serial__read(&uart, UART_IER), 0x0f, "IER kept");
	cr_assert_eq(uart.dll, 1);
	cr_assert_eq(uart.tx_bytes, 0);

	/* Loopback: MSR mirrors MCR, output goes nowhere. */
	serial__write(&uart, UART_MCR, UART_MCR_LOOP | UART_MCR_OUT2 | UART_MCR_RTS);
	cr_assert_eq(serial__read(&uart, UART_MSR), UART_MSR_DCD | UART_MSR_CTS);
	uart_out("x");
	cr_assert_eq(uart.tx_bytes, 0);
	free(membuf_str(&outb));
}

static int irq_level, irq_edges;

static void rec_irq(void *opaque, int level)
{
	(void)opaque;
	if (level && !irq_level)
		irq_edges++;
	irq_level = level;
}

Test(serial, receive_raises_rdi)
{
	const __u8 in[] = "ab";

	serial__init(&uart, SERIAL_COM1_BASE, membuf_open(&outb));
	uart.irq_fn = rec_irq;
	irq_level = irq_edges = 0;
	cr_assert_eq(serial__receive(&uart, in, 2), 2);
	cr_assert_eq(irq_level, 0, "RDI not enabled yet");
	cr_assert_eq(serial__read(&uart, UART_LSR), 0x61, "THRE|TEMT|DR");
	serial__write(&uart, UART_IER, UART_IER_RDI);
	cr_assert_eq(irq_level, 1);
	cr_assert_eq(serial__read(&uart, UART_IIR), UART_IIR_RDI);
	cr_assert_eq(serial__read(&uart, UART_RX), 'a');
	cr_assert_eq(irq_level, 1, "one byte still waits");
	cr_assert_eq(serial__read(&uart, UART_RX), 'b');
	cr_assert_eq(irq_level, 0);
	cr_assert_eq(serial__read(&uart, UART_LSR), 0x60);
	cr_assert_eq(serial__read(&uart, UART_IIR), UART_IIR_NO_INT);
	cr_assert_eq(irq_edges, 1);
	cr_assert_eq(serial__rx_room(&uart), SERIAL_RX_SIZE);
	free(membuf_str(&outb));
}

Test(serial, receive_fifo_bounded)
{
	__u8 in[SERIAL_RX_SIZE + 10];

	serial__init(&uart, SERIAL_COM1_BASE, membuf_open(&outb));
	memset(in, 'x', sizeof(in));
	cr_assert_eq(serial__receive(&uart, in, sizeof(in)), SERIAL_RX_SIZE);
	cr_assert_eq(serial__rx_room(&uart), 0);
	cr_assert_eq(serial__receive(&uart, in, 1), 0);
	serial__write(&uart, UART_FCR, UART_FCR_ENABLE_FIFO | UART_FCR_CLEAR_RCVR);
	cr_assert_eq(serial__rx_room(&uart), SERIAL_RX_SIZE, "FIFO reset");
	free(membuf_str(&outb));
}

Test(serial, thr_empty_interrupt)
{
	serial__init(&uart, SERIAL_COM1_BASE, membuf_open(&outb));
	uart.irq_fn = rec_irq;
	irq_level = irq_edges = 0;
	serial__write(&uart, UART_IER, UART_IER_THRI);
	cr_assert_eq(irq_level, 1, "enabling THRI with THR empty raises it");
	cr_assert_eq(serial__read(&uart, UART_IIR), UART_IIR_THRI);
	cr_assert_eq(irq_level, 0, "reading IIR acknowledged it");
	uart_out("z");
	cr_assert_eq(irq_level, 1, "sent at once: THR empty again");
	uart_out("z");
	cr_assert_eq(irq_edges, 2);
	serial__write(&uart, UART_IER, 0);
	cr_assert_eq(irq_level, 0);
	free(membuf_str(&outb));
}

static char last_line[SERIAL_LINE_MAX];
static int lines_seen;

static void rec_line(void *opaque, const char *line)
{
	(void)opaque;
	snprintf(last_line, sizeof(last_line), "%s", line);
	lines_seen++;
}

Test(serial, output_lines)
{
	serial__init(&uart, SERIAL_COM1_BASE, membuf_open(&outb));
	uart.line_fn = rec_line;
	lines_seen = 0;
	uart_out("one\r\nKernel panic - not syncing: x\n");
	cr_assert_eq(lines_seen, 2);
	cr_assert_str_eq(last_line, "Kernel panic - not syncing: x");
	free(membuf_str(&outb));
}

Test(serial, through_pio)
{
	__u8 d[4] = { 'O', 'K', 0, 0 };
	char *out;

	cr_assert_eq(serial__setup(&uart, SERIAL_COM1_BASE, membuf_open(&outb)), 0);
	pio__io(&v, 0x3fd, d + 2, 1, 1, false);
	cr_assert_eq(d[2], 0x60);
	pio__io(&v, 0x3f8, d, 1, 2, true);	/* REP OUTSB of "OK" */
	pio__io(&v, 0x3ff, d + 2, 1, 1, true);	/* scratch = 0x60 */
	pio__io(&v, 0x3fe, d, 4, 1, false);	/* MSR, SCR, then past the UART */
	cr_assert_eq(d[1], 0x60);
	cr_assert_eq(d[2], 0xff);
	cr_assert_eq(d[3], 0xff);
	out = membuf_str(&outb);
	cr_assert_str_eq(out, "OK");
	free(out);
	cr_assert_eq(pio__register(0x3fc, 1, rec_io, NULL), -EEXIST);
	cr_assert_eq(pio__unhandled_accesses(), 0);
}

Test(debug_exit, sizes)
{
	__u8 d1[1] = { 7 }, d2[2] = { 0x34, 0x12 }, d4[4] = { 0x07, 0x56, 0x34, 0x12 };

	cr_assert_eq(debug_exit__setup(), 0);
	pio__io(&v, DEBUG_EXIT_PORT, d1, 1, 1, true);
	cr_assert(v.stop);
	cr_assert_eq(v.stop_status, 7);
	v.stop = false;
	pio__io(&v, DEBUG_EXIT_PORT, d2, 2, 1, true);
	cr_assert_eq(v.stop_status, 0x34, "N & 0xff");
	v.stop = false;
	pio__io(&v, DEBUG_EXIT_PORT, d4, 4, 1, true);
	cr_assert_eq(v.stop_status, 7);
}

Test(debug_exit, in_and_neighbours)
{
	__u8 d[4] = { 0 };

	cr_assert_eq(debug_exit__setup(), 0);
	pio__io(&v, DEBUG_EXIT_PORT, d, 4, 1, false);
	cr_assert_arr_eq(d, "\xff\xff\xff\xff", 4);
	cr_assert_not(v.stop);
	pio__io(&v, DEBUG_EXIT_PORT + 1, d, 1, 1, true);
	cr_assert_not(v.stop, "only port 0xf4 exits");
	cr_assert_eq(pio__unhandled_accesses(), 0);
}
