/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The tiny library of the long-mode test guests: port I/O, CPUID, COM1
 * output and guest_exit() through minivmm's debug-exit port.
 */
#ifndef GUEST_H
#define GUEST_H

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;

#define COM1		0x3f8
#define DEBUG_EXIT_PORT	0xf4

static inline void outb(u16 port, u8 v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outw(u16 port, u16 v)
{
	__asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outl(u16 port, u32 v)
{
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline u8 inb(u16 port)
{
	u8 v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline u16 inw(u16 port)
{
	u16 v;

	__asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline u32 inl(u16 port)
{
	u32 v;

	__asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void cpuid(u32 leaf, u32 subleaf, u32 *a, u32 *b, u32 *c,
			 u32 *d)
{
	__asm__ volatile("cpuid"
			 : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d)
			 : "a"(leaf), "c"(subleaf));
}

/* One 4-byte MOV from / to @addr (MMIO). */
static inline u32 mmio_read32(u64 addr)
{
	u32 v;

	__asm__ volatile("movl (%1), %0" : "=r"(v) : "r"(addr) : "memory");
	return v;
}

static inline void mmio_write32(u64 addr, u32 v)
{
	__asm__ volatile("movl %0, (%1)" : : "r"(v), "r"(addr) : "memory");
}

/* COM1: polls LSR.THRE before each byte. */
void serial_putc(char c);
void serial_puts(const char *s);
void serial_put_hex(u64 v, unsigned int digits);
void serial_put_dec(u64 v);

/*
 * One line per check, "<prefix>: PASS <name>" or "<prefix>: FAIL <name>:
 * <what> <a> <b>", counted in checks_failed; check_summary() prints
 * "<prefix>: 0xNN failed".
 */
extern unsigned int checks_failed;
void check(const char *prefix, const char *name, int ok, const char *what,
	   u64 a, u64 b);
void check_summary(const char *prefix);

/* OUT @code to port 0xf4: minivmm exits with status code & 0xff. */
void __attribute__((noreturn)) guest_exit(u32 code);

void *memset(void *s, int c, unsigned long n);
void *memcpy(void *d, const void *s, unsigned long n);

int main(void);

#endif /* GUEST_H */
