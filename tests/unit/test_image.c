// SPDX-License-Identifier: GPL-2.0
/* Guest image loading: ELF64 (built here, in memory) and flat binaries. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include <criterion/criterion.h>

#include "boot.h"
#include "exit_status.h"
#include "guest_mem.h"
#include "helpers.h"
#include "image.h"

#define MEM_SIZE	(2ull << 20)

static struct guest_mem mem;
static struct membuf errb;

static void setup(void)
{
	cr_assert_eq(guest_mem_alloc(&mem, MEM_SIZE), 0);
	/* Not zero, so the loader's zeroing of .bss shows. */
	memset(mem.host, 0xcc, mem.size);
	membuf_open(&errb);
}

static void teardown(void)
{
	guest_mem_free(&mem);
	if (errb.f)
		free(membuf_str(&errb));
}

TestSuite(image, .init = setup, .fini = teardown);

static struct image as_image(void *data, size_t size)
{
	return (struct image) { .path = "test.elf", .data = data, .size = size };
}

/* The one line on errb must start "minivmm: test.elf: " and contain @want. */
static void expect_message(const char *want)
{
	char *msg = membuf_str(&errb);

	cr_assert(starts_with(msg, "minivmm: test.elf: "), "%s", msg);
	cr_assert_not_null(strstr(msg, want), "want '%s' in: %s", want, msg);
	cr_assert_eq(strchr(msg, '\n'), msg + strlen(msg) - 1, "one line: %s", msg);
	free(msg);
	membuf_open(&errb);
}

/*
 * Load the first @size bytes of @data, expect failure and a message
 * containing @want; image_check_format() must say the same.
 */
static void expect_load_error(const void *data, size_t size, const char *want)
{
	struct image img = as_image((void *)data, size);
	struct image_info info;

	cr_assert_eq(image_load(&img, BOOT_FLAT_LOAD_ADDR, &mem, &info, errb.f),
		     VMM_EXIT_BAD_IMAGE);
	expect_message(want);
}

static void expect_elf_error(struct test_elf *e, const char *want)
{
	expect_load_error(e, sizeof(*e), want);
}

/* image_check_format() of @size bytes named @path refuses them with @want. */
static void expect_format_error(const void *data, size_t size,
				const char *path, bool flat, const char *want)
{
	struct image img = { .path = path, .data = data, .size = size };
	char *msg;

	cr_assert_eq(image_check_format(&img, flat, errb.f), VMM_EXIT_BAD_IMAGE);
	msg = membuf_str(&errb);
	cr_assert_str_eq(msg, want);
	free(msg);
	membuf_open(&errb);
}

static void expect_format_ok(const void *data, size_t size, const char *path,
			     bool flat)
{
	struct image img = { .path = path, .data = data, .size = size };
	char *msg;

	cr_assert_eq(image_check_format(&img, flat, errb.f), 0);
	msg = membuf_str(&errb);
	cr_assert_str_empty(msg);
	free(msg);
	membuf_open(&errb);
}

Test(image, kind)
{
	struct test_elf e;

	make_test_elf(&e);
	cr_assert_eq(image_kind(&e, sizeof(e)), IMAGE_ELF);
	cr_assert_eq(image_kind("\x7f" "EL", 3), IMAGE_FLAT);
	cr_assert_eq(image_kind("\xfa\xf4", 2), IMAGE_FLAT);
	cr_assert_eq(image_kind("MZ\x90\x00", 4), IMAGE_FLAT);
}

Test(image, elf_segments_copied_and_bss_zeroed)
{
	struct test_elf e;
	struct image img;
	struct image_info info;
	__u8 *p = mem.host;
	unsigned int i;

	make_test_elf(&e);
	img = as_image(&e, sizeof(e));
	cr_assert_eq(image_load(&img, BOOT_FLAT_LOAD_ADDR, &mem, &info, errb.f), 0);
	cr_assert_eq(info.kind, IMAGE_ELF);
	cr_assert_eq(info.entry, 0x100004);
	cr_assert_eq(info.start, 0x100000);
	cr_assert_eq(info.end, 0x102000);
	cr_assert_eq(info.nr_segments, 2);
	cr_assert_arr_eq(p + 0x100000, e.code, 16);
	cr_assert_eq(p[0x100010], 0xcc, "past the code segment: untouched");
	cr_assert_arr_eq(p + 0x101000, "DATA1234", 8);
	for (i = 8; i < 0x1000; i++)
		cr_assert_eq(p[0x101000 + i], 0, "bss byte %#x not zeroed", i);
	cr_assert_eq(p[0x102000], 0xcc);
	cr_assert_eq(p[0x10], 0xcc, "PT_NOTE loaded");
}

