// SPDX-License-Identifier: GPL-2.0
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdarg.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "boot.h"
#include "die.h"
#include "exit_status.h"
#include "image.h"
#include "image_probe.h"

static int __attribute__((format(printf, 3, 4)))
image_error(FILE *err, const struct image *img, const char *fmt, ...)
{
	va_list ap;

	fprintf(err, VMM_PROG ": %s: ", img->path);
	va_start(ap, fmt);
	vfprintf(err, fmt, ap);
	va_end(ap);
	fputc('\n', err);
	return VMM_EXIT_BAD_IMAGE;
}

/* What a file that is not a regular file is, for "PATH: is a FIFO". */
static const char *image_file_type(mode_t mode)
{
	if (S_ISDIR(mode))
		return "a directory";
	if (S_ISFIFO(mode))
		return "a FIFO";
	if (S_ISCHR(mode))
		return "a character device";
	if (S_ISBLK(mode))
		return "a block device";
	if (S_ISSOCK(mode))
		return "a socket";
	return "an unknown kind of file";
}

static int image_refuse_file_type(const struct image *img, mode_t mode,
				  FILE *err)
{
	return image_error(err, img, "is %s, not a regular file",
			   image_file_type(mode));
}

/*
 * open(2) fails on a socket with ENXIO ("No such device or address"):
 * say what the path is instead, if stat(2) can tell.
 */
static int image_open_error(const struct image *img, int open_errno,
			    FILE *err)
{
	struct stat st;

	if (!stat(img->path, &st) && !S_ISREG(st.st_mode))
		return image_refuse_file_type(img, st.st_mode, err);
	return image_error(err, img, "cannot open: %s", strerror(open_errno));
}

int image_read(const char *path, struct image *img, FILE *err)
{
	struct stat st;
	void *data;
	int fd, ret = 0;

	*img = (struct image) { .path = path };
	/*
	 * O_NONBLOCK: opening a FIFO for reading otherwise waits for a
	 * writer, forever. O_NOCTTY: a terminal must not become ours. We
	 * only mmap the fd, never read it, so O_NONBLOCK can stay.
	 */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0)
		return image_open_error(img, errno, err);
	if (fstat(fd, &st) < 0)
		ret = image_error(err, img, "cannot stat: %s", strerror(errno));
	else if (!S_ISREG(st.st_mode))
		ret = image_refuse_file_type(img, st.st_mode, err);
	else if (!st.st_size)
		ret = image_error(err, img, "empty image");
	if (ret)
		goto out;
	/* Private and read-only: the loaders copy out of it, nothing more. */
	data = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (data == MAP_FAILED) {
		ret = image_error(err, img, "cannot map: %s", strerror(errno));
		goto out;
	}
	img->data = data;
	img->size = st.st_size;
out:
	close(fd);
	return ret;
}

void image_free(struct image *img)
{
	if (img->data)
		munmap((void *)img->data, img->size);
	img->data = NULL;
	img->size = 0;
}

enum image_kind image_kind(const void *data, size_t size)
{
	return size >= SELFMAG && !memcmp(data, ELFMAG, SELFMAG) ?
	       IMAGE_ELF : IMAGE_FLAT;
}

const char *image_kind_name(enum image_kind kind)
{
	return kind == IMAGE_ELF ? "ELF64, long mode" :
	       kind == IMAGE_BZIMAGE ? "Linux bzImage, 64-bit boot protocol" :
	       kind == IMAGE_MULTIBOOT ? "Multiboot, 32-bit protected mode" : "flat, real mode";
}

/* The last byte of [@off, @off + @len), @len > 0; saturated, for messages. */
static unsigned long long image_last_byte(__u64 off, __u64 len)
{
	return off + len - 1 < off ? ~0ull : off + len - 1;
}

/* A few e_machine values people hand us by mistake; NULL for the rest. */
static const char *image_elf_machine_name(unsigned int machine)
{
	switch (machine) {
	case EM_386:
		return "i386";
	case EM_ARM:
		return "32-bit Arm";
	case EM_AARCH64:
		return "AArch64";
	case EM_PPC64:
		return "64-bit PowerPC";
	case EM_S390:
		return "s390";
	case EM_RISCV:
		return "RISC-V";
	case EM_MIPS:
		return "MIPS";
	default:
		return NULL;
	}
}

