#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Bochs, two VT-x CPUs: VMXON, a working VMCS and VMXOFF on each CPU, and
# the VM tests with vCPU migration.
# (CPU hotplug has its own on-demand suite, suite-hotplug.sh: it is not
# deterministic enough in Bochs to gate CI.)
. /tests/lib.sh

MOD=/lib/modules/minivmm.ko
ncpu=$(grep -c ^processor /proc/cpuinfo)
[ "$ncpu" = 2 ] && t_pass smp-two-cpus || t_fail smp-two-cpus "kernel sees $ncpu CPUs"
dmesg_mark
t_check insmod insmod $MOD
uapi_check probe 2
t_show_dmesg
t_grep smp-logs-vmxon-both 'minivmm: VMXON on CPUs 0-1$' "$(dmesg_new_file)"
t_grep smp-logs-vmxoff-both 'minivmm: VMXOFF on CPUs 0-1$' "$(dmesg_new_file)"
out=$(minivmm info --probe --json 2>&1); rc=$?
[ $rc = 0 ] && echo "$out" | grep -q '"nr_online": *2' &&
	t_pass smp-cli-probe-two-cpus || t_fail smp-cli-probe-two-cpus "rc=$rc: $out"
# The VM tests again, on this CPU model and with 2 CPUs: includes moving
# a vCPU between CPUs (VMCLEAR on the old one, VMLAUNCH on the new one).
# The 1,000-VM leak loop runs in suite vm; here it would double the boot.
vm_check --no-loop
# The guest's XSAVE state follows its vCPU between CPUs: wswitch's YMM
# pattern must survive its 2000 exits while the VMM is moved from CPU to
# CPU (its XCR0 and YMM checks; the other checks run in suite run).
minivmm run --timeout 300 /guests/wswitch.elf >/tmp/out 2>/tmp/err &
vmm=$!
moves=0
while kill -0 $vmm 2>/dev/null; do
	taskset -p $((1 + moves % 2)) $vmm >/dev/null 2>&1 && moves=$((moves + 1))
	sleep 0.05
done
wait $vmm
rc=$?
t_info "wswitch while moved between CPUs $moves times: rc=$rc $(tr '\n' '|' </tmp/out)"
for name in xcr0 ymm; do
	grep -q "^wswitch: PASS $name\$" /tmp/out && t_pass "smp-wswitch-$name-across-cpus" ||
		t_fail "smp-wswitch-$name-across-cpus" "$(grep "wswitch: [A-Z]* $name" /tmp/out)"
done
[ $moves -ge 4 ] && t_pass smp-wswitch-moved || t_fail smp-wswitch-moved "moved $moves times"
# Lifecycle with the vCPU really on the other CPU; ends with rmmod.
lifecycle_check
grep -q '^minivmm ' /proc/modules && t_fail lifecycle-module-unloaded "still loaded" ||
	t_pass lifecycle-module-unloaded
t_done