Test(image, elf_rejects_32bit)
{
	struct test_elf e;

	make_test_elf(&e);
	e.eh.e_ident[EI_CLASS] = ELFCLASS32;
	expect_elf_error(&e, "a 32-bit ELF: only ELF64 images are supported");
	e.eh.e_ident[EI_CLASS] = 7;
	expect_elf_error(&e, "bad ELF class 7 (EI_CLASS)");
}

/* libelf read it byte-swapped: "not an x86-64 ELF (machine 15872)". */
Test(image, elf_rejects_big_endian)
{
	struct test_elf e;

	make_test_elf(&e);
	e.eh.e_ident[EI_DATA] = ELFDATA2MSB;
	expect_elf_error(&e, ": a big-endian ELF: x86-64 images are little-endian\n");
	e.eh.e_ident[EI_DATA] = ELFDATANONE;
	expect_elf_error(&e, "bad ELF data encoding 0 (EI_DATA)");
}

Test(image, elf_rejects_bad_version)
{
	struct test_elf e;

	make_test_elf(&e);
	e.eh.e_ident[EI_VERSION] = 2;
	expect_elf_error(&e, ": bad ELF version 2 (EI_VERSION), want 1\n");
}

Test(image, elf_rejects_other_machine)
{
	struct test_elf e;

	make_test_elf(&e);
	e.eh.e_machine = EM_AARCH64;
	expect_elf_error(&e, ": not an x86-64 ELF: machine 183 (AArch64)\n");
	e.eh.e_machine = EM_386;
	expect_elf_error(&e, ": not an x86-64 ELF: machine 3 (i386)\n");
	e.eh.e_machine = 0x1234;
	expect_elf_error(&e, ": not an x86-64 ELF: machine 4660\n");
}

Test(image, elf_rejects_pie)
{
	struct test_elf e;

	make_test_elf(&e);
	e.eh.e_type = ET_DYN;
	expect_elf_error(&e, "ET_EXEC");
}

Test(image, elf_rejects_low_segment)
{
	struct test_elf e;

	make_test_elf(&e);
	e.ph[0].p_vaddr = e.ph[0].p_paddr = 0x7f000;
	e.eh.e_entry = 0x7f000;
	expect_elf_error(&e, "must load at or above 0x80000");
}

Test(image, elf_rejects_segment_past_memory)
{
	struct test_elf e;

	make_test_elf(&e);
	e.ph[1].p_memsz = MEM_SIZE;
	expect_elf_error(&e, "does not fit in 2048 KiB of guest memory");
}

Test(image, elf_rejects_wrapping_segment)
{
	struct test_elf e;

	make_test_elf(&e);
	e.ph[1].p_vaddr = e.ph[1].p_paddr = ~0ull - 4;
	expect_elf_error(&e, "does not fit");
}

Test(image, elf_rejects_vaddr_ne_paddr)
{
	struct test_elf e;

	make_test_elf(&e);
	e.ph[0].p_vaddr = 0xffffffff80100000ull;
	expect_elf_error(&e, "identity-maps");
}

Test(image, elf_rejects_filesz_gt_memsz)
{
	struct test_elf e;

	make_test_elf(&e);
	e.ph[1].p_memsz = 4;
	expect_elf_error(&e, "exceeds memory size");
}

Test(image, elf_rejects_data_past_file)
{
	struct test_elf e;

	make_test_elf(&e);
	e.ph[1].p_filesz = 64;
	e.ph[1].p_memsz = 64;
	expect_elf_error(&e, ": truncated: segment 1 is at offset 248..311 but the file has 256 bytes\n");
	e.ph[1].p_offset = ~0ull - 1;
	expect_elf_error(&e, ": truncated: segment 1 is at offset 18446744073709551614..18446744073709551615 but the file has 256 bytes\n");
}

/* A file cut short after its first segment's data. */
Test(image, elf_rejects_truncated_segment)
{
	struct test_elf e;

	make_test_elf(&e);
	expect_load_error(&e, offsetof(struct test_elf, data) + 4,
			  ": truncated: segment 1 is at offset 248..255 but the file has 252 bytes\n");
}