/* e_ident, before anything else: whose layout the rest of the header has. */
static int image_check_elf_ident(const struct image *img, FILE *err)
{
	const unsigned char *ident = img->data;

	if (img->size < EI_NIDENT)
		return image_error(err, img, "truncated: %zu bytes, shorter than the %u-byte ELF identification",
				   img->size, EI_NIDENT);
	if (ident[EI_CLASS] == ELFCLASS32)
		return image_error(err, img, "a 32-bit ELF: only ELF64 images are supported");
	if (ident[EI_CLASS] != ELFCLASS64)
		return image_error(err, img, "bad ELF class %u (EI_CLASS): only ELF64 images are supported",
				   ident[EI_CLASS]);
	if (ident[EI_DATA] == ELFDATA2MSB)
		return image_error(err, img, "a big-endian ELF: x86-64 images are little-endian");
	if (ident[EI_DATA] != ELFDATA2LSB)
		return image_error(err, img, "bad ELF data encoding %u (EI_DATA): x86-64 images are little-endian",
				   ident[EI_DATA]);
	if (ident[EI_VERSION] != EV_CURRENT)
		return image_error(err, img, "bad ELF version %u (EI_VERSION), want %u",
				   ident[EI_VERSION], EV_CURRENT);
	return 0;
}

/* After image_check_elf_ident(): machine, type and program header table. */
static int image_check_elf_ehdr(const struct image *img, const Elf64_Ehdr *eh,
				FILE *err)
{
	const char *machine = image_elf_machine_name(eh->e_machine);
	unsigned long long phsize;

	if (eh->e_machine != EM_X86_64)
		return image_error(err, img, "not an x86-64 ELF: machine %u%s%s%s",
				   eh->e_machine, machine ? " (" : "",
				   machine ?: "", machine ? ")" : "");
	if (eh->e_type != ET_EXEC)
		return image_error(err, img, "not a fixed-address executable (ELF type %u, want ET_EXEC): link it static, without -pie",
				   eh->e_type);
	if (eh->e_phnum == PN_XNUM)
		return image_error(err, img, "extended program header numbering (e_phnum is PN_XNUM): not supported");
	if (!eh->e_phnum)
		return 0;	/* "no loadable segment" says it better */
	if (eh->e_phentsize != sizeof(Elf64_Phdr))
		return image_error(err, img, "bad program header size %u (e_phentsize), want %zu",
				   eh->e_phentsize, sizeof(Elf64_Phdr));
	phsize = (unsigned long long)eh->e_phnum * eh->e_phentsize;
	if (eh->e_phoff > img->size || phsize > img->size - eh->e_phoff)
		return image_error(err, img, "truncated: program headers at offset %llu..%llu but the file has %zu bytes",
				   (unsigned long long)eh->e_phoff,
				   image_last_byte(eh->e_phoff, phsize),
				   img->size);
	return 0;
}

/*
 * The ELF header, on the raw bytes: everything the loader relies on, so
 * that a truncated, 32-bit, big-endian or foreign file gets its own
 * reason rather than a confusing one from further down.
 */
static int image_check_elf_header(const struct image *img, FILE *err)
{
	Elf64_Ehdr eh;
	int ret;

	ret = image_check_elf_ident(img, err);
	if (ret)
		return ret;
	if (img->size < sizeof(eh))
		return image_error(err, img, "truncated: %zu bytes, shorter than the %zu-byte ELF64 header",
				   img->size, sizeof(eh));
	memcpy(&eh, img->data, sizeof(eh));
	return image_check_elf_ehdr(img, &eh, err);
}

/* An ELF64 little-endian x86-64 ET_EXEC: what we run, headers aside. */
static bool image_elf_is_x86_64_exec(const struct image *img)
{
	const unsigned char *ident = img->data;
	Elf64_Ehdr eh;

	if (img->size < sizeof(eh) || ident[EI_CLASS] != ELFCLASS64 ||
	    ident[EI_DATA] != ELFDATA2LSB)
		return false;
	memcpy(&eh, img->data, sizeof(eh));
	return eh.e_machine == EM_X86_64 && eh.e_type == ET_EXEC;
}

