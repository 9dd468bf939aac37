// SPDX-License-Identifier: GPL-2.0
/*
 * The 8254 PIT model (i8254.h), with time passed in as Linux's uses of it
 * would see it pass: the periodic and one-shot clockevents on channel 0
 * (drivers/clocksource/i8253.c), the latched count read of its
 * clocksource, and the TSC calibrations on channel 2 gated by port 0x61
 * (arch/x86/kernel/tsc.c).
 */
#include <criterion/criterion.h>

#include "i8254.h"

#define NSEC	1000000000ull
#define MS	1000000ull
#define T0	(1000 * MS)	/* an arbitrary monotonic "now" */

/*
 * The first ns at which @ticks input clocks have passed: the model rounds
 * deadlines up (never early), so they are at most 1 ns after the exact
 * ticks / I8254_HZ seconds.
 */
static __u64 ns_of(__u64 ticks)
{
	return (ticks * NSEC + I8254_HZ - 1) / I8254_HZ;
}

/* Control word, then the count LSB then MSB (access mode 3). */
static void program(struct i8254 *pit, __u8 ctl, __u16 count, __u64 now)
{
	i8254__write(pit, 0x43, ctl, now);
	i8254__write(pit, 0x40 + (ctl >> 6), count & 0xff, now);
	i8254__write(pit, 0x40 + (ctl >> 6), count >> 8, now);
}

/* A counter latch command and the two reads of it, as pit_read() does. */
static __u16 latched_count(struct i8254 *pit, unsigned int ch, __u64 now)
{
	__u16 v;

	i8254__write(pit, 0x43, ch << 6, now);
	v = i8254__read(pit, 0x40 + ch, now);
	return v | i8254__read(pit, 0x40 + ch, now) << 8;
}

static bool out2(struct i8254 *pit, __u64 now)
{
	return i8254__read(pit, 0x61, now) & 0x20;
}

Test(pit, reset_state)
{
	struct i8254 pit;

	i8254__init(&pit, T0);
	cr_assert_eq(i8254__next_deadline(&pit), 0, "nothing programmed");
	cr_assert_eq(i8254__poll(&pit, T0 + 1000 * MS), 0);
	cr_assert_eq(i8254__read(&pit, 0x43, T0), 0xff, "the control word is write-only");
	cr_assert_eq(i8254__read(&pit, 0x61, T0) & 0x23, 0, "gate 2, speaker and OUT2 low");
}

Test(pit, mode2_periodic_250hz)
{
	struct i8254 pit;
	__u64 d;

	i8254__init(&pit, 0);
	program(&pit, 0x34, 4773, T0);
	d = i8254__next_deadline(&pit);
	/* 4773 / 1193182 s = 4000227.96 ns */
	cr_assert(d >= T0 + 4000227 && d <= T0 + 4000228, "deadline T0 + %llu",
		  (unsigned long long)(d - T0));
	cr_assert_eq(d, T0 + ns_of(4773));
	cr_assert_eq(i8254__poll(&pit, T0), 0);
	cr_assert_eq(i8254__poll(&pit, d - 1), 0, "not early");
	cr_assert_eq(i8254__next_deadline(&pit), d, "polling early changes nothing");
	cr_assert_eq(i8254__poll(&pit, d), 1);
	cr_assert_eq(i8254__poll(&pit, d), 0, "reported once");
	cr_assert_eq(i8254__next_deadline(&pit), T0 + ns_of(2 * 4773), "one period on");
	/* Late by three periods: three edges in one poll. */
	cr_assert_eq(i8254__poll(&pit, T0 + ns_of(4 * 4773)), 3);
	cr_assert_eq(i8254__next_deadline(&pit), T0 + ns_of(5 * 4773));
	cr_assert_eq(i8254__poll(&pit, T0 + ns_of(5 * 4773) - 1), 0);
}

Test(pit, mode2_no_drift)
{
	struct i8254 pit;
	unsigned int k;
	__u64 d;

	i8254__init(&pit, 0);
	program(&pit, 0x34, 11932, T0);		/* LATCH for HZ=100 */
	for (k = 1; k <= 10000; k++) {
		d = i8254__next_deadline(&pit);
		cr_assert_eq(d, T0 + ns_of((__u64)k * 11932), "edge %u", k);
		cr_assert_eq(i8254__poll(&pit, d - 1), 0, "edge %u", k);
		cr_assert_eq(i8254__poll(&pit, d), 1, "edge %u", k);
	}
}

