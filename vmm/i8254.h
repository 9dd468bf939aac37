/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The 8254 programmable interval timer (Intel 8254 data sheet) and port
 * 0x61 (system control port B): counters 0-2 at 0x40-0x42, control word
 * at 0x43. Counting is computed from time, never ticked: a counter
 * loaded at time T with N reads N - (now - T) * 1193182 Hz. Modes 0-5
 * (1 and 5 behave as 0 and 4: there is no gate edge but channel 2's),
 * binary counting (BCD is not emulated: the bit reads back, counts stay
 * binary), lobyte/hibyte/both access, counter latch and read-back.
 * Channel 0 drives IRQ 0: i8254__poll() says how many of its output's
 * rising edges passed, i8254__next_deadline() when the next comes.
 * Channel 2 counts while port 0x61 bit 0 (its gate) is set; its output
 * reads in bit 5. Bit 4 toggles every 15.085 us, as the refresh-request
 * bit that delay loops watch.
 */
#ifndef VMM_I8254_H
#define VMM_I8254_H

#include <stdbool.h>
#include <linux/types.h>

#define I8254_HZ		1193182
#define I8254_PORT		0x40	/* 0x40-0x43 */
#define I8254_CONTROL		0x43
#define I8254_PORT_B		0x61
#define I8254_IRQ		0

struct i8254_channel {
	__u8 mode;		/* 0..5 */
	__u8 access;		/* 1 lobyte, 2 hibyte, 3 lobyte then hibyte */
	bool bcd;
	bool armed;		/* a count was loaded (channel 0: edges come) */
	bool write_hi;		/* access 3: the next write is the high byte */
	bool read_hi;		/* access 3: the next read is the high byte */
	__u8 write_lo;		/* access 3: the low byte written */
	__u32 reload;		/* the count loaded, 1..65536 */
	__u64 start;		/* ns when counting from reload began */
	int latched;		/* bytes of latch left to read (0: none) */
	__u16 latch;
	bool status_latched;
	__u8 status;
	unsigned long long edges_seen;	/* channel 0: edges already reported */
};

struct i8254 {
	struct i8254_channel ch[3];
	__u8 port_b;		/* bits 0 (gate 2) and 1 (speaker) */
	__u64 gate_frozen;	/* channel 2: count while its gate is low */
};

void i8254__init(struct i8254 *pit, __u64 now);
__u8 i8254__read(struct i8254 *pit, __u16 port, __u64 now);
void i8254__write(struct i8254 *pit, __u16 port, __u8 val, __u64 now);
/* Channel 0's rising edges since the last poll (0 if none). */
unsigned int i8254__poll(struct i8254 *pit, __u64 now);
/* When channel 0's next rising edge comes, 0 if none will. */
__u64 i8254__next_deadline(const struct i8254 *pit);

#endif /* VMM_I8254_H */