/* A Linux bzImage or a Multiboot kernel: refuse it by name. */
static int image_refuse_kernel(const struct image *img, FILE *err)
{
	unsigned int version;
	size_t offset;

	if (image_probe_bzimage(img->data, img->size, &version))
		return image_error(err, img, "a Linux bzImage (boot protocol %u.%02u): boot it with --kernel",
				   version >> 8, version & 0xff);
	switch (image_probe_multiboot(img->data, img->size, &offset)) {
	case IMAGE_MULTIBOOT2:
		return image_error(err, img, "a Multiboot2 kernel (header at offset %#zx): booting Multiboot2 kernels is not supported yet",
				   offset);
	default:
		return 0;
	}
}

bool image_is_multiboot(const struct image *img)
{
	size_t offset;

	if (image_kind(img->data, img->size) == IMAGE_ELF && image_elf_is_x86_64_exec(img))
		return false;
	return image_probe_multiboot(img->data, img->size, &offset) == IMAGE_MULTIBOOT1;
}

static bool image_has_flat_name(const char *path)
{
	size_t len = strlen(path);

	return len >= 4 && !strcmp(path + len - 4, ".bin");
}

int image_check_format(const struct image *img, bool flat, FILE *err)
{
	int ret;

	if (image_kind(img->data, img->size) == IMAGE_ELF) {
		/* Our own guests may carry a Multiboot header: they run. */
		if (!image_elf_is_x86_64_exec(img)) {
			ret = image_refuse_kernel(img, err);
			if (ret)
				return ret;
		}
		return image_check_elf_header(img, err);
	}
	ret = image_refuse_kernel(img, err);
	if (ret)
		return ret;
	if (!flat && !image_has_flat_name(img->path))
		return image_error(err, img, "not an ELF image; to run it as a raw real-mode binary, name it *.bin or pass --flat");
	return 0;
}

/* Check the PT_LOAD @ph and copy it into @mem. */
static int image_load_segment(const struct image *img, const GElf_Phdr *ph,
			      unsigned int idx, const struct guest_mem *mem,
			      FILE *err)
{
	__u8 *dst;

	if (ph->p_filesz > ph->p_memsz)
		return image_error(err, img, "segment %u: file size %#llx exceeds memory size %#llx",
				   idx, (unsigned long long)ph->p_filesz,
				   (unsigned long long)ph->p_memsz);
	if (ph->p_filesz && (ph->p_offset > img->size ||
			     ph->p_filesz > img->size - ph->p_offset))
		return image_error(err, img, "truncated: segment %u is at offset %llu..%llu but the file has %zu bytes",
				   idx, (unsigned long long)ph->p_offset,
				   image_last_byte(ph->p_offset, ph->p_filesz),
				   img->size);
	if (ph->p_vaddr != ph->p_paddr)
		return image_error(err, img, "segment %u: virtual address %#llx != physical %#llx; minivmm identity-maps the first 4 GiB",
				   idx, (unsigned long long)ph->p_vaddr,
				   (unsigned long long)ph->p_paddr);
	if (ph->p_paddr < BOOT_ELF_MIN_ADDR)
		return image_error(err, img, "segment %u at %#llx: ELF images must load at or above %#llx (below are minivmm's page tables, GDT and stack)",
				   idx, (unsigned long long)ph->p_paddr,
				   BOOT_ELF_MIN_ADDR);
	dst = guest_mem_ptr(mem, ph->p_paddr, ph->p_memsz);
	if (!dst)
		return image_error(err, img, "segment %u (%#llx-%#llx) does not fit in %llu KiB of guest memory",
				   idx, (unsigned long long)ph->p_paddr,
				   (unsigned long long)(ph->p_paddr + ph->p_memsz - 1),
				   (unsigned long long)(mem->size >> 10));
	memcpy(dst, (const char *)img->data + ph->p_offset, ph->p_filesz);
	memset(dst + ph->p_filesz, 0, ph->p_memsz - ph->p_filesz);
	return 0;
}

