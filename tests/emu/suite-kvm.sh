#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Bochs: the differential suite. Every guest runs under minivmm.ko and
# then, same binary, same options, under the stock kvm_intel with
# --accel kvm; output and exit status must be the same, except where the
# two hypervisors differ by design (said per guest, and checked too).
. /tests/lib.sh

t_check insmod insmod /lib/modules/minivmm.ko
for m in irqbypass kvm kvm-intel; do
	insmod /lib/modules/$m.ko || t_fail "insmod-$m" "insmod $m.ko failed"
done
t_check kvm-dev-present test -c /dev/kvm
printf 'ROMTEST!' >/tmp/rom.bin

# diff_run NAME WANT ARGS...: WANT "same", or "differs" (then the
# reason is the t_show line) for what KVM does otherwise by design.
diff_run() {
	_name=$1 _want=$2
	shift 2
	minivmm run --timeout 120 "$@" >/tmp/m.out 2>/tmp/m.err; _mrc=$?
	minivmm run --accel kvm --timeout 120 "$@" >/tmp/k.out 2>/tmp/k.err; _krc=$?
	t_info "$_name: minivmm rc=$_mrc, kvm rc=$_krc; kvm stderr: $(head -c 300 /tmp/k.err)"
	if [ $_mrc = $_krc ] && cmp -s /tmp/m.out /tmp/k.out; then
		_got=same
	else
		_got=differs
	fi
	if [ $_got = "$_want" ]; then
		t_pass "kvm-$_name-$_want"
	else
		t_fail "kvm-$_name-$_want" "rc $_mrc vs $_krc; $(diff /tmp/m.out /tmp/k.out | head -5 | tr '\n' '|') $(head -c 200 /tmp/k.err)"
	fi
	[ $_got = differs ] && t_show "kvm $_name: rc $_mrc vs $_krc: $(diff /tmp/m.out /tmp/k.out | grep '^[-+<>][^-+]' | head -4 | tr '\n' '|')"
}

diff_run hello16 same /guests/hello16.bin
diff_run hello64 same /guests/hello64.elf
diff_run exit7 same /guests/exit7.bin
diff_run ports same /guests/ports.bin
diff_run triple same /guests/triple.bin
diff_run halt same /guests/halt.bin
diff_run mmio same /guests/mmio.elf
diff_run mmiorw same --rom /tmp/rom.bin@0xe0000000 /guests/mmiorw.elf
diff_run pio same /guests/pio.elf
diff_run msr same /guests/msr.elf
diff_run exc same /guests/exc.elf
diff_run irq same /guests/irq.elf
diff_run paging same /guests/paging.elf
diff_run steps same /guests/steps.bin
# KVM answers VMCALL itself with -KVM_ENOSYS (-1000); minivmm returns -1.
diff_run hypercall differs /guests/hypercall.bin
# kvm_intel offers nested VMX: CR4.VMXE is the guest's to set there.
diff_run cr differs /guests/cr.elf

# The Multiboot kernel with minivmm's userspace local APIC over KVM (no
# in-kernel irqchip: its page is MMIO): every check passes but one, by
# design: KVM lets IA32_APIC_BASE move the page, minivmm's module #GPs.
printf 'MODULE!\n' >/tmp/mod.bin
diff_run mb32 differs --mem 16M --module /tmp/mod.bin,modarg --append "hello world" /guests/mb32.elf
[ $_krc = 1 ] && [ "$(grep -c '^mb32: PASS' /tmp/k.out)" = 32 ] &&
	grep -q '^mb32: FAIL apic_msr_move_refused$' /tmp/k.out && t_pass kvm-mb32-only-apic-move-differs ||
	t_fail kvm-mb32-only-apic-move-differs "rc=$_krc $(grep FAIL /tmp/k.out | head -3 | tr '\n' '|')"

# Single steps: KVM_GUESTDBG_SINGLESTEP stops at the same RIPs (KVM
# reports two of them twice: the first instruction, and the one after an
# instruction it emulated; uniq folds those).
minivmm run --accel kvm --timeout 60 --step /guests/steps.bin >/tmp/out 2>/tmp/err
rc=$?
rips=$(sed -n 's/^minivmm: step [0-9]*: rip=\([0-9a-fx]*\) .*/\1/p' /tmp/err | uniq | tr '\n' ' ')
t_show "kvm --step steps.bin: $rips"
[ $rc = 0 ] && [ "$rips" = "0 0x1 0x4 0x5 0x7 0xa 0xc 0xe " ] && t_pass kvm-step-rips ||
	t_fail kvm-step-rips "rc=$rc rips='$rips' $(head -c 200 /tmp/err)"
# What KVM lacks is refused with a reason, not faked.
minivmm run --accel kvm --exit cpuid=user /guests/exit7.bin >/dev/null 2>/tmp/err; rc=$?
[ $rc = 9 ] && grep -q 'not --accel kvm' /tmp/err && t_pass kvm-exit-policy-refused ||
	t_fail kvm-exit-policy-refused "rc=$rc: $(cat /tmp/err)"

for m in kvm-intel kvm irqbypass; do
	rmmod $m || t_fail "rmmod-$m" "rmmod $m failed"
done
t_check rmmod rmmod minivmm
t_done
