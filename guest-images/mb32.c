// SPDX-License-Identifier: GPL-2.0
/*
 * A Multiboot (v1) kernel of our own: ELF32, entered in 32-bit protected
 * mode. It checks what the Multiboot 0.6.96 specification promises and
 * the suite asked for (run with --mem 16M, --append "hello world" and
 * --module MOD,modarg, MOD holding "MODULE!\n"), one line each,
 * "mb32: PASS|FAIL <name>", then exits through port 0xf4 with the number
 * of failures. A command line ending in " shutdown" first writes
 * "Shutdown" to port 0x8900, one ending in " qemuexit" writes 3 to 0xf4.
 * mb32_apic.c checks the local APIC in between.
 */
#include "mb32.h"

#define MB_FLAGS	0x00000003	/* page-aligned modules, memory info */

__attribute__((section(".multiboot"), used, aligned(4)))
static const u32 mb_header[3] = { 0x1badb002, MB_FLAGS, -(0x1badb002 + MB_FLAGS) };

u8 stack[4096] __attribute__((aligned(16)));
static unsigned int failed;

static inline void outb(u16 port, u8 v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline u8 inb(u16 port)
{
	u8 v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

/* One byte to a port through OUT DX, AL: ports above 0xff need DX. */
static inline void outw_byte(u16 port, char c)
{
	__asm__ volatile("outb %0, %1" : : "a"(c), "d"(port));
}

/* QEMU's fw_cfg: select @key, read @n bytes. */
static void fw_cfg_read(u16 key, u8 *buf, u32 n)
{
	__asm__ volatile("outw %0, %1" : : "a"(key), "d"((u16)0x510));
	while (n--)
		__asm__ volatile("inb %1, %0" : "=a"(*buf++) : "d"((u16)0x511));
}

static void putc(char c)
{
	while (!(inb(0x3fd) & 0x20))
		;
	outb(0x3f8, c);
}

void puts(const char *s)
{
	while (*s)
		putc(*s++);
}

void check(const char *name, int ok)
{
	puts(ok ? "mb32: PASS " : "mb32: FAIL ");
	puts(name);
	putc('\n');
	failed += !ok;
}

static int ends_with(const char *s, const char *tail)
{
	const char *a = s, *b = tail;

	while (*a)
		a++;
	while (*b)
		b++;
	while (b > tail)
		if (a == s || *--a != *--b)
			return 0;
	return 1;
}

static int same(const char *a, const char *b, u32 n)
{
	while (n--)
		if (*a++ != *b++)
			return 0;
	return 1;
}

void mb32_main(u32 magic, const u32 *info);

void mb32_main(u32 magic, const u32 *info)
{
	const u32 *mod = (const u32 *)info[6];
	const u8 *map = (const u8 *)info[12];
	u64 base, len;
	u32 cr0;

	puts("mb32: a Multiboot kernel in 32-bit protected mode\n");
	__asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
	check("magic_in_eax", magic == 0x2badb002);
	check("protected_mode_paging_off", (cr0 & 1) && !(cr0 & 0x80000000));
	check("flags_mem_cmdline_mods_mmap", (info[0] & 0x4d) == 0x4d);
	check("mem_lower_640k", info[1] == 640);
	check("mem_upper_16m", info[2] == 16 * 1024 - 1024);
	check("cmdline_append", ends_with((const char *)info[4], "mb32.elf hello world") ||
	      ends_with((const char *)info[4], "mb32.elf hello world shutdown") ||
	      ends_with((const char *)info[4], "mb32.elf hello world qemuexit"));
	check("one_module", info[5] == 1);
	check("module_page_aligned", !(mod[0] & 0xfff) && mod[1] - mod[0] == 8);
	check("module_content", same((const char *)mod[0], "MODULE!\n", 8));
	check("module_string", ends_with((const char *)mod[2], " modarg"));
	/* The map: RAM from 0, a reserved hole, RAM from 1 MiB to 16 MiB. */
	base = *(const u64 *)(map + 48 + 4);
	len = *(const u64 *)(map + 48 + 12);
	check("mmap", info[11] == 72 && *(const u32 *)(map + 20) == 1 &&
	      *(const u32 *)(map + 44) == 2 && base == 0x100000 && len == 15ull << 20);
	{
		u8 sig[4];
		u64 ram = 0;

		fw_cfg_read(0x0000, sig, 4);
		check("fw_cfg_signature", same((const char *)sig, "QEMU", 4));
		fw_cfg_read(0x0003, (u8 *)&ram, 8);
		check("fw_cfg_ram_size", ram == 16ull << 20);
	}
	apic_checks();
	puts("mb32: done\n");
	/* QEMU's ways out, when the command line asks for them. */
	if (ends_with((const char *)info[4], " shutdown")) {
		for (cr0 = 0; cr0 < 8; cr0++)
			outw_byte(0x8900, "Shutdown"[cr0]);
	}
	if (ends_with((const char *)info[4], " qemuexit"))
		outb(0xf4, 3);
	outb(0xf4, failed);
	for (;;)
		__asm__ volatile("cli; hlt");
}

/* Multiboot leaves ESP undefined: a stack of our own, then C. */
__asm__(".section .text.start, \"ax\"\n"
	".globl _start\n"
	"_start:\n\t"
	"movl $stack + 4096, %esp\n\t"
	"pushl %ebx\n\t"
	"pushl %eax\n\t"
	"call mb32_main\n"
	"1:\tcli\n\thlt\n\tjmp 1b\n");
