// SPDX-License-Identifier: GPL-2.0
#include <string.h>
#include <linux/serial_reg.h>

#include "devices.h"
#include "irq.h"
#include "pio.h"
#include "serial.h"

void serial__init(struct serial *s, __u16 base, FILE *out)
{
	*s = (struct serial) {
		.base = base,
		.out = out,
		.lcr = UART_LCR_WLEN8,
		.dll = 12,		/* 9600 baud, as after a BIOS */
	};
}

int serial__setup(struct serial *s, __u16 base, FILE *out)
{
	serial__init(s, base, out);
	return pio__register(base, SERIAL_NR_PORTS, serial__io, s);
}

static bool serial_dlab(const struct serial *s)
{
	return s->lcr & UART_LCR_DLAB;
}

/* The interrupt the UART asserts, highest priority first (16550A data sheet). */
static __u8 serial_iir_id(const struct serial *s)
{
	if ((s->ier & UART_IER_RDI) && s->rx_len)
		return UART_IIR_RDI;
	if ((s->ier & UART_IER_THRI) && s->thr_ipending)
		return UART_IIR_THRI;
	return UART_IIR_NO_INT;
}

/* The IRQ line follows the pending interrupt; the PIC sees its edges. */
static void serial_update_irq(struct serial *s)
{
	int level = serial_iir_id(s) != UART_IIR_NO_INT;

	if (level == s->irq_level)
		return;
	s->irq_level = level;
	if (s->irq_fn)
		s->irq_fn(s->irq_opaque, level);
}

static __u8 serial_rx_pop(struct serial *s)
{
	__u8 c;

	if (!s->rx_len)
		return 0;
	c = s->rx[s->rx_head];
	s->rx_head = (s->rx_head + 1) % SERIAL_RX_SIZE;
	s->rx_len--;
	return c;
}

unsigned int serial__rx_room(const struct serial *s)
{
	return SERIAL_RX_SIZE - s->rx_len;
}

unsigned int serial__receive(struct serial *s, const __u8 *buf, unsigned int len)
{
	unsigned int i;

	if (len > serial__rx_room(s))
		len = serial__rx_room(s);
	for (i = 0; i < len; i++)
		s->rx[(s->rx_head + s->rx_len++) % SERIAL_RX_SIZE] = buf[i];
	s->rx_bytes += len;
	serial_update_irq(s);
	return len;
}

__u8 serial__read(struct serial *s, unsigned int reg)
{
	__u8 v, id;

	switch (reg) {
	case UART_RX:
		if (serial_dlab(s))
			return s->dll;
		v = serial_rx_pop(s);
		serial_update_irq(s);
		return v;
	case UART_IER:
		return serial_dlab(s) ? s->dlm : s->ier;
	case UART_IIR:
		id = serial_iir_id(s);
		/* Reading IIR that reports THR empty acknowledges it. */
		if (id == UART_IIR_THRI) {
			s->thr_ipending = false;
			serial_update_irq(s);
		}
		return id | (s->fcr & UART_FCR_ENABLE_FIFO ? 0xc0 : 0);
	case UART_LCR:
		return s->lcr;
	case UART_MCR:
		return s->mcr;
	case UART_LSR:
		return UART_LSR_TEMT | UART_LSR_THRE | (s->rx_len ? UART_LSR_DR : 0);
	case UART_MSR:
		if (s->mcr & UART_MCR_LOOP)	/* outputs wired back to inputs */
			return (s->mcr & UART_MCR_DTR ? UART_MSR_DSR : 0) |
			       (s->mcr & UART_MCR_RTS ? UART_MSR_CTS : 0) |
			       (s->mcr & UART_MCR_OUT1 ? UART_MSR_RI : 0) |
			       (s->mcr & UART_MCR_OUT2 ? UART_MSR_DCD : 0);
		return UART_MSR_DCD | UART_MSR_DSR | UART_MSR_CTS;
	case UART_SCR:
		return s->scr;
	default:
		return 0xff;
	}
}

/* Whole output lines go to line_fn (a loader watching for a panic). */
static void serial_track_line(struct serial *s, __u8 c)
{
	if (!s->line_fn)
		return;
	if (c == '\n' || s->line_len == SERIAL_LINE_MAX - 1) {
		s->line[s->line_len] = '\0';
		s->line_fn(s->line_opaque, s->line);
		s->line_len = 0;
	} else if (c != '\r') {
		s->line[s->line_len++] = c;
	}
}

void serial__write(struct serial *s, unsigned int reg, __u8 val)
{
	switch (reg) {
	case UART_TX:
		if (serial_dlab(s)) {
			s->dll = val;
			break;
		}
		if (!(s->mcr & UART_MCR_LOOP)) {
			fputc(val, s->out);
			fflush(s->out);
			s->tx_bytes++;
			serial_track_line(s, val);
		} else if (serial__rx_room(s)) {
			serial__receive(s, &val, 1);	/* loopback */
		}
		/* Sent at once: THR is empty again. */
		s->thr_ipending = true;
		break;
	case UART_IER:
		if (serial_dlab(s)) {
			s->dlm = val;
			break;
		}
		if ((val & UART_IER_THRI) && !(s->ier & UART_IER_THRI))
			s->thr_ipending = true;
		s->ier = val & 0x0f;
		break;
	case UART_FCR:
		if (val & UART_FCR_CLEAR_RCVR)
			s->rx_len = 0;
		s->fcr = val & (UART_FCR_ENABLE_FIFO | UART_FCR_TRIGGER_MASK);
		break;
	case UART_LCR:
		s->lcr = val;
		break;
	case UART_MCR:
		s->mcr = val & 0x1f;
		break;
	case UART_SCR:
		s->scr = val;
		break;
	default:			/* LSR, MSR: read-only */
		break;
	}
	serial_update_irq(s);
}

void serial__io(struct vcpu *v, __u16 port, __u8 *data, __u32 size,
		bool is_write, void *opaque)
{
	struct serial *s = opaque;
	unsigned int i, reg;

	(void)v;
	for (i = 0; i < size; i++) {
		reg = port + i - s->base;
		if (reg >= SERIAL_NR_PORTS) {	/* past the UART */
			if (!is_write)
				data[i] = 0xff;
		} else if (is_write) {
			serial__write(s, reg, data[i]);
		} else {
			data[i] = serial__read(s, reg);
		}
	}
}

/* The registry's COM1: output to stdout, input from the console, IRQ 4. */
static struct serial com1;

struct serial *serial__com1(void)
{
	return com1.base ? &com1 : NULL;
}

static void serial_irq(void *opaque, int level)
{
	(void)opaque;
	irq__line(SERIAL_COM1_IRQ, level);
}

static int serial_device_init(struct vm_devices *d)
{
	int ret = serial__setup(&com1, SERIAL_COM1_BASE, d->out);

	com1.irq_fn = serial_irq;
	return ret;
}

static void serial_device_exit(void)
{
	memset(&com1, 0, sizeof(com1));
}

const struct device serial_device = {
	.name = "serial",
	.help = "16550A UART on COM1 (0x3f8-0x3ff, IRQ 4): output to stdout, input from stdin",
	.init = serial_device_init,
	.exit = serial_device_exit,
};