Test(pit, count_zero_is_65536)
{
	struct i8254 pit;

	i8254__init(&pit, 0);
	program(&pit, 0x34, 0, T0);
	cr_assert_eq(i8254__next_deadline(&pit), T0 + ns_of(65536));
	cr_assert_eq(i8254__next_deadline(&pit), T0 + 54925402, "18.2 Hz");
}

Test(pit, mode3_square_wave_periodic)
{
	struct i8254 pit;

	i8254__init(&pit, 0);
	program(&pit, 0x36, 1000, T0);
	cr_assert_eq(i8254__next_deadline(&pit), T0 + ns_of(1000));
	cr_assert_eq(i8254__poll(&pit, T0 + ns_of(10 * 1000)), 10);
	cr_assert_eq(i8254__next_deadline(&pit), T0 + ns_of(11 * 1000));
}

Test(pit, mode2_new_count_restarts)
{
	struct i8254 pit;
	__u64 t1 = T0 + ns_of(2500);

	i8254__init(&pit, 0);
	program(&pit, 0x34, 1000, T0);
	cr_assert_eq(i8254__poll(&pit, t1), 2);
	/* A count alone (no control word): reloaded from now. */
	i8254__write(&pit, 0x40, 2000 & 0xff, t1);
	cr_assert_eq(i8254__next_deadline(&pit), T0 + ns_of(3000), "LSB alone loads nothing");
	i8254__write(&pit, 0x40, 2000 >> 8, t1);
	cr_assert_eq(i8254__next_deadline(&pit), t1 + ns_of(2000));
	cr_assert_eq(i8254__poll(&pit, t1 + ns_of(2000) - 1), 0);
	cr_assert_eq(i8254__poll(&pit, t1 + ns_of(2000)), 1);
}

/* pit_set_oneshot() writes 0x38, pit_next_event() the count. */
Test(pit, mode4_one_shot)
{
	struct i8254 pit;
	__u64 d, t1;

	i8254__init(&pit, 0);
	program(&pit, 0x38, 1193, T0);		/* about 1 ms */
	d = i8254__next_deadline(&pit);
	cr_assert_eq(d, T0 + ns_of(1193));
	cr_assert_eq(i8254__poll(&pit, d - 1), 0);
	cr_assert_eq(i8254__poll(&pit, d), 1);
	cr_assert_eq(i8254__next_deadline(&pit), 0, "fired: no more");
	cr_assert_eq(i8254__poll(&pit, T0 + 1000 * MS), 0, "once, even long after");
	/* The next event: the count alone rearms it. */
	t1 = T0 + 1000 * MS;
	i8254__write(&pit, 0x40, 100, t1);
	i8254__write(&pit, 0x40, 0, t1);
	cr_assert_eq(i8254__next_deadline(&pit), t1 + ns_of(100));
	cr_assert_eq(i8254__poll(&pit, t1 + 10 * MS), 1);
	cr_assert_eq(i8254__next_deadline(&pit), 0);
}

Test(pit, mode4_late_poll_counts_one)
{
	struct i8254 pit;

	i8254__init(&pit, 0);
	program(&pit, 0x38, 1000, T0);
	cr_assert_eq(i8254__poll(&pit, T0 + 1000 * MS), 1, "a one-shot fires once however late");
}

Test(pit, mode4_rearmed_before_firing)
{
	struct i8254 pit;
	__u64 t1 = T0 + ns_of(500);

	i8254__init(&pit, 0);
	program(&pit, 0x38, 1000, T0);
	i8254__write(&pit, 0x40, 1000 & 0xff, t1);
	i8254__write(&pit, 0x40, 1000 >> 8, t1);
	cr_assert_eq(i8254__next_deadline(&pit), t1 + ns_of(1000), "moved, not added");
	cr_assert_eq(i8254__poll(&pit, T0 + ns_of(1000)), 0);
	cr_assert_eq(i8254__poll(&pit, t1 + ns_of(1000)), 1);
}

Test(pit, mode0_one_shot)
{
	struct i8254 pit;

	i8254__init(&pit, 0);
	program(&pit, 0x30, 5000, T0);
	cr_assert_eq(i8254__next_deadline(&pit), T0 + ns_of(5000));
	cr_assert_eq(i8254__poll(&pit, T0 + 100 * MS), 1);
	cr_assert_eq(i8254__next_deadline(&pit), 0);
}

/*
 * Each outb is a VM exit and the VMM polls before every entry: a poll
 * between the control word and the count must see a stopped counter,
 * not a negative number of edges.
 */
