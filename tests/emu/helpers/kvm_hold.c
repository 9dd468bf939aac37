// SPDX-License-Identifier: GPL-2.0
/*
 * kvm_hold [STOPFILE]: make stock KVM hold VT-x until told to stop.
 *
 * Runs inside the emulated machine (built static by
 * tools/emu/mkinitramfs.sh). On Linux 6.1, KVM turns VMX on in every CPU
 * when the first VM is created and keeps it on while any VM exists, so
 * holding a VM open lets a suite check how minivmm behaves when another
 * hypervisor already owns VT-x. One vCPU is created too, so the VMCS
 * machinery is set up as a real VMM would leave it.
 *
 * Prints "kvm_hold: holding VT-x" once ready, then waits for SIGTERM/SIGINT
 * or for STOPFILE to appear (polled every 50 ms), releases the VM and exits
 * 0. Any failure before that prints a message and exits non-zero.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int fail(const char *what)
{
	fprintf(stderr, "kvm_hold: %s: %s\n", what, strerror(errno));
	return 1;
}

int main(int argc, char **argv)
{
	const char *stopfile = argc > 1 ? argv[1] : NULL;
	struct sigaction sa;
	int kvm, vm, vcpu, version;

	if (argc > 2) {
		fprintf(stderr, "usage: kvm_hold [STOPFILE]\n");
		return 2;
	}
	/* Install the handlers first so an early SIGTERM is not fatal. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);

	kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm < 0)
		return fail("open /dev/kvm");
	version = ioctl(kvm, KVM_GET_API_VERSION, 0);
	if (version != KVM_API_VERSION) {
		fprintf(stderr, "kvm_hold: KVM API version %d, expected %d\n",
			version, KVM_API_VERSION);
		return 1;
	}
	vm = ioctl(kvm, KVM_CREATE_VM, 0);
	if (vm < 0)
		return fail("KVM_CREATE_VM");
	vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
	if (vcpu < 0)
		return fail("KVM_CREATE_VCPU");

	printf("kvm_hold: holding VT-x\n");
	fflush(stdout);

	while (!stop) {
		struct timespec ts = { 0, 50 * 1000 * 1000 };

		if (stopfile && access(stopfile, F_OK) == 0)
			break;
		/* EINTR from the signal just ends the sleep early. */
		nanosleep(&ts, NULL);
	}

	close(vcpu);
	close(vm);
	close(kvm);
	printf("kvm_hold: released\n");
	return 0;
}