/* A file cut inside its program headers: it said "no loadable segment". */
Test(image, elf_rejects_truncated_program_headers)
{
	struct test_elf e;

	make_test_elf(&e);
	expect_load_error(&e, offsetof(struct test_elf, ph) + 100,
			  ": truncated: program headers at offset 64..231 but the file has 164 bytes\n");
	e.eh.e_phoff = 1 << 20;
	expect_elf_error(&e, ": truncated: program headers at offset 1048576..1048743 but the file has 256 bytes\n");
	e.eh.e_phoff = ~0ull - 8;
	expect_elf_error(&e, ": truncated: program headers at offset 18446744073709551607..18446744073709551615 but the file has 256 bytes\n");
}

Test(image, elf_rejects_bad_phentsize)
{
	struct test_elf e;

	make_test_elf(&e);
	e.eh.e_phentsize = sizeof(Elf32_Phdr);
	expect_elf_error(&e, ": bad program header size 32 (e_phentsize), want 56\n");
}

Test(image, elf_rejects_pn_xnum)
{
	struct test_elf e;

	make_test_elf(&e);
	e.eh.e_phnum = PN_XNUM;
	expect_elf_error(&e, "(e_phnum is PN_XNUM): not supported");
}

/* The segments, not the file, must fit: a big ELF with small segments loads. */
Test(image, elf_bigger_than_memory_loads)
{
	struct {
		struct test_elf e;
		__u8 debug[MEM_SIZE];
	} *big = calloc(1, sizeof(*big));
	struct image img;
	struct image_info info;

	cr_assert_not_null(big);
	make_test_elf(&big->e);
	img = as_image(big, sizeof(*big));
	cr_assert_eq(image_load(&img, 0, &mem, &info, errb.f), 0);
	cr_assert_eq(info.entry, 0x100004);
	free(big);
}

Test(image, elf_rejects_entry_outside_segments)
{
	struct test_elf e;

	make_test_elf(&e);
	e.eh.e_entry = 0x100010;
	expect_elf_error(&e, "entry point 0x100010 is not in a loaded segment");
}

Test(image, elf_rejects_no_load_segment)
{
	struct test_elf e;

	make_test_elf(&e);
	e.ph[0].p_type = PT_NULL;
	e.ph[1].p_type = PT_NULL;
	expect_elf_error(&e, "no loadable segment");
}

Test(image, elf_rejects_truncated)
{
	struct test_elf e;

	make_test_elf(&e);
	expect_load_error(&e, 40,	/* half an ELF header */
			  ": truncated: 40 bytes, shorter than the 64-byte ELF64 header\n");
	expect_load_error(&e, 10,
			  ": truncated: 10 bytes, shorter than the 16-byte ELF identification\n");
}

Test(image, flat_default_address)
{
	static const __u8 code[] = { 0xfa, 0xeb, 0xfe };	/* cli; jmp . */
	struct image img = as_image((void *)code, sizeof(code));
	struct image_info info;
	__u8 *p = mem.host;

	cr_assert_eq(image_load(&img, BOOT_FLAT_LOAD_ADDR, &mem, &info, errb.f), 0);
	cr_assert_eq(info.kind, IMAGE_FLAT);
	cr_assert_eq(info.entry, 0x10000);
	cr_assert_eq(info.start, 0x10000);
	cr_assert_eq(info.end, 0x10003);
	cr_assert_arr_eq(p + 0x10000, code, sizeof(code));
	cr_assert_eq(p[0xffff], 0xcc);
	cr_assert_eq(p[0x10003], 0xcc);
}

Test(image, flat_load_addr)
{
	static const __u8 code[] = { 0xf4 };
	struct image img = as_image((void *)code, sizeof(code));
	struct image_info info;

	cr_assert_eq(image_load_flat(&img, 0x7c00, &mem, &info, errb.f), 0);
	cr_assert_eq(((__u8 *)mem.host)[0x7c00], 0xf4);
	cr_assert_eq(info.entry, 0x7c00);
}

Test(image, flat_rejects_bad_address)
{
	static const __u8 code[] = { 0xf4 };
	struct image img = as_image((void *)code, sizeof(code));
	struct image_info info;
	char *msg;

	cr_assert_eq(image_load_flat(&img, 0x10008, &mem, &info, errb.f),
		     VMM_EXIT_BAD_IMAGE);
	cr_assert_eq(image_load_flat(&img, 0x100000, &mem, &info, errb.f),
		     VMM_EXIT_BAD_IMAGE);
	msg = membuf_str(&errb);
	cr_assert_not_null(strstr(msg, "multiple of 16 up to 0xffff0"), "%s", msg);
	free(msg);
}

