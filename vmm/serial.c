// SPDX-License-Identifier: GPL-2.0
#include <linux/serial_reg.h>

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

__u8 serial__read(struct serial *s, unsigned int reg)
{
	switch (reg) {
	case UART_RX:			/* no input: RBR reads 0 */
		return serial_dlab(s) ? s->dll : 0;
	case UART_IER:
		return serial_dlab(s) ? s->dlm : s->ier;
	case UART_IIR:
		return UART_IIR_NO_INT |
		       (s->fcr & UART_FCR_ENABLE_FIFO ? 0xc0 : 0);
	case UART_LCR:
		return s->lcr;
	case UART_MCR:
		return s->mcr;
	case UART_LSR:
		return UART_LSR_TEMT | UART_LSR_THRE;
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

void serial__write(struct serial *s, unsigned int reg, __u8 val)
{
	switch (reg) {
	case UART_TX:
		if (serial_dlab(s)) {
			s->dll = val;
		} else if (!(s->mcr & UART_MCR_LOOP)) {
			/* Loopback output goes nowhere: no receiver here. */
			fputc(val, s->out);
			fflush(s->out);
			s->tx_bytes++;
		}
		break;
	case UART_IER:
		if (serial_dlab(s))
			s->dlm = val;
		else
			s->ier = val & 0x0f;
		break;
	case UART_FCR:
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