Test(pit, poll_between_control_word_and_count)
{
	struct i8254 pit;
	__u64 t1 = T0 + ns_of(3 * 4773) + 10;

	i8254__init(&pit, 0);
	program(&pit, 0x34, 4773, T0);
	cr_assert_eq(i8254__poll(&pit, t1), 3);
	i8254__write(&pit, 0x43, 0x38, t1);	/* periodic -> one-shot */
	cr_assert_eq(i8254__next_deadline(&pit), 0, "stopped until a count comes");
	cr_assert_eq(i8254__poll(&pit, t1 + 1), 0);
	i8254__write(&pit, 0x40, 0x10, t1 + 2);
	cr_assert_eq(i8254__poll(&pit, t1 + 3), 0);
	i8254__write(&pit, 0x40, 0x00, t1 + 4);
	cr_assert_eq(i8254__next_deadline(&pit), t1 + 4 + ns_of(16));
	cr_assert_eq(i8254__poll(&pit, t1 + 10 * MS), 1);
	/* pit_shutdown(): 0x30 (then a count of 0, which arms mode 0 again). */
	i8254__write(&pit, 0x43, 0x30, t1 + 20 * MS);
	cr_assert_eq(i8254__poll(&pit, t1 + 30 * MS), 0);
	cr_assert_eq(i8254__next_deadline(&pit), 0);
}

/* The clocksource's pit_read(): latch, LSB, MSB; counting down. */
Test(pit, latched_count_decreases)
{
	struct i8254 pit;
	__u16 a, b, c;

	i8254__init(&pit, 0);
	program(&pit, 0x34, 11932, T0);
	a = latched_count(&pit, 0, T0 + ns_of(100));
	b = latched_count(&pit, 0, T0 + ns_of(5000));
	c = latched_count(&pit, 0, T0 + ns_of(11000));
	cr_assert_eq(a, 11932 - 100);
	cr_assert_eq(b, 11932 - 5000);
	cr_assert_eq(c, 11932 - 11000);
	/* Mode 2 reloads: 11932 .. 1, then 11932 again. */
	cr_assert_eq(latched_count(&pit, 0, T0 + ns_of(11931)), 1);
	cr_assert_eq(latched_count(&pit, 0, T0 + ns_of(11932)), 11932);
	cr_assert_eq(latched_count(&pit, 0, T0 + ns_of(11932 + 32)), 11900);
}

Test(pit, latch_freezes_until_read)
{
	struct i8254 pit;
	__u16 v;

	i8254__init(&pit, 0);
	program(&pit, 0x34, 0, T0);
	i8254__write(&pit, 0x43, 0x00, T0 + ns_of(1000));
	/* A second latch before the first is read is ignored (data sheet). */
	i8254__write(&pit, 0x43, 0x00, T0 + ns_of(2000));
	v = i8254__read(&pit, 0x40, T0 + ns_of(3000));
	v |= i8254__read(&pit, 0x40, T0 + ns_of(4000)) << 8;
	cr_assert_eq(v, 65536 - 1000, "the count when latched: %u", v);
	/* Read out: reads follow the counter again. */
	v = i8254__read(&pit, 0x40, T0 + ns_of(5000));
	v |= i8254__read(&pit, 0x40, T0 + ns_of(5000)) << 8;
	cr_assert_eq(v, 65536 - 5000);
}

Test(pit, access_lobyte_and_hibyte)
{
	struct i8254 pit;

	i8254__init(&pit, 0);
	i8254__write(&pit, 0x43, 0x10, T0);	/* channel 0, LSB only, mode 0 */
	i8254__write(&pit, 0x40, 200, T0);
	cr_assert_eq(i8254__next_deadline(&pit), T0 + ns_of(200), "one byte loads");
	cr_assert_eq(i8254__read(&pit, 0x40, T0 + ns_of(50)), 150);
	cr_assert_eq(i8254__read(&pit, 0x40, T0 + ns_of(60)), 140, "no flip-flop");
	i8254__write(&pit, 0x43, 0x20, T0);	/* MSB only, mode 0 */
	i8254__write(&pit, 0x40, 0x02, T0);
	cr_assert_eq(i8254__next_deadline(&pit), T0 + ns_of(0x200));
	cr_assert_eq(i8254__read(&pit, 0x40, T0 + ns_of(0x100)), 0x01);
	/* A latch in a one-byte mode is one read long. */
	i8254__write(&pit, 0x43, 0x00, T0 + ns_of(0x80));
	cr_assert_eq(i8254__read(&pit, 0x40, T0 + ns_of(0x180)), 0x01);
	cr_assert_eq(i8254__read(&pit, 0x40, T0 + ns_of(0x180)), 0x00);
}