Test(image, flat_rejects_too_big)
{
	struct image img = { .path = "big.bin", .size = MEM_SIZE };
	struct image_info info;
	void *buf = calloc(1, img.size);
	char *msg;

	img.data = buf;
	cr_assert_eq(image_load_flat(&img, 0x10000, &mem, &info, errb.f),
		     VMM_EXIT_BAD_IMAGE);
	free(buf);
	msg = membuf_str(&errb);
	cr_assert_str_eq(msg, "minivmm: big.bin: 2097152 bytes at 0x10000 do not fit in 2048 KiB of guest memory\n");
	free(msg);
}

Test(image, read_file)
{
	char path[] = "/tmp/minivmm-image-XXXXXX";
	int fd = mkstemp(path);
	struct image img;

	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, "\xfa\xf4", 2), 2);
	close(fd);
	cr_assert_eq(image_read(path, &img, errb.f), 0);
	cr_assert_eq(img.size, 2);
	cr_assert_arr_eq(img.data, "\xfa\xf4", 2);
	image_free(&img);

	truncate(path, 0);
	cr_assert_eq(image_read(path, &img, errb.f), VMM_EXIT_BAD_IMAGE);
	unlink(path);
	cr_assert_eq(image_read(path, &img, errb.f), VMM_EXIT_BAD_IMAGE);
	cr_assert_eq(image_read("/", &img, errb.f), VMM_EXIT_BAD_IMAGE);
	{
		char *msg = membuf_str(&errb), want[128];

		snprintf(want, sizeof(want), "minivmm: %s: empty image\n", path);
		cr_assert(starts_with(msg, want), "%s", msg);
		cr_assert_not_null(strstr(msg, ": cannot open: No such file or directory\n"), "%s", msg);
		cr_assert_not_null(strstr(msg, "minivmm: /: is a directory, not a regular file\n"), "%s", msg);
		free(msg);
	}
}

/* A FIFO without a writer: open(2) for reading used to wait for one. */
Test(image, read_refuses_fifo_without_blocking, .timeout = 10)
{
	char dir[] = "/tmp/minivmm-fifo-XXXXXX", path[64], want[160];
	struct image img;
	char *msg;

	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/guest.bin", dir);
	cr_assert_eq(mkfifo(path, 0600), 0);
	cr_assert_eq(image_read(path, &img, errb.f), VMM_EXIT_BAD_IMAGE);
	unlink(path);
	rmdir(dir);
	msg = membuf_str(&errb);
	snprintf(want, sizeof(want), "minivmm: %s: is a FIFO, not a regular file\n",
		 path);
	cr_assert_str_eq(msg, want);
	free(msg);
}

Test(image, read_names_what_is_not_a_file)
{
	char dir[] = "/tmp/minivmm-sock-XXXXXX";
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct image img;
	char *msg, want[160];
	int fd;

	cr_assert_eq(image_read("/dev/null", &img, errb.f), VMM_EXIT_BAD_IMAGE);
	cr_assert_not_null(mkdtemp(dir));
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s/s", dir);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	cr_assert_eq(bind(fd, (struct sockaddr *)&sun, sizeof(sun)), 0);
	cr_assert_eq(image_read(sun.sun_path, &img, errb.f), VMM_EXIT_BAD_IMAGE);
	close(fd);
	unlink(sun.sun_path);
	rmdir(dir);
	msg = membuf_str(&errb);
	snprintf(want, sizeof(want),
		 "minivmm: /dev/null: is a character device, not a regular file\n"
		 "minivmm: %s: is a socket, not a regular file\n", sun.sun_path);
	cr_assert_str_eq(msg, want);
	free(msg);
}

static long maxrss_kib(void)
{
	struct rusage ru;

	cr_assert_eq(getrusage(RUSAGE_SELF, &ru), 0);
	return ru.ru_maxrss;
}

