#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Bochs, one VT-x CPU: load checks, /dev/minivmm, `minivmm info`, the ABI,
# VMXON/VMXOFF through the probe, reload cycles, privileges, and
# coexistence with stock kvm_intel (both orders, every refusal path).
. /tests/lib.sh

MOD=/lib/modules/minivmm.ko

# --- load and the device node ---------------------------------------------
dmesg_mark
t_check insmod insmod $MOD
# One space after every word, so each feature name is matched whole.
dmesg_new | sed 's/$/ /' >/tmp/load.txt
t_show_dmesg
t_grep load-summary-line 'minivmm: VMCS revision 0x[0-9a-f]*, 4096 bytes, preemption timer TSC>>[0-9]*; features: ' /tmp/load.txt
for f in ept vpid unrestricted_guest preemption_timer; do
	t_grep "load-summary-has-$f" "features:.* $f " /tmp/load.txt
done
# Speculative-execution gaps (kmod/spec.c): one line at most, and each
# bug it names is one the kernel says this CPU has.
vuln=/sys/devices/system/cpu/vulnerabilities
bugs=$(sed -n 's/.*minivmm: CPU bugs not mitigated for guests:\(.*\): trusted guests only.*/\1/p' /tmp/load.txt)
n=$(grep -c 'CPU bugs not mitigated' /tmp/load.txt)
t_info "unmitigated for guests: ${bugs:-none}"
bad=
for b in $bugs; do
	case $b in
	SPECTRE_V2|BHI) f=spectre_v2 ;; L1TF) f=l1tf ;; MDS) f=mds ;;
	TAA) f=tsx_async_abort ;; MMIO_STALE_DATA) f=mmio_stale_data ;;
	RFDS) f=reg_file_data_sampling ;; RETBLEED) f=retbleed ;;
	SRSO) f=spec_rstack_overflow ;; VMSCAPE) f=vmscape ;; *) f=none ;;
	esac
	[ -r $vuln/$f ] && ! grep -q '^Not affected' $vuln/$f || bad="$bad $b"
done
[ "$n" -le 1 ] && [ -z "$bad" ] && t_pass load-spec-gaps-line ||
	t_fail load-spec-gaps-line "$n lines; named but not affected per $vuln:$bad"
t_check dev-node-exists test -c /dev/minivmm
mode=$(stat -c '%A %U %G' /dev/minivmm 2>&1)
[ "$mode" = "crw------- root root" ] && t_pass dev-node-mode-0600 ||
	t_fail dev-node-mode-0600 "got '$mode'"

# --- the CLI ----------------------------------------------------------------
out=$(minivmm info 2>&1); rc=$?
t_info "minivmm info (rc=$rc):"
echo "$out" | sed 's/^/MVTEST: INFO   /'
[ $rc = 0 ] && t_pass cli-info-rc0 || t_fail cli-info-rc0 "rc=$rc: $out"
echo "$out" | grep -qiE 'ept[^a-z_].*yes' && t_pass cli-info-shows-ept ||
	t_fail cli-info-shows-ept "no 'ept ... yes' line"
echo "$out" | grep -qiE 'vpid[^a-z_].*yes' && t_pass cli-info-shows-vpid ||
	t_fail cli-info-shows-vpid "no 'vpid ... yes' line"
json=$(minivmm info --json 2>&1); rc=$?
t_info "minivmm info --json: $json"
[ $rc = 0 ] && echo "$json" | grep -qE '"ept": ?true' &&
	echo "$json" | grep -qE '"vpid": ?true' &&
	echo "$json" | grep -qE '"api_version": ?1' &&
	t_pass cli-info-json || t_fail cli-info-json "rc=$rc"
out=$(minivmm info --probe 2>&1); rc=$?
echo "$out" | grep -iE 'cpu|probe' | sed 's/^/MVTEST: INFO   /'
[ $rc = 0 ] && t_pass cli-info-probe || t_fail cli-info-probe "rc=$rc: $out"

# --- the ABI, directly ---------------------------------------------------------
uapi_check basic
dmesg_mark
uapi_check probe 1
t_show_dmesg
t_grep probe-logs-vmxon 'minivmm: VMXON on CPUs 0$' "$(dmesg_new_file)"
t_grep probe-logs-vmxoff 'minivmm: VMXOFF on CPUs 0$' "$(dmesg_new_file)"

# --- privileges -------------------------------------------------------------
out=$(as_nobody minivmm info 2>&1); rc=$?
t_info "as nobody: rc=$rc $out"
[ $rc != 0 ] && echo "$out" | grep -qi 'permission denied' &&
	t_pass cli-nonroot-permission-denied ||
	t_fail cli-nonroot-permission-denied "rc=$rc: $out"
t_check rmmod-for-mode rmmod minivmm
t_check insmod-dev-mode-0666 insmod $MOD dev_mode=0666
mode=$(stat -c '%A' /dev/minivmm 2>&1)
[ "$mode" = "crw-rw-rw-" ] && t_pass dev-node-mode-param ||
	t_fail dev-node-mode-param "got '$mode'"
t_check cli-nonroot-with-0666 as_nobody minivmm info
rmmod minivmm
dmesg_mark
t_expect_fail insmod-dev-mode-invalid-einval 22 modload $MOD dev_mode=01777
t_one_refusal_line insmod-dev-mode-invalid-message 'minivmm: dev_mode=01777 is invalid: use read/write bits only'