Test(pit, lobyte_hibyte_flip_flop)
{
	struct i8254 pit;
	__u64 t = T0 + ns_of(0x10);

	i8254__init(&pit, 0);
	program(&pit, 0x74, 0x1234, T0);	/* channel 1, mode 2 */
	cr_assert_eq(i8254__read(&pit, 0x41, t), 0x24);
	cr_assert_eq(i8254__read(&pit, 0x41, t), 0x12);
	cr_assert_eq(i8254__read(&pit, 0x41, t), 0x24, "back to the LSB");
	/* A new control word resets the flip-flop. */
	i8254__read(&pit, 0x41, t);
	program(&pit, 0x74, 0x1234, T0);
	cr_assert_eq(i8254__read(&pit, 0x41, t), 0x24);
	cr_assert_eq(i8254__next_deadline(&pit), 0, "channel 1 is no IRQ 0");
}

/* After terminal count, modes 0 and 4 keep counting down from 0xffff. */
Test(pit, one_shot_count_wraps)
{
	struct i8254 pit;

	i8254__init(&pit, 0);
	program(&pit, 0x70, 100, T0);		/* channel 1, mode 0 */
	cr_assert_eq(latched_count(&pit, 1, T0 + ns_of(99)), 1);
	cr_assert_eq(latched_count(&pit, 1, T0 + ns_of(100)), 0);
	cr_assert_eq(latched_count(&pit, 1, T0 + ns_of(101)), 0xffff);
	cr_assert_eq(latched_count(&pit, 1, T0 + ns_of(100 + 0x1000)), 0xf000);
}

Test(pit, read_back_command)
{
	struct i8254 pit;
	__u8 status;
	__u16 v;

	i8254__init(&pit, 0);
	program(&pit, 0x34, 1000, T0);
	/* 0xc2: count and status of channel 0; status reads first. */
	i8254__write(&pit, 0x43, 0xc2, T0 + ns_of(10));
	status = i8254__read(&pit, 0x40, T0 + ns_of(500));
	cr_assert_eq(status & 0x3f, 0x34, "access, mode, BCD: %#x", status);
	v = i8254__read(&pit, 0x40, T0 + ns_of(500));
	v |= i8254__read(&pit, 0x40, T0 + ns_of(500)) << 8;
	cr_assert_eq(v, 990, "latched at the read-back");
	/* 0xe2: status only; 0xd2: count only. */
	i8254__write(&pit, 0x43, 0xe2, T0);
	cr_assert_eq(i8254__read(&pit, 0x40, T0) & 0x3f, 0x34);
	i8254__write(&pit, 0x43, 0xd2, T0 + ns_of(20));
	v = i8254__read(&pit, 0x40, T0 + ns_of(600));
	v |= i8254__read(&pit, 0x40, T0 + ns_of(600)) << 8;
	cr_assert_eq(v, 980);
	/* Odd ones must not upset anything. */
	i8254__write(&pit, 0x43, 0xc0, T0);	/* no channel selected */
	i8254__write(&pit, 0x43, 0xfe, T0);	/* all, neither count nor status */
	i8254__write(&pit, 0x43, 0xce, T0);	/* all three, count and status */
	cr_assert_eq(i8254__next_deadline(&pit), T0 + ns_of(1000), "channel 0 runs on");
}

/* pit_calibrate_tsc(): gate on, mode 0 on channel 2, poll OUT2 in bit 5. */
Test(pit, channel2_gate_and_out)
{
	struct i8254 pit;
	__u64 t0 = T0, end = t0 + ns_of(11931);

	i8254__init(&pit, 0);
	i8254__write(&pit, 0x61, (i8254__read(&pit, 0x61, t0) & ~0x02) | 0x01, t0);
	cr_assert_eq(i8254__read(&pit, 0x61, t0) & 0x03, 0x01, "gate on, speaker off");
	program(&pit, 0xb0, 11931, t0);		/* CAL_LATCH: 10 ms */
	cr_assert_not(out2(&pit, t0));
	cr_assert_not(out2(&pit, t0 + 5 * MS));
	cr_assert_not(out2(&pit, end - 1), "OUT2 low until terminal count");
	cr_assert(out2(&pit, end), "OUT2 high at 0");
	cr_assert(out2(&pit, end + 100 * MS), "and stays high");
	cr_assert_eq(i8254__next_deadline(&pit), 0, "channel 2 raises no IRQ");
	cr_assert_eq(i8254__poll(&pit, end), 0);
}

