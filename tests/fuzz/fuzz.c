// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz: hostile userspace for /dev/minivmm (part of issue 4).
 *
 * Random sequences of everything a process can do to the module: open
 * the device, create VMs and vCPUs, memory slots (plausible and not),
 * register and CPUID ioctls, RUN with small real-mode or 64-bit guests or
 * random state, ioctls with random numbers on every kind of fd, argument
 * pointers of every kind (valid, NULL, unmapped, kernel half,
 * misaligned, straddling a guard page), mmaps and munmaps of the run
 * page, scribbles over the run page between runs, closes, dups, forks
 * and threads racing RUN.
 *
 *   fuzz [--seed N] [--seconds S] [--ops N] [--trace]
 *
 * --seconds is a budget in guest seconds (default 120; none when --ops is
 * given, unless set too; 0 means none), --ops a number of top-level
 * operations, --trace prints each call as it happens.
 *
 * Output (the serial protocol of tools/emu/README.md):
 *   MVTEST: INFO fuzz seed=N          first, so any run can be replayed
 *   MVTEST: FAIL fuzz-<check>: ...    something impossible happened
 *   MVTEST: SHOW fuzz: seed=... ops=... in ...s (errnos: ...)
 *   MVTEST: PASS fuzz-completed       the budget ran out, no impossibility
 *
 * The kernel's side (oops, WARN, leaks, module refcount) is judged by
 * tests/emu/suite-fuzz.sh; this program asserts what userspace can see:
 * return values inside their documented ranges (docs/uapi.md), errnos in
 * the documented set of each ioctl, run-page fields consistent with the
 * exit reason, GET_* output well formed, and no unexpected signal.
 *
 * Reproducibility: all choices come from a xoshiro256** stream seeded by
 * the 64-bit seed. Each top-level operation takes one number from the
 * main stream and draws everything else from a sub-stream seeded by it,
 * so the sequence of operations does not shift when an outcome changes
 * how many numbers an operation uses. `--seed N --ops M` replays the
 * same operations. Not deterministic: where a RUN ends (interval timer
 * vs. guest exit, so registers and later exits can differ), the timing of
 * the racing thread against the main thread, and what forked children
 * see; mmap addresses differ (ASLR) but no choice depends on them. The
 * children's operations are not in the counts.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <uapi/minivmm.h>

#define PAGE		4096ul
#define MAX_FDS		48		/* live fds the fuzzer holds */
#define MAX_OBJS	64		/* VMs, vCPUs (fuzzer-side records) */
#define MAX_MAPS	32		/* mmaps of minivmm fds */
#define MAX_BUFS	24		/* anonymous buffers for guest memory */
#define BUF_MAX		(1ul << 20)	/* per buffer, so per slot */
#define BUF_TOTAL	(32ul << 20)	/* all buffers together */
#define ARENA_SIZE	(4 * PAGE)	/* argument buffers, then a guard page */
#define HOLE_ADDR	0x200000000000ul	/* never mapped (checked) */
#define HOLE_SIZE	(16 * PAGE)
#define NR_SLOTS	32		/* MINIVMM_MAX_SLOTS */

/* ------------------------------------------------------------------ */
/* Random numbers                                                      */