# --- 20 reload cycles ---------------------------------------------------------
ok=0
i=0
while [ $i -lt 20 ]; do
	i=$((i + 1))
	insmod $MOD || break
	[ -c /dev/minivmm ] || break
	uapi_check probe 1 >/tmp/probe.out || { grep FAIL /tmp/probe.out; break; }
	rmmod minivmm || break
	[ ! -e /dev/minivmm ] || break
	ok=$i
done
[ $ok = 20 ] && t_pass reload-20-cycles || t_fail reload-20-cycles "cycle $i failed"
t_show "reload: $ok of 20 insmod/probe/rmmod cycles completed"
grep -c '^minivmm ' /proc/modules >/tmp/n; [ "$(cat /tmp/n)" = 0 ] &&
	t_pass reload-module-gone || t_fail reload-module-gone "still loaded"

# --- coexistence with stock KVM ---------------------------------------------
t_check insmod-minivmm-before-kvm insmod $MOD
for m in irqbypass kvm kvm-intel; do
	insmod /lib/modules/$m.ko || t_fail "insmod-$m" "insmod $m.ko failed"
done
t_check kvm-dev-present test -c /dev/kvm
# minivmm holds VT-x while one of its VMs exists: KVM cannot create a VM
# then, and can again once that VM is gone (kvm_hold exits at once: its
# stop file exists).
minivmm run --timeout 120 /guests/loop.bin >/dev/null 2>&1 &
vmm=$!
sleep 2
touch /tmp/kvm-now
dmesg_mark
kvm_hold /tmp/kvm-now >/tmp/kvm_try.out 2>&1; rc=$?
t_info "kvm_hold with a minivmm VM running: rc=$rc $(cat /tmp/kvm_try.out)"
t_show_dmesg
[ $rc != 0 ] && grep -q 'KVM_CREATE_VM: Device or resource busy' /tmp/kvm_try.out &&
	t_pass kvm-refused-while-minivmm-vm-runs ||
	t_fail kvm-refused-while-minivmm-vm-runs "rc=$rc: $(cat /tmp/kvm_try.out)"
kill $vmm
wait $vmm
kvm_hold /tmp/kvm-now >/tmp/kvm_try.out 2>&1; rc=$?
[ $rc = 0 ] && grep -q 'holding VT-x' /tmp/kvm_try.out &&
	t_pass kvm-vm-after-minivmm-vm-ended ||
	t_fail kvm-vm-after-minivmm-vm-ended "rc=$rc: $(cat /tmp/kvm_try.out)"
rm -f /tmp/kvm-now
# minivmm loaded but idle: VT-x is free, so KVM can create a VM.
kvm_hold /tmp/kvm-release >/tmp/kvm_hold.out 2>&1 &
hold=$!
n=0
while ! grep -q 'holding VT-x' /tmp/kvm_hold.out && [ $n -lt 100 ]; do
	sleep 0.2; n=$((n + 1))
done
grep -q 'holding VT-x' /tmp/kvm_hold.out && t_pass kvm-vm-while-minivmm-loaded ||
	t_fail kvm-vm-while-minivmm-loaded "$(cat /tmp/kvm_hold.out)"
# KVM holds VT-x: minivmm refuses at VM creation (the probe takes VT-x the same way).
dmesg_mark
uapi_check probe-busy
t_show_dmesg
t_grep busy-message-at-vm-creation 'minivmm: VT-x is in use by another hypervisor on CPU 0 (CR4.VMXE set)' "$(dmesg_new_file)"
out=$(minivmm info --probe 2>&1); rc=$?
[ $rc != 0 ] && echo "$out" | grep -qi 'another hypervisor' &&
	t_pass cli-probe-busy-message || t_fail cli-probe-busy-message "rc=$rc: $out"
# ... and `run` says so with status 8 (EXIT_VMX_BUSY), not a raw ioctl error.
out=$(minivmm run /guests/hello16.bin 2>&1); rc=$?
[ $rc = 8 ] && echo "$out" | grep -q '^minivmm: MINIVMM_CREATE_VM: VT-x is in use by another hypervisor' &&
	t_pass cli-run-busy-status-8 || t_fail cli-run-busy-status-8 "rc=$rc: $out"
# ... and at load.
t_check rmmod-minivmm-under-kvm rmmod minivmm
dmesg_mark
t_expect_fail insmod-refused-ebusy-under-kvm 16 modload $MOD
t_show_dmesg
t_one_refusal_line busy-message-at-load 'minivmm: VT-x is in use by another hypervisor (CR4\.VMXE set on 1 CPU(s)), e\.g\. kvm_intel: stop its VMs or run .rmmod kvm_intel., then retry$'
t_expect_fail insmod-busybox-refused-ebusy-under-kvm 16 insmod $MOD
# KVM lets go: minivmm loads and works again.
touch /tmp/kvm-release
wait $hold; rc=$?
[ $rc = 0 ] && t_pass kvm-hold-exit-clean || t_fail kvm-hold-exit-clean "rc=$rc: $(cat /tmp/kvm_hold.out)"
t_check insmod-after-kvm-released insmod $MOD
uapi_check probe 1 | sed 's/probe-/after-kvm-probe-/'
t_check rmmod-final rmmod minivmm
t_done