/* quick_pit_calibrate(): count 0xffff, the MSB falls every 256 ticks. */
Test(pit, channel2_msb_decreases)
{
	struct i8254 pit;
	unsigned int i;
	__u8 msb;

	i8254__init(&pit, 0);
	i8254__write(&pit, 0x61, 0x01, T0);
	program(&pit, 0xb0, 0xffff, T0);
	for (i = 1; i < 200; i++) {
		__u64 t = T0 + ns_of(256 * i);

		i8254__read(&pit, 0x42, t);
		msb = i8254__read(&pit, 0x42, t);
		cr_assert_eq(msb, 0xff - i, "after %u x 256 ticks: %#x", i, msb);
	}
}

Test(pit, channel2_counts_only_with_gate)
{
	struct i8254 pit;

	i8254__init(&pit, 0);
	program(&pit, 0xb0, 1000, T0);		/* gate low: loaded, not counting */
	cr_assert_eq(latched_count(&pit, 2, T0 + 10 * MS), 1000);
	cr_assert_not(out2(&pit, T0 + 10 * MS));
	i8254__write(&pit, 0x61, 0x01, T0 + 10 * MS);
	cr_assert_eq(latched_count(&pit, 2, T0 + 10 * MS + ns_of(300)), 700);
	cr_assert_not(out2(&pit, T0 + 10 * MS + ns_of(1000) - 1));
	cr_assert(out2(&pit, T0 + 10 * MS + ns_of(1000)));
}

/* Mode 0: the gate going low pauses the count, going high resumes it. */
Test(pit, channel2_gate_pauses_mode0)
{
	struct i8254 pit;
	__u64 t1 = T0 + ns_of(400), t2 = T0 + 50 * MS;

	i8254__init(&pit, 0);
	i8254__write(&pit, 0x61, 0x01, T0);
	program(&pit, 0xb0, 1000, T0);
	i8254__write(&pit, 0x61, 0x00, t1);
	cr_assert_eq(latched_count(&pit, 2, t2), 600, "frozen while the gate is low");
	cr_assert_not(out2(&pit, t2));
	i8254__write(&pit, 0x61, 0x01, t2);
	cr_assert_eq(latched_count(&pit, 2, t2 + ns_of(100)), 500, "resumed, not restarted");
	/* The resumed start is rounded to a whole ns: terminal count +-1 ns. */
	cr_assert_not(out2(&pit, t2 + ns_of(599)));
	cr_assert(out2(&pit, t2 + ns_of(600) + 1));
}

/* Modes 2 and 3: the gate going high reloads the count. */
Test(pit, channel2_gate_reloads_mode2)
{
	struct i8254 pit;
	__u64 t1 = T0 + ns_of(400), t2 = T0 + 50 * MS;

	i8254__init(&pit, 0);
	i8254__write(&pit, 0x61, 0x01, T0);
	program(&pit, 0xb4, 1000, T0);
	i8254__write(&pit, 0x61, 0x00, t1);
	cr_assert_eq(latched_count(&pit, 2, t2), 600);
	i8254__write(&pit, 0x61, 0x01, t2);
	cr_assert_eq(latched_count(&pit, 2, t2 + ns_of(100)), 900);
}

Test(pit, port61_bits)
{
	struct i8254 pit;

	i8254__init(&pit, 0);
	i8254__write(&pit, 0x61, 0x03, T0);
	cr_assert_eq(i8254__read(&pit, 0x61, T0) & 0x03, 0x03, "gate and speaker read back");
	i8254__write(&pit, 0x61, 0x02, T0);
	cr_assert_eq(i8254__read(&pit, 0x61, T0) & 0x03, 0x02);
	i8254__write(&pit, 0x61, 0x00, T0);
	cr_assert_eq(i8254__read(&pit, 0x61, T0) & 0x03, 0x00);
}

/* Bit 4 flips every 15.085 us: loops that wait for it to change end. */
Test(pit, refresh_bit_toggles)
{
	struct i8254 pit;
	unsigned int changes = 0, i;
	__u8 prev, b;

	i8254__init(&pit, 0);
	prev = i8254__read(&pit, 0x61, T0) & 0x10;
	for (i = 1; i <= 1000; i++) {
		b = i8254__read(&pit, 0x61, T0 + i * 1000) & 0x10;
		changes += b != prev;
		prev = b;
	}
	/* 1 ms at 15.085 us per change: 66. */
	cr_assert(changes >= 65 && changes <= 67, "%u changes in 1 ms", changes);
	cr_assert_neq(i8254__read(&pit, 0x61, 0) & 0x10, i8254__read(&pit, 0x61, 15085) & 0x10);
}