struct rng {
	uint64_t s[4];
};

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static void rng_seed(struct rng *r, uint64_t seed)
{
	int i;

	for (i = 0; i < 4; i++)
		r->s[i] = splitmix64(&seed);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

/* xoshiro256** (Blackman, Vigna): small, fast, good enough. */
static uint64_t rnd64(struct rng *r)
{
	uint64_t *s = r->s, res = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return res;
}

/* Uniform in [0, n), n > 0 (the bias for small n does not matter here). */
static uint64_t rnd(struct rng *r, uint64_t n)
{
	return rnd64(r) % n;
}

/* True with probability 1/n. */
static int one_in(struct rng *r, unsigned int n)
{
	return rnd(r, n) == 0;
}

static void rnd_fill(struct rng *r, void *p, size_t len)
{
	uint8_t *b = p;

	while (len--)
		*b++ = rnd64(r);
}

/* A "interesting" 64-bit value: small, boundary, all ones, or random. */
static uint64_t rnd_value(struct rng *r)
{
	static const uint64_t special[] = {
		0, 1, 2, 0xf, 0xff, 0xfff, 0x1000, 0xffff, 0x10000, 0x7fffffff,
		0x80000000, 0xffffffff, 0x100000000ull, 0xfee00000, 0xfffff000,
		0x7fffffffffffffffull, 0x8000000000000000ull, ~0ull, ~0ull - 0xfff,
		0x0000800000000000ull, 0xffff800000000000ull, 1ull << 48,
	};

	switch (rnd(r, 4)) {
	case 0:
		return special[rnd(r, sizeof(special) / sizeof(special[0]))];
	case 1:
		return rnd(r, 0x10000);
	default:
		return rnd64(r);
	}
}

/* ------------------------------------------------------------------ */
/* State                                                               */

enum fd_kind { K_DEV, K_VM, K_VCPU, K_NULL, NR_KINDS };
static const char *const kind_name[] = { "dev", "vm", "vcpu", "null" };

struct fdent {
	int fd;
	enum fd_kind kind;
	int obj;		/* VM or vCPU record, -1 for dev/null */
};

struct slot_view {		/* what the fuzzer believes a slot holds */
	int used;
	uint64_t gpa, size, uaddr;
	int readonly;
};

struct obj {			/* a VM or a vCPU the fuzzer created */
	int refs;		/* fds, mappings and vCPUs referring to it */
	pid_t owner;		/* creating process: others get EIO */
	int vm;			/* vCPU: its VM record */
	unsigned int id;	/* vCPU id */
	struct slot_view slots[NR_SLOTS];	/* VM */
	int stale;		/* VM: slots changed in ways the view missed */
};

struct map {			/* an mmap of a minivmm fd that succeeded */
	uint8_t *addr;
	size_t len;
	int prot, flags;
	int vcpu;		/* vCPU record, -1 if not a run page */
};

struct buf {			/* anonymous memory for guest slots */
	uint8_t *addr;
	size_t len;
	int prot;
};

static struct fdent fds[MAX_FDS];
static int nfds;
static struct obj objs[MAX_OBJS];
static struct map maps[MAX_MAPS];
static int nmaps;
static struct buf bufs[MAX_BUFS];
static int nbufs;
static size_t buf_bytes;

static uint8_t *arena;		/* ARENA_SIZE, then a PROT_NONE guard page */
static uint8_t *ro_page;	/* a read-only page */
static uint64_t seed;
static uint64_t nops, ncalls;
static int trace;
static int in_child;
static int racing;		/* a racer thread RUNs: the main thread must not */
static int fails;

/* Outcomes of calls into the module: [0] successes, [e] errno e. */
#define MAX_ERRNO	134
static uint64_t outcomes[MAX_ERRNO + 1];

/* ------------------------------------------------------------------ */
/* Reporting                                                           */

/* A line on stdout, unbuffered even in a child (no double flush). */
__attribute__((format(printf, 1, 2)))
static void say(const char *fmt, ...)
{
	char line[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (n > (int)sizeof(line) - 2)
		n = sizeof(line) - 2;
	line[n++] = '\n';
	if (write(1, line, n) < 0)
		return;
}

/* How often each check failed (check names are string literals). */
#define MAX_CHECKS	32
static struct {
	const char *name;
	uint64_t count;
} failed_checks[MAX_CHECKS];

/* Count a failure of @check; true for its first two (worth a line). */
static int count_check(const char *check)
{
	int k;

	for (k = 0; k < MAX_CHECKS && failed_checks[k].name; k++)
		if (!strcmp(failed_checks[k].name, check))
			break;
	if (k == MAX_CHECKS)
		return 0;
	failed_checks[k].name = check;
	return ++failed_checks[k].count <= 2;
}

/*
 * Something impossible: a FAIL line (the first two times per check), with
 * the seed and the operation number to replay it.
 */
static void impossible(const char *check, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void impossible(const char *check, const char *fmt, ...)
{
	char why[320];
	va_list ap;

	fails++;
	if (!count_check(check))
		return;
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	say("MVTEST: FAIL fuzz-%s: seed=%" PRIu64 " op=%" PRIu64 "%s: %s", check,
	    seed, nops, in_child ? " (child)" : "", why);
}

__attribute__((format(printf, 1, 2)))
static void tr(const char *fmt, ...)
{
	char line[400];
	va_list ap;

	if (!trace)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	say("MVTEST: INFO fuzz-trace %" PRIu64 "%s %s", nops, in_child ? "c" : "", line);
	/* Wait until the line is out of the UART: a panic loses what the
	 * tty still buffers, and the last lines are the interesting ones.
	 */
	tcdrain(1);
}

static void on_alarm(int sig)
{
	(void)sig;
}

/* SIGSEGV/SIGBUS: the fuzzer only touches memory it knows is there. */
static void on_fatal(int sig, siginfo_t *si, void *ctx)
{
	char line[200];
	int n;

	(void)ctx;
	n = snprintf(line, sizeof(line),
		     "MVTEST: FAIL fuzz-unexpected-signal: seed=%" PRIu64 " op=%" PRIu64
		     "%s: signal %d at address %p\n", seed, nops,
		     in_child ? " (child)" : "", sig, si->si_addr);
	if (write(1, line, n) < 0)
		_exit(3);
	_exit(3);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* CLOCK_MONOTONIC in ns, the clock of run->timer_deadline_ns. */
static uint64_t now_ns(void)
{
	return (uint64_t)(now() * 1e9);
}

/* One-shot SIGALRM: a RUN whose guest never exits returns EINTR. */
static void arm_timer(long usec)
{
	struct itimerval it = { .it_value = { usec / 1000000, usec % 1000000 } };

	setitimer(ITIMER_REAL, &it, NULL);
}

static void disarm_timer(void)
{
	struct itimerval it = { 0 };

	setitimer(ITIMER_REAL, &it, NULL);
}

/* ------------------------------------------------------------------ */
/* Records                                                             */

static int obj_new(void)
{
	int i;

	for (i = 0; i < MAX_OBJS; i++) {
		if (!objs[i].refs) {
			memset(&objs[i], 0, sizeof(objs[i]));
			objs[i].refs = 1;
			objs[i].owner = getpid();
			objs[i].vm = -1;
			return i;
		}
	}
	return -1;
}

static void obj_put(int o)
{
	if (o < 0 || --objs[o].refs)
		return;
	if (objs[o].vm >= 0)
		obj_put(objs[o].vm);
}

static void obj_get(int o)
{
	if (o >= 0)
		objs[o].refs++;
}

/* Remember an fd the module (or open) gave us; close it if the table is full. */
static void fd_add(int fd, enum fd_kind kind, int obj)
{
	if (nfds == MAX_FDS || (obj < 0 && (kind == K_VM || kind == K_VCPU))) {
		close(fd);
		obj_put(obj);
		return;
	}
	fds[nfds++] = (struct fdent){ .fd = fd, .kind = kind, .obj = obj };
}

static void fd_remove(int i)
{
	obj_put(fds[i].obj);
	fds[i] = fds[--nfds];
}

/* A random fd of @kind (or of any kind for NR_KINDS), -1 if none. */
static int pick_fd(struct rng *r, enum fd_kind kind)
{
	int idx[MAX_FDS], n = 0, i;

	for (i = 0; i < nfds; i++)
		if (kind == NR_KINDS || fds[i].kind == kind)
			idx[n++] = i;
	return n ? idx[rnd(r, n)] : -1;
}

/* ------------------------------------------------------------------ */
/* Argument pointers                                                   */

enum ptr_kind { P_VALID, P_NULL, P_HOLE, P_KERNEL, P_NONCANON, P_MISALIGNED,
		P_STRADDLE, P_RANDOM, P_READONLY, P_RUNPAGE, P_GUESTMEM, NR_PTRS };

/*
 * A pointer for an ioctl argument of @size bytes. Valid pointers are in
 * the arena (which then holds random bytes, unless the caller fills it),
 * so the kernel never writes over the fuzzer's own state.
 */
static uint8_t *pick_ptr(struct rng *r, size_t size, enum ptr_kind *kind)
{
	enum ptr_kind k = rnd(r, 3) ? P_VALID : rnd(r, NR_PTRS);
	uint8_t *p = arena;
	int i;

	size = size > ARENA_SIZE ? ARENA_SIZE : size;
	switch (k) {
	case P_NULL:
		p = NULL;
		break;
	case P_HOLE:
		p = (uint8_t *)HOLE_ADDR + rnd(r, HOLE_SIZE);
		break;
	case P_KERNEL:
		p = (uint8_t *)(rnd(r, 2) ? 0xffff888000000000ul : 0xffffffff81000000ul);
		break;
	case P_NONCANON:
		p = (uint8_t *)(0x0000800000000000ul + rnd(r, 2) * 0x7fff000000000000ul);
		break;
	case P_MISALIGNED:
		p = arena + 1 + rnd(r, 7);
		break;
	case P_STRADDLE:
		p = arena + ARENA_SIZE - (size > 1 ? 1 + rnd(r, size - 1) : 0);
		break;
	case P_RANDOM:
		p = (uint8_t *)rnd64(r);
		break;
	case P_READONLY:
		p = ro_page;
		break;
	case P_RUNPAGE:
		/* The kernel may write to its own run page: harmless, as long
		 * as nothing lands past it (the fuzzer's memory may follow).
		 */
		for (i = 0; i < nmaps && size <= PAGE; i++)
			if (maps[i].vcpu >= 0 && (maps[i].prot & PROT_WRITE))
				p = maps[i].addr + rnd(r, PAGE - size + 1);
		break;
	case P_GUESTMEM:
		for (i = 0; i < nbufs; i++)
			if ((bufs[i].prot & PROT_WRITE) && bufs[i].len >= size)
				p = bufs[i].addr;
		break;
	default:
		break;
	}
	if (p == arena)
		k = P_VALID;
	if (k == P_VALID || k == P_MISALIGNED || k == P_STRADDLE)
		rnd_fill(r, arena, ARENA_SIZE);
	*kind = k;
	return p;
}

/* ------------------------------------------------------------------ */
/* The checked ioctl                                                   */

static int is_foreign(const struct fdent *f)
{
	return f->obj >= 0 && objs[f->obj].owner != getpid();
}

/*
 * A number this fuzzer does not know, below 0x40, may be an ioctl newer
 * than include/uapi/minivmm.h as it was built against (numbers are
 * handed out from the bottom): its results are counted, not judged.
 */
static int newer_ioctl(unsigned long cmd)
{
	switch (_IOC_NR(cmd)) {
	case 0x00 ... 0x03:
	case 0x10 ... 0x13:
	case 0x20 ... 0x2e:
		return 0;
	default:
		return _IOC_NR(cmd) < 0x40;
	}
}

/* The documented errnos (docs/uapi.md) of @cmd on an fd of @kind. */
static int errno_documented(const struct fdent *f, unsigned long cmd, int err)
{
	if (f->kind == K_NULL)
		return err == ENOTTY;
	if (newer_ioctl(cmd))
		return 1;
	/* Another process's VM: everything is EIO, even unknown numbers. */
	if ((f->kind == K_VM || f->kind == K_VCPU) && is_foreign(f))
		return err == EIO;
	switch (f->kind) {
	case K_DEV:
		switch (cmd) {
		case MINIVMM_GET_VMX_CAPS:
			return err == EFAULT;
		case MINIVMM_PROBE_VMX:
			return err == EBUSY || err == EIO || err == ENOMEM || err == EFAULT;
		case MINIVMM_CREATE_VM:
			return err == EINVAL || err == EBUSY || err == ENOMEM || err == EMFILE;
		case MINIVMM_GET_API_VERSION:
		case MINIVMM_CHECK_CAP:
		case MINIVMM_GET_VCPU_MMAP_SIZE:
			return 0;
		}
		break;
	case K_VM:
		switch (cmd) {
		case MINIVMM_SET_MEMORY_REGION:
			return err == EFAULT || err == EINVAL || err == EEXIST ||
			       err == ENOMEM || err == EIO;
		case MINIVMM_CREATE_VCPU:
			return err == EINVAL || err == EEXIST || err == ENOMEM ||
			       err == EMFILE || err == EIO;
		case MINIVMM_SET_EXIT_POLICY:
			return err == EINVAL || err == EFAULT || err == EIO;
		}
		break;
	case K_VCPU:
		switch (cmd) {
		case MINIVMM_RUN:
			return err == EINTR || err == EINVAL || err == EIO;
		case MINIVMM_GET_REGS:
		case MINIVMM_SET_REGS:
		case MINIVMM_GET_SREGS:
			return err == EFAULT || err == EIO;
		case MINIVMM_SET_SREGS:
			/* reserved[] and padding must be 0 (include/uapi/minivmm.h) */
			return err == EFAULT || err == EIO || err == EINVAL;
		case MINIVMM_SET_CPUID:
			return err == E2BIG || err == EINVAL || err == EFAULT ||
			       err == ENOMEM || err == EIO;
		case MINIVMM_GET_VCPU_STATS:
			return err == EFAULT || err == EIO;
		case MINIVMM_INTERRUPT:
			return err == EINVAL || err == EEXIST || err == EFAULT ||
			       err == EIO;
		case MINIVMM_SET_TRACE:
			return err == EINVAL || err == ENOMEM || err == EFAULT ||
			       err == EIO;
		case MINIVMM_READ_TRACE:
		case MINIVMM_SET_GUEST_DEBUG:
			return err == EINVAL || err == EFAULT || err == EIO;
		case MINIVMM_GET_CPUID:
		case MINIVMM_GET_MSRS:
		case MINIVMM_SET_MSRS:
			return err == E2BIG || err == EINVAL || err == EFAULT ||
			       err == ENOMEM || err == EIO;
		}
		break;
	default:
		break;
	}
	return err == ENOTTY;
}

/* What a successful call may return (docs/uapi.md, include/uapi/minivmm.h). */
static int ret_documented(const struct fdent *f, unsigned long cmd,
			  unsigned long arg, long ret)
{
	if (newer_ioctl(cmd) && f->kind != K_NULL)
		return ret >= 0;
	if (f->kind == K_DEV) {
		switch (cmd) {
		case MINIVMM_GET_API_VERSION:
			return ret == MINIVMM_API_VERSION;
		case MINIVMM_GET_VCPU_MMAP_SIZE:
			return ret == (long)PAGE;
		case MINIVMM_CREATE_VM:
			return ret >= 0;
		case MINIVMM_CHECK_CAP:
			switch (arg) {
			case MINIVMM_CAP_VMX_CAPS:
				return ret == 1;
			case MINIVMM_CAP_PROBE_VMX:
				return ret == MINIVMM_PROBE_MAX_CPUS;
			case MINIVMM_CAP_EPT:
			case MINIVMM_CAP_VPID:
			case MINIVMM_CAP_UNRESTRICTED_GUEST:
			case MINIVMM_CAP_PREEMPTION_TIMER:
				return ret == 0 || ret == 1;
			default:
				/* Small numbers may be newer capabilities. */
				return arg < 64 ? ret >= 0 : ret == 0;
			}
		}
	}
	if (f->kind == K_VM && cmd == MINIVMM_CREATE_VCPU)
		return ret >= 0;
	/* Entries done: at most the count asked for. */
	if (f->kind == K_VCPU && (cmd == MINIVMM_GET_MSRS || cmd == MINIVMM_SET_MSRS))
		return ret >= 0 && ret <= MINIVMM_MAX_MSR_ENTRIES;
	return ret == 0;
}

/*
 * ioctl() on fds[@i] with every check: a RUN is bounded by the interval
 * timer, new fds are kept (or closed), the outcome is counted and
 * checked against the documentation. Returns ret, errno preserved.
 */
static long do_ioctl(int i, unsigned long cmd, unsigned long arg, struct rng *r)
{
	struct fdent f = fds[i];
	long ret;
	int err;

	/* While racing, SIGALRM is the racer's: a RUN here could spin. */
	if (cmd == MINIVMM_RUN && racing)
		return -1;
	if (cmd == MINIVMM_RUN)
		arm_timer(2000 + rnd(r, 40000));
	errno = 0;
	ret = ioctl(f.fd, cmd, arg);
	err = errno;
	if (cmd == MINIVMM_RUN)
		disarm_timer();
	ncalls++;
	tr("ioctl %s fd %d cmd %#lx arg %#lx -> %ld/%d", kind_name[f.kind], f.fd,
	   cmd, arg, ret, ret < 0 ? err : 0);
	if (ret < 0) {
		outcomes[err <= MAX_ERRNO ? err : 0]++;
		/* Other magics may be the VFS's own (FIONBIO...): not ours to judge. */
		if (ret != -1)
			impossible("ioctl-return", "%s cmd %#lx returned %ld", kind_name[f.kind],
				   cmd, ret);
		else if (_IOC_TYPE(cmd) == MINIVMMIO && !errno_documented(&f, cmd, err))
			impossible("undocumented-errno", "%s fd cmd %#lx arg %#lx: errno %d (%s)",
				   kind_name[f.kind], cmd, arg, err, strerror(err));
		errno = err;
		return ret;
	}
	outcomes[0]++;
	if (_IOC_TYPE(cmd) == MINIVMMIO && !ret_documented(&f, cmd, arg, ret))
		impossible("ioctl-return", "%s fd cmd %#lx arg %#lx returned %ld",
			   kind_name[f.kind], cmd, arg, ret);
	if (f.kind == K_DEV && cmd == MINIVMM_CREATE_VM) {
		fd_add(ret, K_VM, obj_new());
	} else if (f.kind == K_VM && cmd == MINIVMM_CREATE_VCPU) {
		int o = obj_new();

		if (o >= 0) {
			objs[o].vm = f.obj;
			objs[o].id = arg;
			obj_get(f.obj);
		}
		fd_add(ret, K_VCPU, o);
	}
	return ret;
}

/* ------------------------------------------------------------------ */
/* Output checks                                                       */

static int bit(uint8_t v)
{
	return v <= 1;
}

/* GET_SREGS output: fields in their ranges, reserved[] zero. */
static void check_sregs(const struct minivmm_sregs *s)
{
	const struct minivmm_segment *seg = &s->cs;
	int i;

	for (i = 0; i < 8; i++, seg++) {
		if (seg->type > 15 || seg->dpl > 3 || !bit(seg->present) || !bit(seg->db) ||
		    !bit(seg->s) || !bit(seg->l) || !bit(seg->g) || !bit(seg->avl) ||
		    !bit(seg->unusable) || seg->pad[0] || seg->pad[1] || seg->pad[2])
			impossible("get-sregs-segment", "segment %d: type %u dpl %u present %u",
				   i, seg->type, seg->dpl, seg->present);
	}
	for (i = 0; i < 8; i++)
		if (s->reserved[i])
			impossible("get-sregs-reserved", "reserved[%d] = %#llx", i,
				   (unsigned long long)s->reserved[i]);
	if (s->cr8 > 15)
		impossible("get-sregs-cr8", "cr8 = %#llx", (unsigned long long)s->cr8);
	if (s->gdt.pad[0] || s->gdt.pad[1] || s->gdt.pad[2] || s->idt.pad[0] ||
	    s->idt.pad[1] || s->idt.pad[2])
		impossible("get-sregs-pad", "dtable padding not zero");
}

/* GET_REGS output: RFLAGS bit 1 set, reserved bits (3, 5, 15, 22-63) clear. */
static void check_regs(const struct minivmm_regs *g)
{
	if (!(g->rflags & 2) || (g->rflags & ~0x3f7fd7ull))
		impossible("get-regs-rflags", "rflags = %#llx", (unsigned long long)g->rflags);
}

/* The run page after RUN returned @ret: consistent with the exit reason. */
static void check_run(const struct minivmm_run *run, long ret, int err)
{
	if (ret < 0) {
		if (err == EINTR && run->exit_reason != MINIVMM_EXIT_INTR)
			impossible("run-eintr-exit-reason", "EINTR with exit_reason %u",
				   run->exit_reason);
		return;
	}
	switch (run->exit_reason) {
	case MINIVMM_EXIT_IO:
		if (run->io.direction > 1 ||
		    (run->io.size != 1 && run->io.size != 2 && run->io.size != 4) ||
		    !run->io.count || run->io.data_offset != 512 ||
		    (uint64_t)run->io.count * run->io.size > PAGE - 512)
			impossible("run-io-fields", "dir %u size %u count %u offset %llu",
				   run->io.direction, run->io.size, run->io.count,
				   (unsigned long long)run->io.data_offset);
		break;
	case MINIVMM_EXIT_MMIO:
		if ((run->mmio.len != 1 && run->mmio.len != 2 && run->mmio.len != 4 &&
		     run->mmio.len != 8) || run->mmio.is_write > 1)
			impossible("run-mmio-fields", "len %u is_write %u", run->mmio.len,
				   run->mmio.is_write);
		break;
	case MINIVMM_EXIT_FAIL_ENTRY: {
		uint64_t hw = run->fail_entry.hardware_exit_reason;
		uint64_t err = run->fail_entry.qualification;

		if (hw != 0 && hw != 33 && hw != 34 && hw != 41)
			impossible("run-fail-entry-reason", "hardware_exit_reason %llu",
				   (unsigned long long)hw);
		/*
		 * VMLAUNCH/VMRESUME failing with an error userspace cannot
		 * cause: no current VMCS (0), the launch state wrong (4, 5),
		 * after VMXOFF (6), bad host state (8). Bad guest state or
		 * injected events (7, 26) can be userspace's doing.
		 */
		if (hw == 0 && (err == 0 || err == 4 || err == 5 || err == 6 || err == 8))
			impossible("run-vm-instruction-error", "VMLAUNCH/VMRESUME error %llu",
				   (unsigned long long)err);
		break;
	}
	case MINIVMM_EXIT_HLT:
	case MINIVMM_EXIT_HYPERCALL:
	case MINIVMM_EXIT_SHUTDOWN:
	case MINIVMM_EXIT_INTERNAL_ERROR:
	case MINIVMM_EXIT_IRQ_WINDOW_OPEN:
	case MINIVMM_EXIT_TIMER:
	case MINIVMM_EXIT_DEBUG:
	/* The exit policy's (a SET_EXIT_POLICY earlier moved them). */
	case MINIVMM_EXIT_CPUID:
	case MINIVMM_EXIT_MSR:
	case MINIVMM_EXIT_CR:
	case MINIVMM_EXIT_EXCEPTION:
		break;
	default:
		impossible("run-exit-reason", "RUN returned 0 with exit_reason %u",
			   run->exit_reason);
	}
}

/* ------------------------------------------------------------------ */
/* Operations                                                          */

static void op_open(struct rng *r)
{
	static const int flags[] = { O_RDWR, O_RDONLY, O_WRONLY, O_RDWR | O_NONBLOCK,
				     O_RDWR | O_CLOEXEC };
	int null = one_in(r, 5);
	int fd = open(null ? "/dev/null" : "/dev/minivmm", flags[rnd(r, 5)]);

	tr("open %s -> %d", null ? "null" : "dev", fd);
	if (fd < 0) {
		if (!null)
			impossible("open-device", "%s", strerror(errno));
		return;
	}
	fd_add(fd, null ? K_NULL : K_DEV, -1);
}

static void op_close(struct rng *r)
{
	int i = pick_fd(r, NR_KINDS);

	if (i < 0)
		return;
	tr("close %s fd %d", kind_name[fds[i].kind], fds[i].fd);
	if (close(fds[i].fd))
		impossible("close", "fd %d: %s", fds[i].fd, strerror(errno));
	fd_remove(i);
}

static void op_dup(struct rng *r)
{
	int i = pick_fd(r, NR_KINDS), fd;

	if (i < 0 || nfds == MAX_FDS)
		return;
	fd = dup(fds[i].fd);
	tr("dup %d -> %d", fds[i].fd, fd);
	if (fd < 0)
		return;
	obj_get(fds[i].obj);
	fd_add(fd, fds[i].kind, fds[i].obj);
}

static void op_create_vm(struct rng *r)
{
	int i = pick_fd(r, K_DEV);

	if (i >= 0 && nfds < MAX_FDS)
		do_ioctl(i, MINIVMM_CREATE_VM, one_in(r, 8) ? rnd_value(r) : 0, r);
}

static void op_create_vcpu(struct rng *r)
{
	int i = pick_fd(r, K_VM);
	unsigned long id = rnd(r, 4);

	if (one_in(r, 4))
		id = one_in(r, 2) ? rnd(r, 20) : rnd_value(r);
	if (i >= 0 && nfds < MAX_FDS)
		do_ioctl(i, MINIVMM_CREATE_VCPU, id, r);
}

static void op_dev_misc(struct rng *r)
{
	static const unsigned long cmds[] = { MINIVMM_GET_API_VERSION, MINIVMM_CHECK_CAP,
		MINIVMM_GET_VMX_CAPS, MINIVMM_PROBE_VMX, MINIVMM_GET_VCPU_MMAP_SIZE };
	unsigned long cmd = cmds[rnd(r, 5)], arg = 0;
	int i = pick_fd(r, K_DEV);
	enum ptr_kind pk;
	long ret;

	if (i < 0)
		return;
	if (cmd == MINIVMM_CHECK_CAP)
		arg = one_in(r, 2) ? rnd(r, 24) : rnd_value(r);
	else if (cmd == MINIVMM_GET_VMX_CAPS || cmd == MINIVMM_PROBE_VMX)
		arg = (unsigned long)pick_ptr(r, cmd == MINIVMM_PROBE_VMX ?
				sizeof(struct minivmm_vmx_probe) :
				sizeof(struct minivmm_vmx_caps), &pk);
	ret = do_ioctl(i, cmd, arg, r);
	if (ret == 0 && arg == (unsigned long)arena && cmd == MINIVMM_PROBE_VMX) {
		struct minivmm_vmx_probe *p = (void *)arena;

		if (p->nr_cpus > MINIVMM_PROBE_MAX_CPUS)
			impossible("probe-nr-cpus", "nr_cpus %u", p->nr_cpus);
	}
	if (ret == 0 && arg == (unsigned long)arena && cmd == MINIVMM_GET_VMX_CAPS) {
		struct minivmm_vmx_caps *c = (void *)arena;
		int k;

		for (k = 0; k < 12; k++)
			if (c->reserved[k])
				impossible("vmx-caps-reserved", "reserved[%d] %#llx", k,
					   (unsigned long long)c->reserved[k]);
	}
}

/* A live, writable buffer holding [@addr, +@len), or NULL. */
static struct buf *buf_holding(uint64_t addr, uint64_t len)
{
	int i;

	for (i = 0; i < nbufs; i++)
		if ((bufs[i].prot & PROT_WRITE) && addr >= (uintptr_t)bufs[i].addr &&
		    addr + len <= (uintptr_t)bufs[i].addr + bufs[i].len)
			return &bufs[i];
	return NULL;
}

static int op_buf_new(struct rng *r)
{
	size_t len = (1 + rnd(r, BUF_MAX / PAGE)) * PAGE;
	int prot = one_in(r, 6) ? PROT_READ : PROT_READ | PROT_WRITE;
	int flags = (one_in(r, 4) ? MAP_SHARED : MAP_PRIVATE) | MAP_ANONYMOUS;
	uint8_t *p;

	if (one_in(r, 2))
		len = BUF_MAX;
	if (nbufs == MAX_BUFS || buf_bytes + len > BUF_TOTAL)
		return -1;
	p = mmap(NULL, len, prot, flags, -1, 0);
	tr("buf mmap %zu prot %d flags %#x -> %p", len, prot, flags, (void *)p);
	if (p == MAP_FAILED)
		return -1;
	bufs[nbufs] = (struct buf){ .addr = p, .len = len, .prot = prot };
	buf_bytes += len;
	return nbufs++;
}

/* munmap a buffer (all of it, or its head or tail), or mprotect it. */
static void op_buf_change(struct rng *r)
{
	struct buf *b;
	size_t cut;

	if (!nbufs)
		return;
	b = &bufs[rnd(r, nbufs)];
	cut = (1 + rnd(r, b->len / PAGE)) * PAGE;
	switch (rnd(r, 4)) {
	case 0:			/* tail */
		munmap(b->addr + b->len - cut, cut);
		b->len -= cut;
		buf_bytes -= cut;
		break;
	case 1:			/* head */
		munmap(b->addr, cut);
		b->addr += cut;
		b->len -= cut;
		buf_bytes -= cut;
		break;
	case 2:
		b->prot = one_in(r, 3) ? PROT_NONE : one_in(r, 2) ? PROT_READ :
			  PROT_READ | PROT_WRITE;
		mprotect(b->addr, b->len, b->prot);
		break;
	default:
		munmap(b->addr, b->len);
		buf_bytes -= b->len;
		b->len = 0;
	}
	tr("buf change -> %p+%zu prot %d", (void *)b->addr, b->len, b->prot);
	if (!b->len)
		*b = bufs[--nbufs];
}

static int slot_overlaps(const struct obj *vm, int skip, uint64_t gpa, uint64_t size)
{
	int i;

	for (i = 0; i < NR_SLOTS; i++)
		if (i != skip && vm->slots[i].used && gpa < vm->slots[i].gpa + vm->slots[i].size &&
		    vm->slots[i].gpa < gpa + size)
			return 1;
	return 0;
}

/* userspace_addr for a slot: mostly a buffer, else something hostile. */
static uint64_t pick_uaddr(struct rng *r, __u64 *size)
{
	struct buf *b;
	int k;

	switch (rnd(r, 9)) {
	case 8:
		/* A run page as guest memory: the guest writes into it. */
		for (k = 0; k < nmaps; k++) {
			if (maps[k].vcpu >= 0) {
				*size = PAGE;
				return (uintptr_t)maps[k].addr;
			}
		}
		return 0;
	case 0:
		return HOLE_ADDR;
	case 1:
		return rnd(r, 2) ? 0xffff888000000000ul : 0xffffffff81000000ul;
	case 2:
		return (uintptr_t)ro_page;
	case 3:
		return rnd(r, 2) ? rnd_value(r) : (uintptr_t)arena + rnd(r, 2) * 3;
	default:
		if (!nbufs && op_buf_new(r) < 0)
			return 0;
		b = &bufs[rnd(r, nbufs)];
		if (!one_in(r, 6))
			*size = *size > b->len ? b->len : *size;
		return (uintptr_t)b->addr + (one_in(r, 8) ? PAGE * rnd(r, 4) : 0);
	}
}

static void op_set_memory_region(struct rng *r)
{
	struct minivmm_memory_region m = { 0 };
	int i = pick_fd(r, K_VM), plausible = !one_in(r, 4);
	struct obj *vm;
	enum ptr_kind pk = P_VALID;
	uint8_t *p;
	long ret;

	if (i < 0)
		return;
	vm = fds[i].obj >= 0 ? &objs[fds[i].obj] : NULL;
	m.slot = one_in(r, 10) ? rnd_value(r) : rnd(r, 6);
	m.flags = one_in(r, 5) ? MINIVMM_MEM_READONLY : 0;
	m.memory_size = (1 + rnd(r, BUF_MAX / PAGE)) * PAGE;
	if (one_in(r, 2))
		m.memory_size = rnd(r, 2) ? BUF_MAX : 16 * PAGE;
	if (one_in(r, 5))
		m.memory_size = 0;			/* delete */
	m.guest_phys_addr = one_in(r, 2) ? 0 : rnd(r, 64) * 0x10000;
	m.userspace_addr = pick_uaddr(r, &m.memory_size);
	if (!plausible) {
		switch (rnd(r, 6)) {
		case 0: m.flags = rnd_value(r); break;
		case 1: m.guest_phys_addr = rnd_value(r); break;
		case 2: m.memory_size = rnd_value(r); break;
		case 3: m.guest_phys_addr |= 1 + rnd(r, 0xfff); break;
		case 4: m.memory_size += 1 + rnd(r, 0xfff); break;
		default: m.userspace_addr = rnd_value(r); break;
		}
	}
	p = pick_ptr(r, sizeof(m), &pk);
	if (pk == P_VALID || pk == P_MISALIGNED)
		memcpy(p, &m, sizeof(m));
	ret = do_ioctl(i, MINIVMM_SET_MEMORY_REGION, (unsigned long)p, r);
	/* Keep the fuzzer's view of the VM's slots; check what must fail. */
	if (!vm || fds[i].kind != K_VM || is_foreign(&fds[i]))
		return;
	if (pk != P_VALID && pk != P_MISALIGNED) {
		/* The kernel read something else than @m. */
		if (ret == 0)
			vm->stale = 1;
		return;
	}
	/*
	 * A failure after the checks (pinning, ENOMEM) has released the old
	 * slot already (vm.c); for the others the view may now say "free"
	 * wrongly, which only makes the overlap check below weaker, never
	 * wrong.
	 */
	if (ret < 0 && errno != EEXIST && m.slot < NR_SLOTS)
		vm->slots[m.slot].used = 0;
	if (ret == 0 && m.memory_size && m.slot < NR_SLOTS && !vm->stale &&
	    slot_overlaps(vm, m.slot, m.guest_phys_addr, m.memory_size))
		impossible("slot-overlap-accepted", "slot %u gpa %#llx size %#llx", m.slot,
			   (unsigned long long)m.guest_phys_addr,
			   (unsigned long long)m.memory_size);
	if (ret == 0 && ((m.guest_phys_addr | m.memory_size | m.userspace_addr) & (PAGE - 1)))
		impossible("slot-unaligned-accepted", "gpa %#llx size %#llx uaddr %#llx",
			   (unsigned long long)m.guest_phys_addr,
			   (unsigned long long)m.memory_size,
			   (unsigned long long)m.userspace_addr);
	if (ret == 0 && m.slot < NR_SLOTS)
		vm->slots[m.slot] = (struct slot_view){ .used = !!m.memory_size,
			.gpa = m.guest_phys_addr, .size = m.memory_size,
			.uaddr = m.userspace_addr,
			.readonly = !!(m.flags & MINIVMM_MEM_READONLY) };
}

static void fill_regs(struct rng *r, struct minivmm_regs *g)
{
	uint64_t *v = (uint64_t *)g;
	size_t k;

	for (k = 0; k < sizeof(*g) / 8; k++)
		v[k] = rnd_value(r);
	if (!one_in(r, 4)) {
		g->rflags = 2 | (one_in(r, 2) ? 0x200 : 0) | (one_in(r, 8) ? 0x100 : 0) |
			    (one_in(r, 8) ? 0x400 : 0);
		g->rip = rnd(r, 0x100);
	}
}

static void op_regs(struct rng *r)
{
	int i = pick_fd(r, one_in(r, 8) ? NR_KINDS : K_VCPU), set = one_in(r, 2);
	struct minivmm_regs g;
	enum ptr_kind pk;
	uint8_t *p;
	long ret;

	if (i < 0)
		return;
	p = pick_ptr(r, sizeof(g), &pk);
	if (set && pk == P_VALID) {
		fill_regs(r, &g);
		memcpy(p, &g, sizeof(g));
	}
	ret = do_ioctl(i, set ? MINIVMM_SET_REGS : MINIVMM_GET_REGS, (unsigned long)p, r);
	if (!set && ret == 0 && pk == P_VALID && fds[i].kind == K_VCPU) {
		memcpy(&g, p, sizeof(g));
		check_regs(&g);
	}
}

/* A real-mode segment as the reset state has it, based at @base. */
static void real_seg(struct minivmm_segment *s, uint64_t base, uint8_t type)
{
	memset(s, 0, sizeof(*s));
	s->selector = base >> 4;
	s->base = base;
	s->limit = 0xffff;
	s->type = type;
	s->s = 1;
	s->present = 1;
}

/* sregs: fully random, or mutated from GET_SREGS, or sane real mode. */
static void fill_sregs(struct rng *r, int vcpu_fd, struct minivmm_sregs *s)
{
	uint8_t *b = (uint8_t *)s;
	int k, n;

	if (one_in(r, 4)) {
		rnd_fill(r, s, sizeof(*s));
		return;
	}
	if (ioctl(vcpu_fd, MINIVMM_GET_SREGS, s))
		memset(s, 0, sizeof(*s));
	ncalls++;
	if (one_in(r, 2)) {
		n = 1 + rnd(r, 4);
		for (k = 0; k < n; k++)
			b[rnd(r, sizeof(*s))] = rnd64(r);
		return;
	}
	switch (rnd(r, 4)) {
	case 0: s->cr0 ^= 1ull << rnd(r, 64); break;
	case 1: s->cr4 ^= 1ull << rnd(r, 64); break;
	case 2: s->efer ^= 1ull << rnd(r, 16); break;
	default: s->cr3 = rnd_value(r); break;
	}
}

static void op_sregs(struct rng *r)
{
	int i = pick_fd(r, one_in(r, 8) ? NR_KINDS : K_VCPU), set = one_in(r, 2);
	struct minivmm_sregs s;
	enum ptr_kind pk;
	uint8_t *p;
	long ret;

	if (i < 0)
		return;
	if (set)
		fill_sregs(r, fds[i].fd, &s);
	p = pick_ptr(r, sizeof(s), &pk);
	if (set && (pk == P_VALID || pk == P_MISALIGNED))
		memcpy(p, &s, sizeof(s));
	ret = do_ioctl(i, set ? MINIVMM_SET_SREGS : MINIVMM_GET_SREGS, (unsigned long)p, r);
	if (!set && ret == 0 && pk == P_VALID && fds[i].kind == K_VCPU) {
		memcpy(&s, p, sizeof(s));
		check_sregs(&s);
	}
}

static void op_set_cpuid(struct rng *r)
{
	int i = pick_fd(r, one_in(r, 8) ? NR_KINDS : K_VCPU);
	struct minivmm_cpuid *c;
	uint32_t nent = rnd(r, 8), k;
	enum ptr_kind pk;
	uint8_t *p;

	if (i < 0)
		return;
	if (one_in(r, 4))
		nent = one_in(r, 2) ? 250 + rnd(r, 10) : rnd64(r);
	p = pick_ptr(r, ARENA_SIZE, &pk);
	if (pk == P_VALID) {
		c = (void *)p;
		c->nent = nent;
		c->pad = one_in(r, 10);
		for (k = 0; k < nent && sizeof(*c) + (k + 1) * sizeof(c->entries[0]) <= ARENA_SIZE;
		     k++) {
			c->entries[k].function = one_in(r, 2) ? rnd(r, 16) : rnd64(r);
			c->entries[k].flags = one_in(r, 10) ? rnd64(r) : rnd(r, 2);
			c->entries[k].pad = one_in(r, 20);
		}
	}
	do_ioctl(i, MINIVMM_SET_CPUID, (unsigned long)p, r);
}

/* An ioctl number with minivmm's magic (or any): random nr, size, dir. */
static void op_ioctl_random(struct rng *r)
{
	int i = pick_fd(r, NR_KINDS);
	unsigned long cmd, arg;
	enum ptr_kind pk;

	if (i < 0)
		return;
	if (one_in(r, 4))
		cmd = (uint32_t)rnd64(r);
	else
		cmd = _IOC(rnd(r, 4), MINIVMMIO, one_in(r, 2) ? rnd(r, 0x30) : rnd(r, 256),
			   one_in(r, 2) ? rnd(r, 0x400) : rnd(r, 1 << 14));
	/* Never our own terminal ioctls by accident: only fds we opened. */
	arg = one_in(r, 2) ? rnd_value(r) : (unsigned long)pick_ptr(r, ARENA_SIZE, &pk);
	if (cmd == MINIVMM_CREATE_VM || cmd == MINIVMM_CREATE_VCPU) {
		if (nfds == MAX_FDS)
			return;
	}
	if (do_ioctl(i, cmd, arg, r) == 0 && cmd == MINIVMM_SET_MEMORY_REGION &&
	    fds[i].kind == K_VM && fds[i].obj >= 0)
		objs[fds[i].obj].stale = 1;
}

/* ------------------------------------------------------------------ */
/* Guests                                                              */

/* Real-mode code fragments (run at CS:0, CS base = a page in a slot). */
struct frag {
	uint8_t len;
	uint8_t b[15];
};

static const struct frag frags[] = {
	{ 1, { 0xf4 } },					/* hlt */
	{ 2, { 0xe6, 0x80 } },					/* out 0x80, al */
	{ 1, { 0xec } },					/* in al, dx */
	{ 1, { 0xed } },					/* in ax, dx */
	{ 2, { 0x66, 0xef } },					/* out dx, eax */
	{ 3, { 0x0f, 0x01, 0xc1 } },				/* vmcall */
	{ 2, { 0x0f, 0xa2 } },					/* cpuid */
	{ 2, { 0x0f, 0x32 } },					/* rdmsr */
	{ 2, { 0x0f, 0x30 } },					/* wrmsr */
	{ 3, { 0xa0, 0x00, 0x00 } },				/* mov al, [0] */
	{ 3, { 0xa3, 0x10, 0x00 } },				/* mov [0x10], ax */
	{ 2, { 0x89, 0x07 } },					/* mov [bx], ax */
	{ 3, { 0x66, 0x8b, 0x07 } },				/* mov eax, [bx] */
	{ 4, { 0xc7, 0x07, 0x34, 0x12 } },			/* mov word [bx], 0x1234 */
	{ 3, { 0x0f, 0xb6, 0x07 } },				/* movzx ax, byte [bx] */
	{ 3, { 0x0f, 0xbf, 0x07 } },				/* movsx ax, word [bx] */
	{ 1, { 0xaa } },					/* stosb */
	{ 2, { 0xf3, 0xab } },					/* rep stosw */
	{ 2, { 0x8e, 0xd8 } },					/* mov ds, ax */
	{ 2, { 0x8e, 0xc1 } },					/* mov es, cx */
	{ 2, { 0xf3, 0x6e } },					/* rep outsb */
	{ 3, { 0xf3, 0x66, 0x6d } },				/* rep insd */
	{ 2, { 0xf3, 0x6c } },					/* rep insb */
	{ 1, { 0xfd } },					/* std */
	{ 1, { 0xfa } },					/* cli */
	{ 1, { 0xfb } },					/* sti */
	{ 2, { 0xeb, 0xfe } },					/* jmp . */
	{ 5, { 0x0f, 0x01, 0x1e, 0x08, 0x00 } },		/* lidt [8] */
	{ 1, { 0xcc } },					/* int3 */
	{ 2, { 0xcd, 0x0d } },					/* int 13 */
	{ 3, { 0x0f, 0x20, 0xc0 } },				/* mov eax, cr0 */
	{ 3, { 0x0f, 0x22, 0xc0 } },				/* mov cr0, eax */
	{ 3, { 0x0f, 0x20, 0xe0 } },				/* mov eax, cr4 */
	{ 3, { 0x0f, 0x22, 0xe0 } },				/* mov cr4, eax */
	{ 3, { 0x0f, 0x22, 0xd8 } },				/* mov cr3, eax */
	{ 3, { 0x0f, 0x01, 0xf0 } },				/* lmsw ax */
	{ 2, { 0x0f, 0x06 } },					/* clts */
	{ 3, { 0x0f, 0x01, 0xc8 } },				/* monitor */
	{ 3, { 0x0f, 0x01, 0xc9 } },				/* mwait */
	{ 2, { 0x0f, 0x08 } },					/* invd */
	{ 3, { 0x0f, 0x01, 0xd1 } },				/* xsetbv */
	{ 3, { 0x0f, 0x01, 0xc2 } },				/* vmlaunch */
	{ 3, { 0x0f, 0x01, 0xc4 } },				/* vmxoff */
	{ 3, { 0x0f, 0xc7, 0x37 } },				/* vmptrld [bx] */
	{ 3, { 0x0f, 0x78, 0xc0 } },				/* vmread eax, eax */
	{ 2, { 0x0f, 0x31 } },					/* rdtsc */
	{ 2, { 0x0f, 0x0b } },					/* ud2 */
	{ 1, { 0xcf } },					/* iret */
	{ 4, { 0x66, 0x0d, 0x01, 0x00 } },			/* or eax, 0x1.. (PE) */
	{ 6, { 0x66, 0x0d, 0x00, 0x00, 0x00, 0x80 } },		/* or eax, PG */
	{ 6, { 0x66, 0xb9, 0x80, 0x00, 0x00, 0xc0 } },		/* mov ecx, EFER */
	{ 6, { 0x66, 0xb8, 0x00, 0x01, 0x00, 0x00 } },		/* mov eax, LME */
	{ 3, { 0x9c, 0x5b, 0x53 } },				/* pushf; pop bx; push bx */
	{ 1, { 0x9d } },					/* popf */
	{ 2, { 0x0f, 0x09 } },					/* wbinvd */
	{ 3, { 0x0f, 0x01, 0xf9 } },				/* rdtscp */
	{ 2, { 0xf3, 0x90 } },					/* pause */
};

#define NR_FRAGS (sizeof(frags) / sizeof(frags[0]))

/* Up to @max bytes of guest code: fragments, random bytes, or a mix. */
static size_t make_code(struct rng *r, uint8_t *code, size_t max)
{
	size_t len = 0, n = 1 + rnd(r, 10), k;

	if (one_in(r, 6)) {
		len = 1 + rnd(r, max);
		rnd_fill(r, code, len);
		return len;
	}
	for (k = 0; k < n; k++) {
		const struct frag *f = &frags[rnd(r, NR_FRAGS)];

		if (len + f->len + 1 > max)
			break;
		memcpy(code + len, f->b, f->len);
		len += f->len;
		if (one_in(r, 12))
			code[len++] = rnd64(r);
	}
	code[len++] = one_in(r, 4) ? 0xeb : 0xf4;	/* jmp (random) or hlt */
	return len;
}

/* Real mode with the code at @gpa (CS base, IP 0). */
static void real_mode(struct rng *r, const struct slot_view *sv, uint64_t gpa,
		      struct minivmm_sregs *s)
{
	real_seg(&s->cs, gpa, 11);
	/* DS/ES: the slot (memory), or somewhere unmapped (MMIO). */
	real_seg(&s->ds, one_in(r, 2) ? sv->gpa : rnd(r, 0x10000) << 4, 3);
	real_seg(&s->es, one_in(r, 2) ? sv->gpa : rnd(r, 0x10000) << 4, 3);
	real_seg(&s->fs, 0, 3);
	real_seg(&s->gs, 0, 3);
	real_seg(&s->ss, sv->gpa, 3);
	memset(&s->tr, 0, sizeof(s->tr));
	s->tr.limit = 0xffff;
	s->tr.type = 11;
	s->tr.present = 1;
	memset(&s->ldt, 0, sizeof(s->ldt));
	s->ldt.unusable = 1;
	s->cr0 = 0x10 | (s->cr0 & 0x20);
	s->cr4 = 0;
	s->efer = 0;
}

/* A flat 64-bit segment of @type (code: L=1, data: D/B=1). */
static void flat_seg(struct minivmm_segment *s, uint16_t sel, uint8_t type)
{
	memset(s, 0, sizeof(*s));
	s->selector = sel;
	s->limit = 0xffffffff;
	s->type = type;
	s->s = 1;
	s->present = 1;
	s->g = 1;
	if (type & 8)
		s->l = 1;
	else
		s->db = 1;
}

/*
 * 64-bit mode straight from SET_SREGS: the slot's first three pages hold
 * PML4, PDPT and a PD identity-mapping the first GiB with 2 MiB pages
 * (sometimes with a random entry); the MMIO decoder then walks them.
 */
static int long_mode(struct rng *r, const struct slot_view *sv, struct minivmm_sregs *s)
{
	uint64_t *t = (uint64_t *)(uintptr_t)sv->uaddr, base = sv->gpa;
	int k;

	if (sv->size < 4 * PAGE || !buf_holding(sv->uaddr, 3 * PAGE))
		return -1;
	memset(t, 0, 3 * PAGE);
	t[0] = (base + PAGE) | 3;			/* present, writable */
	t[512] = (base + 2 * PAGE) | 3;
	for (k = 0; k < 512; k++)
		t[1024 + k] = ((uint64_t)k << 21) | 0x83;	/* 2 MiB page */
	if (one_in(r, 4))
		t[rnd(r, 3 * 512)] = rnd_value(r);
	flat_seg(&s->cs, 8, 11);
	flat_seg(&s->ds, 16, 3);
	flat_seg(&s->es, 16, 3);
	flat_seg(&s->fs, 16, 3);
	flat_seg(&s->gs, 16, 3);
	flat_seg(&s->ss, 16, 3);
	memset(&s->tr, 0, sizeof(s->tr));
	s->tr.selector = 24;
	s->tr.limit = 0x67;
	s->tr.type = 11;
	s->tr.present = 1;
	memset(&s->ldt, 0, sizeof(s->ldt));
	s->ldt.unusable = 1;
	s->cr0 = 0x80000031;				/* PG, NE, ET, PE */
	s->cr3 = base;
	s->cr4 = 0x20;					/* PAE */
	s->efer = 0x500;				/* LMA, LME */
	return 0;
}

/*
 * Make the vCPU of fds[@i] run a little guest: find (or create) a slot
 * the fuzzer can write, put code in one of its pages, point CS there, in
 * real mode or (a third of the time) 64-bit mode. Returns 0 if the guest
 * is in place.
 */
static int setup_guest(struct rng *r, int i)
{
	struct minivmm_sregs s;
	struct minivmm_regs g;
	struct slot_view *sv = NULL;
	struct obj *vm;
	uint8_t code[64];
	uint64_t page, gpa;
	struct buf *b;
	int k;

	if (fds[i].obj < 0 || objs[fds[i].obj].vm < 0 || is_foreign(&fds[i]))
		return -1;
	vm = &objs[objs[fds[i].obj].vm];
	for (k = 0; k < NR_SLOTS && !sv; k++) {
		struct slot_view *c = &vm->slots[k];

		if (c->used && c->gpa < 0xf0000 && buf_holding(c->uaddr, PAGE))
			sv = c;
	}
	if (!sv) {
		/* A new slot at a free place below 1 MiB, backed by a buffer. */
		struct minivmm_memory_region m = { .slot = rnd(r, NR_SLOTS) };
		int bi = nbufs ? (int)rnd(r, nbufs) : op_buf_new(r);
		int vmi = -1;

		if (bi < 0 || !(bufs[bi].prot & PROT_WRITE))
			return -1;
		m.memory_size = bufs[bi].len > 0x40000 ? 0x40000 : bufs[bi].len;
		m.userspace_addr = (uintptr_t)bufs[bi].addr;
		m.guest_phys_addr = rnd(r, 12) * 0x10000;
		if (vm->slots[m.slot].used ||
		    slot_overlaps(vm, m.slot, m.guest_phys_addr, m.memory_size))
			return -1;
		for (k = 0; k < nfds && vmi < 0; k++)
			if (fds[k].kind == K_VM && fds[k].obj == objs[fds[i].obj].vm)
				vmi = k;
		if (vmi < 0 || ioctl(fds[vmi].fd, MINIVMM_SET_MEMORY_REGION, &m))
			return -1;
		ncalls++;
		sv = &vm->slots[m.slot];
		*sv = (struct slot_view){ .used = 1, .gpa = m.guest_phys_addr,
			.size = m.memory_size, .uaddr = m.userspace_addr };
	}
	page = rnd(r, sv->size / PAGE);
	gpa = sv->gpa + page * PAGE;
	b = buf_holding(sv->uaddr + page * PAGE, PAGE);
	if (!b || gpa >= 0x100000)
		return -1;
	memcpy((uint8_t *)(uintptr_t)(sv->uaddr + page * PAGE),
	       code, make_code(r, code, sizeof(code)));
	if (ioctl(fds[i].fd, MINIVMM_GET_SREGS, &s))
		return -1;
	ncalls++;
	fill_regs(r, &g);
	g.rflags = 2 | (one_in(r, 2) ? 0x200 : 0);
	if (page >= 3 && one_in(r, 3) && !long_mode(r, sv, &s)) {
		g.rip = gpa;		/* identity mapped */
	} else {
		real_mode(r, sv, gpa, &s);
		g.rip = 0;
		g.rsp = 0x1000 + rnd(r, 0xe000);
	}
	ncalls += 2;
	if (ioctl(fds[i].fd, MINIVMM_SET_SREGS, &s))
		return -1;
	return ioctl(fds[i].fd, MINIVMM_SET_REGS, &g) ? -1 : 0;
}

/* A shared, readable and writable mapping of this vCPU's run page. */
static struct minivmm_run *run_page_of(int vcpu_obj)
{
	int k;

	for (k = 0; k < nmaps; k++)
		if (maps[k].vcpu == vcpu_obj && maps[k].vcpu >= 0 &&
		    (maps[k].flags & MAP_SHARED) &&
		    (maps[k].prot & (PROT_READ | PROT_WRITE)) == (PROT_READ | PROT_WRITE))
			return (void *)maps[k].addr;
	return NULL;
}

/* Map the run page of fds[@i] properly (as a VMM would). */
static struct minivmm_run *map_run_page(int i)
{
	void *p;

	if (nmaps == MAX_MAPS || fds[i].obj < 0)
		return NULL;
	p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fds[i].fd, 0);
	if (p == MAP_FAILED)
		return NULL;
	maps[nmaps++] = (struct map){ .addr = p, .len = PAGE,
		.prot = PROT_READ | PROT_WRITE, .flags = MAP_SHARED, .vcpu = fds[i].obj };
	obj_get(fds[i].obj);
	return p;
}

/* Hostile: overwrite fields of the run page between two RUNs. */
static void scribble_run(struct rng *r, struct minivmm_run *run)
{
	uint8_t *b = (uint8_t *)run;
	int n = 1 + rnd(r, 6), k;

	for (k = 0; k < n; k++) {
		switch (rnd(r, 4)) {
		case 0:
			run->io.data_offset = rnd_value(r);
			break;
		case 1:
			run->io.size = rnd64(r);
			break;
		case 2:
			run->exit_reason = rnd(r, 12);
			break;
		default:
			b[rnd(r, PAGE)] = rnd64(r);
		}
	}
}

/* What a VMM answers to an exit, sometimes nonsense. */
static void answer_exit(struct rng *r, struct minivmm_run *run)
{
	if (run->exit_reason == MINIVMM_EXIT_IO && run->io.direction == MINIVMM_EXIT_IO_IN &&
	    run->io.data_offset == 512)
		rnd_fill(r, (uint8_t *)run + 512, PAGE - 512);
	else if (run->exit_reason == MINIVMM_EXIT_MMIO && !run->mmio.is_write)
		rnd_fill(r, run->mmio.data, 8);
	else if (run->exit_reason == MINIVMM_EXIT_HYPERCALL)
		run->hypercall.ret = rnd_value(r);
	if (one_in(r, 6))
		scribble_run(r, run);
}

/* RUN a vCPU a few times, with a guest set up first or as it is. */
static void op_run(struct rng *r, int with_guest)
{
	int i = pick_fd(r, one_in(r, 10) ? NR_KINDS : K_VCPU);
	struct minivmm_run *run = NULL;
	int n = 1 + rnd(r, 8), k;
	long ret;

	if (i < 0)
		return;
	if (fds[i].kind == K_VCPU && !is_foreign(&fds[i]) && fds[i].obj >= 0) {
		run = run_page_of(fds[i].obj);
		if (!run && !one_in(r, 4))
			run = map_run_page(i);
	}
	if (with_guest && fds[i].kind == K_VCPU && setup_guest(r, i))
		tr("guest setup failed");
	for (k = 0; k < n; k++) {
		if (run) {
			run->immediate_exit = one_in(r, 8);
			/* Interrupt-window requests and timer deadlines, sane or not. */
			run->request_interrupt_window = one_in(r, 4) ? rnd(r, 256) : 0;
			if (one_in(r, 4))
				run->timer_deadline_ns = one_in(r, 2) ? rnd64(r) :
							 now_ns() + rnd(r, 2000000);
			else
				run->timer_deadline_ns = 0;
		}
		ret = do_ioctl(i, MINIVMM_RUN, one_in(r, 20) ? rnd_value(r) : 0, r);
		if (!run)
			continue;
		check_run(run, ret, errno);
		tr("exit %u", run->exit_reason);
		if (ret == 0)
			answer_exit(r, run);
	}
	if (run) {
		run->immediate_exit = 0;
		run->timer_deadline_ns = 0;
		run->request_interrupt_window = 0;
	}
}

/* The exit trace (rings of any size, reads into any buffer) and single-stepping. */
static void op_trace(struct rng *r)
{
	int i = pick_fd(r, one_in(r, 8) ? NR_KINDS : K_VCPU);
	struct minivmm_trace_setup *s;
	struct minivmm_trace_read *rd;
	enum ptr_kind pk;
	uint8_t *p;

	if (i < 0)
		return;
	if (one_in(r, 3)) {		/* single-stepping on or off, flags sane or not */
		struct minivmm_guest_debug *d;

		p = pick_ptr(r, sizeof(*d), &pk);
		if (pk == P_VALID) {
			d = (void *)p;
			memset(d, 0, sizeof(*d));
			d->flags = one_in(r, 8) ? (uint32_t)rnd64(r) : rnd(r, 4);
			d->breakpoint = one_in(r, 4) ? rnd64(r) : 0x100000 + rnd(r, 0x1000);
		}
		do_ioctl(i, MINIVMM_SET_GUEST_DEBUG, (unsigned long)p, r);
		return;
	}
	if (one_in(r, 3)) {
		p = pick_ptr(r, sizeof(*s), &pk);
		if (pk == P_VALID) {
			s = (void *)p;
			memset(s, 0, sizeof(*s));
			s->nr_records = one_in(r, 4) ? (uint32_t)rnd64(r) : 1u << rnd(r, 12);
			s->flags = one_in(r, 10);
		}
		do_ioctl(i, MINIVMM_SET_TRACE, (unsigned long)p, r);
		return;
	}
	p = pick_ptr(r, sizeof(*rd), &pk);
	if (pk == P_VALID) {
		enum ptr_kind rk;

		rd = (void *)p;
		memset(rd, 0, sizeof(*rd));
		rd->max = one_in(r, 4) ? (uint32_t)rnd64(r) : rnd(r, 64);
		rd->records = (unsigned long)pick_ptr(r, 64 * sizeof(struct minivmm_trace_record), &rk);
		rd->reserved[0] = one_in(r, 10);
	}
	do_ioctl(i, MINIVMM_READ_TRACE, (unsigned long)p, r);
}

/*
 * The exit policy (any class mask, port ranges sane or not) on a VM, and
 * GET_CPUID / GET_MSRS / SET_MSRS of random leaves and MSRs on a vCPU:
 * the next RUN_GUEST then runs under whatever policy was left.
 */
static void op_policy(struct rng *r)
{
	enum ptr_kind pk;
	uint8_t *p;
	unsigned int k, n;
	int i;

	if (one_in(r, 2)) {
		struct minivmm_exit_policy *e;

		i = pick_fd(r, one_in(r, 8) ? NR_KINDS : K_VM);
		if (i < 0)
			return;
		p = pick_ptr(r, sizeof(*e), &pk);
		if (pk == P_VALID) {
			e = (void *)p;
			memset(e, 0, sizeof(*e));
			e->to_user = one_in(r, 8) ? (uint32_t)rnd64(r) : rnd(r, 16);
			e->nr_io_ignore = one_in(r, 8) ? rnd(r, 40) : rnd(r, 3);
			for (k = 0; k < MINIVMM_POLICY_MAX_IO_IGNORE && k < e->nr_io_ignore; k++) {
				e->io_ignore[k].port = one_in(r, 4) ? (uint16_t)rnd64(r) : 0x80 + 4 * k;
				e->io_ignore[k].len = one_in(r, 4) ? (uint16_t)rnd64(r) : 1 + rnd(r, 4);
			}
			e->to_kernel = one_in(r, 8) ? (uint32_t)rnd64(r) : rnd(r, 2);
			e->reserved[0] = one_in(r, 16);
		}
		do_ioctl(i, MINIVMM_SET_EXIT_POLICY, (unsigned long)p, r);
		return;
	}
	i = pick_fd(r, one_in(r, 8) ? NR_KINDS : K_VCPU);
	if (i < 0)
		return;
	n = one_in(r, 8) ? (uint32_t)rnd64(r) : rnd(r, 8);
	if (one_in(r, 3)) {
		struct minivmm_cpuid *c;

		p = pick_ptr(r, sizeof(*c) + 8 * sizeof(c->entries[0]), &pk);
		if (pk == P_VALID) {
			c = (void *)p;
			memset(c, 0, sizeof(*c) + 8 * sizeof(c->entries[0]));
			c->nent = n > 8 && !one_in(r, 4) ? 8 : n;
			for (k = 0; k < 8; k++) {
				c->entries[k].function = one_in(r, 2) ? rnd(r, 0x20) :
							 (uint32_t)rnd64(r);
				c->entries[k].index = rnd(r, 4);
				c->entries[k].flags = one_in(r, 10) ? 2 : rnd(r, 2);
			}
		}
		do_ioctl(i, MINIVMM_GET_CPUID, (unsigned long)p, r);
		return;
	} else {
		static const uint32_t msrs[] = { 0xc0000080, 0xc0000081, 0xc0000082,
			0xc0000100, 0xc0000101, 0xc0000102, 0xc0000103, 0x10, 0x1b,
			0x174, 0x175, 0x176, 0x277, 0x1a0, 0x8b, 0x1d9, 0x12345 };
		struct minivmm_msrs *m;

		p = pick_ptr(r, sizeof(*m) + 8 * sizeof(m->entries[0]), &pk);
		if (pk == P_VALID) {
			m = (void *)p;
			memset(m, 0, sizeof(*m) + 8 * sizeof(m->entries[0]));
			m->nmsrs = n > 8 && !one_in(r, 4) ? 8 : n;
			for (k = 0; k < 8; k++) {
				m->entries[k].index = one_in(r, 8) ? (uint32_t)rnd64(r) :
						      msrs[rnd(r, sizeof(msrs) / sizeof(msrs[0]))];
				m->entries[k].data = one_in(r, 2) ? rnd64(r) : rnd(r, 0x1000);
				m->entries[k].reserved = one_in(r, 16);
			}
		}
		do_ioctl(i, one_in(r, 2) ? MINIVMM_GET_MSRS : MINIVMM_SET_MSRS,
			 (unsigned long)p, r);
	}
}

/* MINIVMM_INTERRUPT: mostly valid vectors, sometimes not, any pointer. */
static void op_interrupt(struct rng *r)
{
	int i = pick_fd(r, one_in(r, 8) ? NR_KINDS : K_VCPU);
	struct minivmm_interrupt *irq;
	enum ptr_kind pk;
	uint8_t *p;

	if (i < 0)
		return;
	p = pick_ptr(r, sizeof(*irq), &pk);
	if (pk == P_VALID) {
		irq = (void *)p;
		irq->irq = one_in(r, 8) ? (uint32_t)rnd64(r) : rnd(r, 256);
	}
	do_ioctl(i, MINIVMM_INTERRUPT, (unsigned long)p, r);
}

/* mmap any fd with random offset, length, protection and flags. */
static void op_mmap(struct rng *r)
{
	static const size_t lens[] = { PAGE, 0, 1, PAGE - 1, PAGE + 1, 2 * PAGE, 1 << 20 };
	static const int extra[] = { 0, MAP_POPULATE, MAP_NORESERVE, MAP_LOCKED,
				     MAP_32BIT, MAP_ANONYMOUS, MAP_HUGETLB, MAP_SYNC,
				     MAP_GROWSDOWN, MAP_STACK };
	int i = pick_fd(r, one_in(r, 3) ? NR_KINDS : K_VCPU);
	size_t len = lens[rnd(r, 7)];
	off_t off = one_in(r, 4) ? (off_t)(rnd(r, 4) * PAGE + rnd(r, 2)) : 0;
	int prot = one_in(r, 3) ? (int)rnd(r, 8) : PROT_READ | PROT_WRITE;
	int flags = one_in(r, 8) ? (int)rnd(r, 4) : rnd(r, 4) ? MAP_SHARED : MAP_PRIVATE;
	uint8_t *p;

	if (i < 0 || nmaps == MAX_MAPS)
		return;
	if (one_in(r, 3))
		flags |= extra[rnd(r, 10)];
	if (one_in(r, 8))
		len = rnd(r, 3 * PAGE);
	p = mmap(NULL, len, prot, flags, fds[i].fd, off);
	ncalls++;
	tr("mmap %s fd %d len %zu off %ld prot %d flags %#x -> %p", kind_name[fds[i].kind],
	   fds[i].fd, len, (long)off, prot, flags, (void *)p);
	if (p == MAP_FAILED) {
		outcomes[errno <= MAX_ERRNO ? errno : 0]++;
		return;
	}
	outcomes[0]++;
	if (fds[i].kind != K_NULL && !(flags & MAP_ANONYMOUS) &&
	    (fds[i].kind != K_VCPU || off || (len + PAGE - 1) / PAGE != 1))
		impossible("mmap-accepted", "%s fd len %zu off %ld flags %#x",
			   kind_name[fds[i].kind], len, (long)off, flags);
	maps[nmaps] = (struct map){ .addr = p, .len = (len + PAGE - 1) & ~(PAGE - 1),
		.prot = prot, .flags = flags, .vcpu = -1 };
	if (fds[i].kind == K_VCPU && !(flags & MAP_ANONYMOUS) && fds[i].obj >= 0) {
		maps[nmaps].vcpu = fds[i].obj;
		obj_get(fds[i].obj);
	}
	nmaps++;
}

static void map_remove(int k)
{
	obj_put(maps[k].vcpu);
	maps[k] = maps[--nmaps];
}

/* munmap (all, or only a part: the kernel splits or refuses) or mprotect. */
static void op_munmap(struct rng *r)
{
	struct map *m;
	int k;

	if (!nmaps) {
		/* Unmapping nothing is fine too. */
		munmap((void *)HOLE_ADDR, PAGE);
		return;
	}
	k = rnd(r, nmaps);
	m = &maps[k];
	tr("munmap/mprotect %p len %zu", (void *)m->addr, m->len);
	if (one_in(r, 4)) {
		int prot = rnd(r, 8);

		if (!mprotect(m->addr, m->len, prot))
			m->prot = prot;
		return;
	}
	if (one_in(r, 6)) {
		/* Misaligned: EINVAL, nothing changes. */
		if (!munmap(m->addr + 1 + rnd(r, PAGE - 1), PAGE))
			impossible("munmap-misaligned", "accepted");
		return;
	}
	munmap(m->addr, m->len);
	map_remove(k);
}

/* Write random bytes into guest memory the fuzzer owns. */
static void op_poke_guest(struct rng *r)
{
	struct buf *b;
	size_t off;

	if (!nbufs)
		return;
	b = &bufs[rnd(r, nbufs)];
	if (!(b->prot & PROT_WRITE) || !b->len)
		return;
	off = rnd(r, b->len - 64);
	rnd_fill(r, b->addr + off, 64);
}

/* ------------------------------------------------------------------ */
/* Forks and threads                                                   */

static void one_op(struct rng *r, int simple);

/*
 * A child does a few operations on the inherited fds (VM and vCPU fds
 * must give EIO there), maybe creates a VM of its own, and exits.
 */
static void op_fork(struct rng *r)
{
	uint64_t child_seed = rnd64(r);
	double deadline;
	int status, n = 1 + rnd(r, 8);
	pid_t pid, w;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return;
	if (pid == 0) {
		struct rng cr;
		int k;

		in_child = 1;
		fails = 0;
		rng_seed(&cr, child_seed);
		for (k = 0; k < n; k++)
			one_op(&cr, 1);
		_exit(fails ? 4 : 0);
	}
	deadline = now() + 60;
	while ((w = waitpid(pid, &status, WNOHANG)) == 0 && now() < deadline)
		usleep(2000);
	if (w == 0) {
		impossible("child-hung", "pid %d still running after 60 s", pid);
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		return;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 4)
		fails++;	/* the child printed its FAIL lines */
	else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		impossible("child-died", "status %#x", status);
}

struct racer {
	int fd;
	volatile int stop, done;
	long ret;
	int err;
};

/* The racing thread: RUN until told to stop. Only ioctls: it never
 * touches memory the main thread may unmap.
 */
static void *racer_main(void *arg)
{
	struct racer *rc = arg;

	while (!rc->stop) {
		rc->ret = ioctl(rc->fd, MINIVMM_RUN, 0);
		rc->err = errno;
		if (rc->ret < 0 && rc->err != EINTR && rc->err != EINVAL &&
		    rc->err != EIO && rc->err != EBADF && rc->err != ENOTTY)
			break;
	}
	rc->done = 1;
	return NULL;
}

/*
 * A thread RUNs a vCPU while this one closes its fds, changes slots,
 * unmaps its run page or guest memory, or uses its registers. A periodic
 * SIGALRM, blocked here, keeps interrupting the racer's RUN, so an ioctl
 * of ours waiting for the vCPU's mutex gets it soon.
 */
static void op_thread(struct rng *r)
{
	struct racer rc = { 0 };
	int i = pick_fd(r, K_VCPU), n = 1 + rnd(r, 6), k;
	long period = 1000 + rnd(r, 20000);
	struct itimerval it = { { 0, period }, { 0, period } };
	double deadline;
	pthread_t t;
	sigset_t set, old;

	if (i < 0 || is_foreign(&fds[i]))
		return;
	if (one_in(r, 2))
		setup_guest(r, i);
	rc.fd = fds[i].fd;
	if (pthread_create(&t, NULL, racer_main, &rc))
		return;
	sigemptyset(&set);
	sigaddset(&set, SIGALRM);
	pthread_sigmask(SIG_BLOCK, &set, &old);
	setitimer(ITIMER_REAL, &it, NULL);
	racing = 1;
	tr("thread runs vcpu fd %d", rc.fd);
	for (k = 0; k < n; k++) {
		usleep(rnd(r, 3000));
		one_op(r, 2);
	}
	rc.stop = 1;
	deadline = now() + 60;
	while (!rc.done && now() < deadline) {
		pthread_kill(t, SIGALRM);
		usleep(1000);
	}
	if (!rc.done) {
		impossible("racer-hung", "RUN on fd %d not back after 60 s of signals", rc.fd);
		say("MVTEST: INFO fuzz: giving up (a thread is stuck in the kernel)");
		_exit(1);
	}
	pthread_join(t, NULL);
	racing = 0;
	disarm_timer();
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	ncalls++;
	if (rc.ret < 0 && rc.err != EINTR && rc.err != EINVAL && rc.err != EIO &&
	    rc.err != EBADF && rc.err != ENOTTY)
		impossible("racer-errno", "RUN: errno %d (%s)", rc.err, strerror(rc.err));
}

/* ------------------------------------------------------------------ */
/* The loop                                                            */

enum op { O_OPEN, O_CLOSE, O_DUP, O_CREATE_VM, O_CREATE_VCPU, O_DEV_MISC,
	  O_SET_MEM, O_REGS, O_SREGS, O_CPUID, O_RUN_GUEST, O_RUN, O_IOCTL_RANDOM,
	  O_MMAP, O_MUNMAP, O_BUF_NEW, O_BUF_CHANGE, O_POKE, O_FORK, O_THREAD,
	  O_INTERRUPT, O_TRACE, O_POLICY, NR_OPS };

static const char *const op_name[] = { "open", "close", "dup", "create_vm",
	"create_vcpu", "dev_misc", "set_mem", "regs", "sregs", "cpuid", "run_guest",
	"run", "ioctl_random", "mmap", "munmap", "buf_new", "buf_change", "poke",
	"fork", "thread", "interrupt", "trace", "policy" };

/* Relative weights; forks and threads are rare (slow in Bochs). */
static const unsigned int op_weight[NR_OPS] = {
	[O_OPEN] = 4, [O_CLOSE] = 4, [O_DUP] = 1, [O_CREATE_VM] = 4,
	[O_CREATE_VCPU] = 5, [O_DEV_MISC] = 3, [O_SET_MEM] = 8, [O_REGS] = 4,
	[O_SREGS] = 5, [O_CPUID] = 3, [O_RUN_GUEST] = 10, [O_RUN] = 5,
	[O_IOCTL_RANDOM] = 8, [O_MMAP] = 4, [O_MUNMAP] = 3, [O_BUF_NEW] = 2,
	[O_BUF_CHANGE] = 2, [O_POKE] = 1, [O_FORK] = 1, [O_THREAD] = 1,
	[O_INTERRUPT] = 4, [O_TRACE] = 3, [O_POLICY] = 3,
};

static uint64_t op_count[NR_OPS];

/*
 * One operation. @simple: 1 in a forked child (no forks or threads,
 * no memory changes), 2 while a racer runs (no forks or threads).
 */
static void one_op(struct rng *r, int simple)
{
	unsigned int total = 0, pick, k;
	enum op o = 0;

	for (k = 0; k < NR_OPS; k++)
		total += op_weight[k];
	pick = rnd(r, total);
	for (k = 0; k < NR_OPS; k++) {
		if (pick < op_weight[k]) {
			o = k;
			break;
		}
		pick -= op_weight[k];
	}
	if (simple && (o == O_FORK || o == O_THREAD))
		o = O_IOCTL_RANDOM;
	if (simple == 2 && (o == O_RUN || o == O_RUN_GUEST))
		o = O_REGS;
	if (simple == 1 && (o == O_MMAP || o == O_MUNMAP || o == O_BUF_CHANGE ||
			    o == O_RUN_GUEST || o == O_POKE))
		o = O_SET_MEM;
	if (!in_child)
		op_count[o]++;
	switch (o) {
	case O_OPEN: if (nfds < MAX_FDS) op_open(r); break;
	case O_CLOSE: op_close(r); break;
	case O_DUP: op_dup(r); break;
	case O_CREATE_VM: op_create_vm(r); break;
	case O_CREATE_VCPU: op_create_vcpu(r); break;
	case O_DEV_MISC: op_dev_misc(r); break;
	case O_SET_MEM: op_set_memory_region(r); break;
	case O_REGS: op_regs(r); break;
	case O_SREGS: op_sregs(r); break;
	case O_CPUID: op_set_cpuid(r); break;
	case O_RUN_GUEST: op_run(r, 1); break;
	case O_RUN: op_run(r, 0); break;
	case O_IOCTL_RANDOM: op_ioctl_random(r); break;
	case O_MMAP: op_mmap(r); break;
	case O_MUNMAP: op_munmap(r); break;
	case O_BUF_NEW: op_buf_new(r); break;
	case O_BUF_CHANGE: op_buf_change(r); break;
	case O_POKE: op_poke_guest(r); break;
	case O_FORK: op_fork(r); break;
	case O_THREAD: op_thread(r); break;
	case O_INTERRUPT: op_interrupt(r); break;
	case O_TRACE: op_trace(r); break;
	case O_POLICY: op_policy(r); break;
	default: break;
	}
}

/* Argument memory: an arena, a guard page after it, a read-only page,
 * and a hole that nothing maps.
 */
static int setup_memory(void)
{
	uint8_t *p = mmap(NULL, ARENA_SIZE + 2 * PAGE, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	void *h;

	if (p == MAP_FAILED)
		return -1;
	arena = p;
	mprotect(p + ARENA_SIZE, PAGE, PROT_NONE);
	ro_page = p + ARENA_SIZE + PAGE;
	memset(ro_page, 0x5a, PAGE);
	mprotect(ro_page, PAGE, PROT_READ);
	h = mmap((void *)HOLE_ADDR, HOLE_SIZE, PROT_NONE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (h != (void *)HOLE_ADDR)
		return -1;
	munmap(h, HOLE_SIZE);
	return 0;
}

/* Close everything, so the module's refcount can go back to 0. */
static void teardown(void)
{
	while (nmaps) {
		munmap(maps[0].addr, maps[0].len);
		map_remove(0);
	}
	while (nfds) {
		close(fds[0].fd);
		fd_remove(0);
	}
	while (nbufs) {
		munmap(bufs[nbufs - 1].addr, bufs[nbufs - 1].len);
		nbufs--;
	}
}

static void summary(double secs)
{
	char line[1200];
	size_t n = 0;
	int e, k;

	n += snprintf(line + n, sizeof(line) - n, "ok %" PRIu64, outcomes[0]);
	for (e = 1; e <= MAX_ERRNO && n < sizeof(line) - 40; e++) {
		const char *name = strerrorname_np(e);

		if (outcomes[e])
			n += snprintf(line + n, sizeof(line) - n, ", %s %" PRIu64,
				      name ? name : "?", outcomes[e]);
	}
	say("MVTEST: SHOW fuzz: seed=%" PRIu64 " ops=%" PRIu64 " calls=%" PRIu64
	    " in %.1fs (errnos: %s)", seed, nops, ncalls, secs, line);
	n = 0;
	for (k = 0; k < NR_OPS && n < sizeof(line) - 40; k++)
		n += snprintf(line + n, sizeof(line) - n, "%s%s %" PRIu64, k ? ", " : "",
			      op_name[k], op_count[k]);
	say("MVTEST: INFO fuzz ops: %s", line);
}

static void usage(void)
{
	fprintf(stderr, "usage: fuzz [--seed N] [--seconds S] [--ops N] [--trace]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_alarm };	/* no SA_RESTART */
	struct sigaction fatal = { .sa_sigaction = on_fatal, .sa_flags = SA_SIGINFO };
	double seconds = -1, t0;
	uint64_t max_ops = 0;
	struct rng main_rng;
	int k;

	seed = (uint64_t)time(NULL) * 1000003u ^ (uint64_t)getpid() << 32;
	for (k = 1; k < argc; k++) {
		if (!strcmp(argv[k], "--seed") && k + 1 < argc)
			seed = strtoull(argv[++k], NULL, 0);
		else if (!strcmp(argv[k], "--seconds") && k + 1 < argc)
			seconds = atof(argv[++k]);
		else if (!strcmp(argv[k], "--ops") && k + 1 < argc)
			max_ops = strtoull(argv[++k], NULL, 0);
		else if (!strcmp(argv[k], "--trace"))
			trace = 1;
		else
			usage();
	}
	if (seconds < 0)
		seconds = max_ops ? 0 : 120;
	say("MVTEST: INFO fuzz seed=%" PRIu64, seed);
	sigaction(SIGALRM, &sa, NULL);
	sigaction(SIGSEGV, &fatal, NULL);
	sigaction(SIGBUS, &fatal, NULL);
	sigaction(SIGILL, &fatal, NULL);
	sigaction(SIGFPE, &fatal, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (setup_memory()) {
		say("MVTEST: FAIL fuzz-setup: cannot set up argument memory: %s",
		    strerror(errno));
		return 1;
	}
	rng_seed(&main_rng, seed);
	t0 = now();
	while ((!max_ops || nops < max_ops) && (!seconds || now() - t0 < seconds)) {
		struct rng op_rng;

		rng_seed(&op_rng, rnd64(&main_rng));
		nops++;
		one_op(&op_rng, 0);
	}
	teardown();
	summary(now() - t0);
	for (k = 0; k < MAX_CHECKS && failed_checks[k].name; k++)
		if (failed_checks[k].count > 2)
			say("MVTEST: INFO fuzz-%s failed %" PRIu64 " times (2 shown)",
			    failed_checks[k].name, failed_checks[k].count);
	say("MVTEST: %s fuzz-completed%s", fails ? "FAIL" : "PASS",
	    fails ? ": impossible results, see the FAIL lines above" : "");
	return fails ? 1 : 0;
}
