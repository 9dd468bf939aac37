#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Suite "smoke": proves the emulator harness end to end, not minivmm itself.
# Checks the machine the suites will run on: the stock kernel, CPU count,
# VT-x as the emulator provides it (Bochs: yes, QEMU TCG: no), busybox,
# running as nobody, the kernel-log helpers, stock KVM loading (or being
# refused without VT-x), the kvm_hold helper, and that the minivmm files
# made it into the initramfs.
#
#   make emu-smoke                     Bochs
#   make emu SUITE=smoke EMU=qemu      QEMU TCG
# Kernel command line parameters (run.py --append, or EMU_APPEND=...) to
# see what failures look like:
#   mvsmoke_fail=1    a failing check and a fake kernel WARNING
#   mvsmoke_crash=1   a kernel crash (sysrq c) before the suite's end
# sh -c scripts below expand in the child shell, hence single quotes.
# shellcheck disable=SC2016
# shellcheck source=tests/emu/lib.sh
. /tests/lib.sh

t_info "kernel $(uname -r), $(grep -c '^processor' /proc/cpuinfo) CPU(s)," \
	"$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), emulator $MV_EMU"

t_check kernel-release test "$(uname -r)" = 6.1.0-56-amd64
t_check cpu-count test "$(grep -c '^processor' /proc/cpuinfo)" = "$MV_CPUS"
missing=
for a in sh mount insmod rmmod lsmod dmesg grep sed awk cat ls stat sleep \
	poweroff kill seq cut tr wc head tail test chmod id su strings; do
	command -v "$a" >/dev/null || missing="$missing $a"
done
if [ -z "$missing" ]; then
	t_pass busybox-applets
else
	t_fail busybox-applets "missing:$missing"
fi

# Unprivileged user: uid/gid 65534 and no capabilities at all.
ids=$(as_nobody id -u):$(as_nobody id -g)
caps=$(as_nobody grep CapEff /proc/self/status | awk '{ print $2 }')
if [ "$ids" = 65534:65534 ] && [ "$caps" = 0000000000000000 ]; then
	t_pass as-nobody
else
	t_fail as-nobody "uid:gid $ids, CapEff '$caps'"
fi

dmesg_mark
echo "<6>mvtest: smoke marker $$" >/dev/kmsg
if dmesg_new | grep -q "mvtest: smoke marker $$"; then
	t_pass dmesg-since-mark
else
	t_fail dmesg-since-mark "marker not in dmesg_new ($(dmesg_new | wc -l) lines)"
fi

# Stock KVM: the reference hypervisor of later suites.
dmesg_mark
t_check insmod-irqbypass insmod /lib/modules/irqbypass.ko
t_check insmod-kvm insmod /lib/modules/kvm.ko
case $MV_EMU in
bochs)
	t_check cpuinfo-vmx grep -Eq '^flags.* vmx( |$)' /proc/cpuinfo
	t_check cpuinfo-ept-vpid \
		grep -Eq '^vmx flags.* ept( .*)? vpid( |$)' /proc/cpuinfo
	t_info "$(grep -m1 '^vmx flags' /proc/cpuinfo)"
	t_check insmod-kvm-intel insmod /lib/modules/kvm-intel.ko
	t_check dev-kvm test -c /dev/kvm

	# kvm_hold: holds VT-x until its stop file appears, or until SIGTERM.
	for how in stopfile sigterm; do
		rm -f /tmp/kvm_hold.stop
		kvm_hold /tmp/kvm_hold.stop >/tmp/kvm_hold.out 2>&1 &
		pid=$!
		i=0
		while [ $i -lt 300 ] && kill -0 $pid 2>/dev/null &&
		      ! grep -q 'holding VT-x' /tmp/kvm_hold.out; do
			sleep 0.1
			i=$((i + 1))
		done
		t_grep "kvm-hold-$how-holds" 'kvm_hold: holding VT-x' /tmp/kvm_hold.out
		if [ $how = stopfile ]; then
			touch /tmp/kvm_hold.stop
		else
			kill -TERM $pid
		fi
		wait $pid
		rc=$?
		if [ $rc = 0 ]; then
			t_pass "kvm-hold-$how-release"
		else
			_mv_show "kvm-hold-$how-release" "$(cat /tmp/kvm_hold.out)"
			t_fail "kvm-hold-$how-release" "kvm_hold exited $rc"
		fi
	done
	t_check rmmod-kvm rmmod kvm_intel kvm irqbypass
	;;
qemu)
	t_check cpuinfo-no-vmx sh -c '! grep -qw vmx /proc/cpuinfo'
	# modload: one init call per load, where busybox insmod retries.
	t_expect_fail insmod-kvm-intel-refused nonzero \
		modload /lib/modules/kvm-intel.ko
	n=$(dmesg_new | grep -c "no hardware support for 'kvm_intel'")
	if [ "$n" = 1 ]; then
		t_pass modload-single-init
	else
		t_fail modload-single-init "kvm_intel refused $n times"
	fi
	t_check no-dev-kvm test ! -e /dev/kvm
	t_expect_fail kvm-hold-refused 1 kvm_hold
	t_check rmmod-kvm rmmod kvm irqbypass
	;;
*)
	t_fail emulator "unknown mvemu='$MV_EMU'"
	;;
esac
t_dmesg_clean kvm-dmesg-clean

# minivmm's own files, when the initramfs was built with them.
if [ -f /lib/modules/minivmm.ko ]; then
	t_check minivmm-ko-vermagic sh -c \
		'strings /lib/modules/minivmm.ko | grep -q "^vermagic=$(uname -r) "'
else
	t_info "initramfs built without minivmm.ko"
fi
if [ -f /bin/minivmm ]; then
	# Loads it with its libraries without running it: proves the copied
	# libraries resolve, whatever the CLI's arguments are.
	t_check minivmm-libs sh -c \
		'out=$(/lib64/ld-linux-x86-64.so.2 --list /bin/minivmm) &&
		 ! echo "$out" | grep "not found"'
else
	t_info "initramfs built without /bin/minivmm"
fi

if [ "$(mv_param mvsmoke_fail)" = 1 ]; then
	t_check deliberate-failure sh -c \
		'echo "some output"; echo "last line of a check failing on purpose"; exit 3'
	echo "<4>mvtest: WARNING: deliberate fake splat (mvsmoke_fail=1)" >/dev/kmsg
fi
if [ "$(mv_param mvsmoke_crash)" = 1 ]; then
	t_info "crashing the kernel on purpose (mvsmoke_crash=1)"
	echo c >/proc/sysrq-trigger
fi

t_done