/* A sparse file of 1 GiB: refused by its size, without reading it. */
Test(image, sparse_flat_not_read)
{
	char path[] = "/tmp/minivmm-sparse-XXXXXX.bin";
	int fd = mkstemp_suffix(path);
	long rss0 = maxrss_kib();
	struct image_info info;
	struct image img;
	char *msg;

	cr_assert_geq(fd, 0);
	cr_assert_eq(ftruncate(fd, 1ll << 30), 0);
	close(fd);
	cr_assert_eq(image_read(path, &img, errb.f), 0);
	unlink(path);
	cr_assert_eq(image_check_format(&img, false, errb.f), 0);
	cr_assert_eq(image_load(&img, BOOT_FLAT_LOAD_ADDR, &mem, &info, errb.f),
		     VMM_EXIT_BAD_IMAGE);
	image_free(&img);
	cr_assert_lt(maxrss_kib() - rss0, 16 << 10, "max RSS grew by %ld KiB",
		     maxrss_kib() - rss0);
	msg = membuf_str(&errb);
	cr_assert_not_null(strstr(msg, ": 1073741824 bytes at 0x10000 do not fit in 2048 KiB of guest memory\n"),
			   "%s", msg);
	free(msg);
}

/* Debug sections and the like: only the PT_LOAD bytes are read. */
Test(image, sparse_elf_loads_its_segments_only)
{
	char path[] = "/tmp/minivmm-sparse-XXXXXX.elf";
	long rss0 = maxrss_kib();
	struct image_info info;
	struct test_elf e;
	struct image img;

	make_test_elf(&e);
	write_tmpfile(path, &e, sizeof(e));
	cr_assert_eq(truncate(path, 1ll << 30), 0);
	cr_assert_eq(image_read(path, &img, errb.f), 0);
	unlink(path);
	cr_assert_eq(image_check_format(&img, false, errb.f), 0);
	cr_assert_eq(image_load(&img, 0, &mem, &info, errb.f), 0);
	image_free(&img);
	cr_assert_eq(info.nr_segments, 2);
	cr_assert_arr_eq((__u8 *)mem.host + 0x101000, "DATA1234", 8);
	cr_assert_lt(maxrss_kib() - rss0, 16 << 10, "max RSS grew by %ld KiB",
		     maxrss_kib() - rss0);
}

Test(image, flat_needs_bin_name_or_flat)
{
	static const __u8 code[] = { 0xfa, 0xf4 };

	expect_format_error(code, sizeof(code), "guest", false,
			    "minivmm: guest: not an ELF image; to run it as a raw real-mode binary, name it *.bin or pass --flat\n");
	expect_format_error(code, sizeof(code), "guest.bin.gz", false,
			    "minivmm: guest.bin.gz: not an ELF image; to run it as a raw real-mode binary, name it *.bin or pass --flat\n");
	expect_format_ok(code, sizeof(code), "guest.bin", false);
	expect_format_ok(code, sizeof(code), "/tmp/x.bin", false);
	expect_format_ok(code, sizeof(code), "guest", true);
	expect_format_ok(code, sizeof(code), "guest.img", true);
}

Test(image, elf_format_checked)
{
	struct test_elf e;

	make_test_elf(&e);
	expect_format_ok(&e, sizeof(e), "guest", false);
	expect_format_ok(&e, sizeof(e), "guest.bin", false);
	e.eh.e_ident[EI_DATA] = ELFDATA2MSB;
	expect_format_error(&e, sizeof(e), "guest.bin", false,
			    "minivmm: guest.bin: a big-endian ELF: x86-64 images are little-endian\n");
	make_test_elf(&e);
	expect_format_error(&e, 100, "g", false,
			    "minivmm: g: truncated: program headers at offset 64..231 but the file has 100 bytes\n");
}

/* The real-mode kernel header of Linux/x86, as a bzImage starts. */
static void make_bzimage(__u8 *p, size_t size, unsigned int version)
{
	memset(p, 0, size);
	p[0x1fe] = 0x55;
	p[0x1ff] = 0xaa;
	memcpy(p + 0x202, "HdrS", 4);
	p[0x206] = version & 0xff;
	p[0x207] = version >> 8;
}

Test(image, refuses_bzimage)
{
	static __u8 bz[0x1000];

	make_bzimage(bz, sizeof(bz), 0x020f);
	expect_format_error(bz, sizeof(bz), "bzImage", false,
			    "minivmm: bzImage: a Linux bzImage (boot protocol 2.15): boot it with --kernel\n");
	/* Named *.bin or forced flat, it is still no real-mode program. */
	make_bzimage(bz, sizeof(bz), 0x0205);
	expect_format_error(bz, sizeof(bz), "vmlinuz.bin", true,
			    "minivmm: vmlinuz.bin: a Linux bzImage (boot protocol 2.05): boot it with --kernel\n");
	/* A boot sector alone (no "HdrS") is a flat binary like any other. */
	bz[0x202] = 'h';
	expect_format_ok(bz, sizeof(bz), "boot.bin", false);
	expect_format_ok(bz, 0x206, "short.bin", false);
}