/* Account for the loaded segment @ph in @info. */
static void image_note_segment(struct image_info *info, const GElf_Phdr *ph)
{
	info->nr_segments++;
	if (ph->p_paddr < info->start)
		info->start = ph->p_paddr;
	if (ph->p_paddr + ph->p_memsz > info->end)
		info->end = ph->p_paddr + ph->p_memsz;
}

static bool image_segment_has(const GElf_Phdr *ph, __u64 addr)
{
	return addr >= ph->p_paddr && addr - ph->p_paddr < ph->p_memsz;
}

/*
 * Only the PT_LOAD bytes are read: an ELF bigger than guest memory (debug
 * sections, say) loads as long as its segments fit.
 */
int image_load_elf(const struct image *img, const struct guest_mem *mem,
		   struct image_info *info, FILE *err)
{
	bool entry_ok = false;
	GElf_Ehdr eh;
	GElf_Phdr ph;
	unsigned int i;
	Elf *e;
	int ret;

	*info = (struct image_info) { .kind = IMAGE_ELF, .start = ~0ull };
	/* Our own checks first: they say what is wrong where libelf cannot. */
	ret = image_check_elf_header(img, err);
	if (ret)
		return ret;
	if (elf_version(EV_CURRENT) == EV_NONE)
		return image_error(err, img, "libelf: %s", elf_errmsg(-1));
	/* libelf only reads a native-endian image: the mapping may be R/O. */
	e = elf_memory((char *)img->data, img->size);
	if (!e || !gelf_getehdr(e, &eh)) {
		ret = image_error(err, img, "bad ELF: %s", elf_errmsg(-1));
		goto out;
	}
	for (i = 0; i < eh.e_phnum; i++) {
		if (!gelf_getphdr(e, i, &ph)) {
			ret = image_error(err, img, "bad program header %u: %s",
					  i, elf_errmsg(-1));
			goto out;
		}
		if (ph.p_type != PT_LOAD || !ph.p_memsz)
			continue;
		ret = image_load_segment(img, &ph, i, mem, err);
		if (ret)
			goto out;
		image_note_segment(info, &ph);
		if (image_segment_has(&ph, eh.e_entry))
			entry_ok = true;
	}
	if (!info->nr_segments)
		ret = image_error(err, img, "no loadable segment");
	else if (!entry_ok || eh.e_entry >= BOOT_IDENTITY_MAP_END)
		ret = image_error(err, img, "entry point %#llx is not in a loaded segment",
				  (unsigned long long)eh.e_entry);
	else
		info->entry = eh.e_entry;
out:
	if (e)
		elf_end(e);
	return ret;
}

/*
 * The size is checked before a byte is copied: a sparse file of a GiB is
 * refused without reading it.
 */
int image_load_flat(const struct image *img, __u64 load_addr,
		    const struct guest_mem *mem, struct image_info *info,
		    FILE *err)
{
	void *dst;

	*info = (struct image_info) { .kind = IMAGE_FLAT };
	if (load_addr % 16 || load_addr > BOOT_FLAT_MAX_LOAD_ADDR)
		return image_error(err, img, "load address %#llx: flat images start in real mode at CS:0, so it must be a multiple of 16 up to %#llx",
				   (unsigned long long)load_addr,
				   BOOT_FLAT_MAX_LOAD_ADDR);
	dst = guest_mem_ptr(mem, load_addr, img->size);
	if (!dst)
		return image_error(err, img, "%zu bytes at %#llx do not fit in %llu KiB of guest memory",
				   img->size, (unsigned long long)load_addr,
				   (unsigned long long)(mem->size >> 10));
	memcpy(dst, img->data, img->size);
	info->entry = info->start = load_addr;
	info->end = load_addr + img->size;
	info->nr_segments = 1;
	return 0;
}

int image_load(const struct image *img, __u64 load_addr,
	       const struct guest_mem *mem, struct image_info *info, FILE *err)
{
	if (image_kind(img->data, img->size) == IMAGE_ELF)
		return image_load_elf(img, mem, info, err);
	return image_load_flat(img, load_addr, mem, info, err);
}