/* Put a Multiboot (1) header at @off of @p: magic, flags, checksum. */
static void put_mb1(__u8 *p, size_t off, __u32 flags)
{
	__u32 h[3] = { 0x1badb002u, flags, -(0x1badb002u + flags) };

	memcpy(p + off, h, sizeof(h));
}

/* A Multiboot2 header: magic, architecture (0: i386), length, checksum. */
static void put_mb2(__u8 *p, size_t off)
{
	__u32 h[4] = { 0xe85250d6u, 0, 24, -(0xe85250d6u + 24) };

	memcpy(p + off, h, sizeof(h));
}

/* A Multiboot v1 header makes a Multiboot kernel; Multiboot2 is refused. */
Test(image, recognises_multiboot)
{
	static __u8 k[0x9000];
	struct image img = { .path = "kernel.bin", .data = k, .size = sizeof(k) };

	put_mb1(k, 0x1000, 0x10003);
	cr_assert(image_is_multiboot(&img));
	memset(k, 0, sizeof(k));
	cr_assert_not(image_is_multiboot(&img));
	put_mb2(k, 0x7ff0);
	cr_assert_not(image_is_multiboot(&img));
	expect_format_error(k, sizeof(k), "kernel.bin", false,
			    "minivmm: kernel.bin: a Multiboot2 kernel (header at offset 0x7ff0): booting Multiboot2 kernels is not supported yet\n");
}

/* Where a loader would not look, or with a bad checksum: no header. */
Test(image, multiboot_lookalikes_are_flat)
{
	static __u8 k[0x9000];

	put_mb1(k, 0x2000, 0);		/* past the first 8 KiB */
	put_mb1(k, 0x102, 0);		/* not 4-aligned */
	put_mb2(k, 0x8000);		/* past the first 32 KiB */
	put_mb2(k, 0x7ff8);		/* runs past 32 KiB */
	put_mb2(k, 0x204);		/* not 8-aligned */
	put_mb1(k, 0x1ff8, 0);		/* runs past 8 KiB */
	expect_format_ok(k, sizeof(k), "flat.bin", false);
	put_mb1(k, 0x400, 0);
	k[0x404] = 1;			/* flags no longer match the checksum */
	expect_format_ok(k, sizeof(k), "flat.bin", false);
	put_mb1(k, 0x400, 0);
	expect_format_ok(k, 0x40b, "flat.bin", false);	/* cut by the end */
	cr_assert_not(image_is_multiboot(&(struct image){ .path = "f", .data = k, .size = 0x40b }));
	cr_assert(image_is_multiboot(&(struct image){ .path = "f", .data = k, .size = 0x40c }));
}

/* A 32-bit ELF with a Multiboot header is a Multiboot kernel. */
Test(image, multiboot_elf32_is_multiboot)
{
	struct {
		struct test_elf e;
		__u8 mb[12];
	} k;

	make_test_elf(&k.e);
	k.e.eh.e_ident[EI_CLASS] = ELFCLASS32;
	k.e.eh.e_machine = EM_386;
	put_mb1((__u8 *)&k, offsetof(typeof(k), mb), 3);
	cr_assert(image_is_multiboot(&(struct image){ .path = "k", .data = &k, .size = sizeof(k) }));
}

/* Our own x86-64 guests may carry a Multiboot header: they still run. */
Test(image, runs_multiboot_elf64)
{
	struct {
		struct test_elf e;
		__u8 mb[16];
	} k;
	struct image img = as_image(&k, sizeof(k));
	struct image_info info;

	make_test_elf(&k.e);
	put_mb2((__u8 *)&k, offsetof(typeof(k), mb));
	expect_format_ok(&k, sizeof(k), "guest.elf", false);
	cr_assert_eq(image_load(&img, 0, &mem, &info, errb.f), 0);
	cr_assert_eq(info.entry, 0x100004);
	/* Not ours after all (another machine): the Multiboot message. */
	k.e.eh.e_machine = EM_386;
	expect_format_error(&k, sizeof(k), "guest.elf", false,
			    "minivmm: guest.elf: a Multiboot2 kernel (header at offset 0x100): booting Multiboot2 kernels is not supported yet\n");
}
